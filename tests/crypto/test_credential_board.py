"""Credentials (PROTOCOL.md section 5), the board chain and receipts (section 7)."""

from __future__ import annotations

import os

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from crypto import (
    CredentialKey,
    board_head,
    chain_genesis,
    chain_next,
    credential_list_hash,
    format_code,
    generate_code,
    parse_code,
    sign_receipt,
    verify_chain,
    verify_receipt,
    verify_signature,
)
from crypto.credential import ALPHABET, luhn32_check
from crypto.errors import InvalidBallot, InvalidCredential, InvalidSignature
from tests.crypto.vectors import load

CRED = load("credential")


@pytest.mark.parametrize("case", CRED["cases"], ids=lambda c: c["code"])
def test_credential_vectors(case: dict[str, str]) -> None:
    key = CredentialKey(case["congress"], case["code"])
    assert key.public.hex() == case["public"]
    assert key.sign(b"abc").hex() == case["signature_of_abc"]
    assert format_code(case["code"]) == case["formatted"]
    verify_signature(key.public, b"abc", bytes.fromhex(case["signature_of_abc"]))


def test_typed_variants_normalise() -> None:
    for v in CRED["typed_variants"]:
        assert parse_code(v["typed"]) == v["canonical"]


@pytest.mark.parametrize("bad", CRED["invalid_codes"])
def test_invalid_codes_are_refused(bad: str) -> None:
    with pytest.raises(InvalidCredential):
        parse_code(bad)


@pytest.mark.parametrize("char", ["ı", "ſ", "Ｏ"])
def test_non_ascii_lookalikes_are_refused(char: str) -> None:
    # Unicode case folding would turn these into alphabet characters.
    code = generate_code()
    with pytest.raises(InvalidCredential):
        parse_code(char + code[1:])


def test_check_character_catches_every_single_substitution() -> None:
    code = generate_code()
    for pos in range(21):
        for ch in ALPHABET:
            if ch != code[pos]:
                with pytest.raises(InvalidCredential):
                    parse_code(code[:pos] + ch + code[pos + 1 :])


def test_codes_carry_100_bits_and_differ() -> None:
    codes = {generate_code() for _ in range(500)}
    assert len(codes) == 500
    for c in list(codes)[:20]:
        assert len(c) == 21 and luhn32_check(c[:20]) == c[20]


def test_credential_depends_on_congress() -> None:
    code = generate_code()
    assert CredentialKey("a", code).public != CredentialKey("b", code).public


def test_signature_checks() -> None:
    key = CredentialKey("c", generate_code())
    sig = key.sign(b"m")
    with pytest.raises(InvalidSignature):
        verify_signature(key.public, b"other", sig)
    with pytest.raises(InvalidSignature):
        verify_signature(key.public, b"m", sig[:63])
    with pytest.raises(InvalidCredential):
        verify_signature(bytes(32), b"m", sig)


def test_credential_list_hash() -> None:
    keys = [CredentialKey("c", generate_code()).public for _ in range(5)]
    assert credential_list_hash(keys) == credential_list_hash(reversed(keys))
    assert credential_list_hash(keys) != credential_list_hash(keys[:4])
    with pytest.raises(InvalidCredential):
        credential_list_hash([*keys, keys[0]])
    with pytest.raises(InvalidCredential):
        credential_list_hash([*keys, bytes(32)])


def test_board_chain_detects_deletion_reordering_and_edits() -> None:
    # T-14.a with the failing position named.
    h_R = os.urandom(64)
    hashes = [os.urandom(32) for _ in range(6)]
    entries = []
    h = chain_genesis(h_R)
    for hb in hashes:
        h = chain_next(h, hb)
        entries.append((hb, h))
    assert verify_chain(h_R, entries) == board_head(h_R, hashes)
    with pytest.raises(InvalidBallot, match="position 3"):
        verify_chain(h_R, entries[:2] + entries[3:])
    with pytest.raises(InvalidBallot, match="position 2"):
        verify_chain(h_R, [entries[0], entries[2], entries[1], *entries[3:]])
    edited = list(entries)
    edited[4] = (os.urandom(32), edited[4][1])
    with pytest.raises(InvalidBallot, match="position 5"):
        verify_chain(h_R, edited)


def test_fork_has_another_head() -> None:
    # T-14.b: same prefix, different continuation, different head.
    h_R = os.urandom(64)
    prefix = [os.urandom(32) for _ in range(3)]
    assert board_head(h_R, [*prefix, os.urandom(32)]) != board_head(h_R, [*prefix, os.urandom(32)])


def test_receipts() -> None:
    server = Ed25519PrivateKey.generate()
    public = server.public_key().public_bytes_raw()
    receipt = {
        "round": "00" * 64,
        "position": 7,
        "ballot": "11" * 32,
        "chain": "22" * 64,
        "time": "2026-11-28T08:00:00Z",
    }
    sig = sign_receipt(server, receipt)
    verify_receipt(public, receipt, sig)
    with pytest.raises(InvalidSignature):
        verify_receipt(public, dict(receipt, position=8), sig)

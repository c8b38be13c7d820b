"""Ballots: forms, encryption, verification and the attacks on them (T-2, T-12)."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crypto import (
    CiphertextBallot,
    CredentialKey,
    G,
    RoundContext,
    Scalar,
    Tag,
    agree_disagree,
    audit_ballot,
    choose_at_most,
    cross_out,
    encrypt_ballot,
    generate_code,
    tracking_code,
    verify_audited,
    verify_ballot,
)
from crypto.ballot import (
    _combination_context,
    _counter_context,
    _signing_message,
)
from crypto.elgamal import Ciphertext, encrypt
from crypto.errors import (
    CryptoError,
    EncodingError,
    InvalidBallot,
    InvalidCredential,
    InvalidPoint,
    InvalidProof,
    InvalidSignature,
)
from crypto.forms import BallotForm, form_for
from crypto.proofs import prove_membership

CONGRESS = "test-congress"


def _ctx(form: BallotForm) -> tuple[RoundContext, Scalar]:
    s = Scalar.random()
    return RoundContext(os.urandom(64), s * G, form), s


def _key() -> CredentialKey:
    return CredentialKey(CONGRESS, generate_code())


def cross_out_counters(n: int, k: int, kept: set[int]) -> list[int]:
    """Encode a cross-out choice the way the terminal does (R-BALLOT-3/4)."""
    if not kept:
        return [0] * n + [0, 1]
    if len(kept) > k:
        return [0] * n + [1, 0]
    return [1 if i in kept else 0 for i in range(n)] + [0, 0]


# -- forms ---------------------------------------------------------------


def test_cross_out_form_shape() -> None:
    form = cross_out(11, 9)
    assert len(form.counters) == 13
    (combo,) = form.combinations
    assert combo.weights == (1,) * 11 + (12, 24)
    assert combo.allowed == tuple(range(1, 10)) + (12, 24)


@pytest.mark.parametrize(
    "counters",
    [
        [1] * 10 + [0] + [0, 0],  # keeps 10 of 9 without the indicator
        [1] + [0] * 10 + [1, 0],  # indicator set with a name kept
        [0] * 11 + [1, 1],  # both reasons
        [0] * 11 + [0, 0],  # nothing kept, no reason
        [2] + [0] * 12,  # not a 0/1 counter
    ],
)
def test_cross_out_illegal_plaintexts_are_refused(counters: list[int]) -> None:
    with pytest.raises(InvalidBallot):
        cross_out(11, 9).check_plaintext(counters)


def test_agree_disagree_forms() -> None:
    multi = agree_disagree(3)
    multi.check_plaintext([1, 0, 0, 0, 0, 1])  # agree, neither/both, disagree: valid
    with pytest.raises(InvalidBallot):
        multi.check_plaintext([1, 1, 0, 0, 0, 0])
    single = agree_disagree(1)
    single.check_plaintext([0, 0, 1])  # an invalid single-name ballot (R-BALLOT-4.6)
    for bad in ([0, 0, 0], [1, 1, 0], [1, 0, 1]):
        with pytest.raises(InvalidBallot):
            single.check_plaintext(bad)


@pytest.mark.parametrize(
    ("kind", "n", "k"),
    [
        ("cross_out", 3, 3),
        ("cross_out", 3, 0),
        ("agree_disagree", 3, 2),
        ("choose_at_most", 2, 3),
        ("x", 1, 1),
    ],
)
def test_impossible_forms_are_refused(kind: str, n: int, k: int) -> None:
    with pytest.raises(EncodingError):
        form_for(kind, n, k)


def test_form_json_round_trip_and_tampering() -> None:
    for form in (cross_out(11, 9), agree_disagree(1), agree_disagree(4), choose_at_most(5, 2)):
        assert BallotForm.from_json(form.to_json()) == form
    tampered = cross_out(11, 9).to_json()
    tampered["combinations"][0]["allowed"].append(10)
    with pytest.raises(EncodingError):
        BallotForm.from_json(tampered)
    # A boolean is not the integer 1, although Python compares them equal.
    as_bool = cross_out(3, 1).to_json()
    as_bool["combinations"][0]["weights"][0] = True
    with pytest.raises(EncodingError):
        BallotForm.from_json(as_bool)


# -- honest ballots ----------------------------------------------------------


FORMS = [
    cross_out(11, 9),
    cross_out(2, 1),
    agree_disagree(3),
    agree_disagree(1),
    choose_at_most(4, 2),
]


@settings(max_examples=12, deadline=None)
@given(st.sampled_from(FORMS), st.data())
def test_honest_ballots_verify_and_round_trip(form: BallotForm, data: st.DataObject) -> None:
    if form.kind == "cross_out":
        kept = data.draw(st.sets(st.integers(0, form.candidates - 1)))
        counters = cross_out_counters(form.candidates, form.seats, kept)
    elif form.kind == "agree_disagree" and form.candidates == 1:
        counters = data.draw(st.sampled_from([[1, 0, 0], [0, 1, 0], [0, 0, 1]]))
    elif form.kind == "agree_disagree":
        counters = []
        for _ in range(form.candidates):
            counters += data.draw(st.sampled_from([[1, 0], [0, 1], [0, 0]]))
    else:
        chosen = data.draw(st.sets(st.integers(0, form.candidates - 1), max_size=form.seats))
        counters = [1 if i in chosen else 0 for i in range(form.candidates)]
    ctx, _ = _ctx(form)
    ballot, _ = encrypt_ballot(ctx, counters, _key())
    decoded = CiphertextBallot.from_json(ballot.to_json(), form)
    assert decoded == ballot
    verify_ballot(ctx, decoded)


def test_tracking_code_shape() -> None:
    code = tracking_code(bytes([0xFF] * 32))
    assert code == "ZZZZZ-ZZZZZ"
    assert tracking_code(bytes(32)) == "00000-00000"


def test_ballot_size_does_not_depend_on_the_choice() -> None:
    # T-7.a: every legal choice pattern serialises to the same length.
    form = cross_out(5, 3)
    ctx, _ = _ctx(form)
    key = _key()
    lengths = set()
    for kept in [set(), {0}, {0, 1, 2}, {0, 1, 2, 3}, {4}]:
        ballot, _ = encrypt_ballot(ctx, cross_out_counters(5, 3, kept), key)
        from crypto import canonical_json

        lengths.add(len(canonical_json(ballot.to_json())))
    assert len(lengths) == 1


# -- forged and altered ballots ---------------------------------------------------


def _forge(
    ctx: RoundContext, counters: list[int], key: CredentialKey, claim_index: int
) -> CiphertextBallot:
    """A malicious terminal: honest 0/1 proofs, a combination proof that lies."""
    K = ctx.joint_key
    cts, rs, proofs = [], [], []
    for i, m in enumerate(counters):
        r = Scalar.random()
        ct = encrypt(m, K, r)
        proofs.append(
            prove_membership(
                Tag.PROOF01,
                _counter_context(ctx, key.public, i),
                K,
                ct,
                (0, 1),
                min(m, 1),
                r,
                Scalar.random,
            )
        )
        cts.append(ct)
        rs.append(r)
    combos = []
    for j, combo in enumerate(ctx.form.combinations):
        R = Scalar.from_int(sum(w * int(r) for w, r in zip(combo.weights, rs, strict=True)))
        ct = encrypt(combo.value(counters), K, R)
        combos.append(
            prove_membership(
                Tag.PROOF_SET,
                _combination_context(ctx, key.public, j, combo),
                K,
                ct,
                combo.allowed,
                claim_index,
                R,
                Scalar.random,
            )
        )
    unsigned = CiphertextBallot(
        ctx.round_hash, key.public, os.urandom(16), tuple(cts), tuple(proofs), tuple(combos), b""
    )
    sig = key.sign(_signing_message(unsigned.unsigned_json()))
    return CiphertextBallot(
        unsigned.round_hash,
        key.public,
        unsigned.nonce,
        unsigned.ciphertexts,
        unsigned.counter_proofs,
        unsigned.combination_proofs,
        sig,
    )


@pytest.mark.parametrize(
    "counters",
    [
        [1] * 10 + [0] + [0, 0],  # keeps 10 names of 9 seats
        [1] * 11 + [0, 0],  # keeps all 11
        [1] + [0] * 10 + [1, 0],  # "too many" indicator with a name kept
        [1, 1] + [0] * 9 + [0, 1],  # "none kept" indicator with names kept
        [0] * 11 + [1, 1],  # both indicators
        [0] * 13,  # strikes everything without the indicator
    ],
)
def test_forged_cross_out_ballots_are_rejected(counters: list[int]) -> None:
    ctx, _ = _ctx(cross_out(11, 9))
    forged = _forge(ctx, counters, _key(), claim_index=0)
    with pytest.raises(InvalidProof, match="combination 0"):
        verify_ballot(ctx, forged)


def test_forged_single_name_ballot_with_both_boxes_is_rejected() -> None:
    ctx, _ = _ctx(agree_disagree(1))
    forged = _forge(ctx, [1, 1, 0], _key(), claim_index=0)
    with pytest.raises(InvalidProof):
        verify_ballot(ctx, forged)


def _signed(ballot: CiphertextBallot, key: CredentialKey, **changes) -> CiphertextBallot:
    fields = {
        "round_hash": ballot.round_hash,
        "credential": key.public,
        "nonce": ballot.nonce,
        "ciphertexts": ballot.ciphertexts,
        "counter_proofs": ballot.counter_proofs,
        "combination_proofs": ballot.combination_proofs,
        "signature": b"",
    }
    fields.update(changes)
    unsigned = CiphertextBallot(**fields)
    sig = key.sign(_signing_message(unsigned.unsigned_json()))
    return CiphertextBallot(**{**fields, "signature": sig})


@pytest.fixture
def honest() -> tuple[RoundContext, CiphertextBallot, CredentialKey]:
    ctx, _ = _ctx(cross_out(5, 3))
    key = _key()
    ballot, _ = encrypt_ballot(ctx, cross_out_counters(5, 3, {0, 2}), key)
    return ctx, ballot, key


def test_copied_ballot_resigned_by_another_credential_is_rejected(honest) -> None:
    # T-2.b: B re-signs A's ciphertexts and proofs; the proofs name A's credential.
    ctx, ballot, _ = honest
    thief = _key()
    with pytest.raises(InvalidProof, match="counter 0"):
        verify_ballot(ctx, _signed(ballot, thief))


def test_ballot_with_a_changed_credential_fails_the_signature(honest) -> None:
    # T-2.a at the crypto level: the signature binds the credential.
    ctx, ballot, _ = honest
    other = _key().public
    moved = CiphertextBallot(
        ballot.round_hash,
        other,
        ballot.nonce,
        ballot.ciphertexts,
        ballot.counter_proofs,
        ballot.combination_proofs,
        ballot.signature,
    )
    with pytest.raises(InvalidSignature):
        verify_ballot(ctx, moved)


def test_rerandomised_ballot_is_rejected(honest) -> None:
    # T-2.d: re-randomise a counter without new proofs (and re-sign, as an owner could).
    ctx, ballot, key = honest
    t = Scalar.random()
    ct = ballot.ciphertexts[0]
    rerand = Ciphertext(ct.A + t * G, ct.B + t * ctx.joint_key)
    cts = (rerand, *ballot.ciphertexts[1:])
    with pytest.raises(InvalidProof):
        verify_ballot(ctx, _signed(ballot, key, ciphertexts=cts))


def test_ballot_for_another_round_is_rejected(honest) -> None:
    ctx, ballot, key = honest
    other_round = RoundContext(os.urandom(64), ctx.joint_key, ctx.form)
    with pytest.raises(InvalidBallot):
        verify_ballot(other_round, ballot)
    # Relabelled to the other round and re-signed: the proofs still name the first round.
    with pytest.raises(InvalidProof):
        verify_ballot(other_round, _signed(ballot, key, round_hash=other_round.round_hash))


def test_swapped_counters_are_rejected(honest) -> None:
    # A proof moved to another counter index.
    ctx, ballot, key = honest
    cts = list(ballot.ciphertexts)
    ps = list(ballot.counter_proofs)
    cts[0], cts[1] = cts[1], cts[0]
    ps[0], ps[1] = ps[1], ps[0]
    with pytest.raises(InvalidProof):
        verify_ballot(ctx, _signed(ballot, key, ciphertexts=tuple(cts), counter_proofs=tuple(ps)))


def test_bad_signature_is_rejected(honest) -> None:
    ctx, ballot, _ = honest
    sig = bytes([ballot.signature[0] ^ 1]) + ballot.signature[1:]
    bad = CiphertextBallot(
        ballot.round_hash,
        ballot.credential,
        ballot.nonce,
        ballot.ciphertexts,
        ballot.counter_proofs,
        ballot.combination_proofs,
        sig,
    )
    with pytest.raises(InvalidSignature):
        verify_ballot(ctx, bad)


def test_small_order_credential_is_refused(honest) -> None:
    ctx, ballot, _ = honest
    small = bytes.fromhex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a")
    bad = CiphertextBallot(
        ballot.round_hash,
        small,
        ballot.nonce,
        ballot.ciphertexts,
        ballot.counter_proofs,
        ballot.combination_proofs,
        ballot.signature,
    )
    with pytest.raises(InvalidCredential):
        verify_ballot(ctx, bad)


def _mutations(obj, path=()):
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _mutations(v, (*path, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _mutations(v, (*path, i))
    else:
        yield path


def _set(obj, path, value):
    for p in path[:-1]:
        obj = obj[p]
    obj[path[-1]] = value


def test_every_json_leaf_of_a_ballot_is_protected(honest) -> None:
    # Flip one hex digit of every leaf: decoding or verification must fail.
    import copy

    ctx, ballot, _ = honest
    original = ballot.to_json()
    paths = list(_mutations(original))
    assert len(paths) > 40
    for path in paths:
        mutated = copy.deepcopy(original)
        leaf = original
        for p in path:
            leaf = leaf[p]
        new = (
            leaf[:-1] + ("0" if leaf[-1] != "0" else "1") if leaf != "dh-vote/v1" else "dh-vote/v2"
        )
        _set(mutated, path, new)
        with pytest.raises(CryptoError):
            verify_ballot(ctx, CiphertextBallot.from_json(mutated, ctx.form))


def test_small_order_ciphertext_component_is_refused(honest) -> None:
    ctx, ballot, _ = honest
    obj = ballot.to_json()
    obj["counters"][0]["A"] = "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"
    with pytest.raises(InvalidPoint):
        CiphertextBallot.from_json(obj, ctx.form)


@pytest.mark.parametrize("mutate", ["missing key", "extra key", "short counters", "bad version"])
def test_malformed_ballot_json_is_refused(honest, mutate: str) -> None:
    ctx, ballot, _ = honest
    obj = ballot.to_json()
    if mutate == "missing key":
        del obj["nonce"]
    elif mutate == "extra key":
        obj["plaintext"] = [1, 0]
    elif mutate == "short counters":
        obj["counters"].pop()
    else:
        obj["version"] = "dh-vote/v0"
    with pytest.raises(CryptoError):
        CiphertextBallot.from_json(obj, ctx.form)


# -- Benaloh challenge -----------------------------------------------------------


def test_audited_ballot_reencrypts_and_reveals_the_choice() -> None:
    ctx, _ = _ctx(cross_out(5, 3))
    counters = cross_out_counters(5, 3, {1, 4})
    ballot, secrets = encrypt_ballot(ctx, counters, _key())
    audited = audit_ballot(ballot, secrets)
    assert verify_audited(ctx, audited) == tuple(counters)
    lying = dict(audited, counters=cross_out_counters(5, 3, {1, 3}))
    with pytest.raises(InvalidBallot):
        verify_audited(ctx, lying)


def test_randomness_is_fresh() -> None:
    # T-12.b (scaled down from 10^5 for the unit suite): no repeated first components.
    ctx, _ = _ctx(cross_out(11, 9))
    key = _key()
    seen = set()
    for _ in range(30):
        ballot, _ = encrypt_ballot(ctx, cross_out_counters(11, 9, {0, 1}), key)
        for ct in ballot.ciphertexts:
            seen.add(ct.A.encode())
    assert len(seen) == 30 * 13


def test_no_insecure_randomness_in_crypto_sources() -> None:
    # T-12.a: only `secrets` (and the deterministic test seam) produce randomness.
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2] / "crypto"
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(import random|from random import)", text, re.M), path
        assert "os.urandom" not in text or path.name == "_testing.py", path

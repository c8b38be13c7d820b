"""Zero-knowledge proofs: honest proofs verify, every alteration raises (T-1.a..d)."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crypto import G, Hs, L, Point, Scalar, Tag, encrypt
from crypto.elgamal import Ciphertext, decrypt_to_point
from crypto.errors import InvalidProof
from crypto.group import small_multiple
from crypto.proofs import (
    CompactProof,
    MembershipProof,
    prove_decryption,
    prove_membership,
    prove_schnorr,
    verify_decryption,
    verify_membership,
    verify_schnorr,
)
from tests.crypto.strategies import keypairs

ROUND = bytes(range(64))
Y = bytes(32)
CTX = (ROUND, Y, 3)


def _keys() -> tuple[Scalar, Point]:
    s = Scalar.random()
    return s, s * G


def _proof01(m: int, K: Point, ctx=CTX) -> tuple[Ciphertext, MembershipProof]:
    r = Scalar.random()
    ct = encrypt(m, K, r)
    return ct, prove_membership(Tag.PROOF01, ctx, K, ct, (0, 1), m, r, Scalar.random)


@settings(max_examples=20, deadline=None)
@given(keypairs(), st.sampled_from([0, 1]))
def test_honest_01_proofs_verify(keypair: tuple[Scalar, Point], m: int) -> None:
    _, K = keypair
    ct, proof = _proof01(m, K)
    verify_membership(Tag.PROOF01, CTX, K, ct, (0, 1), proof)


@settings(max_examples=10, deadline=None)
@given(keypairs(), st.lists(st.integers(0, 30), min_size=1, max_size=6, unique=True), st.data())
def test_honest_set_proofs_verify(keypair, allowed: list[int], data: st.DataObject) -> None:
    _, K = keypair
    index = data.draw(st.integers(0, len(allowed) - 1))
    r = Scalar.random()
    ct = encrypt(allowed[index], K, r)
    proof = prove_membership(Tag.PROOF_SET, CTX, K, ct, allowed, index, r, Scalar.random)
    verify_membership(Tag.PROOF_SET, CTX, K, ct, allowed, proof)


def test_01_proof_for_the_value_2_cannot_be_made() -> None:
    # An honest prover that lies about its plaintext produces a proof that fails.
    _, K = _keys()
    r = Scalar.random()
    ct = encrypt(2, K, r)
    for claimed in (0, 1):
        proof = prove_membership(Tag.PROOF01, CTX, K, ct, (0, 1), claimed, r, Scalar.random)
        with pytest.raises(InvalidProof):
            verify_membership(Tag.PROOF01, CTX, K, ct, (0, 1), proof)


def _altered(proof: MembershipProof, field: str, j: int) -> MembershipProof:
    one = Scalar.from_int(1)
    cs, vs = list(proof.challenges), list(proof.responses)
    if field == "c":
        cs[j] = cs[j] + one
    else:
        vs[j] = vs[j] + one
    return MembershipProof(tuple(cs), tuple(vs))


@pytest.mark.parametrize("field", ["c", "v"])
@pytest.mark.parametrize("j", [0, 1])
def test_every_altered_proof_field_raises(field: str, j: int) -> None:
    _, K = _keys()
    ct, proof = _proof01(1, K)
    with pytest.raises(InvalidProof):
        verify_membership(Tag.PROOF01, CTX, K, ct, (0, 1), _altered(proof, field, j))


def test_shifting_challenge_between_branches_raises() -> None:
    # Keeps the sum of challenges but breaks the commitments.
    _, K = _keys()
    ct, proof = _proof01(0, K)
    d = Scalar.from_int(5)
    moved = MembershipProof((proof.challenges[0] + d, proof.challenges[1] - d), proof.responses)
    with pytest.raises(InvalidProof):
        verify_membership(Tag.PROOF01, CTX, K, ct, (0, 1), moved)


@pytest.mark.parametrize(
    "swap",
    ["public key", "ciphertext A", "ciphertext B", "round", "credential", "counter index"],
)
def test_statement_swap_is_rejected(swap: str) -> None:
    # T-1.a: change exactly one element of the statement or context.
    _, K = _keys()
    ct, proof = _proof01(1, K)
    other = Scalar.random() * G
    K2, ct2, ctx2 = K, ct, CTX
    if swap == "public key":
        K2 = other
    elif swap == "ciphertext A":
        ct2 = Ciphertext(other, ct.B)
    elif swap == "ciphertext B":
        ct2 = Ciphertext(ct.A, other)
    elif swap == "round":
        ctx2 = (bytes(64), Y, 3)
    elif swap == "credential":
        ctx2 = (ROUND, bytes([1]) * 32, 3)
    else:
        ctx2 = (ROUND, Y, 4)
    with pytest.raises(InvalidProof):
        verify_membership(Tag.PROOF01, ctx2, K2, ct2, (0, 1), proof)


def test_domain_separation_between_proof_types() -> None:
    # T-1.d: a 0/1 proof replayed as a set proof over the same set fails.
    _, K = _keys()
    ct, proof = _proof01(1, K)
    with pytest.raises(InvalidProof):
        verify_membership(Tag.PROOF_SET, CTX, K, ct, (0, 1), proof)


def test_wrong_number_of_branches_raises() -> None:
    _, K = _keys()
    ct, proof = _proof01(1, K)
    with pytest.raises(InvalidProof):
        verify_membership(Tag.PROOF01, CTX, K, ct, (0, 1, 2), proof)


# -- T-1.b: the BPW adaptive forgery against a weak challenge ------------------


def _weak_challenge(commitments: list[Point]) -> Scalar:
    # Helios's mistake: hash the commitments only, not the statement.
    h = hashlib.sha512(b"".join(p.encode() for p in commitments)).digest()
    return Scalar.from_wide(h)


def _weak_verify(K: Point, ct: Ciphertext, proof: MembershipProof) -> None:
    commitments = []
    for j, (c, v) in enumerate(zip(proof.challenges, proof.responses, strict=True)):
        shifted = ct.B if j == 0 else ct.B - small_multiple(j)
        commitments += [v * G - c * ct.A, v * K - c * shifted]
    if proof.challenges[0] + proof.challenges[1] != _weak_challenge(commitments):
        raise InvalidProof("weak check failed")


def _sqrt_mod_l(n: int) -> int | None:
    # Tonelli-Shanks modulo the prime L.
    if pow(n, (L - 1) // 2, L) != 1:
        return None
    q, s = L - 1, 0
    while q % 2 == 0:
        q, s = q // 2, s + 1
    z = 2
    while pow(z, (L - 1) // 2, L) != L - 1:
        z += 1
    m, c, t, r = s, pow(z, q, L), pow(n, q, L), pow(n, (q + 1) // 2, L)
    while t != 1:
        i, t2 = 0, t
        while t2 != 1:
            t2, i = t2 * t2 % L, i + 1
        b = pow(c, 1 << (m - i - 1), L)
        m, c, t, r = i, b * b % L, t * b * b % L, r * b % L
    return r


def _bpw_forgery(K: Point) -> tuple[Ciphertext, MembershipProof]:
    """Commit first, then solve for a statement: ``B`` encrypts a value beta outside {0, 1}."""
    while True:
        x0, x1, y0, y1 = (Scalar.random() for _ in range(4))
        commitments = [x0 * G, x0 * K + y0 * G, x1 * G, x1 * K + y1 * G]
        c = int(_weak_challenge(commitments))
        a, b = int(y0) + int(y1) - c, -c * int(y0)
        disc = (a * a - 4 * b) % L
        root = _sqrt_mod_l(disc)
        if root is None:
            continue
        c0 = (-a + root) * pow(2, -1, L) % L
        if c0 == 0:
            continue
        c1 = (c - c0) % L
        beta = -int(y0) * pow(c0, -1, L) % L
        alpha = int(Scalar.random())
        A = Scalar.from_int(alpha) * G
        B = Scalar.from_int(beta) * G + Scalar.from_int(alpha) * K
        v0 = (int(x0) + c0 * alpha) % L
        v1 = (int(x1) + c1 * alpha) % L
        proof = MembershipProof(
            (Scalar.from_int(c0), Scalar.from_int(c1)), (Scalar.from_int(v0), Scalar.from_int(v1))
        )
        return Ciphertext(A, B), proof


def test_bpw_forgery_fools_a_weak_challenge_but_not_ours() -> None:
    s, K = _keys()
    ct, proof = _bpw_forgery(K)
    _weak_verify(K, ct, proof)  # the weakened check accepts the forgery ...
    M = decrypt_to_point(ct, s)
    assert M not in (small_multiple(0), small_multiple(1))  # ... of a value that is not 0 or 1
    with pytest.raises(InvalidProof):  # ... and the production check refuses it.
        verify_membership(Tag.PROOF01, CTX, K, ct, (0, 1), proof)


# -- Schnorr and Chaum-Pedersen -----------------------------------------------


def test_schnorr_proofs() -> None:
    a = Scalar.random()
    C = a * G
    proof = prove_schnorr(("congress", 1, 0), a, Scalar.random)
    verify_schnorr(("congress", 1, 0), C, proof)
    for ctx in [("congress", 2, 0), ("congress", 1, 1), ("other", 1, 0)]:
        with pytest.raises(InvalidProof):
            verify_schnorr(ctx, C, proof)
    with pytest.raises(InvalidProof):
        verify_schnorr(("congress", 1, 0), Scalar.random() * G, proof)
    bad = CompactProof(proof.challenge, proof.response + Scalar.from_int(1))
    with pytest.raises(InvalidProof):
        verify_schnorr(("congress", 1, 0), C, bad)


def test_rogue_key_without_proof_of_knowledge_is_refused() -> None:
    # T-5.a: a "cancelling" key C = X - (others) has no known discrete log, so any
    # proof offered for it (here one made for another key) fails.
    others = Scalar.random() * G
    target = Scalar.random() * G
    rogue = target - others
    a = Scalar.random()
    proof = prove_schnorr(("congress", 3, 0), a, Scalar.random)
    with pytest.raises(InvalidProof):
        verify_schnorr(("congress", 3, 0), rogue, proof)


def test_decryption_proofs() -> None:
    s = Scalar.random()
    Kj = s * G
    A = Scalar.random() * G
    ctx = (ROUND, 2, 0)
    D, proof = prove_decryption(ctx, s, A, Scalar.random)
    verify_decryption(ctx, Kj, A, D, proof)
    wrong_D = D + G  # a lying share
    with pytest.raises(InvalidProof):
        verify_decryption(ctx, Kj, A, wrong_D, proof)
    with pytest.raises(InvalidProof):
        verify_decryption((ROUND, 3, 0), Kj, A, D, proof)
    with pytest.raises(InvalidProof):
        verify_decryption((ROUND, 2, 1), Kj, A, D, proof)
    # T-1.d: a Schnorr proof is not a decryption proof.
    schnorr = prove_schnorr(ctx, s, Scalar.random)
    with pytest.raises(InvalidProof):
        verify_decryption(ctx, Kj, A, D, schnorr)


def test_hs_is_reduced() -> None:
    assert int(Hs(Tag.PROOF01, b"x")) < L

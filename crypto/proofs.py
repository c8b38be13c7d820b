"""Zero-knowledge proofs (PROTOCOL.md sections 4, 6 and 8).

All proofs are non-interactive with strong Fiat-Shamir: the challenge hashes a
per-use tag, the context (round hash, credential, index...), the whole
statement and every commitment (docs/protocol.md lists the exact inputs).
Proofs travel in the compact form (challenges and responses); the verifier
recomputes every commitment and checks the challenge. Verification raises
``InvalidProof``.

* ``prove_membership``/``verify_membership``: disjunctive Chaum-Pedersen proof
  that ``(A, B)`` encrypts one of the public integers ``allowed[0..m-1]``
  under ``K``. For branch ``j``:
  ``a_j = v_j*G - c_j*A``, ``b_j = v_j*K - c_j*(B - allowed[j]*G)`` and
  ``sum_j c_j = Hs(tag, *context, K, A, B, a_0, b_0, ..., a_{m-1}, b_{m-1})``.
  The 0/1 proof of PROTOCOL.md is the case ``allowed = (0, 1)``.
* ``prove_schnorr``/``verify_schnorr``: knowledge of ``a`` with ``C = a*G``;
  ``U = v*G - c*C``, ``c = Hs(schnorr, *context, C, U)``.
* ``prove_decryption``/``verify_decryption``: Chaum-Pedersen proof that
  ``log_G K_j = log_A D_j``; ``a = v*G - c*K_j``, ``b = v*A - c*D_j``,
  ``c = Hs(decrypt, *context, K_j, A, D_j, a, b)``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from crypto.elgamal import Ciphertext
from crypto.encoding import require_keys, require_list, scalar_from_hex
from crypto.errors import InvalidProof
from crypto.group import G, Point, Scalar, msm_vartime, msm_vartime_many
from crypto.hashing import HashItem, Hs, Tag

__all__ = [
    "CompactProof",
    "MembershipProof",
    "prove_decryption",
    "prove_membership",
    "prove_schnorr",
    "verify_decryption",
    "verify_membership",
    "verify_schnorr",
]

Rand = Callable[[], Scalar]


@dataclass(frozen=True, slots=True)
class MembershipProof:
    """A disjunctive proof: one challenge and one response per allowed value."""

    challenges: tuple[Scalar, ...]
    responses: tuple[Scalar, ...]

    def to_json(self) -> dict[str, list[str]]:
        return {
            "c": [c.hex() for c in self.challenges],
            "v": [v.hex() for v in self.responses],
        }

    @classmethod
    def from_json(cls, obj: Any, branches: int) -> MembershipProof:
        """Strictly decode ``{"c": [...], "v": [...]}`` with ``branches`` entries each."""
        require_keys(obj, {"c", "v"}, "proof")
        cs = require_list(obj["c"], "proof.c", branches)
        vs = require_list(obj["v"], "proof.v", branches)
        return cls(
            tuple(scalar_from_hex(c, "proof.c") for c in cs),
            tuple(scalar_from_hex(v, "proof.v") for v in vs),
        )


@dataclass(frozen=True, slots=True)
class CompactProof:
    """A single-branch proof ``(c, v)``: Schnorr or Chaum-Pedersen."""

    challenge: Scalar
    response: Scalar

    def to_json(self) -> dict[str, str]:
        return {"c": self.challenge.hex(), "v": self.response.hex()}

    @classmethod
    def from_json(cls, obj: Any) -> CompactProof:
        require_keys(obj, {"c", "v"}, "proof")
        return cls(scalar_from_hex(obj["c"], "proof.c"), scalar_from_hex(obj["v"], "proof.v"))


def prove_membership(
    tag: str,
    context: Sequence[HashItem],
    K: Point,
    ct: Ciphertext,
    allowed: Sequence[int],
    index: int,
    r: Scalar,
    rand: Rand,
) -> MembershipProof:
    """Prove that ``ct = encrypt(allowed[index], K, r)`` encrypts a member of ``allowed``.

    The prover knows ``r``, so a simulated branch ``j`` needs no multiplication
    of the ciphertext: with ``w_j`` random, ``a_j = w_j*G`` and
    ``b_j = w_j*K - c_j*(m - allowed[j])*G``, and ``v_j = w_j + c_j*r``.
    Draw order (shared with JS): for j in order, the real branch draws ``u``;
    a simulated branch draws ``c_j`` then ``w_j``.
    """
    if not 0 <= index < len(allowed):
        raise ValueError("index is not a branch of the proof")
    m = allowed[index]
    zero = Scalar.from_int(0)
    commitments: list[Point] = []
    challenges = [zero] * len(allowed)
    responses = [zero] * len(allowed)
    simulated_sum = zero
    u = zero
    for j, mj in enumerate(allowed):
        if j == index:
            u = rand()
            commitments += [u * G, u * K]
        else:
            cj = rand()
            wj = rand()
            delta = Scalar.from_int(m - mj)
            commitments += [wj * G, wj * K - (cj * delta) * G]
            challenges[j] = cj
            responses[j] = wj + cj * r
            simulated_sum = simulated_sum + cj
    c = Hs(tag, *context, K, ct.A, ct.B, *commitments)
    challenges[index] = c - simulated_sum
    responses[index] = u + challenges[index] * r
    return MembershipProof(tuple(challenges), tuple(responses))


def verify_membership(
    tag: str,
    context: Sequence[HashItem],
    K: Point,
    ct: Ciphertext,
    allowed: Sequence[int],
    proof: MembershipProof,
) -> None:
    """Raise ``InvalidProof`` unless ``proof`` shows ``ct`` encrypts a member of ``allowed``."""
    if len(proof.challenges) != len(allowed) or len(proof.responses) != len(allowed):
        raise InvalidProof("proof has the wrong number of branches")
    # a_j = v_j*G - c_j*A and b_j = v_j*K - c_j*(B - m_j*G) = v_j*K - c_j*B + (c_j*m_j)*G:
    # multi-scalar multiplications of public values over the points (A, B, K).
    zero = Scalar.from_int(0)
    rows: list[tuple[tuple[Scalar, Scalar, Scalar], Scalar | None]] = []
    total: Scalar | None = None
    for mj, cj, vj in zip(allowed, proof.challenges, proof.responses, strict=True):
        neg_c = -cj
        rows.append(((neg_c, zero, zero), vj))
        rows.append(((zero, neg_c, vj), cj * Scalar.from_int(mj)))
        total = cj if total is None else total + cj
    commitments = msm_vartime_many((ct.A, ct.B, K), rows)
    if total != Hs(tag, *context, K, ct.A, ct.B, *commitments):
        raise InvalidProof("challenge does not match the statement")


def prove_schnorr(context: Sequence[HashItem], secret: Scalar, rand: Rand) -> CompactProof:
    """Prove knowledge of ``secret`` for ``C = secret*G`` (key-ceremony coefficients)."""
    C = secret * G
    u = rand()
    c = Hs(Tag.SCHNORR, *context, C, u * G)
    return CompactProof(c, u + c * secret)


def verify_schnorr(context: Sequence[HashItem], C: Point, proof: CompactProof) -> None:
    """Raise ``InvalidProof`` unless ``proof`` shows knowledge of ``log_G C``."""
    U = msm_vartime([(-proof.challenge, C)], proof.response)
    if proof.challenge != Hs(Tag.SCHNORR, *context, C, U):
        raise InvalidProof("Schnorr proof does not verify")


def prove_decryption(
    context: Sequence[HashItem], secret: Scalar, A: Point, rand: Rand
) -> tuple[Point, CompactProof]:
    """Return ``D = secret*A`` and a proof that ``log_G(secret*G) = log_A D``."""
    D = secret * A
    Kj = secret * G
    u = rand()
    c = Hs(Tag.DECRYPT, *context, Kj, A, D, u * G, u * A)
    return D, CompactProof(c, u + c * secret)


def verify_decryption(
    context: Sequence[HashItem], Kj: Point, A: Point, D: Point, proof: CompactProof
) -> None:
    """Raise ``InvalidProof`` unless ``log_G Kj = log_A D``."""
    c, v = proof.challenge, proof.response
    neg_c = -c
    zero = Scalar.from_int(0)
    a, b = msm_vartime_many((Kj, A, D), [((neg_c, zero, zero), v), ((zero, v, neg_c), None)])
    if c != Hs(Tag.DECRYPT, *context, Kj, A, D, a, b):
        raise InvalidProof("decryption proof does not verify")

"""The guardians' key ceremony (PROTOCOL.md section 4).

Guardian ``i`` (1..n) picks a polynomial ``f_i`` of degree ``t-1`` over
``Z_L``, publishes ``C_ik = a_ik*G`` with a Schnorr proof of knowledge of each
``a_ik`` (context ``(congress_id, i, k)``), and sends ``f_i(j)`` to guardian
``j`` in an ECIES box (``crypto.ecies``). Guardian ``j`` checks every received
share: ``f_i(j)*G == sum_k j^k * C_ik``. The public result is the joint key
``K = sum_i C_i0`` and each guardian's public share
``K_j = sum_i sum_k j^k * C_ik``; guardian ``j``'s secret share is
``s_j = sum_i f_i(j)`` and never leaves the guardian's device.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from crypto.encoding import point_from_hex, require_int, require_keys, require_list
from crypto.errors import InvalidProof, InvalidShare
from crypto.group import IDENTITY, G, Point, Scalar
from crypto.proofs import CompactProof, prove_schnorr, verify_schnorr

__all__ = [
    "GuardianCommitments",
    "Polynomial",
    "default_threshold",
    "joint_key",
    "public_share",
    "verify_commitments",
    "verify_share",
]

Rand = Callable[[], Scalar]
MAX_GUARDIANS = 64


def default_threshold(n: int) -> int:
    """The default threshold ``t = n//2 + 1``."""
    if not 1 <= n <= MAX_GUARDIANS:
        raise ValueError(f"a counting board has 1..{MAX_GUARDIANS} members")
    return n // 2 + 1


def _check_index(i: int, what: str) -> None:
    if isinstance(i, bool) or not isinstance(i, int) or not 1 <= i <= MAX_GUARDIANS:
        raise ValueError(f"{what} is a guardian index 1..{MAX_GUARDIANS}")


@dataclass(frozen=True, slots=True)
class GuardianCommitments:
    """What guardian ``index`` publishes: ``C_ik`` and a proof of knowledge for each."""

    index: int
    commitments: tuple[Point, ...]
    proofs: tuple[CompactProof, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "commitments": [c.hex() for c in self.commitments],
            "proofs": [p.to_json() for p in self.proofs],
        }

    @classmethod
    def from_json(cls, obj: Any, threshold: int) -> GuardianCommitments:
        if not 1 <= threshold <= MAX_GUARDIANS:
            raise ValueError("threshold out of range")
        require_keys(obj, {"index", "commitments", "proofs"}, "guardian commitments")
        index = require_int(obj["index"], "guardian.index", 1, MAX_GUARDIANS)
        cs = require_list(obj["commitments"], "guardian.commitments", threshold)
        ps = require_list(obj["proofs"], "guardian.proofs", threshold)
        return cls(
            index,
            tuple(point_from_hex(c, "guardian.commitment") for c in cs),
            tuple(CompactProof.from_json(p) for p in ps),
        )


class Polynomial:
    """A guardian's secret polynomial ``f(x) = sum_k a_k x^k`` (never leaves the device)."""

    __slots__ = ("_coefficients",)

    def __init__(self, coefficients: Sequence[Scalar]) -> None:
        if not coefficients or any(a.is_zero() for a in coefficients):
            raise ValueError("coefficients are non-zero scalars")
        self._coefficients = tuple(coefficients)

    @classmethod
    def random(cls, threshold: int, rand: Rand = Scalar.random) -> Polynomial:
        if not 1 <= threshold <= MAX_GUARDIANS:
            raise ValueError("threshold out of range")
        return cls([rand() for _ in range(threshold)])

    @property
    def threshold(self) -> int:
        return len(self._coefficients)

    def evaluate(self, x: int) -> Scalar:
        """``f(x)`` by Horner's rule in ``Z_L``."""
        _check_index(x, "x")
        xs = Scalar.from_int(x)
        acc = Scalar.from_int(0)
        for a in reversed(self._coefficients):
            acc = acc * xs + a
        return acc

    def commit(
        self, congress_id: str, index: int, rand: Rand = Scalar.random
    ) -> GuardianCommitments:
        """``C_k = a_k*G`` with Schnorr proofs bound to ``(congress_id, index, k)``."""
        _check_index(index, "index")
        commitments = tuple(a * G for a in self._coefficients)
        proofs = tuple(
            prove_schnorr((congress_id, index, k), a, rand)
            for k, a in enumerate(self._coefficients)
        )
        return GuardianCommitments(index, commitments, proofs)

    def __repr__(self) -> str:
        return f"Polynomial(threshold={self.threshold})"


def verify_commitments(congress_id: str, published: GuardianCommitments) -> None:
    """Check every proof of knowledge; raise ``InvalidProof`` naming the coefficient."""
    for k, (C, proof) in enumerate(zip(published.commitments, published.proofs, strict=True)):
        try:
            verify_schnorr((congress_id, published.index, k), C, proof)
        except InvalidProof as e:
            raise InvalidProof(
                f"guardian {published.index}: proof of coefficient {k} does not verify"
            ) from e


def _evaluate_in_exponent(commitments: Sequence[Point], j: int) -> Point:
    # sum_k j^k * C_k by Horner's rule: C_0 + j*(C_1 + j*(C_2 + ...)).
    js = Scalar.from_int(j)
    acc = commitments[-1]
    for C in reversed(commitments[:-1]):
        acc = js * acc + C
    return acc


def verify_share(j: int, share: Scalar, dealer: GuardianCommitments) -> None:
    """Raise ``InvalidShare`` unless ``share*G == sum_k j^k * C_ik`` (guardian ``j``'s check)."""
    _check_index(j, "j")
    if share * G != _evaluate_in_exponent(dealer.commitments, j):
        raise InvalidShare(f"share from guardian {dealer.index} to {j} fails its commitments")


def joint_key(all_commitments: Sequence[GuardianCommitments]) -> Point:
    """``K = sum_i C_i0``."""
    K = IDENTITY
    for g in all_commitments:
        K = g.commitments[0] if K.is_identity() else K + g.commitments[0]
    return K


def public_share(j: int, all_commitments: Sequence[GuardianCommitments]) -> Point:
    """``K_j = sum_i sum_k j^k * C_ik``, guardian ``j``'s public key share."""
    _check_index(j, "j")
    acc: Point | None = None
    for g in all_commitments:
        term = _evaluate_in_exponent(g.commitments, j)
        acc = term if acc is None else acc + term
    if acc is None:
        raise ValueError("no commitments")
    return acc

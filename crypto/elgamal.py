"""Exponential ElGamal on the group (PROTOCOL.md section 6).

``encrypt(m, K, r) = (A, B) = (r*G, m*G + r*K)``; ciphertexts add
component-wise and the sum encrypts the sum. ``m = 0`` gives ``B = r*K``
(libsodium will not multiply by zero).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from crypto.errors import EncodingError
from crypto.group import G, Point, Scalar, msm_vartime, small_multiple, sum_points

__all__ = ["Ciphertext", "combine", "decrypt_to_point", "encrypt", "sum_ciphertexts"]


@dataclass(frozen=True, slots=True)
class Ciphertext:
    """An ElGamal pair ``(A, B)``."""

    A: Point
    B: Point

    def __add__(self, other: Ciphertext) -> Ciphertext:
        return Ciphertext(self.A + other.A, self.B + other.B)

    def to_json(self) -> dict[str, str]:
        return {"A": self.A.hex(), "B": self.B.hex()}

    @classmethod
    def from_json(cls, obj: Any) -> Ciphertext:
        """Strictly decode ``{"A": hex, "B": hex}``; both must be valid group points."""
        from crypto.encoding import point_from_hex, require_keys

        require_keys(obj, {"A", "B"}, "ciphertext")
        return cls(point_from_hex(obj["A"]), point_from_hex(obj["B"]))


def encrypt(m: int, K: Point, r: Scalar) -> Ciphertext:
    """Encrypt the small non-negative integer ``m`` under ``K`` with randomness ``r``."""
    if m < 0:
        raise ValueError("only non-negative messages are encrypted")
    if r.is_zero():
        raise ValueError("encryption randomness must be non-zero")
    rK = r * K
    B = rK if m == 0 else small_multiple(m) + rK
    return Ciphertext(r * G, B)


def sum_ciphertexts(cts: Iterable[Ciphertext]) -> Ciphertext:
    """The component-wise sum; the empty sum is ``(0*G, 0*G)``."""
    items = list(cts)
    return Ciphertext(sum_points([c.A for c in items]), sum_points([c.B for c in items]))


def _linear_combination(weights: Sequence[int], points: Sequence[Point]) -> Point:
    # Ciphertexts and weights are public, so the variable-time helpers apply.
    ones = [P for w, P in zip(weights, points, strict=True) if w == 1]
    heavy = [(Scalar.from_int(w), P) for w, P in zip(weights, points, strict=True) if w > 1]
    for start in range(0, len(heavy), 8):
        ones.append(msm_vartime(heavy[start : start + 8]))
    return sum_points(ones)


def combine(weights: Sequence[int], cts: Sequence[Ciphertext]) -> Ciphertext:
    """``sum_i w_i * ct_i`` for public non-negative integer weights.

    Weight 1 is an addition and weight 0 is skipped, so the usual forms cost
    almost no multiplications.
    """
    if len(weights) != len(cts):
        raise ValueError("one weight per ciphertext")
    if any(w < 0 for w in weights):
        raise ValueError("weights are non-negative")
    if not any(weights):
        raise EncodingError("a combination needs at least one non-zero weight")
    return Ciphertext(
        _linear_combination(weights, [c.A for c in cts]),
        _linear_combination(weights, [c.B for c in cts]),
    )


def decrypt_to_point(ct: Ciphertext, secret: Scalar) -> Point:
    """``B - secret*A`` = ``m*G`` (single-key decryption, for tests and the guardians' check)."""
    return ct.B - secret * ct.A

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
from crypto.group import IDENTITY, G, Point, Scalar, small_multiple

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
    A = IDENTITY
    B = IDENTITY
    first = True
    for ct in cts:
        if first:
            A, B, first = ct.A, ct.B, False
        else:
            A, B = A + ct.A, B + ct.B
    return Ciphertext(A, B)


def combine(weights: Sequence[int], cts: Sequence[Ciphertext]) -> Ciphertext:
    """``sum_i w_i * ct_i`` for public non-negative integer weights.

    Weight 1 is an addition and weight 0 is skipped, so the usual forms cost
    almost no multiplications.
    """
    if len(weights) != len(cts):
        raise ValueError("one weight per ciphertext")
    terms: list[Ciphertext] = []
    for w, ct in zip(weights, cts, strict=True):
        if w < 0:
            raise ValueError("weights are non-negative")
        if w == 0:
            continue
        if w == 1:
            terms.append(ct)
        else:
            s = Scalar.from_int(w)
            terms.append(Ciphertext(s * ct.A, s * ct.B))
    if not terms:
        raise EncodingError("a combination needs at least one non-zero weight")
    return sum_ciphertexts(terms)


def decrypt_to_point(ct: Ciphertext, secret: Scalar) -> Point:
    """``B - secret*A`` = ``m*G`` (single-key decryption, for tests and the guardians' check)."""
    return ct.B - secret * ct.A

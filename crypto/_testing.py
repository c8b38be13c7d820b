"""Deterministic randomness for test vectors and simulations (never for real ballots).

``test_rand(seed)`` returns a function whose i-th call (from 0) returns
``Hs("dh-vote/v1/test-rng", seed, i)``; the JavaScript twin has the same
helper, so both sides draw the same scalars in the same order.
"""

from __future__ import annotations

from collections.abc import Callable

from crypto.group import Scalar
from crypto.hashing import H, Hs, Tag

__all__ = ["test_bytes", "test_rand"]


def test_rand(seed: str) -> Callable[[], Scalar]:
    counter = 0

    def draw() -> Scalar:
        nonlocal counter
        s = Hs(Tag.TEST_RNG, seed, counter)
        counter += 1
        return s

    return draw


def test_bytes(seed: str, n: int) -> bytes:
    """``n`` (<= 64) deterministic bytes: ``H("dh-vote/v1/test-rng", seed, "bytes")[:n]``."""
    return H(Tag.TEST_RNG, seed, "bytes")[:n]

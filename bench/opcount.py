"""Count group operations while a benchmarked call runs (bench only, never in the app).

The counters wrap ``Point.__rmul__``, ``Point.__add__``/``__sub__`` and
``Point.decode`` (PyNaCl's operations), and the native verifier arithmetic of
``crypto._dhgroup`` (each output of ``dh_msm_many`` by shape, ``dh_sum`` by
points summed),
for the duration of a ``with counting() as ops`` block, so a figure can be set
against its op-count floor: the number of each operation times its own cost
measured in the same run.

Keys: ``base_mul``, ``var_mul``, ``add``, ``decode``; ``msm:<n>`` or
``msm:<n>+G`` (one multi-scalar multiplication of ``n`` variable points, plus
the base point); ``sum_point`` (one point fed to a native sum).
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterator
from typing import Any

from crypto import group
from crypto.group import Point


def msm_key(n: int, with_base: bool) -> str:
    return f"msm:{n}{'+G' if with_base else ''}"


class _CountingLib:
    """Stands in for ``crypto.group._lib`` and counts the native calls."""

    def __init__(self, lib: Any, ops: Counter[str]) -> None:
        self._lib = lib
        self._ops = ops

    def dh_msm_many(
        self, out: Any, n_points: int, points: Any, n_out: int, scalars: bytes, bases: Any
    ) -> int:
        # One count per output, keyed by its shape (its non-zero scalars), as if computed alone.
        zero = bytes(32)
        for o in range(n_out):
            row = scalars[32 * n_points * o : 32 * n_points * (o + 1)]
            n = sum(1 for j in range(n_points) if row[32 * j : 32 * j + 32] != zero)
            with_base = bases != group._ffi.NULL and bases[32 * o : 32 * o + 32] != zero
            self._ops[msm_key(n, with_base)] += 1
        return int(self._lib.dh_msm_many(out, n_points, points, n_out, scalars, bases))

    def dh_sum(self, out: Any, n: int, points: Any) -> int:
        self._ops["sum_point"] += n
        return int(self._lib.dh_sum(out, n, points))


@contextlib.contextmanager
def counting() -> Iterator[Counter[str]]:
    ops: Counter[str] = Counter()
    orig_rmul, orig_add, orig_sub = Point.__rmul__, Point.__add__, Point.__sub__
    orig_decode = Point.decode.__func__  # type: ignore[attr-defined]
    orig_lib = group._lib

    def rmul(self: Point, scalar: group.Scalar) -> Point:
        if not scalar.is_zero() and not self.is_identity():
            ops["base_mul" if self is group.G else "var_mul"] += 1
        return orig_rmul(self, scalar)

    def add(self: Point, other: Point) -> Point:
        ops["add"] += 1
        return orig_add(self, other)

    def sub(self: Point, other: Point) -> Point:
        ops["add"] += 1
        return orig_sub(self, other)

    def decode(cls: type[Point], data: bytes) -> Point:
        ops["decode"] += 1
        return orig_decode(cls, data)

    Point.__rmul__ = rmul  # type: ignore[method-assign]
    Point.__add__ = add  # type: ignore[method-assign]
    Point.__sub__ = sub  # type: ignore[method-assign]
    Point.decode = classmethod(decode)  # type: ignore[method-assign,assignment]
    if orig_lib is not None:
        group._lib = _CountingLib(orig_lib, ops)
    try:
        yield ops
    finally:
        Point.__rmul__ = orig_rmul  # type: ignore[method-assign]
        Point.__add__ = orig_add  # type: ignore[method-assign]
        Point.__sub__ = orig_sub  # type: ignore[method-assign]
        Point.decode = classmethod(orig_decode)  # type: ignore[method-assign,assignment]
        group._lib = orig_lib

"""Count group operations while a benchmarked call runs (bench only, never in the app).

The counters wrap ``Point.__rmul__``, ``Point.__add__``/``__sub__`` and
``Point.decode`` for the duration of a ``with counting() as ops`` block, so a
figure can be set against its op-count floor: the number of each operation
times its own cost measured in the same run.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterator

from crypto import group
from crypto.group import Point


@contextlib.contextmanager
def counting() -> Iterator[Counter[str]]:
    ops: Counter[str] = Counter()
    orig_rmul, orig_add, orig_sub = Point.__rmul__, Point.__add__, Point.__sub__
    orig_decode = Point.decode.__func__  # type: ignore[attr-defined]

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
    try:
        yield ops
    finally:
        Point.__rmul__ = orig_rmul  # type: ignore[method-assign]
        Point.__add__ = orig_add  # type: ignore[method-assign]
        Point.__sub__ = orig_sub  # type: ignore[method-assign]
        Point.decode = classmethod(orig_decode)  # type: ignore[method-assign,assignment]

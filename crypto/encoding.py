"""Strict decoding of the JSON wire format (docs/protocol.md "Encodings").

Bytes travel as lowercase hex of an exact length. Every helper raises
``EncodingError`` (or ``InvalidPoint``/``InvalidScalar``) on the first
deviation; none guesses.
"""

from __future__ import annotations

from collections.abc import Set
from typing import Any

from crypto.errors import EncodingError
from crypto.group import Point, Scalar

__all__ = [
    "bytes_from_hex",
    "point_from_hex",
    "require_int",
    "require_keys",
    "require_list",
    "scalar_from_hex",
]

_HEX = frozenset("0123456789abcdef")


def bytes_from_hex(value: Any, length: int, what: str = "value") -> bytes:
    """Decode lowercase hex of exactly ``length`` bytes."""
    if not isinstance(value, str):
        raise EncodingError(f"{what}: expected a hex string")
    if len(value) != 2 * length or not _HEX.issuperset(value):
        raise EncodingError(f"{what}: expected {length} bytes as lowercase hex")
    return bytes.fromhex(value)


def point_from_hex(value: Any, what: str = "point") -> Point:
    return Point.decode(bytes_from_hex(value, 32, what))


def scalar_from_hex(value: Any, what: str = "scalar") -> Scalar:
    return Scalar.decode(bytes_from_hex(value, 32, what))


def require_keys(obj: Any, keys: Set[str], what: str) -> dict[str, Any]:
    """Require a JSON object with exactly ``keys``."""
    if not isinstance(obj, dict):
        raise EncodingError(f"{what}: expected an object")
    if set(obj) != set(keys):
        missing = sorted(set(keys) - set(obj))
        extra = sorted(set(obj) - set(keys))
        raise EncodingError(f"{what}: missing keys {missing}, unexpected keys {extra}")
    return obj


def require_list(value: Any, what: str, length: int | None = None) -> list[Any]:
    if not isinstance(value, list):
        raise EncodingError(f"{what}: expected an array")
    if length is not None and len(value) != length:
        raise EncodingError(f"{what}: expected {length} items, got {len(value)}")
    return value


def require_int(value: Any, what: str, lo: int = 0, hi: int = 2**53 - 1) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not lo <= value <= hi:
        raise EncodingError(f"{what}: expected an integer in [{lo}, {hi}]")
    return value

"""JSON in and out of the record: deterministic pretty output and strict, located input.

Output (``dump_json``): the value is first checked by ``crypto.canonical_json`` (only
strings, safe integers, booleans, null, arrays and objects; ASCII keys; no lone
surrogates), then written as UTF-8 with sorted keys, two-space indentation, no ASCII
escaping and one final newline. One value therefore has exactly one file content, and the
hashes of the record (``crypto.round_hash``, ``crypto.congress_hash``...) are taken over the
canonical JSON of the same value, never over these bytes.

Input (``load_json``) goes through ``crypto.parse_json`` (no duplicate keys, no floats,
no NaN, size limit). ``Node`` then walks the parsed value and decodes each field strictly
through crypto's decoders, raising ``RecordFormatError`` with the file and the JSON path of
the first field that does not decode.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from enum import Enum
from typing import Any, TypeVar

from crypto import CryptoError, Point, Scalar, canonical_json, parse_json
from crypto.canonical import MAX_SAFE_INTEGER
from crypto.credential import check_public_credential
from crypto.encoding import bytes_from_hex, point_from_hex, scalar_from_hex
from election.record.errors import RecordFormatError
from election.rules import RulesError

__all__ = ["JsonObject", "Node", "dump_json", "load_json"]

JsonObject = dict[str, Any]
T = TypeVar("T")
E = TypeVar("E", bound=Enum)

#: Identifiers (congress, contest, round, candidate and person ids) are short ASCII words.
IDENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}")
#: Longest free text accepted in any field (names, titles, trace lines).
MAX_TEXT = 4000


def dump_json(value: Any) -> bytes:
    """The record's file bytes for ``value``: canonical content, pretty layout, final newline."""
    canonical_json(value)  # refuses floats, unsafe integers, non-ASCII keys, lone surrogates
    text = json.dumps(value, sort_keys=True, indent=2, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def load_json(data: bytes, file: str, *, max_bytes: int) -> Any:
    """Parse one record file strictly; raise ``RecordFormatError`` naming ``file``."""
    try:
        return parse_json(data, max_bytes=max_bytes)
    except CryptoError as e:
        raise RecordFormatError(f"not strict JSON: {e}", file=file) from e


class Node:
    """A parsed JSON value with its location, and strict decoders for it.

    Every decoder raises ``RecordFormatError(file=..., where=<JSON path>)`` on the first
    deviation; crypto's own errors are wrapped with the path added.
    """

    __slots__ = ("file", "path", "value")

    def __init__(self, value: Any, file: str, path: str = "$") -> None:
        self.value = value
        self.file = file
        self.path = path

    # -- errors and navigation -------------------------------------------------------
    def error(self, message: str) -> RecordFormatError:
        return RecordFormatError(message, file=self.file, where=self.path)

    def obj(self, keys: Iterable[str]) -> Node:
        """Require an object with exactly ``keys``; return ``self`` for chaining."""
        if not isinstance(self.value, dict):
            raise self.error("expected an object")
        wanted = set(keys)
        if set(self.value) != wanted:
            missing = sorted(wanted - set(self.value))
            extra = sorted(set(self.value) - wanted)
            raise self.error(f"missing keys {missing}, unexpected keys {extra}")
        return self

    def __getitem__(self, key: str) -> Node:
        if not isinstance(self.value, dict) or key not in self.value:
            raise self.error(f"missing key {key!r}")
        return Node(self.value[key], self.file, f"{self.path}.{key}")

    def items(self, length: int | None = None, *, max_items: int = 10_000_000) -> list[Node]:
        """Require an array (of ``length`` items if given) and return its items as nodes."""
        if not isinstance(self.value, list):
            raise self.error("expected an array")
        if length is not None and len(self.value) != length:
            raise self.error(f"expected {length} items, got {len(self.value)}")
        if len(self.value) > max_items:
            raise self.error(f"more than {max_items} items")
        return [Node(v, self.file, f"{self.path}[{i}]") for i, v in enumerate(self.value)]

    # -- scalars ------------------------------------------------------------------------
    def text(self, *, max_chars: int = MAX_TEXT) -> str:
        """A non-empty string without leading or trailing white space."""
        v = self.value
        if not isinstance(v, str) or not v or v != v.strip() or len(v) > max_chars:
            raise self.error(f"expected non-empty trimmed text of at most {max_chars} characters")
        return v

    def ident(self) -> str:
        """An identifier: 1-64 ASCII letters, digits and ``_.:-``, starting alphanumeric."""
        v = self.value
        if not isinstance(v, str) or not IDENT.fullmatch(v):
            raise self.error("expected an identifier (ASCII letters, digits, _ . : -)")
        return v

    def integer(self, lo: int = 0, hi: int = MAX_SAFE_INTEGER) -> int:
        v = self.value
        if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
            raise self.error(f"expected an integer in [{lo}, {hi}]")
        return v

    def boolean(self) -> bool:
        if not isinstance(self.value, bool):
            raise self.error("expected true or false")
        return self.value

    def is_null(self) -> bool:
        return self.value is None

    def choice(self, enum: type[E]) -> E:
        """A member of a string enum, by value."""
        try:
            return enum(self.value)
        except ValueError:
            allowed = ", ".join(str(m.value) for m in enum)
            raise self.error(f"expected one of: {allowed}") from None

    def literal(self, expected: str) -> str:
        if self.value != expected:
            raise self.error(f"expected {expected!r}")
        return expected

    # -- crypto decoders ------------------------------------------------------------------
    def hexbytes(self, length: int) -> bytes:
        return self.decode(lambda v: bytes_from_hex(v, length, self.path))

    def point(self) -> Point:
        return self.decode(lambda v: point_from_hex(v, self.path))

    def scalar(self) -> Scalar:
        return self.decode(lambda v: scalar_from_hex(v, self.path))

    def ed25519_key(self) -> bytes:
        """A 32-byte Ed25519 public key, strictly checked (``crypto.check_public_credential``)."""
        key = self.hexbytes(32)
        self.decode(lambda _: check_public_credential(key))
        return key

    def decode(self, decoder: Callable[[Any], T]) -> T:
        """Run ``decoder`` on the raw value, turning its refusals into ``RecordFormatError``.

        Crypto's ``CryptoError``, the rules' ``RulesError`` and the ``ValueError`` /
        ``TypeError`` that constructors raise on impossible values are all refusals of
        untrusted input here.
        """
        try:
            return decoder(self.value)
        except RecordFormatError:
            raise
        except (CryptoError, RulesError, ValueError, TypeError, KeyError) as e:
            raise self.error(f"{type(e).__name__}: {e}") from e

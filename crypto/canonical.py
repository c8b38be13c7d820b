"""Canonical JSON (PROTOCOL.md section 2; docs/protocol.md "Canonical JSON").

One object has exactly one byte string: UTF-8, object keys sorted, no
insignificant white space, and only strings, integers, booleans, null, arrays
and objects. The JavaScript twin (``canonical.js``) produces the same bytes:
keys are restricted to ASCII so both languages sort them alike, integers to the
range JavaScript numbers hold exactly, and lone surrogates are refused.
"""

from __future__ import annotations

import json
from typing import Any

from crypto.errors import EncodingError

__all__ = ["MAX_DEPTH", "MAX_SAFE_INTEGER", "canonical_json", "parse_json"]

MAX_SAFE_INTEGER = 2**53 - 1
#: The deepest nesting accepted, the same on both sides (JS: ``MAX_DEPTH``).
MAX_DEPTH = 512


def _check(value: Any, path: str, depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        raise EncodingError(f"nesting deeper than {MAX_DEPTH} at {path}")
    # bool is a subclass of int in Python, so it is tested first.
    if value is None or isinstance(value, bool):
        return
    if isinstance(value, int):
        if not -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
            raise EncodingError(f"integer out of the safe range at {path}")
        return
    if isinstance(value, str):
        _check_string(value, path)
        return
    if isinstance(value, list | tuple):
        for i, item in enumerate(value):
            _check(item, f"{path}[{i}]", depth + 1)
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise EncodingError(f"object key is not a string at {path}")
            if not key.isascii():
                raise EncodingError(f"object key is not ASCII at {path}")
            _check(item, f"{path}.{key}", depth + 1)
        return
    raise EncodingError(f"type {type(value).__name__} is not allowed in canonical JSON at {path}")


def _check_string(value: str, path: str) -> None:
    # A lone surrogate cannot be encoded as UTF-8; JavaScript would emit an
    # escape for it instead, so the two sides would disagree.
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as e:
        raise EncodingError(f"string with a lone surrogate at {path}") from e


def canonical_json(value: Any) -> bytes:
    """Return the canonical JSON bytes of ``value``.

    Raises ``EncodingError`` for floats, non-ASCII keys, unsafe integers, lone
    surrogates and any type outside JSON's.
    """
    _check(value, "$")
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


def _no_constant(name: str) -> Any:
    raise EncodingError(f"non-standard JSON constant {name}")


def _no_float(text: str) -> Any:
    raise EncodingError("numbers with a fraction or exponent are not allowed")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise EncodingError(f"duplicate object key {key!r}")
        out[key] = value
    return out


def parse_json(data: bytes | str, *, max_bytes: int = 8 * 1024 * 1024) -> Any:
    """Parse untrusted JSON strictly.

    Refuses floats, NaN/Infinity, duplicate keys, unsafe integers, lone
    surrogates and documents larger than ``max_bytes``. It does not require the
    input to be canonical; callers that hash re-encode with ``canonical_json``.
    """
    if isinstance(data, bytes):
        if len(data) > max_bytes:
            raise EncodingError("JSON document too large")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            raise EncodingError("JSON is not valid UTF-8") from e
    else:
        text = data
        if len(text) > max_bytes:
            raise EncodingError("JSON document too large")
    try:
        value = json.loads(
            text,
            parse_float=_no_float,
            parse_constant=_no_constant,
            object_pairs_hook=_unique_keys,
        )
    except EncodingError:
        raise
    except (ValueError, RecursionError) as e:
        raise EncodingError(f"malformed JSON: {e}") from e
    _check(value, "$")
    return value

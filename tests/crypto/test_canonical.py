"""Canonical JSON (T-13.b) and strict parsing."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crypto import canonical_json, parse_json
from crypto.errors import EncodingError
from tests.crypto.vectors import load

CANONICAL = load("canonical")


@pytest.mark.parametrize("case", CANONICAL["valid"])
def test_canonical_vectors(case: dict[str, object]) -> None:
    assert canonical_json(case["value"]).decode() == case["canonical"]


@pytest.mark.parametrize("case", CANONICAL["invalid"], ids=lambda c: c["why"])
def test_refused_inputs(case: dict[str, str]) -> None:
    with pytest.raises(EncodingError):
        canonical_json(json.loads(case["json"]))
    with pytest.raises(EncodingError):
        parse_json(case["json"])


@pytest.mark.parametrize(
    "text",
    [
        '{"a": 1, "a": 2}',
        "NaN",
        '{"x": Infinity}',
        '{"x": 1e3}',
        "[1,",
        b"\xff\xfe".decode("latin-1"),
    ],
)
def test_parse_json_is_strict(text: str) -> None:
    with pytest.raises(EncodingError):
        parse_json(text)


def test_parse_json_refuses_oversized_documents() -> None:
    with pytest.raises(EncodingError):
        parse_json(b"[" + b"1," * 100 + b"1]", max_bytes=50)


def test_parse_json_refuses_deep_nesting_cleanly() -> None:
    with pytest.raises(EncodingError):
        parse_json("[" * 100_000 + "]" * 100_000)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53 - 1), max_value=2**53 - 1)
    | st.text(alphabet=st.characters(blacklist_categories=("Cs",))),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.text(alphabet=st.characters(max_codepoint=127), max_size=5), children, max_size=4
        )
    ),
    max_leaves=20,
)


@given(json_values)
def test_one_object_one_byte_string(value: object) -> None:
    encoded = canonical_json(value)
    assert canonical_json(parse_json(encoded)) == encoded
    assert parse_json(encoded) == value


def test_nesting_limit_is_the_same_on_both_sides() -> None:
    from crypto.canonical import MAX_DEPTH

    assert MAX_DEPTH == 512  # the JS twin's MAX_DEPTH
    ok = [[]]
    for _ in range(MAX_DEPTH - 1):
        ok = [ok]
    canonical_json(ok)
    with pytest.raises(EncodingError):
        canonical_json([ok])
    with pytest.raises(EncodingError):
        parse_json("[" * 600 + "]" * 600)

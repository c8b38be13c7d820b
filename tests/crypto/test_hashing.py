"""Domain-separated hashing: vectors (T-1.c) and unambiguous inputs."""

from __future__ import annotations

import pytest

from crypto import H, Hs, Point, Scalar, Tag
from crypto.hashing import TAGS
from tests.crypto.vectors import load

HASHING = load("hashing")


def _items(case: dict) -> list:
    out = []
    for item in case["items"]:
        ((kind, value),) = item.items()
        if kind == "bytes":
            out.append(bytes.fromhex(value))
        elif kind == "point":
            out.append(Point.decode(bytes.fromhex(value)))
        elif kind == "scalar":
            out.append(Scalar.decode(bytes.fromhex(value)))
        else:
            out.append(value)
    return out


@pytest.mark.parametrize("case", HASHING["cases"], ids=lambda c: c["tag"])
def test_hash_vectors(case: dict) -> None:
    assert H(case["tag"], *_items(case)).hex() == case["H"]
    assert Hs(case["tag"], *_items(case)).hex() == case["Hs"]


def test_tag_table_matches_vectors() -> None:
    assert {k: v for k, v in vars(Tag).items() if k.isupper()} == HASHING["tags"]
    assert len(set(TAGS)) == len(TAGS)
    assert all(t.startswith("dh-vote/v1/") for t in TAGS)


def test_length_prefix_removes_ambiguity() -> None:
    # Without length prefixes these two inputs would hash the same bytes.
    assert H(Tag.BOARD, b"ab", b"c") != H(Tag.BOARD, b"a", b"bc")
    assert H(Tag.BOARD, "1") != H(Tag.BOARD, 1)


def test_tags_separate_domains() -> None:
    assert H(Tag.PROOF01, b"x") != H(Tag.PROOF_SET, b"x")


@pytest.mark.parametrize("bad", [-1, 2**64, True, 1.5, None])
def test_bad_items_are_refused(bad: object) -> None:
    with pytest.raises((TypeError, ValueError)):
        H(Tag.BOARD, bad)  # type: ignore[arg-type]


def test_foreign_tag_is_refused() -> None:
    with pytest.raises(ValueError):
        H("other/v1/x")

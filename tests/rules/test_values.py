"""`is_whole`, the check behind every count and setting: bool is not a number here."""

from __future__ import annotations

from fractions import Fraction

import pytest

from election.rules.values import is_whole


@pytest.mark.parametrize("value", [0, 1, 54, 2**70, -3])
def test_integers_are_whole(value: int) -> None:
    assert is_whole(value)


@pytest.mark.parametrize("value", [True, False, 1.0, "1", None, Fraction(2, 1), b"\x01"])
def test_nothing_else_is(value: object) -> None:
    assert not is_whole(value)


def test_bounds_are_inclusive() -> None:
    assert is_whole(1, low=1) and not is_whole(0, low=1)
    assert is_whole(5, low=0, high=5) and not is_whole(6, low=0, high=5)
    assert not is_whole(True, low=0, high=1)  # True == 1, and still refused

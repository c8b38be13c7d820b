"""Percentages of N, exact, with a configurable display rule (R-RESULT-9)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from election.rules import (
    PercentDisplay,
    Rounding,
    format_percent_en,
    format_percent_vi,
    percent_of_base,
)

TRUNC = PercentDisplay()
HALF_UP = PercentDisplay(Rounding.HALF_UP)


@pytest.mark.parametrize(
    ("votes", "n", "trunc", "half_up"),
    [
        (2, 3, "66,66%", "66,67%"),
        (42, 82, "51,21%", "51,22%"),
        (76, 82, "92,68%", "92,68%"),
        (76, 80, "95,00%", "95,00%"),
        (80, 80, "100,00%", "100,00%"),
        (0, 80, "0,00%", "0,00%"),
        (1, 200, "0,50%", "0,50%"),
        (1, 8, "12,50%", "12,50%"),
        (1, 1600, "0,06%", "0,06%"),  # 0.0625: half up keeps 0,06 (the 5 is not the next digit)
        (1, 800, "0,12%", "0,13%"),  # 0.125
    ],
)
def test_vietnamese_display(votes: int, n: int, trunc: str, half_up: str) -> None:
    assert format_percent_vi(votes, n, TRUNC) == trunc
    assert format_percent_vi(votes, n, HALF_UP) == half_up


def test_english_variant_and_decimals() -> None:
    assert format_percent_en(2, 3, TRUNC) == "66.66%"
    assert format_percent_en(2, 3, PercentDisplay(Rounding.HALF_UP, 1)) == "66.7%"
    assert format_percent_vi(2, 3, PercentDisplay(Rounding.TRUNCATE, 0)) == "66%"
    assert format_percent_vi(2, 3, PercentDisplay(Rounding.HALF_UP, 0)) == "67%"


def test_values_stay_exact() -> None:
    assert percent_of_base(42, 82) == Fraction(2100, 41)
    assert isinstance(percent_of_base(1, 3), Fraction)


@pytest.mark.parametrize(("votes", "n"), [(-1, 10), (1, 0), (True, 10), (1.0, 10)])
def test_bad_inputs(votes: int, n: int) -> None:
    with pytest.raises(ValueError):
        percent_of_base(votes, n)


def test_bad_display() -> None:
    with pytest.raises(ValueError):
        PercentDisplay(Rounding.TRUNCATE, 7)
    with pytest.raises(TypeError):
        PercentDisplay(Rounding.TRUNCATE, 2.0)  # type: ignore[arg-type]

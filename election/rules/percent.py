"""Percentages of the majority base N and how they are displayed (R-RESULT-9).

The minutes show each candidate's votes as a percentage of N, the same base as the
threshold, not of the valid ballots. The value is kept exact (a ``Fraction``); only the
display rounds, and how it rounds is a profile setting because the convention is
UNCONFIRMED: published congress results truncate, so truncation to two decimals is the
default. Floats are never used, so 42/82 can never display as 51.22 by accident.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from election.rules.values import is_whole

__all__ = [
    "PercentDisplay",
    "Rounding",
    "format_percent",
    "format_percent_en",
    "format_percent_vi",
    "percent_of_base",
]


class Rounding(StrEnum):
    #: Drop the digits after the last shown decimal (42/82 → 51,21 %); the default.
    TRUNCATE = "truncate"
    #: Round half away from zero (42/82 → 51,22 %).
    HALF_UP = "half_up"


@dataclass(frozen=True)
class PercentDisplay:
    """The display rule: how many decimals, and how the last one is obtained."""

    rounding: Rounding = Rounding.TRUNCATE
    decimals: int = 2

    def __post_init__(self) -> None:
        Rounding(self.rounding)
        if not is_whole(self.decimals):
            raise TypeError("decimals must be an integer")
        if not 0 <= self.decimals <= 6:
            raise ValueError(f"decimals must be between 0 and 6, got {self.decimals}")


def percent_of_base(votes: int, n: int) -> Fraction:
    """``100 * votes / n`` exactly, ``n`` being the majority base N (R-RESULT-9)."""
    if not is_whole(votes, low=0):
        raise ValueError(f"votes must be a non-negative integer, got {votes!r}")
    if not is_whole(n, low=1):
        raise ValueError(f"the base must be a positive integer, got {n!r}")
    return Fraction(100 * votes, n)


def format_percent(value: Fraction, display: PercentDisplay, *, decimal_mark: str) -> str:
    """Render a non-negative exact percentage with ``display``'s rule, e.g. ``"51,21%"``."""
    if value < 0:
        raise ValueError("percentages of N are never negative")
    scale = 10**display.decimals
    scaled = value * scale
    if Rounding(display.rounding) is Rounding.TRUNCATE:
        units = scaled.numerator // scaled.denominator
    else:
        # Half up on a non-negative value is floor(x + 1/2), exact in Fractions.
        shifted = scaled + Fraction(1, 2)
        units = shifted.numerator // shifted.denominator
    whole, frac = divmod(units, scale)
    if display.decimals == 0:
        return f"{whole}%"
    return f"{whole}{decimal_mark}{frac:0{display.decimals}d}%"


def format_percent_vi(votes: int, n: int, display: PercentDisplay) -> str:
    """Vietnamese display, comma as the decimal mark: 76 of 82 → ``"92,68%"`` (R-RESULT-9)."""
    return format_percent(percent_of_base(votes, n), display, decimal_mark=",")


def format_percent_en(votes: int, n: int, display: PercentDisplay) -> str:
    """English display, point as the decimal mark: 76 of 82 → ``"92.68%"`` (R-RESULT-9)."""
    return format_percent(percent_of_base(votes, n), display, decimal_mark=".")

"""Numbers, dates, percentages and hashes in Vietnamese and English
(election/web/formatting.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from flask import Flask, render_template_string

from election.rules import PercentDisplay, Rounding
from election.web import formatting as fmt

MOMENT = datetime(2026, 11, 28, 7, 5, 9, tzinfo=UTC)  # 14:05:09 in Hà Nội (UTC+7)


@pytest.fixture
def vi(app: Flask):
    with app.test_request_context("/?lang=vi"):
        yield


@pytest.fixture
def en(app: Flask):
    with app.test_request_context("/?lang=en"):
        yield


@pytest.mark.usefixtures("vi")
def test_vietnamese() -> None:
    assert fmt.format_number(1234567) == "1.234.567"
    assert fmt.format_number(-1234) == "-1.234"
    assert fmt.format_number(Decimal("1234.5"), 2) == "1.234,50"
    assert fmt.format_number(Fraction(1, 2), 2, trim=True) == "0,5"
    assert fmt.format_number(3, 2, trim=True) == "3"
    assert fmt.format_number(None) == "—"
    assert fmt.format_datetime(MOMENT) == "28/11/2026 14:05"
    assert fmt.format_date(MOMENT) == "28/11/2026"
    assert fmt.format_date(date(2025, 6, 12)) == "12/06/2025"
    assert fmt.format_time(MOMENT) == "14:05"
    assert fmt.format_time(MOMENT, seconds=True) == "14:05:09"
    # R-RESULT-9: a share of N, truncated to two decimals by default.
    assert fmt.format_percent(42, 82) == "51,21%"
    assert fmt.format_percent(42, 82, PercentDisplay(Rounding.HALF_UP, 2)) == "51,22%"
    assert not fmt.is_english()


@pytest.mark.usefixtures("en")
def test_english() -> None:
    assert fmt.format_number(1234567) == "1,234,567"
    assert fmt.format_number(1234.5, 1) == "1,234.5"
    assert fmt.format_datetime(MOMENT) == "28 Nov 2026, 14:05"
    assert fmt.format_date(date(2025, 6, 12)) == "12 Jun 2025"
    assert fmt.format_percent(76, 82) == "92.68%"
    assert fmt.is_english()


def test_language_free_helpers() -> None:
    digest = bytes(range(32))
    assert fmt.format_hash(digest) == "0001 0203 0405 0607"
    assert fmt.format_hash("ABCDEF0123456789FF") == "abcd ef01 2345 6789"
    assert fmt.format_hash(None) == "—"
    assert [fmt.format_roman(n) for n in (3, 5, 13, 14, 2024)] == [
        "III",
        "V",
        "XIII",
        "XIV",
        "MMXXIV",
    ]
    assert fmt.format_roman(0) == "0"
    with pytest.raises(TypeError):
        fmt.format_number(True)  # type: ignore[arg-type]


def test_filters_are_registered(app: Flask) -> None:
    with app.test_request_context("/"):
        out = render_template_string(
            "{{ 1234567|number }} {{ t|datetime }} {{ 7|percent(12) }} {{ 5|roman }}", t=MOMENT
        )
    assert out == "1.234.567 28/11/2026 14:05 58,33% V"


def test_naive_times_are_refused(app: Flask) -> None:
    with app.test_request_context("/"), pytest.raises(ValueError):
        fmt.format_datetime(datetime(2026, 1, 1))

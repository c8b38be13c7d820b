"""Time limits on letters around the congress, as the rules engine computes them: R-INSP-4's
complaint period after the close and R-INSP-3's optional cut-off before the opening."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from election import rules

FRIDAY = date(2025, 6, 13)


def test_r_insp_4_fifteen_working_days_after_the_close() -> None:
    # R-INSP-4 (190 Điều 33): closed on Friday 13 June 2025 -> Friday 4 July.
    deadline = rules.complaint_deadline(FRIDAY, 15)
    assert deadline == date(2025, 7, 4)
    assert not rules.is_late(deadline, deadline)  # the deadline itself is in time
    assert rules.is_late(deadline + timedelta(days=1), deadline)
    # A holiday on a working day moves it; one on a Saturday does not.
    assert rules.complaint_deadline(FRIDAY, 15, {date(2025, 6, 30)}) == date(2025, 7, 7)
    assert rules.complaint_deadline(FRIDAY, 15, {date(2025, 6, 21)}) == date(2025, 7, 4)
    with pytest.raises(ValueError):
        rules.add_working_days(FRIDAY, -1)


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)), st.integers(0, 40))
def test_r_insp_4_working_days_are_weekdays_and_count_exactly(start: date, days: int) -> None:
    end = rules.add_working_days(start, days)
    assert end >= start
    if days:
        assert end.weekday() < 5
    counted = sum(
        1 for k in range(1, (end - start).days + 1) if (start + timedelta(days=k)).weekday() < 5
    )
    assert counted == days


def test_r_insp_3_the_cutoff_holds_letters_until_the_close() -> None:
    opens, closes = date(2025, 6, 16), date(2025, 6, 17)
    assert rules.cutoff_start(opens, None) is None
    assert rules.cutoff_start(opens, 10) == date(2025, 6, 6)
    held = rules.held_until_after_congress
    assert not held(date(2025, 6, 5), opens, None, 10)
    assert held(date(2025, 6, 6), opens, None, 10)
    assert held(date(2025, 6, 17), opens, closes, 10)
    assert not held(date(2025, 6, 18), opens, closes, 10)  # after the close: normal business
    assert not held(date(2025, 6, 10), opens, None, None)  # no cut-off: the default
    assert not held(date(2025, 6, 10), None, None, 10)  # no opening date known
    with pytest.raises(ValueError):
        rules.cutoff_start(opens, -1)

"""Time limits on letters around the congress (R-INSP-3, R-INSP-4).

* R-INSP-4: complaints about the election go to the inspection commission within
  ``working_days`` working days after the congress closes (15 in 190-QĐ/TW Điều 33). Day 1
  is the first working day after the close; working days are Monday to Friday except the
  given holidays; a letter received on the deadline is in time (``complaint_deadline``,
  ``is_late``).
* R-INSP-3 (UNCONFIRMED for party congresses; no default): with a cut-off of
  ``cutoff_days``, a letter about a named person received from that many days before the
  opening until the congress closes is not taken up before the congress
  (``held_until_after_congress``).

Dates are the congress's local dates; turning a time of arrival into one is the caller's
business (``election.services.inspection``).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta

from election.rules.values import is_whole

__all__ = [
    "add_working_days",
    "complaint_deadline",
    "cutoff_start",
    "held_until_after_congress",
    "is_late",
]


def add_working_days(start: date, days: int, holidays: Collection[date] = ()) -> date:
    """The ``days``-th working day after ``start`` (``start`` itself is not counted).

    Working days are Monday to Friday except ``holidays``. ``days == 0`` gives ``start``.
    """
    if not is_whole(days, low=0):
        raise ValueError(f"a number of working days is a non-negative integer, got {days!r}")
    current = start
    counted = 0
    while counted < days:
        current += timedelta(days=1)
        if current.weekday() < 5 and current not in holidays:
            counted += 1
    return current


def complaint_deadline(closed_on: date, working_days: int, holidays: Collection[date] = ()) -> date:
    """R-INSP-4: the last day a complaint about the election is accepted."""
    return add_working_days(closed_on, working_days, holidays)


def is_late(received_on: date, deadline: date) -> bool:
    """R-INSP-4: received after the deadline (the deadline itself is in time)."""
    return received_on > deadline


def cutoff_start(opens_on: date, cutoff_days: int | None) -> date | None:
    """R-INSP-3: the first day of the cut-off, ``cutoff_days`` before the opening, or None
    without a cut-off."""
    if cutoff_days is None:
        return None
    if not is_whole(cutoff_days, low=0):
        raise ValueError(f"a cut-off is a non-negative number of days, got {cutoff_days!r}")
    return opens_on - timedelta(days=cutoff_days)


def held_until_after_congress(
    received_on: date, opens_on: date | None, closed_on: date | None, cutoff_days: int | None
) -> bool:
    """R-INSP-3: whether a letter about a named person received on ``received_on`` waits
    until after the congress: from the cut-off's first day until the close (``closed_on``
    None: the congress has not closed). False without a cut-off or an opening date."""
    if opens_on is None:
        return False
    first = cutoff_start(opens_on, cutoff_days)
    if first is None:
        return False
    return received_on >= first and (closed_on is None or received_on <= closed_on)

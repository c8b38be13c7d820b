"""The one check every count, seat number and setting goes through: a whole number, with
``bool`` refused (``True`` is an ``int`` in Python, but never a count), within bounds."""

from __future__ import annotations

from typing import TypeGuard


def is_whole(value: object, low: int | None = None, high: int | None = None) -> TypeGuard[int]:
    """True when ``value`` is an ``int`` but not a ``bool``, and ``low <= value <= high``
    for the bounds given."""
    if isinstance(value, bool) or not isinstance(value, int):
        return False
    return (low is None or value >= low) and (high is None or value <= high)

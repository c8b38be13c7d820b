"""Simulated records shared by the record and verifier tests (built once per session).

Each builder is cached: a simulated round is a frozen value, and tests make changed copies
of its record rather than changing it.
"""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

from election.record import Record, dump_json
from election.record.reader import MemorySource
from election.record.simulate import SimulatedRound, simulate


@cache
def small_round() -> SimulatedRound:
    """The mutation test's record: 4 names / 2 seats cross-out, 6 ballots, t = 2 of 3,
    one audited ballot."""
    return simulate(names=4, seats=2, ballots=6, guardians=3, threshold=2, audited=1)


@cache
def spare_round() -> SimulatedRound:
    """As ``small_round`` with two delegates present who do not vote (room for more ballots)."""
    return simulate(names=4, seats=2, ballots=6, guardians=3, audited=1, delegates=12)


@cache
def five_guardians() -> SimulatedRound:
    """3 of 5 guardians decrypt (guardian 2 absent), two audited ballots."""
    return simulate(names=5, seats=3, ballots=7, guardians=5, threshold=3, audited=2, seed="g5")


@cache
def agree_round() -> SimulatedRound:
    """A list without a surplus: 3 names for 3 seats, agree/disagree boxes."""
    return simulate(names=3, seats=3, kind="agree_disagree", ballots=5, seed="agree")


@cache
def single_name_round() -> SimulatedRound:
    """A single name for a single seat (R-BALLOT-4.6)."""
    return simulate(names=1, seats=1, kind="agree_disagree", ballots=6, seed="single")


def files_of(record: Record) -> dict[str, Any]:
    """A deep copy of every file of ``record`` as JSON values, by path."""
    return copy.deepcopy(record.files())


def source_of(files: dict[str, Any]) -> MemorySource:
    """A record source over JSON values, as the files would be written."""
    return MemorySource({name: dump_json(value) for name, value in files.items()})

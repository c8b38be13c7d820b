"""Delegates to the higher-level congress (R-HIGHER-1..4).

The higher committee allocates the numbers of official and alternate delegates; the
congress does not vote on them (R-HIGHER-1). Officials and alternates are elected by
separate ballots, each with its own minutes, officials first (R-HIGHER-2); each ballot is an
ordinary contest decided by ``decide_round`` (majority of N, ranking, ties). An unfilled
allocation is voted again (R-HIGHER-3, enforced by ``close_contest``). Alternates replace
absent officials by votes, highest first (R-HIGHER-4, UNCONFIRMED setting).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from election.rules.contests import Assembly, Contest, Post
from election.rules.errors import ChainError
from election.rules.profiles import AlternateOrder
from election.rules.values import is_whole

if TYPE_CHECKING:
    from election.rules.profiles import Profile
    from election.rules.results import RoundResult

__all__ = [
    "DelegateAllocation",
    "alternate_replacement_order",
    "check_alternate_ballot_may_open",
    "delegate_contests",
]


@dataclass(frozen=True)
class DelegateAllocation:
    """The numbers the higher committee allocated (R-HIGHER-1); not voted by the congress."""

    official: int
    alternate: int = 0

    def __post_init__(self) -> None:
        for value in (self.official, self.alternate):
            if not is_whole(value, low=0):
                raise ValueError("allocations are non-negative integers")
        if self.official < 1:
            raise ValueError("the allocation has at least one official delegate")


def delegate_contests(
    allocation: DelegateAllocation, assembly: Assembly, *, contest_id: str
) -> tuple[Contest, ...]:
    """The official ballot's contest and, if alternates are allocated, the alternate one.

    Separate contests give separate ballots and separate minutes (R-HIGHER-2); the seats are
    the allocation, never a number voted by the congress (R-HIGHER-1).
    """
    contests = [
        Contest(f"{contest_id}/official", Post.OFFICIAL_DELEGATES, allocation.official, assembly)
    ]
    if allocation.alternate:
        contests.append(
            Contest(
                f"{contest_id}/alternate", Post.ALTERNATE_DELEGATES, allocation.alternate, assembly
            )
        )
    return tuple(contests)


def check_alternate_ballot_may_open(official_rounds: Sequence[RoundResult]) -> None:
    """Raise ``ChainError`` unless the first official-delegate ballot has been decided.

    R-HIGHER-2 (order SECONDARY): officials are elected first. A further official ballot
    (R-HIGHER-3) may come before or after the alternate ballot, as the congress decides.
    """
    if not any(r.round.contest.post is Post.OFFICIAL_DELEGATES for r in official_rounds):
        raise ChainError("the official-delegate ballot comes first", rule_id="R-HIGHER-2")


def alternate_replacement_order(
    rounds: Sequence[RoundResult], profile: Profile
) -> tuple[tuple[str, ...], ...]:
    """The order in which elected alternates replace absent officials (R-HIGHER-4).

    Returns groups: each group replaces before the next; people in one group have equal
    votes in the same round and the higher congress's convening committee chooses among
    them (the software does not). Those elected in an earlier round come first. With the
    profile's ``alternate_order = "unordered"`` everyone is in one group.
    """
    alternates = [r for r in rounds if r.round.contest.post is Post.ALTERNATE_DELEGATES]
    if len(alternates) != len(rounds):
        raise ValueError("only alternate-delegate rounds have a replacement order")
    if profile.delegates.alternate_order is AlternateOrder.UNORDERED:
        everyone = tuple(c for r in alternates for c in r.elected)
        return (everyone,) if everyone else ()
    groups: list[tuple[str, ...]] = []
    for result in sorted(alternates, key=lambda r: r.round.number):
        votes = result.tally.votes
        for level in sorted({votes[c] for c in result.elected}, reverse=True):
            groups.append(tuple(c for c in result.elected if votes[c] == level))
    return tuple(groups)

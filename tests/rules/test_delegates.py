"""Delegates to the higher congress (R-HIGHER-1..4)."""

from __future__ import annotations

import pytest

from election.rules import (
    Assembly,
    ChainError,
    DelegateAllocation,
    Motion,
    OpenVoteDecision,
    Post,
    Profile,
    RoundStatus,
    alternate_replacement_order,
    check_alternate_ballot_may_open,
    close_contest,
    decide_round,
    delegate_contests,
    load_profile,
    open_round,
    plan_next_round,
)
from tests.rules.factories import delegates_base, tally

DELEGATES = Assembly.DELEGATES_CONGRESS


def test_allocation_is_not_voted() -> None:
    """R-HIGHER-1: the seats are the allocation; R-HIGHER-2: separate contests."""
    official, alternate = delegate_contests(DelegateAllocation(5, 2), DELEGATES, contest_id="dh")
    assert (official.post, official.seats, alternate.post, alternate.seats) == (
        Post.OFFICIAL_DELEGATES,
        5,
        Post.ALTERNATE_DELEGATES,
        2,
    )
    assert len(delegate_contests(DelegateAllocation(3), DELEGATES, contest_id="dh")) == 1
    for bad in ((0, 1), (2, -1), (True, 0)):
        with pytest.raises(ValueError):
            DelegateAllocation(*bad)
    with pytest.raises(ValueError):
        delegate_contests(DelegateAllocation(3), Assembly.COMMITTEE_SESSION, contest_id="dh")


def alternates_round(profile: Profile, votes: dict[str, int], seats: int = 3, number: int = 1):
    base = delegates_base(profile, 100)
    _, alternate = delegate_contests(DelegateAllocation(5, seats), DELEGATES, contest_id="dh")
    rnd = open_round(alternate, tuple(votes))
    t = tally(rnd.form, votes, issued=100, valid=100)
    return decide_round(rnd, t, base, profile)


def test_officials_first(profile: Profile) -> None:
    """R-HIGHER-2: the alternate ballot opens after the first official ballot."""
    with pytest.raises(ChainError):
        check_alternate_ballot_may_open([])
    base = delegates_base(profile, 100)
    official, _ = delegate_contests(DelegateAllocation(1, 1), DELEGATES, contest_id="dh")
    rnd = open_round(official, ("A", "B"))
    result = decide_round(
        rnd, tally(rnd.form, {"A": 60, "B": 40}, issued=100, valid=100), base, profile
    )
    check_alternate_ballot_may_open([result])


def test_alternate_order_by_votes_with_ties_left_open(profile: Profile) -> None:
    """R-HIGHER-4 (UNCONFIRMED): highest first; equal votes share a group."""
    result = alternates_round(profile, {"A": 70, "B": 80, "C": 70, "D": 30})
    assert result.elected == ("B", "A", "C")
    assert alternate_replacement_order([result], profile) == (("B",), ("A", "C"))
    unordered = load_profile(
        profile.profile_id, overrides={"delegates": {"alternate_order": "unordered"}}
    )
    assert alternate_replacement_order([result], unordered) == (("B", "A", "C"),)


def test_alternate_order_only_for_alternates(profile: Profile) -> None:
    base = delegates_base(profile, 100)
    official, _ = delegate_contests(DelegateAllocation(1, 1), DELEGATES, contest_id="dh")
    rnd = open_round(official, ("A", "B"))
    result = decide_round(
        rnd, tally(rnd.form, {"A": 60, "B": 40}, issued=100, valid=100), base, profile
    )
    with pytest.raises(ValueError):
        alternate_replacement_order([result], profile)


def test_unfilled_allocation_is_voted_again_then_may_stop(profile: Profile) -> None:
    """R-HIGHER-3: vote again; after that the congress may decide to stop."""
    base = delegates_base(profile, 100)
    official, _ = delegate_contests(DelegateAllocation(2, 1), DELEGATES, contest_id="dh")
    rnd = open_round(official, ("A", "B", "C"))
    first = decide_round(
        rnd, tally(rnd.form, {"A": 60, "B": 45, "C": 40}, issued=100, valid=100), base, profile
    )
    assert first.status is RoundStatus.ELECTED_FEWER_THAN_PLANNED
    again = OpenVoteDecision("r1", "dh/official", 1, Motion.FURTHER_ROUND, 80, 20)
    plan = plan_next_round(first, again, profile)
    rnd2 = open_round(official, plan.allowed, plan=plan)
    second = decide_round(
        rnd2,
        tally(rnd2.form, {"B": 48, "C": 47}, issued=100, valid=95, invalid={"none_kept": 5}),
        base,
        profile,
    )
    assert second.elected == ()
    stop = OpenVoteDecision("r2", "dh/official", 2, Motion.STOP, 80, 20)
    outcome = close_contest([first, second], profile, decision=stop)
    assert outcome.elected == ("A",) and outcome.vacancies == 1

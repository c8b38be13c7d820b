"""Hypothesis properties of the engine (R-RESULT-5, R-RESULT-6, R-RESULT-7, R-RESULT-9).

Ballots are drawn at random, including invalid ones, counted with ``count_ballots`` and
decided with ``decide_round``; the majority base is at least the number of voters.
"""

from __future__ import annotations

import random
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from election.rules import (
    PROFILE_IDS,
    Assembly,
    BallotForm,
    BallotMarking,
    MajorityBase,
    Mark,
    Outcome,
    PercentDisplay,
    Profile,
    RosterEntry,
    Rounding,
    RoundStatus,
    ballot_form,
    check_tally,
    count_ballots,
    decide_round,
    load_profile,
    majority_base,
    open_round,
    percent_of_base,
)
from election.rules.percent import format_percent
from tests.rules.factories import contest

PROFILES = [load_profile(profile_id) for profile_id in PROFILE_IDS]
PROFILE = PROFILES[-1]
FAST = settings(max_examples=80, deadline=None, database=None)


@st.composite
def elections(draw: st.DrawFn):
    """A profile, a form, random ballots for it, and a majority base N >= voters."""
    profile = draw(st.sampled_from(PROFILES))
    seats = draw(st.integers(1, 5))
    names = tuple(f"c{i}" for i in range(seats + draw(st.integers(0, 4))))
    form = ballot_form(names, seats)
    voters = draw(st.integers(1, 30))
    n = voters + draw(st.integers(0, 12))
    if form.kind == "cross_out":
        # Mostly valid ballots (1..k names kept), with some keeping too many or none.
        ballot = st.one_of(
            st.sets(st.sampled_from(names), min_size=1, max_size=seats),
            st.sets(st.sampled_from(names)),
        ).map(lambda kept: BallotMarking(kept=frozenset(kept)))
    else:
        ballot = st.dictionaries(st.sampled_from(names), st.sampled_from(list(Mark))).map(
            lambda marks: BallotMarking(marks=marks)
        )
    ballots = draw(st.lists(ballot, min_size=voters, max_size=voters))
    return profile, form, ballots, n


def decide(profile: Profile, form: BallotForm, ballots: list[BallotMarking], n: int):
    base = MajorityBase(Assembly.DELEGATES_CONGRESS, n, (), len(ballots))
    rnd = open_round(contest(form.seats), form.candidates)
    tally = count_ballots(rnd.form, ballots, issued=len(ballots), profile=profile)
    check_tally(tally, profile, present_entitled=base.present_at_vote)
    return decide_round(rnd, tally, base, profile)


@FAST
@given(elections())
def test_never_more_elected_than_seats(election) -> None:
    result = decide(*election)
    assert len(result.elected) <= result.round.form.seats
    assert len(result.elected) + result.tie_seats <= result.round.form.seats
    if result.tied:
        assert len(result.tied) > result.tie_seats > 0
        assert result.status is RoundStatus.TIE_FOR_LAST_SEAT


@FAST
@given(elections())
def test_everyone_elected_has_more_than_half_of_n(election) -> None:
    """R-RESULT-5: 2 * votes > N for every winner, whatever the valid ballots were."""
    result = decide(*election)
    for c in result.candidates:
        if c.outcome in (Outcome.ELECTED, Outcome.TIED):
            assert 2 * c.votes > result.base.n and c.has_majority


@FAST
@given(elections())
def test_no_one_elected_below_someone_not_elected(election) -> None:
    """R-RESULT-6, R-RESULT-7: the elected have strictly more votes than everyone else,
    and the tied all have the same votes."""
    result = decide(*election)
    votes = {c.candidate: c.votes for c in result.candidates}
    others = [votes[c] for c in votes if c not in result.elected]
    for winner in result.elected:
        assert all(votes[winner] > v for v in others)
    assert len({votes[c] for c in result.tied}) <= 1


@FAST
@given(elections(), st.randoms(use_true_random=False))
def test_ballot_order_never_decides(election, rng: random.Random) -> None:
    """R-RESULT-7: reordering the ballot changes nobody's outcome (ties are never broken)."""
    profile, form, ballots, n = election
    names = list(form.candidates)
    rng.shuffle(names)
    first = decide(profile, form, ballots, n)
    second = decide(profile, BallotForm(form.kind, tuple(names), form.seats), ballots, n)
    assert set(first.elected) == set(second.elected)
    assert set(first.tied) == set(second.tied)
    assert first.status is second.status


@FAST
@given(st.integers(0, 2000), st.integers(1, 2000), st.integers(0, 4))
def test_displayed_percent_is_within_one_unit_of_the_last_decimal(votes, n, decimals) -> None:
    """R-RESULT-9: truncation never overstates; half-up is within half a unit."""
    exact = percent_of_base(votes, n)
    unit = Fraction(1, 10**decimals)
    for rounding, low, high in (
        (Rounding.TRUNCATE, exact - unit, exact),
        (Rounding.HALF_UP, exact - unit / 2, exact + unit / 2),
    ):
        text = format_percent(exact, PercentDisplay(rounding, decimals), decimal_mark=".")
        shown = Fraction(text.rstrip("%"))
        assert low < shown <= high


@FAST
@given(st.lists(st.tuples(st.booleans(), st.booleans()), min_size=1, max_size=30))
def test_absence_at_the_vote_never_changes_n(people) -> None:
    """R-RESULT-3: only whole-congress absence can move N; missing the vote cannot."""
    roster = [
        RosterEntry(f"p{i}", attended=attended, present_at_vote=attended and present)
        for i, (attended, present) in enumerate(people)
    ]
    everyone_votes = [
        RosterEntry(e.person_id, attended=e.attended, present_at_vote=e.attended) for e in roster
    ]
    if not any(e.attended for e in roster):
        return
    a = majority_base(Assembly.DELEGATES_CONGRESS, roster, PROFILE)
    b = majority_base(Assembly.DELEGATES_CONGRESS, everyone_votes, PROFILE)
    assert a.n == b.n == sum(e.attended for e in roster)

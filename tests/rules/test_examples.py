"""RULES.md section 15: every worked example, for both profiles.

RULES.md says the 2014 outcome is identical in each example (same denominators and
validity rules); the one documented difference that shows in a result is where the rule
sits (244 Điều 32 / 190 Điều 30, section 13), which the trace cites.
"""

from __future__ import annotations

import pytest

from election.rules import (
    Assembly,
    BallotInvalid,
    BallotMarking,
    Chain,
    ContestOutcome,
    DecisionRequired,
    DelegateAllocation,
    InvalidReason,
    ListEntry,
    Mark,
    Motion,
    Nominator,
    OpenVoteDecision,
    Outcome,
    Post,
    Profile,
    QuorumNotMet,
    ResultState,
    RoundKind,
    RoundNotAllowed,
    RoundStatus,
    RulesError,
    Source,
    ballot_form,
    check_candidate_list,
    check_quorum,
    close_contest,
    count_ballots,
    decide_round,
    delegate_contests,
    floor_nominee_passes,
    format_percent_en,
    format_percent_vi,
    has_majority,
    load_profile,
    majority_base,
    open_round,
    plan_next_round,
    quorum_required,
    read_ballot,
    surplus_bounds,
    transition,
)
from tests.rules.factories import (
    candidate,
    contest,
    delegates_base,
    ids,
    members_roster,
    roster,
    tally,
)

EXPECTED_RESULTS_CITATION = {
    "QD244_2014": "244-QĐ/TW Điều 32",
    "QD190_2024": "190-QĐ/TW Điều 30",
}

EX1_VOTES = dict(zip("ABCDEFGHIJK", (76, 74, 70, 66, 60, 55, 50, 44, 42, 41, 30), strict=True))
EX2_VOTES = dict(zip("ABCDEFGHIJK", (76, 74, 70, 66, 60, 55, 50, 44, 43, 43, 30), strict=True))


def example1_round(profile: Profile, votes: dict[str, int]):
    c = contest(9)
    rnd = open_round(c, ids("ABCDEFGHIJK"))
    t = tally(rnd.form, votes, issued=80, valid=78, invalid={InvalidReason.TOO_MANY_KEPT: 2})
    return rnd, t


# --------------------------------------------------------------------------- example 1


def test_example1_list_check(profile: Profile) -> None:
    """R-LIST-1, R-LIST-3, R-LIST-10: 10 official names + 1 floor nominee with 27 of 80."""
    entries = [ListEntry(candidate(x)) for x in "ABCDEFGHIJ"]
    floor = ListEntry(
        candidate("K"), Source.FLOOR, nominator=Nominator("delegate-7"), opinion_agree=27
    )
    checked = check_candidate_list(contest(9), [*entries, floor], profile, attending=80)
    assert checked.surplus == 2
    assert surplus_bounds(9, profile).max_surplus == 2  # 2/9 = 22.2 % <= 30 %
    assert checked.warnings == ()  # 1/9 = 11.1 % is inside 10-15 %
    assert checked.ids == ids("ABCDEFGHIJK")  # A-B-C by given name
    assert checked.form.kind == "cross_out"
    assert floor_nominee_passes(27, 80, profile)  # 270 > 240
    assert not floor_nominee_passes(24, 80, profile)  # exactly 30 % is not enough


def test_example1a_all_absent_for_whole_congress(profile: Profile) -> None:
    """R-RESULT-3, R-RESULT-5, R-RESULT-6, R-RESULT-9: N = 85 - 5 = 80."""
    base = delegates_base(profile, 85, absent_whole=5)
    assert base.n == 80 and base.threshold == 41
    rnd, t = example1_round(profile, EX1_VOTES)
    result = decide_round(rnd, t, base, profile)
    assert result.elected == ids("ABCDEFGHI")
    assert result.status is RoundStatus.ALL_SEATS_FILLED
    by_id = {c.candidate: c for c in result.candidates}
    assert by_id["J"].has_majority and by_id["J"].outcome is Outcome.RANKED_OUT
    assert by_id["K"].outcome is Outcome.NO_MAJORITY
    assert [by_id[x].percent_text for x in "AIJ"] == ["95,00%", "52,50%", "51,25%"]
    assert format_percent_en(76, base.n, profile.percent) == "95.00%"


def test_example1b_absent_at_vote_stays_in_n(profile: Profile) -> None:
    """R-RESULT-3: two who attended the opening but missed the vote stay in N = 82."""
    base = delegates_base(profile, 85, absent_whole=3, absent_at_vote=2)
    assert (base.n, base.threshold, base.present_at_vote, base.absent_at_vote) == (82, 42, 80, 2)
    rnd, t = example1_round(profile, EX1_VOTES)
    result = decide_round(rnd, t, base, profile)
    assert result.elected == ids("ABCDEFGHI")
    j = next(c for c in result.candidates if c.candidate == "J")
    assert not j.has_majority and j.outcome is Outcome.NO_MAJORITY  # 82 is not > 82
    assert format_percent_vi(76, 82, profile.percent) == "92,68%"
    assert format_percent_vi(42, 82, profile.percent) == "51,21%"  # truncated by default
    rounding = load_profile(profile.profile_id, overrides={"percent": {"rounding": "half_up"}})
    assert format_percent_vi(42, 82, rounding.percent) == "51,22%"


def test_example1b_regression_valid_ballots_are_not_the_base(profile: Profile) -> None:
    """R-NOTSTATE-1: with 78 valid ballots as the base J would wrongly pass (41 > 39)."""
    assert has_majority(41, 78)  # the state-law reading this engine must not use
    base = delegates_base(profile, 85, absent_whole=3, absent_at_vote=2)
    rnd, t = example1_round(profile, EX1_VOTES)
    result = decide_round(rnd, t, base, profile)
    assert "J" not in result.elected and not has_majority(41, base.n)


def test_example1_trace_cites_the_profile_article(profile: Profile) -> None:
    """RULES.md section 13: the results article is 244 Điều 32 in 2014, 190 Điều 30 in 2024."""
    base = delegates_base(profile, 85, absent_whole=5)
    rnd, t = example1_round(profile, EX1_VOTES)
    result = decide_round(rnd, t, base, profile)
    citations = {step.citation for step in result.trace}
    assert citations == {EXPECTED_RESULTS_CITATION[profile.profile_id]}
    assert {"R-RESULT-3", "R-RESULT-1", "R-RESULT-5", "R-RESULT-6"} <= {
        s.rule_id for s in result.trace
    }


# --------------------------------------------------------------------------- example 2


def test_example2_tie_for_last_seat_then_round_two(profile: Profile) -> None:
    """R-RESULT-7, R-RESULT-8: the tie is returned, never broken; round 2 needs a decision."""
    base = delegates_base(profile, 85, absent_whole=3, absent_at_vote=2)
    rnd, t = example1_round(profile, EX2_VOTES)
    result = decide_round(rnd, t, base, profile)
    assert result.status is RoundStatus.TIE_FOR_LAST_SEAT
    assert result.elected == ids("ABCDEFGH")
    assert result.tied == ("I", "J") and result.tie_seats == 1
    assert {c.candidate for c in result.candidates if c.outcome is Outcome.TIED} == {"I", "J"}

    with pytest.raises(DecisionRequired):
        plan_next_round(result, None, profile)
    decision = OpenVoteDecision("vote-17", "c1", 1, Motion.FURTHER_ROUND, agree=78, disagree=0)
    plan = plan_next_round(result, decision, profile)
    assert (plan.kind, plan.allowed, plan.seats) == (RoundKind.TIE_BREAK, ("I", "J"), 1)

    round2 = open_round(rnd.contest, plan.allowed, plan=plan)
    assert round2.form == ballot_form(("I", "J"), 1) and round2.form.kind == "cross_out"
    t2 = tally(
        round2.form,
        {"I": 45, "J": 33},
        issued=80,
        valid=78,
        invalid={InvalidReason.NONE_KEPT: 2},
    )
    result2 = decide_round(round2, t2, base, profile)
    assert result2.elected == ("I",) and result2.status is RoundStatus.ALL_SEATS_FILLED
    outcome = close_contest([result, result2], profile)
    assert outcome.elected == (*ids("ABCDEFGH"), "I") and outcome.vacancies == 0


# --------------------------------------------------------------------------- example 3


def test_example3_too_few_pass_and_the_congress_stops(profile: Profile) -> None:
    """R-DELEG-2, R-RESULT-2, R-RESULT-8: N = 38, five of seven elected, two seats vacant."""
    register = members_roster(
        40, probationary=6, temporary_elsewhere=1, excused_whole=1, absent_at_vote=2
    )
    base = majority_base(Assembly.MEMBERS_CONGRESS, register, profile)
    assert (base.convened, base.n, base.threshold) == (40, 38, 20)
    assert base.present_at_vote == 36  # probationary members get no ballot
    assert base.non_voting_present == 6
    c = contest(7, assembly=Assembly.MEMBERS_CONGRESS)
    rnd = open_round(c, ids("ABCDEFGH"))
    votes = dict(zip("ABCDEFGH", (33, 31, 28, 24, 21, 19, 19, 12), strict=True))
    t = tally(rnd.form, votes, issued=36, valid=35, invalid={InvalidReason.TOO_MANY_KEPT: 1})
    result = decide_round(rnd, t, base, profile)
    assert result.status is RoundStatus.ELECTED_FEWER_THAN_PLANNED
    assert result.elected == ids("ABCDE") and result.open_seats == 2

    with pytest.raises(DecisionRequired):
        close_contest([result], profile)
    stop = OpenVoteDecision("vote-3", "c1", 1, Motion.FURTHER_ROUND, agree=10, disagree=25)
    with pytest.raises(RoundNotAllowed):
        plan_next_round(result, stop, profile)
    outcome = close_contest([result], profile, decision=stop)
    assert outcome.status is RoundStatus.ELECTED_FEWER_THAN_PLANNED
    assert (len(outcome.elected), outcome.contest.seats, outcome.vacancies) == (5, 7, 2)


# --------------------------------------------------------------------------- example 4


def _run(c, names, votes, base, profile, *, invalid=None):
    rnd = open_round(c, names)
    valid = base.present_at_vote - sum((invalid or {}).values())
    if rnd.form.kind == "cross_out":
        t = tally(rnd.form, votes, issued=base.present_at_vote, valid=valid, invalid=invalid)
    else:
        disagree = {x: valid - votes[x] for x in names}
        t = tally(
            rnd.form,
            votes,
            issued=base.present_at_vote,
            valid=valid,
            invalid=invalid,
            disagree=disagree,
        )
    return decide_round(rnd, t, base, profile)


def test_example4_direct_secretary_vote_fails_and_is_referred(profile: Profile) -> None:
    """R-DIRECT-1, R-DIRECT-2, R-DIRECT-3, R-DIRECT-4, R-DIRECT-5, R-BALLOT-4.6, R-RESULT-5.

    29 of N = 59 is not a majority, although it is 51.8 % of the valid ballots.
    """
    register = members_roster(62, temporary_elsewhere=2, excused_whole=1, absent_at_vote=2)
    base = majority_base(Assembly.MEMBERS_CONGRESS, register, profile)
    assert (base.n, base.threshold, base.present_at_vote) == (59, 30, 57)
    members = Assembly.MEMBERS_CONGRESS

    chain = Chain()
    committee = _run(
        contest(7, assembly=members, contest_id="bch"),
        ids("ABCDEFGH"),
        dict(zip("ABCDEFGH", (50, 48, 47, 45, 44, 40, 38, 20), strict=True)),
        base,
        profile,
    )
    chain = chain.record(close_contest([committee], profile))
    assert chain.pool(Post.STANDING_COMMITTEE) == set("ABCDEFG")

    standing = _run(
        contest(3, post=Post.STANDING_COMMITTEE, assembly=members, direct=True, contest_id="btv"),
        ids("ABCD"),
        {"A": 50, "B": 45, "C": 40, "D": 20},
        base,
        profile,
    )
    chain = chain.record(close_contest([standing], profile))
    pool = chain.pool(Post.SECRETARY)
    assert pool == {"A", "B", "C"}

    secretary_contest = contest(
        1, post=Post.SECRETARY, assembly=members, direct=True, contest_id="bt"
    )
    checked = check_candidate_list(
        secretary_contest, [ListEntry(candidate("A"))], profile, pool=pool
    )
    form = checked.form
    assert form.kind == "agree_disagree" and form.candidates == ("A",)
    with pytest.raises(BallotInvalid) as both:
        read_ballot(form, BallotMarking(marks={"A": Mark.BOTH}), profile)
    assert both.value.reason is InvalidReason.SINGLE_NAME_BOTH_OR_NONE

    rnd = open_round(secretary_contest, checked.ids)
    t = tally(
        form,
        {"A": 29},
        issued=57,
        valid=56,
        invalid={InvalidReason.SINGLE_NAME_BOTH_OR_NONE: 1},
        disagree={"A": 27},
    )
    result = decide_round(rnd, t, base, profile)
    assert 29 * 2 > 56 and not has_majority(29, base.n)  # 51.8 % of valid, yet not elected
    assert result.elected == ()
    assert result.status is RoundStatus.REFERRED_TO_HIGHER_COMMITTEE
    assert "R-DIRECT-5" in {s.rule_id for s in result.trace}
    decision = OpenVoteDecision("v", "bt", 1, Motion.FURTHER_ROUND, agree=57, disagree=0)
    with pytest.raises(RoundNotAllowed):
        plan_next_round(result, decision, profile)
    outcome = close_contest([result], profile)
    assert isinstance(outcome, ContestOutcome)
    assert outcome.status is RoundStatus.REFERRED_TO_HIGHER_COMMITTEE
    state = transition(None, ResultState.COUNTED)
    state = transition(state, ResultState.ANNOUNCED)
    state = transition(state, ResultState.REFERRED_TO_HIGHER_COMMITTEE, referral_required=True)
    assert state is ResultState.REFERRED_TO_HIGHER_COMMITTEE
    chain = chain.record(outcome)
    assert chain.elected(Post.SECRETARY) == ()


# --------------------------------------------------------------------------- example 5

EX5_FORM = ballot_form(ids("ABCDEFGHIJK"), 9)
ALL = frozenset("ABCDEFGHIJK")
EX5 = {
    "b1": (BallotMarking(kept=ALL), InvalidReason.TOO_MANY_KEPT),
    "b2": (BallotMarking(kept=ALL - {"K"}), InvalidReason.TOO_MANY_KEPT),
    "b3": (BallotMarking(kept=ALL - {"J", "K"}), None),
    "b4": (BallotMarking(kept=frozenset("ABCDE")), None),
    "b5": (BallotMarking(kept=frozenset()), InvalidReason.NONE_KEPT),
    "b6": (
        BallotMarking(kept=ALL - {"I", "J", "K"}, write_ins=("Nguyễn Văn Z",)),
        InvalidReason.WRITE_IN,
    ),
    "b7": (BallotMarking(kept=ALL - {"J", "K"}, issued_by_board=False), InvalidReason.NOT_ISSUED),
}


@pytest.mark.parametrize("ballot", sorted(EX5))
def test_example5_ballot_validity(profile: Profile, ballot: str) -> None:
    """R-BALLOT-3, R-BALLOT-4.1, R-BALLOT-4.2, R-BALLOT-4.3, R-BALLOT-4.4: example 5."""
    marking, reason = EX5[ballot]
    if reason is None:
        votes = read_ballot(EX5_FORM, marking, profile)
        assert votes.agree == marking.kept
    else:
        with pytest.raises(BallotInvalid) as caught:
            read_ballot(EX5_FORM, marking, profile)
        assert caught.value.reason is reason


def test_example5_invalid_ballots_are_collected_but_give_no_votes(profile: Profile) -> None:
    """R-RESULT-1: an invalid ballot counts as collected; none of its names get a vote."""
    counted = count_ballots(EX5_FORM, [m for m, _ in EX5.values()], issued=7, profile=profile)
    assert (counted.cast, counted.valid, counted.invalid_total) == (7, 2, 5)
    assert counted.invalid == {
        InvalidReason.TOO_MANY_KEPT: 2,
        InvalidReason.NONE_KEPT: 1,
        InvalidReason.WRITE_IN: 1,
        InvalidReason.NOT_ISSUED: 1,
    }
    assert counted.votes["A"] == 2 and counted.votes["I"] == 1 and counted.votes["K"] == 0


# --------------------------------------------------------------------------- example 6


def test_example6_no_surplus_deputies_both_and_none(profile: Profile) -> None:
    """R-RESULT-4, R-LIST-9, R-BALLOT-2, R-RESULT-1, R-RESULT-8: N = 53, P and Q elected."""
    session = Assembly.COMMITTEE_SESSION
    base = majority_base(session, roster(53), profile)
    assert (base.n, base.threshold) == (53, 27)
    c = contest(3, post=Post.DEPUTY_SECRETARY, assembly=session)
    checked = check_candidate_list(
        c, [ListEntry(candidate(x, f"Lê Văn {x}")) for x in "PQR"], profile
    )
    assert checked.surplus == 0 and checked.form.kind == "agree_disagree"

    odd = BallotMarking(marks={"P": Mark.BOTH, "Q": Mark.NONE, "R": Mark.AGREE})
    votes = read_ballot(checked.form, odd, profile)  # stays valid
    assert votes.agree == {"R"} and votes.disagree == frozenset()

    rnd = open_round(c, checked.ids)
    t = tally(
        rnd.form,
        {"P": 50, "Q": 30, "R": 26},
        issued=53,
        valid=53,
        disagree={"P": 2, "Q": 22, "R": 27},
    )
    result = decide_round(rnd, t, base, profile)
    assert result.elected == ("P", "Q")
    assert result.status is RoundStatus.ELECTED_FEWER_THAN_PLANNED and result.open_seats == 1
    with pytest.raises(DecisionRequired):
        plan_next_round(result, None, profile)
    decision = OpenVoteDecision("v6", "c1", 1, Motion.FURTHER_ROUND, agree=40, disagree=13)
    plan = plan_next_round(result, decision, profile)
    assert (plan.allowed, plan.seats, plan.kind) == (("R",), 1, RoundKind.FURTHER)


# --------------------------------------------------------------------------- example 7


def test_example7_delegates_official_and_alternate(profile: Profile) -> None:
    """R-HIGHER-1, R-HIGHER-2, R-HIGHER-3: 5 official + 1 alternate by separate ballots, N = 120."""
    base = delegates_base(profile, 120)
    assert base.threshold == 61
    official, alternate = delegate_contests(
        DelegateAllocation(5, 1), Assembly.DELEGATES_CONGRESS, contest_id="dh"
    )
    names = ids("ABCDEFG")
    checked = check_candidate_list(official, [ListEntry(candidate(x)) for x in names], profile)
    assert checked.surplus == 2  # 40 %: the 30 % ceiling is for committees only (R-LIST-1)
    r1 = _run(
        official,
        names,
        dict(zip(names, (110, 104, 97, 88, 63, 58, 40), strict=True)),
        base,
        profile,
    )
    assert r1.elected == ids("ABCDE") and r1.status is RoundStatus.ALL_SEATS_FILLED
    r2 = _run(
        alternate,
        ("H", "L"),
        {"H": 70, "L": 45},
        base,
        profile,
        invalid={InvalidReason.NONE_KEPT: 5},
    )
    assert r2.elected == ("H",) and has_majority(70, 120)
    assert r1.round.contest.contest_id != r2.round.contest.contest_id  # separate minutes


def test_example7_variant_only_four_pass(profile: Profile) -> None:
    """R-HIGHER-3: an unfilled allocation is voted again before the congress may stop."""
    base = delegates_base(profile, 120)
    official, _ = delegate_contests(
        DelegateAllocation(5, 1), Assembly.DELEGATES_CONGRESS, contest_id="dh"
    )
    names = ids("ABCDEFG")
    r1 = _run(
        official,
        names,
        dict(zip(names, (110, 104, 97, 88, 58, 55, 40), strict=True)),
        base,
        profile,
    )
    assert r1.elected == ids("ABCD") and r1.open_seats == 1
    stop = OpenVoteDecision("v7", "dh/official", 1, Motion.STOP, agree=100, disagree=20)
    with pytest.raises(RulesError, match="voted again") as caught:
        close_contest([r1], profile, decision=stop)
    assert caught.value.rule_id == "R-HIGHER-3"
    again = OpenVoteDecision(
        "v8", "dh/official", 1, Motion.FURTHER_ROUND_NEW_NAMES, agree=100, disagree=20
    )
    plan = plan_next_round(r1, again, profile)
    assert plan.allowed == ids("EFG") and plan.seats == 1 and plan.may_add_names
    assert open_round(official, ("E", "X"), plan=plan).form.kind == "cross_out"


# --------------------------------------------------------------------------- example 8


@pytest.mark.parametrize(("present", "ok"), [(54, False), (55, True)])
def test_example8_quorum(profile: Profile, present: int, ok: bool) -> None:
    """R-QUORUM-1 (UNCONFIRMED, 2/3): 54 of N = 82 fails (162 < 164), 55 passes."""
    base = delegates_base(profile, 85, absent_whole=3)
    assert base.n == 82 and quorum_required(base, profile) == 55
    if ok:
        check_quorum(present, base, profile)
    else:
        with pytest.raises(QuorumNotMet):
            check_quorum(present, base, profile)

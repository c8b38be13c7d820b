"""Deciding rounds (R-RESULT-5..8, R-PRIN-1), further rounds and closing a contest."""

from __future__ import annotations

import dataclasses

import pytest

from election.rules import (
    Assembly,
    CandidateListError,
    DecisionRequired,
    InvalidReason,
    Motion,
    OpenVoteDecision,
    Outcome,
    Post,
    Profile,
    RoundKind,
    RoundNotAllowed,
    RoundStatus,
    close_contest,
    decide_round,
    decision_carried,
    load_profile,
    nomination_result,
    open_round,
    plan_next_round,
)
from election.rules.ballots import BallotForm
from election.rules.results import Round
from tests.rules.factories import contest, delegates_base, tally


def run(
    profile: Profile, seats: int, votes: dict[str, int], *, n: int = 20, valid: int | None = None
):
    """A first round at a delegates' congress with N = n, everyone present."""
    base = delegates_base(profile, n)
    rnd = open_round(contest(seats), tuple(votes))
    valid = n if valid is None else valid
    invalid = {InvalidReason.NONE_KEPT: n - valid} if n > valid else {}
    if rnd.form.kind == "cross_out":
        t = tally(rnd.form, votes, issued=n, valid=valid, invalid=invalid)
    else:
        t = tally(
            rnd.form,
            votes,
            issued=n,
            valid=valid,
            invalid=invalid,
            disagree={c: valid - v for c, v in votes.items()},
        )
    return decide_round(rnd, t, base, profile)


def decision(result, motion: Motion = Motion.FURTHER_ROUND, agree: int = 15) -> OpenVoteDecision:
    return OpenVoteDecision(
        "rec-1", result.round.contest.contest_id, result.round.number, motion, agree, 20 - agree
    )


def test_ranking_takes_the_top_with_a_majority(profile: Profile) -> None:
    """R-RESULT-6: most votes first, exactly the seats, each with 2*votes > N.

    R-MINUTES-1: every candidate in ballot order (field 10), the elected by votes (field 11).
    """
    result = run(profile, 2, {"A": 12, "B": 15, "C": 11, "D": 2})
    assert result.elected == ("B", "A") and result.status is RoundStatus.ALL_SEATS_FILLED
    outcomes = {c.candidate: (c.outcome, c.rank) for c in result.candidates}
    assert outcomes == {
        "A": (Outcome.ELECTED, 2),
        "B": (Outcome.ELECTED, 1),
        "C": (Outcome.RANKED_OUT, 3),
        "D": (Outcome.NO_MAJORITY, 4),
    }
    assert [c.candidate for c in result.candidates] == ["A", "B", "C", "D"]  # ballot order


def test_equal_votes_inside_the_seats_are_all_elected(profile: Profile) -> None:
    result = run(profile, 3, {"A": 15, "B": 12, "C": 12, "D": 5})
    assert set(result.elected) == {"A", "B", "C"} and result.tied == ()


def test_tie_for_several_last_seats(profile: Profile) -> None:
    """R-RESULT-7: three tied for two seats; the software names them and stops."""
    result = run(profile, 3, {"A": 15, "B": 12, "C": 12, "D": 12})
    assert result.elected == ("A",) and result.tied == ("B", "C", "D") and result.tie_seats == 2
    assert result.status is RoundStatus.TIE_FOR_LAST_SEAT and result.open_seats == 2
    assert "R-RESULT-7" in {s.rule_id for s in result.trace}


def test_ties_below_the_majority_are_not_ties(profile: Profile) -> None:
    """R-RESULT-5, R-RESULT-8: equal votes without a majority leave seats open, no tie."""
    result = run(profile, 2, {"A": 15, "B": 10, "C": 10})
    assert result.elected == ("A",) and result.tied == ()
    assert result.status is RoundStatus.ELECTED_FEWER_THAN_PLANNED


def test_nobody_elected(profile: Profile) -> None:
    result = run(profile, 1, {"A": 10, "B": 10}, valid=20)
    assert result.elected == () and result.status is RoundStatus.ELECTED_FEWER_THAN_PLANNED
    assert result.not_elected == ("A", "B")


def test_mismatched_inputs(profile: Profile) -> None:
    result = run(profile, 2, {"A": 12, "B": 15, "C": 11})
    rnd, t, base = result.round, result.tally, result.base
    with pytest.raises(ValueError, match="another ballot form"):
        decide_round(
            rnd,
            dataclasses.replace(t, form=BallotForm("cross_out", ("A", "B", "X"), 2)),
            base,
            profile,
        )
    members_round = dataclasses.replace(rnd, contest=contest(2, assembly=Assembly.MEMBERS_CONGRESS))
    with pytest.raises(ValueError, match="majority base"):
        decide_round(members_round, t, base, profile)
    nomination = BallotForm("choose_one", ("A", "B", "C"), 1)
    with pytest.raises(ValueError, match="nomination"):
        decide_round(
            Round(rnd.contest, 1, RoundKind.FIRST, nomination),
            dataclasses.replace(t, form=nomination),
            base,
            profile,
        )


# ----------------------------------------------------------------------------- further rounds


def test_decision_is_carried_by_more_than_half_of_n(profile: Profile) -> None:
    """R-FORM-2 decisions, with the R-RESULT-5 majority of N (Điều lệ Điều 9)."""
    result = run(profile, 1, {"A": 10, "B": 10})
    assert decision_carried(decision(result, agree=11), result.base)
    assert not decision_carried(decision(result, agree=10), result.base)
    with pytest.raises(ValueError, match="more open votes"):
        decision_carried(dataclasses.replace(decision(result), abstain=5), result.base)
    with pytest.raises(ValueError, match="record_id"):
        OpenVoteDecision("", "c", 1, Motion.STOP, 1, 0)
    with pytest.raises(ValueError):
        OpenVoteDecision("r", "c", 1, Motion.STOP, -1, 0)


def test_further_round_after_too_few(profile: Profile) -> None:
    """R-RESULT-8: unsuccessful candidates, plus new names only if the congress allowed them."""
    result = run(profile, 2, {"A": 15, "B": 10, "C": 9})
    plan = plan_next_round(result, decision(result), profile)
    assert (plan.kind, plan.allowed, plan.seats, plan.may_add_names) == (
        RoundKind.FURTHER,
        ("B", "C"),
        1,
        False,
    )
    assert plan.requires_majority and plan.number == 2
    with pytest.raises(CandidateListError) as caught:
        open_round(result.round.contest, ("B", "X"), plan=plan)
    assert caught.value.rule_id == "R-RESULT-8"
    assert (
        open_round(result.round.contest, ("B",), plan=plan).form.kind == "agree_disagree"
    )  # C withdrew
    plan2 = plan_next_round(result, decision(result, Motion.FURTHER_ROUND_NEW_NAMES), profile)
    assert open_round(result.round.contest, ("B", "C", "X"), plan=plan2).form.seats == 1


def test_further_round_refusals(profile: Profile) -> None:
    result = run(profile, 2, {"A": 15, "B": 10, "C": 9})
    with pytest.raises(DecisionRequired):
        plan_next_round(result, None, profile)
    with pytest.raises(RoundNotAllowed, match="stop"):
        plan_next_round(result, decision(result, Motion.STOP), profile)
    with pytest.raises(RoundNotAllowed, match="not more than half"):
        plan_next_round(result, decision(result, agree=10), profile)
    with pytest.raises(ValueError, match="another contest"):
        plan_next_round(result, dataclasses.replace(decision(result), contest_id="x"), profile)
    with pytest.raises(ValueError, match="follows round"):
        plan_next_round(result, dataclasses.replace(decision(result), after_round=2), profile)
    full = run(profile, 1, {"A": 15, "B": 5})
    with pytest.raises(RoundNotAllowed, match="filled"):
        plan_next_round(full, decision(full), profile)
    plan = plan_next_round(result, decision(result), profile)
    with pytest.raises(ValueError, match="another contest"):
        open_round(contest(1, contest_id="other"), ("B",), plan=plan)
    with pytest.raises(CandidateListError):
        open_round(result.round.contest, (), plan=plan)


def test_tie_break_round_is_restricted_to_the_tied(profile: Profile) -> None:
    """R-RESULT-7: only the tied, for the tied seats; no new names."""
    result = run(profile, 2, {"A": 15, "B": 12, "C": 12, "D": 1})
    with pytest.raises(RoundNotAllowed):
        plan_next_round(result, decision(result, Motion.FURTHER_ROUND_NEW_NAMES), profile)
    plan = plan_next_round(result, decision(result), profile)
    assert (plan.kind, plan.allowed, plan.seats) == (RoundKind.TIE_BREAK, ("B", "C"), 1)
    with pytest.raises(CandidateListError) as caught:
        open_round(result.round.contest, ("B", "D"), plan=plan)
    assert caught.value.rule_id == "R-RESULT-7"


def test_tie_break_majority_is_a_setting(profile: Profile) -> None:
    """R-RESULT-7 (UNCONFIRMED setting tie_revote_requires_majority)."""
    lenient = load_profile(
        profile.profile_id, overrides={"rounds": {"tie_revote_requires_majority": False}}
    )
    for p, elected in ((profile, ()), (lenient, ("B",))):
        result = run(p, 2, {"A": 15, "B": 12, "C": 12, "D": 1})
        plan = plan_next_round(result, decision(result), p)
        rnd = open_round(result.round.contest, plan.allowed, plan=plan)
        t = tally(rnd.form, {"B": 9, "C": 8}, issued=20, valid=17, invalid={"none_kept": 3})
        second = decide_round(rnd, t, result.base, p)
        assert second.elected == elected


def test_tie_break_round_can_tie_again(profile: Profile) -> None:
    """R-RESULT-7: a tie-break round without the majority requirement may tie again."""
    lenient = load_profile(
        profile.profile_id, overrides={"rounds": {"tie_revote_requires_majority": False}}
    )
    result = run(lenient, 2, {"A": 15, "B": 12, "C": 12, "D": 1})
    plan = plan_next_round(result, decision(result), lenient)
    assert not plan.requires_majority
    rnd = open_round(result.round.contest, plan.allowed, plan=plan)
    t = tally(rnd.form, {"B": 9, "C": 9}, issued=20, valid=18, invalid={"none_kept": 2})
    again = decide_round(rnd, t, result.base, lenient)
    assert again.status is RoundStatus.TIE_FOR_LAST_SEAT and again.tied == ("B", "C")


# ----------------------------------------------------------------------------- closing


def test_close_contest(profile: Profile) -> None:
    """R-RESULT-8: stopping with open seats needs the decision to stop."""
    result = run(profile, 2, {"A": 15, "B": 10, "C": 9})
    with pytest.raises(DecisionRequired):
        close_contest([result], profile)
    with pytest.raises(DecisionRequired, match="vote again"):
        close_contest([result], profile, decision=decision(result))
    with pytest.raises(DecisionRequired, match="vote again"):
        close_contest([result], profile, decision=decision(result, Motion.STOP, agree=3))
    outcome = close_contest([result], profile, decision=decision(result, Motion.STOP))
    assert (outcome.elected, outcome.vacancies, outcome.rounds) == (("A",), 1, 1)


def test_close_contest_checks_the_rounds(profile: Profile) -> None:
    result = run(profile, 2, {"A": 15, "B": 12, "C": 1})
    assert close_contest([result], profile).status is RoundStatus.ALL_SEATS_FILLED
    with pytest.raises(ValueError):
        close_contest([], profile)
    with pytest.raises(ValueError, match="numbered"):
        close_contest([result, result], profile)
    other = run(profile, 1, {"A": 15, "B": 5})
    with pytest.raises(ValueError, match="one contest"):
        close_contest(
            [result, dataclasses.replace(other, round=dataclasses.replace(other.round, number=2))],
            profile,
        )


def test_failed_direct_secretary_vote_without_referral_setting(profile: Profile) -> None:
    """R-DIRECT-5 (UNCONFIRMED setting): with referral off, R-RESULT-8 applies instead."""
    off = load_profile(
        profile.profile_id, overrides={"rounds": {"direct_secretary_failure_refers": False}}
    )
    base = delegates_base(off, 20)
    c = contest(1, post=Post.SECRETARY, direct=True)
    rnd = open_round(c, ("X",))
    t = tally(rnd.form, {"X": 10}, issued=20, valid=20, disagree={"X": 10})
    for p, status in (
        (profile, RoundStatus.REFERRED_TO_HIGHER_COMMITTEE),
        (off, RoundStatus.ELECTED_FEWER_THAN_PLANNED),
    ):
        assert decide_round(rnd, t, base, p).status is status


def test_non_direct_secretary_is_not_referred(profile: Profile) -> None:
    session = Assembly.COMMITTEE_SESSION
    c = contest(1, post=Post.SECRETARY, assembly=session)
    from election.rules import majority_base
    from tests.rules.factories import roster

    base = majority_base(session, roster(20), profile)
    rnd = open_round(c, ("X",))
    t = tally(rnd.form, {"X": 10}, issued=20, valid=20, disagree={"X": 10})
    assert decide_round(rnd, t, base, profile).status is RoundStatus.ELECTED_FEWER_THAN_PLANNED


# ----------------------------------------------------------------------------- nomination


def test_nomination_ballot_against_the_plan(profile: Profile) -> None:
    """R-CONF-3: a nomination outcome that differs from the plan goes to the higher committee."""
    base = delegates_base(profile, 20)
    form = BallotForm("choose_one", ("A", "B", "C"), 1)
    t = tally(form, {"A": 12, "B": 5, "C": 1}, issued=20, valid=20)
    assert not nomination_result(t, base, profile, planned="A").report_to_higher_committee
    assert nomination_result(t, base, profile, planned="B").report_to_higher_committee
    tied = tally(form, {"A": 8, "B": 8, "C": 1}, issued=20, valid=20)
    result = nomination_result(tied, base, profile, planned="A")
    assert result.leaders == ("A", "B") and result.report_to_higher_committee
    with pytest.raises(ValueError):
        nomination_result(
            tally(BallotForm("cross_out", ("A", "B"), 1), {"A": 1, "B": 1}, issued=2, valid=2),
            base,
            profile,
            planned="A",
        )

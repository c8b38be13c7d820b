"""The tally's control totals (R-COUNT-3), paper ballots, the counting board (R-COUNT-1)."""

from __future__ import annotations

import dataclasses

import pytest

from election.rules import (
    BallotMarking,
    InvalidReason,
    Mark,
    Profile,
    RulesError,
    Tally,
    TallyError,
    VoteMustBeRepeated,
    ballot_form,
    check_counting_board,
    check_tally,
    count_ballots,
    load_profile,
)
from election.rules.ballots import BallotForm
from tests.rules.factories import tally

CROSS = ballot_form(tuple("ABCD"), 2)
MULTI = ballot_form(tuple("PQR"), 3)
SINGLE = ballot_form(("X",), 1)
NOMINATION = BallotForm("choose_one", tuple("ABC"), 1)

GOOD = tally(CROSS, {"A": 8, "B": 6, "C": 3, "D": 1}, issued=10, valid=9, invalid={"none_kept": 1})


def test_a_good_tally_passes(profile: Profile) -> None:
    check_tally(GOOD, profile, present_entitled=10)


@pytest.mark.parametrize(
    ("change", "error", "match"),
    [
        ({"cast": 11, "valid": 10}, VoteMustBeRepeated, "vote again"),
        ({"issued": 8}, VoteMustBeRepeated, "vote again"),
        ({"issued": 12, "cast": 12, "valid": 11}, TallyError, "issued to 10"),
        ({"valid": 8}, TallyError, "valid"),
        ({"invalid": {InvalidReason.SINGLE_NAME_BOTH_OR_NONE: 1}}, TallyError, "cannot occur"),
        ({"votes": {"A": 8, "B": 6, "C": 3}}, TallyError, "exactly the names"),
        ({"votes": {"A": 10, "B": 6, "C": 3, "D": 0}}, TallyError, "more marks"),
        ({"votes": {"A": 1, "B": 1, "C": 1, "D": 1}}, TallyError, "names kept"),
        ({"votes": {"A": 9, "B": 9, "C": 1, "D": 0}}, TallyError, "names kept"),
        ({"disagree": {"A": 1}}, TallyError, "no disagree"),
        ({"issued": -1}, TallyError, "non-negative"),
        ({"valid": True}, TallyError, "non-negative"),
    ],
)
def test_impossible_tallies(profile: Profile, change: dict, error: type, match: str) -> None:
    """R-COUNT-3: valid + invalid = collected <= issued <= present and entitled;
    R-BALLOT-3: per-candidate counts that real ballots can give."""
    with pytest.raises(error, match=match):
        check_tally(dataclasses.replace(GOOD, **change), profile, present_entitled=10)


def test_control_totals_are_a_setting(profile: Profile) -> None:
    """R-COUNT-3 (UNCONFIRMED setting enforce_control_totals)."""
    off = load_profile(
        profile.profile_id, overrides={"majority": {"enforce_control_totals": False}}
    )
    check_tally(dataclasses.replace(GOOD, issued=8), off, present_entitled=5)
    with pytest.raises(TallyError):
        check_tally(dataclasses.replace(GOOD, valid=8), off, present_entitled=10)


def test_form_specific_totals(profile: Profile) -> None:
    single = tally(SINGLE, {"X": 5}, issued=9, valid=9, disagree={"X": 3})
    with pytest.raises(TallyError, match="exactly one box"):
        check_tally(single, profile, present_entitled=9)
    check_tally(
        tally(
            SINGLE,
            {"X": 5},
            issued=9,
            valid=8,
            disagree={"X": 3},
            invalid={"single_name_both_or_none": 1},
        ),
        profile,
        present_entitled=9,
    )
    with pytest.raises(TallyError, match="disagree votes for every name"):
        check_tally(
            tally(MULTI, {"P": 1, "Q": 1, "R": 1}, issued=3, valid=3), profile, present_entitled=3
        )
    with pytest.raises(TallyError, match="more nominations"):
        check_tally(
            tally(NOMINATION, {"A": 3, "B": 2, "C": 0}, issued=4, valid=4),
            profile,
            present_entitled=4,
        )


def test_count_ballots_matches_read_ballot(profile: Profile) -> None:
    """R-RESULT-1: only valid ballots give votes; rows with both/none give none."""
    ballots = [
        BallotMarking(marks={"P": Mark.AGREE, "Q": Mark.AGREE, "R": Mark.DISAGREE}),
        BallotMarking(marks={"P": Mark.BOTH, "Q": Mark.DISAGREE}),
        BallotMarking(marks={"P": Mark.AGREE}, identifying_marks=True),
    ]
    counted = count_ballots(MULTI, ballots, issued=3, profile=profile)
    assert counted.votes == {"P": 1, "Q": 1, "R": 0}
    assert counted.disagree == {"P": 0, "Q": 1, "R": 1}
    assert counted.invalid == {InvalidReason.IDENTIFYING_MARKS: 1}
    check_tally(counted, profile, present_entitled=3)
    assert isinstance(counted, Tally) and counted.invalid_total == 1


def test_counting_board_members_are_not_candidates(profile: Profile) -> None:
    """R-COUNT-1: board members not on the list, and not probationary."""
    check_counting_board({"k1", "k2"}, {"A", "B"})
    with pytest.raises(RulesError) as caught:
        check_counting_board({"k1", "A"}, {"A", "B"})
    assert caught.value.rule_id == "R-COUNT-1"
    with pytest.raises(RulesError, match="probationary"):
        check_counting_board({"k1", "k2"}, {"A"}, probationary={"k2"})

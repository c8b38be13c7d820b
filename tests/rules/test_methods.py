"""Secret ballot or open vote for each matter (R-FORM-1, R-FORM-2, R-CRED-3)."""

from __future__ import annotations

import pytest

from election.rules import Matter, Profile, ProfileError, VotingMethod, load_profile, voting_method

SECRET = [
    Matter.COMMITTEE,
    Matter.STANDING_COMMITTEE,
    Matter.SECRETARY,
    Matter.DEPUTY_SECRETARY,
    Matter.INSPECTION_COMMISSION,
    Matter.INSPECTION_CHAIR,
    Matter.INSPECTION_DEPUTY_CHAIR,
    Matter.DELEGATES,
    Matter.OPINION_BALLOT,
    Matter.SECRETARY_NOMINATION,
]
OPEN = [
    Matter.CONGRESS_ORGANS,
    Matter.NUMBER_OF_SEATS,
    Matter.CANDIDATE_LIST,
    Matter.WITHDRAWAL,
    Matter.PROCEDURE,
    Matter.CREDENTIALS_REPORT,
]


def test_secret_ballot_matters(profile: Profile) -> None:
    """R-FORM-1: elections and consultations on people are by secret ballot."""
    for matter in SECRET:
        assert voting_method(matter, profile) is VotingMethod.SECRET_BALLOT


def test_open_vote_matters(profile: Profile) -> None:
    """R-FORM-2: organs, numbers, lists, withdrawals (R-LIST-8), procedure; R-CRED-3."""
    for matter in OPEN:
        assert voting_method(matter, profile) is VotingMethod.OPEN_VOTE


def test_state_post_introduction_is_listed_only_in_2024() -> None:
    """R-FORM-1: 2024 adds the introduction of members for State posts explicitly."""
    assert voting_method(Matter.STATE_POST_INTRODUCTION, load_profile("QD190_2024")) is (
        VotingMethod.SECRET_BALLOT
    )
    with pytest.raises(ProfileError) as caught:
        voting_method(Matter.STATE_POST_INTRODUCTION, load_profile("QD244_2014"))
    assert caught.value.rule_id == "R-FORM-1"


def test_every_matter_is_covered_by_2024() -> None:
    p = load_profile("QD190_2024")
    assert p.voting.secret_ballot | p.voting.open_vote == set(Matter)

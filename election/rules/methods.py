"""How each matter is voted on: secret ballot or open vote (R-FORM-1, R-FORM-2).

The services use this to choose the vote engine: a secret ballot (anonymous, one encrypted
ballot per voter) or an open vote (show of hands or party card; only the counts agree /
disagree / abstain are recorded). Which matters belong to which method is profile data,
because the 2024 regulation lists two secret-ballot matters that the 2014 one does not.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from election.rules.errors import ProfileError

if TYPE_CHECKING:
    from election.rules.profiles import Profile

__all__ = ["Matter", "VotingMethod", "voting_method"]


class VotingMethod(StrEnum):
    # The word "secret" is a kind of ballot here, not a credential.
    SECRET_BALLOT = "secret_ballot"  # noqa: S105
    OPEN_VOTE = "open_vote"


class Matter(StrEnum):
    """A question put to a congress or a committee session."""

    # Elections (R-FORM-1).
    COMMITTEE = "committee"
    STANDING_COMMITTEE = "standing_committee"
    SECRETARY = "secretary"
    DEPUTY_SECRETARY = "deputy_secretary"
    INSPECTION_COMMISSION = "inspection_commission"
    INSPECTION_CHAIR = "inspection_chair"
    INSPECTION_DEPUTY_CHAIR = "inspection_deputy_chair"
    DELEGATES = "delegates"
    # Consultations held on ballots (R-FORM-1 in 2024, R-LIST-3, R-CONF-3).
    OPINION_BALLOT = "opinion_ballot"
    SECRETARY_NOMINATION = "secretary_nomination"
    STATE_POST_INTRODUCTION = "state_post_introduction"
    # Decisions taken by show of hands (R-FORM-2, R-CRED-3, R-LIST-8, R-RESULT-8).
    CONGRESS_ORGANS = "congress_organs"
    NUMBER_OF_SEATS = "number_of_seats"
    CANDIDATE_LIST = "candidate_list"
    WITHDRAWAL = "withdrawal"
    PROCEDURE = "procedure"
    CREDENTIALS_REPORT = "credentials_report"


def voting_method(matter: Matter, profile: Profile) -> VotingMethod:
    """Return how ``matter`` is voted under ``profile`` (R-FORM-1, R-FORM-2).

    Raises ``ProfileError`` when the profile names the matter under neither method: the
    regulation of that profile is then silent and a person, not the software, must decide.
    """
    matter = Matter(matter)
    if matter in profile.voting.secret_ballot:
        return VotingMethod.SECRET_BALLOT
    if matter in profile.voting.open_vote:
        return VotingMethod.OPEN_VOTE
    raise ProfileError(
        f"profile {profile.profile_id} does not say how {matter.value!r} is voted (R-FORM-1)",
        rule_id="R-FORM-1",
    )

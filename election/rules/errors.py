"""Errors raised by the rules engine (``election.rules``).

The engine raises; it never returns ``False`` to say that a rule was broken. Each error
carries the id of the rule it enforces (``rule_id``, an id of ``RULES.md``) so that the web
layer and the minutes can say which rule stopped the action. The tree::

    RulesError                   base of everything below; has ``rule_id``
    ├── ProfileError             a rules profile (config/rules/*.toml) is missing or malformed
    ├── CandidateListError       a candidate list or a nomination breaks R-LIST-*
    ├── BallotInvalid            one ballot is invalid (R-BALLOT-4); carries ``reason``
    ├── TallyError               a tally's totals do not add up (R-COUNT-3)
    │   └── VoteMustBeRepeated   more ballots collected than issued (R-COUNT-3)
    ├── QuorumNotMet             too few present to proceed (R-QUORUM-1)
    ├── DecisionRequired         the step needs a recorded open-vote decision (R-RESULT-8)
    ├── RoundNotAllowed          no further round here (R-RESULT-7, R-RESULT-8, R-DIRECT-5)
    ├── ChainError               out of order or from the wrong pool (R-DIRECT-1, R-DIRECT-2)
    └── InvalidTransition        a result state change that R-STATE-1 does not allow

Wrong Python types and impossible parameters from our own code (a negative seat count,
a roster entry that is both absent for the whole congress and present at the vote) raise
``TypeError``/``ValueError`` instead: they are bugs in the caller, not rule violations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from election.rules.ballots import InvalidReason

__all__ = [
    "BallotInvalid",
    "CandidateListError",
    "ChainError",
    "DecisionRequired",
    "InvalidTransition",
    "ProfileError",
    "QuorumNotMet",
    "RoundNotAllowed",
    "RulesError",
    "TallyError",
    "VoteMustBeRepeated",
]


class RulesError(Exception):
    """Base class of every rule violation the engine reports.

    ``rule_id`` names the rule of RULES.md that the action broke (empty for profile errors,
    which concern configuration rather than a rule).
    """

    def __init__(self, message: str, *, rule_id: str = "") -> None:
        super().__init__(message)
        self.rule_id = rule_id


class ProfileError(RulesError):
    """A rules profile is missing, has an unknown or missing key, or a value of the wrong type."""


class CandidateListError(RulesError):
    """A candidate list, or one entry on it, breaks a list rule (R-LIST-1..10, R-DIRECT-2)."""


class BallotInvalid(RulesError):
    """One ballot is invalid (R-BALLOT-4); ``reason`` says which case applies.

    An invalid ballot is still collected and counted as invalid; raising lets the caller
    count it under its reason without ever treating it as a vote.
    """

    def __init__(self, reason: InvalidReason) -> None:
        super().__init__(
            f"invalid ballot: {reason.value} ({reason.rule_ref})", rule_id="R-BALLOT-4"
        )
        self.reason = reason


class TallyError(RulesError):
    """A tally's control totals or per-candidate counts are impossible (R-COUNT-3)."""


class VoteMustBeRepeated(TallyError):
    """More ballots were collected than issued, so the vote must be held again (R-COUNT-3)."""


class QuorumNotMet(RulesError):
    """Too few voters are present for the congress or the vote to proceed (R-QUORUM-1)."""


class DecisionRequired(RulesError):
    """The step needs a recorded open-vote decision of the congress and none was given."""


class RoundNotAllowed(RulesError):
    """A further round cannot be held: no open seat, the decision was not carried, or the
    post must be referred to the higher committee."""


class ChainError(RulesError):
    """A post is elected before the body it is chosen from, or from outside that body."""


class InvalidTransition(RulesError):
    """A change of result state that R-STATE-1 does not allow."""

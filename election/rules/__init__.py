"""The election rules engine: RULES.md as pure functions over typed dataclasses.

No database, no Flask, nothing outside the standard library (a test checks it). Every
function takes a ``Profile`` (``QD244_2014`` or ``QD190_2024``, loaded from
``config/rules/``) and raises an ``election.rules.errors`` exception when a rule is broken.

Modules, in the order a contest uses them:

* ``profiles`` — the two regulations as data, loaded strictly.
* ``majority`` — the majority base N from the roster, exclusions itemised (R-RESULT-2,
  R-RESULT-3, R-RESULT-4).
* ``quorum`` — the quorum check (R-QUORUM-1).
* ``lists`` / ``names`` — candidate-list checks and A-B-C order (R-LIST-1..10).
* ``ballots`` — the ballot form and one ballot's validity (R-BALLOT-1..6).
* ``counting`` — the tally and its control totals (R-COUNT-1, R-COUNT-3).
* ``results`` — elected / tied / not elected, further rounds, closing (R-RESULT-1..9).
* ``percent`` — exact percentages of N and their display (R-RESULT-9).
* ``chain`` — committee → standing committee → secretary → deputies (R-DIRECT-1, R-DIRECT-2).
* ``delegates`` — delegates to the higher congress (R-HIGHER-1..4).
* ``states`` — the result record's states (R-STATE-1).
* ``methods`` — secret ballot or open vote for each matter (R-FORM-1, R-FORM-2).
* ``complaints`` — time limits on letters: the cut-off before the congress and the
  complaint period after it (R-INSP-3, R-INSP-4).

The map from rule ids to functions is in ``docs/rules.md``.
"""

from __future__ import annotations

from election.rules.ballots import (
    BallotForm,
    BallotMarking,
    BallotVotes,
    FormKind,
    InvalidReason,
    Mark,
    ballot_form,
    nomination_ballot_form,
    opinion_ballot_form,
    read_ballot,
)
from election.rules.chain import Chain, refer_without_ballot
from election.rules.complaints import (
    add_working_days,
    complaint_deadline,
    cutoff_start,
    held_until_after_congress,
    is_late,
)
from election.rules.contests import Assembly, Contest, Post
from election.rules.counting import Tally, check_counting_board, check_tally, count_ballots
from election.rules.delegates import (
    DelegateAllocation,
    alternate_replacement_order,
    check_alternate_ballot_may_open,
    delegate_contests,
)
from election.rules.errors import (
    BallotInvalid,
    CandidateListError,
    ChainError,
    DecisionRequired,
    InvalidTransition,
    ProfileError,
    QuorumNotMet,
    RoundNotAllowed,
    RulesError,
    TallyError,
    VoteMustBeRepeated,
)
from election.rules.lists import (
    Candidate,
    CheckedList,
    ListCut,
    ListEntry,
    ListWarning,
    Nominator,
    Source,
    SurplusBounds,
    abc_order,
    check_candidate_list,
    cut_to_ceiling,
    floor_nominee_passes,
    surplus_bounds,
)
from election.rules.majority import (
    Exclusion,
    ExclusionReason,
    MajorityBase,
    Membership,
    RosterEntry,
    has_majority,
    majority_base,
)
from election.rules.methods import Matter, VotingMethod, voting_method
from election.rules.names import PersonName
from election.rules.percent import (
    PercentDisplay,
    Rounding,
    format_percent_en,
    format_percent_vi,
    percent_of_base,
)
from election.rules.profiles import PROFILE_IDS, Profile, load_profile
from election.rules.quorum import check_quorum, quorum_required
from election.rules.results import (
    CandidateResult,
    ContestOutcome,
    Motion,
    NextRoundPlan,
    NominationResult,
    OpenVoteDecision,
    Outcome,
    Round,
    RoundKind,
    RoundResult,
    RoundStatus,
    TraceStep,
    close_contest,
    decide_round,
    decision_carried,
    nomination_result,
    open_round,
    plan_next_round,
)
from election.rules.states import ResultState, transition

__all__ = [
    "PROFILE_IDS",
    "Assembly",
    "BallotForm",
    "BallotInvalid",
    "BallotMarking",
    "BallotVotes",
    "Candidate",
    "CandidateListError",
    "CandidateResult",
    "Chain",
    "ChainError",
    "CheckedList",
    "Contest",
    "ContestOutcome",
    "DecisionRequired",
    "DelegateAllocation",
    "Exclusion",
    "ExclusionReason",
    "FormKind",
    "InvalidReason",
    "InvalidTransition",
    "ListCut",
    "ListEntry",
    "ListWarning",
    "MajorityBase",
    "Mark",
    "Matter",
    "Membership",
    "Motion",
    "NextRoundPlan",
    "NominationResult",
    "Nominator",
    "OpenVoteDecision",
    "Outcome",
    "PercentDisplay",
    "PersonName",
    "Post",
    "Profile",
    "ProfileError",
    "QuorumNotMet",
    "ResultState",
    "RosterEntry",
    "Round",
    "RoundKind",
    "RoundNotAllowed",
    "RoundResult",
    "RoundStatus",
    "Rounding",
    "RulesError",
    "Source",
    "SurplusBounds",
    "Tally",
    "TallyError",
    "TraceStep",
    "VoteMustBeRepeated",
    "VotingMethod",
    "abc_order",
    "alternate_replacement_order",
    "ballot_form",
    "check_alternate_ballot_may_open",
    "check_candidate_list",
    "check_counting_board",
    "check_quorum",
    "check_tally",
    "close_contest",
    "count_ballots",
    "cut_to_ceiling",
    "decide_round",
    "decision_carried",
    "delegate_contests",
    "floor_nominee_passes",
    "format_percent_en",
    "format_percent_vi",
    "has_majority",
    "load_profile",
    "majority_base",
    "nomination_ballot_form",
    "nomination_result",
    "open_round",
    "opinion_ballot_form",
    "percent_of_base",
    "plan_next_round",
    "quorum_required",
    "read_ballot",
    "refer_without_ballot",
    "surplus_bounds",
    "transition",
    "voting_method",
    "add_working_days",
    "complaint_deadline",
    "cutoff_start",
    "held_until_after_congress",
    "is_late",
]

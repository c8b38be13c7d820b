"""Deciding a round: elected, tied, not elected; further rounds; closing a contest.

The rules of RULES.md section 6, applied to one ``Tally`` and one ``MajorityBase``:

* R-RESULT-5: a candidate can be elected only with ``2 * votes > N``; N is the majority
  base, never the valid ballots (R-NOTSTATE-1).
* R-RESULT-6: among those with a majority, the most votes take the seats.
* R-RESULT-7: candidates with equal votes straddling the last seat(s) are returned as tied;
  the software never breaks a tie (no age rule, no ballot order, no chance).
* R-RESULT-8: if too few have a majority, those who have it are elected and the seats stay
  open; another round needs a recorded open-vote decision of the congress.
* R-DIRECT-5: in the direct-election pilot a failed secretary vote is referred to the
  higher committee (a setting, UNCONFIRMED).

A contest is a sequence of rounds: ``open_round`` → tally → ``decide_round`` → either
``close_contest`` or ``plan_next_round`` (with the decision) → ``open_round`` again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from typing import TYPE_CHECKING

from election.rules.ballots import BallotForm, ballot_form
from election.rules.contests import Assembly, Contest, Post
from election.rules.counting import Tally, check_tally
from election.rules.errors import (
    CandidateListError,
    DecisionRequired,
    RoundNotAllowed,
    RulesError,
)
from election.rules.majority import MajorityBase, has_majority
from election.rules.percent import format_percent, percent_of_base
from election.rules.values import is_whole

if TYPE_CHECKING:
    from election.rules.profiles import Profile

__all__ = [
    "CandidateResult",
    "ContestOutcome",
    "Motion",
    "NextRoundPlan",
    "NominationResult",
    "OpenVoteDecision",
    "Outcome",
    "Round",
    "RoundKind",
    "RoundResult",
    "RoundStatus",
    "TraceStep",
    "close_contest",
    "decide_round",
    "decision_carried",
    "nomination_result",
    "open_round",
    "plan_next_round",
]

_BASE_RULE = {
    Assembly.MEMBERS_CONGRESS: "R-RESULT-2",
    Assembly.DELEGATES_CONGRESS: "R-RESULT-3",
    Assembly.COMMITTEE_SESSION: "R-RESULT-4",
}


class RoundKind(StrEnum):
    #: The first ballot on the list the congress approved.
    FIRST = "first"
    #: A further ballot restricted to candidates tied for the last seat(s) (R-RESULT-7).
    TIE_BREAK = "tie_break"
    #: A further ballot for seats left open because too few had a majority (R-RESULT-8).
    FURTHER = "further"


class Motion(StrEnum):
    """What an open vote after an unfinished round decides (R-FORM-2, R-RESULT-8)."""

    #: Vote again, on the tied or unsuccessful candidates only.
    FURTHER_ROUND = "further_round"
    #: Vote again, and new names may be added to the list (not after a tie).
    FURTHER_ROUND_NEW_NAMES = "further_round_new_names"
    #: Stop; the open seats stay vacant (by-election or appointment later).
    STOP = "stop"


@dataclass(frozen=True)
class OpenVoteDecision:
    """A recorded open vote (show of hands or party card) of the congress or session.

    ``record_id`` points at the vote in the congress record; ``after_round`` is the round
    whose result was put to the vote. The motion is carried with ``2 * agree > N`` on the
    same majority base as the round (Điều lệ Điều 9: resolutions need more than half).
    """

    record_id: str
    contest_id: str
    after_round: int
    motion: Motion
    agree: int
    disagree: int
    abstain: int = 0

    def __post_init__(self) -> None:
        if not self.record_id:
            raise ValueError("a decision must point at its record (record_id)")
        counts = (self.agree, self.disagree, self.abstain)
        if any(not is_whole(c, low=0) for c in counts):
            raise ValueError("vote counts are non-negative integers")


def decision_carried(decision: OpenVoteDecision, base: MajorityBase) -> bool:
    """Whether the motion was carried: more than half of N agreed (R-FORM-2, R-RESULT-5)."""
    if decision.agree + decision.disagree + decision.abstain > base.n:
        raise ValueError("more open votes than people in the majority base")
    return has_majority(decision.agree, base.n)


@dataclass(frozen=True)
class Round:
    """One ballot of a contest: its number, kind and form."""

    contest: Contest
    number: int
    kind: RoundKind
    form: BallotForm
    #: Whether winners need ``2 * votes > N`` (always, except a tie-break round when the
    #: profile says otherwise).
    requires_majority: bool = True
    #: The open-vote decision that allowed this round (none for the first round).
    decision: OpenVoteDecision | None = None


@dataclass(frozen=True)
class NextRoundPlan:
    """What a further round may be: the allowed names and the seats (R-RESULT-7, R-RESULT-8)."""

    contest: Contest
    number: int
    kind: RoundKind
    seats: int
    #: Names from the previous round that may stand again, in ballot order.
    allowed: tuple[str, ...]
    may_add_names: bool
    requires_majority: bool
    decision: OpenVoteDecision


def open_round(
    contest: Contest, candidates: Sequence[str], *, plan: NextRoundPlan | None = None
) -> Round:
    """Open a round on ``candidates`` (ballot order, already checked by ``check_candidate_list``).

    Without ``plan`` this is the first round for all of the contest's seats. With a plan the
    names must be among ``plan.allowed`` unless the congress allowed new names (R-RESULT-8);
    after a tie they must be among the tied (R-RESULT-7). Withdrawals (R-LIST-8) simply leave
    names out. A round with fewer names than seats is refused.
    """
    if plan is None:
        return Round(
            contest,
            1,
            RoundKind.FIRST,
            ballot_form(_enough(candidates, contest.seats), contest.seats),
        )
    if plan.contest != contest:
        raise ValueError("the plan belongs to another contest")
    added = sorted(set(candidates) - set(plan.allowed))
    if added and not plan.may_add_names:
        rule = "R-RESULT-7" if plan.kind is RoundKind.TIE_BREAK else "R-RESULT-8"
        raise CandidateListError(f"the congress did not allow new names: {added}", rule_id=rule)
    form = ballot_form(_enough(candidates, plan.seats), plan.seats)
    return Round(contest, plan.number, plan.kind, form, plan.requires_majority, plan.decision)


def _enough(candidates: Sequence[str], seats: int) -> tuple[str, ...]:
    names = tuple(candidates)
    if len(names) < seats:
        raise CandidateListError(
            f"{len(names)} names for {seats} seats: add names or stop", rule_id="R-RESULT-8"
        )
    return names


class Outcome(StrEnum):
    """What happened to one candidate in one round."""

    #: 2*votes > N and within the seats (R-RESULT-5, R-RESULT-6).
    ELECTED = "elected"
    #: Equal votes with others for the last seat(s), more of them than seats (R-RESULT-7).
    TIED = "tied"
    #: 2*votes > N but below the cut-off (R-RESULT-6).
    RANKED_OUT = "ranked_out"
    #: 2*votes <= N (R-RESULT-5).
    NO_MAJORITY = "no_majority"


class RoundStatus(StrEnum):
    """How a round (or a closed contest) ended."""

    ALL_SEATS_FILLED = "all_seats_filled"
    #: Some seats depend on a tie the congress must resolve (R-RESULT-7).
    TIE_FOR_LAST_SEAT = "tie_for_last_seat"
    #: Fewer had a majority than there were seats (R-RESULT-8).
    ELECTED_FEWER_THAN_PLANNED = "elected_fewer_than_planned"
    #: A failed direct secretary vote goes to the higher committee (R-DIRECT-5).
    REFERRED_TO_HIGHER_COMMITTEE = "referred_to_higher_committee"


@dataclass(frozen=True)
class CandidateResult:
    """One candidate's line in the minutes (R-MINUTES-1 field 10)."""

    candidate: str
    votes: int
    #: Disagree boxes, on the agree/disagree form only.
    disagree: int | None
    #: ``100 * votes / N`` exactly (R-RESULT-9).
    percent: Fraction
    #: The percentage shown in the minutes, Vietnamese style ("51,21%").
    percent_text: str
    #: 1 + the number of candidates with more votes (equal votes share a rank).
    rank: int
    has_majority: bool
    outcome: Outcome


@dataclass(frozen=True)
class TraceStep:
    """One rule the engine applied, for the record and the verifier (PROTOCOL.md V9)."""

    rule_id: str
    citation: str
    text: str


@dataclass(frozen=True)
class RoundResult:
    """The decided result of one round."""

    round: Round
    base: MajorityBase
    tally: Tally
    #: Every candidate, in ballot order.
    candidates: tuple[CandidateResult, ...]
    status: RoundStatus
    #: The elected, most votes first (equal votes in ballot order, which decides nothing).
    elected: tuple[str, ...]
    #: Candidates tied for the last ``tie_seats`` seats (R-RESULT-7).
    tied: tuple[str, ...]
    tie_seats: int
    trace: tuple[TraceStep, ...]

    @property
    def open_seats(self) -> int:
        return self.round.form.seats - len(self.elected)

    @property
    def not_elected(self) -> tuple[str, ...]:
        return tuple(c.candidate for c in self.candidates if c.outcome is not Outcome.ELECTED)


def decide_round(round_: Round, tally: Tally, base: MajorityBase, profile: Profile) -> RoundResult:
    """Decide who is elected, tied or not elected in one round.

    R-RESULT-1: only valid ballots count (the tally holds them); R-RESULT-5: elected only with
    ``2 * votes > N``, N from ``base``; R-RESULT-6: ranked by votes until the seats are
    filled; R-RESULT-7: a tie straddling the last seat(s) is returned, never broken;
    R-RESULT-8: fewer elected than seats leaves seats open; R-DIRECT-5: a failed direct
    secretary vote is referred when the profile says so. R-RESULT-9: percentages on N.
    """
    form, contest, n = round_.form, round_.contest, base.n
    if tally.form != form:
        raise ValueError("the tally is for another ballot form")
    if form.kind == "choose_one":
        raise ValueError("a nomination ballot elects nobody (R-CONF-3); use nomination_result")
    if base.assembly is not contest.assembly:
        raise ValueError(
            f"the majority base is for a {base.assembly.value}, not {contest.assembly.value}"
        )
    check_tally(tally, profile, present_entitled=base.present_at_vote)

    votes = tally.votes
    seats = form.seats
    qualified = [
        c for c in form.candidates if not round_.requires_majority or has_majority(votes[c], n)
    ]
    by_votes = sorted(qualified, key=lambda c: -votes[c])
    tied: tuple[str, ...] = ()
    if len(by_votes) <= seats:
        elected = tuple(by_votes)
    else:
        cutoff = votes[by_votes[seats - 1]]
        above = tuple(c for c in by_votes if votes[c] > cutoff)
        at = tuple(c for c in by_votes if votes[c] == cutoff)
        if len(above) + len(at) <= seats:
            elected = above + at
        else:
            # R-RESULT-7: more candidates share the cut-off than seats remain; leave it open.
            elected, tied = above, at
    tie_seats = seats - len(elected) if tied else 0

    results = []
    for c in form.candidates:
        if c in elected:
            outcome = Outcome.ELECTED
        elif c in tied:
            outcome = Outcome.TIED
        elif has_majority(votes[c], n):
            outcome = Outcome.RANKED_OUT
        else:
            outcome = Outcome.NO_MAJORITY
        results.append(
            CandidateResult(
                candidate=c,
                votes=votes[c],
                disagree=tally.disagree[c] if form.kind == "agree_disagree" else None,
                percent=percent_of_base(votes[c], n),
                percent_text=format_percent(
                    percent_of_base(votes[c], n), profile.percent, decimal_mark=","
                ),
                rank=1 + sum(1 for other in form.candidates if votes[other] > votes[c]),
                has_majority=has_majority(votes[c], n),
                outcome=outcome,
            )
        )

    if tied:
        status = RoundStatus.TIE_FOR_LAST_SEAT
    elif len(elected) == seats:
        status = RoundStatus.ALL_SEATS_FILLED
    elif (
        contest.direct
        and contest.post is Post.SECRETARY
        and profile.rounds.direct_secretary_failure_refers
    ):
        status = RoundStatus.REFERRED_TO_HIGHER_COMMITTEE
    else:
        status = RoundStatus.ELECTED_FEWER_THAN_PLANNED
    trace = _trace(round_, tally, base, profile, elected, tied, status)
    return RoundResult(round_, base, tally, tuple(results), status, elected, tied, tie_seats, trace)


def _trace(
    round_: Round,
    tally: Tally,
    base: MajorityBase,
    profile: Profile,
    elected: tuple[str, ...],
    tied: tuple[str, ...],
    status: RoundStatus,
) -> tuple[TraceStep, ...]:
    cite = profile.citations.results
    itemised = "; ".join(f"{e.reason.value} {e.count} ({e.rule_id})" for e in base.exclusions)
    steps = [
        TraceStep(
            _BASE_RULE[base.assembly],
            cite,
            f"N = {base.convened} convened - {base.excluded} excluded = {base.n}"
            + (f" [{itemised}]" if itemised else "")
            + f"; {base.absent_at_vote} absent at the vote stay in N",
        ),
        TraceStep(
            "R-RESULT-1",
            cite,
            f"{tally.cast} collected of {tally.issued} issued; {tally.valid} valid, "
            f"{tally.invalid_total} invalid; results from valid ballots only",
        ),
    ]
    if round_.requires_majority:
        steps.append(
            TraceStep(
                "R-RESULT-5",
                cite,
                f"elected only with 2 x votes > {base.n}, i.e. at least {base.threshold} votes "
                "(base N, not valid ballots: R-NOTSTATE-1)",
            )
        )
    else:
        steps.append(
            TraceStep(
                "R-RESULT-7", cite, "tie-break round: the profile does not require 2 x votes > N"
            )
        )
    steps.append(
        TraceStep(
            "R-RESULT-6",
            cite,
            f"{round_.form.seats} seat(s); elected by votes: {', '.join(elected) or 'nobody'}",
        )
    )
    if status is RoundStatus.TIE_FOR_LAST_SEAT:
        steps.append(
            TraceStep(
                "R-RESULT-7",
                cite,
                f"tie for the last {round_.form.seats - len(elected)} seat(s) between "
                f"{', '.join(tied)}; the congress decides, the software does not",
            )
        )
    elif status is RoundStatus.ELECTED_FEWER_THAN_PLANNED:
        steps.append(
            TraceStep(
                "R-RESULT-8",
                cite,
                f"{len(elected)} of {round_.form.seats} seat(s) filled; the congress decides "
                "by open vote whether to vote again",
            )
        )
    elif status is RoundStatus.REFERRED_TO_HIGHER_COMMITTEE:
        steps.append(
            TraceStep(
                "R-DIRECT-5",
                cite,
                "the direct secretary vote failed; referred to the higher committee",
            )
        )
    return tuple(steps)


def plan_next_round(
    result: RoundResult, decision: OpenVoteDecision | None, profile: Profile
) -> NextRoundPlan:
    """What the next round may be, given a result with open seats or a tie.

    Requires ``decision``, the recorded open vote in which the congress decided to vote
    again (R-FORM-2, R-RESULT-8); raises ``DecisionRequired`` without it and
    ``RoundNotAllowed`` when it was not carried, did not decide a further round, or no
    further round is possible:

    * after a tie: the tied candidates only, for the tied seats (R-RESULT-7); whether the
      winner needs ``2 * votes > N`` again is the profile's ``tie_revote_requires_majority``;
    * after too few were elected: the unsuccessful candidates, plus new names if the congress
      allowed them, for the open seats; the majority is required (R-RESULT-8, R-HIGHER-3);
    * a referred direct secretary vote gets no further round at the congress (R-DIRECT-5).
    """
    contest = result.round.contest
    if result.status is RoundStatus.ALL_SEATS_FILLED:
        raise RoundNotAllowed("every seat is filled", rule_id="R-RESULT-6")
    if result.status is RoundStatus.REFERRED_TO_HIGHER_COMMITTEE:
        raise RoundNotAllowed(
            "a failed direct secretary vote is referred to the higher committee",
            rule_id="R-DIRECT-5",
        )
    if decision is None:
        raise DecisionRequired(
            "a further round needs the congress's recorded open-vote decision", rule_id="R-RESULT-8"
        )
    _check_decision_target(decision, result)
    if decision.motion is Motion.STOP:
        raise RoundNotAllowed("the congress decided to stop", rule_id="R-RESULT-8")
    if not decision_carried(decision, result.base):
        raise RoundNotAllowed(
            f"the motion got {decision.agree} of N = {result.base.n}, not more than half",
            rule_id="R-RESULT-8",
        )
    new_names = decision.motion is Motion.FURTHER_ROUND_NEW_NAMES
    if result.status is RoundStatus.TIE_FOR_LAST_SEAT:
        if new_names:
            raise RoundNotAllowed(
                "a tie is voted again among the tied candidates only", rule_id="R-RESULT-7"
            )
        return NextRoundPlan(
            contest,
            result.round.number + 1,
            RoundKind.TIE_BREAK,
            result.tie_seats,
            result.tied,
            False,
            profile.rounds.tie_revote_requires_majority,
            decision,
        )
    return NextRoundPlan(
        contest,
        result.round.number + 1,
        RoundKind.FURTHER,
        result.open_seats,
        result.not_elected,
        new_names,
        True,
        decision,
    )


def _check_decision_target(decision: OpenVoteDecision, result: RoundResult) -> None:
    if decision.contest_id != result.round.contest.contest_id:
        raise ValueError("the decision is about another contest")
    if decision.after_round != result.round.number:
        raise ValueError(
            f"the decision follows round {decision.after_round}, not {result.round.number}"
        )


@dataclass(frozen=True)
class ContestOutcome:
    """The end of a contest across all its rounds."""

    contest: Contest
    #: Everyone elected, round by round, most votes first within a round.
    elected: tuple[str, ...]
    vacancies: int
    #: ``ALL_SEATS_FILLED``, ``ELECTED_FEWER_THAN_PLANNED`` or ``REFERRED_TO_HIGHER_COMMITTEE``.
    status: RoundStatus
    rounds: int


def close_contest(
    rounds: Sequence[RoundResult], profile: Profile, *, decision: OpenVoteDecision | None = None
) -> ContestOutcome:
    """Close a contest after its last round.

    With seats still open after a tie or too few majorities, closing needs the recorded
    open-vote decision to stop (a carried ``STOP`` motion, or a further-round motion that
    failed); the seats then stay vacant for a by-election or appointment (R-RESULT-8).
    Delegates to the higher congress are voted again at least once before the congress may
    stop (R-HIGHER-3). A referred direct secretary vote closes as referred (R-DIRECT-5).
    """
    if not rounds:
        raise ValueError("a contest has at least one round")
    contest = rounds[0].round.contest
    if any(r.round.contest != contest for r in rounds):
        raise ValueError("all rounds must belong to one contest")
    if [r.round.number for r in rounds] != list(range(1, len(rounds) + 1)):
        raise ValueError("rounds must be numbered 1, 2, ... without gaps")
    elected = tuple(c for r in rounds for c in r.elected)
    if len(set(elected)) != len(elected) or len(elected) > contest.seats:
        raise ValueError("the rounds elect someone twice or more people than seats")
    last = rounds[-1]
    vacancies = contest.seats - len(elected)
    if vacancies == 0:
        return ContestOutcome(contest, elected, 0, RoundStatus.ALL_SEATS_FILLED, len(rounds))
    if last.status is RoundStatus.REFERRED_TO_HIGHER_COMMITTEE:
        return ContestOutcome(contest, elected, vacancies, last.status, len(rounds))
    if last.status is RoundStatus.ALL_SEATS_FILLED:
        raise ValueError("the last round filled its seats but the contest has open seats")
    if decision is None:
        raise DecisionRequired(
            "stopping with open seats needs the congress's recorded open-vote decision",
            rule_id="R-RESULT-8",
        )
    _check_decision_target(decision, last)
    carried = decision_carried(decision, last.base)
    if carried != (decision.motion is Motion.STOP):
        raise DecisionRequired(
            "the recorded decision is to vote again, not to stop", rule_id="R-RESULT-8"
        )
    if contest.post.is_delegation and len(rounds) < 2:
        raise RulesError(
            "the delegation must be voted again before the congress may stop",
            rule_id="R-HIGHER-3",
        )
    return ContestOutcome(
        contest, elected, vacancies, RoundStatus.ELECTED_FEWER_THAN_PLANNED, len(rounds)
    )


@dataclass(frozen=True)
class NominationResult:
    """The count of a secretary nomination ballot (R-CONF-3)."""

    #: ``(candidate, nominations)``, most first (equal counts in ballot order).
    counts: tuple[tuple[str, int], ...]
    #: Everyone with the highest count (more than one when tied).
    leaders: tuple[str, ...]
    #: The outcome differs from the personnel plan: report to the higher committee before the
    #: secretary is elected.
    report_to_higher_committee: bool


def nomination_result(
    tally: Tally, base: MajorityBase, profile: Profile, *, planned: str | None
) -> NominationResult:
    """Count a secretary nomination ballot against the personnel plan (R-CONF-3).

    The ballot is non-binding. The outcome "differs from the plan" unless the planned
    nominee alone has the most nominations; then the matter goes to the higher committee.
    """
    if tally.form.kind != "choose_one":
        raise ValueError("nomination_result reads a nomination (choose_one) ballot")
    check_tally(tally, profile, present_entitled=base.present_at_vote)
    ranked = sorted(tally.form.candidates, key=lambda c: -tally.votes[c])
    top = tally.votes[ranked[0]]
    leaders = tuple(c for c in ranked if tally.votes[c] == top)
    matches = leaders == (planned,)
    return NominationResult(tuple((c, tally.votes[c]) for c in ranked), leaders, not matches)

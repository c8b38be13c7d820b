"""Open votes (biểu quyết) as the presidium puts them, with N taken from the record.

``election.services.candidates.record_open_vote`` stores an open vote against whatever
majority base its caller passes. The presidium's console must not type N: it comes from
the roster and the attendance of the sitting (``election.services.agenda.base_for``, the
same computation that decides the secret-ballot rounds), so a mistyped N cannot carry a
motion. These services add that, check that the matter is one the congress decides by
open vote under its regulation (``election.rules.voting_method``, R-FORM-1/R-FORM-2), and
combine a vote with what it decides in one transaction:

* ``put_to_vote`` — any open-vote matter (congress organs, the number of seats, a
  candidate list, the credentials report, procedure);
* ``decide_withdrawal`` — the vote on a nominee's request to leave the list and the
  withdrawal itself (R-LIST-8);
* ``decide_further_round`` — the vote after an unfinished or annulled round and, when
  carried, the draft of the next round (R-RESULT-7/8). The rules engine's
  ``decision_carried`` decides; the stored ``carried`` must agree with it.

Each either records everything or nothing: if the next round cannot be built, the vote is
not stored either, and the presidium corrects the cause and puts the question again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from election import rules
from election.errors import InvalidInput, InvalidState
from election.models import (
    Congress,
    CongressSession,
    Contest,
    Matter,
    Motion,
    Nomination,
    OpenVote,
    Role,
    Round,
    Withdrawal,
)
from election.services import agenda, candidates, rounds
from election.services.base import Actor, require_role, service
from election.services.congress import congress_profile

__all__ = ["FurtherRoundDecision", "decide_further_round", "decide_withdrawal", "put_to_vote"]


@dataclass(frozen=True)
class FurtherRoundDecision:
    """The procedural vote after a round, and the draft round it created (if carried)."""

    vote: OpenVote
    round: Round | None


def _base(
    db: Session, congress: Congress, sitting: CongressSession, contest: Contest | None
) -> rules.MajorityBase:
    if sitting.congress_id != congress.id:
        raise InvalidInput("the session belongs to another congress")
    base = agenda.base_for(db, congress, sitting, contest)
    if base is None:
        raise InvalidState(
            f"the majority base N of session {sitting.number} cannot be computed yet: "
            "nobody is convened or attending"
        )
    return base


def _record(
    db: Session,
    actor: Actor,
    congress: Congress,
    base: rules.MajorityBase,
    *,
    subject: Matter,
    question: str,
    sitting: CongressSession,
    present: int,
    agree: int,
    disagree: int,
    abstain: int,
    now: datetime,
    about: Any = None,
    motion: Motion | None = None,
) -> OpenVote:
    subject = Matter(subject)
    method = rules.voting_method(rules.Matter(subject.value), congress_profile(congress))
    if method is not rules.VotingMethod.OPEN_VOTE:
        raise InvalidInput(f"{subject.value} is decided by secret ballot, not by open vote")
    if isinstance(present, int) and not isinstance(present, bool) and present > base.n:
        raise InvalidInput(f"{present} present, but the majority base N is only {base.n}")
    return candidates.record_open_vote(
        db,
        actor,
        congress,
        subject=subject,
        question=question,
        present=present,
        agree=agree,
        disagree=disagree,
        abstain=abstain,
        base_n=base.n,
        now=now,
        sitting=sitting,
        about=about,
        motion=motion,
    )


@service
def put_to_vote(
    db: Session,
    actor: Actor,
    congress: Congress,
    *,
    subject: Matter,
    question: str,
    sitting: CongressSession,
    present: int,
    agree: int,
    disagree: int,
    abstain: int,
    now: datetime,
    about: Any = None,
    contest: Contest | None = None,
) -> OpenVote:
    """Record an open vote held in ``sitting``; N is that sitting's (of ``contest``'s
    electorate when given). Carried with ``2 * agree > N`` (R-FORM-2, Điều lệ Điều 9)."""
    require_role(db, actor, congress, Role.PRESIDIUM)
    base = _base(db, congress, sitting, contest)
    return _record(
        db,
        actor,
        congress,
        base,
        subject=subject,
        question=question,
        sitting=sitting,
        present=present,
        agree=agree,
        disagree=disagree,
        abstain=abstain,
        now=now,
        about=about,
    )


@service
def decide_withdrawal(
    db: Session,
    actor: Actor,
    nomination: Nomination,
    *,
    reason: str,
    question: str,
    sitting: CongressSession,
    present: int,
    agree: int,
    disagree: int,
    abstain: int,
    now: datetime,
) -> Withdrawal:
    """Record the congress's open vote on ``nomination``'s request to withdraw, and the
    withdrawal with its reason (R-LIST-8). The nominee leaves the list only if carried."""
    contest = nomination.contest
    congress = contest.congress
    require_role(db, actor, congress, Role.PRESIDIUM)
    base = _base(db, congress, sitting, contest)
    vote = _record(
        db,
        actor,
        congress,
        base,
        subject=Matter.WITHDRAWAL,
        question=question,
        sitting=sitting,
        present=present,
        agree=agree,
        disagree=disagree,
        abstain=abstain,
        now=now,
        about=nomination,
    )
    return candidates.withdraw(db, actor, nomination, reason=reason, decision=vote, now=now)


@service
def decide_further_round(
    db: Session,
    actor: Actor,
    previous: Round,
    *,
    motion: Motion,
    question: str,
    sitting: CongressSession,
    present: int,
    agree: int,
    disagree: int,
    abstain: int,
    now: datetime,
) -> FurtherRoundDecision:
    """Record the procedural vote after ``previous`` (vote again, with or without new names,
    or stop; R-RESULT-8) and, when the rules engine finds it carried and the motion is to
    vote again, create the next round's draft (``rounds.create_further_round``)."""
    contest = previous.contest
    congress = contest.congress
    require_role(db, actor, congress, Role.PRESIDIUM)
    motion = Motion(motion)
    base = _base(db, congress, sitting, contest)
    vote = _record(
        db,
        actor,
        congress,
        base,
        subject=Matter.PROCEDURE,
        question=question,
        sitting=sitting,
        present=present,
        agree=agree,
        disagree=disagree,
        abstain=abstain,
        now=now,
        about=previous,
        motion=motion,
    )
    db.flush()
    decision = rules.OpenVoteDecision(
        record_id=str(vote.id),
        contest_id=contest.code,
        after_round=previous.number,
        motion=rules.Motion(motion.value),
        agree=agree,
        disagree=disagree,
        abstain=abstain,
    )
    carried = rules.decision_carried(decision, base)
    if carried is not vote.carried:  # pragma: no cover - both are 2 * agree > N
        raise InvalidState("the stored decision disagrees with the rules engine")
    if not carried or motion is Motion.STOP:
        return FurtherRoundDecision(vote, None)
    new = rounds.create_further_round(db, actor, previous, decision=vote, sitting=sitting, now=now)
    return FurtherRoundDecision(vote, new)

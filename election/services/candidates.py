"""Candidate lists: nominations, opinion ballots, withdrawals, open votes, and building a
contest's list with the rules engine's checks (R-LIST-1..10).

``build_candidate_list`` gathers a contest's standing nominations, hands them to
``election.rules.check_candidate_list`` (eligibility, the body the post is chosen from,
who may nominate, the opinion-ballot share, the surplus limits) and stores the checked list
in A-B-C order as the draft first round. Rules errors become ``RuleViolation`` with the
rule's id; the rules' warnings (a convening-committee surplus outside 10-15 %) are returned
and logged, never refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from election import rules
from election.errors import Conflict, InvalidInput, InvalidState, RuleViolation
from election.models import (
    BodyMember,
    CandidateSource,
    Congress,
    CongressKind,
    CongressSession,
    Contest,
    DelegateKind,
    FormKind,
    Matter,
    Member,
    Membership,
    Motion,
    Nomination,
    NominationStatus,
    OpenVote,
    Role,
    Round,
    RoundCandidate,
    RoundKind,
    RoundState,
    SessionKind,
    Withdrawal,
)
from election.rules.values import is_whole
from election.services import events, inspection
from election.services.base import Actor, require_role, service
from election.services.congress import congress_profile, rules_contest

__all__ = [
    "CandidateList",
    "build_candidate_list",
    "check_list",
    "check_sitting",
    "crypto_form_kind",
    "list_entries",
    "nominate",
    "person_name",
    "record_open_vote",
    "record_opinion_ballot",
    "rules_candidate",
    "standing_nominations",
    "withdraw",
]


@dataclass(frozen=True)
class CandidateList:
    """The draft round holding a checked list, and the rules' warnings about it."""

    round: Round
    warnings: tuple[str, ...]


def person_name(member: Member) -> rules.PersonName:
    return rules.PersonName(member.family_name, member.middle_name, member.given_name)


def _body_codes(db: Session, body_id: int | None) -> set[str]:
    if body_id is None:
        return set()
    return set(
        db.scalars(
            sa.select(Member.code)
            .join(BodyMember, BodyMember.member_id == Member.id)
            .where(BodyMember.body_id == body_id)
        )
    )


def _is_delegate(member: Member) -> bool:
    if member.congress.kind is CongressKind.MEMBERS:
        return True
    return member.delegate_kind not in (None, DelegateKind.ALTERNATE)


def rules_candidate(member: Member, *, owners: set[str]) -> rules.Candidate:
    """The rules engine's view of a person standing (R-LIST-4..7)."""
    bars = []
    if member.temporary_activity_elsewhere:
        bars.append("sinh hoạt tạm thời nơi khác")
    if member.suspended:
        bars.append("đình chỉ sinh hoạt")
    if member.prosecuted:
        bars.append("bị khởi tố, truy tố hoặc tạm giam")
    return rules.Candidate(
        person_id=member.code,
        name=person_name(member),
        note=str(member.birth_year),
        membership=rules.Membership(member.membership.value),
        delegate=_is_delegate(member),
        in_list_owner_body=member.code in owners,
        ineligible=tuple(bars),
    )


def crypto_form_kind(kind: str) -> FormKind:
    """The crypto layer's name of a rules form kind (``choose_one`` is ``choose_at_most``)."""
    return FormKind.CHOOSE_AT_MOST if kind == "choose_one" else FormKind(kind)


def check_sitting(contest: Contest, sitting: CongressSession) -> None:
    """A congress contest is voted in a plenary session; a body's in that body's session."""
    if sitting.congress_id != contest.congress_id:
        raise InvalidInput("the session belongs to another congress")
    if contest.electorate_id is None:
        if sitting.kind is not SessionKind.PLENARY:
            raise InvalidInput(f"{contest.code} is voted by the congress in a plenary session")
    elif sitting.body_id != contest.electorate_id:
        raise InvalidInput(f"{contest.code} is voted in a session of its electorate body")


# ------------------------------------------------------------------------------- services


@service
def nominate(
    db: Session,
    actor: Actor,
    contest: Contest,
    member: Member,
    *,
    now: datetime,
    source: CandidateSource = CandidateSource.OFFICIAL,
    nominator: Member | None = None,
) -> Nomination:
    """Put ``member`` forward for ``contest``: on the convening committee's list (the
    secretariat) or from the floor / by self-nomination at the congress (the presidium).
    Whether the person may stand is checked when the list is built."""
    congress = contest.congress
    source = CandidateSource(source)
    allowed = (Role.SECRETARIAT,) if source is CandidateSource.OFFICIAL else (Role.PRESIDIUM,)
    require_role(db, actor, congress, *allowed)
    for person in (member, nominator):
        if person is not None and person.congress_id != congress.id:
            raise InvalidInput(f"{person.code} is not on the roster of {congress.public_id}")
    if (source is CandidateSource.FLOOR) != (nominator is not None):
        raise InvalidInput("a floor nomination, and only one, names its nominator")
    if nominator is not None and nominator.id == member.id:
        raise InvalidInput("nominating oneself is a self-nomination")
    exists = db.scalar(
        sa.select(Nomination.id).where(
            Nomination.contest_id == contest.id, Nomination.member_id == member.id
        )
    )
    if exists is not None:
        raise Conflict(f"{member.full_name} is already nominated for {contest.code}")
    nomination = Nomination(
        contest=contest,
        member=member,
        source=source,
        nominator=nominator,
        status=NominationStatus.PROPOSED,
        recorded_by_id=actor.user_id,
        recorded_at=now,
    )
    db.add(nomination)
    events.record(
        db,
        actor,
        "nomination.create",
        nomination,
        now=now,
        congress=congress,
        data={
            "contest": contest.code,
            "member": member.code,
            "source": source.value,
            "nominator": nominator.code if nominator else None,
        },
    )
    return nomination


@service
def record_opinion_ballot(
    db: Session,
    actor: Actor,
    nomination: Nomination,
    *,
    agree: int,
    attending: int,
    now: datetime,
) -> Nomination:
    """Record the opinion ballot on a floor or self nominee (R-LIST-3): how many of the
    ``attending`` agreed. Whether it is enough is decided when the list is built."""
    congress = nomination.contest.congress
    require_role(db, actor, congress, Role.PRESIDIUM)
    if nomination.source is CandidateSource.OFFICIAL:
        raise InvalidInput("names on the convening committee's list need no opinion ballot")
    for value in (agree, attending):
        if not is_whole(value):
            raise InvalidInput("opinion-ballot counts are integers")
    if attending < 1 or not 0 <= agree <= attending:
        raise InvalidInput(f"impossible opinion-ballot count: {agree} of {attending}")
    nomination.opinion_agree = agree
    nomination.opinion_attending = attending
    events.record(
        db,
        actor,
        "nomination.opinion",
        nomination,
        now=now,
        congress=congress,
        data={"member": nomination.member.code, "agree": agree, "attending": attending},
    )
    return nomination


def _object_reference(obj: Any) -> tuple[str | None, int | None]:
    if obj is None:
        return None, None
    return type(obj).__tablename__, obj.id


@service
def record_open_vote(
    db: Session,
    actor: Actor,
    congress: Congress,
    *,
    subject: Matter,
    question: str,
    present: int,
    agree: int,
    disagree: int,
    abstain: int,
    base_n: int,
    now: datetime,
    sitting: CongressSession | None = None,
    about: Any = None,
    motion: Motion | None = None,
) -> OpenVote:
    """Record an open vote (biểu quyết) of the congress: counts only (R-FORM-2).

    ``about`` is the object decided on (a round, a nomination); ``base_n`` the majority base
    the motion is measured against: it is carried with ``2*agree > base_n``
    (``election.rules.has_majority``).
    """
    require_role(db, actor, congress, Role.PRESIDIUM)
    counts = {"present": present, "agree": agree, "disagree": disagree, "abstain": abstain}
    counts["base_n"] = base_n
    for name, value in counts.items():
        if not is_whole(value, low=0):
            raise InvalidInput(f"{name} must be a non-negative integer, got {value!r}")
    if present < 1 or base_n < 1:
        raise InvalidInput("an open vote needs someone present and a positive base N")
    if agree + disagree + abstain > present:
        raise InvalidInput(f"{agree + disagree + abstain} votes from {present} present")
    if not isinstance(question, str) or not question.strip():
        raise InvalidInput("an open vote states its question")
    if sitting is not None and sitting.congress_id != congress.id:
        raise InvalidInput("the session belongs to another congress")
    object_type, object_id = _object_reference(about)
    vote = OpenVote(
        congress=congress,
        session_id=sitting.id if sitting else None,
        subject=Matter(subject),
        question=question.strip(),
        object_type=object_type,
        object_id=object_id,
        motion=Motion(motion) if motion is not None else None,
        present=present,
        agree=agree,
        disagree=disagree,
        abstain=abstain,
        base_n=base_n,
        carried=rules.has_majority(agree, base_n),
        decided_at=now,
        recorded_by_id=actor.user_id,
    )
    db.add(vote)
    events.record(
        db,
        actor,
        "open_vote.record",
        vote,
        now=now,
        congress=congress,
        data={
            **counts,
            "subject": vote.subject.value,
            "about": f"{object_type}:{object_id}" if object_type else None,
            "motion": vote.motion.value if vote.motion else None,
            "carried": vote.carried,
        },
    )
    return vote


@service
def withdraw(
    db: Session,
    actor: Actor,
    nomination: Nomination,
    *,
    reason: str,
    decision: OpenVote,
    now: datetime,
) -> Withdrawal:
    """Record a request to leave the list and the congress's open vote on it (R-LIST-8).

    The nominee leaves the list only if the motion was carried; either way the request and
    the decision are kept.
    """
    contest = nomination.contest
    congress = contest.congress
    require_role(db, actor, congress, Role.PRESIDIUM)
    if decision.congress_id != congress.id or decision.subject is not Matter.WITHDRAWAL:
        raise InvalidInput("the decision must be this congress's open vote on a withdrawal")
    if (decision.object_type, decision.object_id) != ("nominations", nomination.id):
        raise InvalidInput("the decision is about another nomination")
    if nomination.status is not NominationStatus.PROPOSED:
        raise InvalidState(f"{nomination.member.full_name} has already withdrawn")
    if not isinstance(reason, str) or not reason.strip():
        raise InvalidInput("a withdrawal states its reason")
    withdrawal = Withdrawal(
        nomination=nomination,
        reason=reason.strip(),
        decision=decision,
        allowed=decision.carried,
        recorded_by_id=actor.user_id,
        recorded_at=now,
    )
    db.add(withdrawal)
    if decision.carried:
        nomination.status = NominationStatus.WITHDRAWN
    events.record(
        db,
        actor,
        "nomination.withdraw",
        withdrawal,
        now=now,
        congress=congress,
        data={
            "contest": contest.code,
            "member": nomination.member.code,
            "allowed": withdrawal.allowed,
            "decision": decision.id,
        },
    )
    return withdrawal


def list_entries(
    db: Session, contest: Contest, nominations: Sequence[Nomination]
) -> tuple[list[rules.ListEntry], int | None]:
    """The rules' entries for ``nominations``, and the attendance of their opinion ballot."""
    owners = _body_codes(db, contest.list_owner_id)
    entries = []
    attending: set[int] = set()
    for nomination in nominations:
        nominator = None
        if nomination.nominator is not None:
            person = nomination.nominator
            nominator = rules.Nominator(
                person_id=person.code,
                membership=rules.Membership(person.membership.value),
                delegate=_is_delegate(person) and person.membership is Membership.OFFICIAL,
                in_list_owner_body=person.code in owners,
            )
        if nomination.opinion_attending is not None:
            attending.add(nomination.opinion_attending)
        entries.append(
            rules.ListEntry(
                candidate=rules_candidate(nomination.member, owners=owners),
                source=rules.Source(nomination.source.value),
                nominator=nominator,
                opinion_agree=nomination.opinion_agree,
            )
        )
    if len(attending) > 1:
        raise InvalidInput("the floor nominees' opinion ballots give different attendance")
    return entries, next(iter(attending), None)


def check_list(
    db: Session,
    contest: Contest,
    nominations: Sequence[Nomination],
    *,
    seats: int | None = None,
    first_round: bool = True,
) -> rules.CheckedList:
    """Run ``election.rules.check_candidate_list`` on ``nominations`` of ``contest``.

    The pool is the body the position is chosen from, if any (R-DIRECT-2); ``seats`` and
    ``first_round`` serve further rounds. Raises ``RuleViolation`` with the rule's id.
    """
    entries, attending = list_entries(db, contest, nominations)
    chosen_from = contest.position.chosen_from_id
    pool = _body_codes(db, chosen_from) if chosen_from is not None else None
    try:
        return rules.check_candidate_list(
            rules_contest(contest),
            entries,
            congress_profile(contest.congress),
            attending=attending,
            pool=pool,
            seats=seats,
            first_round=first_round,
        )
    except rules.RulesError as e:
        raise RuleViolation(str(e), rule_id=e.rule_id) from e


def standing_nominations(db: Session, contest: Contest) -> list[Nomination]:
    """The contest's nominations that have not been withdrawn, in the order made."""
    return list(
        db.scalars(
            sa.select(Nomination)
            .where(
                Nomination.contest_id == contest.id,
                Nomination.status == NominationStatus.PROPOSED,
            )
            .order_by(Nomination.id)
        )
    )


@service
def build_candidate_list(
    db: Session,
    actor: Actor,
    contest: Contest,
    *,
    sitting: CongressSession,
    now: datetime,
) -> CandidateList:
    """Check the contest's standing nominations and store them, in ballot order, as the
    draft first round to be voted in ``sitting``.

    Rebuilding replaces the draft's candidates; once the first round has opened the list
    is fixed. Raises ``RuleViolation`` naming the rule a list breaks, including R-INSP-1
    when an inspection case about a name is unsettled (``inspection.check_candidates``).
    """
    congress = contest.congress
    require_role(db, actor, congress, Role.SECRETARIAT, Role.PRESIDIUM)
    check_sitting(contest, sitting)
    existing = db.scalars(sa.select(Round).where(Round.contest_id == contest.id)).all()
    if any(r.number != 1 or r.state is not RoundState.DRAFT for r in existing):
        raise InvalidState(f"{contest.code} has already been voted on: its list is fixed")
    nominations = standing_nominations(db, contest)
    by_code = {n.member.code: n for n in nominations}
    checked = check_list(db, contest, nominations)
    # R-INSP-1 (issue 7 item 4): a name with an unsettled inspection case holds the list
    # back until the commission settles it or the presidium records a decision to proceed.
    inspection.check_candidates(db, congress, [n.member for n in nominations])
    try:
        planned = rules.open_round(rules_contest(contest), checked.ids)
    except rules.RulesError as e:
        raise RuleViolation(str(e), rule_id=e.rule_id) from e
    if existing:
        draft = existing[0]
        draft.candidates.clear()
        db.flush()
        action = "round.rebuild"
    else:
        draft = Round(contest=contest, number=1, kind=RoundKind.FIRST, created_at=now)
        db.add(draft)
        action = "round.create"
    draft.state = RoundState.DRAFT
    draft.session = sitting
    draft.seats = planned.form.seats
    draft.form_kind = crypto_form_kind(planned.form.kind)
    draft.requires_majority = planned.requires_majority
    for order, candidate_id in enumerate(checked.ids, start=1):
        nomination = by_code[candidate_id]
        draft.candidates.append(
            RoundCandidate(
                member=nomination.member,
                ballot_order=order,
                source=nomination.source,
                nomination=nomination,
            )
        )
    warnings = tuple(f"{w.rule_id}: {w.message}" for w in checked.warnings)
    events.record(
        db,
        actor,
        action,
        draft,
        now=now,
        congress=congress,
        data={
            "contest": contest.code,
            "number": 1,
            "seats": draft.seats,
            "form": draft.form_kind.value,
            "candidates": list(checked.ids),
            "warnings": list(warnings),
        },
    )
    return CandidateList(draft, warnings)

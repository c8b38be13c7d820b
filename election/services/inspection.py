"""The inspection commission's register: vetting files, complaints, denunciations and
petitions (R-INSP-1..4).

* **Not to be handled** (R-INSP-2, and R-INSP-1's remit, R-INSP-4's period): anonymous,
  false-name and jointly signed letters, repeats of a concluded case without new evidence,
  matters outside the commission's remit and complaints about the election received after
  the period. Such a case is still recorded, so the commission can show everything it
  received, with the status ``not_handled``, the reasons (``REASONS``: each with its rule)
  and an outcome that says why. A vetting file is the commission's own work, never a letter,
  and is never refused.
The date arithmetic of R-INSP-3 and R-INSP-4 is the rules engine's
(``election.rules.complaints``); this module turns times into the congress's local dates
and applies it.

* **Complaint period** (R-INSP-4): a complaint about the election is accepted within
  ``ComplaintPeriod.working_days`` (15) working days after the congress closes. The close
  is the day the congress's last session closed (``congress_closed_on``); day 1 is the
  first working day after it, and working days skip Saturdays, Sundays and the configured
  holidays. A letter received on the deadline is in time; the date is the congress's local
  date (Asia/Ho_Chi_Minh), since a letter that arrives at 23:30 local time arrived that day.
* **Cut-off before the congress** (R-INSP-3, UNCONFIRMED, off unless ``cutoff_days`` is
  set): a letter about a named person received from ``cutoff_days`` before the opening
  until the congress closes is recorded as not handled before the congress (reason
  ``after_cutoff``), so it does not hold up a list; it is taken up afterwards.
* **Lists** (R-INSP-1): a case still open about a person — received, under review, or
  referred to the higher committee — blocks the candidate list that names them
  (``check_candidates``, called by ``candidates.build_candidate_list``) until the presidium
  records a decision to proceed (``record_proceed_decision``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from election.errors import InvalidInput, InvalidState, RuleViolation
from election.models import (
    CaseCategory,
    CaseStatus,
    Congress,
    CongressSession,
    InspectionCase,
    Member,
    Role,
)
from election.rules.complaints import (
    add_working_days,
    complaint_deadline,
    cutoff_start,
    held_until_after_congress,
    is_late,
)
from election.rules.values import is_whole
from election.services import events
from election.services.base import Actor, require_role, service

__all__ = [
    "LETTER_CATEGORIES",
    "REASONS",
    "UNSETTLED",
    "ComplaintPeriod",
    "add_working_days",
    "blocking_cases",
    "check_candidates",
    "close_case",
    "congress_closed_on",
    "list_cases",
    "record_case",
    "record_proceed_decision",
    "start_review",
]

#: Kept for callers of the first version; the outcome now names the exact reasons.
NOT_HANDLED_OUTCOME = (
    "Không xem xét, giải quyết (R-INSP-2: đơn nặc danh, mạo tên hoặc đứng tên tập thể)"
)

#: Reason code -> (the rule, the words written into the outcome).
REASONS: dict[str, tuple[str, str]] = {
    "anonymous": ("R-INSP-2", "đơn nặc danh"),
    "false_name": ("R-INSP-2", "đơn mạo tên, không rõ địa chỉ"),
    "jointly_signed": ("R-INSP-2", "đơn có từ hai người trở lên cùng ký tên"),
    "repeated": ("R-INSP-2", "đơn gửi lại nội dung đã được kết luận, không có tình tiết mới"),
    "outside_remit": ("R-INSP-1", "không thuộc thẩm quyền giải quyết của Ủy ban Kiểm tra"),
    "out_of_time": ("R-INSP-4", "quá thời hạn nhận khiếu nại về bầu cử sau đại hội"),
    "after_cutoff": (
        "R-INSP-3",
        "nhận sau thời điểm dừng xem xét trước đại hội; chuyển xem xét sau đại hội",
    ),
}

#: Cases about letters (R-INSP-2 applies); vetting is the commission's own work.
LETTER_CATEGORIES = (
    CaseCategory.COMPLAINT,
    CaseCategory.DENUNCIATION,
    CaseCategory.PETITION,
)

#: Not settled: such a case about a candidate blocks the list (R-INSP-1). A referred case
#: is for the higher committee to settle, so it blocks too.
UNSETTLED = (CaseStatus.RECEIVED, CaseStatus.UNDER_REVIEW, CaseStatus.REFERRED)

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


# ------------------------------------------------------------------------------- period


@dataclass(frozen=True)
class ComplaintPeriod:
    """R-INSP-4's period: ``working_days`` after the close (settings
    ``COMPLAINT_PERIOD_WORKING_DAYS`` and ``HOLIDAYS``), in the congress's time zone; and
    R-INSP-3's cut-off before the opening, ``cutoff_days`` (``COMPLAINT_CUTOFF_DAYS``; None,
    the default, means no cut-off: RULES.md found no such rule for party congresses)."""

    working_days: int = 15
    holidays: frozenset[date] = field(default_factory=frozenset)
    tz: ZoneInfo = VIETNAM
    cutoff_days: int | None = None

    @classmethod
    def from_settings(
        cls,
        working_days: int,
        holidays: Iterable[str | date],
        tz: str | None = None,
        cutoff_days: int | None = None,
    ) -> ComplaintPeriod:
        days = frozenset(d if isinstance(d, date) else date.fromisoformat(d) for d in holidays)
        return cls(working_days, days, ZoneInfo(tz) if tz else VIETNAM, cutoff_days)

    def deadline(self, closed_on: date) -> date:
        """R-INSP-4 (``election.rules.complaints``)."""
        return complaint_deadline(closed_on, self.working_days, self.holidays)

    def cutoff(self, opens_on: date) -> date | None:
        """R-INSP-3: the first day on which letters about a person wait until after the
        congress (``cutoff_days`` before the opening), or None without a cut-off."""
        return cutoff_start(opens_on, self.cutoff_days)

    def local_date(self, at: datetime) -> date:
        return at.astimezone(self.tz).date()


def congress_closed_on(db: Session, congress: Congress, tz: ZoneInfo = VIETNAM) -> date | None:
    """The local date the congress closed: when every session of it has been held and
    closed, the day the last one closed; None while a session is open or still to come."""
    sittings = db.scalars(
        sa.select(CongressSession).where(CongressSession.congress_id == congress.id)
    ).all()
    if not sittings or any(s.closed_at is None for s in sittings):
        return None
    last = max(s.closed_at for s in sittings if s.closed_at is not None)
    return last.astimezone(tz).date()


# ------------------------------------------------------------------------------- register


def _flag(value: object, name: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidInput(f"{name} is true or false")
    return value


def _outcome(reasons: Sequence[str]) -> str:
    parts = [f"{REASONS[code][1]} ({REASONS[code][0]})" for code in reasons]
    return "Không xem xét, giải quyết: " + "; ".join(parts)


@service
def record_case(
    db: Session,
    actor: Actor,
    congress: Congress,
    *,
    subject: str,
    category: CaseCategory,
    now: datetime,
    subject_member: Member | None = None,
    anonymous: bool = False,
    false_name: bool = False,
    signers: int = 1,
    repeat_of: InspectionCase | None = None,
    new_evidence: bool = False,
    outside_remit: bool = False,
    about_election: bool = False,
    received_at: datetime | None = None,
    period: ComplaintPeriod | None = None,
    closed_on: date | None = None,
) -> InspectionCase:
    """Record a case as received, or as not to be handled when a rule says so (module
    docstring). ``received_at`` is when the letter arrived (default ``now``); for a
    complaint about the election, ``closed_on`` overrides the close found from the
    sessions (``congress_closed_on``)."""
    require_role(db, actor, congress, Role.INSPECTION)
    category = CaseCategory(category)
    period = period or ComplaintPeriod()
    if not isinstance(subject, str) or not subject.strip():
        raise InvalidInput("a case states what it is about")
    if not is_whole(signers, low=0):
        raise InvalidInput("signers is a non-negative integer")
    for name, value in (
        ("anonymous", anonymous),
        ("false_name", false_name),
        ("new_evidence", new_evidence),
        ("outside_remit", outside_remit),
        ("about_election", about_election),
    ):
        _flag(value, name)
    if anonymous and signers:
        signers = 0
    if subject_member is not None and subject_member.congress_id != congress.id:
        raise InvalidInput("the person concerned is not on this congress's roster")
    if repeat_of is not None and repeat_of.congress_id != congress.id:
        raise InvalidInput("the earlier case belongs to another congress")
    if about_election and category is CaseCategory.VETTING:
        raise InvalidInput("a vetting file is not a complaint about the election")
    received = received_at or now
    if received > now:
        raise InvalidInput("a letter cannot be received after it is recorded")

    deadline = None
    late = False
    if about_election:
        closed = closed_on or congress_closed_on(db, congress, period.tz)
        if closed is not None:
            deadline = period.deadline(closed)
            late = is_late(period.local_date(received), deadline)

    # R-INSP-3: with a cut-off set, a letter about a named person that arrives from the
    # cut-off until the congress closes is not taken up before the congress.
    after_cutoff = False
    if subject_member is not None and not about_election and period.cutoff_days is not None:
        after_cutoff = held_until_after_congress(
            period.local_date(received),
            congress.opens_on,
            closed_on or congress_closed_on(db, congress, period.tz),
            period.cutoff_days,
        )

    jointly = signers >= 2
    reasons: list[str] = []
    if category in LETTER_CATEGORIES:
        checks = (
            ("anonymous", anonymous),
            ("false_name", false_name),
            ("jointly_signed", jointly),
            (
                "repeated",
                repeat_of is not None
                and repeat_of.status is CaseStatus.CONCLUDED
                and not new_evidence,
            ),
            ("outside_remit", outside_remit),
            ("out_of_time", late),
            ("after_cutoff", after_cutoff),
        )
        reasons = [code for code, applies in checks if applies]

    case = InspectionCase(
        congress=congress,
        subject_member=subject_member,
        subject=subject.strip(),
        category=category,
        anonymous=anonymous,
        false_name=false_name,
        jointly_signed=jointly,
        signers=signers,
        repeat_of=repeat_of,
        new_evidence=new_evidence,
        outside_remit=outside_remit,
        about_election=about_election,
        out_of_time=late,
        deadline=deadline,
        not_handled_reasons=reasons or None,
        status=CaseStatus.NOT_HANDLED if reasons else CaseStatus.RECEIVED,
        outcome=_outcome(reasons) if reasons else None,
        received_at=received,
        closed_at=now if reasons else None,
        recorded_by_id=actor.user_id,
    )
    db.add(case)
    events.record(
        db,
        actor,
        "case.record",
        case,
        now=now,
        congress=congress,
        data={
            "category": category.value,
            "status": case.status.value,
            "member": subject_member.code if subject_member is not None else None,
            "reasons": reasons,
            "about_election": about_election,
            "deadline": deadline.isoformat() if deadline else None,
        },
    )
    return case


@service
def start_review(
    db: Session, actor: Actor, case: InspectionCase, *, now: datetime
) -> InspectionCase:
    """A received case goes under review (xem xét, xác minh)."""
    require_role(db, actor, case.congress, Role.INSPECTION)
    if case.status is not CaseStatus.RECEIVED:
        raise InvalidState("only a received case can be taken under review")
    case.status = CaseStatus.UNDER_REVIEW
    events.record(
        db,
        actor,
        "case.review",
        case,
        now=now,
        congress=case.congress,
        data={"status": "under_review"},
    )
    return case


@service
def close_case(
    db: Session,
    actor: Actor,
    case: InspectionCase,
    *,
    outcome: str,
    now: datetime,
    status: CaseStatus = CaseStatus.CONCLUDED,
) -> InspectionCase:
    """Conclude a case, or refer it to the higher committee (R-INSP-1), with its outcome."""
    require_role(db, actor, case.congress, Role.INSPECTION)
    if status not in (CaseStatus.CONCLUDED, CaseStatus.REFERRED):
        raise InvalidInput("a case is closed as concluded or referred")
    if case.status not in (CaseStatus.RECEIVED, CaseStatus.UNDER_REVIEW):
        raise InvalidState("the case is already closed")
    if not isinstance(outcome, str) or not outcome.strip():
        raise InvalidInput("a closed case states its outcome")
    case.status = status
    case.outcome = outcome.strip()
    case.closed_at = now
    events.record(
        db,
        actor,
        "case.close",
        case,
        now=now,
        congress=case.congress,
        data={"status": status.value},
    )
    return case


@service
def record_proceed_decision(
    db: Session, actor: Actor, case: InspectionCase, *, reason: str, now: datetime
) -> InspectionCase:
    """The presidium decides that the list may go ahead although ``case`` about one of its
    names is not settled (R-INSP-1), and says why."""
    require_role(db, actor, case.congress, Role.PRESIDIUM)
    if case.status not in UNSETTLED:
        raise InvalidState("the case is settled: nothing to decide")
    if case.subject_member_id is None:
        raise InvalidState("the case concerns no person on the roster")
    if case.proceed_at is not None:
        raise InvalidState("the presidium has already decided on this case")
    if not isinstance(reason, str) or not reason.strip():
        raise InvalidInput("a decision to proceed states its reason")
    case.proceed_reason = reason.strip()
    case.proceed_at = now
    case.proceed_by_id = actor.user_id
    events.record(
        db,
        actor,
        "case.proceed",
        case,
        now=now,
        congress=case.congress,
        data={"member": case.subject_member.code if case.subject_member else None},
    )
    return case


# ------------------------------------------------------------------------------- queries


def list_cases(
    db: Session,
    congress: Congress,
    *,
    category: CaseCategory | None = None,
    status: CaseStatus | None = None,
) -> list[InspectionCase]:
    """The register, newest first."""
    query = sa.select(InspectionCase).where(InspectionCase.congress_id == congress.id)
    if category is not None:
        query = query.where(InspectionCase.category == category)
    if status is not None:
        query = query.where(InspectionCase.status == status)
    return list(
        db.scalars(query.order_by(InspectionCase.received_at.desc(), InspectionCase.id.desc()))
    )


def blocking_cases(
    db: Session, congress: Congress, members: Iterable[Member] | None = None
) -> list[InspectionCase]:
    """Unsettled cases about people (among ``members``, or anyone) without the presidium's
    decision to proceed: each blocks a list that names its person."""
    query = sa.select(InspectionCase).where(
        InspectionCase.congress_id == congress.id,
        InspectionCase.status.in_(UNSETTLED),
        InspectionCase.subject_member_id.is_not(None),
        InspectionCase.proceed_at.is_(None),
    )
    if members is not None:
        ids = [m.id for m in members]
        if not ids:
            return []
        query = query.where(InspectionCase.subject_member_id.in_(ids))
    return list(db.scalars(query.order_by(InspectionCase.id)))


def check_candidates(db: Session, congress: Congress, members: Iterable[Member]) -> None:
    """Raise ``RuleViolation`` (R-INSP-1) naming every candidate among ``members`` with an
    unsettled case and no decision to proceed."""
    blocking = blocking_cases(db, congress, members)
    if blocking:
        names = ", ".join(
            f"{case.subject_member.full_name} (case {case.id})"
            for case in blocking
            if case.subject_member is not None
        )
        raise RuleViolation(
            f"unsettled inspection cases concern {names}: the inspection commission settles "
            "them, or the presidium records a decision to proceed",
            rule_id="R-INSP-1",
        )

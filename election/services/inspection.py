"""The inspection commission's cases: vetting files, complaints and denunciations.

R-INSP-2: anonymous, false-name and jointly signed letters are not handled; such a case is
recorded (so the commission can show what it received) with the status ``not_handled``
and the rule as its outcome.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from election.errors import InvalidInput, InvalidState
from election.models import CaseCategory, CaseStatus, Congress, InspectionCase, Member, Role
from election.services import events
from election.services.base import Actor, require_role, service

__all__ = ["close_case", "record_case"]

NOT_HANDLED_OUTCOME = (
    "Không xem xét, giải quyết (R-INSP-2: đơn nặc danh, mạo tên hoặc đứng tên tập thể)"
)


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
) -> InspectionCase:
    """Record a case as received, or as not to be handled when R-INSP-2 says so."""
    require_role(db, actor, congress, Role.INSPECTION)
    category = CaseCategory(category)
    if not isinstance(subject, str) or not subject.strip():
        raise InvalidInput("a case states what it is about")
    if isinstance(signers, bool) or not isinstance(signers, int) or signers < 0:
        raise InvalidInput("signers is a non-negative integer")
    if anonymous and signers:
        signers = 0
    if subject_member is not None and subject_member.congress_id != congress.id:
        raise InvalidInput("the person concerned is not on this congress's roster")
    jointly = signers >= 2
    refused = category is not CaseCategory.VETTING and (anonymous or false_name or jointly)
    case = InspectionCase(
        congress=congress,
        subject_member=subject_member,
        subject=subject.strip(),
        category=category,
        anonymous=anonymous,
        false_name=false_name,
        jointly_signed=jointly,
        signers=signers,
        status=CaseStatus.NOT_HANDLED if refused else CaseStatus.RECEIVED,
        outcome=NOT_HANDLED_OUTCOME if refused else None,
        received_at=now,
        closed_at=now if refused else None,
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
        data={"category": category.value, "status": case.status.value},
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

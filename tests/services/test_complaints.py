"""The inspection commission's register (R-INSP-1..4, issue 7 item 4): letters not to be
handled are flagged with their rule, complaints about the election have a deadline in
working days, and an unsettled case about a candidate holds the list back until the
presidium decides to proceed."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from election import migrate
from election.db import make_engine
from election.errors import InvalidInput, InvalidState, PermissionDenied, RuleViolation
from election.models import (
    CaseCategory,
    CaseStatus,
    Congress,
    CongressSession,
    Contest,
    Event,
    InspectionCase,
    Member,
    Role,
)
from election.services import candidates, inspection
from election.services.base import SYSTEM
from election.services.inspection import ComplaintPeriod, add_working_days
from tests import factories as f

DENUNCIATION = CaseCategory.DENUNCIATION


def _case(db: Session, congress: Congress, **kwargs: Any) -> InspectionCase:
    kwargs.setdefault("subject", "Tố cáo về kê khai tài sản")
    kwargs.setdefault("category", DENUNCIATION)
    kwargs.setdefault("now", f.NOW)
    return inspection.record_case(db, SYSTEM, congress, **kwargs)


# ------------------------------------------------------------------------------- R-INSP-2


@pytest.mark.parametrize(
    ("flags", "reasons"),
    [
        ({}, None),
        ({"anonymous": True}, ["anonymous"]),
        ({"false_name": True}, ["false_name"]),
        ({"signers": 2}, ["jointly_signed"]),
        ({"outside_remit": True}, ["outside_remit"]),
        ({"anonymous": True, "outside_remit": True}, ["anonymous", "outside_remit"]),
    ],
)
def test_letters_not_to_be_handled_are_flagged_with_their_rule(
    session: Session, flags: dict[str, object], reasons: list[str] | None
) -> None:
    congress = f.make_congress(session)
    case = _case(session, congress, subject_member=f.make_member(session, congress), **flags)
    assert case.not_handled_reasons == reasons
    if reasons is None:
        assert case.status is CaseStatus.RECEIVED and case.outcome is None
        return
    assert case.status is CaseStatus.NOT_HANDLED and case.closed_at == f.NOW
    assert case.outcome is not None and case.outcome.startswith("Không xem xét, giải quyết")
    for code in reasons:
        rule, words = inspection.REASONS[code]
        assert f"{words} ({rule})" in case.outcome
    logged = session.scalars(sa.select(Event).order_by(Event.seq.desc())).first()
    assert logged is not None and logged.action == "case.record"
    assert logged.data["reasons"] == reasons


def test_a_vetting_file_is_never_refused(session: Session) -> None:
    congress = f.make_congress(session)
    case = _case(
        session,
        congress,
        category=CaseCategory.VETTING,
        subject="Thẩm tra hồ sơ nhân sự",
        anonymous=True,
        outside_remit=True,
    )
    assert case.status is CaseStatus.RECEIVED and case.not_handled_reasons is None


def test_a_petition_is_a_letter_too(session: Session) -> None:
    congress = f.make_congress(session)
    case = _case(session, congress, category=CaseCategory.PETITION, signers=5)
    assert case.category is CaseCategory.PETITION
    assert case.not_handled_reasons == ["jointly_signed"]


def test_a_repeat_without_new_evidence_of_a_concluded_case_is_not_handled(
    session: Session,
) -> None:
    congress = f.make_congress(session)
    first = _case(session, congress)
    repeat = _case(session, congress, repeat_of=first)
    # Not concluded yet: the repeat is simply received.
    assert repeat.status is CaseStatus.RECEIVED
    inspection.close_case(session, SYSTEM, first, outcome="Không có vi phạm", now=f.later(5))
    again = _case(session, congress, repeat_of=first, now=f.later(10))
    assert again.not_handled_reasons == ["repeated"]
    assert "R-INSP-2" in (again.outcome or "")
    with_evidence = _case(session, congress, repeat_of=first, new_evidence=True, now=f.later(11))
    assert with_evidence.status is CaseStatus.RECEIVED
    assert with_evidence.repeat_of_id == first.id


def test_bad_input_is_refused(session: Session) -> None:
    congress = f.make_congress(session)
    other = f.make_congress(session)
    with pytest.raises(InvalidInput):
        _case(session, congress, subject="  ")
    with pytest.raises(InvalidInput):
        _case(session, congress, subject_member=f.make_member(session, other))
    with pytest.raises(InvalidInput):
        _case(session, congress, received_at=f.later(5))
    with pytest.raises(InvalidInput):
        _case(session, congress, category=CaseCategory.VETTING, about_election=True)
    with pytest.raises(InvalidInput):
        _case(session, congress, anonymous="yes")


def test_the_commission_records_cases(session: Session) -> None:
    congress = f.make_congress(session)
    secretary = f.make_actor(session, congress, Role.SECRETARIAT)
    with pytest.raises(PermissionDenied):
        inspection.record_case(
            session, secretary, congress, subject="x", category=DENUNCIATION, now=f.NOW
        )


def test_a_case_goes_under_review_then_is_referred(session: Session) -> None:
    congress = f.make_congress(session)
    case = _case(session, congress)
    inspection.start_review(session, SYSTEM, case, now=f.later(1))
    assert case.status is CaseStatus.UNDER_REVIEW
    with pytest.raises(InvalidState):
        inspection.start_review(session, SYSTEM, case, now=f.later(2))
    inspection.close_case(
        session,
        SYSTEM,
        case,
        outcome="Báo cáo Ban Thường vụ Tỉnh ủy",
        status=CaseStatus.REFERRED,
        now=f.later(3),
    )
    closed = inspection.list_cases(session, congress, status=CaseStatus.REFERRED)
    assert closed == [case] and closed[0].status is CaseStatus.REFERRED


# ------------------------------------------------------------------------------- R-INSP-4


def test_working_days_skip_weekends_and_holidays() -> None:
    friday = date(2025, 6, 13)
    assert add_working_days(friday, 0) == friday
    assert add_working_days(friday, 1) == date(2025, 6, 16)  # Monday
    assert add_working_days(friday, 5) == date(2025, 6, 20)
    assert add_working_days(friday, 15) == date(2025, 7, 4)
    assert add_working_days(friday, 15, {date(2025, 6, 30)}) == date(2025, 7, 7)
    # A holiday on a Saturday changes nothing.
    assert add_working_days(friday, 15, {date(2025, 6, 21)}) == date(2025, 7, 4)
    with pytest.raises(ValueError):
        add_working_days(friday, -1)


def test_the_period_reads_the_settings() -> None:
    period = ComplaintPeriod.from_settings(10, ["2025-06-16"], "Asia/Ho_Chi_Minh")
    assert period.deadline(date(2025, 6, 13)) == date(2025, 6, 30)


def _close_congress(db: Session, congress: Congress, at: datetime) -> None:
    sitting = f.make_sitting(db, congress, 1)
    sitting.opened_at = at.replace(hour=0)
    sitting.closed_at = at
    db.commit()


@pytest.mark.parametrize(
    ("received", "late"),
    [
        # The deadline is Friday 4 July 2025; 23:30 in Hà Nội is still that day.
        (datetime(2025, 7, 4, 16, 30, tzinfo=UTC), False),
        (datetime(2025, 7, 4, 17, 30, tzinfo=UTC), True),  # 00:30 on the 5th, local time
        (datetime(2025, 7, 7, 2, 0, tzinfo=UTC), True),
        (datetime(2025, 6, 20, 2, 0, tzinfo=UTC), False),
    ],
)
def test_complaints_about_the_election_have_fifteen_working_days(
    session: Session, received: datetime, late: bool
) -> None:
    congress = f.make_congress(session)
    # Closed on Friday 13 June 2025 at 17:00 local time.
    _close_congress(session, congress, datetime(2025, 6, 13, 10, 0, tzinfo=UTC))
    assert inspection.congress_closed_on(session, congress) == date(2025, 6, 13)
    case = _case(
        session,
        congress,
        category=CaseCategory.COMPLAINT,
        subject="Khiếu nại về việc kiểm phiếu",
        about_election=True,
        received_at=received,
        now=datetime(2025, 7, 10, tzinfo=UTC),
    )
    assert case.deadline == date(2025, 7, 4)
    assert case.out_of_time is late
    assert (case.not_handled_reasons == ["out_of_time"]) is late
    if late:
        assert "R-INSP-4" in (case.outcome or "")


def test_holidays_move_the_deadline(session: Session) -> None:
    congress = f.make_congress(session)
    _close_congress(session, congress, datetime(2025, 6, 13, 10, 0, tzinfo=UTC))
    case = _case(
        session,
        congress,
        category=CaseCategory.COMPLAINT,
        about_election=True,
        received_at=datetime(2025, 7, 7, 2, 0, tzinfo=UTC),
        now=datetime(2025, 7, 10, tzinfo=UTC),
        period=ComplaintPeriod(15, frozenset({date(2025, 6, 30)})),
    )
    assert case.deadline == date(2025, 7, 7) and not case.out_of_time


def test_before_the_congress_closes_there_is_no_deadline(session: Session) -> None:
    congress = f.make_congress(session)
    f.make_sitting(session, congress, 1)
    assert inspection.congress_closed_on(session, congress) is None
    case = _case(session, congress, category=CaseCategory.COMPLAINT, about_election=True)
    assert case.deadline is None and not case.out_of_time
    # The commission may state the closing day itself.
    stated = _case(
        session,
        congress,
        category=CaseCategory.COMPLAINT,
        about_election=True,
        closed_on=date(2025, 5, 2),
    )
    assert stated.deadline == date(2025, 5, 23) and stated.out_of_time


# ------------------------------------------------------------------------------- R-INSP-1


def _nominated(db: Session) -> tuple[Congress, Contest, list[Member], CongressSession]:
    congress = f.make_congress(db)
    people = f.make_members(db, congress, 6)
    sitting = f.make_sitting(db, congress, 1)
    contest = f.make_contest(db, congress, f.make_position(db, congress, seats=2))
    for member in people[:3]:
        candidates.nominate(db, SYSTEM, contest, member, now=f.NOW)
    return congress, contest, people, sitting


def test_an_unsettled_case_about_a_candidate_holds_the_list_back(session: Session) -> None:
    congress, contest, people, sitting = _nominated(session)
    case = _case(session, congress, subject_member=people[1])
    # A case about someone who is not on the list changes nothing for it.
    _case(session, congress, subject_member=people[5])
    with pytest.raises(RuleViolation) as caught:
        candidates.build_candidate_list(session, SYSTEM, contest, sitting=sitting, now=f.NOW)
    assert caught.value.rule_id == "R-INSP-1"
    assert people[1].full_name in str(caught.value)
    assert inspection.blocking_cases(session, congress, people[:3]) == [case]

    presidium = f.make_actor(session, congress, Role.PRESIDIUM)
    inspector = f.make_actor(session, congress, Role.INSPECTION)
    with pytest.raises(PermissionDenied):
        inspection.record_proceed_decision(
            session, inspector, case, reason="Đã xem xét", now=f.later(1)
        )
    with pytest.raises(InvalidInput):
        inspection.record_proceed_decision(session, presidium, case, reason=" ", now=f.later(1))
    inspection.record_proceed_decision(
        session,
        presidium,
        case,
        reason="Nội dung tố cáo không liên quan tiêu chuẩn ứng cử; tiếp tục theo kế hoạch",
        now=f.later(2),
    )
    assert case.proceed_by_id == presidium.user_id and case.status is CaseStatus.RECEIVED
    with pytest.raises(InvalidState):
        inspection.record_proceed_decision(session, presidium, case, reason="x", now=f.later(3))
    built = candidates.build_candidate_list(session, SYSTEM, contest, sitting=sitting, now=f.NOW)
    assert len(built.round.candidates) == 3


@pytest.mark.parametrize("settle", ["conclude", "not_handled", "refer"])
def test_a_settled_case_does_not_hold_the_list_back(session: Session, settle: str) -> None:
    congress, contest, people, sitting = _nominated(session)
    if settle == "not_handled":
        _case(session, congress, subject_member=people[0], anonymous=True)
    else:
        case = _case(session, congress, subject_member=people[0])
        status = CaseStatus.REFERRED if settle == "refer" else CaseStatus.CONCLUDED
        inspection.close_case(session, SYSTEM, case, outcome="Kết luận", status=status, now=f.NOW)
    if settle == "refer":
        # Referred to the higher committee: not settled here, so it still holds the list.
        with pytest.raises(RuleViolation):
            candidates.build_candidate_list(session, SYSTEM, contest, sitting=sitting, now=f.NOW)
        return
    candidates.build_candidate_list(session, SYSTEM, contest, sitting=sitting, now=f.NOW)


# ------------------------------------------------------------------------------- schema


def test_the_migrated_schema_takes_petitions_and_the_new_facts(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    try:
        with Session(engine, expire_on_commit=False) as db:
            congress = f.make_congress(db)
            case = _case(db, congress, category=CaseCategory.PETITION, anonymous=True)
            assert case.not_handled_reasons == ["anonymous"]
            with pytest.raises(sa.exc.IntegrityError):
                db.execute(
                    sa.text("UPDATE inspection_cases SET category = 'rumour' WHERE id = :i"),
                    {"i": case.id},
                )
    finally:
        engine.dispose()


# ------------------------------------------------------------------------------- R-INSP-3


@pytest.mark.parametrize(
    ("received", "cutoff_days", "held"),
    [
        # The congress opens on Monday 16 June 2025; a 10-day cut-off starts on 6 June.
        (datetime(2025, 6, 5, 9, 0, tzinfo=UTC), 10, False),
        (datetime(2025, 6, 5, 17, 30, tzinfo=UTC), 10, True),  # 00:30 on the 6th in Hà Nội
        (datetime(2025, 6, 12, 2, 0, tzinfo=UTC), 10, True),
        (datetime(2025, 6, 16, 2, 0, tzinfo=UTC), 10, True),  # the opening day, still sitting
        (datetime(2025, 6, 12, 2, 0, tzinfo=UTC), None, False),  # no cut-off: the default
        (datetime(2025, 6, 12, 2, 0, tzinfo=UTC), 3, False),
    ],
)
def test_a_cutoff_before_the_congress_holds_letters_about_people_until_after(
    session: Session, received: datetime, cutoff_days: int | None, held: bool
) -> None:
    congress, contest, people, sitting = _nominated(session)
    congress.opens_on = date(2025, 6, 16)
    period = ComplaintPeriod(cutoff_days=cutoff_days)
    case = _case(
        session,
        congress,
        subject_member=people[1],
        received_at=received,
        now=datetime(2025, 6, 16, 3, 0, tzinfo=UTC),
        period=period,
    )
    assert (case.not_handled_reasons == ["after_cutoff"]) is held
    assert (case.status is CaseStatus.NOT_HANDLED) is held
    if held:
        assert "R-INSP-3" in (case.outcome or "")
        # Held until after the congress, it does not stop the list (R-INSP-1 looks at
        # unsettled cases only).
        assert inspection.blocking_cases(session, congress, people[:3]) == []
    else:
        assert inspection.blocking_cases(session, congress, people[:3]) == [case]


def test_the_cutoff_leaves_complaints_about_the_election_and_unnamed_letters_alone(
    session: Session,
) -> None:
    congress, _, people, _ = _nominated(session)
    congress.opens_on = date(2025, 6, 16)
    period = ComplaintPeriod(cutoff_days=10)
    when = {
        "received_at": datetime(2025, 6, 12, 2, 0, tzinfo=UTC),
        "now": datetime(2025, 6, 16, 3, 0, tzinfo=UTC),
    }
    unnamed = _case(session, congress, period=period, **when)
    assert unnamed.status is CaseStatus.RECEIVED
    election = _case(
        session,
        congress,
        category=CaseCategory.COMPLAINT,
        about_election=True,
        subject_member=people[0],
        period=period,
        **when,
    )
    assert election.not_handled_reasons is None
    assert ComplaintPeriod.from_settings(15, [], None, 10).cutoff(date(2025, 6, 16)) == date(
        2025, 6, 6
    )
    assert ComplaintPeriod().cutoff(date(2025, 6, 16)) is None

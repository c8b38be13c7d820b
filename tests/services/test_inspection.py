"""Inspection cases: R-INSP-2 letters are recorded as not handled."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from election.errors import InvalidState
from election.models import CaseCategory, CaseStatus
from election.services import inspection
from election.services.base import SYSTEM
from tests import factories as f


@pytest.mark.parametrize(
    ("flags", "status"),
    [
        ({}, CaseStatus.RECEIVED),
        ({"anonymous": True}, CaseStatus.NOT_HANDLED),
        ({"false_name": True}, CaseStatus.NOT_HANDLED),
        ({"signers": 3}, CaseStatus.NOT_HANDLED),
    ],
)
def test_letters_r_insp_2_refuses(session: Session, flags: dict, status: CaseStatus) -> None:  # type: ignore[type-arg]
    congress = f.make_congress(session)
    subject = f.make_member(session, congress)
    case = inspection.record_case(
        session,
        SYSTEM,
        congress,
        subject="Tố cáo về kê khai tài sản",
        category=CaseCategory.DENUNCIATION,
        subject_member=subject,
        now=f.NOW,
        **flags,
    )
    assert case.status is status
    assert (case.outcome is not None) == (status is CaseStatus.NOT_HANDLED)


def test_a_case_is_closed_once(session: Session) -> None:
    congress = f.make_congress(session)
    case = inspection.record_case(
        session,
        SYSTEM,
        congress,
        subject="Thẩm tra hồ sơ nhân sự",
        category=CaseCategory.VETTING,
        now=f.NOW,
    )
    inspection.close_case(session, SYSTEM, case, outcome="Đủ tiêu chuẩn", now=f.later(10))
    assert case.status is CaseStatus.CONCLUDED and case.closed_at == f.later(10)
    with pytest.raises(InvalidState):
        inspection.close_case(session, SYSTEM, case, outcome="x", now=f.later(20))

"""The credentials report: composition, N with its exclusions, adoption, approval."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from election import rules
from election.errors import InvalidInput, InvalidState, PermissionDenied
from election.models import (
    BodyKind,
    CongressKind,
    DelegateKind,
    Event,
    Gender,
    Matter,
    Membership,
    Role,
)
from election.services import credentials
from election.services import credentials_report as report
from election.services.base import SYSTEM
from tests import factories as f


def test_age_bands() -> None:
    assert [report.age_band(a) for a in (18, 30, 31, 40, 41, 60, 61, 99)] == [
        "30_or_less",
        "30_or_less",
        "31_40",
        "31_40",
        "41_50",
        "51_60",
        "over_60",
        "over_60",
    ]


def test_members_congress_report(session: Session) -> None:
    congress = f.make_congress(session, opens_on=None)
    official = f.make_members(session, congress, 6, birth_year=1980)
    official[0].gender = Gender.FEMALE
    official[0].party_cell = "Chi bộ 1"
    official[1].suspended = True
    official[2].absence_excused, official[2].absence_reason = True, "Ốm"
    probationary = f.make_member(
        session, congress, membership=Membership.PROBATIONARY, birth_year=2000
    )
    sitting = f.make_sitting(session, congress, 1)
    for m in [*official, probationary]:
        f.recognise(session, m)
    credentials.review_member(
        session, SYSTEM, official[3], recognised=False, reason="Lý do", now=f.NOW
    )
    f.check_in(session, [official[0], official[4], probationary], sitting)
    f.issue_credential(session, official[0])

    rep = report.build_report(session, congress, sitting, now=f.NOW)
    assert (rep.convened, rep.present, rep.attended) == (7, 3, 3)
    assert [(c.key, c.total, c.present) for c in rep.membership] == [
        ("official", 6, 2),
        ("probationary", 1, 1),
    ]
    assert [(c.key, c.total) for c in rep.genders] == [("male", 6), ("female", 1)]
    assert [(c.key, c.total) for c in rep.age_bands] == [("30_or_less", 1), ("41_50", 6)]
    assert rep.reference_year == f.NOW.year
    assert {c.key: c.total for c in rep.party_cells} == {"": 6, "Chi bộ 1": 1}
    assert (rep.recognised, rep.pending, rep.credentials_issued) == (6, 0, 1)
    assert [(m.code, reason) for m, reason in rep.not_recognised] == [(official[3].code, "Lý do")]
    # A members' congress does not exclude a refused member from N (R-RESULT-2 lists no
    # such exclusion); the suspended and the excused absent are left out.
    assert rep.base is not None and rep.base.n == 4
    groups = {g.reason: (g.rule_id, [m.code for m in g.members]) for g in rep.exclusions}
    assert groups == {
        rules.ExclusionReason.SUSPENDED: ("R-RESULT-2", [official[1].code]),
        rules.ExclusionReason.ABSENT_WHOLE_CONGRESS_EXCUSED: ("R-RESULT-2", [official[2].code]),
    }
    assert rep.summary.quorum_required == 3 and not rep.summary.quorum_met
    assert rep.delegate_kinds == ()


def test_delegates_congress_report(session: Session) -> None:
    congress = f.make_congress(session, kind=CongressKind.DELEGATES)
    elected = f.make_members(session, congress, 4)
    ex_officio = f.make_member(session, congress, delegate_kind=DelegateKind.EX_OFFICIO)
    f.make_member(session, congress, delegate_kind=DelegateKind.ALTERNATE)
    sitting = f.make_sitting(session, congress, 1)
    for m in elected[:3]:
        f.recognise(session, m)
    credentials.review_member(
        session, SYSTEM, elected[3], recognised=False, reason="Vi phạm", now=f.NOW
    )
    f.recognise(session, ex_officio)
    f.check_in(session, [*elected, ex_officio], sitting)
    rep = report.build_report(session, congress, sitting, now=f.NOW)
    # Alternates are not convened unless replacing someone.
    assert rep.convened == 5
    assert [(c.key, c.total) for c in rep.delegate_kinds] == [("elected", 4), ("ex_officio", 1)]
    assert rep.base is not None and rep.base.n == 4
    [group] = rep.exclusions
    assert group.reason is rules.ExclusionReason.STATUS_NOT_RECOGNISED
    assert group.rule_id == "R-DELEG-3" and group.members == (elected[3],)


def test_report_needs_a_plenary_session_of_the_congress(session: Session) -> None:
    congress = f.make_congress(session)
    other = f.make_congress(session)
    body = f.make_body(session, congress, BodyKind.EXECUTIVE_COMMITTEE)
    with pytest.raises(InvalidInput):
        report.build_report(
            session, congress, f.make_sitting(session, congress, 1, body=body), now=f.NOW
        )
    with pytest.raises(InvalidInput):
        report.build_report(session, congress, f.make_sitting(session, other, 1), now=f.NOW)


def test_adopt_and_approve(session: Session) -> None:
    congress = f.make_congress(session)
    people = f.make_members(session, congress, 5)
    sitting = f.make_sitting(session, congress, 1)
    board = f.make_actor(session, congress, Role.CREDENTIALS)
    presidium = f.make_actor(session, congress, Role.PRESIDIUM)
    f.check_in(session, people[:4], sitting)

    with pytest.raises(InvalidState, match="not reviewed"):
        report.finalize_report(session, board, congress, sitting, conclusion="Kết luận", now=f.NOW)
    for m in people:
        f.recognise(session, m)
    with pytest.raises(PermissionDenied):
        report.finalize_report(session, presidium, congress, sitting, conclusion="X", now=f.NOW)
    with pytest.raises(InvalidInput):
        report.finalize_report(session, board, congress, sitting, conclusion=" ", now=f.NOW)
    with pytest.raises(InvalidState, match="not adopted"):
        report.record_approval(
            session, presidium, congress, present=4, agree=4, disagree=0, abstain=0, now=f.NOW
        )

    adopted = report.finalize_report(
        session, board, congress, sitting, conclusion="Đề nghị công nhận 5 đảng viên.", now=f.NOW
    )
    assert (adopted.n, adopted.present, adopted.session) == (5, 4, 1)
    assert report.latest_report(session, congress) == adopted
    event = session.scalars(sa.select(Event).where(Event.action == report.REPORT_ACTION)).one()
    assert (
        event.data["conclusion"] == "Đề nghị công nhận 5 đảng viên." and event.role == "credentials"
    )
    assert report.build_report(session, congress, sitting, now=f.NOW).adopted_is_current

    with pytest.raises(PermissionDenied):
        report.record_approval(
            session, board, congress, present=4, agree=4, disagree=0, abstain=0, now=f.NOW
        )
    vote = report.record_approval(
        session, presidium, congress, present=4, agree=3, disagree=1, abstain=0, now=f.later(5)
    )
    assert vote.subject is Matter.CREDENTIALS_REPORT and vote.base_n == 5 and vote.carried
    assert vote.session_id == sitting.id and vote.object_type == "congresses"
    assert report.approvals(session, congress) == [vote]
    # 2 of N = 5 is not more than half.
    lost = report.record_approval(
        session, presidium, congress, present=4, agree=2, disagree=2, abstain=0, now=f.later(6)
    )
    assert not lost.carried

    # Someone else checks in: the adopted report no longer states the current figures.
    f.check_in(session, people[4:], sitting)
    assert not report.build_report(session, congress, sitting, now=f.NOW).adopted_is_current

"""The check-in desk: search, attendance per session, and attendance feeding N and quorum."""

from __future__ import annotations

import sqlalchemy as sa

from election import rules
from election.models import Attendance, CongressSession, Contest, Role
from election.services import eligibility
from election.services.congress import congress_profile
from tests.web.conftest import WebFixture
from tests.web.credentials.seed import Roster


def _check_in(client, member_id: int, session: int = 1) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        "/credentials/desk/attendance",
        data={"member_id": member_id, "session": session, "present": "1"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)


def test_search_without_accents(web: WebFixture, roster: Roster) -> None:
    client = web.app.test_client()
    web.login(client, Role.CREDENTIALS)
    page = client.get("/credentials/desk", query_string={"q": "nguyen van a"}).get_data(
        as_text=True
    )
    assert "Nguyễn Văn A" in page
    assert "Trần Thị Bình" not in page
    # "đ" is its own letter in Unicode, not d with a mark: it must still fold to d.
    page = client.get("/credentials/desk", query_string={"q": "dang thu"}).get_data(as_text=True)
    assert "Đặng Thu Mai" in page
    page = client.get("/credentials/desk", query_string={"q": "zzz"}).get_data(as_text=True)
    assert "Không tìm thấy ai" in page


def test_check_in_and_correct_to_absent(web: WebFixture, roster: Roster) -> None:
    client = web.app.test_client()
    web.login(client, Role.CREDENTIALS)
    a = roster.id("Nguyễn Văn A")
    _check_in(client, a)
    page = client.get(f"/credentials/desk?member={a}&session=1").get_data(as_text=True)
    assert "Đã điểm danh Nguyễn Văn A có mặt" in page
    with roster.db() as db:
        row = db.scalars(sa.select(Attendance).where(Attendance.member_id == a)).one()
        assert row.present

    # An absence needs a reason.
    client.post(
        "/credentials/desk/attendance",
        data={"member_id": a, "session": 1, "present": "0", "reason": ""},
    )
    with roster.db() as db:
        assert db.scalars(sa.select(Attendance.present).where(Attendance.member_id == a)).one()
    client.post(
        "/credentials/desk/attendance",
        data={
            "member_id": a,
            "session": 1,
            "present": "0",
            "reason": "Về cơ quan giải quyết việc gấp",
        },
    )
    with roster.db() as db:
        row = db.scalars(sa.select(Attendance).where(Attendance.member_id == a)).one()
        assert not row.present and row.absence_reason == "Về cơ quan giải quyết việc gấp"


def test_committee_session_takes_only_its_members(web: WebFixture, roster: Roster) -> None:
    client = web.app.test_client()
    web.login(client, Role.CREDENTIALS)
    outsider = roster.id("Lê Đức Cường")
    response = client.post(
        "/credentials/desk/attendance",
        data={"member_id": outsider, "session": roster.committee_session, "present": "1"},
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "không thuộc thành phần dự phiên họp này" in page
    assert "Lê Đức Cường" in page  # still shown, so the desk can say why
    assert client.get("/credentials/desk?member=99999").status_code == 404
    with roster.db() as db:
        assert db.scalar(sa.select(sa.func.count()).select_from(Attendance)) == 0
    # The committee session's desk lists and counts its members only.
    summary = client.get(f"/api/credentials/sessions/{roster.committee_session}/summary")
    assert summary.get_json()["convened"] == 2


def _engine_figures(roster: Roster) -> tuple[rules.MajorityBase, int]:
    """N and the quorum exactly as the rules engine computes them for a vote of the contest."""
    with roster.db() as db:
        contest = db.get(Contest, roster.contest_id)
        sitting = db.scalars(
            sa.select(CongressSession).where(
                CongressSession.congress_id == roster.congress_id, CongressSession.number == 1
            )
        ).one()
        base = eligibility.majority_base(db, contest, sitting)
        return base, rules.quorum_required(base, congress_profile(contest.congress))


def test_attendance_through_the_desk_feeds_n_and_quorum(web: WebFixture, roster: Roster) -> None:
    """Acceptance: the credentials report and attendance give the N and quorum that the
    rules engine uses."""
    client = web.app.test_client()
    web.login(client, Role.CREDENTIALS)

    base, quorum = _engine_figures(roster)
    assert (base.n, base.present_at_vote, quorum) == (7, 0, 5)
    summary = client.get("/api/credentials/sessions/1/summary").get_json()
    assert (summary["n"], summary["present_in_n"], summary["quorum_required"]) == (7, 0, 5)
    assert summary["quorum_met"] is False

    for name in ("Nguyễn Văn A", "Trần Thị Bình", "Lê Đức Cường", "Đỗ Văn Giang"):
        _check_in(client, roster.id(name))
    # A probationary member attends but is not in N (R-DELEG-2).
    _check_in(client, roster.id("Phạm Ngọc Dung"))
    base, quorum = _engine_figures(roster)
    assert (base.n, base.present_at_vote, quorum) == (7, 4, 5)
    summary = client.get("/api/credentials/sessions/1/summary").get_json()
    assert summary["present"] == 5  # everyone in the hall, the probationary member included
    assert (summary["n"], summary["present_in_n"], summary["quorum_required"]) == (7, 4, 5)
    assert summary["quorum_met"] is False

    # The member excused for the whole congress comes after all: attending puts him back
    # in N (R-RESULT-2), which raises the quorum, and he is one of those present.
    _check_in(client, roster.id("Hoàng Minh Đức"))
    base, quorum = _engine_figures(roster)
    assert (base.n, base.present_at_vote, quorum) == (8, 5, 6)
    summary = client.get("/api/credentials/sessions/1/summary").get_json()
    assert (summary["n"], summary["present_in_n"], summary["quorum_required"]) == (8, 5, 6)
    assert summary["quorum_met"] is False

    _check_in(client, roster.id("Bùi Thị Lan"))
    summary = client.get("/api/credentials/sessions/1/summary").get_json()
    assert summary["quorum_met"] is True
    assert summary["text"]["quorum"] == "Đủ số lượng để tiến hành đại hội"
    base, quorum = _engine_figures(roster)
    assert base.present_at_vote >= quorum

    # The same figures on the desk page and in the report.
    page = client.get("/credentials/desk?session=1").get_data(as_text=True)
    assert 'data-live="n">8<' in page and 'data-live="quorum_required">6<' in page
    report = client.get("/credentials/report?session=1").get_data(as_text=True)
    assert 'data-figure="n">8<' in report and 'data-figure="quorum">6<' in report
    assert 'data-figure="present-in-n">6<' in report


def test_desk_in_english(web: WebFixture, roster: Roster) -> None:
    client = web.app.test_client()
    web.login(client, Role.CREDENTIALS)
    page = client.get("/credentials/desk?lang=en").get_data(as_text=True)
    assert "Check-in and voting badges" in page

"""The random spot-check drill, scripted end to end through the inspection commission's
pages (ATTACKS.md T-4.e): a round with ballots on its board, a draw of N delegates, the
sample checked against the board (tracking code and credential fingerprint), outcomes
recorded and logged, a mismatch flagged, bad input refused without a change, other roles
refused (the matrix, tests/web/test_access_matrix.py, covers every audience).
"""

from __future__ import annotations

import html
import re

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

import crypto
from election.models import BoardEntry, Event, Role, RoundState
from election.services import credentials, spot_check
from election.services.base import SYSTEM
from tests import factories
from tests.web.conftest import WebFixture
from tests.web.support import Pilot, audit_html, db_session, load_round, seed_pilot

BALLOTS = 6


def _text(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def _events(web: WebFixture, action: str) -> list[Event]:
    with db_session(web) as db:
        return list(db.scalars(sa.select(Event).where(Event.action == action).order_by(Event.seq)))


@pytest.fixture
def client(web: WebFixture) -> FlaskClient:
    c = web.app.test_client()
    web.login(c, Role.INSPECTION)
    return c


@pytest.fixture
def voting(web: WebFixture) -> Pilot:
    """The pilot congress with its committee round open and ``BALLOTS`` ballots cast."""
    pilot = seed_pilot(web)
    with db_session(web) as db:
        factories.run_to(db, load_round(db, pilot), RoundState.OPEN, ballots=BALLOTS)
    return pilot


def test_t4e_spot_check_drill_end_to_end(
    web: WebFixture, client: FlaskClient, voting: Pilot
) -> None:
    """T-4.e: draw 3 of the 6 voters, check each against the board, record confirmed,
    mismatch and not reached; the log holds the draw and every outcome; the mismatch is
    flagged on the drill's page and on the round's list of drills."""
    rid = voting.round_id
    index = client.get("/inspection/").get_data(as_text=True)
    assert f"/inspection/rounds/{rid}/spot-checks" in index

    page = client.get(f"/inspection/rounds/{rid}/spot-checks").get_data(as_text=True)
    assert audit_html(page) == []
    assert "Kiểm tra ngẫu nhiên" in _text(
        page
    ) and f"Số lá phiếu trên bảng công khai: {BALLOTS}" in _text(page)

    response = client.post(f"/inspection/rounds/{rid}/spot-checks", data={"size": "3"})
    assert response.status_code == 302
    [draw] = _events(web, spot_check.DRAW)
    assert response.headers["Location"].endswith(f"/inspection/spot-checks/{draw.seq}")
    assert draw.role == Role.INSPECTION.value and draw.data["size"] == 3

    with db_session(web) as db:
        board = {
            e.credential.member_id: (
                e.position,
                crypto.tracking_code(e.ballot_hash),
                spot_check.credential_fingerprint(e.credential.public_key),
            )
            for e in db.scalars(sa.select(BoardEntry).where(BoardEntry.round_id == rid))
        }
    sample = [s["member"] for s in draw.data["sample"]]
    assert len(set(sample)) == 3 and set(sample) <= set(board)

    page = client.get(f"/inspection/spot-checks/{draw.seq}").get_data(as_text=True)
    text = _text(page)
    assert audit_html(page) == []
    for heading in (
        "Mã theo dõi",
        "Dấu vân tay định danh",
        "Khớp",
        "Không khớp",
        "Không gặp được đại biểu",
    ):
        assert heading in text
    for member_id in sample:
        position, tracker, fingerprint = board[member_id]
        row = re.search(rf'<tr id="member-{member_id}".*?</tr>', page, re.S)
        assert row is not None
        assert f"<td>{position}</td>" in row.group(0)
        assert tracker in row.group(0) and fingerprint in row.group(0)
    assert 'data-testid="mismatch"' not in page

    a, b, c = sample
    for member_id, outcome, note in (
        (a, "confirmed", ""),
        (b, "mismatch", "Biên nhận ghi mã khác"),
        (c, "not_reached", "Đại biểu vắng mặt"),
    ):
        response = client.post(
            f"/inspection/spot-checks/{draw.seq}/members/{member_id}",
            data={f"m{member_id}-outcome": outcome, f"m{member_id}-note": note},
        )
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"#member-{member_id}")

    outcomes = _events(web, spot_check.OUTCOME)
    assert [(e.data["member"], e.data["outcome"]) for e in outcomes] == [
        (a, "confirmed"),
        (b, "mismatch"),
        (c, "not_reached"),
    ]
    assert outcomes[1].data["flag"] == "mismatch"
    assert all(e.data["drill"] == draw.seq and e.role == "inspection" for e in outcomes)

    page = client.get(f"/inspection/spot-checks/{draw.seq}").get_data(as_text=True)
    assert 'data-testid="mismatch"' in page
    assert "KHÔNG KHỚP" in _text(page) and "Biên nhận ghi mã khác" in _text(page)
    listing = _text(client.get(f"/inspection/rounds/{rid}/spot-checks").get_data(as_text=True))
    assert "1 không khớp" in listing and "1 khớp, 1 chưa đối chiếu được" in listing

    # A confirmed or mismatched delegate is final: nothing more is logged.
    refused = client.post(
        f"/inspection/spot-checks/{draw.seq}/members/{b}",
        data={f"m{b}-outcome": "confirmed"},
        follow_redirects=True,
    )
    assert "đã được ghi, không sửa được" in _text(refused.get_data(as_text=True))
    assert len(_events(web, spot_check.OUTCOME)) == 3


def test_t4e_bad_input_is_refused_and_changes_nothing(
    web: WebFixture, client: FlaskClient, voting: Pilot
) -> None:
    """T-4.e: N = 0, N above the ballots, a missing N, a delegate outside the sample, a
    missing outcome and an unknown drill: a clear error, nothing logged."""
    rid = voting.round_id
    for size in ("0", str(BALLOTS + 1), "", "abc"):
        page = client.post(
            f"/inspection/rounds/{rid}/spot-checks", data={"size": size}, follow_redirects=True
        ).get_data(as_text=True)
        assert f"Số đại biểu chọn ngẫu nhiên phải từ 1 đến {BALLOTS}" in _text(page), size
    assert _events(web, spot_check.DRAW) == []

    client.post(f"/inspection/rounds/{rid}/spot-checks", data={"size": "2"})
    [draw] = _events(web, spot_check.DRAW)
    sampled = {s["member"] for s in draw.data["sample"]}
    outsider = next(m for m in voting.member_ids if m not in sampled)
    page = client.post(
        f"/inspection/spot-checks/{draw.seq}/members/{outsider}",
        data={f"m{outsider}-outcome": "confirmed"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "không có trong danh sách được chọn" in _text(page)
    member = next(iter(sampled))
    page = client.post(
        f"/inspection/spot-checks/{draw.seq}/members/{member}",
        data={f"m{member}-outcome": "maybe"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Cần chọn kết quả đối chiếu" in _text(page)
    assert client.get(f"/inspection/spot-checks/{draw.seq - 1}").status_code == 404
    assert client.get("/inspection/spot-checks/99999").status_code == 404
    assert _events(web, spot_check.OUTCOME) == []
    assert len(_events(web, spot_check.DRAW)) == 1


def test_t4e_an_empty_board_cannot_be_drawn(web: WebFixture, client: FlaskClient) -> None:
    """T-4.e: a round without ballots has no form and refuses a draw."""
    pilot = seed_pilot(web)
    with db_session(web) as db:
        factories.run_to(db, load_round(db, pilot), RoundState.OPEN, ballots=0)
    page = client.post(
        f"/inspection/rounds/{pilot.round_id}/spot-checks",
        data={"size": "1"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Chưa có lá phiếu nào trên bảng công khai" in _text(page)
    assert _events(web, spot_check.DRAW) == []


def test_t4e_other_roles_are_refused(web: WebFixture, voting: Pilot) -> None:
    """T-4.e: only the inspection commission draws and records."""
    c = web.app.test_client()
    web.login(c, Role.PRESIDIUM)
    rid = voting.round_id
    assert c.get(f"/inspection/rounds/{rid}/spot-checks").status_code == 403
    assert c.post(f"/inspection/rounds/{rid}/spot-checks", data={"size": "1"}).status_code == 403
    assert c.post("/inspection/spot-checks/1/members/1", data={}).status_code == 403
    anonymous = web.app.test_client()
    assert anonymous.get(f"/inspection/rounds/{rid}/spot-checks").status_code in (302, 401)
    assert _events(web, spot_check.DRAW) == []


def test_t4d_the_round_page_reconciles_the_board_with_attendance(
    web: WebFixture, client: FlaskClient, voting: Pilot
) -> None:
    """T-4.d on the inspection page: with every voter present the board reconciles; once a
    voter is recorded absent, the page names the ballot cast with that delegate's badge."""
    rid = voting.round_id
    page = _text(client.get(f"/inspection/rounds/{rid}/spot-checks").get_data(as_text=True))
    assert f"{BALLOTS} lá phiếu trên bảng công khai" in page
    assert "Khớp: mọi lá phiếu đều của đại biểu có mặt." in page

    with db_session(web) as db:
        round_ = load_round(db, voting)
        entry = db.scalar(
            sa.select(BoardEntry).where(BoardEntry.round_id == rid, BoardEntry.position == 2)
        )
        assert entry is not None
        member = entry.credential.member
        name, code = member.full_name, member.code
        credentials.record_attendance(
            db,
            SYSTEM,
            member,
            round_.session,
            present=False,
            reason="rời hội trường",
            now=factories.later(30),
        )
    html_page = client.get(f"/inspection/rounds/{rid}/spot-checks").get_data(as_text=True)
    assert audit_html(html_page) == []
    page = _text(html_page)
    assert "Lá phiếu của đại biểu được ghi là vắng mặt:" in page
    assert f"Vị trí 2: {name} ({code})" in page
    assert "Khớp: mọi lá phiếu" not in page

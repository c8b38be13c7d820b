"""The hall screen and its public JSON: counts only, announced results only (ATTACKS.md 9)."""

from __future__ import annotations

import json

import pytest

import crypto
from election.models import RoundState
from election.services import rounds
from election.services.base import SYSTEM
from election.web.formatting import format_hash
from tests import factories
from tests.web.conftest import WebFixture
from tests.web.support import audit_html, db_session, load_round, seed_pilot


def test_hall_without_structure_still_renders(web: WebFixture) -> None:
    client = web.app.test_client()
    page = client.get("/hall")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Chưa có số liệu điểm danh." in html
    assert "Không có vòng bầu nào đang mở." in html
    data = client.get("/api/hall").get_json()
    assert data["attendance"] is None and data["round"] is None and data["results"] == []
    assert data["congress"]["title"] == "Đại hội lần thứ III, nhiệm kỳ 2025–2030"


def test_hall_shows_attendance_and_quorum(web: WebFixture) -> None:
    seed_pilot(web)
    data = web.app.test_client().get("/api/hall").get_json()
    assert data["sitting"] == "Phiên chính thức — bầu cử"
    # 12 official members checked in; the probationary member is not in N (R-DELEG-2).
    assert data["attendance"]["present"] == 12
    assert data["attendance"]["n"] == 12
    assert data["attendance"]["required"] == 8
    assert data["attendance"]["quorum_met"] is True
    assert data["attendance"]["quorum_text"] == "Đủ túc số"


def test_open_round_turnout_is_a_count_with_the_board_head(web: WebFixture) -> None:
    pilot = seed_pilot(web)
    with db_session(web) as db:
        round_ = load_round(db, pilot)
        rounds.open_round(db, SYSTEM, round_, now=factories.later(10))
        before = web.app.test_client().get("/api/hall").get_json()
        genesis = crypto.chain_genesis(round_.round_hash or b"")
        (*_, last) = factories.add_ballots(db, round_, 3)
    assert before["round"]["cast"] == 0
    assert before["round"]["eligible"] == 12
    assert before["round"]["head"] == format_hash(genesis)
    # h_R's fingerprint, which each counting-board device shows before its share (T-3.c).
    assert before["round"]["round_hash"] == format_hash(round_.round_hash)
    data = web.app.test_client().get("/api/hall").get_json()
    assert data["round"]["cast"] == 3
    assert data["round"]["cast_text"] == "3"
    assert data["round"]["turnout_text"] == "25,0%"
    assert data["round"]["head"] == " ".join(
        last.chain_hash.hex()[i : i + 4] for i in (0, 4, 8, 12)
    )
    # Counts only: nothing names a voter, a credential or a candidate of the open round.
    text = json.dumps(data, ensure_ascii=False)
    assert "DV0" not in text and "credential" not in text
    assert data["results"] == []
    page = web.app.test_client().get("/hall").get_data(as_text=True)
    assert f'data-testid="hall-round-hash">{format_hash(round_.round_hash)}</code>' in page


@pytest.mark.parametrize("state", [RoundState.CLOSED, RoundState.TALLIED, RoundState.DECRYPTED])
def test_no_candidate_counts_before_the_result_is_announced(
    web: WebFixture, state: RoundState
) -> None:
    """T-9.b: no endpoint gives per-candidate counts before the result is released."""
    pilot = seed_pilot(web)
    with db_session(web) as db:
        round_ = load_round(db, pilot)
        factories.run_to(db, round_, state, ballots=8)
        names = [c.member.full_name for c in round_.candidates]
    client = web.app.test_client()
    data = client.get("/api/hall").get_json()
    assert data["results"] == []
    text = json.dumps(data, ensure_ascii=False)
    page = client.get("/hall").get_data(as_text=True)
    for name in names:
        assert name not in text
        assert name not in page


def test_announced_result_is_shown_with_percent_of_n(web: WebFixture) -> None:
    pilot = seed_pilot(web)
    with db_session(web) as db:
        round_ = load_round(db, pilot)
        factories.run_to(db, round_, RoundState.ANNOUNCED, ballots=8)
    client = web.app.test_client()
    data = client.get("/api/hall").get_json()
    (result,) = data["results"]
    assert result["title"] == "Ủy viên Ban Chấp hành"
    votes = {line["votes"] for line in result["lines"]}
    assert 7 in votes  # 8 ballots, one invalid: the kept names got 7 each
    line = next(line for line in result["lines"] if line["votes"] == 7)
    assert line["percent_text"] == "58,33%"  # 7 of N = 12, truncated (R-RESULT-9)
    assert line["elected"] is True and line["outcome_text"] == "Trúng cử"
    page = client.get("/hall").get_data(as_text=True)
    assert "58,33%" in page
    english = client.get("/api/hall?lang=en").get_json()
    assert english["results"][0]["lines"][0]["percent_text"].endswith("%")
    assert "58.33%" in json.dumps(english)


def test_hall_page_has_no_inline_code_and_polls_the_api(web: WebFixture) -> None:
    seed_pilot(web)
    response = web.app.test_client().get("/hall")
    html = response.get_data(as_text=True)
    assert audit_html(html) == []
    assert 'data-api="/api/hall"' in html
    assert "/static/dist/hall.js" in html
    # The anonymous projector page starts no session.
    assert "Set-Cookie" not in response.headers


def test_hall_in_english(web: WebFixture) -> None:
    seed_pilot(web)
    html = web.app.test_client().get("/hall?lang=en").get_data(as_text=True)
    assert "Quorum reached" in html

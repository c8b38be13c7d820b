"""The secretariat's pages: congress overview, roster import through a preview, and
candidate lists with the rules engine's checks (server-rendered and as JSON)."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from election.models import Member, Nomination, Role, Round
from election.web.secretariat.forms import ROSTER_MAX_BYTES
from tests.web.conftest import WebFixture
from tests.web.support import Pilot, audit_html, db_session, seed_pilot

GOOD_CSV = (
    "Mã,Họ và tên,Năm sinh,Giới tính,Chi bộ\n"
    "DV101,Nguyễn Thị Minh Khai,1980,Nữ,Chi bộ Văn phòng\n"
    "DV102,Trần Văn Bảo,1975,Nam,Chi bộ Văn phòng\n"
    "DV103,Lê Thị Cúc,1990,Nữ,Chi bộ Hành chính\n"
)
BAD_CSV = (
    "Mã,Họ và tên,Năm sinh,Giới tính\n"
    "DV201,Nguyễn Văn An,19x0,Nam\n"
    "DV202,Trần Văn Bình,1975,Nam\n"
    "DV202,Lê Văn Công,1976,Nam\n"
)


@pytest.fixture
def client(web: WebFixture) -> FlaskClient:
    c = web.app.test_client()
    web.login(c, Role.SECRETARIAT)
    return c


def _text(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def _members(web: WebFixture) -> int:
    with db_session(web) as db:
        return int(db.scalar(sa.select(sa.func.count()).select_from(Member)) or 0)


def _upload(client: FlaskClient, content: str | bytes, name: str = "danh-sach.csv") -> Any:
    """POST a file as a browser would. The multipart body is built here, in memory:
    werkzeug's test client would spool a large one to a temporary file it never closes."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    boundary = "dhvote-test-boundary"
    body = (
        (
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return client.post(
        "/secretariat/roster",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def _token(html: str) -> str:
    match = re.search(r'id="token" name="token" type="hidden" value="([^"]+)"', html)
    assert match is not None, "no confirm token on the page"
    return match.group(1)


# ------------------------------------------------------------------------------- overview


def test_overview_shows_the_congress_setup(client: FlaskClient, web: WebFixture) -> None:
    pilot = seed_pilot(web)
    response = client.get("/secretariat/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = _text(html)
    assert "Đại hội lần thứ III, nhiệm kỳ 2025–2030" in text
    assert "Đại hội đảng viên" in text
    assert "Quy chế bầu cử trong Đảng 190-QĐ/TW (2024)" in text
    assert "Tổng số: 13 người." in text
    for words in ("Ban Kiểm phiếu", "Ủy viên Ban Thường vụ", "Phiên chính thức — bầu cử"):
        assert words in text
    assert f"/secretariat/contests/{pilot.committee_contest_id}" in html
    assert audit_html(html) == []


def test_every_secretariat_page_is_free_of_inline_code(
    client: FlaskClient, web: WebFixture
) -> None:
    pilot = seed_pilot(web)
    for url in (
        "/secretariat/",
        "/secretariat/roster",
        f"/secretariat/contests/{pilot.committee_contest_id}",
        f"/secretariat/contests/{pilot.standing_contest_id}",
        "/secretariat/?lang=en",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert audit_html(response.get_data(as_text=True)) == [], url
    preview = _upload(client, GOOD_CSV)
    assert audit_html(preview.get_data(as_text=True)) == []


# ------------------------------------------------------------------------------- roster


def test_roster_preview_saves_nothing_until_confirmed(client: FlaskClient, web: WebFixture) -> None:
    preview = _upload(client, GOOD_CSV)
    assert preview.status_code == 200
    html = preview.get_data(as_text=True)
    text = _text(html)
    assert "3 người đọc được từ tệp" in text
    assert "Nguyễn Thị Minh Khai" in text and "Minh Khai" in text
    assert _members(web) == 0
    response = client.post(
        "/secretariat/roster/confirm", data={"token": _token(html)}, follow_redirects=True
    )
    assert "Đã nhập 3 người vào danh sách." in response.get_data(as_text=True)
    assert _members(web) == 3


def test_bad_rows_are_listed_with_their_lines_and_nothing_is_saved(
    client: FlaskClient, web: WebFixture
) -> None:
    response = _upload(client, BAD_CSV)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = _text(html)
    assert "Có 2 dòng lỗi: không nhập dòng nào" in text
    assert re.search(r"<td class=\"num\">2</td><td>[^<]*19x0", html)
    assert re.search(r"<td class=\"num\">4</td><td>[^<]*DV202", html)
    assert 'name="token"' not in html
    assert _members(web) == 0


def test_codes_already_on_the_roster_are_problems(client: FlaskClient, web: WebFixture) -> None:
    seed_pilot(web)
    response = _upload(client, "Mã,Họ và tên,Năm sinh,Giới tính\nDV001,Trần Văn Lặp,1970,Nam\n")
    text = _text(response.get_data(as_text=True))
    assert "Có 1 dòng lỗi" in text
    assert "DV001" in text
    assert "Xác nhận nhập danh sách" not in text


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (GOOD_CSV, "danh-sach.txt", "Chỉ nhận tệp .csv hoặc .xlsx."),
        (b"x" * (ROSTER_MAX_BYTES + 1), "lon.csv", "Tệp lớn hơn giới hạn 2 MB."),
    ],
)
def test_upload_form_errors(
    client: FlaskClient, web: WebFixture, content: Any, name: str, message: str
) -> None:
    response = _upload(client, content, name)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _members(web) == 0


def test_upload_without_a_file(client: FlaskClient) -> None:
    response = client.post("/secretariat/roster", data={}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Chọn một tệp danh sách." in response.get_data(as_text=True)


def test_a_tampered_token_imports_nothing(client: FlaskClient, web: WebFixture) -> None:
    token = _token(_upload(client, GOOD_CSV).get_data(as_text=True))
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    response = client.post(
        "/secretariat/roster/confirm", data={"token": forged}, follow_redirects=True
    )
    assert "hết hạn hoặc không hợp lệ" in response.get_data(as_text=True)
    assert _members(web) == 0


def test_a_token_is_bound_to_its_user(web: WebFixture) -> None:
    first = web.app.test_client()
    web.login(first, Role.SECRETARIAT)
    token = _token(_upload(first, GOOD_CSV).get_data(as_text=True))
    with db_session(web) as db:
        from election.services import users
        from election.services.base import SYSTEM
        from election.services.congress import get_congress
        from tests import factories
        from tests.web.conftest import PASSWORD

        users.create_account(
            db,
            SYSTEM,
            username="thuky2",
            full_name="Thư ký thứ hai",
            password=PASSWORD,
            congress=get_congress(db, web.congress_public_id),
            roles=[Role.SECRETARIAT],
            now=factories.NOW,
        )
    second = web.app.test_client()
    assert second.post("/login", data={"username": "thuky2", "password": PASSWORD}).status_code
    response = second.post("/secretariat/roster/confirm", data={"token": token})
    assert response.status_code == 302
    assert _members(web) == 0


# ------------------------------------------------------------------------------- lists


def test_list_page_shows_the_rules_checks(client: FlaskClient, web: WebFixture) -> None:
    pilot = seed_pilot(web)
    text = _text(client.get(f"/secretariat/contests/{pilot.committee_contest_id}").get_data(True))
    assert "Danh sách hợp lệ theo quy chế bầu cử." in text
    assert "6 người cho 5 chỗ: số dư 1; được dư từ 1 đến 1 người." in text
    assert "10–15% của 5 chỗ là 0,5–0,75 người, nên dư 1." in text
    assert "Xếp theo vần A, B, C (R-LIST-10)" in text
    # A-B-C by given name: Anh, Bình, Châu, Dung, Hùng, Lan.
    names = ["Vũ Đức Anh", "Nguyễn Văn Bình", "Lê Minh Châu", "Trần Thị Mỹ Dung"]
    positions = [text.index(f"{n} ") for n in names]
    assert positions == sorted(positions)


def test_standing_committee_list_needs_the_new_committee(
    client: FlaskClient, web: WebFixture
) -> None:
    pilot = seed_pilot(web)
    url = f"/api/secretariat/contests/{pilot.standing_contest_id}/check"
    data = client.post(url, json={"add": list(pilot.member_ids[:4])}).get_json()
    assert data["ok"] is False
    assert "R-DIRECT-2" in data["verdict"]["text"]
    eligibility = next(c for c in data["checks"] if c["id"] == "eligibility")
    assert eligibility["status"] == "fail"
    assert all(e["proposed"] for e in data["entries"])
    assert (
        "Không thuộc cơ quan mà chức danh này được bầu từ đó (R-DIRECT-2)."
        in (data["entries"][0]["notes"])
    )


def test_check_endpoint_reports_the_30_percent_ceiling(
    client: FlaskClient, web: WebFixture
) -> None:
    pilot = seed_pilot(web)
    url = f"/api/secretariat/contests/{pilot.committee_contest_id}/check"
    ok = client.post(url, json={"add": []}).get_json()
    assert ok["ok"] is True and ok["names"] == 6
    over = client.post(url, json={"add": [pilot.member_ids[6]]}).get_json()
    assert over["ok"] is False
    assert over["verdict"]["status"] == "fail"
    surplus = next(c for c in over["checks"] if c["id"] == "surplus")
    assert surplus["status"] == "fail"
    assert "7 người cho 5 chỗ: số dư 2" in surplus["detail"]
    proposed = [e for e in over["entries"] if e["proposed"]]
    assert [e["name"] for e in proposed] == ["Đặng Thu Hà"]
    # Only a check: nothing was nominated.
    with db_session(web) as db:
        assert db.scalar(sa.select(sa.func.count()).select_from(Nomination)) == 6


def test_probationary_members_are_flagged(client: FlaskClient, web: WebFixture) -> None:
    pilot = seed_pilot(web)
    url = f"/api/secretariat/contests/{pilot.committee_contest_id}/check"
    data = client.post(url, json={"add": [pilot.probationary_id]}).get_json()
    entry = next(e for e in data["entries"] if e["proposed"])
    assert entry["status"] == "fail"
    assert any("Không phải đảng viên chính thức" in note for note in entry["notes"])
    assert "R-LIST-6" in data["verdict"]["text"]


@pytest.mark.parametrize("body", [None, {"add": "1"}, {"add": [True]}, {"add": ["x"]}, [1]])
def test_check_endpoint_refuses_malformed_bodies(
    client: FlaskClient, web: WebFixture, body: Any
) -> None:
    pilot = seed_pilot(web)
    url = f"/api/secretariat/contests/{pilot.committee_contest_id}/check"
    response = client.post(url, json=body) if body is not None else client.post(url, data="x")
    assert response.status_code == 400
    assert response.get_json()["error"] == 400


def test_nominate_then_rebuild_the_list(client: FlaskClient, web: WebFixture) -> None:
    pilot = seed_pilot(web)
    base = f"/secretariat/contests/{pilot.committee_contest_id}"
    response = client.post(
        f"{base}/nominations", data={"add-members": [pilot.member_ids[6]]}, follow_redirects=True
    )
    text = _text(response.get_data(as_text=True))
    assert "Đã đưa 1 người vào danh sách của cấp ủy." in text
    assert "Danh sách giới thiệu đã thay đổi: cần lập lại." in text
    assert "Số dư không đúng quy định" in text
    # Building refuses the list in Vietnamese (R-LIST-1) and keeps the old draft.
    response = client.post(
        f"{base}/build", data={"build-sitting": pilot.sitting_id}, follow_redirects=True
    )
    assert "Số dư không đúng quy định" in _text(response.get_data(as_text=True))
    with db_session(web) as db:
        draft = db.get(Round, pilot.round_id)
        assert draft is not None and len(draft.candidates) == 6


def test_nominate_needs_someone(client: FlaskClient, web: WebFixture) -> None:
    pilot = seed_pilot(web)
    response = client.post(f"/secretariat/contests/{pilot.committee_contest_id}/nominations")
    assert response.status_code == 400
    assert "Chọn ít nhất một người." in response.get_data(as_text=True)


def test_build_stores_the_draft_in_abc_order(client: FlaskClient, web: WebFixture) -> None:
    pilot = seed_pilot(web)
    response = client.post(
        f"/secretariat/contests/{pilot.committee_contest_id}/build",
        data={"build-sitting": pilot.sitting_id},
        follow_redirects=True,
    )
    assert "Đã lập danh sách bầu cử gồm 6 người" in response.get_data(as_text=True)


# ------------------------------------------------------------------------------- CSRF


def _csrf_client(web: WebFixture) -> tuple[FlaskClient, Pilot]:
    pilot = seed_pilot(web)
    client = web.app.test_client()
    web.login(client, Role.SECRETARIAT)
    web.app.config["WTF_CSRF_ENABLED"] = True
    return client, pilot


def test_forms_without_csrf_token_are_refused(web: WebFixture) -> None:
    client, pilot = _csrf_client(web)
    before = _members(web)
    assert _upload(client, GOOD_CSV).status_code == 400
    assert client.post("/secretariat/roster/confirm", data={"token": "x"}).status_code == 400
    nominate = client.post(
        f"/secretariat/contests/{pilot.committee_contest_id}/nominations",
        data={"add-members": [pilot.member_ids[6]]},
    )
    assert nominate.status_code == 400
    assert _members(web) == before
    with db_session(web) as db:
        assert db.scalar(sa.select(sa.func.count()).select_from(Nomination)) == 6


def test_json_check_needs_the_csrf_header(web: WebFixture) -> None:
    client, pilot = _csrf_client(web)
    url = f"/api/secretariat/contests/{pilot.committee_contest_id}/check"
    refused = client.post(url, json={"add": []})
    assert refused.status_code == 400
    assert refused.get_json()["error"] == 400
    page = client.get(f"/secretariat/contests/{pilot.committee_contest_id}").get_data(True)
    match = re.search(r'<meta name="csrf-token" content="([^"]+)"', page)
    assert match is not None
    allowed = client.post(url, json={"add": []}, headers={"X-CSRFToken": match.group(1)})
    assert allowed.status_code == 200
    assert allowed.get_json()["ok"] is True


def test_overview_in_english(client: FlaskClient, web: WebFixture) -> None:
    seed_pilot(web)
    text = _text(client.get("/secretariat/?lang=en").get_data(as_text=True))
    assert "Congress overview" in text
    assert "Members' congress" in text

"""The review list: filters, accent-insensitive search, recognise / not recognise, bulk."""

from __future__ import annotations

import sqlalchemy as sa

from election.models import CredentialReview, Event, Role
from tests.web.conftest import WebFixture
from tests.web.credentials.seed import Roster


def _review(roster: Roster, name: str) -> CredentialReview | None:
    with roster.db() as db:
        return db.scalar(
            sa.select(CredentialReview).where(CredentialReview.member_id == roster.id(name))
        )


def test_the_list_shows_everyone_and_filters(web: WebFixture, roster: Roster) -> None:
    client = web.app.test_client()
    web.login(client, Role.CREDENTIALS)
    page = client.get("/credentials/review").get_data(as_text=True)
    assert "Nguyễn Văn A" in page and "Đặng Thu Mai" in page
    assert "Danh sách thẩm tra: 10 người" in page

    by_cell = client.get("/credentials/review", query_string={"cell": "Chi bộ Kế toán"})
    text = by_cell.get_data(as_text=True)
    assert "Lê Đức Cường" in text and "Nguyễn Văn A" not in text
    assert "Danh sách thẩm tra: 5 người" in text

    # Accent- and case-insensitive: typed without a Vietnamese keyboard.
    found = client.get("/credentials/review", query_string={"q": "nguyen van a"})
    text = found.get_data(as_text=True)
    assert "Nguyễn Văn A" in text and "Trần Thị Bình" not in text
    assert "Hoàng Minh Đức" in client.get(
        "/credentials/review", query_string={"q": "DUC"}
    ).get_data(as_text=True)


def test_recognise_and_refuse_with_a_reason(web: WebFixture, roster: Roster) -> None:
    client = web.app.test_client()
    web.login(client, Role.CREDENTIALS)
    a = roster.id("Nguyễn Văn A")
    response = client.post(
        f"/credentials/review/{a}", data={"recognised": "1", "cell": "Chi bộ Văn phòng"}
    )
    assert response.status_code == 302
    assert "cell=Chi" in response.headers["Location"]
    review = _review(roster, "Nguyễn Văn A")
    assert review is not None and review.recognised and review.reason is None

    # Not recognised without a reason: refused, nothing stored.
    ha = roster.id("Vũ Thu Hà")
    response = client.post(f"/credentials/review/{ha}", data={"recognised": "0", "reason": "  "})
    assert response.status_code == 302
    assert _review(roster, "Vũ Thu Hà") is None
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Cần ghi lý do không công nhận." in page

    response = client.post(
        f"/credentials/review/{ha}",
        data={"recognised": "0", "reason": "Đang bị đình chỉ sinh hoạt đảng"},
    )
    review = _review(roster, "Vũ Thu Hà")
    assert review is not None and not review.recognised
    assert review.reason == "Đang bị đình chỉ sinh hoạt đảng"
    page = client.get("/credentials/review", query_string={"status": "not_recognised"})
    text = page.get_data(as_text=True)
    assert "Vũ Thu Hà" in text and "Đang bị đình chỉ sinh hoạt đảng" in text
    assert "Nguyễn Văn A" not in text
    with roster.db() as db:
        actions = list(
            db.scalars(sa.select(Event.action).where(Event.action == "credentials.review"))
        )
    assert len(actions) == 2


def test_recognise_everyone_pending_in_one_cell(web: WebFixture, roster: Roster) -> None:
    client = web.app.test_client()
    web.login(client, Role.CREDENTIALS)
    response = client.post("/credentials/review/recognise-pending", data={"cell": "Chi bộ Kế toán"})
    assert response.status_code == 302
    with roster.db() as db:
        reviewed = set(db.scalars(sa.select(CredentialReview.member_id)))
    cell = {
        roster.id(n)
        for n in ("Lê Đức Cường", "Phạm Ngọc Dung", "Hoàng Minh Đức", "Bùi Thị Lan", "Đặng Thu Mai")
    }
    assert reviewed == cell
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Đã công nhận tư cách của 5 người." in page


def test_unknown_member_is_404(web: WebFixture, roster: Roster) -> None:
    client = web.app.test_client()
    web.login(client, Role.CREDENTIALS)
    assert client.post("/credentials/review/99999", data={"recognised": "1"}).status_code == 404


def test_review_in_english(web: WebFixture, roster: Roster) -> None:
    client = web.app.test_client()
    web.login(client, Role.CREDENTIALS)
    page = client.get("/credentials/review?lang=en").get_data(as_text=True)
    assert "Credentials review" in page
    assert "Not reviewed" in page

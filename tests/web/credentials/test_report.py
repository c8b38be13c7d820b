"""The credentials report: page, PDF (text extracted with pypdf), adoption and approval."""

from __future__ import annotations

import io
import unicodedata

import sqlalchemy as sa
from pypdf import PdfReader

from election.models import Event, Matter, Member, OpenVote, Role
from election.services import credentials
from election.services.base import SYSTEM
from tests import factories as f
from tests.web.conftest import WebFixture
from tests.web.credentials.seed import Roster


def _prepare(web: WebFixture, roster: Roster) -> None:
    """Everyone reviewed (Hà not recognised, with a reason); six people checked in."""
    with roster.db() as db:
        for name, member_id in roster.ids.items():
            member = db.get(Member, member_id)
            if name == "Vũ Thu Hà":
                credentials.review_member(
                    db,
                    SYSTEM,
                    member,
                    recognised=False,
                    reason="Đang bị đình chỉ sinh hoạt đảng",
                    now=f.NOW,
                )
            else:
                credentials.review_member(db, SYSTEM, member, recognised=True, now=f.NOW)
    client = web.app.test_client()
    web.login(client, Role.CREDENTIALS)
    for name in (
        "Nguyễn Văn A",
        "Trần Thị Bình",
        "Lê Đức Cường",
        "Đỗ Văn Giang",
        "Bùi Thị Lan",
        "Phạm Ngọc Dung",
    ):
        client.post(
            "/credentials/desk/attendance",
            data={"member_id": roster.id(name), "session": 1, "present": "1"},
        )


def _pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    # Extraction may give decomposed letters; compare in the form editors save (NFC).
    return unicodedata.normalize("NFC", text)


def test_report_page_states_the_figures(web: WebFixture, roster: Roster) -> None:
    _prepare(web, roster)
    client = web.app.test_client()
    web.login(client, Role.CREDENTIALS)
    page = client.get("/credentials/report").get_data(as_text=True)
    assert "Báo cáo thẩm tra tư cách đảng viên dự Đại hội" in page
    for figure, value in {
        "convened": 10,
        "present": 6,
        "absent": 4,
        "recognised": 9,
        "not-recognised": 1,
        "base-convened": 9,
        "n": 7,  # 9 official, minus suspended Hà, minus Đức excused and absent
        "present-in-n": 5,
        "quorum": 5,
    }.items():
        assert f'data-figure="{figure}">{value}<' in page, figure
    # Exclusions with their rule ids and names; the refusal with its reason.
    assert "Đang bị đình chỉ sinh hoạt đảng (R-RESULT-2)" in page
    assert "(R-RESULT-2)" in page and "Hoàng Minh Đức" in page
    assert "Đang bị đình chỉ sinh hoạt đảng</td>" in page
    # Composition: probationary member present, party cells, gender, age bands.
    assert "Chi bộ Kế toán" in page and "Dự bị" in page
    assert "Từ 30 tuổi trở xuống" in page and "Trên 60 tuổi" in page
    assert "Số lượng có mặt bảo đảm để Đại hội tiến hành theo quy định." in page


def test_report_pdf_has_vietnamese_text_and_the_numbers(web: WebFixture, roster: Roster) -> None:
    _prepare(web, roster)
    client = web.app.test_client()
    web.login(client, Role.PRESIDIUM)
    # Whatever the reader's language, the PDF is the Vietnamese document of record.
    response = client.get("/credentials/report.pdf?session=1&lang=en")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    text = _pdf_text(response.data)
    flat = " ".join(text.split())
    assert "BÁO CÁO THẨM TRA TƯ CÁCH ĐẢNG VIÊN DỰ ĐẠI HỘI" in flat
    assert "Đại hội Đảng bộ Sở Thử nghiệm tỉnh Vân Giang lần thứ III" in flat
    assert "Số đảng viên được triệu tập 10" in flat
    assert "Có mặt tại Phiên 1: Phiên họp 6" in flat
    assert "Số làm căn cứ tính kết quả (N) 7" in flat
    assert "Trong N, có mặt tại phiên này 5" in flat
    assert "Số cần có mặt tối thiểu để tiến hành (R-QUORUM-1) 5" in flat
    assert "Vũ Thu Hà" in flat and "Đang bị đình chỉ sinh hoạt đảng" in flat
    assert "Nguyễn Văn A" not in flat  # the report names only the excluded and refused
    assert "T/M BAN THẨM TRA TƯ CÁCH" in flat


def test_adopt_then_the_presidium_records_the_approval(web: WebFixture, roster: Roster) -> None:
    _prepare(web, roster)
    board = web.app.test_client()
    web.login(board, Role.CREDENTIALS)
    presidium = web.app.test_client()
    web.login(presidium, Role.PRESIDIUM)

    # Before the board adopts the report, the presidium has nothing to put to the vote.
    page = presidium.get("/credentials/report").get_data(as_text=True)
    assert "Cần Ban Thẩm tra tư cách thông qua báo cáo trước" in page
    refused = presidium.post(
        "/credentials/report/approval", data={"present": 6, "agree": 6, "disagree": 0, "abstain": 0}
    )
    assert "chưa thông qua báo cáo" in presidium.get(refused.headers["Location"]).get_data(
        as_text=True
    )

    # The board may not record the congress's vote on its own report.
    assert (
        board.post(
            "/credentials/report/approval",
            data={"present": 6, "agree": 6, "disagree": 0, "abstain": 0},
        ).status_code
        == 403
    )

    empty = board.post("/credentials/report/adopt", data={"session": "1", "conclusion": " "})
    assert "Cần ghi kết luận" in board.get(empty.headers["Location"]).get_data(as_text=True)
    conclusion = "Ban Thẩm tra tư cách đề nghị Đại hội công nhận tư cách của 9 đảng viên."
    response = board.post(
        "/credentials/report/adopt", data={"session": "1", "conclusion": conclusion}
    )
    assert response.status_code == 302
    with roster.db() as db:
        event = db.scalars(sa.select(Event).where(Event.action == "credentials.report")).one()
    assert event.data["conclusion"] == conclusion
    assert (event.data["n"], event.data["present"], event.data["quorum_required"]) == (7, 6, 5)
    assert event.data["not_recognised"] and event.data["exclusions"]["suspended"]

    page = presidium.get("/credentials/report").get_data(as_text=True)
    assert conclusion in page and "N = 7" in page
    response = presidium.post(
        "/credentials/report/approval", data={"present": 6, "agree": 5, "disagree": 1, "abstain": 0}
    )
    assert response.status_code == 302
    with roster.db() as db:
        vote = db.scalars(sa.select(OpenVote)).one()
    assert vote.subject is Matter.CREDENTIALS_REPORT
    assert (vote.base_n, vote.agree, vote.carried) == (7, 5, True)
    page = presidium.get("/credentials/report").get_data(as_text=True)
    assert "Đại hội đã biểu quyết thông qua báo cáo thẩm tra tư cách." in page
    assert (
        "5 tán thành, 1 không tán thành, 0 không biểu quyết trên 6 có mặt (N = 7): thông qua"
        in page
    )

    # Counts beyond those present are refused; nothing is recorded.
    presidium.post(
        "/credentials/report/approval", data={"present": 6, "agree": 6, "disagree": 1, "abstain": 0}
    )
    with roster.db() as db:
        assert db.scalar(sa.select(sa.func.count()).select_from(OpenVote)) == 1


def test_adoption_needs_everyone_reviewed(web: WebFixture, roster: Roster) -> None:
    board = web.app.test_client()
    web.login(board, Role.CREDENTIALS)
    response = board.post(
        "/credentials/report/adopt", data={"session": "1", "conclusion": "Kết luận"}
    )
    page = board.get(response.headers["Location"]).get_data(as_text=True)
    assert "còn người chưa được thẩm tra" in page
    with roster.db() as db:
        assert (
            db.scalar(
                sa.select(sa.func.count())
                .select_from(Event)
                .where(Event.action == "credentials.report")
            )
            == 0
        )


def test_report_sees_only_plenary_sessions(web: WebFixture, roster: Roster) -> None:
    client = web.app.test_client()
    web.login(client, Role.SECRETARIAT)
    assert client.get(f"/credentials/report?session={roster.committee_session}").status_code == 404
    page = client.get("/credentials/report").get_data(as_text=True)
    # The secretariat reads the report but has no link to the board's own pages.
    assert "/credentials/desk" not in page

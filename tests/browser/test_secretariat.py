"""The secretariat in Chromium: a roster imported through its preview, and a candidate
list whose checks are redrawn, without reloading, while names are ticked."""

from __future__ import annotations

from typing import Any

import pytest

from election.models import Role
from tests.browser.conftest import SCREENSHOTS, login
from tests.web.conftest import WebFixture
from tests.web.support import seed_pilot

pytestmark = [pytest.mark.browser, pytest.mark.timeout(60)]

ROSTER = (
    "Mã,Họ và tên,Năm sinh,Giới tính,Chi bộ,Đảng viên\n"
    "DV101,Nguyễn Thị Minh Khai,1980,Nữ,Chi bộ Văn phòng,chính thức\n"
    "DV102,Trần Văn Bảo,1975,Nam,Chi bộ Văn phòng,chính thức\n"
    "DV103,Lê Thị Cúc,1990,Nữ,Chi bộ Hành chính,dự bị\n"
).encode()


BAD_ROSTER = (
    "Mã,Họ và tên,Năm sinh,Giới tính\n"
    "DV201,Nguyễn Văn An,19x0,Nam\n"
    "DV202,Trần Văn Bình,1975,Không rõ\n"
).encode()


def test_secretariat_imports_a_roster_and_checks_a_list(
    live_web: tuple[str, WebFixture], browser_page: Any
) -> None:
    base, web = live_web
    pilot = seed_pilot(web)
    page = browser_page
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, base, web, Role.SECRETARIAT)

    # A file with bad rows: every bad row is listed with its line, nothing can be confirmed.
    page.goto(f"{base}/secretariat/roster")
    page.set_input_files(
        "input[type=file]",
        files=[{"name": "loi.csv", "mimeType": "text/csv", "buffer": BAD_ROSTER}],
    )
    page.get_by_role("button", name="Xem trước").click()
    page.wait_for_load_state()
    assert page.locator("[data-testid=roster-problems] tbody tr").count() == 2
    assert page.get_by_role("button", name="Xác nhận nhập danh sách").count() == 0
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "secretariat-roster-errors.png"), full_page=True)

    page.goto(f"{base}/secretariat/roster")
    page.screenshot(path=str(SCREENSHOTS / "secretariat-roster-upload.png"), full_page=True)
    page.set_input_files(
        "input[type=file]",
        files=[{"name": "danh-sach.csv", "mimeType": "text/csv", "buffer": ROSTER}],
    )
    page.get_by_role("button", name="Xem trước").click()
    page.wait_for_load_state()
    rows = page.locator("[data-testid=roster-rows] tbody tr")
    assert rows.count() == 3
    assert "Nguyễn Thị Minh Khai" in rows.nth(0).inner_text()
    page.screenshot(path=str(SCREENSHOTS / "secretariat-roster-preview.png"), full_page=True)
    page.get_by_role("button", name="Xác nhận nhập danh sách").click()
    page.wait_for_load_state()
    assert "Đã nhập 3 người vào danh sách." in page.locator(".flash--success").inner_text()
    assert "Tổng số: 16 người." in page.inner_text("main")
    page.screenshot(path=str(SCREENSHOTS / "secretariat-overview.png"), full_page=True)

    page.goto(f"{base}/secretariat/contests/{pilot.committee_contest_id}")
    verdict = page.locator("[data-verdict-text]")
    assert verdict.inner_text() == "Danh sách hợp lệ theo quy chế bầu cử."
    page.screenshot(path=str(SCREENSHOTS / "secretariat-list.png"), full_page=True)
    page.get_by_label("Đặng Thu Hà").check()
    page.wait_for_selector("[data-list-check][data-checked]", timeout=10_000)
    assert "Số dư không đúng quy định" in verdict.inner_text()
    assert "7 người cho 5 chỗ" in page.locator("[data-check=surplus]").inner_text()
    assert page.locator("tr.entry--proposed").count() == 1
    page.screenshot(path=str(SCREENSHOTS / "secretariat-list-check.png"), full_page=True)
    assert problems == []

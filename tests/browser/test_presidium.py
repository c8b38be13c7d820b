"""The presidium's console in Chromium: the agenda, an open vote recorded through the real
form (with its CSRF token) and its result, and opening a round."""

from __future__ import annotations

from typing import Any

import pytest

from election.models import Role
from tests.browser.conftest import SCREENSHOTS, login
from tests.web.conftest import WebFixture
from tests.web.support import seed_pilot

pytestmark = [pytest.mark.browser, pytest.mark.timeout(60)]


def test_presidium_records_an_open_vote_and_opens_a_round(
    live_web: tuple[str, WebFixture], browser_page: Any
) -> None:
    base, web = live_web
    pilot = seed_pilot(web)
    page = browser_page
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, base, web, Role.PRESIDIUM)

    page.goto(f"{base}/presidium/")
    agenda = page.locator("table.agenda tbody tr")
    assert agenda.count() == 3
    assert agenda.nth(0).inner_text().startswith("1")
    assert "Ủy viên Ban Chấp hành" in agenda.nth(0).inner_text()
    assert "Bí thư Đảng ủy" in agenda.nth(2).inner_text()
    assert page.locator(".quorum__status").inner_text() == "Đủ túc số"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "presidium-console.png"), full_page=True)

    page.get_by_role("link", name="Ủy viên Ban Chấp hành").click()
    page.wait_for_url(f"**/presidium/contests/{pilot.committee_contest_id}")
    page.get_by_text("Ghi biểu quyết về số lượng bầu hoặc danh sách bầu cử").click()
    page.select_option("#vote-subject", "candidate_list")
    page.fill("#vote-question", "Thông qua danh sách bầu cử Ban Chấp hành khóa mới")
    assert page.input_value("#vote-present") == "12"  # from the attendance record
    page.fill("#vote-agree", "11")
    page.fill("#vote-disagree", "1")
    page.fill("#vote-abstain", "0")
    page.click("#vote-submit")
    page.wait_for_load_state()
    flash = page.locator(".flash--success").first
    assert "THÔNG QUA — 11 tán thành trên N = 12" in flash.inner_text()
    assert page.locator("table.votes").get_by_text("Thông qua", exact=True).is_visible()
    page.screenshot(path=str(SCREENSHOTS / "presidium-open-vote.png"), full_page=True)

    page.get_by_role("button", name="Mở vòng bầu").click()
    page.wait_for_load_state()
    assert "Đã mở vòng bầu" in page.locator(".flash--success").first.inner_text()
    assert page.locator("#vong-1 .pill").inner_text() == "Đang bỏ phiếu"
    page.screenshot(path=str(SCREENSHOTS / "presidium-round-open.png"), full_page=True)

    page.get_by_role("link", name="Biểu quyết", exact=True).click()
    page.wait_for_url("**/presidium/votes")
    assert page.locator("table.votes tbody tr").count() == 1
    page.screenshot(path=str(SCREENSHOTS / "presidium-votes.png"), full_page=True)
    assert problems == []

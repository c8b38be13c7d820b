"""The credentials desk in Chromium: check a member in, issue a badge, scan it back.

What it proves beyond the view tests: the badge code is generated in the browser and never
leaves it (every request body and URL the page sends is captured and searched for it, and
so are the database files), the server holds exactly the public key derived from it, the
printable badge renders under the strict CSP (screenshots), the code is gone from the page
once the badge is done, and typing the code into the scan field (as a keyboard-wedge
scanner does) with Enter finds the member.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa

import crypto
from crypto.credential import parse_code
from election.models import Attendance, Member, Role, VotingCredential
from election.services import credentials
from election.services.base import SYSTEM
from tests import factories as f
from tests.browser.conftest import SCREENSHOTS, login
from tests.web.conftest import WebFixture
from tests.web.credentials.seed import seed

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]

FORMATTED = re.compile(r"^[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]$")


def test_check_in_issue_a_badge_and_scan_it(
    live_web: tuple[str, WebFixture], browser_page: object
) -> None:
    from playwright.sync_api import ConsoleMessage, Page, Request, expect

    base, web = live_web
    roster = seed(web)
    member_id = roster.id("Nguyễn Văn A")
    with roster.db() as db:
        credentials.review_member(db, SYSTEM, db.get(Member, member_id), recognised=True, now=f.NOW)

    page: Page = browser_page  # type: ignore[assignment]
    problems: list[str] = []
    sent: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type in {"error", "warning"}:
            problems.append(f"console {message.type}: {message.text}")

    def on_request(request: Request) -> None:
        body = request.post_data_buffer or b""
        sent.append(request.url + "\n" + body.decode("utf-8", "replace"))

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("request", on_request)

    login(page, base, web, Role.CREDENTIALS)

    # Find the member without typing diacritics, then check him in.
    page.goto(f"{base}/credentials/desk?session=1")
    page.fill("#search-q", "nguyen van a")
    page.press("#search-q", "Enter")
    page.get_by_role("link", name="Nguyễn Văn A").click()
    page.get_by_role("button", name=re.compile("Điểm danh có mặt")).click()
    expect(page.get_by_text("Đã điểm danh Nguyễn Văn A có mặt")).to_be_visible()
    expect(page.locator('[data-live="present"]')).to_have_text("1")
    with roster.db() as db:
        assert db.scalars(
            sa.select(Attendance.present).where(Attendance.member_id == member_id)
        ).one()

    # Issue the badge: the browser makes the code and posts only the public key.
    page.get_by_role("button", name="Cấp thẻ biểu quyết").click()
    sheet = page.locator(".badge-sheet")
    expect(sheet).to_be_visible()
    code = page.locator("[data-badge-code]").inner_text().strip()
    assert FORMATTED.match(code), code
    expect(page.locator("[data-badge-name]")).to_have_text("Nguyễn Văn A")
    expect(page.locator("[data-badge-cell]")).to_have_text("Chi bộ Văn phòng")
    assert page.locator(".badge__qr path").count() == 1

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "credentials-badge-screen.png"))
    page.emulate_media(media="print")
    page.screenshot(path=str(SCREENSHOTS / "credentials-badge-print.png"), full_page=True)
    # In print, the badge is all there is.
    assert page.locator(".site-header").is_hidden()
    assert page.locator(".desk").is_hidden()
    page.emulate_media(media="screen")

    body = parse_code(code)
    forms_of_the_secret = {code, body, body + code[-1], code.replace("-", "")}
    for text in sent:
        for secret in forms_of_the_secret:
            assert secret not in text, f"the badge code was sent: {text[:200]}"
    assert any("/api/credentials/members/" in text for text in sent)

    # The server holds exactly the public key derived from the code, and nothing of the code.
    with roster.db() as db:
        [stored] = db.scalars(sa.select(VotingCredential)).all()
        assert stored.member_id == member_id
        assert stored.public_key == crypto.CredentialKey(roster.public_id, code).public
    database = Path(roster.url.removeprefix("sqlite:///"))
    for path in (database, Path(f"{database}-wal")):
        if path.exists():
            data = path.read_bytes()
            assert not any(secret.encode() in data for secret in forms_of_the_secret)

    # Nothing kept in storage or cookies; once printed, the code leaves the page.
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0
    assert body not in page.evaluate("document.cookie")
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("Đã in xong")).click()
    expect(page.locator(".badge-sheet")).to_have_count(0)
    assert code not in page.content() and body not in page.content()
    expect(page.get_by_text(re.compile("Đang hiệu lực, cấp lúc"))).to_be_visible()

    # Scan the badge back: the scanner types the code into the focused field and presses Enter.
    page.goto(f"{base}/credentials/desk?session=1")
    sent.clear()
    page.focus("#scan-code")
    page.keyboard.type(code)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#member-heading")).to_have_text("Nguyễn Văn A")
    assert f"member={member_id}" in page.url
    assert any("/api/credentials/lookup" in text for text in sent)
    assert not any(secret in text for text in sent for secret in forms_of_the_secret)
    page.screenshot(path=str(SCREENSHOTS / "credentials-desk-scanned.png"), full_page=True)

    # A mistyped code is refused in the browser, before anything is sent.
    sent.clear()
    page.focus("#scan-code")
    page.keyboard.type(code[:-1] + ("0" if code[-1] != "0" else "1"))
    page.keyboard.press("Enter")
    expect(page.locator("[data-scan-message]")).to_contain_text("Không đọc được mã thẻ")
    assert not any("/api/credentials/lookup" in text for text in sent)

    assert problems == []

"""Smoke test in a real browser: Debian's Chromium, driven by Playwright's Python package.

The app runs in a thread on a free loopback port. The page must load with no CSP violation,
no console error, and with its module bundle executed (it adds the class `js` to <html>),
which also proves that the Subresource Integrity hash matched.

Chromium is never downloaded (`playwright install` is not used): `.ci/run` installs Debian's
package, and without it this test fails rather than skips, so CI cannot pass without it.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]


def test_home_page_in_chromium(live_server: str, browser_page: object) -> None:
    from playwright.sync_api import ConsoleMessage, Page, Request

    page: Page = browser_page  # type: ignore[assignment]
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        # CSP violations and integrity failures are reported as console errors.
        if message.type in {"error", "warning"}:
            problems.append(f"console {message.type}: {message.text}")

    def on_request_failed(request: Request) -> None:
        problems.append(f"request failed: {request.url} ({request.failure})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("requestfailed", on_request_failed)

    response = page.goto(f"{live_server}/", wait_until="load")
    assert response is not None and response.status == 200
    # The module script runs after parsing; wait for its effect rather than sleeping.
    page.wait_for_function("document.documentElement.classList.contains('js')", timeout=10_000)

    assert page.evaluate("document.documentElement.lang") == "vi"
    assert page.locator("h1").inner_text() == "Hệ thống bầu cử điện tử dhvote"
    # The stylesheet applied (a CSP or MIME problem would leave the default margin).
    assert page.evaluate("getComputedStyle(document.body).margin") == "0px"

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "home.png"), full_page=True)

    # The language switch leads to the English page, which also runs its module.
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/?lang=en")
    page.wait_for_function("document.documentElement.classList.contains('js')", timeout=10_000)
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.locator("h1").inner_text() == "dhvote electronic voting system"
    page.screenshot(path=str(SCREENSHOTS / "home-en.png"), full_page=True)

    assert problems == []

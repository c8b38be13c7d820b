"""The hall screen in Chromium: it updates live, without reloading, when ballots arrive and
when a result is announced; its script runs under the strict CSP."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from election.services import rounds
from election.services.base import SYSTEM
from tests import factories
from tests.browser.conftest import SCREENSHOTS
from tests.web.conftest import WebFixture
from tests.web.support import db_session, finish_round, load_round, seed_pilot

pytestmark = [pytest.mark.browser, pytest.mark.timeout(60)]


def _watch(page: Any) -> list[str]:
    problems: list[str] = []
    page.on(
        "console",
        lambda m: (
            problems.append(f"console {m.type}: {m.text}")
            if m.type in {"error", "warning"}
            else None
        ),
    )
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    return problems


def test_hall_screen_follows_turnout_and_results_live(
    live_web: tuple[str, WebFixture], browser_page: Any
) -> None:
    base, web = live_web
    pilot = seed_pilot(web)
    with db_session(web) as db:
        rounds.open_round(db, SYSTEM, load_round(db, pilot), now=factories.later(10))
    page = browser_page
    problems = _watch(page)
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{base}/hall")
    cast = page.locator("[data-testid=hall-cast]")
    assert cast.inner_text() == "0"
    assert page.locator("text=Đủ túc số").is_visible()
    page.evaluate("window.__sameDocument = true")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "hall-open-round.png"))

    # Ballots arrive while the page is open: the count follows without a reload.
    with db_session(web) as db:
        factories.add_ballots(db, load_round(db, pilot), 9)
    # A locator assertion polls from outside the page: the CSP forbids evaluating strings.
    expect(cast).to_have_text("9", timeout=10_000)
    assert page.locator("[data-field='round.turnout_text']").inner_text() == "75,0%"
    page.screenshot(path=str(SCREENSHOTS / "hall-turnout.png"))

    # The counting board announces: the result appears and the round panel empties.
    with db_session(web) as db:
        finish_round(db, load_round(db, pilot), 9)
    page.wait_for_selector(".hall__table tr.elected", timeout=10_000)
    assert page.locator("text=Không có vòng bầu nào đang mở.").is_visible()
    assert page.locator(".hall__table tbody tr").count() == 6
    assert page.evaluate("window.__sameDocument") is True  # never reloaded
    page.screenshot(path=str(SCREENSHOTS / "hall-results.png"))
    assert problems == []

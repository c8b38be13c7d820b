"""The inspection commission's page in Chromium: a running verification is followed by the
page's own script (no inline code), which reloads the page when the run ends; the verdict
prints without the site's navigation."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa

from election.models import Role, RoundState, VerificationRun
from election.record.simulate import simulate
from election.services import audit
from election.services.base import SYSTEM
from tests import factories
from tests.browser.conftest import SCREENSHOTS, login
from tests.web.conftest import WebFixture
from tests.web.support import db_session, load_round, seed_pilot

pytestmark = [pytest.mark.browser, pytest.mark.timeout(90)]


def test_a_running_verification_is_followed_until_it_ends(
    live_web: tuple[str, WebFixture], browser_page: Any, tmp_path: Any
) -> None:
    base, web = live_web
    records = tmp_path / "records"
    web.app.config["AUDIT_RECORDS_DIR"] = str(records)
    pilot = seed_pilot(web)
    simulated = simulate(names=3, seats=2, ballots=3, guardians=2, threshold=1, audited=0)
    with db_session(web) as db:
        round_ = load_round(db, pilot)
        factories.run_to(db, round_, RoundState.DECRYPTED, ballots=6)
        run = audit.start_verification(
            db,
            SYSTEM,
            round_,
            directory=records,
            now=datetime.now(UTC),
            build=lambda _db, _round: simulated.record,
        )
        audit.record_progress(db, run, done=1, total=3, now=datetime.now(UTC))
        run_id = run.id

    page = browser_page
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    login(page, base, web, Role.INSPECTION)
    page.goto(f"{base}/inspection/")
    status = page.locator(f"#round-{pilot.round_id} [data-verification]")
    assert status.get_attribute("data-state") == "running"
    assert "1/3 phiếu (33%)" in status.inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "inspection-running.png"), full_page=True)

    # The verifier finishes behind the page's back; the script notices and reloads.
    with db_session(web) as db:
        audit.run_verification(db, run_id, directory=records)
        assert db.scalars(sa.select(VerificationRun.status)).one().value == "passed"
    page.wait_for_selector(f"#round-{pilot.round_id} [data-state='passed']", timeout=15_000)
    assert "Đạt" in page.locator(f"#round-{pilot.round_id}").inner_text()
    page.screenshot(path=str(SCREENSHOTS / "inspection-passed.png"), full_page=True)

    page.get_by_role("link", name="Biên bản kiểm tra").click()
    page.wait_for_load_state()
    assert (
        page.locator("[data-testid=verdict-conclusion]")
        .inner_text()
        .startswith("Hồ sơ bầu cử của vòng bầu đạt cả 11 mục")
    )
    page.screenshot(path=str(SCREENSHOTS / "inspection-verdict.png"), full_page=True)
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".subnav").is_visible()
    assert problems == []

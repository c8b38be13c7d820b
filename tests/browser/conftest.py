"""Browser fixtures: Debian's Chromium driven by Playwright, and the app served live.

* ``live_server``: a fresh app without a database, for pages that need none.
* ``live_web``: the app of ``tests.web.conftest.web`` (a congress, one operator per role and
  an enrolled terminal) served live; yields ``(base_url, web)``; sign in with
  ``login(page, base_url, web, role)``.
* ``browser_page``: a Chromium page (Vietnamese locale); screenshots go to ``SCREENSHOTS``.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from election.models import Role
from tests.web.conftest import PASSWORD, WebFixture, web  # noqa: F401 - the fixture

CHROMIUM = Path(os.environ.get("DHVOTE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"


@pytest.fixture
def live_server(make_app: Callable[..., Flask]) -> Iterator[str]:
    """Serve a fresh app on 127.0.0.1 and an OS-chosen free port; yield its base URL."""
    yield from _serve(make_app())


@pytest.fixture
def browser_page() -> Iterator[object]:
    if not CHROMIUM.is_file():
        pytest.fail(
            f"{CHROMIUM} not found: install Debian's Chromium with "
            "`apt-get update && apt-get install -y chromium` (.ci/run does this). "
            "Browser tests never download a browser."
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as e:
        pytest.fail(f"the playwright Python package is missing ({e}); run `make setup`")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 800})
            yield context.new_page()
            context.close()
        finally:
            browser.close()


def _serve(app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@pytest.fixture
def live_web(web: WebFixture) -> Iterator[tuple[str, WebFixture]]:  # noqa: F811
    """The seeded app of the ``web`` fixture, served live, with CSRF protection ON."""
    web.app.config["WTF_CSRF_ENABLED"] = True
    for base in _serve(web.app):
        yield base, web


def login(page: Any, base: str, web: WebFixture, role: Role) -> None:  # noqa: F811
    """Sign in through the real form."""
    page.goto(f"{base}/login")
    page.fill("input[name=username]", web.usernames[role])
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_load_state()

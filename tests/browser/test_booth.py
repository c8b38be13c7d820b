"""The voting booth in a real browser (issue 5): a delegate scans, marks, reviews,
challenges, casts and gets a receipt; the screen then forgets them.

The congress is set up through the services with an OPEN round whose voters hold badges
made from codes this test knows (``crypto.generate_code``, ``crypto.CredentialKey``). The
browser is an enrolled terminal (the ``web`` fixture's token in the ``dhvote_terminal``
cookie). Checks beyond the screens:

* ATTACKS.md T-7.b: no request at all between the ballot appearing and pressing "Bỏ phiếu"
  or "Kiểm tra lá phiếu"; the badge code is in no request (body or URL).
* The board holds exactly the one cast ballot, which verifies; the challenged ballot is
  stored as audited and re-encrypts to the choices on screen.
* After the receipt clears itself the page is back at step 1 with nothing in storage.
* The page has no inline script, no ``style=`` and no link away.

Screenshots of every step go to ``SCREENSHOTS`` (``booth-*.png``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

import crypto
from election.db import make_engine
from election.models import AuditedBallot, BodyKind, Congress, Post, Round
from election.services import ballotbox, candidates, rounds
from election.services import congress as setup
from election.services.base import SYSTEM
from election.web.access import TERMINAL_COOKIE
from tests import factories
from tests.browser.conftest import SCREENSHOTS
from tests.factories import NOW, later
from tests.web.conftest import WebFixture

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]

#: The candidates, deliberately not in A-B-C order: the list puts them in ballot order.
NAMES = ["Trần Thị Bình", "Nguyễn Văn An", "Phạm Thu Dung", "Lê Đức Cường"]
BALLOT_ORDER = sorted(NAMES, key=lambda n: n.split()[-1])  # An, Bình, Cường, Dung


@dataclass
class Hall:
    """An open round of the ``web`` fixture's congress and the badge codes of its voters."""

    engine: sa.Engine
    congress_id: str
    round_id: int
    codes: list[str]
    seats: int

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)


def open_hall(
    web: WebFixture, *, voters: int = 6, names: list[str] = NAMES, seats: int = 3
) -> Hall:
    engine = make_engine(web.app.config["DATABASE_URL"])
    with Session(engine, expire_on_commit=False) as db:
        congress = db.scalars(
            sa.select(Congress).where(Congress.public_id == web.congress_public_id)
        ).one()
        nominees = [factories.make_member(db, congress, full_name=name) for name in names]
        others = factories.make_members(db, congress, voters)
        people = nominees + others
        board = others[-3:]
        factories.make_body(db, congress, BodyKind.COUNTING_BOARD, members=board)
        sitting = factories.make_sitting(db, congress, 1)
        position = setup.add_position(
            db,
            SYSTEM,
            congress,
            code="bch",
            title="Ban Chấp hành Đảng bộ khóa IV",
            post=Post.COMMITTEE,
            seats=seats,
            body=factories.make_body(db, congress),
            now=NOW,
        )
        contest = factories.make_contest(db, congress, position)
        codes = [crypto.generate_code() for _ in people]
        for member, code in zip(people, codes, strict=True):
            public = crypto.CredentialKey(congress.public_id, code).public
            factories.issue_credential(db, member, public)
        factories.check_in(db, people, sitting)
        factories.make_ceremony(db, congress, board)
        for member in nominees:
            candidates.nominate(db, SYSTEM, contest, member, now=NOW)
        built = candidates.build_candidate_list(db, SYSTEM, contest, sitting=sitting, now=NOW)
        round_ = rounds.open_round(db, SYSTEM, built.round, now=later(1))
        hall = Hall(engine, congress.public_id, round_.id, codes, seats)
    return hall


@pytest.fixture
def hall(live_web: tuple[str, WebFixture]) -> Iterator[Hall]:
    _, web = live_web
    hall = open_hall(web)
    yield hall
    hall.engine.dispose()


@pytest.fixture
def touch_page(browser_page: Any) -> Iterator[Any]:
    """A page on a portrait touch screen (the booth's terminals), in the same Chromium."""
    context = browser_page.context.browser.new_context(
        locale="vi-VN", viewport={"width": 1080, "height": 1440}, has_touch=True
    )
    yield context.new_page()
    context.close()


def shoot(page: Any, name: str) -> None:
    """What the delegate sees: the screen, not the whole page (the tally bar is sticky)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"booth-{name}.png"))


class Watch:
    """Every request the page makes, and every problem the console reports."""

    def __init__(self, page: Any) -> None:
        self.requests: list[Any] = []
        self.problems: list[str] = []
        page.on("request", lambda request: self.requests.append(request))
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("console", self._console)

    def _console(self, message: Any) -> None:
        # CSP violations and integrity failures are reported as console errors.
        if message.type in {"error", "warning"}:
            self.problems.append(f"console {message.type}: {message.text}")

    def since(self, mark: int) -> list[str]:
        return [f"{r.method} {r.url}" for r in self.requests[mark:]]

    def posts(self, mark: int = 0) -> list[tuple[str, str]]:
        return [(r.url, r.post_data or "") for r in self.requests[mark:] if r.method == "POST"]


def enter_booth(page: Any, base: str, web: WebFixture) -> Any:
    page.context.add_cookies(
        [{"name": TERMINAL_COOKIE, "value": web.terminal_token, "url": base, "httpOnly": True}]
    )
    response = page.goto(f"{base}/booth", wait_until="load")
    assert response is not None and response.status == 200
    page.wait_for_selector("[data-screen=scan]:not([hidden])", timeout=15_000)
    return response


def screen(page: Any) -> str:
    return str(page.get_attribute("[data-booth]", "data-state"))


def wait_screen(page: Any, name: str, timeout: int = 30_000) -> None:
    page.wait_for_selector(f"[data-screen='{name}']:not([hidden])", timeout=timeout)


def scan(page: Any, text: str) -> None:
    """A keyboard-wedge scanner: it types into the focused field and presses Enter."""
    assert page.evaluate("document.activeElement.matches('[data-code-field]')")
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def typo(code: str) -> str:
    """The code with one character changed: the check character must catch it."""
    formatted = crypto.format_code(code)
    i = 7  # a character of the second group
    wrong = "0" if formatted[i] != "0" else "1"
    return formatted[:i] + wrong + formatted[i + 1 :]


def name_button(page: Any, name: str) -> Any:
    return page.locator("[data-ballot] button", has_text=name)


def test_a_delegate_challenges_then_casts_and_the_booth_forgets_them(
    live_web: tuple[str, WebFixture], hall: Hall, touch_page: object
) -> None:
    from playwright.sync_api import Page, expect

    base, web = live_web
    page: Page = touch_page  # type: ignore[assignment]
    watch = Watch(page)
    response = enter_booth(page, base, web)

    # The kiosk page: no inline script, no style attribute, no link away, and the module ran
    # (a bundle that failed its integrity check would leave the "starting" notice).
    html = response.text()
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag, f"inline script: {tag}"
    assert page.evaluate("[...document.scripts].every((s) => s.src !== '')")
    assert 'style="' not in html and "style='" not in html
    assert page.locator("a[href]").count() == 0
    assert page.locator("[data-loading]").is_hidden()
    assert page.evaluate("getComputedStyle(document.body).fontSize") == "24px"
    assert page.evaluate("document.documentElement.lang") == "vi"
    assert page.get_by_role("heading", name="Quét thẻ đại biểu").is_visible()
    shoot(page, "1-scan")

    code = hall.codes[0]
    # A typo: refused in the browser with a plain message, and nothing is sent.
    mark = len(watch.requests)
    scan(page, typo(code))
    error = page.locator("[data-scan-error]")
    assert "ký tự kiểm tra" in error.inner_text()
    assert watch.since(mark) == []
    assert page.input_value("[data-code-field]") == ""
    shoot(page, "1-scan-typo")

    # The real badge (lower case and without hyphens, as some scanners send it).
    scan(page, code.lower())
    wait_screen(page, "ballot")
    assert page.input_value("[data-code-field]") == ""
    loaded = len(watch.requests)
    assert watch.since(mark) == [f"POST {base}/api/booth/session"]

    # 2. The ballot mirrors the paper one, names in the list's A-B-C order.
    assert page.locator("[data-contest-title]").inner_text() == "Ban Chấp hành Đảng bộ khóa IV"
    assert "Số người cần bầu: 3." in page.locator("[data-seats]").inner_text()
    shown = page.locator("[data-ballot] .ballot-name__text").all_inner_texts()
    assert shown == BALLOT_ORDER
    tally = page.locator("[data-tally]")
    assert tally.inner_text() == "Giữ lại 4 / 3 người"
    assert "không hợp lệ" in page.locator("[data-ballot-status]").inner_text()
    shoot(page, "2-ballot")

    # Strike by touch (tap) and by keyboard (Tab to the name, Space); keep An and Cường.
    name_button(page, "Trần Thị Bình").tap()
    assert name_button(page, "Trần Thị Bình").get_attribute("aria-pressed") == "true"
    assert tally.inner_text() == "Giữ lại 3 / 3 người"
    assert page.locator("[data-ballot-status]").inner_text() == ""
    dung = name_button(page, "Phạm Thu Dung")
    dung.focus()
    page.keyboard.press("Space")
    assert dung.get_attribute("aria-pressed") == "true"
    assert page.locator("li.is-struck").count() == 2
    assert tally.inner_text() == "Giữ lại 2 / 3 người"
    shoot(page, "2-ballot-struck")

    # 3. Review in words.
    page.get_by_role("button", name="Xem lại lá phiếu").click()
    wait_screen(page, "review")
    assert (
        page.locator("[data-review-verdict]").inner_text() == "Phiếu hợp lệ: giữ lại 2 / 3 người."
    )
    review = page.locator("[data-review-list] li").all_inner_texts()
    assert len(review) == 4
    assert "Nguyễn Văn An" in review[0] and "Bầu (giữ tên)" in review[0]
    assert "Trần Thị Bình" in review[1] and "Không bầu (gạch tên)" in review[1]
    shoot(page, "3-review")

    # 4. Encrypt, prove, sign; the tracking code; challenge once.
    page.get_by_role("button", name="Mã hóa lá phiếu").click()
    wait_screen(page, "sealed")
    first_code = page.locator("[data-sealed-code]").inner_text()
    assert re.fullmatch(r"[0-9A-Z]{5}-[0-9A-Z]{5}", first_code)
    shoot(page, "4-sealed")
    assert watch.since(loaded) == [], "T-7.b: a request while the ballot was open"

    mark = len(watch.requests)
    page.get_by_role("button", name="Kiểm tra lá phiếu").click()
    wait_screen(page, "audited")
    assert watch.since(mark) == [f"POST {base}/api/booth/rounds/{hall.round_id}/challenges"]
    assert page.locator("[data-audited-code]").inner_text() == first_code
    audit_lines = page.locator("[data-audit-list] li").all_inner_texts()
    assert audit_lines == review
    assert "không bao giờ được tính" in page.locator("[data-screen=audited]").inner_text()
    shoot(page, "4-audited")

    # Vote again: the marks are kept, and a fresh encryption follows.
    page.get_by_role("button", name="Bỏ phiếu lại").click()
    wait_screen(page, "ballot")
    again = len(watch.requests)
    assert page.locator("li.is-struck").count() == 2
    page.get_by_role("button", name="Xem lại lá phiếu").click()
    wait_screen(page, "review")
    page.get_by_role("button", name="Mã hóa lá phiếu").click()
    wait_screen(page, "sealed")
    cast_code = page.locator("[data-sealed-code]").inner_text()
    assert cast_code != first_code
    assert watch.since(again) == [], "T-7.b: a request while the ballot was open"

    # 5. Cast; the receipt. Shorten the self-clearing before it starts.
    page.evaluate("document.querySelector('[data-booth]').dataset.clearAfter = '3'")
    mark = len(watch.requests)
    page.get_by_role("button", name="Bỏ phiếu", exact=True).click()
    wait_screen(page, "receipt")
    assert watch.since(mark) == [f"POST {base}/api/booth/rounds/{hall.round_id}/ballots"]
    assert page.locator("[data-receipt-code]").inner_text() == cast_code
    assert page.locator("[data-receipt-position]").inner_text() == "1"
    assert page.locator("[data-receipt-qr] svg path").count() == 1
    assert "giây" in page.locator("[data-countdown]").inner_text()
    shoot(page, "5-receipt")

    # The server: exactly one board entry, which verifies and has the tracking code shown;
    # the challenged ballot is stored as audited and opens to the choices on screen.
    with hall.session() as db:
        round_ = db.get(Round, hall.round_id)
        assert round_ is not None
        ctx = ballotbox.round_context(round_)
        entries = ballotbox.board_entries(db, round_)
        assert len(entries) == 1
        ballot = crypto.CiphertextBallot.from_json(entries[0].ballot, ctx.form)
        crypto.verify_ballot(ctx, ballot)
        assert crypto.tracking_code(entries[0].ballot_hash) == cast_code
        assert (
            entries[0].ballot["credential"]
            == crypto.CredentialKey(hall.congress_id, code).public.hex()
        )
        audited = db.scalars(
            sa.select(AuditedBallot).where(AuditedBallot.round_id == round_.id)
        ).all()
        assert len(audited) == 1
        assert crypto.tracking_code(audited[0].ballot_hash) == first_code
        # An, Bình, Cường, Dung; Bình and Dung struck; no invalid reason.
        assert list(crypto.verify_audited(ctx, audited[0].audit)) == [1, 0, 1, 0, 0, 0]

    # 6. The screen clears itself and is back at step 1, with no trace.
    wait_screen(page, "scan", timeout=15_000)
    assert screen(page) == "scan"
    assert page.evaluate("document.activeElement.matches('[data-code-field]')")
    body = page.locator("body").inner_text()
    assert cast_code not in body and first_code not in body
    assert (
        page.locator("[data-ballot] li, [data-review-list] li, [data-audit-list] li").count() == 0
    )
    assert page.locator("[data-receipt-qr] *").count() == 0
    assert page.url == f"{base}/booth"
    storage = page.evaluate(
        """async () => ({
            local: localStorage.length,
            session: sessionStorage.length,
            cookie: document.cookie,
            idb: (await indexedDB.databases()).length,
            history: history.length,
        })"""
    )
    assert storage["local"] == 0 and storage["session"] == 0 and storage["idb"] == 0
    assert storage["cookie"] == "", "the booth's cookies are HttpOnly; the page sets none"
    # The server's cookies: the terminal's token and a session holding the CSRF token only.
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    session_cookie = web.app.config["SESSION_COOKIE_NAME"]
    assert set(cookies) <= {TERMINAL_COOKIE, session_cookie}
    if session_cookie in cookies:
        serializer = web.app.session_interface.get_signing_serializer(web.app)  # type: ignore[attr-defined]
        assert set(serializer.loads(cookies[session_cookie])) <= {"csrf_token", "_fresh"}
    shoot(page, "6-cleared")

    # The same badge again: it has voted (Chromium logs the 409 answer as a console error).
    assert watch.problems == []
    scan(page, crypto.format_code(code))
    expect(page.locator("[data-scan-error]")).to_contain_text("đã bỏ phiếu", timeout=10_000)
    assert screen(page) == "scan"
    shoot(page, "6-already-voted")

    # No request carried the badge code, in any spelling.
    spellings = {code, code.lower(), crypto.format_code(code), code[:20]}
    for url, body in watch.posts():
        for spelled in spellings:
            assert spelled not in body and spelled not in url
    for request in watch.requests:
        assert not any(s in request.url for s in spellings)
    assert [p for p in watch.problems if "status of 409" not in p] == []


def test_an_untouched_ballot_warns_then_is_forgotten(
    live_web: tuple[str, WebFixture], hall: Hall, browser_page: object
) -> None:
    # A delegate who walks away leaves nothing behind: after BOOTH_IDLE_SECONDS untouched the
    # booth warns; a touch keeps the ballot; BOOTH_IDLE_WARNING_SECONDS later it is forgotten
    # and nothing was sent.
    from playwright.sync_api import Page

    base, web = live_web
    web.app.config.update(BOOTH_IDLE_SECONDS=2, BOOTH_IDLE_WARNING_SECONDS=2)
    page: Page = browser_page  # type: ignore[assignment]
    watch = Watch(page)
    enter_booth(page, base, web)
    scan(page, crypto.format_code(hall.codes[2]))
    wait_screen(page, "ballot")
    loaded = len(watch.requests)
    name_button(page, "Trần Thị Bình").click()
    warning = page.locator("[data-idle-warning]")
    assert warning.is_hidden()

    warning.wait_for(state="visible", timeout=10_000)
    assert "sau 2 giây" in page.locator("[data-idle-text]").inner_text() or (
        "sau 1 giây" in page.locator("[data-idle-text]").inner_text()
    )
    assert screen(page) == "ballot"
    page.get_by_role("button", name="Tôi vẫn đang bỏ phiếu").click()
    assert warning.is_hidden()
    assert screen(page) == "ballot"
    assert name_button(page, "Trần Thị Bình").get_attribute("aria-pressed") == "true"

    # Untouched again: warned, then wiped back to the badge screen with the marks gone.
    warning.wait_for(state="visible", timeout=10_000)
    wait_screen(page, "scan", timeout=10_000)
    assert warning.is_hidden()
    assert page.locator("[data-ballot] button").count() == 0
    assert page.evaluate("document.activeElement.matches('[data-code-field]')")
    assert watch.since(loaded) == []  # no ballot, no challenge: nothing left the booth
    assert watch.problems == []


def test_a_deliberately_invalid_ballot_needs_two_confirmations(
    live_web: tuple[str, WebFixture], hall: Hall, browser_page: object
) -> None:
    from playwright.sync_api import Page

    base, web = live_web
    page: Page = browser_page  # type: ignore[assignment]
    watch = Watch(page)
    enter_booth(page, base, web)
    scan(page, crypto.format_code(hall.codes[1]))
    wait_screen(page, "ballot")
    loaded = len(watch.requests)

    # Strike every name, with the keyboard only: Tab from the heading to each name.
    page.keyboard.press("Tab")
    for _ in BALLOT_ORDER:
        assert page.evaluate("document.activeElement.matches('[data-ballot] button')")
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
    assert page.locator("li.is-struck").count() == 4
    assert page.locator("[data-tally]").inner_text() == "Giữ lại 0 / 3 người"
    assert "gạch tên tất cả" in page.locator("[data-ballot-status]").inner_text()

    page.get_by_role("button", name="Xem lại lá phiếu").click()
    wait_screen(page, "warn-invalid")
    assert "tất cả mọi người" in page.locator("[data-warn-text]").inner_text()
    shoot(page, "invalid-1-warning")
    # "Sửa lại" goes back with the marks kept; asking again warns again.
    page.get_by_role("button", name="Sửa lại lá phiếu").click()
    wait_screen(page, "ballot")
    assert page.locator("li.is-struck").count() == 4
    page.get_by_role("button", name="Xem lại lá phiếu").click()
    wait_screen(page, "warn-invalid")
    page.get_by_role("button", name="Tôi vẫn muốn bỏ phiếu không hợp lệ").click()
    wait_screen(page, "confirm-invalid")
    shoot(page, "invalid-2-confirm")
    page.get_by_role("button", name="Có, bỏ phiếu không hợp lệ").click()
    wait_screen(page, "review")
    verdict = page.locator("[data-review-verdict]").inner_text()
    assert verdict == "Phiếu không hợp lệ: gạch tên tất cả."
    assert "không người nào được tính phiếu" in page.locator("[data-review-list]").inner_text()
    shoot(page, "invalid-3-review")

    page.get_by_role("button", name="Mã hóa lá phiếu").click()
    wait_screen(page, "sealed")
    assert watch.since(loaded) == []
    page.get_by_role("button", name="Kiểm tra lá phiếu").click()
    wait_screen(page, "audited")
    assert page.locator("[data-audit-verdict]").inner_text() == verdict
    # The opened ballot holds the invalid_none indicator and no name (docs/protocol.md 6).
    with hall.session() as db:
        round_ = db.get(Round, hall.round_id)
        assert round_ is not None
        audit = db.scalars(sa.select(AuditedBallot)).one().audit
        opened = crypto.verify_audited(ballotbox.round_context(round_), audit)
        assert list(opened) == [0, 0, 0, 0, 0, 1]
    # Cancelling wipes without casting.
    page.get_by_role("button", name="Hủy, làm lại từ đầu").click()
    wait_screen(page, "scan")
    with hall.session() as db:
        assert db.scalar(sa.select(sa.func.count()).select_from(AuditedBallot)) == 1
        round_ = db.get(Round, hall.round_id)
        assert round_ is not None
        assert ballotbox.board_entries(db, round_) == []
    assert watch.problems == []


def fake_round(congress_id: str, kind: str, names: list[str], seats: int) -> tuple[Any, Any]:
    """A session answer for a round of ``kind`` (hashed like a real one) and its context."""
    form = crypto.form_for(kind, len(names), seats)
    joint_key = crypto.Scalar.random() * crypto.G
    manifest = {
        "congress": {"id": congress_id},
        "contest": {
            "title": "Thử mẫu phiếu",
            "seats": seats,
            "candidates": [{"id": f"M{i}", "name": name} for i, name in enumerate(names)],
        },
        "round": {"number": 1, "seats": seats},
        "joint_key": joint_key.encode().hex(),
        "form": form.to_json(),
    }
    h_R = crypto.round_hash(manifest)
    answer = {"round_id": 99, "round_hash": h_R.hex(), "manifest": manifest}
    return answer, crypto.RoundContext(h_R, joint_key, form)


@pytest.mark.parametrize(
    ("kind", "names", "seats", "taps", "expected", "invalid"),
    [
        # Agree with An, disagree with Bình, leave Cường unmarked (not counted for him).
        (
            "agree_disagree",
            ["Nguyễn Văn An", "Trần Thị Bình", "Lê Đức Cường"],
            3,
            [("Nguyễn Văn An", "agree"), ("Trần Thị Bình", "agree"), ("Trần Thị Bình", "disagree")],
            [1, 0, 0, 1, 0, 0],
            False,
        ),
        # A single name with neither box: invalid_marks, after two confirmations.
        ("agree_disagree", ["Nguyễn Văn An"], 1, [], [0, 0, 1], True),
        # Nomination: at most one; a second name is refused until the first is un-chosen.
        (
            "choose_at_most",
            ["Nguyễn Văn An", "Trần Thị Bình", "Lê Đức Cường"],
            1,
            [("Nguyễn Văn An", None), ("Lê Đức Cường", None)],
            [1, 0, 0],
            False,
        ),
    ],
    ids=["agree-disagree", "single-name-invalid", "choose-at-most"],
)
def test_every_ballot_form_is_marked_and_opens_to_its_counters(
    live_web: tuple[str, WebFixture],
    touch_page: object,
    kind: str,
    names: list[str],
    seats: int,
    taps: list[tuple[str, str | None]],
    expected: list[int],
    invalid: bool,
) -> None:
    """The other forms, against a stand-in ballot box (Playwright answers the API calls with
    a correctly hashed round): the marks, the warnings and the audit's counters."""
    from playwright.sync_api import Page, Route

    base, web = live_web
    page: Page = touch_page  # type: ignore[assignment]
    watch = Watch(page)
    answer, ctx = fake_round(web.congress_public_id, kind, names, seats)
    posted: list[Any] = []

    def challenge(route: Route) -> None:
        posted.append(json.loads(route.request.post_data or "null"))
        route.fulfill(status=201, content_type="application/json", body='{"tracking_code": "X"}')

    def session(route: Route) -> None:
        route.fulfill(status=200, content_type="application/json", body=json.dumps(answer))

    page.route(f"{base}/api/booth/session", session)
    page.route(f"{base}/api/booth/rounds/99/challenges", challenge)
    enter_booth(page, base, web)
    scan(page, crypto.format_code(crypto.generate_code()))
    wait_screen(page, "ballot")
    loaded = len(watch.requests)
    label = kind.replace("_", "-") + ("-single" if len(names) == 1 else "")
    for name, box in taps:
        row = page.locator("[data-ballot] li", has_text=name)
        row.locator(f"button[data-value={box}]" if box else "button").tap()
    if kind == "choose_at_most":
        assert "Đã chọn đủ 1 người" in page.locator("[data-ballot-status]").inner_text()
        assert page.locator("li.is-chosen").count() == 1
        page.locator("[data-ballot] li", has_text="Nguyễn Văn An").locator("button").tap()
        page.locator("[data-ballot] li", has_text="Nguyễn Văn An").locator("button").tap()
        assert page.locator("[data-tally]").inner_text() == "Đã chọn 1 / tối đa 1 người"
    if kind == "agree_disagree" and len(names) > 1:
        assert page.locator("[data-ballot] [aria-pressed=true]").count() == 2
        assert "1 người chưa được đánh dấu" in page.locator("[data-ballot-status]").inner_text()
    shoot(page, f"form-{label}")

    page.get_by_role("button", name="Xem lại lá phiếu").click()
    if invalid:
        wait_screen(page, "warn-invalid")
        page.get_by_role("button", name="Tôi vẫn muốn bỏ phiếu không hợp lệ").click()
        wait_screen(page, "confirm-invalid")
        page.get_by_role("button", name="Có, bỏ phiếu không hợp lệ").click()
    wait_screen(page, "review")
    shoot(page, f"form-{label}-review")
    verdict = page.locator("[data-review-verdict]").inner_text()
    review = page.locator("[data-review-list] li").all_inner_texts()
    page.get_by_role("button", name="Mã hóa lá phiếu").click()
    wait_screen(page, "sealed")
    assert watch.since(loaded) == []
    page.get_by_role("button", name="Kiểm tra lá phiếu").click()
    wait_screen(page, "audited")
    assert page.locator("[data-audit-verdict]").inner_text() == verdict
    assert page.locator("[data-audit-list] li").all_inner_texts() == review
    assert len(posted) == 1
    assert list(crypto.verify_audited(ctx, posted[0])) == expected
    assert watch.problems == []

"""One counting-board member's ceremony, decryption and minutes signature in a real browser
(issue 6). Member 1 works in Chromium (the guardian pages, guardian.js); members 2 and 3 are
Python devices driving the same services (tests/e2e/support.py). The test checks that the
browser's key file opens to a share the server accepts, that its decryption share and its
minutes signature are verified and stored, and that the pages carry no inline code.

Screenshots go to ``SCREENSHOTS`` (``counting-*.png``).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from election.db import make_engine
from election.models import (
    BodyKind,
    CeremonyStatus,
    Congress,
    DecryptionShare,
    Guardian,
    KeyCeremony,
    MinutesSignature,
    Role,
    Round,
    RoundState,
    User,
)
from election.services import candidates, ceremony_relay, rounds, tally
from election.services.base import SYSTEM
from tests import factories
from tests.browser.conftest import SCREENSHOTS, login
from tests.e2e.support import Device, Voter, register_server_key
from tests.factories import NOW, later
from tests.web.conftest import WebFixture
from tests.web.support import audit_html

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(300)]

PASSPHRASE = "ban kiểm phiếu 2025 — khóa số 1"


@contextmanager
def db_session(web: WebFixture) -> Iterator[Session]:
    engine = make_engine(web.app.config["DATABASE_URL"])
    try:
        with Session(engine, expire_on_commit=False) as db:
            yield db
    finally:
        engine.dispose()


def wait_until(web: WebFixture, check: Callable[[Session], bool], timeout: float = 60) -> None:
    """Poll the database (a fresh session each time) until ``check`` holds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with db_session(web) as db:
            if check(db):
                return
        time.sleep(0.3)
    raise AssertionError("timed out waiting for the browser")


def shoot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"counting-{name}.png"), full_page=True)


def no_inline_code(page: Any) -> None:
    assert audit_html(page.content()) == []


def _ceremony(db: Session) -> KeyCeremony:
    return db.scalars(sa.select(KeyCeremony).order_by(KeyCeremony.id.desc())).first()


def _guardian(db: Session, index: int) -> Guardian:
    return next(g for g in _ceremony(db).members if g.guardian_index == index)


def test_a_member_runs_the_ceremony_decrypts_and_signs_in_the_browser(
    live_web: tuple[str, WebFixture], browser_page: Any, tmp_path: Path
) -> None:
    from playwright.sync_api import Page, expect

    base, web = live_web
    page: Page = browser_page
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "console",
        lambda m: problems.append(m.text) if m.type == "error" else None,
    )

    # The congress: 8 official members with badges, all checked in; 3 of them the counting
    # board, member 1 working from the `counting1` account.
    with db_session(web) as db:
        congress = db.scalars(
            sa.select(Congress).where(Congress.public_id == web.congress_public_id)
        ).one()
        people = factories.make_members(db, congress, 8)
        board = people[-3:]
        factories.make_body(db, congress, BodyKind.COUNTING_BOARD, members=board)
        sitting = factories.make_sitting(db, congress, 1)
        position = factories.make_position(db, congress, seats=2)
        contest = factories.make_contest(db, congress, position)
        for member in people:
            factories.recognise(db, member)
        voters = [Voter.register(db, congress, m, NOW) for m in people]
        factories.check_in(db, people, sitting)
        server_key = register_server_key(db, Path(web.app.config["SERVER_KEY_FILE"]).parent, NOW)
        account = db.scalars(sa.select(User).where(User.username == "counting1")).one()
        ceremony = ceremony_relay.start_ceremony(
            db,
            SYSTEM,
            congress,
            seats=[(board[0], account), (board[1], None), (board[2], None)],
            now=NOW,
        )
        congress_id = congress.public_id
        devices = {i: Device(congress_id, i, ceremony.threshold) for i in (2, 3)}
        for device in devices.values():
            device.publish(db, ceremony, NOW)
        for member in people[:3]:
            candidates.nominate(db, SYSTEM, contest, member, now=NOW)
        draft = candidates.build_candidate_list(db, SYSTEM, contest, sitting=sitting, now=NOW)
        round_id = draft.round.id

    # 1. The ceremony in the browser: publish, seal, check, confirm, save the key file.
    login(page, base, web, Role.COUNTING)
    page.goto(f"{base}/counting/ceremony")
    no_inline_code(page)
    page.get_by_role("button", name="Bắt đầu: tạo khóa trên máy này").click()
    wait_until(web, lambda db: _guardian(db, 1).commitments is not None)
    with db_session(web) as db:
        current = _ceremony(db)
        for device in devices.values():
            device.seal(db, current, NOW)
    wait_until(web, lambda db: len(ceremony_relay.received_boxes(db, _ceremony(db), 2)) == 2)
    with db_session(web) as db:
        current = _ceremony(db)
        for device in devices.values():
            assert device.check(db, current) == []
            ceremony_relay.confirm_shares(db, SYSTEM, current, index=device.index, now=NOW)
    expect(page.locator("[data-role=save]")).to_be_visible(timeout=60_000)
    expect(page.locator("[data-role=fingerprint]")).to_be_visible(timeout=60_000)
    with db_session(web) as db:
        done = _ceremony(db)
        assert done.status is CeremonyStatus.COMPLETED
        fingerprint = ceremony_relay.joint_key_fingerprint(done.joint_key or b"")
    assert fingerprint in page.locator("[data-role=fingerprint]").inner_text()
    page.fill("[data-role=passphrase]", PASSPHRASE)
    page.fill("[data-role=passphrase2]", PASSPHRASE)
    page.get_by_role("button", name="Tạo tệp khóa").click()
    link = page.locator("[data-role=download]")
    expect(link).to_be_visible(timeout=60_000)
    shoot(page, "1-ceremony")
    with page.expect_download() as download:
        link.click()
    keyfile = tmp_path / "keyfile.json"
    download.value.save_as(keyfile)
    content = json.loads(keyfile.read_text(encoding="utf-8"))
    assert (content["format"], content["congress"], content["guardian"]) == (
        "dh-vote/v1/keyfile",
        congress_id,
        1,
    )
    # The file holds nothing readable: only the sealed secret.
    assert set(content) == {"format", "congress", "guardian", "kdf", "nonce", "ct"}

    # 2. A round with five real ballots, closed and tallied by the server.
    with db_session(web) as db:
        round_ = db.get(Round, round_id)
        assert round_ is not None
        rounds.open_round(db, SYSTEM, round_, now=later(1))
        for voter, keep in zip(voters[:5], (0, 1, 0, 2, 0), strict=True):
            choice = [0] * 5
            choice[keep] = 1
            voter.cast(db, round_, choice, server_key, later(2))
        rounds.close_round(db, SYSTEM, round_, now=later(3))
        tally.compute_tally(db, SYSTEM, round_, now=later(4))

    # 3. The browser's decryption share, from the key file; member 2's completes it.
    page.goto(f"{base}/counting/rounds/{round_id}")
    no_inline_code(page)
    page.set_input_files("[data-role=keyfile]", str(keyfile))
    page.fill("[data-role=passphrase]", PASSPHRASE)
    page.get_by_role("button", name="Tính và gửi phần giải mã").click()
    wait_until(
        web,
        lambda db: (
            db.scalar(
                sa.select(sa.func.count())
                .select_from(DecryptionShare)
                .where(DecryptionShare.round_id == round_id, DecryptionShare.guardian_index == 1)
            )
            == 1
        ),
    )
    shoot(page, "2-decrypt")
    # T-3.c: the device checked the round against its key file's joint key and shows the
    # fingerprint of the h_R it checked.
    with db_session(web) as db:
        checked_round = db.get(Round, round_id)
        assert checked_round is not None and checked_round.round_hash is not None
        checked = checked_round.round_hash.hex()
    expect(page.locator("[data-role=round-fingerprint]")).to_have_text(
        " ".join(checked[i : i + 4] for i in range(0, 16, 4))
    )
    with db_session(web) as db:
        round_ = db.get(Round, round_id)
        assert round_ is not None
        sums = tally.recorded_tally(db, round_)
        tally.submit_share(
            db, SYSTEM, round_, devices[2].decryption_share(round_, sums), index=2, now=later(5)
        )
        assert round_.state is RoundState.DECRYPTED
        assert round_.result is not None
        assert list(round_.result.tally["counters"].values()) == [3, 1, 1, 0, 0]
    expect(page.get_by_role("link", name="Xem kết quả")).to_be_visible(timeout=30_000)

    # 4. The result page, then the minutes signed in the browser.
    page.goto(f"{base}/counting/rounds/{round_id}/result")
    no_inline_code(page)
    shoot(page, "3-result")
    page.goto(f"{base}/counting/rounds/{round_id}/sign")
    no_inline_code(page)
    page.set_input_files("[data-role=keyfile]", str(keyfile))
    page.fill("[data-role=passphrase]", PASSPHRASE)
    page.get_by_role("button", name="Ký biên bản").click()
    wait_until(
        web,
        lambda db: (
            db.scalar(
                sa.select(sa.func.count())
                .select_from(MinutesSignature)
                .where(MinutesSignature.round_id == round_id)
            )
            == 1
        ),
    )
    # The page reloads itself once the signature is kept: wait for that reload to finish before
    # navigating, or the two navigations race.
    expect(page.locator("td", has_text="Đã ký, chữ ký hợp lệ")).to_be_visible(timeout=30_000)
    page.goto(f"{base}/counting/rounds/{round_id}/minutes")
    assert "Đã ký, chữ ký hợp lệ" in page.content()
    shoot(page, "4-minutes")
    assert problems == []

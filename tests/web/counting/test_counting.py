"""The counting board's pages and JSON API (issue 6): the key ceremony relayed between three
members' clients, decryption shares and minutes signatures posted as a member's browser
would (computed here by Python's crypto), results public only once announced, the minutes
as a page and as a PDF."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

import crypto
from election.db import make_engine
from election.models import (
    BodyKind,
    CeremonyStatus,
    Congress,
    KeyCeremony,
    MinutesSignature,
    Role,
    Round,
    RoundState,
    User,
)
from election.services import ceremony_relay, rounds, users
from election.services.base import SYSTEM, Actor
from tests import factories
from tests.e2e.support import Device, Open, open_round
from tests.factories import later
from tests.web.conftest import PASSWORD, WebFixture
from tests.web.support import audit_html

#: Where the minutes PDF is left for a person to look at (ignored by git).
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


@contextmanager
def db_session(web: WebFixture) -> Iterator[Session]:
    engine = make_engine(web.app.config["DATABASE_URL"])
    try:
        with Session(engine, expire_on_commit=False) as db:
            yield db
    finally:
        engine.dispose()


def _congress(db: Session, web: WebFixture) -> Congress:
    return db.scalars(sa.select(Congress).where(Congress.public_id == web.congress_public_id)).one()


def _login(web: WebFixture, username: str) -> FlaskClient:
    client = web.app.test_client()
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


@dataclass
class Counted:
    opened: Open
    round_id: int
    client: FlaskClient


@pytest.fixture
def counted(web: WebFixture, tmp_path: Path) -> Counted:
    """A closed round with 5 real ballots; member 1 of the 3-member board is ``counting1``."""
    with db_session(web) as db:
        congress = _congress(db, web)
        account = db.scalars(sa.select(User).where(User.username == "counting1")).one()
        opened = open_round(
            db, tmp_path, voters=8, names=3, seats=2, board=3, congress=congress, users=[account]
        )
        for voter, keep in zip(opened.voters[:5], (0, 1, 0, 2, 0), strict=True):
            choice = [0] * 5
            choice[keep] = 1
            voter.cast(db, opened.round, choice, opened.server_key, later(2))
        rounds.close_round(db, SYSTEM, opened.round, now=later(3))
        round_id = opened.round.id
    return Counted(opened, round_id, _login(web, "counting1"))


def _reload(db: Session, round_id: int) -> Round:
    round_ = db.get(Round, round_id)
    assert round_ is not None
    return round_


def test_the_device_is_given_the_round_manifest_it_checks_T_3_c(
    web: WebFixture, counted: Counted
) -> None:
    """ATTACKS.md T-3.c: the decryption page's device gets the round manifest, so it can
    hash it to h_R and compare its joint key with the one in the member's key file (the
    device side: tests/js/guardian_pages.test.mjs); the page shows h_R's fingerprint."""
    client, rid = counted.client, counted.round_id
    assert client.post(f"/counting/rounds/{rid}/tally").status_code == 302
    info = client.get(f"/api/counting/rounds/{rid}/tally").get_json()
    with db_session(web) as db:
        round_ = _reload(db, rid)
        ceremony = ceremony_relay.current_ceremony(db, round_.contest.congress)
        assert ceremony is not None and ceremony.joint_key is not None
        joint_key, manifest, h_r = ceremony.joint_key, round_.manifest, round_.round_hash
    assert h_r is not None and info["round_hash"] == h_r.hex()
    assert info["manifest"] == manifest
    assert crypto.round_hash(info["manifest"]) == h_r
    assert info["manifest"]["joint_key"] == joint_key.hex()
    html = client.get(f"/counting/rounds/{rid}").get_data(as_text=True)
    fingerprint = " ".join(h_r.hex()[i : i + 4] for i in range(0, 16, 4))
    assert f'data-role="round-fingerprint">{fingerprint}</code>' in html


def test_counting_a_round_through_the_pages(web: WebFixture, counted: Counted) -> None:
    client, rid = counted.client, counted.round_id
    index = client.get("/counting/")
    assert index.status_code == 200
    assert audit_html(index.get_data(as_text=True)) == []
    assert client.post(f"/counting/rounds/{rid}/tally").status_code == 302
    page = client.get(f"/counting/rounds/{rid}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and audit_html(html) == []
    assert 'data-guardian-page="decrypt"' in html
    info = client.get(f"/api/counting/rounds/{rid}/tally").get_json()
    assert info["me"] == 1 and info["state"] == "tallied"
    assert [c["counter"] for c in info["counters"]] == [
        "keep_1",
        "keep_2",
        "keep_3",
        "invalid_over",
        "invalid_none",
    ]
    # The member's browser computes the share of the recorded sums with its s_j.
    device = counted.opened.devices[1]
    sums = [
        crypto.Ciphertext(
            crypto.Point.decode(bytes.fromhex(c["A"])), crypto.Point.decode(bytes.fromhex(c["B"]))
        )
        for c in info["counters"]
    ]
    assert device.secret_share is not None
    share = crypto.compute_share(
        bytes.fromhex(info["round_hash"]), 1, device.secret_share, sums
    ).to_json()
    # A tampered proof is refused naming the counter; nothing is stored.
    bad = {**share, "proofs": [share["proofs"][1], share["proofs"][0], *share["proofs"][2:]]}
    refused = client.post(f"/api/counting/rounds/{rid}/shares", json=bad)
    assert refused.status_code == 422
    assert "keep_1" in refused.get_json()["message"]
    accepted = client.post(f"/api/counting/rounds/{rid}/shares", json=share)
    assert accepted.status_code == 200, accepted.get_json()
    assert accepted.get_json()["submitted"] == 1 and accepted.get_json()["needed"] == 1
    # Nobody outside the board and the presidium learns anything before t shares are in.
    assert web.app.test_client().get(f"/counting/rounds/{rid}/result").status_code == 404

    with db_session(web) as db:
        round_ = _reload(db, rid)
        from election.services import tally

        sums_rows = tally.recorded_tally(db, round_)
        other = counted.opened.devices[3]
        tally.submit_share(
            db, SYSTEM, round_, other.decryption_share(round_, sums_rows), index=3, now=later(5)
        )
        assert round_.state is RoundState.DECRYPTED

    result = client.get(f"/counting/rounds/{rid}/result")
    html = result.get_data(as_text=True)
    assert result.status_code == 200 and audit_html(html) == []
    assert "Công bố kết quả" in html
    presidium = web.app.test_client()
    web.login(presidium, Role.PRESIDIUM)
    assert presidium.get(f"/counting/rounds/{rid}/result").status_code == 200
    anonymous = web.app.test_client()
    assert anonymous.get(f"/counting/rounds/{rid}/result").status_code == 404
    assert anonymous.get(f"/counting/rounds/{rid}/record.zip").status_code == 404

    assert client.post(f"/counting/rounds/{rid}/announce").status_code == 302
    public = anonymous.get(f"/counting/rounds/{rid}/result")
    assert public.status_code == 200
    assert "Số phiếu tối thiểu để trúng cử" in public.get_data(as_text=True)
    record = anonymous.get(f"/counting/rounds/{rid}/record.zip")
    assert record.status_code == 200 and record.data[:2] == b"PK"


def _decrypted(web: WebFixture, counted: Counted) -> Round:
    with db_session(web) as db:
        from election.services import tally

        round_ = _reload(db, counted.round_id)
        sums = tally.compute_tally(db, SYSTEM, round_, now=later(4))
        for j in (2, 3):
            device = counted.opened.devices[j]
            tally.submit_share(
                db, SYSTEM, round_, device.decryption_share(round_, sums), index=j, now=later(5)
            )
        return round_


def test_the_minutes_are_signed_in_the_browser_and_checked(
    web: WebFixture, counted: Counted
) -> None:
    _decrypted(web, counted)
    client, rid = counted.client, counted.round_id
    minutes = client.get(f"/api/counting/rounds/{rid}/minutes").get_json()
    assert minutes["me"] == 1 and minutes["threshold"] == 2
    message = bytes.fromhex(minutes["message"])
    assert message == crypto.minutes_message(minutes["data"])
    device: Device = counted.opened.devices[1]
    # A signature by another key is refused, and nothing is stored.
    stranger = Device(web.congress_public_id, 1, 2)
    refused = client.post(
        f"/api/counting/rounds/{rid}/minutes/signatures",
        json={"signature": stranger.sign(minutes["data"]).hex()},
    )
    assert refused.status_code == 422
    signed = client.post(
        f"/api/counting/rounds/{rid}/minutes/signatures",
        json={"signature": device.sign(minutes["data"]).hex()},
    )
    assert signed.status_code == 200 and signed.get_json() == {"index": 1, "valid": True}
    with db_session(web) as db:
        rows = db.scalars(sa.select(MinutesSignature)).all()
        assert [(r.guardian_index, r.message) for r in rows] == [(1, message)]

    page = client.get(f"/counting/rounds/{rid}/minutes")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and audit_html(html) == []
    assert "BIÊN BẢN KIỂM PHIẾU" in html and "data:image/svg+xml" in html
    assert client.get(f"/counting/rounds/{rid}/sign").status_code == 200
    pdf = client.get(f"/counting/rounds/{rid}/minutes.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "minutes.pdf").write_bytes(pdf.data)  # for a person to look at
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "BIÊN BẢN KIỂM PHIẾU" in text
    assert "Đã ký, chữ ký hợp lệ" in text


def test_the_key_ceremony_through_the_api(web: WebFixture) -> None:
    """Three members, each on their own client; the server relays only public data."""
    with db_session(web) as db:
        congress = _congress(db, web)
        board = factories.make_members(db, congress, 3)
        factories.make_body(db, congress, BodyKind.COUNTING_BOARD, members=board)
        accounts = []
        for i in range(3):
            user = users.create_account(
                db,
                SYSTEM,
                username=f"kiemphieu{i + 1}",
                full_name=board[i].full_name,
                password=PASSWORD,
                congress=congress,
                roles=[Role.COUNTING],
                now=factories.NOW,
            )
            accounts.append(user)
        member_ids = [m.id for m in board]
    clients = [_login(web, f"kiemphieu{i + 1}") for i in range(3)]
    page = clients[0].get("/counting/ceremony")
    assert page.status_code == 200 and audit_html(page.get_data(as_text=True)) == []
    # The start form pre-selects each member's own account (same full name).
    form = {f"seat_{m}": str(accounts[i].id) for i, m in enumerate(member_ids)}
    assert clients[0].post("/counting/ceremony/start", data=form).status_code == 302
    state = clients[1].get("/api/counting/ceremony").get_json()
    assert (state["me"], state["guardians"], state["threshold"], state["phase"]) == (
        2,
        3,
        2,
        "keys",
    )

    devices = {i: Device(web.congress_public_id, i, 2) for i in (1, 2, 3)}
    for i, device in devices.items():
        assert device.polynomial is not None
        response = clients[i - 1].post(
            "/api/counting/ceremony/keys",
            json={
                "communication_key": (device.communication * crypto.G).hex(),
                "signing_key": device.signing.public_key().public_bytes_raw().hex(),
                "commitments": device.polynomial.commit(web.congress_public_id, i).to_json(),
            },
        )
        assert response.status_code == 200, response.get_json()
    state = clients[0].get("/api/counting/ceremony").get_json()
    assert state["phase"] == "boxes"
    keys = {
        m["index"]: crypto.Point.decode(bytes.fromhex(m["communication_key"]))
        for m in state["members"]
    }
    for i, device in devices.items():
        assert device.polynomial is not None
        boxes = {
            str(j): crypto.seal_share(
                web.congress_public_id, i, j, keys[j], device.polynomial.evaluate(j)
            )
            for j in devices
            if j != i
        }
        response = clients[i - 1].post("/api/counting/ceremony/boxes", json={"boxes": boxes})
        assert response.status_code == 200, response.get_json()
    for i, device in devices.items():
        state = clients[i - 1].get("/api/counting/ceremony").get_json()
        assert state["phase"] == "checks" and {r["from"] for r in state["received"]} == set(
            devices
        ) - {i}
        for item in state["received"]:
            dealer = next(m for m in state["members"] if m["index"] == item["from"])
            share = crypto.open_share(
                web.congress_public_id, item["from"], i, device.communication, item["box"]
            )
            crypto.verify_share(
                i, share, crypto.GuardianCommitments.from_json(dealer["commitments"], 2)
            )
        assert clients[i - 1].post("/api/counting/ceremony/confirm").status_code == 200
    done = clients[2].get("/api/counting/ceremony").get_json()
    assert done["status"] == "completed" and done["fingerprint"]
    with db_session(web) as db:
        ceremony = db.scalars(sa.select(KeyCeremony)).one()
        assert ceremony.status is CeremonyStatus.COMPLETED
    record = web.app.test_client().get("/counting/ceremony/record")
    assert record.status_code == 200
    assert done["fingerprint"] in record.get_data(as_text=True)


def test_a_complaint_stops_the_ceremony(web: WebFixture) -> None:
    with db_session(web) as db:
        congress = _congress(db, web)
        board = factories.make_members(db, congress, 2)
        factories.make_body(db, congress, BodyKind.COUNTING_BOARD, members=board)
        account = db.scalars(sa.select(User).where(User.username == "counting1")).one()
        from election.services import ceremony_relay

        ceremony = ceremony_relay.start_ceremony(
            db, SYSTEM, congress, seats=[(board[0], account), (board[1], None)], now=later(1)
        )
        devices = {i: Device(web.congress_public_id, i, 2) for i in (1, 2)}
        devices[1].actor = Actor.for_user(account, Role.COUNTING)
        for device in devices.values():
            device.publish(db, ceremony, later(2))
        for device in devices.values():
            device.seal(db, ceremony, later(3))
    client = _login(web, "counting1")
    response = client.post(
        "/api/counting/ceremony/complaints",
        json={"against": 2, "reason": "Phần khóa không khớp với cam kết"},
    )
    assert response.status_code == 200
    state = response.get_json()
    assert state["status"] == "failed"
    assert state["complaints"] == [
        {"by": 1, "against": 2, "reason": "Phần khóa không khớp với cam kết"}
    ]
    page = client.get("/counting/ceremony").get_data(as_text=True)
    assert "khiếu nại phần khóa do thành viên số 2" in page
    assert "Tiến hành lại lễ tạo khóa" in page

"""The booth's JSON API and the public board, through the real app and a real round."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

import crypto
from election.db import make_engine
from election.models import Role
from election.services import rounds, users
from election.services.base import SYSTEM
from election.web.access import TERMINAL_COOKIE
from tests import factories
from tests.factories import later
from tests.services.test_ballotbox import Box, open_box
from tests.web.conftest import WebFixture


@dataclass
class Booth:
    web: WebFixture
    box: Box
    client: FlaskClient

    def post(self, url: str, payload: object) -> object:
        return self.client.post(url, json=payload)


@pytest.fixture
def booth(web: WebFixture) -> Booth:
    engine = make_engine(web.app.config["DATABASE_URL"])
    db = Session(engine, expire_on_commit=False)
    box = open_box(db)
    congress = box.round.contest.congress
    secretariat = factories.make_actor(db, congress, Role.SECRETARIAT)
    _, token = users.enroll_terminal(db, secretariat, congress, name="Buồng A", now=factories.NOW)
    web.app.config["CONGRESS_ID"] = congress.public_id
    client = web.app.test_client()
    client.set_cookie(TERMINAL_COOKIE, token)
    return Booth(web, box, client)


def test_session_returns_the_open_round_for_an_eligible_badge(booth: Booth) -> None:
    response = booth.client.post(
        "/api/booth/session", json={"credential": booth.box.signers[0].public.hex()}
    )
    assert response.status_code == 200
    data = response.get_json()
    assert data["round_id"] == booth.box.round.id
    assert data["round_hash"] == booth.box.round.round_hash.hex()
    assert crypto.round_hash(data["manifest"]).hex() == data["round_hash"]


@pytest.mark.parametrize(
    ("credential", "status", "error"),
    [
        ("00" * 32, 422, "not_eligible"),
        ("zz", 422, "not_eligible"),
        (None, 422, "not_eligible"),
    ],
)
def test_session_refusals(booth: Booth, credential: object, status: int, error: str) -> None:
    response = booth.client.post("/api/booth/session", json={"credential": credential})
    assert response.status_code == status
    assert response.get_json()["error"] == error


def test_cast_then_resubmit_then_second_ballot(booth: Booth) -> None:
    url = f"/api/booth/rounds/{booth.box.round.id}/ballots"
    ballot = booth.box.ballot(0).to_json()
    first = booth.client.post(url, json=ballot)
    assert first.status_code == 201, first.get_json()
    receipt = first.get_json()
    assert receipt["receipt"]["position"] == 1
    again = booth.client.post(url, json=ballot)
    assert again.status_code == 201 and again.get_json() == receipt
    second = booth.client.post(url, json=booth.box.ballot(0, kept=(1,)).to_json())
    assert second.status_code == 409
    assert second.get_json()["error"] == "already_voted"
    # The badge is now refused at the session step too.
    session = booth.client.post(
        "/api/booth/session", json={"credential": booth.box.signers[0].public.hex()}
    )
    assert session.get_json()["error"] == "already_voted"


def test_garbage_is_refused_with_the_check_named(booth: Booth) -> None:
    url = f"/api/booth/rounds/{booth.box.round.id}/ballots"
    response = booth.client.post(url, data=b"{not json", content_type="application/json")
    assert response.status_code == 422
    assert response.get_json()["error"] == "malformed"
    assert booth.box.board_size() == 0


def test_cast_without_csrf_token_is_refused(booth: Booth) -> None:
    booth.web.app.config["WTF_CSRF_ENABLED"] = True
    url = f"/api/booth/rounds/{booth.box.round.id}/ballots"
    response = booth.client.post(url, json=booth.box.ballot(0).to_json())
    assert response.status_code == 400
    assert booth.box.board_size() == 0


def test_challenge_then_board(booth: Booth) -> None:
    ctx = booth.box.ctx
    ballot, secrets = crypto.encrypt_ballot(ctx, [1, 0, 0, 0, 0], booth.box.signers[1])  # type: ignore[arg-type]
    response = booth.client.post(
        f"/api/booth/rounds/{booth.box.round.id}/challenges",
        json=crypto.audit_ballot(ballot, secrets),
    )
    assert response.status_code == 201
    assert response.get_json()["tracking_code"] == crypto.tracking_code(ballot.hash())
    cast = booth.client.post(
        f"/api/booth/rounds/{booth.box.round.id}/ballots", json=booth.box.ballot(1).to_json()
    )
    code = cast.get_json()["tracking_code"]
    public = booth.web.app.test_client()
    page = public.get(f"/board/{booth.box.round.id}?code={code}")
    assert page.status_code == 200
    assert "vị trí 1" in page.get_data(as_text=True)
    data = public.get(f"/api/board/{booth.box.round.id}?full=1").get_json()
    assert [e["tracking_code"] for e in data["entries"]] == [code]
    entries = [
        (bytes.fromhex(e["ballot_hash"]), bytes.fromhex(e["chain_hash"])) for e in data["entries"]
    ]
    assert crypto.verify_chain(bytes.fromhex(data["round_hash"]), entries).hex() == data["head"]
    assert public.get("/board").status_code == 200


def test_the_board_tells_apart_ballots_whose_codes_collide(
    booth: Booth, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ATTACKS.md T-8.c on the board page: when two ballots share their two-group code, the
    search finds both and the board shows each with a longer code that tells them apart.
    A real 50-bit collision cannot be made on demand, so the code's first 7 bytes are
    blanked: every ballot of the round then collides on its first 50 bits."""
    original = crypto.ballot.tracking_code

    def colliding(h_B: bytes, groups: int = 2) -> str:
        return original(bytes(7) + h_B[7:], groups)

    monkeypatch.setattr(crypto.ballot, "tracking_code", colliding)
    monkeypatch.setattr(crypto, "tracking_code", colliding)
    url = f"/api/booth/rounds/{booth.box.round.id}/ballots"
    for i in (0, 1):
        assert booth.client.post(url, json=booth.box.ballot(i).to_json()).status_code == 201
    public = booth.web.app.test_client()
    page = public.get(f"/board/{booth.box.round.id}?code=00000-00000").get_data(as_text=True)
    assert "2 lá phiếu có mã theo dõi bắt đầu như vậy, ở các vị trí 1, 2" in page
    entries = public.get(f"/api/board/{booth.box.round.id}").get_json()["entries"]
    shown = [colliding(bytes.fromhex(e["ballot_hash"]), 3) for e in entries]
    assert shown[0] != shown[1] and all(f"<code>{c}</code>" in page for c in shown)
    # The longer code finds exactly its own ballot.
    one = public.get(f"/board/{booth.box.round.id}?code={shown[1]}").get_data(as_text=True)
    assert "Đã tìm thấy lá phiếu ở vị trí 2 trên bảng." in one


def test_enrolment_sets_the_terminal_cookie(booth: Booth, web: WebFixture) -> None:
    client = web.app.test_client()
    assert client.get("/booth/enroll?token=wrong").status_code == 400
    db = Session(make_engine(web.app.config["DATABASE_URL"]), expire_on_commit=False)
    congress = booth.box.round.contest.congress
    actor = factories.make_actor(db, db.merge(congress), Role.SECRETARIAT)
    _, token = users.enroll_terminal(
        db, actor, db.merge(congress), name="Buồng B", now=factories.NOW
    )
    response = client.get(f"/booth/enroll?token={token}")
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert client.get("/booth").status_code == 200


def test_a_booth_session_is_refused_when_the_served_code_changed(
    booth: Booth, monkeypatch: pytest.MonkeyPatch
) -> None:
    # T-11: the round's manifest recorded the served files' hashes when it opened; if the
    # bundles on the server change during the round, no delegate starts on them.
    recorded = booth.box.round.manifest["code"]
    assert recorded, "the round recorded the served code (make setup builds it)"
    from election.services import export

    tampered = {**recorded, "booth.js": "sha384-" + "A" * 64}
    monkeypatch.setattr(export, "served_code", lambda: tampered)
    response = booth.client.post(
        "/api/booth/session", json={"credential": booth.box.signers[0].public.hex()}
    )
    assert response.status_code == 409
    assert response.get_json()["error"] == "code_changed"
    assert "booth.js" in response.get_json()["message"]
    monkeypatch.setattr(export, "served_code", lambda: dict(recorded))
    ok = booth.client.post(
        "/api/booth/session", json={"credential": booth.box.signers[0].public.hex()}
    )
    assert ok.status_code == 200


def test_the_logs_hold_no_choice_credential_or_candidate(
    booth: Booth, caplog: pytest.LogCaptureFixture
) -> None:
    """T-7.d: a voting session through the API (session, cast, challenge with its plaintext
    choice and randomness, refusals, a copied ballot, board lookups, closing the round),
    with every logger at DEBUG; then the log is searched for what must never be in it."""
    box = booth.box
    round_id = box.round.id
    caplog.set_level(logging.DEBUG)
    kiosk = booth.client
    public = booth.web.app.test_client()
    cast_url = f"/api/booth/rounds/{round_id}/ballots"

    kiosk.post("/api/booth/session", json={"credential": box.signers[0].public.hex()})
    cast, _ = crypto.encrypt_ballot(box.ctx, [0, 1, 0, 0, 0], box.signers[0])  # type: ignore[arg-type]
    code = kiosk.post(cast_url, json=cast.to_json()).get_json()["tracking_code"]
    kiosk.post(cast_url, json=box.ballot(0, kept=(2,)).to_json())  # already voted
    challenged, secrets = crypto.encrypt_ballot(box.ctx, [0, 0, 1, 0, 0], box.signers[1])  # type: ignore[arg-type]
    audit = crypto.audit_ballot(challenged, secrets)
    assert kiosk.post(f"/api/booth/rounds/{round_id}/challenges", json=audit).status_code == 201
    # Voter 2 submits voter 0's ciphertexts and proofs under its own key: a logged incident.
    copy = cast.to_json()
    copy["credential"] = box.signers[2].public.hex()
    unsigned = {k: v for k, v in copy.items() if k != "signature"}
    message = crypto.H(crypto.Tag.BALLOT_SIG, crypto.canonical_json(unsigned))
    copy["signature"] = box.signers[2].sign(message).hex()
    assert kiosk.post(cast_url, json=copy).get_json()["error"] == "duplicate"
    kiosk.post(cast_url, data=b"{not json", content_type="application/json")
    public.get(f"/board/{round_id}?code={code}")
    public.get(f"/api/board/{round_id}?full=1")
    rounds.close_round(box.db, SYSTEM, box.round, now=later(3))

    logged = "\n".join(
        f"{r.name} {r.getMessage()} {r.exc_text or ''} {r.args!r}" for r in caplog.records
    )
    # The audit is not vacuous: the duplicate was logged, naming its round.
    assert any(
        r.name == "election.services.ballotbox" and f"round {round_id}" in r.getMessage()
        for r in caplog.records
    )
    forbidden = {
        "credential": [s.public.hex() for s in box.signers],
        "ciphertext": [ct.A.encode().hex() for b in (cast, challenged) for ct in b.ciphertexts],
        "randomness": [r.hex() for r in secrets.randomness],
        "choice": [json.dumps(audit["counters"]), json.dumps(audit["counters"], separators=",:")],
        "signature": [cast.signature.hex(), challenged.signature.hex()],
        "candidate": [
            text for c in box.round.candidates for text in (c.member.full_name, c.member.code)
        ],
    }
    leaks = [(what, s) for what, values in forbidden.items() for s in values if s in logged]
    assert leaks == [], f"found in the logs: {leaks}"

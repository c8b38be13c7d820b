"""The booth's JSON API and the public board, through the real app and a real round."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

import crypto
from election.db import make_engine
from election.models import Role
from election.services import users
from election.web.access import TERMINAL_COOKIE
from tests import factories
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

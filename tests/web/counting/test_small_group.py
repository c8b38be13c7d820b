"""ATTACKS.md T-9.c on the counting board's result page: a round with fewer ballots than
``SMALL_GROUP_MIN_BALLOTS`` is announced only with a decision written down, which goes into
the event log; without one nothing is released."""

from __future__ import annotations

import sqlalchemy as sa
from flask.testing import FlaskClient

from election.models import Event, Role, RoundState
from tests import factories
from tests.web.conftest import WebFixture
from tests.web.support import audit_html, db_session, load_round, seed_pilot

REASON = "Đoàn Chủ tịch quyết định công bố kết quả (biên bản số 3)."


def _decrypted_round(web: WebFixture, ballots: int) -> int:
    pilot = seed_pilot(web)
    with db_session(web) as db:
        round_ = load_round(db, pilot)
        factories.run_to(db, round_, RoundState.DECRYPTED, ballots=ballots)
        return round_.id


def _state(web: WebFixture, rid: int) -> RoundState:
    with db_session(web) as db:
        from election.models import Round

        round_ = db.get(Round, rid)
        assert round_ is not None
        return round_.state


def test_too_few_ballots_need_a_written_decision(web: WebFixture) -> None:
    rid = _decrypted_round(web, 3)
    client: FlaskClient = web.app.test_client()
    web.login(client, Role.COUNTING)
    page = client.get(f"/counting/rounds/{rid}/result").get_data(as_text=True)
    assert audit_html(page) == []
    assert 'data-testid="small-group"' in page
    assert "Chỉ có 3 phiếu được bỏ, ít hơn 5" in page
    assert "Công bố kết quả trước Đại hội" not in page  # the plain button is not offered

    refused = client.post(f"/counting/rounds/{rid}/announce", follow_redirects=True)
    text = refused.get_data(as_text=True)
    assert "Chưa công bố: chỉ có 3 phiếu được bỏ, ít hơn 5." in text
    assert _state(web, rid) is RoundState.DECRYPTED
    anonymous = web.app.test_client()
    assert anonymous.get(f"/counting/rounds/{rid}/result").status_code == 404

    short = client.post(
        f"/counting/rounds/{rid}/announce", data={"reason": "ngắn"}, follow_redirects=True
    )
    assert "10 to 500 characters" in short.get_data(as_text=True)
    assert _state(web, rid) is RoundState.DECRYPTED

    done = client.post(f"/counting/rounds/{rid}/announce", data={"reason": REASON})
    assert done.status_code == 302
    assert _state(web, rid) is RoundState.ANNOUNCED
    assert anonymous.get(f"/counting/rounds/{rid}/result").status_code == 200
    with db_session(web) as db:
        event = db.scalars(
            sa.select(Event).where(Event.action == "round.announced").order_by(Event.seq.desc())
        ).first()
        assert event is not None
        assert event.data["small_group_release"] == {"cast": 3, "minimum": 5, "reason": REASON}


def test_the_minimum_is_a_setting(web: WebFixture) -> None:
    web.app.config["SMALL_GROUP_MIN_BALLOTS"] = 0
    rid = _decrypted_round(web, 2)
    client = web.app.test_client()
    web.login(client, Role.COUNTING)
    page = client.get(f"/counting/rounds/{rid}/result").get_data(as_text=True)
    assert 'data-testid="small-group"' not in page
    assert client.post(f"/counting/rounds/{rid}/announce").status_code == 302
    assert _state(web, rid) is RoundState.ANNOUNCED

"""ATTACKS.md T-17.b through the web: while a round is open, the credentials desk cannot
re-issue a badge until the presidium records its decision on the console; the re-issue is
then published on the round's public board (page and JSON), with no name."""

from __future__ import annotations

import sqlalchemy as sa

from election.models import CredentialStatus, Event, Member, Role, VotingCredential
from election.services import credentials, rounds, spot_check
from election.services.base import SYSTEM
from tests import factories
from tests.web.conftest import WebFixture
from tests.web.support import db_session, load_round, seed_pilot


def _active(web: WebFixture, member_id: int) -> VotingCredential | None:
    with db_session(web) as db:
        member = db.get(Member, member_id)
        assert member is not None
        return credentials.active_credential(db, member)


def test_a_reissue_while_voting_needs_the_presidium_and_shows_on_the_board(
    web: WebFixture,
) -> None:
    pilot = seed_pilot(web)
    with db_session(web) as db:
        rounds.open_round(db, SYSTEM, load_round(db, pilot), now=factories.later(1))
    member_id = pilot.member_ids[0]
    old = _active(web, member_id)
    assert old is not None
    new_key = factories.public_key(900).hex()

    desk = web.app.test_client()
    web.login(desk, Role.CREDENTIALS)
    url = f"/api/credentials/members/{member_id}/reissue"
    body = {"public_key": new_key, "reason": "Đại biểu báo mất thẻ"}
    refused = desk.post(url, json=body)
    assert refused.status_code == 409
    assert refused.get_json()["error"] == "needs_presidium_decision"
    assert "quyết định của Đoàn Chủ tịch" in refused.get_json()["message"]
    still = _active(web, member_id)
    assert still is not None and still.public_key == old.public_key  # nothing changed

    presidium = web.app.test_client()
    web.login(presidium, Role.PRESIDIUM)
    console = presidium.get("/presidium/").get_data(as_text=True)
    assert "Cho phép cấp lại thẻ trong khi đang bỏ phiếu" in console
    assert f'value="{member_id}"' in console
    # No reason: refused, nothing logged.
    presidium.post(
        "/presidium/reissue-decisions", data={"reissue-member": member_id, "reissue-reason": ""}
    )
    page = presidium.post(
        "/presidium/reissue-decisions",
        data={"reissue-member": member_id, "reissue-reason": "Mất thẻ, đã đối chiếu giấy tờ"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Đã ghi quyết định" in page
    with db_session(web) as db:
        decisions = list(
            db.scalars(sa.select(Event).where(Event.action == "credential.reissue_authorised"))
        )
    assert len(decisions) == 1 and decisions[0].role == "presidium"

    accepted = desk.post(url, json=body)
    assert accepted.status_code == 201, accepted.get_json()
    with db_session(web) as db:
        revoked = db.get(VotingCredential, old.id)
        assert revoked is not None and revoked.status is CredentialStatus.REVOKED
    # The decision allowed one re-issue: the next one is refused again.
    again = {"public_key": factories.public_key(901).hex(), "reason": "x"}
    assert desk.post(url, json=again).get_json()["error"] == "needs_presidium_decision"

    public = web.app.test_client()
    board = public.get(f"/board/{pilot.round_id}").get_data(as_text=True)
    assert "Thẻ cấp lại trong khi vòng bầu đang mở" in board
    shown = [spot_check.credential_fingerprint(k) for k in (old.public_key, bytes.fromhex(new_key))]
    assert all(fingerprint in board for fingerprint in shown)
    with db_session(web) as db:
        name = db.get(Member, member_id).full_name  # type: ignore[union-attr]
    assert name not in board
    [notice] = public.get(f"/api/board/{pilot.round_id}").get_json()["reissues"]
    assert (notice["revoked"], notice["issued"], notice["decision"]) == (
        old.public_key.hex(),
        new_key,
        decisions[0].seq,
    )

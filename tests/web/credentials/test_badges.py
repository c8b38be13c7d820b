"""Voting badges through the desk's JSON endpoints: only public keys reach the server.

Registration, lookup by public key, revocation and reissue; refused keys (small order,
wrong length, not hex), refused fields (a badge code must never be accepted), CSRF.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from flask import Flask

import crypto
from crypto.credential import luhn32_check
from election.models import (
    Attendance,
    CredentialReview,
    CredentialStatus,
    Event,
    Member,
    Role,
    VotingCredential,
)
from election.services import credentials
from election.services.base import SYSTEM
from tests import factories as f
from tests.web.conftest import WebFixture
from tests.web.credentials.seed import Roster

CODE = "7KQ2M9XW4TB8RZ3HVN6D"  # 20 canonical characters; the check character is added below


def _code(body: str = CODE) -> str:
    return body + luhn32_check(body)


def _key(roster: Roster, body: str = CODE) -> bytes:
    return crypto.CredentialKey(roster.public_id, _code(body)).public


def _recognise(roster: Roster, *names: str) -> None:
    with roster.db() as db:
        for name in names:
            credentials.review_member(
                db, SYSTEM, db.get(Member, roster.id(name)), recognised=True, now=f.NOW
            )


def _stored(roster: Roster) -> list[VotingCredential]:
    with roster.db() as db:
        return list(db.scalars(sa.select(VotingCredential).order_by(VotingCredential.id)))


def _credential_events(roster: Roster) -> list[Event]:
    with roster.db() as db:
        return list(db.scalars(sa.select(Event).where(Event.action.like("credential.%"))))


@pytest.fixture
def desk(web: WebFixture, roster: Roster):  # type: ignore[no-untyped-def]
    client = web.app.test_client()
    web.login(client, Role.CREDENTIALS)
    _recognise(roster, "Nguyễn Văn A", "Trần Thị Bình")
    return client


def test_register_stores_only_the_public_key(desk, roster: Roster) -> None:  # type: ignore[no-untyped-def]
    a = roster.id("Nguyễn Văn A")
    key = _key(roster)
    response = desk.post(f"/api/credentials/members/{a}/credential", json={"public_key": key.hex()})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["member"]["full_name"] == "Nguyễn Văn A"
    [stored] = _stored(roster)
    assert stored.public_key == key and stored.status is CredentialStatus.ACTIVE
    assert stored.member_id == a
    [event] = _credential_events(roster)
    assert set(event.data) == {"member", "public_key"}
    assert event.data["public_key"] == key.hex()


#: Keys the strict check refuses: the identity and a point of order 8 (small order), a
#: non-canonical encoding and bytes off the curve.
SMALL_ORDER = [
    (bytes([1]) + bytes(31)).hex(),
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        *[(k, "điểm cấp nhỏ") for k in SMALL_ORDER],
        ("ab" * 31, "đúng 32 byte"),  # 31 bytes
        ("ab" * 33, "đúng 32 byte"),  # 33 bytes
        ("zz" * 32, "đúng 32 byte"),  # not hex
        (12345, "đúng 32 byte"),
    ],
    ids=["identity", "order-8", "non-canonical", "short", "long", "not-hex", "number"],
)
def test_bad_public_keys_are_refused_and_nothing_stored(
    desk, roster: Roster, value, message
) -> None:  # type: ignore[no-untyped-def]
    a = roster.id("Nguyễn Văn A")
    response = desk.post(f"/api/credentials/members/{a}/credential", json={"public_key": value})
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"] == "bad_public_key"
    assert message in body["message"]
    assert _stored(roster) == []
    assert _credential_events(roster) == []


def test_a_badge_code_is_refused_even_alongside_a_good_key(desk, roster: Roster) -> None:  # type: ignore[no-untyped-def]
    a = roster.id("Nguyễn Văn A")
    response = desk.post(
        f"/api/credentials/members/{a}/credential",
        json={"public_key": _key(roster).hex(), "code": _code()},
    )
    assert response.status_code == 400
    assert response.get_json()["error"] == "unexpected_field"
    assert _stored(roster) == []


def test_not_json_is_refused(desk, roster: Roster) -> None:  # type: ignore[no-untyped-def]
    a = roster.id("Nguyễn Văn A")
    response = desk.post(f"/api/credentials/members/{a}/credential", data="public_key=00")
    assert response.status_code == 400
    assert response.get_json()["error"] == "bad_request"


def test_unrecognised_or_non_voting_people_get_no_badge(desk, roster: Roster) -> None:  # type: ignore[no-untyped-def]
    cuong = roster.id("Lê Đức Cường")  # not reviewed
    response = desk.post(
        f"/api/credentials/members/{cuong}/credential", json={"public_key": _key(roster).hex()}
    )
    assert response.status_code == 409 and response.get_json()["error"] == "not_eligible"
    _recognise(roster, "Phạm Ngọc Dung")  # probationary: no vote (R-DELEG-2)
    dung = roster.id("Phạm Ngọc Dung")
    response = desk.post(
        f"/api/credentials/members/{dung}/credential", json={"public_key": _key(roster).hex()}
    )
    assert response.status_code == 409
    assert _stored(roster) == []


def test_second_badge_and_reused_key_conflict(desk, roster: Roster) -> None:  # type: ignore[no-untyped-def]
    a, b = roster.id("Nguyễn Văn A"), roster.id("Trần Thị Bình")
    key = _key(roster).hex()
    assert (
        desk.post(f"/api/credentials/members/{a}/credential", json={"public_key": key}).status_code
        == 201
    )
    again = desk.post(
        f"/api/credentials/members/{a}/credential",
        json={"public_key": _key(roster, "1" * 20).hex()},
    )
    assert again.status_code == 409 and again.get_json()["error"] == "conflict"
    reused = desk.post(f"/api/credentials/members/{b}/credential", json={"public_key": key})
    assert reused.status_code == 409
    assert len(_stored(roster)) == 1


def test_lookup_by_public_key(desk, roster: Roster) -> None:  # type: ignore[no-untyped-def]
    a = roster.id("Nguyễn Văn A")
    key = _key(roster).hex()
    desk.post(f"/api/credentials/members/{a}/credential", json={"public_key": key})
    found = desk.post("/api/credentials/lookup", json={"public_key": key, "session": 2})
    assert found.status_code == 200
    body = found.get_json()
    assert body["member"]["id"] == a
    assert body["url"] == f"/credentials/desk?member={a}&session=2"
    unknown = desk.post(
        "/api/credentials/lookup", json={"public_key": _key(roster, "2" * 20).hex()}
    )
    assert unknown.status_code == 404 and unknown.get_json()["error"] == "unknown_badge"
    bad = desk.post("/api/credentials/lookup", json={"public_key": "00"})
    assert bad.status_code == 400


def test_revoked_badge_cannot_check_in_and_reissue_replaces_it(desk, roster: Roster) -> None:  # type: ignore[no-untyped-def]
    a = roster.id("Nguyễn Văn A")
    old = _key(roster).hex()
    desk.post(f"/api/credentials/members/{a}/credential", json={"public_key": old})

    # Lost badge: a reason is required; then the old key is revoked and the new one active.
    new = _key(roster, "3" * 20).hex()
    no_reason = desk.post(
        f"/api/credentials/members/{a}/reissue", json={"public_key": new, "reason": " "}
    )
    assert no_reason.status_code == 400 and no_reason.get_json()["error"] == "reason_required"
    response = desk.post(
        f"/api/credentials/members/{a}/reissue",
        json={"public_key": new, "reason": "Đại biểu báo mất thẻ"},
    )
    assert response.status_code == 201, response.get_json()
    first, second = _stored(roster)
    assert (
        first.status is CredentialStatus.REVOKED and first.revoke_reason == "Đại biểu báo mất thẻ"
    )
    assert second.status is CredentialStatus.ACTIVE and second.replaces_id == first.id

    # The revoked badge finds nobody to check in: the desk is told it was revoked.
    revoked = desk.post("/api/credentials/lookup", json={"public_key": old, "session": 1})
    assert revoked.status_code == 410
    assert "thu hồi" in revoked.get_json()["message"]
    assert "url" not in revoked.get_json()
    assert desk.post("/api/credentials/lookup", json={"public_key": new}).status_code == 200

    # Revoking only: a reason is required, then the badge is gone too.
    page = desk.post(f"/credentials/members/{a}/revoke", data={"reason": ""})
    assert page.status_code == 302
    assert _stored(roster)[1].status is CredentialStatus.ACTIVE
    desk.post(f"/credentials/members/{a}/revoke", data={"reason": "Thẻ bị hỏng", "session": "1"})
    assert _stored(roster)[1].status is CredentialStatus.REVOKED
    assert desk.post("/api/credentials/lookup", json={"public_key": new}).status_code == 410
    actions = [e.action for e in _credential_events(roster)]
    assert actions == ["credential.register", "credential.reissue", "credential.revoke"]


def test_reissue_without_an_active_badge(desk, roster: Roster) -> None:  # type: ignore[no-untyped-def]
    a = roster.id("Nguyễn Văn A")
    response = desk.post(
        f"/api/credentials/members/{a}/reissue",
        json={"public_key": _key(roster).hex(), "reason": "Mất thẻ"},
    )
    assert response.status_code == 409
    assert _stored(roster) == []


# ------------------------------------------------------------------------------------ CSRF


@pytest.fixture
def csrf_desk(web: WebFixture, roster: Roster, make_app: Callable[..., Flask]):  # type: ignore[no-untyped-def]
    """A client of the same database with CSRF protection on, signed in with a token."""
    app = make_app(DATABASE_URL=roster.url, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    login_page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page)
    assert token is not None
    response = client.post(
        "/login",
        data={
            "username": web.usernames[Role.CREDENTIALS],
            "password": "correct horse battery",
            "csrf_token": token.group(1),
        },
    )
    assert response.status_code == 302
    _recognise(roster, "Nguyễn Văn A")
    return client


def test_csrf_refusal_changes_nothing(csrf_desk, roster: Roster) -> None:  # type: ignore[no-untyped-def]
    a, b = roster.id("Nguyễn Văn A"), roster.id("Trần Thị Bình")
    key = _key(roster).hex()
    response = csrf_desk.post(f"/api/credentials/members/{a}/credential", json={"public_key": key})
    assert response.status_code == 400
    assert _stored(roster) == []
    response = csrf_desk.post(f"/credentials/review/{b}", data={"recognised": "1"})
    assert response.status_code == 400
    response = csrf_desk.post(
        "/credentials/desk/attendance", data={"member_id": a, "session": 1, "present": "1"}
    )
    assert response.status_code == 400
    with roster.db() as db:
        assert db.scalar(sa.select(sa.func.count()).select_from(Attendance)) == 0
        assert db.scalar(sa.select(CredentialReview).where(CredentialReview.member_id == b)) is None

    # With the token from the desk page's <meta>, the same request goes through.
    page = csrf_desk.get(f"/credentials/desk?member={a}").get_data(as_text=True)
    token = re.search(r'<meta name="csrf-token" content="([^"]+)">', page)
    assert token is not None
    response = csrf_desk.post(
        f"/api/credentials/members/{a}/credential",
        json={"public_key": key},
        headers={"X-CSRFToken": token.group(1)},
    )
    assert response.status_code == 201
    assert [c.public_key.hex() for c in _stored(roster)] == [key]

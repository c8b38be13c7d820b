"""Credentials review, attendance, and public credentials: register, revoke, reissue."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

import crypto
from election.errors import Conflict, InvalidInput, InvalidState, PermissionDenied
from election.models import Attendance, CredentialStatus, Event, Membership, Role
from election.services import credentials
from election.services.base import SYSTEM
from tests import factories as f

#: Points the strict check refuses: the identity, a small-order point, a non-canonical
#: encoding (y = p), and bytes off the curve.
BAD_KEYS = [
    bytes([1]) + bytes(31),
    bytes.fromhex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"),
    bytes.fromhex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
    bytes([2]) + bytes(31),
]


def _member(db: Session, **kwargs: object) -> f.Member:
    congress = f.make_congress(db)
    member = f.make_member(db, congress, **kwargs)  # type: ignore[arg-type]
    f.recognise(db, member)
    return member


def test_register_a_public_credential(session: Session) -> None:
    member = _member(session)
    key = f.public_key(1)
    credential = credentials.register_credential(session, SYSTEM, member, key, now=f.NOW)
    assert credential.public_key == key and credential.status is CredentialStatus.ACTIVE
    assert credentials.active_credential(session, member) is credential
    event = session.scalars(sa.select(Event).where(Event.action == "credential.register")).one()
    assert event.data == {"member": member.code, "public_key": key.hex()}


@pytest.mark.parametrize("key", BAD_KEYS, ids=["identity", "small-order", "non-canonical", "off"])
def test_keys_that_fail_the_strict_check_are_refused(session: Session, key: bytes) -> None:
    member = _member(session)
    with pytest.raises(InvalidInput, match="refused"):
        credentials.register_credential(session, SYSTEM, member, key, now=f.NOW)
    assert credentials.active_credential(session, member) is None


def test_the_strict_check_is_cryptos() -> None:
    for key in BAD_KEYS:
        with pytest.raises(crypto.CryptoError):
            crypto.check_public_credential(key)


def test_wrong_length_and_type(session: Session) -> None:
    member = _member(session)
    with pytest.raises(InvalidInput):
        credentials.register_credential(session, SYSTEM, member, b"\x01" * 31, now=f.NOW)
    with pytest.raises(TypeError):
        credentials.register_credential(session, SYSTEM, member, "ab" * 32, now=f.NOW)  # type: ignore[arg-type]


def test_only_recognised_voters_get_credentials(session: Session) -> None:
    congress = f.make_congress(session)
    unreviewed = f.make_member(session, congress)
    with pytest.raises(InvalidState, match="not recognised"):
        credentials.register_credential(session, SYSTEM, unreviewed, f.public_key(2), now=f.NOW)
    refused = f.make_member(session, congress)
    with pytest.raises(InvalidInput, match="reason"):
        credentials.review_member(session, SYSTEM, refused, recognised=False, now=f.NOW)
    credentials.review_member(
        session, SYSTEM, refused, recognised=False, reason="Đang bị đình chỉ", now=f.NOW
    )
    with pytest.raises(InvalidState):
        credentials.register_credential(session, SYSTEM, refused, f.public_key(3), now=f.NOW)
    probationary = _member(session, membership=Membership.PROBATIONARY)
    with pytest.raises(InvalidState, match="R-DELEG-2"):
        credentials.register_credential(session, SYSTEM, probationary, f.public_key(4), now=f.NOW)


def test_one_active_credential_and_each_key_once(session: Session) -> None:
    member = _member(session)
    other = f.make_member(session, member.congress)
    f.recognise(session, other)
    credentials.register_credential(session, SYSTEM, member, f.public_key(5), now=f.NOW)
    with pytest.raises(Conflict, match="revoke it first"):
        credentials.register_credential(session, SYSTEM, member, f.public_key(6), now=f.NOW)
    with pytest.raises(Conflict, match="already registered"):
        credentials.register_credential(session, SYSTEM, other, f.public_key(5), now=f.NOW)


def test_revoke_with_a_reason(session: Session) -> None:
    member = _member(session)
    credential = credentials.register_credential(
        session, SYSTEM, member, f.public_key(7), now=f.NOW
    )
    with pytest.raises(InvalidInput, match="reason"):
        credentials.revoke_credential(session, SYSTEM, credential, reason="", now=f.later(1))
    credentials.revoke_credential(session, SYSTEM, credential, reason="Mất thẻ", now=f.later(1))
    assert credential.status is CredentialStatus.REVOKED
    assert (credential.revoke_reason, credential.revoked_at) == ("Mất thẻ", f.later(1))
    with pytest.raises(InvalidState):
        credentials.revoke_credential(session, SYSTEM, credential, reason="again", now=f.later(2))
    assert credentials.active_credential(session, member) is None


def test_reissue_revokes_and_replaces_in_one_step(session: Session) -> None:
    member = _member(session)
    old = credentials.register_credential(session, SYSTEM, member, f.public_key(8), now=f.NOW)
    new = credentials.reissue_credential(
        session, SYSTEM, old, f.public_key(9), reason="Thẻ bị hỏng", now=f.later(5)
    )
    assert old.status is CredentialStatus.REVOKED and old.revoke_reason == "Thẻ bị hỏng"
    assert new.status is CredentialStatus.ACTIVE and new.replaces is old
    assert credentials.active_credential(session, member) is new
    with pytest.raises(Conflict, match="already replaced"):
        credentials.reissue_credential(
            session, SYSTEM, old, f.public_key(10), reason="x", now=f.later(6)
        )
    actions = session.scalars(sa.select(Event.action).order_by(Event.seq)).all()
    assert actions[-1] == "credential.reissue"


def test_a_failed_reissue_keeps_the_old_credential(session: Session) -> None:
    member = _member(session)
    old = credentials.register_credential(session, SYSTEM, member, f.public_key(11), now=f.NOW)
    with pytest.raises(InvalidInput):
        credentials.reissue_credential(session, SYSTEM, old, BAD_KEYS[1], reason="x", now=f.NOW)
    session.expire_all()
    assert credentials.active_credential(session, member).id == old.id  # type: ignore[union-attr]


def test_credentials_need_the_credentials_board(session: Session) -> None:
    member = _member(session)
    secretariat = f.make_actor(session, member.congress, Role.SECRETARIAT)
    with pytest.raises(PermissionDenied):
        credentials.register_credential(session, secretariat, member, f.public_key(12), now=f.NOW)
    board = f.make_actor(session, member.congress, Role.CREDENTIALS)
    credential = credentials.register_credential(
        session, board, member, f.public_key(12), now=f.NOW
    )
    assert credential.issued_by_id == board.user_id


def test_attendance_is_recorded_and_corrected(session: Session) -> None:
    congress = f.make_congress(session)
    member = f.make_member(session, congress)
    sitting = f.make_sitting(session, congress)
    with pytest.raises(InvalidInput, match="reason"):
        credentials.record_attendance(session, SYSTEM, member, sitting, present=False, now=f.NOW)
    credentials.record_attendance(
        session, SYSTEM, member, sitting, present=False, reason="Ốm", now=f.NOW
    )
    row = credentials.check_in(session, SYSTEM, member, sitting, now=f.later(30))
    assert (row.present, row.absence_reason, row.recorded_at) == (True, None, f.later(30))
    assert session.scalar(sa.select(sa.func.count()).select_from(Attendance)) == 1
    assert (
        session.scalar(
            sa.select(sa.func.count()).select_from(Event).where(Event.action == "attendance.record")
        )
        == 2
    )


def test_a_committee_session_records_its_members_only(session: Session) -> None:
    congress = f.make_congress(session)
    inside, outside = f.make_members(session, congress, 2)
    body = f.make_body(session, congress, members=[inside])
    sitting = f.make_sitting(session, congress, body=body)
    credentials.check_in(session, SYSTEM, inside, sitting, now=f.NOW)
    with pytest.raises(InvalidInput, match="not a member"):
        credentials.check_in(session, SYSTEM, outside, sitting, now=f.NOW)

"""The key ceremony relayed by the server (PROTOCOL.md section 4): each step in order, the
checks on what members publish, a complaint stopping the run and a new run without the
faulty member, and the result recorded once per congress."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

import crypto
from election.errors import Conflict, InvalidInput, InvalidState
from election.models import (
    BodyKind,
    CeremonyStatus,
    Congress,
    Event,
    GuardianStatus,
    KeyCeremony,
    Member,
    Membership,
)
from election.services import ceremony_relay as relay
from election.services.base import SYSTEM
from tests import factories
from tests.e2e.support import Device, run_ceremony
from tests.factories import NOW, later


def _board(session: Session, n: int = 3) -> tuple[Congress, list[Member]]:
    congress = factories.make_congress(session)
    members = factories.make_members(session, congress, n)
    factories.make_body(session, congress, BodyKind.COUNTING_BOARD, members=members)
    return congress, members


def _start(session: Session, congress: Congress, members: list[Member]) -> KeyCeremony:
    return relay.start_ceremony(
        session, SYSTEM, congress, seats=[(m, None) for m in members], now=NOW
    )


def test_a_whole_ceremony_gives_the_joint_key(session: Session) -> None:
    congress, members = _board(session)
    devices = run_ceremony(session, congress, members, NOW)
    ceremony = relay.current_ceremony(session, congress)
    assert ceremony is not None and ceremony.status is CeremonyStatus.COMPLETED
    assert (ceremony.guardians, ceremony.threshold) == (3, 2)
    published = [
        crypto.GuardianCommitments.from_json(g.commitments, 2)
        for g in sorted(ceremony.members, key=lambda g: g.guardian_index)
    ]
    assert ceremony.joint_key == crypto.joint_key(published).encode()
    for j, device in devices.items():
        assert device.secret_share is not None
        assert (device.secret_share * crypto.G).hex() == (ceremony.public_shares or {})[str(j)]
    assert all(g.status is GuardianStatus.VERIFIED for g in ceremony.members)
    view = relay.ceremony_view(session, ceremony)
    assert view.phase is relay.Phase.COMPLETED
    assert view.fingerprint == relay.joint_key_fingerprint(ceremony.joint_key or b"")
    actions = session.scalars(sa.select(Event.action).order_by(Event.seq)).all()
    assert actions[-1] == "ceremony.complete"
    # Once per congress.
    with pytest.raises(Conflict):
        _start(session, congress, members)


def test_steps_are_refused_out_of_order(session: Session) -> None:
    congress, members = _board(session)
    ceremony = _start(session, congress, members)
    devices = {i: Device(congress.public_id, i, 2) for i in (1, 2, 3)}
    devices[1].publish(session, ceremony, NOW)
    assert relay.ceremony_view(session, ceremony).phase is relay.Phase.KEYS
    with pytest.raises(InvalidState, match="have not published"):
        relay.post_boxes(session, SYSTEM, ceremony, {2: {}, 3: {}}, index=1, now=NOW)
    with pytest.raises(InvalidState, match="not received"):
        relay.confirm_shares(session, SYSTEM, ceremony, index=1, now=NOW)
    with pytest.raises(InvalidState, match="already under way"):
        _start(session, congress, members)
    for i in (2, 3):
        devices[i].publish(session, ceremony, NOW)
    assert relay.ceremony_view(session, ceremony).phase is relay.Phase.BOXES


def test_what_members_publish_is_checked(session: Session) -> None:
    congress, members = _board(session)
    ceremony = _start(session, congress, members)
    device = Device(congress.public_id, 1, 2)
    assert device.polynomial is not None
    good = device.polynomial.commit(congress.public_id, 1).to_json()
    keys = {
        "communication_key": (device.communication * crypto.G).encode(),
        "signing_key": device.signing.public_key().public_bytes_raw(),
    }
    # Commitments proven for another congress (ATTACKS.md 5: no key without its proof).
    elsewhere = device.polynomial.commit("another-congress", 1).to_json()
    with pytest.raises(InvalidInput, match="do not verify"):
        relay.publish_keys(
            session, SYSTEM, ceremony, commitments=elsewhere, index=1, now=NOW, **keys
        )
    with pytest.raises(InvalidInput, match="guardian 2 posted by guardian 1"):
        relay.publish_keys(
            session,
            SYSTEM,
            ceremony,
            commitments=device.polynomial.commit(congress.public_id, 2).to_json(),
            index=1,
            now=NOW,
            **keys,
        )
    with pytest.raises(InvalidInput, match="group element"):
        relay.publish_keys(
            session,
            SYSTEM,
            ceremony,
            commitments=good,
            index=1,
            now=NOW,
            communication_key=bytes(32),
            signing_key=keys["signing_key"],
        )
    relay.publish_keys(session, SYSTEM, ceremony, commitments=good, index=1, now=NOW, **keys)
    relay.publish_keys(session, SYSTEM, ceremony, commitments=good, index=1, now=NOW, **keys)
    other = Device(congress.public_id, 1, 2)
    assert other.polynomial is not None
    with pytest.raises(Conflict):
        other.publish(session, ceremony, NOW)


def test_a_complaint_stops_the_run_and_a_new_one_leaves_the_dealer_out(
    session: Session,
) -> None:
    congress, members = _board(session, 4)
    ceremony = _start(session, congress, members[:3])
    devices = {i: Device(congress.public_id, i, 2) for i in (1, 2, 3)}
    for device in devices.values():
        device.publish(session, ceremony, NOW)
    for device in devices.values():
        device.seal(session, ceremony, NOW)
    # Member 3 seals garbage for member 1: the box does not open.
    box = next(b for b in relay._boxes(session, ceremony) if b.from_index == 3 and b.to_index == 1)
    box.box = {**box.box, "ct": "00" * 48}
    session.commit()
    assert devices[1].check(session, ceremony) == [3]
    relay.complain(
        session, SYSTEM, ceremony, dealer=3, reason="Hộp không mở được", index=1, now=later(1)
    )
    assert ceremony.status is CeremonyStatus.FAILED
    with pytest.raises(InvalidState, match="failed"):
        relay.confirm_shares(session, SYSTEM, ceremony, index=2, now=later(1))
    assert relay.suspected_members(session, congress) == {members[2].id}
    # The board starts again with members 1, 2 and 4; the new run completes.
    run_ceremony(session, congress, [members[0], members[1], members[3]], later(2))
    done = relay.current_ceremony(session, congress)
    assert done is not None and done.status is CeremonyStatus.COMPLETED
    assert members[2].id not in {g.member_id for g in done.members}


def test_only_official_members_of_the_counting_board_take_part(session: Session) -> None:
    congress, members = _board(session)
    outsider = factories.make_member(session, congress)
    with pytest.raises(InvalidInput, match="not on the counting board"):
        _start(session, congress, [*members[:2], outsider])
    members[0].membership = Membership.PROBATIONARY
    session.commit()
    with pytest.raises(InvalidInput, match="official member"):
        _start(session, congress, members)
    with pytest.raises(InvalidInput, match="threshold"):
        relay.start_ceremony(
            session,
            SYSTEM,
            congress,
            seats=[(m, None) for m in members[1:]],
            threshold=3,
            now=NOW,
        )


def test_a_cancelled_run_can_be_started_again(session: Session) -> None:
    congress, members = _board(session)
    ceremony = _start(session, congress, members)
    with pytest.raises(InvalidInput):
        relay.cancel_ceremony(session, SYSTEM, ceremony, reason=" ", now=later(1))
    relay.cancel_ceremony(
        session, SYSTEM, ceremony, reason="Máy của thành viên 2 hỏng", now=later(1)
    )
    assert relay.ceremony_view(session, ceremony).phase is relay.Phase.FAILED
    again = _start(session, congress, members)
    assert again.id != ceremony.id and again.status is CeremonyStatus.PENDING


def test_no_new_commitments_once_the_members_have_moved_on(session: Session) -> None:
    """ATTACKS.md section 5 (ordering): once every member has published and the boxes are
    sealed to those commitments, no member can swap in new ones, and after the ceremony
    nobody publishes anything. (There is no separate round of commitment hashes.)"""
    congress, members = _board(session)
    ceremony = _start(session, congress, members)
    devices = {i: Device(congress.public_id, i, 2) for i in (1, 2, 3)}
    for device in devices.values():
        device.publish(session, ceremony, NOW)
    for device in devices.values():
        device.seal(session, ceremony, NOW)
    assert relay.ceremony_view(session, ceremony).phase is relay.Phase.CHECKS
    before = {g.guardian_index: g.commitments for g in ceremony.members}
    # Member 3, having seen the others' commitments, tries a new polynomial.
    late = Device(congress.public_id, 3, 2)
    with pytest.raises(Conflict, match="already published"):
        late.publish(session, ceremony, later(1))
    assert {g.guardian_index: g.commitments for g in ceremony.members} == before
    for device in devices.values():
        assert device.check(session, ceremony) == []
        relay.confirm_shares(session, SYSTEM, ceremony, index=device.index, now=later(2))
    assert ceremony.status is CeremonyStatus.COMPLETED
    with pytest.raises(InvalidState, match="completed"):
        late.publish(session, ceremony, later(3))
    assert (
        ceremony.joint_key
        == crypto.joint_key(
            [crypto.GuardianCommitments.from_json(before[i], 2) for i in (1, 2, 3)]
        ).encode()
    )

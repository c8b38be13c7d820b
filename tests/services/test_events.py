"""The event log: one entry per change, in the same transaction, chained by hash."""

from __future__ import annotations

import hashlib

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

import crypto
from election.errors import ChainBroken, IllegalTransition
from election.models import Event, RoundState
from election.services import events, rounds
from election.services.base import SYSTEM
from tests import factories as f


def _log(db: Session) -> list[Event]:
    return list(db.scalars(sa.select(Event).order_by(Event.seq)))


def test_entries_chain_from_the_genesis_hash(session: Session) -> None:
    s = f.scenario(session)
    f.run_to(session, s.round, RoundState.APPROVED, ballots=8)
    log = _log(session)
    assert [e.seq for e in log] == list(range(1, len(log) + 1))
    assert log[0].prev_hash == events.GENESIS_HASH
    for before, after in zip(log, log[1:], strict=False):
        assert after.prev_hash == before.entry_hash
    for entry in log:
        body = events.entry_body(
            seq=entry.seq,
            at=entry.at,
            actor=entry.actor,
            role=entry.role,
            action=entry.action,
            object_type=entry.object_type,
            object_id=entry.object_id,
            congress=entry.congress,
            data=entry.data,
        )
        # The documented formula, spelled out independently of entry_hash.
        expected = hashlib.sha256(
            b"dh-vote/v1/event\x00" + entry.prev_hash + crypto.canonical_json(body)
        ).digest()
        assert entry.entry_hash == expected
    assert events.verify_chain(session) == len(log)


def test_each_transition_appends_exactly_one_entry(session: Session) -> None:
    s = f.scenario(session)
    actions = []
    for state in (RoundState.OPEN, RoundState.CLOSED):
        before = len(_log(session))
        f.run_to(session, s.round, state, ballots=0) if state is RoundState.OPEN else (
            rounds.close_round(session, SYSTEM, s.round, now=f.later(20))
        )
        log = _log(session)
        assert len(log) == before + 1
        actions.append(log[-1].action)
        assert log[-1].congress == s.congress.public_id
        assert log[-1].object_type == "rounds" and log[-1].object_id == str(s.round.id)
    assert actions == ["round.open", "round.closed"]


def test_a_refused_change_leaves_no_entry(session: Session) -> None:
    s = f.scenario(session)
    before = len(_log(session))
    with pytest.raises(IllegalTransition):
        rounds.close_round(session, SYSTEM, s.round, now=f.NOW)
    assert len(_log(session)) == before


def test_verify_chain_finds_a_rewritten_entry(session: Session) -> None:
    f.scenario(session)
    dialect = session.get_bind().dialect.name
    # Only a person with the database's owner rights can do this: drop the guard first.
    if dialect == "sqlite":
        session.execute(sa.text("DROP TRIGGER event_log_no_update"))
    else:
        session.execute(sa.text("ALTER TABLE event_log DISABLE TRIGGER event_log_append_only"))
    session.execute(sa.text("UPDATE event_log SET actor = 'mallory' WHERE seq = 3"))
    session.expire_all()
    with pytest.raises(ChainBroken) as raised:
        events.verify_chain(session)
    assert raised.value.seq == 3
    session.rollback()


def test_times_are_hashed_to_the_microsecond_in_utc() -> None:
    body = events.entry_body(
        seq=1,
        at=f.NOW,
        actor="a",
        role=None,
        action="x",
        object_type="t",
        object_id=None,
        congress=None,
        data={},
    )
    assert body["at"] == "2025-06-12T01:00:00.000000Z"

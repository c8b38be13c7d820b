"""Signed checkpoints of the event log, and the whole log's check against an attacker who
can write the database (issue 7 item 5).

The triggers refuse UPDATE and DELETE; the attacker here drops them first — on SQLite by
opening the database file with the ``sqlite3`` module, as someone with the file would, on
PostgreSQL with SQL on the same connection — and then deletes, alters, reorders or rewrites
rows. Every scenario runs on both databases (the ``session`` fixture). Acceptance (issue 7):
deleting one row is reported with its position.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.orm import Session

from election.errors import PermissionDenied
from election.models import CheckpointKind, Congress, Event, EventCheckpoint, Role
from election.services import checkpoints, events
from election.services.base import SYSTEM
from election.services.serverkey import public_key_bytes
from tests import factories as f

INTERVAL = 5
KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
TRUSTED = [public_key_bytes(KEY)]

Statement = tuple[str, dict[str, Any]]


@pytest.fixture
def signed(session: Session) -> Iterator[Session]:
    """The session, with periodic checkpoints every ``INTERVAL`` entries signed by ``KEY``."""
    engine = checkpoints._engine_of(session)
    checkpoints.install_signer(engine, checkpoints.Signer(lambda: KEY, interval=INTERVAL))
    try:
        yield session
    finally:
        checkpoints.remove_signer(engine)


def _fill(db: Session, count: int) -> Congress:
    """A congress (one entry) and ``count - 1`` more entries about it, committed."""
    congress = f.make_congress(db)
    have = db.scalar(sa.select(sa.func.count()).select_from(Event)) or 0
    for i in range(count - have):
        events.record(db, SYSTEM, "test.step", congress, now=f.later(i), data={"i": i})
    db.commit()
    return congress


def _verify(db: Session, interval: int | None = INTERVAL) -> checkpoints.LogReport:
    db.expire_all()
    return checkpoints.verify_log(db, TRUSTED, interval=interval)


def tamper(db: Session, *statements: Statement) -> None:
    """Run ``statements`` as an attacker: append-only triggers dropped first."""
    db.commit()
    if db.get_bind().dialect.name == "sqlite":
        path = checkpoints._engine_of(db).url.database
        assert path
        connection = sqlite3.connect(path)
        try:
            for table in ("event_log", "event_checkpoints"):
                for verb in ("update", "delete"):
                    connection.execute(f"DROP TRIGGER IF EXISTS {table}_no_{verb}")
            for sql, params in statements:
                connection.execute(sql, params)
            connection.commit()
        finally:
            connection.close()
    else:
        for table in ("event_log", "event_checkpoints"):
            db.execute(sa.text(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}"))
        for sql, params in statements:
            db.execute(sa.text(sql), params)
        db.commit()
    db.expire_all()


def _sql(sql: str, **params: Any) -> Statement:
    return sql, params


def _renumber_after(seq: int) -> list[Statement]:
    """Close the gap left at ``seq``: every later entry moves down by one."""
    return [
        _sql("UPDATE event_log SET seq = seq + 1000000 WHERE seq > :s", s=seq),
        _sql("UPDATE event_log SET seq = seq - 1000001 WHERE seq > 1000000"),
    ]


def _rehash_from(db: Session, seq: int, changes: dict[str, Any]) -> list[Statement]:
    """Alter entry ``seq`` and recompute every hash from it on: what an attacker without the
    server key can do."""
    rows = list(db.scalars(sa.select(Event).order_by(Event.seq)))
    out = []
    prev = rows[seq - 2].entry_hash if seq > 1 else events.GENESIS_HASH
    for row in rows[seq - 1 :]:
        fields: dict[str, Any] = {
            "seq": row.seq,
            "at": row.at,
            "actor": row.actor,
            "role": row.role,
            "action": row.action,
            "object_type": row.object_type,
            "object_id": row.object_id,
            "congress": row.congress,
            "data": row.data,
        }
        if row.seq == seq:
            fields.update(changes)
        new = events.entry_hash(prev, events.entry_body(**fields))
        out.append(
            _sql(
                "UPDATE event_log SET actor = :actor, prev_hash = :prev, entry_hash = :new "
                "WHERE seq = :seq",
                actor=fields["actor"],
                prev=prev,
                new=new,
                seq=row.seq,
            )
        )
        prev = new
    db.rollback()
    return out


# ------------------------------------------------------------------------------- writing


def test_periodic_checkpoints_sign_every_fifth_head(signed: Session) -> None:
    _fill(signed, 12)
    made = list(signed.scalars(sa.select(EventCheckpoint).order_by(EventCheckpoint.seq)))
    assert [c.seq for c in made] == [5, 10]
    for checkpoint in made:
        entry = signed.get(Event, checkpoint.seq)
        assert entry is not None and checkpoint.head == entry.entry_hash
        assert checkpoint.kind is CheckpointKind.PERIODIC and checkpoint.created_by == "system"
        # The documented message, spelled out.
        message = b"dh-vote/v1/event-checkpoint\x00" + checkpoint.seq.to_bytes(8, "big")
        KEY.public_key().verify(checkpoint.signature, message + entry.entry_hash)
    report = _verify(signed)
    assert report.ok, report.problem
    assert (report.entries, report.checkpoints, report.last_checkpoint) == (12, 2, 10)
    assert report.unsigned_tail == 2
    assert "Nhật ký hợp lệ: 12 mục" in str(report)


def test_without_a_signer_there_are_no_checkpoints(session: Session) -> None:
    _fill(session, 7)
    assert session.scalar(sa.select(sa.func.count()).select_from(EventCheckpoint)) == 0
    assert _verify(session, interval=None).ok
    # Measured against an interval, the missing checkpoint is reported.
    problem = _verify(session).problem
    assert problem is not None and (problem.code, problem.seq) == ("missing_checkpoint", 5)


def test_a_checkpoint_on_demand_covers_its_own_request(signed: Session) -> None:
    congress = _fill(signed, 6)
    inspector = f.make_actor(signed, congress, Role.INSPECTION)
    made = checkpoints.create_checkpoint(signed, inspector, congress, KEY, now=f.later(30))
    request = signed.get(Event, made.seq)
    assert request is not None and request.action == "log.checkpoint"
    assert request.actor == inspector.username and made.created_by == inspector.username
    assert made.kind is CheckpointKind.ON_DEMAND and made.head == request.entry_hash
    assert _verify(signed).last_checkpoint == made.seq
    secretary = f.make_actor(signed, congress, Role.SECRETARIAT)
    with pytest.raises(PermissionDenied):
        checkpoints.create_checkpoint(signed, secretary, congress, KEY, now=f.later(31))


def test_an_on_demand_request_on_a_periodic_entry_returns_the_periodic_checkpoint(
    signed: Session,
) -> None:
    congress = _fill(signed, 9)
    made = checkpoints.create_checkpoint(signed, SYSTEM, congress, KEY, now=f.later(30))
    assert made.seq == 10 and made.kind is CheckpointKind.PERIODIC


def test_the_checkpoint_table_is_append_only(signed: Session) -> None:
    _fill(signed, 5)
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        signed.execute(sa.text("DELETE FROM event_checkpoints"))
    signed.rollback()


def test_a_checkpoint_needs_the_trusted_key(signed: Session) -> None:
    _fill(signed, 5)
    with pytest.raises(ValueError):
        checkpoints.checkpoint_message(0, bytes(32))
    other = public_key_bytes(Ed25519PrivateKey.generate())
    report = checkpoints.verify_log(signed, [other], interval=INTERVAL)
    assert report.problem is not None
    assert (report.problem.code, report.problem.seq) == ("forged_checkpoint", 5)


# ------------------------------------------------------------------------------- attacks


def test_deleting_one_row_is_reported_with_its_position(signed: Session) -> None:
    """Issue 7's acceptance test: the row is gone, the numbers jump."""
    _fill(signed, 24)
    tamper(signed, _sql("DELETE FROM event_log WHERE seq = 17"))
    problem = _verify(signed).problem
    assert problem is not None
    assert (problem.code, problem.seq) == ("gap", 17)
    assert str(problem) == "Mục 17 bị xóa: nhật ký nhảy từ mục 16 sang mục 18."


def test_deleting_a_row_and_renumbering_breaks_the_chain_there(signed: Session) -> None:
    _fill(signed, 24)
    tamper(signed, _sql("DELETE FROM event_log WHERE seq = 17"), *_renumber_after(17))
    problem = _verify(signed).problem
    assert problem is not None and (problem.code, problem.seq) == ("broken", 17)
    assert "Chuỗi băm đứt tại mục 17" in str(problem) and "bị xóa hoặc bị sửa" in str(problem)


def test_an_altered_row_is_reported(signed: Session) -> None:
    _fill(signed, 12)
    tamper(signed, _sql("UPDATE event_log SET actor = 'mallory' WHERE seq = 8"))
    problem = _verify(signed).problem
    assert problem is not None and (problem.code, problem.seq) == ("altered", 8)
    assert str(problem) == "Mục 8 bị sửa: nội dung không khớp với mã băm đã ghi."


def test_altered_data_that_no_longer_parses_is_reported(signed: Session) -> None:
    _fill(signed, 12)
    tamper(signed, _sql('UPDATE event_log SET data = \'{"i": 1, "i": 2}\' WHERE seq = 3'))
    problem = _verify(signed).problem
    assert problem is not None and (problem.code, problem.seq) == ("unreadable", 3)


def test_swapped_rows_are_reported_as_reordered(signed: Session) -> None:
    _fill(signed, 12)
    tamper(
        signed,
        _sql("UPDATE event_log SET seq = 1000006 WHERE seq = 6"),
        _sql("UPDATE event_log SET seq = 6 WHERE seq = 7"),
        _sql("UPDATE event_log SET seq = 7 WHERE seq = 1000006"),
    )
    problem = _verify(signed).problem
    assert problem is not None
    assert (problem.code, problem.seq, problem.params) == ("reordered", 6, {"points_to": 7})


def test_a_rewritten_chain_is_caught_by_the_next_checkpoint(signed: Session) -> None:
    _fill(signed, 12)
    tamper(signed, *_rehash_from(signed, 7, {"actor": "mallory"}))
    # The chain alone now verifies: only the signature over entry 10 gives it away.
    assert events.verify_chain(signed) == 12
    problem = _verify(signed).problem
    assert problem is not None
    assert (problem.code, problem.seq, problem.params) == ("rewritten", 10, {"since": 6})


def test_a_rehashed_row_breaks_the_chain_after_it(signed: Session) -> None:
    _fill(signed, 12)
    statements = _rehash_from(signed, 7, {"actor": "mallory"})
    tamper(signed, statements[0])
    problem = _verify(signed).problem
    assert problem is not None and (problem.code, problem.seq) == ("broken", 8)


def test_a_forged_checkpoint_is_reported(signed: Session) -> None:
    _fill(signed, 12)
    entry = signed.get(Event, 12)
    assert entry is not None
    forger = Ed25519PrivateKey.generate()
    tamper(
        signed,
        _sql(
            "INSERT INTO event_checkpoints (seq, head, signature, public_key, kind, "
            "created_at, created_by) VALUES (12, :head, :sig, :key, 'on_demand', :at, 'x')",
            head=entry.entry_hash,
            sig=checkpoints.sign_checkpoint(forger, 12, entry.entry_hash),
            key=public_key_bytes(forger),
            at=datetime(2025, 6, 12, 1, 0),
        ),
    )
    problem = _verify(signed).problem
    assert problem is not None and (problem.code, problem.seq) == ("forged_checkpoint", 12)
    assert "bị giả mạo" in str(problem)


def test_an_altered_checkpoint_signature_is_a_forgery(signed: Session) -> None:
    _fill(signed, 12)
    tamper(signed, _sql("UPDATE event_checkpoints SET signature = :s WHERE seq = 5", s=bytes(64)))
    problem = _verify(signed).problem
    assert problem is not None and (problem.code, problem.seq) == ("forged_checkpoint", 5)


def test_a_deleted_checkpoint_is_missed(signed: Session) -> None:
    _fill(signed, 12)
    tamper(signed, _sql("DELETE FROM event_checkpoints WHERE seq = 10"))
    problem = _verify(signed).problem
    assert problem is not None
    assert (problem.code, problem.seq, problem.params) == (
        "missing_checkpoint",
        10,
        {"interval": 5},
    )


def test_a_log_cut_below_a_checkpoint_is_reported(signed: Session) -> None:
    _fill(signed, 12)
    tamper(signed, _sql("DELETE FROM event_log WHERE seq >= 8"))
    problem = _verify(signed).problem
    assert problem is not None
    assert (problem.code, problem.seq) == ("truncated", 8)
    assert problem.params == {"signed": 10, "last": 7}
    assert "các mục từ 8 đến 10 bị xóa" in str(problem)


def test_only_the_first_problem_is_reported(signed: Session) -> None:
    _fill(signed, 12)
    tamper(
        signed,
        _sql("UPDATE event_log SET actor = 'mallory' WHERE seq = 9"),
        _sql("DELETE FROM event_log WHERE seq = 4"),
    )
    problem = _verify(signed).problem
    assert problem is not None and (problem.code, problem.seq) == ("gap", 4)


def test_verify_log_needs_a_trusted_key(session: Session) -> None:
    from election.errors import InvalidState

    with pytest.raises(InvalidState):
        checkpoints.verify_log(session, [], interval=None)


# SQLite only: PostgreSQL's types refuse a time that is no time, so this tampering cannot
# happen there; SQLite stores any text.
@pytest.mark.parametrize("session", ["sqlite"], indirect=True)
def test_a_row_that_cannot_be_read_is_reported_with_its_position(signed: Session) -> None:
    _fill(signed, 12)
    tamper(signed, _sql("UPDATE event_log SET at = 'yesterday' WHERE seq = 9"))
    problem = _verify(signed).problem
    assert problem is not None and (problem.code, problem.seq) == ("unreadable", 9)

"""The append-only, hash-chained event log (docs/data-model.md, "Event log").

Each state change a service makes is written here in the same transaction, with the actor,
the role and the time. Entry ``seq`` is chained to the one before it::

    entry_hash = SHA-256(b"dh-vote/v1/event\\x00" || prev_hash || canonical_json(body))

``body`` is the JSON object ``entry_body`` builds from the entry's own fields; ``prev_hash``
is the previous entry's ``entry_hash``, or 32 zero bytes for the first entry. Plain
SHA-256 with its own prefix is used rather than ``crypto.H``, whose tags belong to the
ballot protocol. ``verify_chain`` recomputes every hash; ``checkpoints.verify_log`` also
checks the server key's signed checkpoints, which ``record`` writes every
``CHECKPOINT_INTERVAL`` entries when a signer is installed (``election.services.checkpoints``).

Appends are serialised: on PostgreSQL by a transaction-scoped advisory lock, on SQLite by
its single writer. ``seq`` is the primary key and ``prev_hash`` unique, so two appends that
raced anyway could not both commit.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from crypto import canonical_json
from election.errors import ChainBroken
from election.models import Congress, Event
from election.services.base import Actor

__all__ = ["EVENT_PREFIX", "GENESIS_HASH", "entry_body", "entry_hash", "record", "verify_chain"]

EVENT_PREFIX = b"dh-vote/v1/event\x00"
GENESIS_HASH = bytes(32)

#: Key of the PostgreSQL advisory lock taken while appending ("dhvote" in ASCII).
_ADVISORY_LOCK = 0x6468766F7465


def _time(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_body(
    *,
    seq: int,
    at: datetime,
    actor: str,
    role: str | None,
    action: str,
    object_type: str,
    object_id: str | None,
    congress: str | None,
    data: Mapping[str, Any],
) -> dict[str, Any]:
    """The JSON object an entry's hash covers (every field but the two hashes)."""
    return {
        "seq": seq,
        "at": _time(at),
        "actor": actor,
        "role": role,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "congress": congress,
        "data": dict(data),
    }


def entry_hash(prev_hash: bytes, body: Mapping[str, Any]) -> bytes:
    """SHA-256 over the prefix, the previous hash and the canonical JSON of ``body``."""
    return hashlib.sha256(EVENT_PREFIX + prev_hash + canonical_json(dict(body))).digest()


def record(
    db: Session,
    actor: Actor,
    action: str,
    obj: Any,
    *,
    now: datetime,
    congress: Congress | None = None,
    data: Mapping[str, Any] | None = None,
) -> Event:
    """Append one entry for ``action`` on ``obj`` (a model instance, flushed so it has an id).

    Does not commit: the entry belongs to the calling service's transaction, so it exists
    exactly when the change it describes does.
    """
    db.flush()
    if db.get_bind().dialect.name == "postgresql":
        db.execute(sa.select(sa.func.pg_advisory_xact_lock(_ADVISORY_LOCK)))
    last = db.execute(
        sa.select(Event.seq, Event.entry_hash).order_by(Event.seq.desc()).limit(1)
    ).first()
    seq, prev = (last.seq + 1, last.entry_hash) if last else (1, GENESIS_HASH)
    object_id = getattr(obj, "id", None)
    event = Event(
        seq=seq,
        at=now,
        actor=actor.username,
        role=actor.role.value if actor.role else None,
        action=action,
        object_type=type(obj).__tablename__,
        object_id=None if object_id is None else str(object_id),
        congress=congress.public_id if congress is not None else None,
        data=dict(data or {}),
        prev_hash=prev,
    )
    event.entry_hash = entry_hash(prev, _body_of(event))
    db.add(event)
    db.flush()
    # Every CHECKPOINT_INTERVAL entries the server key signs the head, in this transaction
    # (issue 7 item 5). Imported here: ``checkpoints`` imports this module.
    from election.services import checkpoints

    checkpoints.after_append(db, event, now=now)
    return event


def _body_of(event: Event) -> dict[str, Any]:
    return entry_body(
        seq=event.seq,
        at=event.at,
        actor=event.actor,
        role=event.role,
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        congress=event.congress,
        data=event.data,
    )


def verify_chain(db: Session) -> int:
    """Recompute the whole chain; return the number of entries or raise ``ChainBroken``."""
    prev = GENESIS_HASH
    count = 0
    for event in db.scalars(sa.select(Event).order_by(Event.seq)):
        count += 1
        if event.seq != count:
            raise ChainBroken(event.seq, f"expected sequence number {count}")
        if event.prev_hash != prev:
            raise ChainBroken(event.seq, "does not point at the previous entry")
        if entry_hash(prev, _body_of(event)) != event.entry_hash:
            raise ChainBroken(event.seq, "its hash does not match its content")
        prev = event.entry_hash
    return count

"""The append-only event log: every state change, who made it, in which role, when.

Entries form a hash chain (docs/data-model.md, "Event log"):

    entry_hash = SHA-256(b"dh-vote/v1/event\\x00" || prev_hash || canonical_json(entry))

where ``prev_hash`` is the previous entry's hash (32 zero bytes for the first entry) and
``entry`` the JSON object of the entry's fields (``election.services.events.entry_body``).
``seq`` is the primary key and ``prev_hash`` is unique, so the chain cannot fork; database
triggers refuse UPDATE and DELETE.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from election.models.base import Base, CanonicalJSON, byte_length

__all__ = ["Event"]

EVENT_HASH_SIZE = 32


class Event(Base):
    """One entry of the event log."""

    __tablename__ = "event_log"
    __table_args__ = (
        sa.CheckConstraint("seq > 0", name="seq_positive"),
        byte_length("prev_hash", EVENT_HASH_SIZE),
        byte_length("entry_hash", EVENT_HASH_SIZE),
    )

    #: 1, 2, 3 ... without gaps.
    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    at: Mapped[datetime]
    #: The username, or "system"/"cli:<user>" for actions outside a login.
    actor: Mapped[str] = mapped_column(sa.String(64))
    role: Mapped[str | None] = mapped_column(sa.String(32))
    #: What happened, e.g. "round.open".
    action: Mapped[str] = mapped_column(sa.String(64), index=True)
    object_type: Mapped[str] = mapped_column(sa.String(32))
    object_id: Mapped[str | None] = mapped_column(sa.String(64))
    #: The congress's public id, when the event belongs to one.
    congress: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    data: Mapped[dict[str, Any]] = mapped_column(CanonicalJSON)
    prev_hash: Mapped[bytes] = mapped_column(unique=True)
    entry_hash: Mapped[bytes] = mapped_column(unique=True)

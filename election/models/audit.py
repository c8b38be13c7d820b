"""The inspection commission's audit: signed checkpoints of the event log and the
verification runs of each round's election record (issue 7 items 3 and 5).

* ``event_checkpoints``: every ``CHECKPOINT_INTERVAL`` entries, and on demand, the server's
  Ed25519 key signs the log's sequence number and chain head
  (``election.services.checkpoints``). Append-only, like the log itself.
* ``verification_runs``: the independent verifier (V1-V11) run on a round's exported
  record, with the record's SHA-256, its progress and its report
  (``election.services.audit``).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from election.models.base import Base, CanonicalJSON, byte_length, enum_type

if TYPE_CHECKING:
    from election.models.rounds import Round

__all__ = ["CheckpointKind", "EventCheckpoint", "VerificationRun", "VerificationStatus"]


class CheckpointKind(StrEnum):
    #: Written by ``events.record`` with the entry whose number is a multiple of the interval.
    PERIODIC = "periodic"
    #: Asked for by the inspection commission (or ``dhvote``) at any entry.
    ON_DEMAND = "on_demand"


class VerificationStatus(StrEnum):
    #: Started; the verifier is reading or checking the record.
    RUNNING = "running"
    #: Every check V1-V11 passed.
    PASSED = "passed"
    #: At least one check failed or could not run.
    FAILED = "failed"
    #: The verifier could not run at all (the record file changed, the process stopped ...).
    ERROR = "error"


class EventCheckpoint(Base):
    """The server's signature over ``(seq, head)``: entry ``seq`` of the event log has the
    hash ``head``. ``signature`` is Ed25519 over
    ``b"dh-vote/v1/event-checkpoint\\x00" || seq (8 bytes, big-endian) || head``.
    """

    __tablename__ = "event_checkpoints"
    __table_args__ = (
        sa.CheckConstraint("seq > 0", name="seq_positive"),
        byte_length("head", 32),
        byte_length("signature", 64),
        byte_length("public_key", 32),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The log entry signed (``event_log.seq``); not a foreign key, so that a deleted entry
    #: leaves its checkpoint behind as evidence.
    seq: Mapped[int] = mapped_column(unique=True)
    #: ``event_log.entry_hash`` of entry ``seq`` when it was signed.
    head: Mapped[bytes]
    signature: Mapped[bytes]
    #: The key that signed (the verifier trusts the key file's, not this column).
    public_key: Mapped[bytes]
    kind: Mapped[CheckpointKind] = mapped_column(enum_type(CheckpointKind, "kind"))
    created_at: Mapped[datetime]
    #: Who asked for it: a username, or "system" for the periodic ones.
    created_by: Mapped[str] = mapped_column(sa.String(64))


class VerificationRun(Base):
    """One run of the verifier on one round's record, exported to a zip in the instance
    folder; the latest run of a round is its verification status."""

    __tablename__ = "verification_runs"
    __table_args__ = (
        byte_length("record_sha256", 32),
        byte_length("fingerprint", 32),
        sa.CheckConstraint("done >= 0 AND total >= 0", name="progress_non_negative"),
        sa.CheckConstraint(
            "(status = 'running') = (finished_at IS NULL)", name="finished_unless_running"
        ),
        sa.CheckConstraint(
            "status NOT IN ('passed', 'failed') OR report IS NOT NULL", name="finished_has_report"
        ),
        sa.CheckConstraint("status <> 'error' OR error IS NOT NULL", name="error_has_text"),
        sa.CheckConstraint(
            "finished_at IS NULL OR finished_at >= started_at", name="finished_after_started"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("rounds.id"), index=True)
    status: Mapped[VerificationStatus] = mapped_column(enum_type(VerificationStatus, "status"))
    #: The record's file name in the instance folder's ``records/`` directory.
    record_file: Mapped[str] = mapped_column(sa.String(255))
    #: SHA-256 of the zip's bytes: what was downloaded is what was verified.
    record_sha256: Mapped[bytes]
    #: The record's fingerprint as the minutes print it (``export.record_fingerprint``).
    fingerprint: Mapped[bytes]
    started_by: Mapped[str] = mapped_column(sa.String(64))
    started_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    started_at: Mapped[datetime]
    #: Last sign of life of the runner; a run silent for long was interrupted.
    heartbeat_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    #: Ballots checked so far and in all (check V4, the long one).
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    #: ``election.verifier.Report.to_json("vi")``.
    report: Mapped[dict[str, Any] | None] = mapped_column(CanonicalJSON)
    error: Mapped[str | None] = mapped_column(sa.Text)

    round: Mapped[Round] = relationship()

"""The counting board's key ceremony: guardians, their published commitments, the
encrypted share boxes, complaints and the public result (PROTOCOL.md section 4); and the
congress manifest fixed after it (docs/record-format.md section 3.2)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from election.models.base import Base, CanonicalJSON, byte_length, enum_type
from election.models.enums import CeremonyStatus, GuardianStatus

if TYPE_CHECKING:
    from election.models.accounts import User
    from election.models.congress import Congress
    from election.models.people import Member

__all__ = [
    "CeremonyComplaint",
    "CongressManifestSnapshot",
    "Guardian",
    "KeyCeremony",
    "ShareBox",
]

POINT_SIZE = 32


class KeyCeremony(Base):
    """One run of the key ceremony; a congress has at most one completed run.

    A completed ceremony has the joint key ``K`` and every guardian's public share ``K_j``
    (``public_shares``: ``{"1": hex, "2": hex, ...}``); a failed one is redone as a new row
    without the faulty guardian.
    """

    __tablename__ = "key_ceremonies"
    __table_args__ = (
        sa.CheckConstraint("threshold >= 1 AND threshold <= guardians", name="threshold_range"),
        sa.CheckConstraint(
            "(status = 'completed') = (joint_key IS NOT NULL AND public_shares IS NOT NULL"
            " AND completed_at IS NOT NULL)",
            name="completed_has_key",
        ),
        byte_length("joint_key", POINT_SIZE, nullable=True),
        sa.Index(
            "uq_key_ceremonies_completed_congress",
            "congress_id",
            unique=True,
            sqlite_where=sa.text("status = 'completed'"),
            postgresql_where=sa.text("status = 'completed'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    congress_id: Mapped[int] = mapped_column(sa.ForeignKey("congresses.id"))
    #: n, the number of guardians.
    guardians: Mapped[int]
    #: t, how many guardians must take part in a decryption.
    threshold: Mapped[int]
    status: Mapped[CeremonyStatus] = mapped_column(enum_type(CeremonyStatus, "status"))
    joint_key: Mapped[bytes | None]
    public_shares: Mapped[dict[str, Any] | None] = mapped_column(CanonicalJSON)
    started_at: Mapped[datetime]
    completed_at: Mapped[datetime | None]

    congress: Mapped[Congress] = relationship()
    members: Mapped[list[Guardian]] = relationship(
        back_populates="ceremony", order_by="Guardian.guardian_index"
    )


class Guardian(Base):
    """A counting-board member in one ceremony, with what they published."""

    __tablename__ = "guardians"
    __table_args__ = (
        sa.UniqueConstraint("ceremony_id", "guardian_index"),
        sa.UniqueConstraint("ceremony_id", "member_id"),
        sa.CheckConstraint("guardian_index > 0", name="guardian_index_positive"),
        # NULL passes this CHECK (SQL's three-valued logic): an invited guardian has not
        # published its key yet. The constraint text predates that and is kept as it is.
        byte_length("communication_key", POINT_SIZE),
        byte_length("signing_key", POINT_SIZE, nullable=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ceremony_id: Mapped[int] = mapped_column(sa.ForeignKey("key_ceremonies.id"))
    #: i, from 1.
    guardian_index: Mapped[int]
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id"), index=True)
    #: The account the guardian works from, when they have one.
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    #: P_i, the ECIES key shares are encrypted to; NULL until the guardian publishes it
    #: (status ``invited``).
    communication_key: Mapped[bytes | None]
    #: The Ed25519 key the member signs the minutes with (PROTOCOL.md section 9, V11).
    signing_key: Mapped[bytes | None]
    #: {"index": i, "commitments": [...], "proofs": [...]} once published.
    commitments: Mapped[dict[str, Any] | None] = mapped_column(CanonicalJSON)
    status: Mapped[GuardianStatus] = mapped_column(enum_type(GuardianStatus, "status"))

    ceremony: Mapped[KeyCeremony] = relationship(back_populates="members")
    member: Mapped[Member] = relationship()
    user: Mapped[User | None] = relationship()


class ShareBox(Base):
    """The share f_i(j) that guardian i sent to guardian j, in its ECIES box."""

    __tablename__ = "share_boxes"
    __table_args__ = (
        sa.UniqueConstraint("ceremony_id", "from_index", "to_index"),
        sa.CheckConstraint("from_index <> to_index", name="not_to_self"),
        sa.CheckConstraint("from_index > 0 AND to_index > 0", name="indexes_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ceremony_id: Mapped[int] = mapped_column(sa.ForeignKey("key_ceremonies.id"))
    from_index: Mapped[int]
    to_index: Mapped[int]
    #: {"E": hex, "nonce": hex, "ct": hex}.
    box: Mapped[dict[str, Any]] = mapped_column(CanonicalJSON)
    posted_at: Mapped[datetime]

    ceremony: Mapped[KeyCeremony] = relationship()


class CeremonyComplaint(Base):
    """Guardian ``complainant`` found that the share ``dealer`` sealed to it does not open or
    does not match the dealer's commitments (PROTOCOL.md section 4).

    A complaint stops the ceremony (its status becomes ``failed``); the counting board then
    starts a new run without the faulty member. The server cannot tell who is at fault (it
    never sees the share), so the complaint is published as it was made.
    """

    __tablename__ = "ceremony_complaints"
    __table_args__ = (
        sa.UniqueConstraint("ceremony_id", "complainant_index", "dealer_index"),
        sa.CheckConstraint("complainant_index <> dealer_index", name="not_against_self"),
        sa.CheckConstraint("complainant_index > 0 AND dealer_index > 0", name="indexes_positive"),
        sa.CheckConstraint("length(reason) BETWEEN 1 AND 2000", name="reason_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ceremony_id: Mapped[int] = mapped_column(sa.ForeignKey("key_ceremonies.id"), index=True)
    complainant_index: Mapped[int]
    dealer_index: Mapped[int]
    reason: Mapped[str] = mapped_column(sa.String(2000))
    posted_at: Mapped[datetime]

    ceremony: Mapped[KeyCeremony] = relationship()


class CongressManifestSnapshot(Base):
    """A congress manifest (docs/record-format.md section 3.2) exactly as it was hashed into
    a round manifest when that round opened.

    The manifest names things that may still change during a congress (the number of
    approved delegates); keeping the bytes each round was bound to lets the record of every
    round be exported later with the congress hash its ballots carry. Rows are never changed:
    a new manifest is a new row, found by its hash.
    """

    __tablename__ = "congress_manifests"
    __table_args__ = (
        sa.UniqueConstraint("congress_id", "manifest_hash"),
        byte_length("manifest_hash", 64),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    congress_id: Mapped[int] = mapped_column(sa.ForeignKey("congresses.id"))
    #: ``crypto.congress_hash(manifest)``.
    manifest_hash: Mapped[bytes]
    manifest: Mapped[dict[str, Any]] = mapped_column(CanonicalJSON)
    created_at: Mapped[datetime]

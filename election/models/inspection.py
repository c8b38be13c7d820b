"""The inspection commission's vetting and complaint cases (R-INSP-1..4)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from election.models.base import Base, enum_type
from election.models.enums import CaseCategory, CaseStatus

if TYPE_CHECKING:
    from election.models.congress import Congress
    from election.models.people import Member

__all__ = ["InspectionCase"]


class InspectionCase(Base):
    """A vetting file, complaint or denunciation about a person or about the election.

    The flags are the facts R-INSP-2 turns into "not to be handled": anonymous, false-name
    and jointly signed letters. A concluded or refused case states its outcome.
    """

    __tablename__ = "inspection_cases"
    __table_args__ = (
        sa.CheckConstraint("signers >= 0", name="signers_non_negative"),
        sa.CheckConstraint(
            "status NOT IN ('concluded', 'not_handled', 'referred') OR outcome IS NOT NULL",
            name="closed_has_outcome",
        ),
        sa.CheckConstraint(
            "closed_at IS NULL OR closed_at >= received_at", name="closed_after_received"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    congress_id: Mapped[int] = mapped_column(sa.ForeignKey("congresses.id"), index=True)
    #: The person concerned, when the case is about one person on the roster.
    subject_member_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id"))
    #: What the case is about, in words (always set, also when a member is named).
    subject: Mapped[str] = mapped_column(sa.Text)
    category: Mapped[CaseCategory] = mapped_column(enum_type(CaseCategory, "category"))
    anonymous: Mapped[bool] = mapped_column(default=False)
    false_name: Mapped[bool] = mapped_column(default=False)
    jointly_signed: Mapped[bool] = mapped_column(default=False)
    #: How many people signed (0 when anonymous).
    signers: Mapped[int] = mapped_column(default=1)
    status: Mapped[CaseStatus] = mapped_column(enum_type(CaseStatus, "status"))
    outcome: Mapped[str | None] = mapped_column(sa.Text)
    received_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    congress: Mapped[Congress] = relationship()
    subject_member: Mapped[Member | None] = relationship()

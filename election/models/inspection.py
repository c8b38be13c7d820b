"""The inspection commission's register of cases: vetting files, complaints, denunciations
and petitions (R-INSP-1..4).

A case concerns a person on the roster or the election itself. The flags are the facts that
R-INSP-2 (and the commission's remit, R-INSP-1, and the complaint period, R-INSP-4) turn
into "not to be handled"; ``not_handled_reasons`` lists which ones applied. A case still
open against a candidate blocks the candidate list until the presidium records a decision
to proceed (``proceed_*``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from election.models.base import Base, CanonicalJSON, enum_type
from election.models.enums import CaseCategory, CaseStatus

if TYPE_CHECKING:
    from election.models.congress import Congress
    from election.models.people import Member

__all__ = ["InspectionCase"]


def _flag() -> Mapped[bool]:
    # A server default as well, so that migration 0003 could add the column to a table
    # that already holds cases.
    return mapped_column(default=False, server_default=sa.false())


class InspectionCase(Base):
    """A vetting file, complaint, denunciation or petition about a person or the election.

    The flags are the facts R-INSP-2 turns into "not to be handled": anonymous, false-name
    and jointly signed letters, repeats of a concluded case without new evidence; and
    matters outside the commission's remit (R-INSP-1), complaints about the election after
    the period of R-INSP-4 (``out_of_time``). A concluded or refused case states its
    outcome.
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
        sa.CheckConstraint(
            "not_handled_reasons IS NULL OR status = 'not_handled'",
            name="reasons_only_when_not_handled",
        ),
        sa.CheckConstraint(
            "(proceed_at IS NULL) = (proceed_reason IS NULL)", name="proceed_has_reason"
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
    #: The earlier case this letter repeats (R-INSP-2: a repeat of a concluded case without
    #: new evidence is not handled).
    repeat_of_id: Mapped[int | None] = mapped_column(sa.ForeignKey("inspection_cases.id"))
    #: The repeat brings new evidence that could change the conclusion.
    new_evidence: Mapped[bool] = _flag()
    #: Not within the commission's remit (R-INSP-1): passed on, not handled here.
    outside_remit: Mapped[bool] = _flag()
    #: A complaint about the election itself (R-INSP-4), rather than about a person.
    about_election: Mapped[bool] = _flag()
    #: Received after ``deadline`` (R-INSP-4).
    out_of_time: Mapped[bool] = _flag()
    #: The last day a complaint about the election is accepted (the congress's closing day
    #: plus the period in working days), when the congress had closed.
    deadline: Mapped[date | None]
    #: Why the case is not handled: reason codes (``election.services.inspection.REASONS``).
    not_handled_reasons: Mapped[list[str] | None] = mapped_column(CanonicalJSON)
    status: Mapped[CaseStatus] = mapped_column(enum_type(CaseStatus, "status"))
    outcome: Mapped[str | None] = mapped_column(sa.Text)
    received_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    #: The presidium's decision to let the list go ahead while this case is open.
    proceed_reason: Mapped[str | None] = mapped_column(sa.Text)
    proceed_at: Mapped[datetime | None]
    proceed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    congress: Mapped[Congress] = relationship()
    subject_member: Mapped[Member | None] = relationship()
    repeat_of: Mapped[InspectionCase | None] = relationship(remote_side=[id])

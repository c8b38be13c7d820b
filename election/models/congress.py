"""The congress and its structure: bodies, sessions, positions and contests."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from election.models.base import Base, enum_type
from election.models.enums import (
    BodyKind,
    BodyRole,
    CongressKind,
    PercentRounding,
    Post,
    RulesProfileId,
    SessionKind,
)

if TYPE_CHECKING:
    from election.models.people import Member
    from election.models.rounds import Round

__all__ = ["Body", "BodyMember", "Congress", "CongressSession", "Contest", "Position"]


class Congress(Base):
    """One congress (đại hội) of one party organization for one term.

    ``public_id`` is the string the protocol calls ``congress_id``: it is hashed into every
    credential seed, guardian proof and manifest, so it never changes once set. The
    ``quorum_fraction`` and ``percent_*`` columns override the rules profile's settings when
    not NULL (``election.services.congress.congress_profile``).
    """

    __tablename__ = "congresses"
    __table_args__ = (
        sa.CheckConstraint("length(public_id) BETWEEN 1 AND 64", name="public_id_length"),
        sa.CheckConstraint("ordinal > 0", name="ordinal_positive"),
        sa.CheckConstraint(
            "percent_decimals IS NULL OR percent_decimals BETWEEN 0 AND 6",
            name="percent_decimals_range",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: Tên tổ chức đảng, e.g. "Đảng bộ Sở Tư pháp tỉnh ...".
    organization: Mapped[str] = mapped_column(sa.String(255))
    #: Đại hội lần thứ ...
    ordinal: Mapped[int]
    #: Nhiệm kỳ, e.g. "2025–2030".
    term: Mapped[str] = mapped_column(sa.String(32))
    kind: Mapped[CongressKind] = mapped_column(enum_type(CongressKind, "kind"))
    rules_profile: Mapped[RulesProfileId] = mapped_column(
        enum_type(RulesProfileId, "rules_profile")
    )
    place: Mapped[str | None] = mapped_column(sa.String(255))
    opens_on: Mapped[date | None]
    #: Override of the profile's quorum fraction (R-QUORUM-1), as text such as "2/3".
    quorum_fraction: Mapped[str | None] = mapped_column(sa.String(16))
    #: Override of the profile's percentage display rule (R-RESULT-9).
    percent_rounding: Mapped[PercentRounding | None] = mapped_column(
        enum_type(PercentRounding, "percent_rounding")
    )
    percent_decimals: Mapped[int | None]
    created_at: Mapped[datetime]

    bodies: Mapped[list[Body]] = relationship(back_populates="congress", order_by="Body.id")
    sessions: Mapped[list[CongressSession]] = relationship(
        back_populates="congress", order_by="CongressSession.number"
    )
    positions: Mapped[list[Position]] = relationship(
        back_populates="congress", order_by="Position.id"
    )
    contests: Mapped[list[Contest]] = relationship(
        back_populates="congress", order_by="Contest.agenda_order"
    )
    members: Mapped[list[Member]] = relationship(back_populates="congress", order_by="Member.id")

    def __repr__(self) -> str:
        return f"<Congress {self.public_id}>"


class Body(Base):
    """A body of the congress: a committee, a board, a delegation.

    A body may be the electorate of a later contest: the new executive committee's first
    session elects the inspection commission (``Contest.electorate``).
    """

    __tablename__ = "bodies"
    __table_args__ = (sa.UniqueConstraint("congress_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    congress_id: Mapped[int] = mapped_column(sa.ForeignKey("congresses.id"), index=True)
    #: Short reference used by definition files and the CLI, unique in the congress.
    code: Mapped[str] = mapped_column(sa.String(64))
    kind: Mapped[BodyKind] = mapped_column(enum_type(BodyKind, "kind"))
    #: Vietnamese display name, e.g. "Ban Chấp hành Đảng bộ khóa V".
    name: Mapped[str] = mapped_column(sa.String(255))

    congress: Mapped[Congress] = relationship(back_populates="bodies")
    memberships: Mapped[list[BodyMember]] = relationship(
        back_populates="body", order_by="BodyMember.id"
    )

    def __repr__(self) -> str:
        return f"<Body {self.code}>"


class BodyMember(Base):
    """A person's seat in a body; ``source_round`` is the round that elected them, if any."""

    __tablename__ = "body_members"
    __table_args__ = (sa.UniqueConstraint("body_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(sa.ForeignKey("bodies.id"))
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id"), index=True)
    role: Mapped[BodyRole] = mapped_column(enum_type(BodyRole, "role"))
    source_round_id: Mapped[int | None] = mapped_column(sa.ForeignKey("rounds.id"))
    added_at: Mapped[datetime]

    body: Mapped[Body] = relationship(back_populates="memberships")
    member: Mapped[Member] = relationship()


class CongressSession(Base):
    """A sitting: a plenary session of the congress, or a session of one body.

    Attendance is recorded per session; a round is held in one session, whose attendance
    decides who is checked in for it.
    """

    __tablename__ = "congress_sessions"
    __table_args__ = (
        sa.UniqueConstraint("congress_id", "number"),
        sa.CheckConstraint("number > 0", name="number_positive"),
        sa.CheckConstraint(
            "(kind = 'committee_session') = (body_id IS NOT NULL)", name="body_iff_committee"
        ),
        sa.CheckConstraint(
            "closed_at IS NULL OR (opened_at IS NOT NULL AND closed_at >= opened_at)",
            name="closed_after_opened",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    congress_id: Mapped[int] = mapped_column(sa.ForeignKey("congresses.id"))
    number: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(255))
    kind: Mapped[SessionKind] = mapped_column(enum_type(SessionKind, "kind"))
    #: The body that meets, for a committee session.
    body_id: Mapped[int | None] = mapped_column(sa.ForeignKey("bodies.id"))
    scheduled_at: Mapped[datetime | None]
    opened_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]

    congress: Mapped[Congress] = relationship(back_populates="sessions")
    body: Mapped[Body | None] = relationship()


class Position(Base):
    """Something filled by election: seats in a body, or an office in it.

    ``body`` is the body the position belongs to and ``body_role`` what the elected become
    in it: ordinary members (the committee's 9 seats) or its head or deputy (the secretary is
    the head of the executive committee). ``chosen_from`` is the body the candidates must
    belong to (R-DIRECT-2: the standing committee is chosen from the new committee).
    """

    __tablename__ = "positions"
    __table_args__ = (
        sa.UniqueConstraint("congress_id", "code"),
        sa.CheckConstraint("seats > 0", name="seats_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    congress_id: Mapped[int] = mapped_column(sa.ForeignKey("congresses.id"))
    code: Mapped[str] = mapped_column(sa.String(64))
    title: Mapped[str] = mapped_column(sa.String(255))
    post: Mapped[Post] = mapped_column(enum_type(Post, "post"))
    seats: Mapped[int]
    body_id: Mapped[int] = mapped_column(sa.ForeignKey("bodies.id"))
    body_role: Mapped[BodyRole] = mapped_column(enum_type(BodyRole, "body_role"))
    chosen_from_id: Mapped[int | None] = mapped_column(sa.ForeignKey("bodies.id"))

    congress: Mapped[Congress] = relationship(back_populates="positions")
    body: Mapped[Body] = relationship(foreign_keys=[body_id])
    chosen_from: Mapped[Body | None] = relationship(foreign_keys=[chosen_from_id])


class Contest(Base):
    """The election of one position by one electorate, at its place in the agenda.

    ``electorate`` NULL means the congress itself (its official members or delegates);
    otherwise the members of that body vote, in a committee session. ``direct`` marks the
    pilot in which the congress elects the standing committee, secretary or deputy directly
    (R-DIRECT-1). ``list_owner`` is the body that drew up the official list (the convening
    committee at a congress, R-LIST-5).
    """

    __tablename__ = "contests"
    __table_args__ = (
        sa.UniqueConstraint("congress_id", "code"),
        sa.UniqueConstraint("congress_id", "agenda_order"),
        sa.CheckConstraint("agenda_order > 0", name="agenda_order_positive"),
        sa.CheckConstraint("NOT direct OR electorate_id IS NULL", name="direct_by_congress"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    congress_id: Mapped[int] = mapped_column(sa.ForeignKey("congresses.id"))
    code: Mapped[str] = mapped_column(sa.String(64))
    position_id: Mapped[int] = mapped_column(sa.ForeignKey("positions.id"), index=True)
    electorate_id: Mapped[int | None] = mapped_column(sa.ForeignKey("bodies.id"))
    list_owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("bodies.id"))
    agenda_order: Mapped[int]
    direct: Mapped[bool] = mapped_column(default=False)

    congress: Mapped[Congress] = relationship(back_populates="contests")
    position: Mapped[Position] = relationship()
    electorate: Mapped[Body | None] = relationship(foreign_keys=[electorate_id])
    list_owner: Mapped[Body | None] = relationship(foreign_keys=[list_owner_id])
    rounds: Mapped[list[Round]] = relationship(back_populates="contest", order_by="Round.number")

    def __repr__(self) -> str:
        return f"<Contest {self.code}>"

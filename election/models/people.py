"""People: the roster of members or delegates, attendance, credentials review and the
public voting credentials."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from election.models.base import Base, byte_length, enum_type
from election.models.enums import CredentialStatus, DelegateKind, Gender, Membership

if TYPE_CHECKING:
    from election.models.accounts import User
    from election.models.congress import Congress, CongressSession

__all__ = ["Attendance", "CredentialReview", "Member", "VotingCredential"]

#: Size of a public credential Y, an Ed25519 public key (docs/protocol.md section 7).
PUBLIC_KEY_SIZE = 32


class Member(Base):
    """One person on the congress roster: a party member (members' congress) or a convened
    delegate (delegates' congress), with the facts the majority base depends on (R-RESULT-2/3).

    The name is kept whole and in its three parts so that lists sort in A-B-C order by given
    name, then family name, then middle name (R-LIST-10).
    """

    __tablename__ = "members"
    __table_args__ = (
        sa.UniqueConstraint("congress_id", "code"),
        sa.CheckConstraint("length(full_name) > 0", name="full_name_present"),
        sa.CheckConstraint("length(given_name) > 0", name="given_name_present"),
        sa.CheckConstraint("length(family_name) > 0", name="family_name_present"),
        sa.CheckConstraint("birth_year BETWEEN 1900 AND 2100", name="birth_year_range"),
        sa.CheckConstraint(
            "NOT absence_excused OR absence_reason IS NOT NULL", name="excused_has_reason"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    congress_id: Mapped[int] = mapped_column(sa.ForeignKey("congresses.id"))
    #: The roster's own identifier (e.g. the party card number or "DV001").
    code: Mapped[str] = mapped_column(sa.String(32))
    full_name: Mapped[str] = mapped_column(sa.String(255))
    #: Họ.
    family_name: Mapped[str] = mapped_column(sa.String(64))
    #: Tên đệm (may be empty).
    middle_name: Mapped[str] = mapped_column(sa.String(128))
    #: Tên: the first sort key of the A-B-C order.
    given_name: Mapped[str] = mapped_column(sa.String(64))
    birth_year: Mapped[int]
    gender: Mapped[Gender] = mapped_column(enum_type(Gender, "gender"))
    #: Chi bộ.
    party_cell: Mapped[str | None] = mapped_column(sa.String(255))
    #: Đơn vị công tác / chức vụ: shown next to the name to tell people apart.
    unit: Mapped[str | None] = mapped_column(sa.String(255))
    membership: Mapped[Membership] = mapped_column(enum_type(Membership, "membership"))
    #: At a delegates' congress only; NULL at a members' congress.
    delegate_kind: Mapped[DelegateKind | None] = mapped_column(
        enum_type(DelegateKind, "delegate_kind")
    )
    #: Introduced for temporary activity in another organization (R-RESULT-2).
    temporary_activity_elsewhere: Mapped[bool] = mapped_column(default=False)
    #: Exempted from work and party activity (miễn công tác và sinh hoạt đảng).
    exempted: Mapped[bool] = mapped_column(default=False)
    #: Suspended from party activity (đình chỉ sinh hoạt).
    suspended: Mapped[bool] = mapped_column(default=False)
    #: Prosecuted, indicted or detained (khởi tố, truy tố, tạm giam).
    prosecuted: Mapped[bool] = mapped_column(default=False)
    #: Excused by the convening committee for the whole congress (R-RESULT-2).
    absence_excused: Mapped[bool] = mapped_column(default=False)
    absence_reason: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime]

    congress: Mapped[Congress] = relationship(back_populates="members")
    review: Mapped[CredentialReview | None] = relationship(back_populates="member")
    credentials: Mapped[list[VotingCredential]] = relationship(
        back_populates="member", order_by="VotingCredential.id"
    )
    #: As an alternate: the replacement that seats them in an official's place (R-DELEG-1).
    seated_for: Mapped[DelegateReplacement | None] = relationship(
        foreign_keys="DelegateReplacement.alternate_id", viewonly=True
    )
    #: As an official delegate: the replacement that gave their seat to an alternate.
    replaced_by: Mapped[DelegateReplacement | None] = relationship(
        foreign_keys="DelegateReplacement.official_id", viewonly=True
    )

    def __repr__(self) -> str:
        return f"<Member {self.code} {self.full_name}>"


class Attendance(Base):
    """Whether a person was present at one session, who recorded it and when.

    An absence carries its reason (R-RESULT-2 distinguishes an excused whole-congress
    absence; R-RESULT-3 counts only whole-congress absences). A correction updates the row;
    the event log keeps every version.
    """

    __tablename__ = "attendance"
    __table_args__ = (
        sa.UniqueConstraint("session_id", "member_id"),
        sa.CheckConstraint("present OR absence_reason IS NOT NULL", name="absence_has_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("congress_sessions.id"))
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id"), index=True)
    present: Mapped[bool]
    absence_reason: Mapped[str | None] = mapped_column(sa.Text)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime]

    session: Mapped[CongressSession] = relationship()
    member: Mapped[Member] = relationship()
    recorded_by: Mapped[User | None] = relationship()


class DelegateReplacement(Base):
    """An alternate delegate seated in place of an absent official delegate (R-DELEG-1,
    R-HIGHER-4), at a delegates' congress, as the convening committee decided.

    From then on the alternate is on the roster and votes in the official's place, and the
    official is off it (``election.services.eligibility``). Each person is in at most one
    replacement; the row is never changed (a mistaken one is a matter for the record and the
    inspection commission, not an edit).
    """

    __tablename__ = "delegate_replacements"
    __table_args__ = (
        sa.CheckConstraint("official_id <> alternate_id", name="two_people"),
        sa.CheckConstraint("length(decision) > 0", name="decision_present"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    congress_id: Mapped[int] = mapped_column(sa.ForeignKey("congresses.id"))
    official_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id"), unique=True)
    alternate_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id"), unique=True)
    #: The decision it carries out (who decided, its number or date) and why.
    decision: Mapped[str] = mapped_column(sa.Text)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime]

    official: Mapped[Member] = relationship(foreign_keys=[official_id])
    alternate: Mapped[Member] = relationship(foreign_keys=[alternate_id])
    recorded_by: Mapped[User | None] = relationship()


class CredentialReview(Base):
    """The credentials board's conclusion on one person (R-CRED-1, R-DELEG-3).

    Only a recognised person gets a voting credential and is eligible; a person not
    recognised is left out of N at a delegates' congress. One row per person: a new
    conclusion replaces the old one, and the event log keeps both.
    """

    __tablename__ = "credential_reviews"
    __table_args__ = (
        sa.CheckConstraint("recognised OR reason IS NOT NULL", name="refusal_has_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id"), unique=True)
    recognised: Mapped[bool]
    reason: Mapped[str | None] = mapped_column(sa.Text)
    reviewed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    reviewed_at: Mapped[datetime]

    member: Mapped[Member] = relationship(back_populates="review")
    reviewed_by: Mapped[User | None] = relationship()


class VotingCredential(Base):
    """A public voting credential ``Y`` (32 bytes), issued to one person.

    Only the public key is stored: the credential secret is generated on the credentials
    desk's device and printed on the badge, and never reaches the server (PROTOCOL.md
    section 5). A key is unique within a congress; a person holds at most one active
    credential (a partial unique index), and a lost badge is revoked with a reason and
    replaced by a new credential that points back at it (``replaces``).
    """

    __tablename__ = "voting_credentials"
    __table_args__ = (
        sa.UniqueConstraint("congress_id", "public_key"),
        byte_length("public_key", PUBLIC_KEY_SIZE),
        sa.CheckConstraint(
            "(status = 'active' AND revoked_at IS NULL AND revoke_reason IS NULL)"
            " OR (status = 'revoked' AND revoked_at IS NOT NULL AND revoke_reason IS NOT NULL)",
            name="revocation_complete",
        ),
        sa.CheckConstraint(
            "revoked_at IS NULL OR revoked_at >= issued_at", name="revoked_after_issued"
        ),
        sa.Index(
            "uq_voting_credentials_active_member",
            "member_id",
            unique=True,
            sqlite_where=sa.text("status = 'active'"),
            postgresql_where=sa.text("status = 'active'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    congress_id: Mapped[int] = mapped_column(sa.ForeignKey("congresses.id"))
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id"))
    public_key: Mapped[bytes]
    status: Mapped[CredentialStatus] = mapped_column(enum_type(CredentialStatus, "status"))
    issued_at: Mapped[datetime]
    issued_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    revoke_reason: Mapped[str | None] = mapped_column(sa.Text)
    #: The revoked credential this one replaces (a lost or damaged badge).
    replaces_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("voting_credentials.id"), unique=True
    )

    member: Mapped[Member] = relationship(back_populates="credentials")
    replaces: Mapped[VotingCredential | None] = relationship(remote_side=[id])

    def __repr__(self) -> str:
        return f"<VotingCredential {self.public_key.hex()[:12]}… {self.status.value}>"

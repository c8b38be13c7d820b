"""Rounds and what leads to them: nominations, withdrawals, candidates and open votes."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from election.models.base import Base, CanonicalJSON, byte_length, enum_type
from election.models.enums import (
    CandidateSource,
    FormKind,
    Matter,
    Motion,
    NominationStatus,
    RoundKind,
    RoundState,
)

if TYPE_CHECKING:
    from election.models.board import Result
    from election.models.congress import Congress, CongressSession, Contest
    from election.models.people import Member, VotingCredential

__all__ = [
    "Nomination",
    "OpenVote",
    "Round",
    "RoundCandidate",
    "RoundEligibility",
    "Withdrawal",
]

#: Size of H outputs (round hash h_R, eligible-list hash): SHA-512, docs/protocol.md 3.
HASH_SIZE = 64

_OPENED = "'open', 'closed', 'tallied', 'decrypted', 'announced', 'approved', 'annulled'"
_CLOSED = "'closed', 'tallied', 'decrypted', 'announced', 'approved'"


class Round(Base):
    """One ballot of a contest (bầu lần thứ ...).

    A draft round has candidates and a form but nothing frozen. Opening it freezes the
    eligible credential list (``eligibility``) and stores its hash, the round manifest and
    the round hash ``h_R``; the CHECK constraints keep those four together. A round after
    the first needs the open-vote decision that allowed it (R-RESULT-8).
    """

    __tablename__ = "rounds"
    __table_args__ = (
        sa.UniqueConstraint("contest_id", "number"),
        sa.CheckConstraint("number > 0", name="number_positive"),
        sa.CheckConstraint("seats > 0", name="seats_positive"),
        sa.CheckConstraint("number = 1 OR decision_id IS NOT NULL", name="further_has_decision"),
        sa.CheckConstraint(
            "(state = 'draft' AND opened_at IS NULL AND manifest IS NULL AND round_hash IS NULL"
            " AND eligible_list_hash IS NULL AND eligible_count IS NULL AND majority_base IS NULL)"
            f" OR (state IN ({_OPENED}) AND opened_at IS NOT NULL AND manifest IS NOT NULL"
            " AND round_hash IS NOT NULL AND eligible_list_hash IS NOT NULL"
            " AND eligible_count IS NOT NULL AND majority_base IS NOT NULL)",
            name="frozen_when_opened",
        ),
        sa.CheckConstraint(
            f"state NOT IN ({_CLOSED}) OR closed_at IS NOT NULL", name="closed_has_time"
        ),
        sa.CheckConstraint(
            "(state = 'annulled') = (annul_reason IS NOT NULL)", name="annulled_has_reason"
        ),
        sa.CheckConstraint("eligible_count IS NULL OR eligible_count > 0", name="eligible_count"),
        byte_length("round_hash", HASH_SIZE, nullable=True),
        byte_length("eligible_list_hash", HASH_SIZE, nullable=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(sa.ForeignKey("contests.id"))
    number: Mapped[int]
    kind: Mapped[RoundKind] = mapped_column(enum_type(RoundKind, "kind"))
    state: Mapped[RoundState] = mapped_column(enum_type(RoundState, "state"))
    #: Seats filled by this round (fewer than the position's in a further round).
    seats: Mapped[int]
    form_kind: Mapped[FormKind] = mapped_column(enum_type(FormKind, "form_kind"))
    #: Winners need 2*votes > N (always, except a tie-break when the profile says otherwise).
    requires_majority: Mapped[bool] = mapped_column(default=True)
    #: The session the round is held in; its attendance decides who is checked in.
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("congress_sessions.id"))
    #: The open vote that allowed this further round (R-RESULT-8).
    decision_id: Mapped[int | None] = mapped_column(sa.ForeignKey("open_votes.id"))
    eligible_count: Mapped[int | None]
    #: The majority base N when the round opened, itemised (R-RESULT-2/3/4).
    majority_base: Mapped[dict[str, Any] | None] = mapped_column(CanonicalJSON)
    #: H("dh-vote/v1/credential-list", sorted Y...) of the frozen eligible list.
    eligible_list_hash: Mapped[bytes | None]
    #: The round manifest (docs/data-model.md), stored as canonical JSON.
    manifest: Mapped[dict[str, Any] | None] = mapped_column(CanonicalJSON)
    #: h_R = crypto.round_hash(manifest).
    round_hash: Mapped[bytes | None] = mapped_column(unique=True)
    annul_reason: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime]
    opened_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    tallied_at: Mapped[datetime | None]
    decrypted_at: Mapped[datetime | None]
    announced_at: Mapped[datetime | None]
    #: When it was approved or annulled.
    concluded_at: Mapped[datetime | None]

    contest: Mapped[Contest] = relationship(back_populates="rounds")
    session: Mapped[CongressSession] = relationship()
    decision: Mapped[OpenVote | None] = relationship()
    candidates: Mapped[list[RoundCandidate]] = relationship(
        back_populates="round", order_by="RoundCandidate.ballot_order", cascade="all, delete-orphan"
    )
    eligibility: Mapped[list[RoundEligibility]] = relationship(back_populates="round")
    result: Mapped[Result | None] = relationship(back_populates="round")

    def __repr__(self) -> str:
        return f"<Round {self.contest_id}#{self.number} {self.state.value}>"


class RoundEligibility(Base):
    """One credential of a round's frozen eligible list (written once, when it opens)."""

    __tablename__ = "round_eligibility"

    round_id: Mapped[int] = mapped_column(sa.ForeignKey("rounds.id"), primary_key=True)
    credential_id: Mapped[int] = mapped_column(
        sa.ForeignKey("voting_credentials.id"), primary_key=True, index=True
    )

    round: Mapped[Round] = relationship(back_populates="eligibility")
    credential: Mapped[VotingCredential] = relationship()


class RoundCandidate(Base):
    """A name on one round's ballot, at its place in the A-B-C order (R-LIST-10)."""

    __tablename__ = "round_candidates"
    __table_args__ = (
        sa.UniqueConstraint("round_id", "member_id"),
        sa.UniqueConstraint("round_id", "ballot_order"),
        sa.CheckConstraint("ballot_order > 0", name="ballot_order_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("rounds.id"))
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id"), index=True)
    #: 1-based place on the ballot.
    ballot_order: Mapped[int]
    source: Mapped[CandidateSource] = mapped_column(enum_type(CandidateSource, "source"))
    nomination_id: Mapped[int | None] = mapped_column(sa.ForeignKey("nominations.id"))

    round: Mapped[Round] = relationship(back_populates="candidates")
    member: Mapped[Member] = relationship()
    nomination: Mapped[Nomination | None] = relationship()


class Nomination(Base):
    """A name proposed for a contest: on the convening committee's list, or from the floor.

    A floor nomination names its nominator; floor and self nominations carry the result of
    the opinion ballot of the attendees (R-LIST-3) once it is held.
    """

    __tablename__ = "nominations"
    __table_args__ = (
        sa.UniqueConstraint("contest_id", "member_id"),
        sa.CheckConstraint(
            "(source = 'floor') = (nominator_id IS NOT NULL)", name="floor_has_nominator"
        ),
        sa.CheckConstraint(
            "nominator_id IS NULL OR nominator_id <> member_id", name="not_self_as_nominator"
        ),
        sa.CheckConstraint(
            "(opinion_agree IS NULL AND opinion_attending IS NULL)"
            " OR (source <> 'official' AND opinion_attending > 0"
            " AND opinion_agree BETWEEN 0 AND opinion_attending)",
            name="opinion_ballot_counts",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(sa.ForeignKey("contests.id"))
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id"), index=True)
    source: Mapped[CandidateSource] = mapped_column(enum_type(CandidateSource, "source"))
    nominator_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id"))
    opinion_agree: Mapped[int | None]
    opinion_attending: Mapped[int | None]
    status: Mapped[NominationStatus] = mapped_column(enum_type(NominationStatus, "status"))
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime]

    contest: Mapped[Contest] = relationship()
    member: Mapped[Member] = relationship(foreign_keys=[member_id])
    nominator: Mapped[Member | None] = relationship(foreign_keys=[nominator_id])


class Withdrawal(Base):
    """A request to leave the list and the congress's decision on it (R-LIST-8)."""

    __tablename__ = "withdrawals"

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(sa.ForeignKey("nominations.id"), index=True)
    reason: Mapped[str] = mapped_column(sa.Text)
    #: The open vote in which the congress decided (show of hands).
    decision_id: Mapped[int] = mapped_column(sa.ForeignKey("open_votes.id"))
    allowed: Mapped[bool]
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime]

    nomination: Mapped[Nomination] = relationship()
    decision: Mapped[OpenVote] = relationship()


class OpenVote(Base):
    """An open vote (biểu quyết: show of hands or party card), counts only (R-FORM-2).

    ``object_type``/``object_id`` point at what was decided (a round, a nomination, a
    contest). The motion is carried with more than half of N agreeing, ``2*agree > base_n``
    (Điều lệ Điều 9; ``election.rules.decision_carried``); a CHECK keeps ``carried`` true
    to that arithmetic.
    """

    __tablename__ = "open_votes"
    __table_args__ = (
        sa.CheckConstraint("present > 0", name="present_positive"),
        sa.CheckConstraint(
            "agree >= 0 AND disagree >= 0 AND abstain >= 0", name="counts_non_negative"
        ),
        sa.CheckConstraint("agree + disagree + abstain <= present", name="counts_within_present"),
        sa.CheckConstraint("base_n > 0", name="base_n_positive"),
        sa.CheckConstraint("carried = (2 * agree > base_n)", name="carried_by_majority"),
        sa.CheckConstraint(
            "(object_type IS NULL) = (object_id IS NULL)", name="object_reference_complete"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    congress_id: Mapped[int] = mapped_column(sa.ForeignKey("congresses.id"), index=True)
    session_id: Mapped[int | None] = mapped_column(sa.ForeignKey("congress_sessions.id"))
    subject: Mapped[Matter] = mapped_column(enum_type(Matter, "subject"))
    question: Mapped[str] = mapped_column(sa.Text)
    object_type: Mapped[str | None] = mapped_column(sa.String(32))
    object_id: Mapped[int | None]
    #: For a decision after an unfinished round: vote again, with or without new names, or stop.
    motion: Mapped[Motion | None] = mapped_column(enum_type(Motion, "motion"))
    present: Mapped[int]
    agree: Mapped[int]
    disagree: Mapped[int]
    abstain: Mapped[int]
    #: The majority base N the motion was measured against.
    base_n: Mapped[int]
    carried: Mapped[bool]
    decided_at: Mapped[datetime]
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    congress: Mapped[Congress] = relationship()

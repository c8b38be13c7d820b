"""The bulletin board and what follows it: audited ballots, tallies, decryption shares and
results (PROTOCOL.md sections 7-9)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from election.models.base import Base, CanonicalJSON, byte_length, enum_type
from election.models.enums import CandidateOutcome, ResultState, RoundOutcome

if TYPE_CHECKING:
    from election.models.ceremony import Guardian
    from election.models.people import VotingCredential
    from election.models.rounds import Round, RoundCandidate

__all__ = [
    "AuditedBallot",
    "BallotComponent",
    "BoardEntry",
    "CandidateResult",
    "DecryptionShare",
    "MinutesSignature",
    "Result",
    "TallyCounter",
]

#: SHA-256 ballot hash h_B (docs/protocol.md section 8).
BALLOT_HASH_SIZE = 32
#: H output: the board chain h_i (docs/protocol.md section 11).
CHAIN_HASH_SIZE = 64
SIGNATURE_SIZE = 64
POINT_SIZE = 32


class BoardEntry(Base):
    """One cast ballot on the public board, at its position in the hash chain.

    One ballot per credential per round, one entry per chain position and no ballot twice:
    the three unique constraints are what the ballot box's single transaction relies on
    (PROTOCOL.md section 7). The board is append-only: database triggers refuse UPDATE and
    DELETE (see ``election.models.triggers``).
    """

    __tablename__ = "board_entries"
    __table_args__ = (
        sa.UniqueConstraint("round_id", "credential_id"),
        sa.UniqueConstraint("round_id", "position"),
        sa.UniqueConstraint("round_id", "ballot_hash"),
        sa.CheckConstraint("position > 0", name="position_positive"),
        byte_length("ballot_hash", BALLOT_HASH_SIZE),
        byte_length("chain_hash", CHAIN_HASH_SIZE),
        byte_length("receipt_signature", SIGNATURE_SIZE),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("rounds.id"))
    #: i in h_i, from 1.
    position: Mapped[int]
    credential_id: Mapped[int] = mapped_column(sa.ForeignKey("voting_credentials.id"), index=True)
    #: The signed ballot, canonical JSON (docs/protocol.md section 8).
    ballot: Mapped[dict[str, Any]] = mapped_column(CanonicalJSON)
    ballot_hash: Mapped[bytes]
    chain_hash: Mapped[bytes]
    #: The receipt (docs/protocol.md section 11) and the server's signature over it.
    receipt: Mapped[dict[str, Any]] = mapped_column(CanonicalJSON)
    receipt_signature: Mapped[bytes]
    received_at: Mapped[datetime]

    round: Mapped[Round] = relationship()
    credential: Mapped[VotingCredential] = relationship()


class AuditedBallot(Base):
    """A challenged (Benaloh) ballot: posted with its randomness, never counted."""

    __tablename__ = "audited_ballots"
    __table_args__ = (
        sa.UniqueConstraint("round_id", "ballot_hash"),
        byte_length("ballot_hash", BALLOT_HASH_SIZE),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("rounds.id"))
    credential_id: Mapped[int] = mapped_column(sa.ForeignKey("voting_credentials.id"), index=True)
    #: {"ballot": ..., "counters": [...], "randomness": [...]}, canonical JSON.
    audit: Mapped[dict[str, Any]] = mapped_column(CanonicalJSON)
    ballot_hash: Mapped[bytes]
    received_at: Mapped[datetime]


class BallotComponent(Base):
    """The first component ``A`` of one ciphertext of a posted ballot, cast or audited.

    No ``A`` may stand twice in a round (docs/protocol.md section 8): a ballot assembled
    from another's ciphertexts, or one cast after being audited, is refused by the unique
    constraint even if the ballot box's own check were bypassed. Each row belongs to exactly
    one board entry or one audited ballot.
    """

    __tablename__ = "ballot_components"
    __table_args__ = (
        sa.UniqueConstraint("round_id", "a"),
        sa.CheckConstraint(
            "(board_entry_id IS NULL) <> (audited_ballot_id IS NULL)", name="one_ballot"
        ),
        byte_length("a", POINT_SIZE),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("rounds.id"))
    a: Mapped[bytes]
    board_entry_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("board_entries.id"), index=True
    )
    audited_ballot_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("audited_ballots.id"), index=True
    )


class TallyCounter(Base):
    """The sum of one counter's ciphertexts over a round's counted ballots (PROTOCOL.md 8)."""

    __tablename__ = "tallies"
    __table_args__ = (
        sa.UniqueConstraint("round_id", "counter_index"),
        sa.CheckConstraint("counter_index >= 0", name="counter_index_non_negative"),
        sa.CheckConstraint("ballots >= 0", name="ballots_non_negative"),
        byte_length("a", POINT_SIZE),
        byte_length("b", POINT_SIZE),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("rounds.id"))
    counter_index: Mapped[int]
    #: The form's name of the counter, e.g. "keep_3" or "invalid_over".
    counter_name: Mapped[str] = mapped_column(sa.String(32))
    a: Mapped[bytes]
    b: Mapped[bytes]
    #: How many ballots were summed (the same on every counter of a round).
    ballots: Mapped[int]
    recorded_at: Mapped[datetime]


class DecryptionShare(Base):
    """One guardian's decryption shares of a round's tally, with proofs (PROTOCOL.md 8)."""

    __tablename__ = "decryption_shares"
    __table_args__ = (
        sa.UniqueConstraint("round_id", "guardian_index"),
        sa.CheckConstraint("guardian_index > 0", name="guardian_index_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("rounds.id"))
    guardian_id: Mapped[int] = mapped_column(sa.ForeignKey("guardians.id"), index=True)
    guardian_index: Mapped[int]
    #: {"guardian": j, "shares": [...], "proofs": [...]}, canonical JSON.
    share: Mapped[dict[str, Any]] = mapped_column(CanonicalJSON)
    #: When the proofs were checked (by the caller that recorded the share).
    verified_at: Mapped[datetime]

    guardian: Mapped[Guardian] = relationship()


class Result(Base):
    """The decided result of one round (R-MINUTES-1), as the rules engine computed it.

    ``base`` itemises the majority base N (convened, each exclusion with the people it
    covers, present at the vote), ``tally`` holds the counts the rules read and ``trace``
    the rules applied, so the decision can be recomputed and checked (PROTOCOL.md V8/V9).
    """

    __tablename__ = "results"
    __table_args__ = (
        sa.CheckConstraint(
            "issued >= 0 AND cast_ballots >= 0 AND valid >= 0 AND invalid >= 0",
            name="counts_non_negative",
        ),
        sa.CheckConstraint("valid + invalid = cast_ballots", name="valid_plus_invalid_is_cast"),
        sa.CheckConstraint("base_n > 0 AND base_n <= base_convened", name="base_n_range"),
        sa.CheckConstraint(
            "present_at_vote >= 0 AND present_at_vote <= base_n", name="present_within_n"
        ),
        sa.CheckConstraint("threshold = base_n / 2 + 1", name="threshold_is_majority"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("rounds.id"), unique=True)
    state: Mapped[ResultState] = mapped_column(enum_type(ResultState, "state"))
    outcome: Mapped[RoundOutcome] = mapped_column(enum_type(RoundOutcome, "outcome"))
    #: Ballots issued: the credentials on the frozen eligible list.
    issued: Mapped[int]
    #: Ballots collected (the column name avoids SQL's CAST).
    cast_ballots: Mapped[int]
    valid: Mapped[int]
    invalid: Mapped[int]
    base_n: Mapped[int]
    base_convened: Mapped[int]
    present_at_vote: Mapped[int]
    #: The fewest votes that are more than half of N.
    threshold: Mapped[int]
    base: Mapped[dict[str, Any]] = mapped_column(CanonicalJSON)
    #: Decrypted counter values and the tally the rules read.
    tally: Mapped[dict[str, Any]] = mapped_column(CanonicalJSON)
    trace: Mapped[list[Any]] = mapped_column(CanonicalJSON)
    decided_at: Mapped[datetime]

    round: Mapped[Round] = relationship(back_populates="result")
    candidates: Mapped[list[CandidateResult]] = relationship(
        back_populates="result", order_by="CandidateResult.id", cascade="all, delete-orphan"
    )


class CandidateResult(Base):
    """One candidate's line of a result: votes, rank and outcome."""

    __tablename__ = "candidate_results"
    __table_args__ = (
        sa.UniqueConstraint("result_id", "candidate_id"),
        sa.CheckConstraint("votes >= 0", name="votes_non_negative"),
        sa.CheckConstraint("disagree IS NULL OR disagree >= 0", name="disagree_non_negative"),
        sa.CheckConstraint("rank > 0", name="rank_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    result_id: Mapped[int] = mapped_column(sa.ForeignKey("results.id"))
    candidate_id: Mapped[int] = mapped_column(sa.ForeignKey("round_candidates.id"))
    votes: Mapped[int]
    disagree: Mapped[int | None]
    rank: Mapped[int]
    has_majority: Mapped[bool]
    outcome: Mapped[CandidateOutcome] = mapped_column(enum_type(CandidateOutcome, "outcome"))

    result: Mapped[Result] = relationship(back_populates="candidates")
    candidate: Mapped[RoundCandidate] = relationship()


class MinutesSignature(Base):
    """A counting-board member's signature on a round's minutes (R-MINUTES-1 field 13).

    The member signs ``crypto.minutes_message(data)`` with the Ed25519 key registered at
    the key ceremony (``Guardian.signing_key``); ``message`` is that 64-byte digest, kept so
    that a later change of the computed data can be noticed. The server checks the
    signature before storing it (PROTOCOL.md V11).
    """

    __tablename__ = "minutes_signatures"
    __table_args__ = (
        sa.UniqueConstraint("round_id", "guardian_index"),
        sa.CheckConstraint("guardian_index > 0", name="guardian_index_positive"),
        byte_length("message", 64),
        byte_length("signature", SIGNATURE_SIZE),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("rounds.id"), index=True)
    guardian_id: Mapped[int] = mapped_column(sa.ForeignKey("guardians.id"))
    guardian_index: Mapped[int]
    message: Mapped[bytes]
    signature: Mapped[bytes]
    signed_at: Mapped[datetime]

    guardian: Mapped[Guardian] = relationship()

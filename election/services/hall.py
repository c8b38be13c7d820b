"""What the hall screen may show: counts and released results, nothing else.

This module is the privacy boundary of the projector and of its public JSON
(ATTACKS.md 9, T-9.b and T-9.d): attendance and quorum as numbers; for the open round the
number of ballots cast against the number of eligible voters present, and the head of its
board's hash chain; and the per-candidate results of rounds whose result the counting
board has announced (``RoundState.ANNOUNCED``, then ``APPROVED``). It never reads who
voted, when each ballot arrived, or any count of a round that is not yet announced: the
result query itself filters on the announced states, so a bug in a template cannot leak
what was never loaded.

Read only; nothing here commits.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

import crypto
from election.models import (
    CandidateOutcome,
    CandidateResult,
    Congress,
    CongressSession,
    Contest,
    Result,
    Round,
    RoundCandidate,
    RoundState,
)
from election.rules import PercentDisplay
from election.services import agenda
from election.services.congress import congress_profile

__all__ = [
    "RELEASED",
    "AnnouncedLine",
    "AnnouncedResult",
    "HallSnapshot",
    "OpenRoundCounts",
    "announced_results",
    "released_result",
    "snapshot",
]

#: Round states whose per-candidate results are public (announced to the congress).
RELEASED = frozenset({RoundState.ANNOUNCED, RoundState.APPROVED})


@dataclass(frozen=True)
class OpenRoundCounts:
    """The open round as the hall sees it: its title and counts, never names or order."""

    round_id: int
    title: str
    number: int
    cast: int
    eligible: int
    #: The chain head h_i of the board, or h_0 = H(board, h_R) before the first ballot.
    board_head: bytes
    #: h_R: the counting board's devices show its fingerprint before a decryption share
    #: (ATTACKS.md T-3.c), to be compared with this screen's.
    round_hash: bytes


@dataclass(frozen=True)
class AnnouncedLine:
    name: str
    votes: int
    elected: bool
    outcome: CandidateOutcome


@dataclass(frozen=True)
class AnnouncedResult:
    """An announced round: its counts and each candidate's votes, in ballot order."""

    round_id: int
    title: str
    number: int
    base_n: int
    threshold: int
    cast: int
    valid: int
    lines: tuple[AnnouncedLine, ...]


@dataclass(frozen=True)
class HallSnapshot:
    congress: Congress
    sitting: CongressSession | None
    quorum: agenda.Quorum | None
    open_round: OpenRoundCounts | None
    results: tuple[AnnouncedResult, ...]
    percent: PercentDisplay


def _open_round(db: Session, round_: Round | None) -> OpenRoundCounts | None:
    if round_ is None or round_.round_hash is None:
        return None
    head = agenda.board_head(db, round_) or crypto.chain_genesis(round_.round_hash)
    return OpenRoundCounts(
        round_id=round_.id,
        title=round_.contest.position.title,
        number=round_.number,
        cast=agenda.ballots_cast(db, round_),
        eligible=round_.eligible_count or 0,
        board_head=head,
        round_hash=round_.round_hash,
    )


def released_result(db: Session, round_: Round) -> AnnouncedResult | None:
    """``round_``'s result if it has been announced (``RELEASED``), else None."""
    if round_.state not in RELEASED:
        return None
    result = round_.result
    if result is None:  # pragma: no cover - an announced round has a result
        return None
    lines = db.execute(
        sa.select(CandidateResult, RoundCandidate)
        .join(RoundCandidate, RoundCandidate.id == CandidateResult.candidate_id)
        .where(CandidateResult.result_id == result.id)
        .order_by(RoundCandidate.ballot_order)
    ).all()
    return AnnouncedResult(
        round_id=round_.id,
        title=round_.contest.position.title,
        number=round_.number,
        base_n=result.base_n,
        threshold=result.threshold,
        cast=result.cast_ballots,
        valid=result.valid,
        lines=tuple(
            AnnouncedLine(
                name=candidate.member.full_name,
                votes=line.votes,
                elected=line.outcome is CandidateOutcome.ELECTED,
                outcome=line.outcome,
            )
            for line, candidate in lines
        ),
    )


def announced_results(db: Session, congress: Congress, limit: int = 3) -> list[AnnouncedResult]:
    """The ``limit`` most recently announced results of ``congress``, newest first.

    Only rounds in ``RELEASED`` states are read, so unannounced counts are never loaded.
    """
    rounds = db.scalars(
        sa.select(Round)
        .join(Contest, Contest.id == Round.contest_id)
        .join(Result, Result.round_id == Round.id)
        .where(Contest.congress_id == congress.id, Round.state.in_(RELEASED))
        .order_by(Round.announced_at.desc(), Round.id.desc())
        .limit(limit)
    ).all()
    out = []
    for round_ in rounds:
        released = released_result(db, round_)
        if released is not None:
            out.append(released)
    return out


def snapshot(db: Session, congress: Congress) -> HallSnapshot:
    """Everything the hall screen shows, read in one go."""
    open_round = agenda.open_round_of(db, congress)
    sitting = agenda.current_sitting(db, congress)
    contest = open_round.contest if open_round is not None else None
    state = agenda.quorum(db, congress, sitting, contest) if sitting is not None else None
    return HallSnapshot(
        congress=congress,
        sitting=sitting,
        quorum=state,
        open_round=_open_round(db, open_round),
        results=tuple(announced_results(db, congress)),
        percent=congress_profile(congress).percent,
    )

"""Counting a closed round: the homomorphic tally and its threshold decryption
(PROTOCOL.md section 8; issue 6 item 1).

* ``compute_tally``: the server sums each counter's ciphertexts over the frozen board of a
  closed round (every ballot decoded strictly by ``crypto``, the board's hash chain
  recomputed) and records the sums with ``rounds.record_tally``.
* ``submit_share``: a counting-board member's decryption share, computed on the member's
  own device from the recorded tally, arrives as JSON. It is checked on arrival against
  the member's public share ``K_j`` from the key ceremony (``crypto.verify_decryption_share``
  over the recorded tally: a wrong proof is refused naming the counter, and nothing is
  stored) and stored. With ``t`` verified shares the counts are combined
  (``crypto.decrypt_tally`` with a table of ``0*G .. N*G``, N the ballots counted) and
  ``rounds.record_decryption`` lets the rules engine decide.

There is deliberately no operation on a single ballot or on a subset of the board
(ATTACKS.md T-9.a, T-10.a): the only ciphertexts a share is accepted for are the recorded
tally's, which the server computed itself from the whole board.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

import crypto
from election import rules
from election.errors import Conflict, InvalidInput, InvalidState
from election.models import (
    BoardEntry,
    DecryptionShare,
    Guardian,
    KeyCeremony,
    Role,
    Round,
    RoundState,
    TallyCounter,
)
from election.services import events, rounds
from election.services.base import Actor, require_role, service
from election.services.ceremony import completed_ceremony
from election.services.ceremony_relay import seat_of
from election.services.congress import congress_profile

__all__ = [
    "MAX_SHARE_BYTES",
    "CounterSum",
    "Progress",
    "ResultLine",
    "ResultView",
    "SharerView",
    "compute_tally",
    "progress",
    "recorded_tally",
    "result_view",
    "submit_share",
]

#: The largest decryption share accepted: a 500-name form is about 130 KB of JSON.
MAX_SHARE_BYTES = 1024 * 1024


@dataclass(frozen=True)
class CounterSum:
    """One counter of the recorded tally: its name and the summed ciphertext."""

    index: int
    name: str
    a: bytes
    b: bytes

    def to_json(self) -> dict[str, Any]:
        return {"index": self.index, "counter": self.name, "A": self.a.hex(), "B": self.b.hex()}


@dataclass(frozen=True)
class SharerView:
    """A member of the counting board and whether its share for the round is in."""

    index: int
    name: str
    user_id: int | None
    submitted: bool


@dataclass(frozen=True)
class Progress:
    """How far the decryption of a round is: ``t`` of ``n`` shares needed."""

    round_id: int
    state: RoundState
    threshold: int
    guardians: tuple[SharerView, ...]

    @property
    def submitted(self) -> int:
        return sum(1 for g in self.guardians if g.submitted)

    @property
    def needed(self) -> int:
        return max(0, self.threshold - self.submitted)

    def to_json(self) -> dict[str, Any]:
        return {
            "round": self.round_id,
            "state": self.state.value,
            "threshold": self.threshold,
            "submitted": self.submitted,
            "needed": self.needed,
            "guardians": [
                {"index": g.index, "name": g.name, "submitted": g.submitted} for g in self.guardians
            ],
        }


def _ceremony(db: Session, round_: Round) -> KeyCeremony:
    ceremony = completed_ceremony(db, round_.contest.congress)
    if ceremony is None or ceremony.public_shares is None:  # pragma: no cover - opened rounds
        raise InvalidState("the congress has no completed key ceremony")
    return ceremony


def _form(round_: Round) -> crypto.BallotForm:
    return crypto.form_for(round_.form_kind.value, len(round_.candidates), round_.seats)


def _lock(db: Session, round_: Round) -> Round:
    """Start the write transaction holding the round's lock (as the ballot box does), so
    that two shares arriving together cannot both complete the decryption."""
    round_id = round_.id
    db.commit()  # end any read transaction: the lock must be taken at BEGIN
    if db.get_bind().dialect.name == "sqlite":
        db.connection(execution_options={"dhvote_begin": "IMMEDIATE"})
        locked = db.get(Round, round_id, populate_existing=True)
    else:
        locked = db.get(Round, round_id, with_for_update=True, populate_existing=True)
    if locked is None:  # pragma: no cover - rounds are never deleted
        raise InvalidState("the round no longer exists")
    return locked


# ------------------------------------------------------------------------------- tally


@service
def compute_tally(db: Session, actor: Actor, round_: Round, *, now: datetime) -> list[CounterSum]:
    """Sum the closed round's board, counter by counter, and record the sums.

    Each ballot is decoded strictly for the round's form (a ballot that no longer decodes
    means the stored board was altered: ``InvalidState``), its hash recomputed and the
    board's chain followed from ``h_0``; the sums cover the whole board and nothing else.
    A round without a single ballot cannot be tallied (docs/record-format.md 4.5): the
    presidium annuls it.
    """
    require_role(db, actor, round_.contest.congress, Role.COUNTING)
    if round_.state is not RoundState.CLOSED:
        raise InvalidState(f"only a closed round is tallied (this one is {round_.state.value})")
    if round_.round_hash is None:  # pragma: no cover - a closed round was opened
        raise InvalidState("the round was never opened")
    form = _form(round_)
    entries = db.scalars(
        sa.select(BoardEntry).where(BoardEntry.round_id == round_.id).order_by(BoardEntry.position)
    ).all()
    if not entries:
        raise InvalidState("no ballot was cast: there is nothing to count; annul the round")
    chain = crypto.chain_genesis(round_.round_hash)
    columns: list[list[crypto.Ciphertext]] = [[] for _ in form.counters]
    for expected, entry in enumerate(entries, start=1):
        try:
            ballot = crypto.CiphertextBallot.from_json(entry.ballot, form)
        except crypto.CryptoError as e:
            raise InvalidState(f"board position {entry.position} does not decode: {e}") from e
        if ballot.round_hash != round_.round_hash or entry.position != expected:
            raise InvalidState(f"board position {entry.position} is not this round's")
        if crypto.ballot_hash(ballot.to_json()) != entry.ballot_hash:
            raise InvalidState(f"board position {entry.position}: the ballot hash differs")
        chain = crypto.chain_next(chain, entry.ballot_hash)
        if chain != entry.chain_hash:
            raise InvalidState(f"the board chain breaks at position {entry.position}")
        for c, ct in enumerate(ballot.ciphertexts):
            columns[c].append(ct)
    sums = [crypto.sum_ciphertexts(column) for column in columns]
    rounds.record_tally(
        db,
        actor,
        round_,
        [(s.A.encode(), s.B.encode()) for s in sums],
        ballots=len(entries),
        now=now,
    )
    events.record(
        db,
        actor,
        "tally.compute",
        round_,
        now=now,
        congress=round_.contest.congress,
        data={"ballots": len(entries), "board_head": chain.hex()},
    )
    return [
        CounterSum(i, name, s.A.encode(), s.B.encode())
        for i, (name, s) in enumerate(zip(form.counters, sums, strict=True))
    ]


def recorded_tally(db: Session, round_: Round) -> list[CounterSum]:
    """The round's recorded tally, in counter order (empty before ``compute_tally``)."""
    rows = db.scalars(
        sa.select(TallyCounter)
        .where(TallyCounter.round_id == round_.id)
        .order_by(TallyCounter.counter_index)
    ).all()
    return [CounterSum(r.counter_index, r.counter_name, r.a, r.b) for r in rows]


# ------------------------------------------------------------------------------- shares


def _stored_shares(db: Session, round_: Round) -> dict[int, DecryptionShare]:
    rows = db.scalars(sa.select(DecryptionShare).where(DecryptionShare.round_id == round_.id))
    return {row.guardian_index: row for row in rows}


def progress(db: Session, round_: Round) -> Progress:
    """Which members have submitted their share of the round (for the pages)."""
    ceremony = _ceremony(db, round_)
    stored = _stored_shares(db, round_)
    return Progress(
        round_.id,
        round_.state,
        ceremony.threshold,
        tuple(
            SharerView(g.guardian_index, g.member.full_name, g.user_id, g.guardian_index in stored)
            for g in sorted(ceremony.members, key=lambda g: g.guardian_index)
        ),
    )


def _check_tallied(round_: Round) -> None:
    if round_.state is not RoundState.TALLIED:
        raise InvalidState(
            f"shares are taken while the round is tallied (this one is {round_.state.value})"
        )


def _failing_counter(
    round_hash: bytes,
    Kj: crypto.Point,
    tally: Sequence[crypto.Ciphertext],
    share: crypto.DecryptionShare,
) -> int:
    """The first counter whose proof fails. Proof ``c`` is bound to the counter index, and
    a prefix of the tally keeps the indexes, so the shortest failing prefix names it."""
    for c in range(len(tally)):
        prefix = crypto.DecryptionShare(
            share.guardian, share.shares[: c + 1], share.proofs[: c + 1]
        )
        try:
            crypto.verify_decryption_share(round_hash, Kj, tally[: c + 1], prefix)
        except crypto.InvalidProof:
            return c
    return len(tally) - 1  # pragma: no cover - called only after the whole share failed


def _parse_share(payload: Any, counters: int) -> crypto.DecryptionShare:
    if isinstance(payload, bytes | str):
        if len(payload) > MAX_SHARE_BYTES:
            raise InvalidInput("the decryption share is too large")
        try:
            payload = crypto.parse_json(payload)
        except crypto.CryptoError as e:
            raise InvalidInput(f"the decryption share is not strict JSON: {e}") from e
    try:
        return crypto.DecryptionShare.from_json(payload, counters)
    except crypto.CryptoError as e:
        raise InvalidInput(f"the decryption share does not decode: {e}") from e


@service
def submit_share(
    db: Session,
    actor: Actor,
    round_: Round,
    payload: Any,
    *,
    index: int | None = None,
    now: datetime,
) -> Progress:
    """Accept guardian ``j``'s decryption share of the round's recorded tally.

    ``payload`` is the share as JSON (text or parsed): ``{"guardian": j, "shares": [D_c],
    "proofs": [{"c", "v"}]}``, one share and one proof per counter. The member is the seat
    of the acting account (the system actor names ``index``), and ``j`` must be its index.
    Refused unless the round is tallied and every proof verifies against ``K_j`` and the
    recorded tally; nothing is stored on a refusal. With ``t`` shares in, the tally is
    decrypted and the result decided (the round becomes ``decrypted``).
    """
    congress = round_.contest.congress
    require_role(db, actor, congress, Role.COUNTING)
    ceremony = _ceremony(db, round_)
    seat: Guardian = seat_of(db, ceremony, actor, index)
    j = seat.guardian_index
    _check_tallied(round_)
    form = _form(round_)
    share = _parse_share(payload, len(form.counters))
    if share.guardian != j:
        raise InvalidInput(f"a share computed as guardian {share.guardian} sent by guardian {j}")
    locked = _lock(db, round_)
    _check_tallied(locked)  # again, under the lock: another share may have just completed it
    counters = recorded_tally(db, locked)
    tally = [
        crypto.Ciphertext(crypto.Point.decode(c.a), crypto.Point.decode(c.b)) for c in counters
    ]
    public_shares = ceremony.public_shares or {}
    Kj = crypto.Point.decode(bytes.fromhex(public_shares[str(j)]))
    h_R = locked.round_hash or b""
    try:
        crypto.verify_decryption_share(h_R, Kj, tally, share)
    except crypto.InvalidProof as e:
        c = _failing_counter(h_R, Kj, tally, share)
        raise InvalidInput(
            f"guardian {j}'s decryption share of counter {counters[c].name} (number {c}) "
            "does not verify against the guardian's public share and the recorded tally; "
            "nothing was stored"
        ) from e
    share_json = share.to_json()
    stored = _stored_shares(db, locked)
    if j in stored:
        if stored[j].share == share_json:
            return progress(db, locked)
        raise Conflict(f"guardian {j} already submitted a share of this round")
    db.add(
        DecryptionShare(
            round_id=locked.id,
            guardian=seat,
            guardian_index=j,
            share=share_json,
            verified_at=now,
        )
    )
    events.record(
        db, actor, "tally.share", locked, now=now, congress=congress, data={"guardian": j}
    )
    stored = _stored_shares(db, locked)
    if len(stored) >= ceremony.threshold:
        _decrypt(db, actor, locked, ceremony, stored, tally, now)
    return progress(db, locked)


def _decrypt(
    db: Session,
    actor: Actor,
    round_: Round,
    ceremony: KeyCeremony,
    stored: Mapping[int, DecryptionShare],
    tally: Sequence[crypto.Ciphertext],
    now: datetime,
) -> None:
    """Combine the verified shares and hand the counts to the rules (``record_decryption``)."""
    counters = len(tally)
    shares = {j: crypto.DecryptionShare.from_json(row.share, counters) for j, row in stored.items()}
    ballots = db.scalar(sa.select(TallyCounter.ballots).where(TallyCounter.round_id == round_.id))
    try:
        counts = crypto.decrypt_tally(
            tally, shares, ceremony.threshold, crypto.DlogTable(ballots or 0)
        )
    except crypto.DiscreteLogError as e:  # pragma: no cover - verified shares decrypt
        raise InvalidState(f"the tally does not decrypt to counts of 0..{ballots}: {e}") from e
    rounds.record_decryption(
        db,
        actor,
        round_,
        shares={j: row.share for j, row in stored.items()},
        counts=list(counts),
        now=now,
    )


# ------------------------------------------------------------------------------- results


@dataclass(frozen=True)
class ResultLine:
    """A candidate's line of the result, in ballot order."""

    code: str
    name: str
    votes: int
    disagree: int | None
    rank: int
    has_majority: bool
    outcome: str


@dataclass(frozen=True)
class ResultView:
    """A decided round as the result page shows it (R-MINUTES-1 fields 6-11, R-RESULT-*).

    ``decided`` is the rules engine's result computed again from the stored counts and base
    (the same computation the verifier's V9 does), so the page shows the rules' own words:
    status, elected, tied, open seats, trace.
    """

    round: Round
    decided: rules.RoundResult
    lines: tuple[ResultLine, ...]
    elected: tuple[ResultLine, ...]
    tied: tuple[ResultLine, ...]
    display: rules.PercentDisplay
    #: A further round needs the congress's open vote first (R-RESULT-7, R-RESULT-8).
    further_possible: bool

    @property
    def base(self) -> rules.MajorityBase:
        return self.decided.base

    @property
    def tally(self) -> rules.Tally:
        return self.decided.tally

    @property
    def status(self) -> str:
        return self.decided.status.value


def result_view(round_: Round) -> ResultView:
    """The round's decided result; ``InvalidState`` before it is decrypted."""
    decided = rounds.rules_result(round_)
    names = {c.member.code: c.member.full_name for c in round_.candidates}
    lines = {
        c.candidate: ResultLine(
            c.candidate,
            names[c.candidate],
            c.votes,
            c.disagree,
            c.rank,
            c.has_majority,
            c.outcome.value,
        )
        for c in decided.candidates
    }
    status = decided.status
    return ResultView(
        round=round_,
        decided=decided,
        lines=tuple(lines[c.candidate] for c in decided.candidates),
        elected=tuple(lines[c] for c in decided.elected),
        tied=tuple(lines[c] for c in decided.tied),
        display=congress_profile(round_.contest.congress).percent,
        further_possible=status
        in (rules.RoundStatus.TIE_FOR_LAST_SEAT, rules.RoundStatus.ELECTED_FEWER_THAN_PLANNED),
    )

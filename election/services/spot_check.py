"""The inspection commission's random spot-check drill (ATTACKS.md T-4.e).

Against ballot stuffing and the "trash attack" (a server that drops or replaces the ballots
of delegates unlikely to check), the commission draws ``n`` delegates at random among those
whose credential has a ballot on a round's board, finds each of them in the hall and has
them compare what the board holds for them — the ballot's position, its tracking code
(``crypto.tracking_code``) and the fingerprint of their public credential
(``credential_fingerprint``) — with their own receipt and badge. For each sampled delegate
it records **confirmed**, **mismatch** (the delegate's receipt or badge does not match the
board: a finding the commission must act on) or **not reached**, with an optional note.

* **The draw** uses ``secrets.SystemRandom`` (the operating system's generator): no seed the
  server's operator could choose or replay. It samples distinct board entries (one per
  credential, ``(round, credential)`` being unique on the board), so ``1 <= n <= ballots``.
* **No table of its own.** A drill is its ``spot_check.draw`` entry in the event log: the
  entry's ``seq`` is the drill's number and its data hold the round, ``n``, the number of
  ballots and the board head at the draw, and the whole sample with what the board showed.
  Each outcome is a ``spot_check.outcome`` entry naming the drill; a mismatch carries
  ``"flag": "mismatch"``. The hash-chained log is therefore the drill's only record, and
  it cannot be edited afterwards.
* **Outcomes are final once reached.** "Not reached" may later become confirmed or a
  mismatch (the delegate was found after all); a confirmation or a mismatch is never
  replaced, so a mismatch cannot be hidden by a later "confirmed".
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from random import Random
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

import crypto
from election.errors import InvalidInput, InvalidState, NotFound
from election.models import BoardEntry, Congress, Event, Role, Round
from election.rules.values import is_whole
from election.services import events
from election.services.base import Actor, require_role, service

__all__ = [
    "CONFIRMED",
    "DRAW",
    "MISMATCH",
    "NOTE_MAX",
    "NOT_REACHED",
    "OUTCOME",
    "OUTCOMES",
    "Drill",
    "Outcome",
    "Sampled",
    "ballots_on_board",
    "credential_fingerprint",
    "draw",
    "drills",
    "load_drill",
    "record_outcome",
]

#: Event log actions.
DRAW = "spot_check.draw"
OUTCOME = "spot_check.outcome"

CONFIRMED = "confirmed"
MISMATCH = "mismatch"
NOT_REACHED = "not_reached"
OUTCOMES = (CONFIRMED, MISMATCH, NOT_REACHED)

#: Longest note kept with an outcome.
NOTE_MAX = 1000


def credential_fingerprint(public_key: bytes) -> str:
    """A public credential ``Y`` as people read it aloud: its first 16 hex digits, in groups
    of four — the digits the credentials desk shows when it issues the credential, and the
    start of the ``credential`` field of the ballot in the board's JSON. Pages write other
    keys the same way with the ``hash_short`` filter (``election.web.formatting.format_hash``,
    which a service may not import); the spot check keeps this text in its event."""
    digits = public_key.hex()[:16]
    return " ".join(digits[i : i + 4] for i in range(0, 16, 4))


@dataclass(frozen=True)
class Sampled:
    """One sampled delegate with what the board showed for them at the draw."""

    member_id: int
    code: str
    full_name: str
    credential_id: int
    fingerprint: str
    position: int
    tracking_code: str

    def as_json(self) -> dict[str, Any]:
        return {
            "member": self.member_id,
            "code": self.code,
            "full_name": self.full_name,
            "credential": self.credential_id,
            "fingerprint": self.fingerprint,
            "position": self.position,
            "tracking_code": self.tracking_code,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Sampled:
        return cls(
            member_id=data["member"],
            code=data["code"],
            full_name=data["full_name"],
            credential_id=data["credential"],
            fingerprint=data["fingerprint"],
            position=data["position"],
            tracking_code=data["tracking_code"],
        )


@dataclass(frozen=True)
class Outcome:
    """What a sampled delegate's own receipt and badge showed (the latest entry)."""

    outcome: str
    note: str
    actor: str
    at: datetime
    seq: int


@dataclass
class Drill:
    """A drill as the event log holds it."""

    seq: int
    round_id: int
    at: datetime
    actor: str
    size: int
    ballots: int
    board_head: str
    sample: list[Sampled]
    outcomes: dict[int, Outcome] = field(default_factory=dict)
    history: list[tuple[int, Outcome]] = field(default_factory=list)

    def outcome_of(self, member_id: int) -> Outcome | None:
        return self.outcomes.get(member_id)

    @property
    def mismatches(self) -> list[Sampled]:
        return [s for s in self.sample if self._is(s, MISMATCH)]

    @property
    def confirmed(self) -> list[Sampled]:
        return [s for s in self.sample if self._is(s, CONFIRMED)]

    @property
    def pending(self) -> list[Sampled]:
        """Sampled delegates with no outcome yet, or not reached."""
        return [s for s in self.sample if not (self._is(s, CONFIRMED) or self._is(s, MISMATCH))]

    def _is(self, sampled: Sampled, outcome: str) -> bool:
        found = self.outcomes.get(sampled.member_id)
        return found is not None and found.outcome == outcome


# ------------------------------------------------------------------------------- reading


def ballots_on_board(db: Session, round_: Round) -> int:
    return (
        db.scalar(
            sa.select(sa.func.count())
            .select_from(BoardEntry)
            .where(BoardEntry.round_id == round_.id)
        )
        or 0
    )


def _drill_of(event: Event) -> Drill:
    data = event.data
    return Drill(
        seq=event.seq,
        round_id=data["round"],
        at=event.at,
        actor=event.actor,
        size=data["size"],
        ballots=data["ballots"],
        board_head=data["board_head"],
        sample=[Sampled.from_json(s) for s in data["sample"]],
    )


def _add_outcomes(db: Session, congress: Congress, found: Sequence[Drill]) -> None:
    by_seq = {d.seq: d for d in found}
    if not by_seq:
        return
    rows = db.scalars(
        sa.select(Event)
        .where(Event.action == OUTCOME, Event.congress == congress.public_id)
        .order_by(Event.seq)
    )
    for event in rows:
        drill = by_seq.get(event.data.get("drill", 0))
        if drill is None:
            continue
        outcome = Outcome(
            outcome=event.data["outcome"],
            note=event.data.get("note", ""),
            actor=event.actor,
            at=event.at,
            seq=event.seq,
        )
        drill.outcomes[event.data["member"]] = outcome
        drill.history.append((event.data["member"], outcome))


def drills(db: Session, round_: Round) -> list[Drill]:
    """The round's drills, newest first, with their outcomes."""
    congress = round_.contest.congress
    rows = db.scalars(
        sa.select(Event)
        .where(
            Event.action == DRAW,
            Event.congress == congress.public_id,
            Event.object_type == Round.__tablename__,
            Event.object_id == str(round_.id),
        )
        .order_by(Event.seq.desc())
    )
    found = [_drill_of(e) for e in rows]
    _add_outcomes(db, congress, found)
    return found


def load_drill(db: Session, congress: Congress, seq: int) -> Drill:
    """The drill whose draw is entry ``seq`` of the log, in ``congress``; ``NotFound``
    otherwise."""
    event = db.get(Event, seq) if is_whole(seq, low=1) else None
    if event is None or event.action != DRAW or event.congress != congress.public_id:
        raise NotFound(f"no spot-check drill {seq} in this congress")
    drill = _drill_of(event)
    _add_outcomes(db, congress, [drill])
    return drill


# ------------------------------------------------------------------------------- changes


@service
def draw(
    db: Session,
    actor: Actor,
    round_: Round,
    n: int,
    *,
    now: datetime,
    rng: Random | None = None,
) -> Drill:
    """Draw ``n`` delegates at random among those with a ballot on ``round_``'s board
    (module docstring) and log the draw with the whole sample. ``rng`` is for tests; the
    default is ``secrets.SystemRandom()``."""
    congress = round_.contest.congress
    require_role(db, actor, congress, Role.INSPECTION)
    entries = list(
        db.scalars(
            sa.select(BoardEntry)
            .where(BoardEntry.round_id == round_.id)
            .order_by(BoardEntry.position)
        )
    )
    if not entries:
        raise InvalidState("the round has no ballot on its board to check")
    if not is_whole(n, low=1) or n > len(entries):
        raise InvalidInput(f"the sample size is between 1 and {len(entries)}, the ballots cast")
    chosen = sorted((rng or secrets.SystemRandom()).sample(entries, n), key=lambda e: e.position)
    sample = []
    for entry in chosen:
        member = entry.credential.member
        sample.append(
            Sampled(
                member_id=member.id,
                code=member.code,
                full_name=member.full_name,
                credential_id=entry.credential_id,
                fingerprint=credential_fingerprint(entry.credential.public_key),
                position=entry.position,
                tracking_code=crypto.tracking_code(entry.ballot_hash),
            )
        )
    event = events.record(
        db,
        actor,
        DRAW,
        round_,
        now=now,
        congress=congress,
        data={
            "round": round_.id,
            "size": n,
            "ballots": len(entries),
            "board_head": entries[-1].chain_hash.hex(),
            "sample": [s.as_json() for s in sample],
        },
    )
    return _drill_of(event)


@service
def record_outcome(
    db: Session,
    actor: Actor,
    congress: Congress,
    seq: int,
    member_id: int,
    outcome: str,
    *,
    now: datetime,
    note: str = "",
) -> Drill:
    """Record what sampled delegate ``member_id``'s own receipt and badge showed in drill
    ``seq``: ``confirmed``, ``mismatch`` or ``not_reached``, with an optional note (module
    docstring: only "not reached" may be recorded again)."""
    require_role(db, actor, congress, Role.INSPECTION)
    drill = load_drill(db, congress, seq)
    if outcome not in OUTCOMES:
        raise InvalidInput(f"an outcome is one of {', '.join(OUTCOMES)}")
    if not isinstance(note, str) or len(note.strip()) > NOTE_MAX:
        raise InvalidInput(f"a note is text of at most {NOTE_MAX} characters")
    sampled = next((s for s in drill.sample if s.member_id == member_id), None)
    if sampled is None:
        raise InvalidInput("this delegate was not drawn in this drill")
    earlier = drill.outcome_of(member_id)
    if earlier is not None and earlier.outcome != NOT_REACHED:
        raise InvalidState("this delegate's check is already recorded")
    round_ = db.get(Round, drill.round_id)
    if round_ is None:  # pragma: no cover - rounds are never deleted
        raise NotFound(f"round {drill.round_id} does not exist")
    data: dict[str, Any] = {
        "drill": drill.seq,
        "round": drill.round_id,
        "member": sampled.member_id,
        "code": sampled.code,
        "outcome": outcome,
        "note": note.strip(),
        "position": sampled.position,
        "tracking_code": sampled.tracking_code,
        "fingerprint": sampled.fingerprint,
    }
    if outcome == MISMATCH:
        data["flag"] = "mismatch"
    events.record(db, actor, OUTCOME, round_, now=now, congress=congress, data=data)
    return load_drill(db, congress, seq)

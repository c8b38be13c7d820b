"""The vote-count minutes (biên bản kiểm phiếu) of a round: their content and the counting
board's signatures (R-MINUTES-1, R-COUNT-2 steps 7-8; PROTOCOL.md V11; issue 6 item 4).

The minutes are computed, never typed: ``election.record.minutes_data`` of the round's
exported record (``election.services.export``) is the canonical data every member signs
(``crypto.minutes_message(data)``, an Ed25519 signature made on the member's own device
with the key registered at the key ceremony). The server checks each signature against
that key before storing it, and the record's ``minutes.json`` carries exactly this data
and these signatures, so the published record passes V11.

``minutes_view`` gathers what the page and the PDF print: every field of R-MINUTES-1
(header, legal basis, seats, the list in ballot order, the counting board, convened,
present and absent at the vote, ballots issued and collected, valid and invalid by reason,
each candidate's votes and percentage, the elected by votes, times, signatures), plus the
recommended electronic fields: N itemised with each exclusion's rule, the threshold, the
round, ``h_R``, the board head and the record's fingerprint (``export.record_fingerprint``,
also as a QR code).

Reads only, except ``sign_minutes``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import segno
import sqlalchemy as sa
from sqlalchemy.orm import Session

import crypto
from election import rules
from election.errors import Conflict, InvalidInput, InvalidState
from election.models import (
    Body,
    BodyKind,
    BodyMember,
    BodyRole,
    Guardian,
    KeyCeremony,
    MinutesSignature,
    Role,
    Round,
    RoundState,
)
from election.record import Record, RoundRecord
from election.services import events
from election.services.base import Actor, require_role, service
from election.services.ceremony import completed_ceremony
from election.services.ceremony_relay import seat_of
from election.services.export import congress_name, record_fingerprint, round_record

__all__ = [
    "SIGNABLE",
    "CandidateLine",
    "ExclusionLine",
    "MinutesView",
    "SignatureLine",
    "minutes_view",
    "qr_svg_data_uri",
    "record_id_text",
    "sign_minutes",
]

#: Round states whose minutes can be signed: the count is finished (R-COUNT-2 steps 7-8).
SIGNABLE = frozenset({RoundState.DECRYPTED, RoundState.ANNOUNCED, RoundState.APPROVED})


@dataclass(frozen=True)
class ExclusionLine:
    """One reason N is smaller than the number convened (R-RESULT-2..4)."""

    reason: str
    rule_id: str
    count: int
    people: tuple[str, ...]


@dataclass(frozen=True)
class CandidateLine:
    """A name on the ballot, in ballot order, with its count."""

    code: str
    name: str
    votes: int
    disagree: int | None
    percent: str
    outcome: str
    rank: int


@dataclass(frozen=True)
class SignatureLine:
    """A counting-board member and their signature on these minutes, if any."""

    index: int
    name: str
    head: bool
    signed_at: datetime | None
    #: The signature verifies against the member's key over the current data.
    valid: bool


@dataclass(frozen=True)
class MinutesView:
    """Everything the minutes print (the page and the PDF)."""

    round: Round
    record: Record
    data: dict[str, Any]
    message: bytes
    fingerprint: bytes
    qr_svg: str
    organization: str
    congress_title: str
    place: str | None
    #: The rules profile: the legal basis the minutes cite (R-MINUTES-1 field 2).
    rules_profile: str
    title: str
    seats: int
    round_seats: int
    round_number: int
    board_head: bytes
    round_hash: bytes
    convened: int
    exclusions: tuple[ExclusionLine, ...]
    n: int
    threshold: int
    present_at_vote: int
    absent_at_vote: int
    issued: int
    cast: int
    valid: int
    invalid: tuple[tuple[str, int], ...]
    invalid_total: int
    candidates: tuple[CandidateLine, ...]
    #: The elected, most votes first (R-MINUTES-1 field 11).
    elected: tuple[CandidateLine, ...]
    tied: tuple[CandidateLine, ...]
    tie_seats: int
    open_seats: int
    status: str
    counted_at: datetime | None
    announced_at: datetime | None
    signatures: tuple[SignatureLine, ...]
    threshold_signatures: int

    @property
    def valid_signatures(self) -> int:
        return sum(1 for s in self.signatures if s.valid)

    @property
    def complete(self) -> bool:
        return self.valid_signatures >= self.threshold_signatures


def qr_svg_data_uri(text: str) -> str:
    """A QR code of ``text`` as an SVG ``data:`` URI (no script, no style attribute): the
    pages' CSP and the PDF's fetcher (``data:`` only) both accept it."""
    return str(segno.make(text, error="m").svg_data_uri(scale=4, border=2))


def _ceremony(db: Session, round_: Round) -> KeyCeremony:
    ceremony = completed_ceremony(db, round_.contest.congress)
    if ceremony is None:  # pragma: no cover - an opened round had one
        raise InvalidState("the congress has no completed key ceremony")
    return ceremony


def _signatures(
    db: Session, round_: Round, ceremony: KeyCeremony, message: bytes
) -> tuple[SignatureLine, ...]:
    rows = {
        r.guardian_index: r
        for r in db.scalars(
            sa.select(MinutesSignature).where(MinutesSignature.round_id == round_.id)
        )
    }
    heads = set(
        db.scalars(
            sa.select(BodyMember.member_id)
            .join(Body, Body.id == BodyMember.body_id)
            .where(
                Body.congress_id == round_.contest.congress_id,
                Body.kind == BodyKind.COUNTING_BOARD,
                BodyMember.role == BodyRole.HEAD,
            )
        )
    )
    out = []
    for g in sorted(ceremony.members, key=lambda g: g.guardian_index):
        row = rows.get(g.guardian_index)
        valid = False
        if row is not None and row.message == message and g.signing_key is not None:
            try:
                crypto.verify_signature(g.signing_key, message, row.signature)
                valid = True
            except crypto.CryptoError:
                valid = False
        out.append(
            SignatureLine(
                g.guardian_index,
                g.member.full_name,
                g.member_id in heads,
                row.signed_at if row is not None else None,
                valid,
            )
        )
    return tuple(out)


def _line(record: RoundRecord, c: rules.CandidateResult) -> CandidateLine:
    return CandidateLine(
        c.candidate,
        record.manifest.candidate_name(c.candidate),
        c.votes,
        c.disagree,
        c.percent_text,
        c.outcome.value,
        c.rank,
    )


def minutes_view(db: Session, round_: Round) -> MinutesView:
    """The round's minutes. Raises ``ExportError`` (``InvalidState``) when the round has no
    result yet or its record cannot be built (the message says why)."""
    record = round_record(db, round_)
    r = record.rounds[0]
    result = r.result
    data = r.minutes.data
    message = crypto.minutes_message(data)
    fingerprint = record_fingerprint(record)
    congress = round_.contest.congress
    ceremony = _ceremony(db, round_)
    base = result.base
    lines = {c.candidate: _line(r, c) for c in result.candidates}
    return MinutesView(
        round=round_,
        record=record,
        data=data,
        message=message,
        fingerprint=fingerprint,
        qr_svg=qr_svg_data_uri(f"dhvote:{record_id_text(record)}:{fingerprint.hex()}"),
        organization=congress.organization,
        congress_title=congress_name(congress),
        place=congress.place,
        rules_profile=congress.rules_profile.value,
        title=r.manifest.contest.title,
        seats=r.manifest.contest.seats,
        round_seats=r.manifest.round.seats,
        round_number=r.manifest.round.number,
        board_head=r.board.head,
        round_hash=r.manifest.hash(),
        convened=base.convened,
        exclusions=tuple(
            ExclusionLine(e.reason.value, e.rule_id, e.count, tuple(e.person_ids))
            for e in base.exclusions
        ),
        n=base.n,
        threshold=base.threshold,
        present_at_vote=base.present_at_vote,
        absent_at_vote=base.absent_at_vote,
        issued=result.tally.issued,
        cast=result.tally.cast,
        valid=result.tally.valid,
        invalid=tuple((reason.value, count) for reason, count in result.tally.invalid.items()),
        invalid_total=result.tally.invalid_total,
        candidates=tuple(lines[c.candidate] for c in result.candidates),
        elected=tuple(lines[c] for c in result.elected),
        tied=tuple(lines[c] for c in result.tied),
        tie_seats=result.tie_seats,
        open_seats=result.open_seats,
        status=result.status.value,
        counted_at=round_.decrypted_at,
        announced_at=round_.announced_at,
        signatures=_signatures(db, round_, ceremony, message),
        threshold_signatures=ceremony.threshold,
    )


def record_id_text(record: Record) -> str:
    """``<congress id>/<round id>``: what the QR code names besides the fingerprint."""
    return f"{record.congress.congress_id}/{record.rounds[0].round_id}"


@service
def sign_minutes(
    db: Session,
    actor: Actor,
    round_: Round,
    signature: bytes,
    *,
    index: int | None = None,
    now: datetime,
) -> SignatureLine:
    """Store a member's signature on the round's minutes after checking it.

    The signature must be the member's Ed25519 signature (key registered at the ceremony)
    over ``crypto.minutes_message(data)`` of the minutes as computed now; anything else is
    refused with nothing stored. Signing the same again is a no-op.
    """
    congress = round_.contest.congress
    require_role(db, actor, congress, Role.COUNTING)
    if round_.state not in SIGNABLE:
        raise InvalidState(
            f"the minutes are signed once the count is finished (the round is {round_.state})"
        )
    ceremony = _ceremony(db, round_)
    seat: Guardian = seat_of(db, ceremony, actor, index)
    if seat.signing_key is None:
        raise InvalidState(f"guardian {seat.guardian_index} registered no minutes-signing key")
    if not isinstance(signature, bytes) or len(signature) != 64:
        raise InvalidInput("a minutes signature is 64 bytes")
    record = round_record(db, round_)
    message = crypto.minutes_message(record.rounds[0].minutes.data)
    try:
        crypto.verify_signature(seat.signing_key, message, signature)
    except crypto.CryptoError as e:
        raise InvalidInput(
            f"guardian {seat.guardian_index}'s signature does not verify over these minutes "
            "with the key registered at the key ceremony; nothing was stored"
        ) from e
    existing = db.scalar(
        sa.select(MinutesSignature).where(
            MinutesSignature.round_id == round_.id,
            MinutesSignature.guardian_index == seat.guardian_index,
        )
    )
    if existing is not None:
        if existing.message == message and existing.signature == signature:
            return _line_for(db, round_, ceremony, message, seat.guardian_index)
        if existing.message == message:
            raise Conflict(f"guardian {seat.guardian_index} already signed these minutes")
        # The data changed since the old signature (it cannot, short of a repaired
        # database): the new signature over the current data replaces it.
        db.delete(existing)
        db.flush()
    db.add(
        MinutesSignature(
            round_id=round_.id,
            guardian=seat,
            guardian_index=seat.guardian_index,
            message=message,
            signature=signature,
            signed_at=now,
        )
    )
    events.record(
        db,
        actor,
        "minutes.sign",
        round_,
        now=now,
        congress=congress,
        data={"guardian": seat.guardian_index, "message": message.hex()},
    )
    return _line_for(db, round_, ceremony, message, seat.guardian_index)


def _line_for(
    db: Session, round_: Round, ceremony: KeyCeremony, message: bytes, index: int
) -> SignatureLine:
    db.flush()
    for line in _signatures(db, round_, ceremony, message):
        if line.index == index:
            return line
    raise InvalidState(f"no guardian {index}")  # pragma: no cover

"""The ballot box (PROTOCOL.md section 7): accept a signed encrypted ballot, or refuse it
saying which check failed and changing nothing.

A ballot is accepted only if the round is open; its credential ``Y`` is on the round's
frozen eligible list and not revoked; ``Y`` has no ballot in the round yet; every point
and scalar decodes strictly; the signature and every proof verify; and none of its
ciphertexts' first components already stands on the board or among the audited ballots
(ATTACKS.md T-2.c, T-3.a, T-8.a).

Acceptance is one database transaction: the board entry (which is the "this credential
has voted" mark, under ``UNIQUE(round, credential)``) and its components commit together,
and only then does the caller get the receipt. The expensive proof check runs before the
write transaction, so the lock is held for a few inserts only. The transaction takes the
round's write lock first (``BEGIN IMMEDIATE`` on SQLite, ``SELECT … FOR UPDATE`` of the
round on PostgreSQL), so board positions and chain hashes are assigned one at a time and
closing a round waits for the casts in flight.

Resubmitting the same ballot returns the same receipt (a terminal that lost the answer
can ask again); another ballot from the same credential is refused.

A refusal as a duplicate is logged as an incident, naming the round only (ATTACKS.md T-3.a);
no ballot content, credential or choice is logged here (ATTACKS.md T-7.d).
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import crypto
from election.errors import DomainError
from election.models import (
    Attendance,
    AuditedBallot,
    BallotComponent,
    BoardEntry,
    CredentialStatus,
    Member,
    Round,
    RoundEligibility,
    RoundState,
    VotingCredential,
)

__all__ = [
    "MAX_BALLOT_BYTES",
    "NoOpenRound",
    "open_round_for",
    "BallotRejected",
    "Check",
    "AbsentBallot",
    "Receipt",
    "Reconciliation",
    "board_entries",
    "cast_ballot",
    "challenge_ballot",
    "find_by_tracking_code",
    "lock_round",
    "reconcile",
    "round_context",
    "turnout",
]

#: The largest ballot accepted: a 500-name form is about 600 KB of JSON.
MAX_BALLOT_BYTES = 2 * 1024 * 1024

log = logging.getLogger(__name__)


class Check(StrEnum):
    """The check a refused ballot failed; the API returns it as ``check``."""

    MALFORMED = "malformed"  # not JSON, too large, wrong shape, a point or scalar refused
    ROUND_NOT_OPEN = "round_not_open"
    WRONG_ROUND = "wrong_round"  # signed for another round (h_R differs)
    NOT_ELIGIBLE = "not_eligible"  # Y unknown or not on the frozen list
    REVOKED = "revoked"
    ALREADY_VOTED = "already_voted"
    DUPLICATE = "duplicate"  # a ciphertext component already on the board or audited
    SIGNATURE = "signature"
    PROOF = "proof"


_MESSAGES = {
    Check.MALFORMED: "Lá phiếu không đúng định dạng",
    Check.ROUND_NOT_OPEN: "Vòng bỏ phiếu không mở",
    Check.WRONG_ROUND: "Lá phiếu thuộc vòng bỏ phiếu khác",
    Check.NOT_ELIGIBLE: "Thẻ không có trong danh sách được bỏ phiếu của vòng này",
    Check.REVOKED: "Thẻ đã bị thu hồi",
    Check.ALREADY_VOTED: "Thẻ này đã bỏ phiếu trong vòng này",
    Check.DUPLICATE: "Lá phiếu trùng với một lá phiếu đã có trên bảng",
    Check.SIGNATURE: "Chữ ký của lá phiếu không hợp lệ",
    Check.PROOF: "Chứng minh của lá phiếu không hợp lệ",
}


class BallotRejected(DomainError):
    """A ballot refused by one named check; nothing was stored."""

    def __init__(self, check: Check, detail: str = "") -> None:
        self.check = check
        self.detail = detail
        message = _MESSAGES[check]
        super().__init__(f"{message}: {detail}" if detail else message)


@dataclass(frozen=True)
class Receipt:
    """The server-signed receipt of an accepted ballot (docs/protocol.md section 11)."""

    body: dict[str, Any]
    signature: bytes

    @property
    def tracking_code(self) -> str:
        return crypto.tracking_code(bytes.fromhex(self.body["ballot"]))

    def to_json(self) -> dict[str, Any]:
        return {
            "receipt": self.body,
            "signature": self.signature.hex(),
            "tracking_code": self.tracking_code,
        }


# Decoding the joint key and rebuilding the form for every ballot would cost a point
# decode and a form construction each time; contexts are immutable per round hash.
_CONTEXTS: OrderedDict[bytes, crypto.RoundContext] = OrderedDict()
_CONTEXTS_LOCK = threading.Lock()


def round_context(round_: Round) -> crypto.RoundContext:
    """The crypto context of an opened round, from its stored manifest (cached)."""
    if round_.round_hash is None or round_.manifest is None:
        raise BallotRejected(Check.ROUND_NOT_OPEN)
    key = round_.round_hash
    with _CONTEXTS_LOCK:
        found = _CONTEXTS.get(key)
        if found is not None:
            _CONTEXTS.move_to_end(key)
            return found
    manifest = round_.manifest
    ctx = crypto.RoundContext(
        key,
        crypto.Point.decode(bytes.fromhex(manifest["joint_key"])),
        crypto.BallotForm.from_json(manifest["form"]),
    )
    with _CONTEXTS_LOCK:
        _CONTEXTS[key] = ctx
        while len(_CONTEXTS) > 32:
            _CONTEXTS.popitem(last=False)
    return ctx


def _utc(now: datetime) -> str:
    return now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse(round_: Round, payload: bytes | str | dict[str, Any]) -> crypto.CiphertextBallot:
    ctx = round_context(round_)
    try:
        obj = (
            payload
            if isinstance(payload, dict)
            else crypto.parse_json(payload, max_bytes=MAX_BALLOT_BYTES)
        )
        return crypto.CiphertextBallot.from_json(obj, ctx.form)
    except crypto.InvalidBallot as e:
        raise BallotRejected(Check.MALFORMED, str(e)) from e
    except crypto.EncodingError as e:
        raise BallotRejected(Check.MALFORMED, str(e)) from e


def _credential(db: Session, round_: Round, public_key: bytes) -> VotingCredential:
    credential = db.scalar(
        sa.select(VotingCredential).where(
            VotingCredential.congress_id == round_.contest.congress_id,
            VotingCredential.public_key == public_key,
        )
    )
    if credential is None:
        raise BallotRejected(Check.NOT_ELIGIBLE, "khóa công khai không được cấp")
    eligible = db.scalar(
        sa.select(RoundEligibility.credential_id).where(
            RoundEligibility.round_id == round_.id,
            RoundEligibility.credential_id == credential.id,
        )
    )
    if eligible is None:
        raise BallotRejected(Check.NOT_ELIGIBLE)
    if credential.status is not CredentialStatus.ACTIVE:
        raise BallotRejected(Check.REVOKED)
    return credential


def _existing(db: Session, round_: Round, credential: VotingCredential) -> BoardEntry | None:
    return db.scalar(
        sa.select(BoardEntry).where(
            BoardEntry.round_id == round_.id, BoardEntry.credential_id == credential.id
        )
    )


def _receipt_of(entry: BoardEntry) -> Receipt:
    return Receipt(dict(entry.receipt), entry.receipt_signature)


def _check_open(round_: Round, ballot: crypto.CiphertextBallot) -> None:
    if round_.state is not RoundState.OPEN:
        raise BallotRejected(Check.ROUND_NOT_OPEN)
    if ballot.round_hash != round_.round_hash:
        raise BallotRejected(Check.WRONG_ROUND)


def _verify(round_: Round, ballot: crypto.CiphertextBallot) -> None:
    try:
        crypto.verify_ballot(round_context(round_), ballot)
    except crypto.InvalidSignature as e:
        raise BallotRejected(Check.SIGNATURE, str(e)) from e
    except crypto.InvalidCredential as e:
        raise BallotRejected(Check.NOT_ELIGIBLE, str(e)) from e
    except crypto.InvalidBallot as e:
        raise BallotRejected(Check.WRONG_ROUND, str(e)) from e
    except crypto.InvalidProof as e:
        raise BallotRejected(Check.PROOF, str(e)) from e


def lock_round(db: Session, round_id: int) -> Round:
    """Start the write transaction holding the round's lock, and re-read the round.

    The ballot box appends under it, and ``rounds.close_round`` takes it too, so a close
    waits for the append in flight (ATTACKS.md T-18.c). It commits the session's open
    read transaction first: the lock must be taken at BEGIN."""
    db.commit()  # end any read transaction: the lock must be taken at BEGIN
    if db.get_bind().dialect.name == "sqlite":
        db.connection(execution_options={"dhvote_begin": "IMMEDIATE"})
        locked = db.get(Round, round_id, populate_existing=True)
    else:
        locked = db.get(Round, round_id, with_for_update=True, populate_existing=True)
    if locked is None:  # pragma: no cover - rounds are never deleted
        raise BallotRejected(Check.ROUND_NOT_OPEN)
    return locked


def _duplicate_components(db: Session, round_id: int, components: list[bytes]) -> bool:
    found = db.scalar(
        sa.select(sa.func.count())
        .select_from(BallotComponent)
        .where(BallotComponent.round_id == round_id, BallotComponent.a.in_(components))
    )
    return bool(found)


def _clash(round_id: int, detail: str = "") -> BallotRejected:
    """The refusal of a ballot repeating a ciphertext component, logged as an incident.

    Honest terminals draw fresh randomness, so a repeat is a copied ballot or a terminal
    reusing randomness (a clash attack, ATTACKS.md T-3.a). The log names the round only:
    no ballot content, credential or choice (T-7.d).
    """
    log.warning(
        "round %s: ballot refused as a duplicate: a ciphertext component repeats one "
        "already on the board or among the audited ballots",
        round_id,
    )
    return BallotRejected(Check.DUPLICATE, detail)


def cast_ballot(
    db: Session,
    round_: Round,
    payload: bytes | str | dict[str, Any],
    *,
    server_key: Ed25519PrivateKey,
    now: datetime,
) -> Receipt:
    """Accept a signed ballot into ``round_`` and return its signed receipt.

    Raises ``BallotRejected`` naming the failed check; a refused ballot changes nothing.
    """
    ballot = _parse(round_, payload)
    _check_open(round_, ballot)
    credential = _credential(db, round_, ballot.credential)
    ballot_json = ballot.to_json()
    h_B = crypto.ballot_hash(ballot_json)
    previous = _existing(db, round_, credential)
    if previous is not None:
        if previous.ballot_hash == h_B:
            return _receipt_of(previous)
        raise BallotRejected(Check.ALREADY_VOTED)
    components = [ct.A.encode() for ct in ballot.ciphertexts]
    if len(set(components)) != len(components):
        raise _clash(round_.id, "hai bộ đếm có cùng thành phần")
    if _duplicate_components(db, round_.id, components):
        raise _clash(round_.id)
    _verify(round_, ballot)

    round_id, credential_id = round_.id, credential.id
    try:
        locked = lock_round(db, round_id)
        _check_open(locked, ballot)
        round_hash = ballot.round_hash  # equal to the locked round's, checked just above
        again = db.scalar(
            sa.select(BoardEntry).where(
                BoardEntry.round_id == round_id, BoardEntry.credential_id == credential_id
            )
        )
        if again is not None:
            receipt = _receipt_of(again)
            same = again.ballot_hash == h_B
            db.rollback()
            if same:
                return receipt
            raise BallotRejected(Check.ALREADY_VOTED)
        if _duplicate_components(db, round_id, components):
            raise _clash(round_id)
        last = db.execute(
            sa.select(BoardEntry.position, BoardEntry.chain_hash)
            .where(BoardEntry.round_id == round_id)
            .order_by(BoardEntry.position.desc())
            .limit(1)
        ).first()
        position = 1 if last is None else last.position + 1
        previous_hash = crypto.chain_genesis(round_hash) if last is None else last.chain_hash
        chain_hash = crypto.chain_next(previous_hash, h_B)
        body = {
            "round": round_hash.hex(),
            "position": position,
            "ballot": h_B.hex(),
            "chain": chain_hash.hex(),
            "time": _utc(now),
        }
        signature = bytes.fromhex(crypto.sign_receipt(server_key, body))
        entry = BoardEntry(
            round_id=round_id,
            position=position,
            credential_id=credential_id,
            ballot=ballot_json,
            ballot_hash=h_B,
            chain_hash=chain_hash,
            receipt=body,
            receipt_signature=signature,
            received_at=now,
        )
        db.add(entry)
        db.flush()
        db.add_all(
            BallotComponent(round_id=round_id, a=a, board_entry_id=entry.id) for a in components
        )
        db.commit()
    except IntegrityError as e:
        # A concurrent request won the race for this credential (or these components).
        db.rollback()
        winner = db.scalar(
            sa.select(BoardEntry).where(
                BoardEntry.round_id == round_id, BoardEntry.credential_id == credential_id
            )
        )
        if winner is not None and winner.ballot_hash == h_B:
            return _receipt_of(winner)
        if winner is not None:
            raise BallotRejected(Check.ALREADY_VOTED) from e
        raise _clash(round_id) from e
    except BaseException:
        db.rollback()
        raise
    return Receipt(body, signature)


def challenge_ballot(db: Session, round_: Round, audited: Any, *, now: datetime) -> AuditedBallot:
    """Post a challenged (Benaloh-audited) ballot: never counted, and its ciphertexts can
    never be cast afterwards (their components are reserved on the board).

    The audit must re-encrypt to the posted ciphertexts (``crypto.verify_audited``).
    """
    if not isinstance(audited, dict) or "ballot" not in audited:
        raise BallotRejected(Check.MALFORMED, "thiếu lá phiếu")
    ballot = _parse(round_, audited["ballot"])
    _check_open(round_, ballot)
    credential = _credential(db, round_, ballot.credential)
    try:
        crypto.verify_audited(round_context(round_), audited)
    except crypto.InvalidSignature as e:
        raise BallotRejected(Check.SIGNATURE, str(e)) from e
    except crypto.InvalidProof as e:
        raise BallotRejected(Check.PROOF, str(e)) from e
    except crypto.CryptoError as e:
        raise BallotRejected(Check.MALFORMED, str(e)) from e
    components = [ct.A.encode() for ct in ballot.ciphertexts]
    h_B = ballot.hash()
    round_id, credential_id = round_.id, credential.id
    try:
        locked = lock_round(db, round_id)
        _check_open(locked, ballot)
        if _duplicate_components(db, round_id, components):
            raise _clash(round_id)
        posted = AuditedBallot(
            round_id=round_id,
            credential_id=credential_id,
            audit=audited,
            ballot_hash=h_B,
            received_at=now,
        )
        db.add(posted)
        db.flush()
        db.add_all(
            BallotComponent(round_id=round_id, a=a, audited_ballot_id=posted.id) for a in components
        )
        db.commit()
    except IntegrityError as e:
        db.rollback()
        raise BallotRejected(Check.DUPLICATE) from e
    except BaseException:
        db.rollback()
        raise
    return posted


def board_entries(db: Session, round_: Round) -> list[BoardEntry]:
    """The round's board in order."""
    return list(
        db.scalars(
            sa.select(BoardEntry)
            .where(BoardEntry.round_id == round_.id)
            .order_by(BoardEntry.position)
        )
    )


def find_by_tracking_code(db: Session, round_: Round, code: str) -> list[BoardEntry]:
    """The board entries whose ballot hash starts with this tracking code, in board order.

    The code is read as typed on the receipt: case, spaces and dashes do not matter; it
    has two or more groups of five characters. Two ballots of a round may share the 50
    bits of a two-group code (ATTACKS.md T-8.c): then both are returned, and the board
    shows each with the longer code that tells them apart (``crypto.tracking_codes``).
    """
    wanted = "".join(code.split()).replace("-", "").upper()
    size = crypto.TRACKING_GROUP
    groups = len(wanted) // size
    if len(wanted) % size or not crypto.TRACKING_GROUPS <= groups <= crypto.TRACKING_GROUPS_MAX:
        return []
    return [
        entry
        for entry in board_entries(db, round_)
        if crypto.tracking_code(entry.ballot_hash, groups).replace("-", "") == wanted
    ]


def turnout(db: Session, round_: Round) -> tuple[int, int]:
    """``(ballots cast, eligible credentials)`` for the round: counts only, never who."""
    cast = db.scalar(
        sa.select(sa.func.count()).select_from(BoardEntry).where(BoardEntry.round_id == round_.id)
    )
    return int(cast or 0), int(round_.eligible_count or 0)


@dataclass(frozen=True)
class AbsentBallot:
    """A ballot on the board whose credential belongs to a delegate not recorded present."""

    position: int
    member_code: str
    member_name: str


@dataclass(frozen=True)
class Reconciliation:
    """A round's board against the attendance register (ATTACKS.md T-4.d)."""

    ballots: int
    #: Delegates recorded present at the round's sitting whose credential is on the round's
    #: eligible list.
    present_with_credentials: int
    #: In board order, the ballots of delegates not recorded present at the sitting.
    absent: tuple[AbsentBallot, ...]

    @property
    def within_attendance(self) -> bool:
        return self.ballots <= self.present_with_credentials

    @property
    def consistent(self) -> bool:
        return self.within_attendance and not self.absent


def reconcile(db: Session, round_: Round) -> Reconciliation:
    """Reconcile the board of ``round_`` with the attendance register as it stands now.

    The eligible list froze with the checked-in delegates when the round opened; a delegate
    recorded absent afterwards (a correction, or one who left the hall) keeps a credential
    that still votes. This report counts the ballots against the delegates present with a
    credential and names every ballot cast with an absent delegate's credential, for the
    inspection commission. It reads only.
    """
    present = set(
        db.scalars(
            sa.select(Attendance.member_id).where(
                Attendance.session_id == round_.session_id, Attendance.present.is_(True)
            )
        )
    )
    eligible = set(
        db.scalars(
            sa.select(VotingCredential.member_id)
            .join(RoundEligibility, RoundEligibility.credential_id == VotingCredential.id)
            .where(RoundEligibility.round_id == round_.id)
        )
    )
    rows = db.execute(
        sa.select(BoardEntry.position, Member.id, Member.code, Member.full_name)
        .join(VotingCredential, VotingCredential.id == BoardEntry.credential_id)
        .join(Member, Member.id == VotingCredential.member_id)
        .where(BoardEntry.round_id == round_.id)
        .order_by(BoardEntry.position)
    ).all()
    absent = tuple(
        AbsentBallot(row.position, row.code, row.full_name) for row in rows if row.id not in present
    )
    return Reconciliation(len(rows), len(present & eligible), absent)


def open_round_for(db: Session, congress_id: int, credential_hex: Any) -> Round:
    """The open round of the congress that this public credential may vote in now.

    Raises ``BallotRejected`` (``NOT_ELIGIBLE``, ``REVOKED``, ``ALREADY_VOTED``) or
    ``NoOpenRound``. The terminal calls this after deriving the key from the badge.
    """
    try:
        public_key = crypto.check_public_credential(
            bytes.fromhex(credential_hex) if isinstance(credential_hex, str) else b""
        ).encode()
    except (ValueError, crypto.CryptoError) as e:
        raise BallotRejected(Check.NOT_ELIGIBLE, "khóa công khai không hợp lệ") from e
    from election.models import Contest

    round_ = db.scalar(
        sa.select(Round)
        .join(Contest, Contest.id == Round.contest_id)
        .where(Contest.congress_id == congress_id, Round.state == RoundState.OPEN)
    )
    if round_ is None:
        raise NoOpenRound("Hiện không có vòng bỏ phiếu nào đang mở")
    credential = _credential(db, round_, public_key)
    if _existing(db, round_, credential) is not None:
        raise BallotRejected(Check.ALREADY_VOTED)
    return round_


class NoOpenRound(DomainError):
    """No round of the congress is open."""

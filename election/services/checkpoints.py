"""Signed checkpoints of the event log, and the check of the whole log (issue 7 item 5).

The log is append-only (database triggers) and hash-chained (``events``). Both protect
against a bug; neither against whoever can write the database file: such a person can drop
the triggers, delete a row and recompute every later hash. A checkpoint ties the chain to a
key that is *not* in the database — the server's Ed25519 key, whose private half is a file
in the instance folder (``serverkey``) — so that rewriting the log before a checkpoint
needs that file too.

Format. A checkpoint over entry ``seq`` whose ``entry_hash`` is ``head`` is the Ed25519
signature, by the server key, of the 48-byte message::

    b"dh-vote/v1/event-checkpoint\\x00" || seq as 8 bytes big-endian || head

Fixed-size fields, so the message has one reading; its own prefix, so that no receipt or
other signature of the same key is ever a valid checkpoint. ``head`` chains every earlier
entry, so one signature vouches for the whole prefix of the log.

When. ``events.record`` calls ``after_append`` for every entry it writes; when the entry's
number is a multiple of the interval (``CHECKPOINT_INTERVAL``, 50) and a ``Signer`` is
installed for the database (``install_signer``: the app and ``dhvote`` do it), the
checkpoint is written in the same transaction as the entry. ``create_checkpoint`` signs the
current head on demand (the inspection commission): it first logs its own request, so the
checkpoint also covers who asked for it.

Check. ``verify_log`` recomputes the chain and every checkpoint signature against keys the
caller trusts (the key file's, or one given on the command line: never the database's own
``server_keys`` row, which the same attacker could replace) and reports the first problem
with its position: a missing entry (a gap), an entry pointing at one that no longer exists
(deleted, or its predecessor altered), entries out of order, an altered entry, a forged
checkpoint, a checkpoint the log no longer matches (rewritten with recomputed hashes), a
missing periodic checkpoint, or a log cut short below a signed checkpoint. Entries after the
last checkpoint are only as safe as the chain: the report says how many.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy.orm import Session

from crypto import EncodingError, parse_json
from election.errors import InvalidState
from election.models import CheckpointKind, Congress, Event, EventCheckpoint, Role
from election.rules.values import is_whole
from election.services import events
from election.services.base import Actor, require_role, service
from election.services.serverkey import public_key_bytes

__all__ = [
    "CHECKPOINT_PREFIX",
    "DEFAULT_INTERVAL",
    "LogProblem",
    "LogReport",
    "Signer",
    "after_append",
    "checkpoint_message",
    "create_checkpoint",
    "install_signer",
    "remove_signer",
    "sign_checkpoint",
    "signer_for",
    "verify_checkpoint",
    "verify_log",
]

log = logging.getLogger(__name__)

CHECKPOINT_PREFIX = b"dh-vote/v1/event-checkpoint\x00"
DEFAULT_INTERVAL = 50


# ------------------------------------------------------------------------------- format


def checkpoint_message(seq: int, head: bytes) -> bytes:
    """The bytes a checkpoint signs (module docstring)."""
    if not is_whole(seq, low=1, high=2**63 - 1):
        raise ValueError(f"a checkpoint's sequence number is a positive integer, got {seq!r}")
    if not isinstance(head, bytes) or len(head) != len(events.GENESIS_HASH):
        raise ValueError("a checkpoint's head is a 32-byte entry hash")
    return CHECKPOINT_PREFIX + seq.to_bytes(8, "big") + head


def sign_checkpoint(key: Ed25519PrivateKey, seq: int, head: bytes) -> bytes:
    return key.sign(checkpoint_message(seq, head))


def verify_checkpoint(public_key: bytes, seq: int, head: bytes, signature: bytes) -> None:
    """Raise ``InvalidSignature`` unless ``signature`` is ``public_key``'s over (seq, head)."""
    try:
        key = Ed25519PublicKey.from_public_bytes(public_key)
    except ValueError as e:
        raise InvalidSignature(f"not an Ed25519 public key: {e}") from e
    key.verify(signature, checkpoint_message(seq, head))


# ------------------------------------------------------------------------------- signing


@dataclass
class Signer:
    """Where the server key comes from, and every how many entries to sign.

    ``load`` returns the private key or None when it is not available (the key file does not
    exist yet: ``dhvote init-db`` creates it). It is called at most once with success; the
    key is then kept.
    """

    load: Callable[[], Ed25519PrivateKey | None]
    interval: int = DEFAULT_INTERVAL
    _key: Ed25519PrivateKey | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if not is_whole(self.interval):
            raise TypeError("the checkpoint interval is an integer")
        if self.interval < 1:
            raise ValueError("the checkpoint interval is at least 1")

    def key(self) -> Ed25519PrivateKey | None:
        if self._key is None:
            self._key = self.load()
        return self._key


# One signer per database engine: the app's (and the CLI's) engine gets the key file's
# signer; an engine made by a script or a test has none unless it asks. Weak, so that a
# disposed engine does not stay alive because of it.
_SIGNERS: weakref.WeakKeyDictionary[sa.Engine, Signer] = weakref.WeakKeyDictionary()


def _engine_of(db: Session) -> sa.Engine:
    bind = db.get_bind()
    return bind.engine if isinstance(bind, sa.Connection) else bind


def install_signer(engine: sa.Engine, signer: Signer) -> None:
    """Sign periodic checkpoints for every session on ``engine``."""
    _SIGNERS[engine] = signer


def remove_signer(engine: sa.Engine) -> None:
    _SIGNERS.pop(engine, None)


def signer_for(db: Session) -> Signer | None:
    return _SIGNERS.get(_engine_of(db))


def _write(
    db: Session,
    key: Ed25519PrivateKey,
    event: Event,
    *,
    kind: CheckpointKind,
    by: str,
    now: datetime,
) -> EventCheckpoint:
    checkpoint = EventCheckpoint(
        seq=event.seq,
        head=event.entry_hash,
        signature=sign_checkpoint(key, event.seq, event.entry_hash),
        public_key=public_key_bytes(key),
        kind=kind,
        created_at=now,
        created_by=by,
    )
    db.add(checkpoint)
    db.flush()
    return checkpoint


def after_append(db: Session, event: Event, *, now: datetime) -> EventCheckpoint | None:
    """Called by ``events.record`` for every new entry: write the periodic checkpoint when
    the entry's number is a multiple of the interval. Does not commit (the entry's
    transaction does)."""
    signer = signer_for(db)
    if signer is None or event.seq % signer.interval != 0:
        return None
    key = signer.key()
    if key is None:
        # Not fatal: refusing the change would stop the congress because of a missing file.
        # ``verify_log`` reports the missing checkpoint, so the gap is seen, not hidden.
        log.warning("no server key: entry %s of the event log is not checkpointed", event.seq)
        return None
    return _write(db, key, event, kind=CheckpointKind.PERIODIC, by="system", now=now)


@service
def create_checkpoint(
    db: Session, actor: Actor, congress: Congress, key: Ed25519PrivateKey, *, now: datetime
) -> EventCheckpoint:
    """Sign the log's head now (the inspection commission, or the system actor).

    The request itself is logged first (``log.checkpoint``), so the checkpoint covers it. If
    that entry happens to be a periodic one, its periodic checkpoint is the answer.
    """
    require_role(db, actor, congress, Role.INSPECTION)
    event = events.record(
        db, actor, "log.checkpoint", congress, now=now, congress=congress, data={}
    )
    existing = db.scalar(sa.select(EventCheckpoint).where(EventCheckpoint.seq == event.seq))
    if existing is not None:
        return existing
    return _write(db, key, event, kind=CheckpointKind.ON_DEMAND, by=actor.username, now=now)


# ------------------------------------------------------------------------------- checking


@dataclass(frozen=True)
class LogProblem:
    """The first thing wrong with the log: ``code`` says what, ``seq`` where.

    Codes (``params`` in brackets):

    * ``gap`` — entries ``seq`` .. ``last`` are missing (deleted): the numbers jump [last];
    * ``broken`` — entry ``seq`` points at an entry that is no longer in the log: an entry
      before it was deleted (and the rest renumbered) or altered;
    * ``reordered`` — entry ``seq`` points at the entry now at position ``points_to``;
    * ``altered`` — entry ``seq``'s content does not match its hash;
    * ``unreadable`` — entry ``seq`` (or checkpoint ``seq``) cannot even be read;
    * ``bad_seq`` — a row with the impossible number ``seq``;
    * ``forged_checkpoint`` — the checkpoint at ``seq`` is not signed by a trusted key;
    * ``rewritten`` — the signed head at ``seq`` is not the log's: an entry in
      ``since`` .. ``seq`` was changed and the chain recomputed [since];
    * ``missing_checkpoint`` — no checkpoint at ``seq``, a multiple of ``interval``
      [interval];
    * ``truncated`` — a checkpoint is signed at ``signed`` but the log ends before: entries
      ``seq`` .. ``signed`` were deleted [signed, last];
    * ``bad_checkpoint`` — a row of the checkpoint table cannot be read [row]; ``seq`` is 0.
    """

    code: str
    seq: int
    params: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        """In Vietnamese, the language of record (the command line prints it)."""
        return VIETNAMESE[self.code].format(seq=self.seq, **self.params)


#: What ``dhvote verify-log`` prints; the web pages have the same sentences as translatable
#: messages (``election/web/inspection/texts.py``).
VIETNAMESE = {
    "gap": "Mục {seq} bị xóa: nhật ký nhảy từ mục {before} sang mục {after}.",
    "broken": (
        "Chuỗi băm đứt tại mục {seq}: mục {seq} trỏ tới một mục không còn trong nhật ký — "
        "mục đứng trước nó đã bị xóa hoặc bị sửa."
    ),
    "reordered": (
        "Thứ tự nhật ký bị đảo tại mục {seq}: mục này trỏ tới mục đang ở vị trí {points_to}."
    ),
    "altered": "Mục {seq} bị sửa: nội dung không khớp với mã băm đã ghi.",
    "unreadable": "Mục {seq} bị sửa: dữ liệu không đọc được.",
    "bad_seq": "Có một dòng mang số thứ tự không hợp lệ ({seq}): nhật ký bị sửa.",
    "forged_checkpoint": (
        "Điểm kiểm soát tại mục {seq} bị giả mạo: chữ ký không hợp lệ với khóa của máy chủ."
    ),
    "rewritten": (
        "Nhật ký bị viết lại: điểm kiểm soát đã ký tại mục {seq} không khớp — một mục từ "
        "{since} đến {seq} đã bị sửa, xóa hoặc chèn và chuỗi băm được tính lại."
    ),
    "missing_checkpoint": (
        "Thiếu điểm kiểm soát tại mục {seq} (cứ {interval} mục có một): điểm kiểm soát bị "
        "xóa hoặc nhật ký bị viết lại từ đó."
    ),
    "truncated": (
        "Nhật ký bị cắt: có điểm kiểm soát đã ký tại mục {signed} nhưng nhật ký chỉ còn đến "
        "mục {last} — các mục từ {seq} đến {signed} bị xóa."
    ),
    "bad_checkpoint": (
        "Một điểm kiểm soát (dòng {row} của bảng) không đọc được: bảng điểm kiểm soát bị sửa."
    ),
}


@dataclass(frozen=True)
class LogReport:
    """What ``verify_log`` found."""

    #: Entries read.
    entries: int
    #: The last entry's hash (None for an empty log).
    head: bytes | None
    #: Checkpoints whose signature and head were verified (up to the first problem).
    checkpoints: int
    #: The number of the last verified checkpoint, if any.
    last_checkpoint: int | None
    #: The first problem, or None when the log verifies.
    problem: LogProblem | None
    #: The numbers of the checkpoints (all found, verified or not), for the log page.
    checkpoint_seqs: frozenset[int] = frozenset()

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def unsigned_tail(self) -> int:
        """Entries after the last verified checkpoint: protected by the chain only."""
        return self.entries - (self.last_checkpoint or 0)

    def __str__(self) -> str:
        if self.problem is not None:
            return str(self.problem)
        signed = (
            f"điểm kiểm soát cuối tại mục {self.last_checkpoint}"
            if self.last_checkpoint
            else "chưa có điểm kiểm soát nào"
        )
        return (
            f"Nhật ký hợp lệ: {self.entries} mục, chuỗi băm liền mạch, "
            f"{self.checkpoints} điểm kiểm soát có chữ ký hợp lệ ({signed})."
        )


@dataclass(frozen=True)
class _Row:
    seq: int
    prev_hash: bytes
    entry_hash: bytes
    body: dict[str, Any] | None


#: What reading a tampered value can raise (a date that is no date, text in a number ...).
_UNREADABLE = (ValueError, TypeError, OverflowError, sa.exc.StatementError)

_EVENT_COLUMNS = (
    Event.seq,
    Event.at,
    Event.actor,
    Event.role,
    Event.action,
    Event.object_type,
    Event.object_id,
    Event.congress,
    # The raw text: a tampered document must be reported, not crash the check.
    sa.type_coerce(Event.__table__.c.data, sa.Text).label("data"),
    Event.prev_hash,
    Event.entry_hash,
)


def _row(r: Any) -> _Row:
    try:
        data = parse_json(r.data)
        if not isinstance(data, dict):
            raise ValueError("data is not an object")
        body: dict[str, Any] | None = events.entry_body(
            seq=r.seq,
            at=r.at,
            actor=r.actor,
            role=r.role,
            action=r.action,
            object_type=r.object_type,
            object_id=r.object_id,
            congress=r.congress,
            data=data,
        )
    except (EncodingError, ValueError, TypeError, AttributeError):
        body = None
    return _Row(r.seq, bytes(r.prev_hash or b""), bytes(r.entry_hash or b""), body)


def _read_rows(db: Session) -> tuple[list[_Row], int | None]:
    """Every entry in order, and the number of the first one that cannot be read at all."""
    query = sa.select(*_EVENT_COLUMNS).order_by(Event.seq)
    try:
        return [_row(r) for r in db.execute(query)], None
    except _UNREADABLE:
        pass
    # Slow path: some value cannot even be converted (a date that is no date). Read one row
    # at a time to find it; everything before it is still checked.
    rows: list[_Row] = []
    for seq in db.scalars(sa.select(Event.seq).order_by(Event.seq)).all():
        try:
            found = db.execute(sa.select(*_EVENT_COLUMNS).where(Event.seq == seq)).one()
        except _UNREADABLE:
            return rows, seq
        rows.append(_row(found))
    return rows, None


@dataclass(frozen=True)
class _Checkpoint:
    seq: int
    head: bytes
    signature: bytes


_CHECKPOINT_COLUMNS = (EventCheckpoint.seq, EventCheckpoint.head, EventCheckpoint.signature)


def _checkpoint(r: Any) -> _Checkpoint:
    if not is_whole(r.seq):
        raise TypeError(f"checkpoint number {r.seq!r}")
    return _Checkpoint(r.seq, bytes(r.head or b""), bytes(r.signature or b""))


def _read_checkpoints(db: Session) -> tuple[dict[int, _Checkpoint], int | None]:
    """Every checkpoint by number, and the table row id of the first unreadable one."""
    query = sa.select(*_CHECKPOINT_COLUMNS).order_by(EventCheckpoint.id)
    try:
        return {c.seq: c for c in map(_checkpoint, db.execute(query))}, None
    except _UNREADABLE:
        pass
    out: dict[int, _Checkpoint] = {}
    for ident in db.scalars(sa.select(EventCheckpoint.id).order_by(EventCheckpoint.id)).all():
        try:
            found = _checkpoint(
                db.execute(sa.select(*_CHECKPOINT_COLUMNS).where(EventCheckpoint.id == ident)).one()
            )
        except _UNREADABLE:
            return out, ident
        out[found.seq] = found
    return out, None


def _signed_by(keys: Sequence[bytes], seq: int, head: bytes, signature: bytes) -> bool:
    for key in keys:
        try:
            verify_checkpoint(key, seq, head, signature)
        except (InvalidSignature, ValueError):
            continue
        return True
    return False


def verify_log(
    db: Session, trusted_keys: Iterable[bytes], *, interval: int | None = DEFAULT_INTERVAL
) -> LogReport:
    """Check the whole log and every checkpoint; report the first problem (module docstring).

    ``trusted_keys`` are the server public keys a checkpoint may be signed with. ``interval``
    is the periodic checkpoint interval the server runs with: a multiple of it without a
    checkpoint is a problem; None skips that test (a log written without a signer). Reads
    only.
    """
    keys = [bytes(k) for k in trusted_keys]
    if not keys:
        raise InvalidState("a checkpoint can only be checked against a trusted server key")
    if interval is not None and (isinstance(interval, bool) or interval < 1):
        raise ValueError("the checkpoint interval is a positive integer")

    # Read the log's end first, then the checkpoints, then the entries. A checkpoint is
    # committed with its entry, so every checkpoint of an entry up to ``known`` is already
    # visible when the checkpoints are read, even under READ COMMITTED while appends go on.
    known = db.scalar(sa.select(sa.func.max(Event.seq))) or 0
    checkpoints, bad_checkpoint = _read_checkpoints(db)
    rows, unreadable = _read_rows(db)

    by_hash = {row.entry_hash: row.seq for row in rows}
    expected = 1
    prev = events.GENESIS_HASH
    verified = 0
    last_verified: int | None = None
    problem: LogProblem | None = None

    def report(found: LogProblem | None) -> LogReport:
        return LogReport(
            entries=len(rows),
            head=rows[-1].entry_hash if rows else None,
            checkpoints=verified,
            last_checkpoint=last_verified,
            problem=found,
            checkpoint_seqs=frozenset(checkpoints),
        )

    for row in rows:
        if row.seq < expected:
            return report(LogProblem("bad_seq", row.seq))
        if row.seq > expected:
            return report(LogProblem("gap", expected, {"before": expected - 1, "after": row.seq}))
        if row.prev_hash != prev:
            # It points somewhere else in the log (rows swapped), or nowhere (the entry it
            # followed was deleted, or altered and rehashed).
            elsewhere = by_hash.get(row.prev_hash)
            if elsewhere is not None:
                return report(LogProblem("reordered", row.seq, {"points_to": elsewhere}))
            return report(LogProblem("broken", row.seq))
        if row.body is None:
            return report(LogProblem("unreadable", row.seq))
        if events.entry_hash(row.prev_hash, row.body) != row.entry_hash:
            return report(LogProblem("altered", row.seq))
        checkpoint = checkpoints.get(row.seq)
        if checkpoint is not None:
            if not _signed_by(keys, checkpoint.seq, checkpoint.head, checkpoint.signature):
                return report(LogProblem("forged_checkpoint", row.seq))
            if checkpoint.head != row.entry_hash:
                since = (last_verified or 0) + 1
                return report(LogProblem("rewritten", row.seq, {"since": since}))
            verified += 1
            last_verified = row.seq
        elif interval is not None and row.seq % interval == 0 and row.seq <= known:
            return report(LogProblem("missing_checkpoint", row.seq, {"interval": interval}))
        prev = row.entry_hash
        expected += 1

    if unreadable is not None:
        return report(LogProblem("unreadable", unreadable))
    last = rows[-1].seq if rows else 0
    beyond = [seq for seq in checkpoints if seq > last]
    if beyond:
        seq = max(beyond)
        checkpoint = checkpoints[seq]
        if not _signed_by(keys, seq, checkpoint.head, checkpoint.signature):
            problem = LogProblem("forged_checkpoint", seq)
        else:
            problem = LogProblem("truncated", last + 1, {"signed": seq, "last": last})
        return report(problem)
    if bad_checkpoint is not None:
        return report(LogProblem("bad_checkpoint", 0, {"row": bad_checkpoint}))
    return report(None)

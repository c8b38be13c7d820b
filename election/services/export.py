"""The election record of a round (or of the congress) built from the database.

``docs/record-format.md`` specifies the record; ``election.record`` has its types and
``election.verifier`` its checks V1-V11. This module fills the types from the tables, so
that what the server publishes is exactly what it stored:

* the **congress manifest** (``congress/manifest.json``) is built when a round opens
  (``freeze_congress_manifest``, called by ``rounds.open_round``) and stored in
  ``congress_manifests``; its hash goes into the round manifest. Rebuilding it at export
  time would not do: the number of approved delegates may change between rounds, and each
  round's ballots are bound to the manifest that stood when it opened;
* the **round manifest** is ``rounds.manifest`` as stored (its hash is ``h_R``); the
  served code's Subresource-Integrity hashes in it come from ``served_code``;
* credentials, board, audited ballots, tally and decryption are the stored rows, decoded
  strictly by the record's own readers (a row that does not decode is an ``ExportError``,
  never a silently different record);
* the **result** is decided again from the stored counts and majority base, exactly as
  the verifier's V9 does, and compared with the stored result;
* the **minutes** are ``election.record.minutes_data`` of those pieces, with the members'
  signatures stored by ``election.services.minutes`` (only those over this data).

Every function here reads; only ``freeze_congress_manifest`` writes (inside the caller's
transaction). Nothing commits.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

import crypto
from election.errors import InvalidState
from election.models import (
    AuditedBallot,
    BoardEntry,
    CongressKind,
    CongressManifestSnapshot,
    CredentialReview,
    DecryptionShare,
    KeyCeremony,
    Member,
    MinutesSignature,
    Round,
    RoundEligibility,
    ServerKey,
    TallyCounter,
)
from election.models import Congress as CongressRow
from election.paths import ASSET_MANIFEST
from election.record import (
    PROTOCOL,
    AuditedBallots,
    Board,
    Ceremony,
    CongressManifest,
    CredentialList,
    Decryption,
    EncryptedTally,
    Minutes,
    Node,
    Record,
    RecordError,
    RoundManifest,
    RoundRecord,
    minutes_data,
    tally_from_counts,
)
from election.record import AuditedBallot as RecordAudited
from election.record import BoardEntry as RecordEntry
from election.record import (
    MinutesSignature as RecordSignature,
)
from election.record import Receipt as RecordReceipt
from election.record.jsonio import IDENT
from election.rules import RoundResult, decide_round
from election.services.ceremony import completed_ceremony
from election.services.eligibility import has_voting_right

__all__ = [
    "SERVED_BUNDLES",
    "ExportError",
    "approved_delegates",
    "congress_manifest",
    "congress_name",
    "congress_record",
    "freeze_congress_manifest",
    "record_fingerprint",
    "round_id_of",
    "round_record",
    "served_code",
    "served_code_changes",
]

#: The files whose Subresource-Integrity hashes a round manifest carries: the code that runs
#: on the booths (every page loads app.js), the booth's stylesheet (it decides what a
#: delegate sees) and the code on the counting board's devices.
SERVED_BUNDLES = ("app.js", "booth.js", "booth.css", "guardian.js")

#: Rounds that have a result, and so a record.
_RECORDED = ("decrypted", "announced", "approved", "annulled")


class ExportError(InvalidState):
    """The database does not hold what a verifiable record needs; the message says what."""


# ------------------------------------------------------------------------------- served code


def served_code_changes(manifest: dict[str, Any] | None) -> list[str]:
    """The files whose served bytes now differ from the hashes a round manifest recorded
    when the round opened (``code``; ATTACKS.md T-11), in name order."""
    recorded = (manifest or {}).get("code") or {}
    served = served_code()
    return sorted(name for name, sri in recorded.items() if served.get(name) != sri)


def served_code(path: Path = ASSET_MANIFEST) -> dict[str, str]:
    """``{bundle: "sha384-..."}`` for the built ``SERVED_BUNDLES`` (``npm run build``).

    An empty mapping when the bundles are not built (a bare checkout, some tests): a round
    opened then has no ``code`` entries and its record cannot be exported (the format wants
    at least one). ``make setup`` builds them, so a real server always has them.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {
        name: value
        for name in SERVED_BUNDLES
        if isinstance(value := data.get(name), str) and value.startswith("sha384-")
    }


# ------------------------------------------------------------------------------- congress

_ROMAN = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


def _roman(n: int) -> str:
    out = ""
    for value, numeral in _ROMAN:
        count, n = divmod(n, value)
        out += numeral * count
    return out


def congress_name(congress: CongressRow) -> str:
    """The congress's name as printed: "Đại hội <tổ chức> lần thứ V, nhiệm kỳ 2025–2030"."""
    kind = "Đại hội đại biểu" if congress.kind is CongressKind.DELEGATES else "Đại hội"
    return f"{kind} {congress.organization} lần thứ {_roman(congress.ordinal)}, nhiệm kỳ " + (
        congress.term
    )


def approved_delegates(db: Session, congress: CongressRow) -> int:
    """Delegates (members, at a members' congress) whose credentials the congress recognised
    and who have the right to vote: what a congress contest's ``entitled`` equals (V3)."""
    query = (
        sa.select(Member)
        .join(CredentialReview, CredentialReview.member_id == Member.id)
        .where(Member.congress_id == congress.id, CredentialReview.recognised.is_(True))
    )
    # has_voting_right leaves out alternates, except one seated in an absent official's place
    # (who is then left out instead: R-DELEG-1).
    return sum(1 for m in db.scalars(query) if has_voting_right(m, congress))


def congress_manifest(
    db: Session, congress: CongressRow, ceremony: KeyCeremony | None = None
) -> dict[str, Any]:
    """The congress manifest as it stands now (docs/record-format.md section 3.2).

    Raises ``ExportError`` naming what is missing: a completed key ceremony whose members
    all registered a minutes-signing key, the server's receipt key (``dhvote init-db``), at
    least one approved delegate.
    """
    ceremony = ceremony or completed_ceremony(db, congress)
    if ceremony is None or ceremony.joint_key is None or ceremony.public_shares is None:
        raise ExportError("the congress has no completed key ceremony")
    server = db.scalar(sa.select(ServerKey).where(ServerKey.active.is_(True)))
    missing = []
    if server is None:
        missing.append("the server's receipt key (run `dhvote init-db`)")
    unsigned = [g.guardian_index for g in ceremony.members if g.signing_key is None]
    if unsigned:
        missing.append(f"the minutes-signing keys of counting-board members {unsigned}")
    approved = approved_delegates(db, congress)
    if approved < 1:
        missing.append("at least one approved delegate")
    if missing or server is None:
        raise ExportError("the congress manifest needs " + "; ".join(missing))
    members = []
    for g in sorted(ceremony.members, key=lambda g: g.guardian_index):
        if g.communication_key is None or g.signing_key is None:  # pragma: no cover - above
            raise ExportError(f"guardian {g.guardian_index} published no keys")
        members.append(
            {
                "index": g.guardian_index,
                "id": g.member.code,
                "name": g.member.full_name,
                "communication_key": g.communication_key.hex(),
                "signing_key": g.signing_key.hex(),
                "public_share": ceremony.public_shares[str(g.guardian_index)],
            }
        )
    return {
        "protocol": PROTOCOL,
        "group": crypto.GROUP_NAME,
        "id": congress.public_id,
        "name": congress_name(congress),
        "assembly": congress.kind.value,
        "approved_delegates": approved,
        "server_key": server.public_key.hex(),
        "counting_board": {"threshold": ceremony.threshold, "members": members},
        "joint_key": ceremony.joint_key.hex(),
    }


def freeze_congress_manifest(
    db: Session, congress: CongressRow, ceremony: KeyCeremony, *, now: datetime
) -> bytes | None:
    """Store the congress manifest as it stands now (once per distinct manifest) and return
    its hash, for the round manifest of a round being opened.

    Returns None when the set-up cannot give a complete manifest yet (no server key
    registered, a guardian without a minutes-signing key: development databases and tests
    that never export). The round then opens with a manifest that names the congress
    without its hash, and ``round_record`` refuses to export it, saying why.
    """
    try:
        manifest = congress_manifest(db, congress, ceremony)
    except ExportError:
        return None
    digest = crypto.congress_hash(manifest)
    known = db.scalar(
        sa.select(CongressManifestSnapshot.id).where(
            CongressManifestSnapshot.congress_id == congress.id,
            CongressManifestSnapshot.manifest_hash == digest,
        )
    )
    if known is None:
        db.add(
            CongressManifestSnapshot(
                congress_id=congress.id, manifest_hash=digest, manifest=manifest, created_at=now
            )
        )
    return digest


# ------------------------------------------------------------------------------- a round


def round_id_of(round_: Round) -> str:
    """The round's id in the record: ``<contest code>-<number>`` (an identifier)."""
    candidate = f"{round_.contest.code}-{round_.number}"
    return candidate if IDENT.fullmatch(candidate) else f"round-{round_.id}"


def _decode(what: str, build: Any) -> Any:
    try:
        return build()
    except (RecordError, crypto.CryptoError, ValueError, KeyError, TypeError) as e:
        raise ExportError(f"{what} does not decode as the record format says: {e}") from e


def _ceremony(ceremony: KeyCeremony) -> Ceremony:
    return _decode(
        "the key ceremony",
        lambda: Ceremony(
            tuple(
                crypto.GuardianCommitments.from_json(g.commitments, ceremony.threshold)
                for g in sorted(ceremony.members, key=lambda g: g.guardian_index)
            )
        ),
    )


def _congress_manifest_for(db: Session, round_: Round, manifest: RoundManifest) -> Any:
    snapshot = db.scalar(
        sa.select(CongressManifestSnapshot).where(
            CongressManifestSnapshot.congress_id == round_.contest.congress_id,
            CongressManifestSnapshot.manifest_hash == manifest.congress_hash,
        )
    )
    if snapshot is None:
        raise ExportError(
            f"round {round_id_of(round_)}: the congress manifest it was bound to is not stored"
        )
    return _decode(
        "the congress manifest",
        lambda: CongressManifest.from_json(Node(snapshot.manifest, "congress/manifest.json")),
    )


def _round_manifest(round_: Round, file: str) -> RoundManifest:
    stored = round_.manifest
    if stored is None:
        raise ExportError(f"round {round_id_of(round_)} was never opened")
    if "hash" not in stored.get("congress", {}) or not stored.get("code"):
        raise ExportError(
            f"round {round_id_of(round_)} was opened before the congress manifest could be "
            "built (no server key, members without minutes-signing keys, or the browser "
            "code not built): its manifest lacks the congress hash or the code hashes, so "
            "no verifiable record can be made of it"
        )
    manifest: RoundManifest = _decode(
        "the round manifest", lambda: RoundManifest.from_json(Node(stored, file))
    )
    if manifest.hash() != round_.round_hash:  # pragma: no cover - stored together
        raise ExportError(f"round {round_id_of(round_)}: h_R does not match its manifest")
    return manifest


def _board(db: Session, round_: Round, manifest: RoundManifest) -> Board:
    rows = db.scalars(
        sa.select(BoardEntry).where(BoardEntry.round_id == round_.id).order_by(BoardEntry.position)
    ).all()
    file = f"rounds/{round_id_of(round_)}/board.json"

    def build() -> Board:
        entries = tuple(
            RecordEntry(
                crypto.CiphertextBallot.from_json(row.ballot, manifest.form),
                RecordReceipt.from_json(Node(row.receipt, file)),
                row.receipt_signature,
            )
            for row in rows
        )
        head = rows[-1].chain_hash if rows else crypto.chain_genesis(manifest.hash())
        return Board(entries, head)

    return _decode("the board", build)


def _audited(db: Session, round_: Round, manifest: RoundManifest) -> AuditedBallots:
    rows = db.scalars(
        sa.select(AuditedBallot)
        .where(AuditedBallot.round_id == round_.id)
        .order_by(AuditedBallot.id)
    ).all()
    file = f"rounds/{round_id_of(round_)}/audited.json"
    return _decode(
        "the audited ballots",
        lambda: AuditedBallots(
            tuple(RecordAudited.from_json(Node(row.audit, file), manifest.form) for row in rows)
        ),
    )


def _tally(db: Session, round_: Round) -> EncryptedTally:
    rows = db.scalars(
        sa.select(TallyCounter)
        .where(TallyCounter.round_id == round_.id)
        .order_by(TallyCounter.counter_index)
    ).all()
    if not rows:
        raise ExportError(f"round {round_id_of(round_)} has no tally")
    return _decode(
        "the tally",
        lambda: EncryptedTally(
            rows[0].ballots,
            tuple(
                crypto.Ciphertext(crypto.Point.decode(r.a), crypto.Point.decode(r.b)) for r in rows
            ),
        ),
    )


def _decryption(db: Session, round_: Round, manifest: RoundManifest) -> Decryption:
    result = round_.result
    if result is None:
        raise ExportError(f"round {round_id_of(round_)} has no result")
    rows = db.scalars(
        sa.select(DecryptionShare)
        .where(DecryptionShare.round_id == round_.id)
        .order_by(DecryptionShare.guardian_index)
    ).all()
    counters = manifest.form.counters
    values = result.tally["counters"]
    return _decode(
        "the decryption",
        lambda: Decryption(
            tuple(crypto.DecryptionShare.from_json(r.share, len(counters)) for r in rows),
            tuple((name, values[name]) for name in counters),
        ),
    )


def _result(round_: Round, manifest: RoundManifest, decryption: Decryption) -> RoundResult:
    """The rules' result decided again from the stored counts, as V9 does, and checked
    against the result stored when the round was decrypted."""
    # Imported here: rounds imports this module when it opens a round.
    from election.services.rounds import base_from_json

    stored = round_.result
    if stored is None:  # pragma: no cover - _decryption checked it
        raise ExportError(f"round {round_id_of(round_)} has no result")
    profile = manifest.profile()
    tally = tally_from_counts(
        manifest.rules_form(),
        decryption.values,
        cast=stored.cast_ballots,
        issued=stored.issued,
        profile=profile,
    )
    decided = decide_round(manifest.rules_round(), tally, base_from_json(stored.base), profile)
    elected = [
        line.candidate.member.code
        for line in sorted(stored.candidates, key=lambda c: c.rank)
        if line.outcome.value == "elected"
    ]
    if decided.status.value != stored.outcome.value or sorted(decided.elected) != sorted(elected):
        raise ExportError(
            f"round {round_id_of(round_)}: the stored result differs from the rules applied "
            "again to the stored counts"
        )
    return decided


def _minutes(
    db: Session,
    round_: Round,
    congress: CongressManifest,
    manifest: RoundManifest,
    head: bytes,
    result: RoundResult,
) -> Minutes:
    data = minutes_data(congress, manifest, head, result)
    message = crypto.minutes_message(data)
    rows = db.scalars(
        sa.select(MinutesSignature)
        .where(MinutesSignature.round_id == round_.id, MinutesSignature.message == message)
        .order_by(MinutesSignature.guardian_index)
    ).all()
    return Minutes(data, tuple(RecordSignature(r.guardian_index, r.signature) for r in rows))


def _round_parts(db: Session, round_: Round) -> tuple[CongressManifest, RoundRecord]:
    if round_.state.value not in _RECORDED or round_.result is None:
        raise ExportError(
            f"round {round_id_of(round_)} has no result yet (state {round_.state.value})"
        )
    rid = round_id_of(round_)
    manifest = _round_manifest(round_, f"rounds/{rid}/manifest.json")
    congress = _congress_manifest_for(db, round_, manifest)
    keys = db.scalars(
        sa.select(RoundEligibility).where(RoundEligibility.round_id == round_.id)
    ).all()
    credentials = CredentialList(tuple(sorted(e.credential.public_key for e in keys)))
    board = _board(db, round_, manifest)
    decryption = _decryption(db, round_, manifest)
    result = _result(round_, manifest, decryption)
    record = RoundRecord(
        round_id=rid,
        manifest=manifest,
        credentials=credentials,
        board=board,
        audited=_audited(db, round_, manifest),
        tally=_tally(db, round_),
        decryption=decryption,
        result=result,
        minutes=_minutes(db, round_, congress, manifest, board.head, result),
    )
    return congress, record


def _ceremony_of(db: Session, congress: CongressRow) -> KeyCeremony:
    ceremony = completed_ceremony(db, congress)
    if ceremony is None:
        raise ExportError("the congress has no completed key ceremony")
    return ceremony


def round_record(db: Session, round_: Round) -> Record:
    """The record of one round (``scope: "round"``); raises ``ExportError`` saying why not."""
    congress, record = _round_parts(db, round_)
    ceremony = _ceremony(_ceremony_of(db, round_.contest.congress))
    return Record("round", congress, ceremony, (record,))


def congress_record(db: Session, congress: CongressRow, rounds: Sequence[Round]) -> Record:
    """The record of the congress: ``rounds`` (those with a result, in the order held).

    Every round must be bound to the same congress manifest; rounds opened before and after
    a change of it (e.g. a delegate approved late) cannot share one record, and the error
    names them.
    """
    parts = [_round_parts(db, r) for r in rounds]
    if not parts:
        raise ExportError("no round of the congress has a result yet")
    hashes = {c.hash() for c, _ in parts}
    if len(hashes) != 1:
        raise ExportError(
            "the rounds were bound to different congress manifests; export them one by one"
        )
    ceremony = _ceremony(_ceremony_of(db, congress))
    return Record("congress", parts[0][0], ceremony, tuple(r for _, r in parts))


# ------------------------------------------------------------------------------- fingerprint


def record_fingerprint(record: Record) -> bytes:
    """SHA-256 of the record without its minutes: what the minutes print and encode as QR.

    It is taken over ``crypto.canonical_json`` of ``{path: file}`` for every file of the
    record except the rounds' ``minutes.json`` (which hold the signatures and would make
    the fingerprint change as members sign). Anyone holding the published record recomputes
    it; it binds the manifests, the ballots, the tally, the shares and the result.
    """
    files: Mapping[str, Any] = {
        path: value for path, value in record.files().items() if not path.endswith("/minutes.json")
    }
    return hashlib.sha256(crypto.canonical_json(dict(files))).digest()

"""Verifying each round's election record in the background (issue 7 item 3).

The inspection commission starts a run (``start_verification``): the round's record is
exported from the database (``election.services.export.round_record``), written as a zip
into the instance folder's ``records/`` directory and its SHA-256 recorded, so that the zip
the commission downloads is byte for byte the one that was verified. ``launch`` then runs
the independent verifier (``election.verifier.verify``, checks V1-V11) on that file in a
thread with its own database session; ``run_verification`` is that thread's body, and tests
call it directly. Progress (the ballots checked by V4) is written to the run as it goes,
at most about once a second, and the page polls it.

Why a thread on the *file* rather than on the record in memory: the verifier then reads
exactly the bytes that are published, through its own strict reader, as an outside
verifier would; the server's objects are not trusted. The file's hash is checked before and
after the verifier reads it, so a file swapped underneath the run is reported, not
verified.

A run's state: ``running`` (a run silent for ``STALE_AFTER`` is shown as interrupted and
may be restarted), ``passed``, ``failed`` (a check failed or could not run) or ``error``
(the verifier could not run at all). The latest run of a round is the round's verification
status (``round_audits``). Starting and finishing a run are written to the event log.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from election.errors import InvalidState, NotFound
from election.models import (
    Congress,
    Contest,
    Role,
    Round,
    RoundState,
    VerificationRun,
    VerificationStatus,
)
from election.record import Record, write_zip
from election.services import events
from election.services.base import Actor, require_role, service

__all__ = [
    "RECORDED_STATES",
    "RECORDS_DIR",
    "STALE_AFTER",
    "RoundAudit",
    "audit_state",
    "export_zip",
    "file_matches",
    "finish_verification",
    "latest_run",
    "launch",
    "record_path",
    "report_json",
    "round_audits",
    "run_verification",
    "start_verification",
    "wait",
]

log = logging.getLogger(__name__)

#: The directory, inside the instance folder, holding the exported records.
RECORDS_DIR = "records"
#: A running run that has given no sign of life for this long was interrupted.
STALE_AFTER = timedelta(minutes=10)
#: Failures kept per check in the stored report (the count is always kept).
KEPT_FAILURES = 50
#: Rounds that have a result, and so a record (``export`` refuses the others).
RECORDED_STATES = (
    RoundState.DECRYPTED,
    RoundState.ANNOUNCED,
    RoundState.APPROVED,
    RoundState.ANNULLED,
)

Builder = Callable[[Session, Round], Record]
Clock = Callable[[], datetime]


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _sha256_file(path: Path) -> bytes:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.digest()


# ------------------------------------------------------------------------------- status


@dataclass(frozen=True)
class RoundAudit:
    """A round and its verification status (``audit_state``)."""

    round: Round
    state: str
    run: VerificationRun | None


def latest_run(db: Session, round_: Round) -> VerificationRun | None:
    return db.scalars(
        sa.select(VerificationRun)
        .where(VerificationRun.round_id == round_.id)
        .order_by(VerificationRun.id.desc())
        .limit(1)
    ).first()


def audit_state(round_: Round, run: VerificationRun | None, now: datetime) -> str:
    """``no_record`` (no result yet), ``not_verified``, ``running``, ``interrupted``,
    ``passed``, ``failed`` or ``error``."""
    if run is None:
        return "not_verified" if round_.state in RECORDED_STATES else "no_record"
    if run.status is VerificationStatus.RUNNING:
        return "interrupted" if now - run.heartbeat_at > STALE_AFTER else "running"
    return run.status.value


def round_audits(db: Session, congress: Congress, *, now: datetime) -> list[RoundAudit]:
    """Every round of the congress that has been opened, in the order held, with its
    latest run."""
    rounds = db.scalars(
        sa.select(Round)
        .join(Contest, Contest.id == Round.contest_id)
        .where(Contest.congress_id == congress.id, Round.round_hash.is_not(None))
        .order_by(Round.opened_at, Round.id)
    ).all()
    out = []
    for round_ in rounds:
        run = latest_run(db, round_)
        out.append(RoundAudit(round_, audit_state(round_, run, now), run))
    return out


def file_matches(path: Path, digest: bytes) -> bool:
    """Whether the file at ``path`` still has the SHA-256 ``digest`` (False if unreadable)."""
    try:
        return _sha256_file(path) == digest
    except OSError:
        return False


def record_path(directory: Path, run: VerificationRun) -> Path:
    """Where ``run``'s zip is (its name is only ever one the server chose)."""
    return directory / Path(run.record_file).name


# ------------------------------------------------------------------------------- start


def _default_builder(db: Session, round_: Round) -> Record:
    from election.services import export

    return export.round_record(db, round_)


def export_zip(
    db: Session, round_: Round, directory: Path, *, build: Builder | None = None
) -> tuple[Path, bytes, bytes]:
    """Export ``round_``'s record into ``directory``: (the zip's path, its SHA-256, the
    record's fingerprint as the minutes print it). Raises ``export.ExportError`` (an
    ``InvalidState``) when the database does not hold a complete record."""
    from election.services import export

    record = (build or _default_builder)(db, round_)
    directory.mkdir(parents=True, exist_ok=True)
    partial = directory / f".round-{round_.id}-{secrets.token_hex(8)}.part"
    try:
        write_zip(record, partial)
        digest = _sha256_file(partial)
        # Named by content: the same record exported twice is the same file.
        final = directory / f"round-{round_.id}-{digest.hex()[:16]}.zip"
        os.replace(partial, final)
    finally:
        partial.unlink(missing_ok=True)
    return final, digest, export.record_fingerprint(record)


@service
def start_verification(
    db: Session,
    actor: Actor,
    round_: Round,
    *,
    directory: Path,
    now: datetime,
    build: Builder | None = None,
) -> VerificationRun:
    """Export the round's record and create a running verification of it (module
    docstring). The caller then runs it (``launch``, or ``run_verification``)."""
    congress = round_.contest.congress
    require_role(db, actor, congress, Role.INSPECTION)
    if round_.state not in RECORDED_STATES:
        raise InvalidState("the round has no result yet, so no record to verify")
    current = latest_run(db, round_)
    if current is not None and current.status is VerificationStatus.RUNNING:
        if now - current.heartbeat_at <= STALE_AFTER:
            raise InvalidState("a verification of this round is already running")
        current.status = VerificationStatus.ERROR
        current.error = "interrupted: no progress for too long"
        current.finished_at = max(now, current.started_at)
    path, digest, fingerprint = export_zip(db, round_, directory, build=build)
    run = VerificationRun(
        round=round_,
        status=VerificationStatus.RUNNING,
        record_file=path.name,
        record_sha256=digest,
        fingerprint=fingerprint,
        started_by=actor.username,
        started_by_id=actor.user_id,
        started_at=now,
        heartbeat_at=now,
        done=0,
        total=0,
    )
    db.add(run)
    events.record(
        db,
        actor,
        "audit.start",
        run,
        now=now,
        congress=congress,
        data={
            "round": round_.id,
            "record_sha256": digest.hex(),
            "fingerprint": fingerprint.hex(),
        },
    )
    return run


# ------------------------------------------------------------------------------- run


def _plain(value: Any) -> Any:
    return value if isinstance(value, str | int | bool) or value is None else str(value)


def _failure_json(failure: Any) -> dict[str, Any]:
    return {
        "file": failure.file,
        "position": failure.position,
        "where": failure.where,
        "code": failure.code,
        "params": {k: _plain(v) for k, v in failure.params.items()},
        "detail": failure.detail[:2000],
    }


def report_json(report: Any) -> dict[str, Any]:
    """The stored form of an ``election.verifier.Report``: codes and parameters (the page
    words them in its language), counts, times in milliseconds (canonical JSON has no
    floats), and the first ``KEPT_FAILURES`` failures of each check."""
    return {
        "ok": report.ok,
        "ms": int(report.seconds * 1000),
        "workers": report.workers,
        "checks": [
            {
                "id": c.check_id,
                "unit": c.unit,
                "status": c.status.value,
                "count": c.count,
                "ms": int(c.seconds * 1000),
                "failure_count": len(c.failures),
                "failures": [_failure_json(f) for f in c.failures[:KEPT_FAILURES]],
                "skipped_count": len(c.skipped),
                "skipped": [_failure_json(f) for f in c.skipped[:KEPT_FAILURES]],
            }
            for c in report.checks
        ],
    }


def _runner_actor(run: VerificationRun) -> Actor:
    if run.started_by_id is None:
        return Actor(run.started_by)
    return Actor(run.started_by, Role.INSPECTION, run.started_by_id)


@service
def record_progress(
    db: Session, run: VerificationRun, *, done: int, total: int, now: datetime
) -> VerificationRun:
    """The runner's progress and sign of life (not logged: it changes nothing of record)."""
    run.done = max(0, done)
    run.total = max(0, total)
    run.heartbeat_at = now
    return run


@service
def finish_verification(
    db: Session,
    run: VerificationRun,
    *,
    now: datetime,
    report: Any = None,
    error: str | None = None,
) -> VerificationRun:
    """Store the verifier's ``report`` (passed or failed), or the ``error`` that stopped it,
    and log the outcome on behalf of whoever started the run."""
    if run.status is not VerificationStatus.RUNNING:
        raise InvalidState("the run has already finished")
    if (report is None) == (error is None):
        raise ValueError("a run finishes with a report or with an error")
    if report is not None:
        run.report = report_json(report)
        run.status = VerificationStatus.PASSED if report.ok else VerificationStatus.FAILED
    else:
        run.error = str(error)[:4000] or "error"
        run.status = VerificationStatus.ERROR
    run.finished_at = max(now, run.started_at)
    run.heartbeat_at = run.finished_at
    failed = [c["id"] for c in (run.report or {}).get("checks", []) if c["status"] != "passed"]
    events.record(
        db,
        _runner_actor(run),
        "audit.finish",
        run,
        now=run.finished_at,
        congress=run.round.contest.congress,
        data={
            "round": run.round_id,
            "status": run.status.value,
            "not_passed": failed,
            "record_sha256": run.record_sha256.hex(),
        },
    )
    return run


class _Progress:
    """The verifier's progress callback: writes to the run at most every ``every`` seconds."""

    def __init__(self, db: Session, run: VerificationRun, clock: Clock, every: float) -> None:
        self.db, self.run, self.clock, self.every = db, run, clock, every
        self.last: datetime | None = None

    def __call__(self, check_id: str, done: int, total: int) -> None:
        now = self.clock()
        due = self.last is None or (now - self.last).total_seconds() >= self.every
        if due or done >= total:
            self.last = now
            record_progress(self.db, self.run, done=done, total=total, now=now)


def run_verification(
    db: Session,
    run_id: int,
    *,
    directory: Path,
    clock: Clock = _utcnow,
    workers: int = 1,
    every: float = 1.0,
) -> VerificationRun:
    """Verify the run's zip and store the outcome (the background thread's body).

    Never raises because the record is bad: a failed check is a ``failed`` run, and a record
    that cannot be verified at all (its file changed or vanished) an ``error`` run.
    """
    from election.verifier import verify

    run = db.get(VerificationRun, run_id)
    if run is None:
        raise NotFound(f"verification run {run_id} does not exist")
    if run.status is not VerificationStatus.RUNNING:
        return run
    path = record_path(directory, run)
    try:
        if not file_matches(path, run.record_sha256):
            raise InvalidState(f"{path.name} changed after it was exported")
        report = verify(
            path,
            workers=workers,
            executor="process",
            progress=_Progress(db, run, clock, every),
        )
        if not file_matches(path, run.record_sha256):
            raise InvalidState(f"{path.name} changed while it was being verified")
    except Exception as e:  # noqa: BLE001 - whatever stopped the verifier is the run's error
        db.rollback()
        log.warning("verification run %s stopped: %s", run_id, e)
        return finish_verification(db, run, now=clock(), error=f"{type(e).__name__}: {e}")
    return finish_verification(db, run, now=clock(), report=report)


# ------------------------------------------------------------------------------- thread

_THREADS: dict[int, threading.Thread] = {}
_THREADS_LOCK = threading.Lock()


def launch(
    engine: sa.Engine, run_id: int, *, directory: Path, workers: int = 1
) -> threading.Thread:
    """Run ``run_verification`` in a daemon thread with its own session on ``engine``.

    One worker by default: the verifier then runs inline in the thread and the web server
    keeps the other core; a dedicated machine may give it more (processes).
    """

    def body() -> None:
        with Session(engine, expire_on_commit=False) as db:
            try:
                run_verification(db, run_id, directory=directory, workers=workers)
            except Exception:  # pragma: no cover - the database itself failed
                log.exception("verification run %s could not be recorded", run_id)

    thread = threading.Thread(target=body, name=f"dhvote-verify-{run_id}", daemon=True)
    with _THREADS_LOCK:
        for ident in [i for i, t in _THREADS.items() if not t.is_alive()]:
            del _THREADS[ident]
        _THREADS[run_id] = thread
    thread.start()
    return thread


def wait(run_id: int, timeout: float | None = None) -> bool:
    """Wait for a launched run's thread; True when it has ended (tests, shutdown)."""
    with _THREADS_LOCK:
        thread = _THREADS.get(run_id)
    if thread is None:
        return True
    thread.join(timeout)
    return not thread.is_alive()

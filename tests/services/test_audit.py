"""The inspection commission's verification of a round's record (issue 7 item 3): exported
to a zip whose SHA-256 is kept, verified by the independent verifier with its progress, the
outcome stored with every check and logged.

Most tests give the service a simulated record (``election.record.simulate``) in place of
the export, so that they do not need a whole election; one runs the real export of a round
cast and counted through the services.
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from election.errors import InvalidState, PermissionDenied
from election.models import Event, Role, Round, RoundState, VerificationRun, VerificationStatus
from election.record import Record, dump_json, read_record
from election.record.simulate import SimulatedRound, simulate
from election.services import audit, export, minutes
from election.services.base import SYSTEM
from tests import factories as f
from tests.e2e.support import count_round, open_round
from tests.factories import later


@cache
def _simulated() -> SimulatedRound:
    return simulate(names=3, seats=2, ballots=3, guardians=2, threshold=1, audited=0)


def _honest(db: Session, round_: Round) -> Record:
    return _simulated().record


def _bad_signature(tmp: Path) -> Record:
    """The simulated record with one minutes signature changed: V11 must fail."""
    files = _simulated().record.files()
    files = json.loads(json.dumps(files))
    rid = _simulated().round.round_id
    signature = files[f"rounds/{rid}/minutes.json"]["signatures"][0]
    last = signature["signature"][-1]
    signature["signature"] = signature["signature"][:-1] + ("0" if last != "0" else "1")
    folder = tmp / "tampered"
    for name, value in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(dump_json(value))
    return read_record(folder)


def _decrypted(db: Session) -> Round:
    s = f.scenario(db)
    return f.run_to(db, s.round, RoundState.DECRYPTED, ballots=4)


def _start(db: Session, round_: Round, tmp: Path, **kwargs: Any) -> VerificationRun:
    kwargs.setdefault("build", _honest)
    kwargs.setdefault("now", later(60))
    return audit.start_verification(db, SYSTEM, round_, directory=tmp, **kwargs)


def _actions(db: Session) -> list[str]:
    return list(db.scalars(sa.select(Event.action).order_by(Event.seq)))


def test_a_round_without_a_result_has_no_record(session: Session, tmp_path: Path) -> None:
    s = f.scenario(session)
    with pytest.raises(InvalidState):
        _start(session, s.round, tmp_path)
    f.run_to(session, s.round, RoundState.OPEN, ballots=2)
    [row] = audit.round_audits(session, s.congress, now=later(60))
    assert (row.state, row.run) == ("no_record", None)


def test_an_honest_record_passes_every_check(session: Session, tmp_path: Path) -> None:
    round_ = _decrypted(session)
    [row] = audit.round_audits(session, round_.contest.congress, now=later(60))
    assert row.state == "not_verified"

    run = _start(session, round_, tmp_path)
    path = audit.record_path(tmp_path, run)
    assert run.status is VerificationStatus.RUNNING and path.is_file()
    assert hashlib.sha256(path.read_bytes()).digest() == run.record_sha256
    assert run.fingerprint == export.record_fingerprint(_simulated().record)
    assert audit.audit_state(round_, run, later(61)) == "running"

    ticks = iter(range(1000))
    done = audit.run_verification(
        session, run.id, directory=tmp_path, clock=lambda: later(61 + next(ticks)), every=0
    )
    assert done.status is VerificationStatus.PASSED and done.error is None
    assert done.report is not None and done.report["ok"] is True
    checks = done.report["checks"]
    assert [c["id"] for c in checks] == [f"V{i}" for i in range(1, 12)]
    assert all(c["status"] == "passed" and c["failure_count"] == 0 for c in checks)
    assert done.done == done.total == 3  # V4's ballots
    assert done.finished_at is not None and done.finished_at > done.started_at
    assert _actions(session)[-2:] == ["audit.start", "audit.finish"]
    [row] = audit.round_audits(session, round_.contest.congress, now=later(90))
    assert (row.state, row.run) == ("passed", done)
    # Finished runs are not run again.
    assert audit.run_verification(session, run.id, directory=tmp_path) is done


def test_a_failing_check_fails_the_run_and_names_it(session: Session, tmp_path: Path) -> None:
    round_ = _decrypted(session)
    tampered = _bad_signature(tmp_path)
    run = _start(session, round_, tmp_path / "records", build=lambda db, r: tampered)
    done = audit.run_verification(session, run.id, directory=tmp_path / "records")
    assert done.status is VerificationStatus.FAILED
    assert done.report is not None
    failed = {c["id"]: c for c in done.report["checks"] if c["status"] != "passed"}
    assert list(failed) == ["V11"]
    failures = failed["V11"]["failures"]
    assert failures and failed["V11"]["failure_count"] == len(failures)
    assert all(x["file"].endswith("minutes.json") and x["code"] for x in failures)
    finish = session.scalars(sa.select(Event).order_by(Event.seq.desc())).first()
    assert finish is not None and finish.data["not_passed"] == ["V11"]


def test_a_record_changed_after_export_is_not_verified(session: Session, tmp_path: Path) -> None:
    round_ = _decrypted(session)
    run = _start(session, round_, tmp_path)
    path = audit.record_path(tmp_path, run)
    path.write_bytes(path.read_bytes() + b"\0")
    done = audit.run_verification(session, run.id, directory=tmp_path)
    assert done.status is VerificationStatus.ERROR and done.report is None
    assert "changed after it was exported" in (done.error or "")
    assert audit.audit_state(round_, done, later(90)) == "error"


def test_one_run_at_a_time_and_an_interrupted_one_is_replaced(
    session: Session, tmp_path: Path
) -> None:
    round_ = _decrypted(session)
    first = _start(session, round_, tmp_path)
    with pytest.raises(InvalidState):
        _start(session, round_, tmp_path, now=later(65))
    quiet = later(60) + audit.STALE_AFTER + timedelta(minutes=1)
    assert audit.audit_state(round_, first, quiet) == "interrupted"
    second = _start(session, round_, tmp_path, now=quiet)
    assert first.status is VerificationStatus.ERROR and first.finished_at == quiet
    assert second.status is VerificationStatus.RUNNING
    # The same record exported twice is the same file.
    assert second.record_file == first.record_file


def test_only_the_inspection_commission_starts_a_run(session: Session, tmp_path: Path) -> None:
    round_ = _decrypted(session)
    presidium = f.make_actor(session, round_.contest.congress, Role.PRESIDIUM)
    with pytest.raises(PermissionDenied):
        audit.start_verification(
            session, presidium, round_, directory=tmp_path, now=later(60), build=_honest
        )
    inspector = f.make_actor(session, round_.contest.congress, Role.INSPECTION)
    run = audit.start_verification(
        session, inspector, round_, directory=tmp_path, now=later(60), build=_honest
    )
    done = audit.run_verification(session, run.id, directory=tmp_path)
    finish = session.scalars(sa.select(Event).order_by(Event.seq.desc())).first()
    assert finish is not None and finish.actor == inspector.username
    assert finish.role == "inspection" and done.started_by_id == inspector.user_id


# SQLite only: the thread opens its own session, which cannot see the uncommitted
# transaction the PostgreSQL fixture wraps each test in; the mechanism is the same on both.
@pytest.mark.parametrize("session", ["sqlite"], indirect=True)
def test_the_background_thread_runs_it(session: Session, tmp_path: Path) -> None:
    round_ = _decrypted(session)
    run = _start(session, round_, tmp_path)
    engine = session.get_bind()
    assert isinstance(engine, sa.Engine)
    audit.launch(engine, run.id, directory=tmp_path)
    assert audit.wait(run.id, timeout=60)
    session.expire_all()
    reread = session.get(VerificationRun, run.id)
    assert reread is not None and reread.status is VerificationStatus.PASSED


def test_a_round_exported_from_the_database_passes(session: Session, tmp_path: Path) -> None:
    """The real export (``export.round_record``) of a round cast, counted and signed
    through the services."""
    opened = open_round(session, tmp_path, voters=8, names=3, seats=2, board=3)
    for voter, keep in zip(opened.voters[:4], (0, 1, 0, 2), strict=True):
        choice = [0, 0, 0, 0, 0]
        choice[keep] = 1
        voter.cast(session, opened.round, choice, opened.server_key, later(2))
    count_round(session, opened.round, opened.devices, (1, 3), later(3))
    view = minutes.minutes_view(session, opened.round)
    for j in (1, 2):
        minutes.sign_minutes(
            session,
            SYSTEM,
            opened.round,
            opened.devices[j].sign(view.data),
            index=j,
            now=later(5),
        )
    records = tmp_path / "records"
    run = audit.start_verification(session, SYSTEM, opened.round, directory=records, now=later(6))
    assert run.fingerprint == view.fingerprint
    done = audit.run_verification(session, run.id, directory=records)
    assert done.status is VerificationStatus.PASSED, done.report

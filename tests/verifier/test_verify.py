"""The verifier's API, its command line, its worker pools and its independence (T-16.b, c)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from election.record import write_folder, write_zip
from election.record.simulate import SimulatedRound, simulate
from election.verifier import CHECKS, Status, verify
from election.verifier.cli import main
from election.verifier.progress import ProgressBar
from tests.record.sims import (
    agree_round,
    files_of,
    five_guardians,
    single_name_round,
    small_round,
    source_of,
)

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = ("flask", "sqlalchemy", "werkzeug", "jinja2", "election.app", "election.models",
             "election.web", "election.services")  # fmt: skip


@pytest.fixture(scope="module")
def record_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_zip(small_round().record, tmp_path_factory.mktemp("rec") / "round.zip")


@pytest.fixture(scope="module")
def tampered_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files = files_of(small_round().record)
    entry = files["rounds/committee-1/board.json"]["entries"][4]
    entry["receipt"]["time"] = "2025-06-15T07:00:00Z"
    path = tmp_path_factory.mktemp("bad") / "folder"
    path.mkdir()
    for name, data in source_of(files)._files.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_bytes(data)
    return path


def _system_random() -> SimulatedRound:
    return simulate(names=3, seats=1, ballots=3, audited=1, deterministic=False)


@pytest.mark.parametrize("sim", [five_guardians, agree_round, single_name_round, _system_random])
def test_other_honest_rounds_pass(sim) -> None:  # type: ignore[no-untyped-def]
    report = verify(sim().record, workers=1)
    assert report.ok, report.to_json("en")


def test_folder_and_zip(record_zip: Path, tmp_path: Path) -> None:
    folder = write_folder(small_round().record, tmp_path / "folder")
    for path in (record_zip, folder):
        report = verify(path, workers=1)
        # T-16.c: the honest record passes every check, each run on all its items, and the
        # report names every check of the list.
        assert report.ok
        assert [c.check_id for c in report.checks] == [cid for cid, _ in CHECKS]
        assert all(c.count > 0 for c in report.checks)
        assert report.check("V4").count == 6 and report.check("V10").count == 1


def test_a_congress_record_with_two_rounds() -> None:
    from election.record import Record
    from election.record.simulate import simulate_round

    first = five_guardians()
    second = simulate_round(
        first.congress, names=3, seats=2, ballots=5, contest_id="inspection", round_id="insp-1"
    )
    record = Record(
        "congress", first.congress.manifest, first.congress.ceremony, (first.round, second.round)
    )
    report = verify(record, workers=1)
    assert report.ok, report.to_json("en")
    assert report.check("V1").count == 3 and report.check("V9").count == 2
    assert verify(record.only("insp-1"), workers=1).ok
    # A round's files moved under another round's id fail V1 (the stated h_R).
    files = files_of(record)
    for name in ("manifest.json", "board.json"):
        files[f"rounds/insp-1/{name}"], files[f"rounds/committee-1/{name}"] = (
            files[f"rounds/committee-1/{name}"],
            files[f"rounds/insp-1/{name}"],
        )
    assert "V1" in verify(source_of(files), workers=1).failed


@pytest.mark.parametrize("executor", ["process", "thread"])
def test_worker_pools_report_the_same(executor: str, record_zip: Path, tampered_zip: Path) -> None:
    assert verify(record_zip, workers=2, executor=executor).ok  # type: ignore[arg-type]
    inline = verify(tampered_zip, workers=1)
    pooled = verify(tampered_zip, workers=2, executor=executor)  # type: ignore[arg-type]
    assert pooled.executor == executor and pooled.workers == 2
    for a, b in zip(inline.checks, pooled.checks, strict=True):
        assert (a.status, a.count, a.failures) == (b.status, b.count, b.failures)
    assert pooled.failed == ("V5",)


def test_cli_in_vietnamese_and_english(record_zip: Path, tampered_zip: Path) -> None:
    out = io.StringIO()
    assert main([str(record_zip), "--workers", "1"], stdout=out) == 0
    text = out.getvalue()
    assert "KẾT LUẬN: ĐẠT cả 11 kiểm tra." in text
    # T-16.c: the printed report has one line per check number, in the list's order.
    printed = [line.split()[:2] for line in text.splitlines() if line[:1] == "V"]
    assert printed == [[cid, "ĐẠT"] for cid, _ in CHECKS]
    assert "V4   ĐẠT" in text and "6 phiếu" in text and "Chuỗi băm của bảng tin" in text
    out = io.StringIO()
    assert main([str(tampered_zip), "--workers", "1", "--lang", "en"], stdout=out) == 1
    text = out.getvalue()
    assert "V5   FAIL" in text and "RESULT: FAIL. Failed: V5." in text
    assert "rounds/committee-1/board.json, position 5, $.entries[4].signature: " in text
    out = io.StringIO()
    assert main([str(tampered_zip), "--workers", "1"], stdout=out) == 1
    assert "vị trí 5" in out.getvalue() and "KHÔNG ĐẠT" in out.getvalue()


def test_json_report(tampered_zip: Path) -> None:
    out = io.StringIO()
    assert main([str(tampered_zip), "--workers", "1", "--json", "--lang", "en"], stdout=out) == 1
    report = json.loads(out.getvalue())
    assert report["ok"] is False
    v5 = next(c for c in report["checks"] if c["id"] == "V5")
    assert v5["status"] == "failed" and v5["count"] == 6
    failure = v5["failures"][0]
    assert failure["file"] == "rounds/committee-1/board.json"
    assert failure["position"] == 5 and failure["where"].startswith("$.entries[4]")
    assert failure["message"]
    assert [c["status"] for c in report["checks"]].count("passed") == 10


def test_missing_record_exits_1(tmp_path: Path) -> None:
    out = io.StringIO()
    assert main([str(tmp_path / "none.zip"), "--workers", "1"], stdout=out) == 1
    assert "BỎ QUA" in out.getvalue()


def test_usage_error_exits_2() -> None:
    with pytest.raises(SystemExit) as info:
        main(["--lang", "fr", "x"])
    assert info.value.code == 2


def test_progress_bar() -> None:
    stream = io.StringIO()
    bar = ProgressBar(stream, enabled=True)
    bar("V4", 3, 6)
    bar("V4", 6, 6)
    assert "V4   [" in stream.getvalue() and "6/6 100%" in stream.getvalue()
    bar.finish()
    assert stream.getvalue().endswith("\r")
    quiet = io.StringIO()
    ProgressBar(quiet, enabled=False)("V4", 1, 2)
    assert quiet.getvalue() == ""


def test_the_verifier_does_not_load_the_app(record_zip: Path) -> None:  # T-16.b
    code = (
        "import sys\n"
        "from election.verifier.cli import main\n"
        f"rc = main([{str(record_zip)!r}, '--workers', '2'])\n"
        f"bad = [m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r} "
        f"or any(m == f or m.startswith(f + '.') for f in {FORBIDDEN!r})]\n"
        "print('FORBIDDEN', bad)\n"
        "sys.exit(rc)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "FORBIDDEN []" in done.stdout


def test_python_dash_m(record_zip: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "election.verifier", str(record_zip), "--json", "--workers", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["ok"] is True


def test_statuses_are_strict(record_zip: Path) -> None:
    report = verify(record_zip, workers=1)
    assert {c.status for c in report.checks} == {Status.PASSED}


def test_click_command_for_dhvote(record_zip: Path) -> None:
    import click
    from click.testing import CliRunner

    from election.verifier.cli import click_command

    group = click.Group("dhvote")
    group.add_command(click_command())
    runner = CliRunner()
    done = runner.invoke(group, ["verify", str(record_zip), "--workers", "1", "--lang", "en"])
    assert done.exit_code == 0, done.output
    assert "RESULT: all 11 checks PASS." in done.output
    assert runner.invoke(group, ["verify", "--help"]).exit_code == 0

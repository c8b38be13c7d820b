"""``dhvote verify RECORD`` runs without Flask, SQLAlchemy or the app (issue 7)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from election.record import simulate, writer

ROOT = Path(__file__).resolve().parents[2]


def test_dhvote_verify_imports_no_web_or_database(tmp_path: Path) -> None:
    record = simulate.simulate(names=3, seats=2, ballots=3, guardians=3, threshold=2)
    folder = tmp_path / "record"
    writer.write_folder(record.record, folder)
    code = (
        "import sys\n"
        f"sys.argv = ['dhvote', 'verify', {str(folder)!r}, '--workers', '1', '--no-progress']\n"
        "from election.entry import main\n"
        "try:\n    main()\nexcept SystemExit as e:\n    status = e.code\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "('flask', 'sqlalchemy', 'werkzeug', 'jinja2') or m.startswith('election.models') "
        "or m in ('election.app', 'election.db', 'election.cli')]\n"
        "print('BAD', bad)\nsys.exit(status if not bad else 99)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BAD []" in result.stdout
    assert "V11" in result.stdout

"""Issue 5, test (b) and ATTACKS.md T-18.b and T-14.c: ballots streamed by two client
processes while the server (gunicorn, two workers) is killed with SIGKILL at random moments
(so also in the middle of a board append) and restarted, on SQLite (WAL) and on PostgreSQL.

Afterwards: every ballot that got a receipt is on the board at the receipt's position with
the receipt's chain hash, the chain verifies, every receipt's signature verifies, and
there are no duplicates.
"""

from __future__ import annotations

import json
import os
import random
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

import crypto
from bench.loadgen import Server, make_ballots, prepare
from election.db import make_engine
from election.models import BoardEntry
from tests.conftest import DATABASE_URL_VARIABLE, _database_params

ROOT = Path(__file__).resolve().parents[2]
BALLOTS = 500
pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _database(backend: str, tmp_path: Path) -> tuple[str, object]:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'crash.sqlite3'}", None
    url = os.environ[DATABASE_URL_VARIABLE]
    schema = f"dhvote_crash_{secrets.token_hex(4)}"
    admin = make_engine(url)
    with admin.begin() as c:
        c.exec_driver_sql(f"CREATE SCHEMA {schema}")
    return f"{url}?options=-csearch_path%3D{schema}", (admin, schema)


@pytest.mark.parametrize("backend", _database_params())
def test_receipted_ballots_survive_sigkill(backend: str, tmp_path: Path) -> None:
    db_url, cleanup = _database(backend, tmp_path)
    try:
        _run(db_url, tmp_path)
    finally:
        if cleanup is not None:
            admin, schema = cleanup  # type: ignore[misc]
            with admin.begin() as c:
                c.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
            admin.dispose()


def _run(db_url: str, tmp_path: Path) -> None:
    setup = prepare(db_url, tmp_path, voters=BALLOTS, names=4, seats=3)
    ballots = make_ballots(setup, tmp_path, range(BALLOTS))
    halves = [ballots[0::2], ballots[1::2]]
    server = Server(setup, _free_port(), workers=2, log=tmp_path / "gunicorn.log")
    server.start()
    clients = []
    for i, half in enumerate(halves):
        path = tmp_path / f"ballots{i}.json"
        path.write_text(json.dumps(half))
        clients.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "bench.loadgen",
                    "stream",
                    str(tmp_path),
                    server.url,
                    str(path),
                    str(tmp_path / f"receipts{i}.jsonl"),
                    str(tmp_path / f"out{i}.json"),
                ],
                cwd=ROOT,
            )
        )
    rng = random.Random(7)
    kills = 0
    deadline = time.monotonic() + 600
    try:
        while any(c.poll() is None for c in clients) and time.monotonic() < deadline:
            time.sleep(rng.uniform(0.3, 1.5))
            if kills < 12 and any(c.poll() is None for c in clients):
                server.kill()
                kills += 1
                server.start()
        for c in clients:
            assert c.wait(timeout=120) == 0
    finally:
        server.stop()
        for c in clients:
            if c.poll() is None:
                c.kill()

    results = [json.loads((tmp_path / f"out{i}.json").read_text()) for i in range(2)]
    receipts = []
    for i in range(2):
        for line in (tmp_path / f"receipts{i}.jsonl").read_text().splitlines():
            receipts.append(json.loads(line))
    engine = make_engine(db_url)
    with Session(engine) as db:
        entries = list(
            db.scalars(
                sa.select(BoardEntry)
                .where(BoardEntry.round_id == setup.round_id)
                .order_by(BoardEntry.position)
            )
        )
        by_position = {e.position: e for e in entries}
        server_public = db.execute(sa.text("SELECT public_key FROM server_keys")).scalar_one()
    engine.dispose()
    print(
        f"{backend_name(db_url)}: {len(receipts)} receipts, {len(entries)} on the board, "
        f"{kills} SIGKILLs, {sum(r['retries'] for r in results)} client retries, "
        f"refused: {[r['refused'] for r in results]}"
    )
    assert sum(r["accepted"] for r in results) == BALLOTS
    # Every receipt is on the board, where it says, with its chain hash.
    assert len({r["receipt"]["ballot"] for r in receipts}) == len(receipts) == BALLOTS
    for r in receipts:
        body = r["receipt"]
        crypto.verify_receipt(server_public, body, r["signature"])
        entry = by_position[body["position"]]
        assert entry.ballot_hash.hex() == body["ballot"]
        assert entry.chain_hash.hex() == body["chain"]
    # No duplicates, no gaps, and the chain verifies.
    assert [e.position for e in entries] == list(range(1, BALLOTS + 1))
    assert len({e.credential_id for e in entries}) == BALLOTS
    crypto.verify_chain(
        bytes.fromhex(setup.round_hash), [(e.ballot_hash, e.chain_hash) for e in entries]
    )
    assert kills >= 3


def backend_name(url: str) -> str:
    return url.split(":", 1)[0]

"""A load generator for the ballot box over HTTP (issue 5: test (b) and the benchmark).

* ``prepare``: a database (SQLite or PostgreSQL) with a congress whose open round has
  ``voters`` eligible credentials made from deterministic seeds, an enrolled terminal and
  the server key; returns a ``Setup`` (JSON-serialisable).
* ``make_ballots``: real signed ballots for a range of voters, in worker processes.
* ``Server``: gunicorn serving the app on loopback, killable with SIGKILL and restartable.
* ``stream``: one client process posting its ballots through the booth API, retrying
  across server deaths until each ballot has a receipt or a refusal; every receipt is
  appended to a JSON-lines file and fsynced before the next ballot.

Only loopback addresses are used, and every loop is bounded in count and time.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SECRET_KEY = "loadgen-secret-key-not-for-production-0123456789"  # noqa: S105 - test server


@dataclass
class Setup:
    db_url: str
    congress_id: str
    round_id: int
    round_hash: str
    terminal_token: str
    server_key_file: str
    voters: int
    names: int
    seats: int
    label: str

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "DHVOTE_DATABASE_URL": self.db_url,
            "DHVOTE_SECRET_KEY": SECRET_KEY,
            "DHVOTE_CONGRESS_ID": self.congress_id,
            "DHVOTE_SERVER_KEY_FILE": self.server_key_file,
            "DHVOTE_ENV": "development",
        }


def voter_seed(label: str, i: int) -> bytes:
    return hashlib.sha256(f"loadgen-{label}-{i}".encode()).digest()


def prepare(db_url: str, workdir: Path, *, voters: int, names: int, seats: int) -> Setup:
    """Create the schema and an open round with ``voters`` eligible credentials."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from sqlalchemy.orm import Session

    from election import migrate
    from election.db import make_engine
    from election.models import BodyKind, Role
    from election.services import candidates, rounds, serverkey, users
    from election.services.base import SYSTEM
    from tests import factories

    migrate.upgrade(db_url)
    engine = make_engine(db_url)
    label = f"{int(time.time() * 1000)}"
    with Session(engine, expire_on_commit=False) as db:
        congress = factories.make_congress(db, public_id=f"load-{label}")
        people = factories.make_members(db, congress, voters)
        board = people[-3:]
        factories.make_body(db, congress, BodyKind.COUNTING_BOARD, members=board)
        sitting = factories.make_sitting(db, congress, 1)
        position = factories.make_position(db, congress, seats=seats)
        contest = factories.make_contest(db, congress, position)
        for i, member in enumerate(people):
            key = Ed25519PrivateKey.from_private_bytes(voter_seed(label, i))
            factories.issue_credential(db, member, key.public_key().public_bytes_raw())
        factories.check_in(db, people, sitting)
        factories.make_ceremony(db, congress, board)
        for member in people[:names]:
            candidates.nominate(db, SYSTEM, contest, member, now=factories.NOW)
        built = candidates.build_candidate_list(
            db, SYSTEM, contest, sitting=sitting, now=factories.NOW
        )
        round_ = rounds.open_round(db, SYSTEM, built.round, now=factories.later(1))
        secretariat = factories.make_actor(db, congress, Role.SECRETARIAT)
        _, token = users.enroll_terminal(db, secretariat, congress, name="load", now=factories.NOW)
        key_file = workdir / "server-key.pem"
        serverkey.ensure_server_key(db, SYSTEM, key_file, now=factories.NOW)
        setup = Setup(
            db_url=db_url,
            congress_id=congress.public_id,
            round_id=round_.id,
            round_hash=(round_.round_hash or b"").hex(),
            terminal_token=token,
            server_key_file=str(key_file),
            voters=voters,
            names=names,
            seats=seats,
            label=label,
        )
        manifest = round_.manifest
    engine.dispose()
    (workdir / "manifest.json").write_text(json.dumps(manifest))
    (workdir / "setup.json").write_text(json.dumps(asdict(setup)))
    return setup


class _Signer:
    def __init__(self, seed: bytes) -> None:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        self._key = Ed25519PrivateKey.from_private_bytes(seed)
        self.public = self._key.public_key().public_bytes_raw()

    def sign(self, message: bytes) -> bytes:
        return self._key.sign(message)


def _ballots_for(args: tuple[dict[str, Any], str, dict[str, Any], list[int]]) -> list[str]:
    import random

    import crypto

    setup, label, manifest, voters = args
    ctx = crypto.RoundContext(
        bytes.fromhex(setup["round_hash"]),
        crypto.Point.decode(bytes.fromhex(manifest["joint_key"])),
        crypto.BallotForm.from_json(manifest["form"]),
    )
    n, k = setup["names"], setup["seats"]
    rng = random.Random(voters[0] if voters else 0)
    out = []
    for i in voters:
        kept = set(rng.sample(range(n), rng.randint(1, k)))
        counters = [1 if j in kept else 0 for j in range(n)] + [0, 0]
        ballot, _ = crypto.encrypt_ballot(ctx, counters, _Signer(voter_seed(label, i)))  # type: ignore[arg-type]
        out.append(json.dumps(ballot.to_json(), separators=(",", ":")))
    return out


def make_ballots(setup: Setup, workdir: Path, voters: range, processes: int = 2) -> list[str]:
    """Signed ballots (JSON text) for ``voters``, made in ``processes`` worker processes."""
    manifest = json.loads((workdir / "manifest.json").read_text())
    chunks = [list(voters[i::processes]) for i in range(processes)]
    with ProcessPoolExecutor(processes) as pool:
        parts = list(
            pool.map(_ballots_for, [(asdict(setup), setup.label, manifest, c) for c in chunks])
        )
    ballots: list[str] = []
    for part in parts:
        ballots.extend(part)
    return ballots


class Server:
    """gunicorn on 127.0.0.1:port in its own process group."""

    def __init__(self, setup: Setup, port: int, workers: int = 2, log: Path | None = None):
        self.setup = setup
        self.port = port
        self.workers = workers
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None
        self._log_file: Any = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> None:
        gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent))
        if gunicorn is None:
            raise RuntimeError("gunicorn is not installed in this environment")
        if self.log is not None and self._log_file is None:
            self._log_file = open(self.log, "ab")  # noqa: SIM115 - closed in stop()
        out = self._log_file if self._log_file is not None else subprocess.DEVNULL
        self.process = subprocess.Popen(
            [
                gunicorn,
                "--workers",
                str(self.workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "60",
                "election:create_app()",
            ],
            cwd=ROOT,
            env=self.setup.env(),
            stdout=out,
            stderr=out,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as r:  # noqa: S310
                    if r.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not start")

    def kill(self) -> None:
        """SIGKILL the master and every worker at once (no graceful anything)."""
        if self.process is not None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait(timeout=10)
            self.process = None

    def stop(self) -> None:
        if self.process is not None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
            self.process = None
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None


class Client:
    """A terminal: its enrolment cookie, a session cookie and that session's CSRF token."""

    def __init__(self, base: str, token: str) -> None:
        self.base = base
        self.token = token
        self.session_cookie = ""
        self.csrf = ""

    def _cookies(self) -> str:
        cookies = f"dhvote_terminal={self.token}"
        return f"{cookies}; {self.session_cookie}" if self.session_cookie else cookies

    def _login(self) -> None:
        request = urllib.request.Request(  # noqa: S310 - loopback only
            f"{self.base}/booth", headers={"Cookie": self._cookies()}
        )
        with urllib.request.urlopen(request, timeout=10) as r:  # noqa: S310 - loopback only
            page = r.read().decode()
            for header in r.headers.get_all("Set-Cookie") or []:
                if header.startswith("dhvote_session="):
                    self.session_cookie = header.split(";", 1)[0]
        match = re.search(r'name="csrf-token" content="([^"]+)"', page)
        if match is None:
            raise RuntimeError("no CSRF token on the booth page")
        self.csrf = match.group(1)

    def post(self, path: str, body: str) -> tuple[int, dict[str, Any]]:
        if not self.csrf:
            self._login()
        request = urllib.request.Request(  # noqa: S310 - loopback only
            f"{self.base}{path}",
            data=body.encode(),
            method="POST",
            headers={
                "Content-Type": "application/json",
                "X-CSRFToken": self.csrf,
                "Cookie": self._cookies(),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as r:  # noqa: S310 - loopback only
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"{}")


def stream(
    base: str,
    setup: Setup,
    ballots: list[str],
    receipts: Path,
    *,
    deadline_s: float = 600.0,
) -> dict[str, Any]:
    """Post every ballot until it has a receipt or a refusal; survive server deaths.

    Returns counts and per-ballot latencies (seconds, of the successful attempt).
    """
    client = Client(base, setup.terminal_token)
    path = f"/api/booth/rounds/{setup.round_id}/ballots"
    latencies: list[float] = []
    refused: dict[str, int] = {}
    retries = 0
    end = time.monotonic() + deadline_s
    with open(receipts, "a", encoding="utf-8") as out:
        for body in ballots:
            while True:
                if time.monotonic() > end:
                    raise TimeoutError("the stream did not finish in time")
                t0 = time.perf_counter()
                try:
                    status, data = client.post(path, body)
                except (
                    urllib.error.URLError,
                    OSError,
                    http.client.HTTPException,
                    json.JSONDecodeError,
                    RuntimeError,
                ):
                    # The server died mid-request (or before it): ask again. A ballot that
                    # was committed before the death gets its receipt back unchanged.
                    retries += 1
                    client.csrf = ""
                    time.sleep(0.05)
                    continue
                if status == 201:
                    latencies.append(time.perf_counter() - t0)
                    out.write(json.dumps(data) + "\n")
                    out.flush()
                    os.fsync(out.fileno())
                    break
                if status in (400, 502, 503):  # CSRF lost with a dead worker, or no worker
                    retries += 1
                    client.csrf = ""
                    time.sleep(0.05)
                    continue
                refused[data.get("error", str(status))] = (
                    refused.get(data.get("error", str(status)), 0) + 1
                )
                break
    return {
        "accepted": len(latencies),
        "refused": refused,
        "retries": retries,
        "latencies": latencies,
        "finished": datetime.now(UTC).isoformat(),
    }


def stream_main() -> None:
    """``python -m bench.loadgen stream WORKDIR BASE BALLOTS_FILE RECEIPTS OUT``."""
    workdir, base, ballots_file, receipts, out = sys.argv[2:7]
    setup = Setup(**json.loads((Path(workdir) / "setup.json").read_text()))
    ballots = json.loads(Path(ballots_file).read_text())
    result = stream(base, setup, ballots, Path(receipts))
    Path(out).write_text(json.dumps(result))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "stream":
        stream_main()
    else:
        raise SystemExit("usage: python -m bench.loadgen stream WORKDIR BASE BALLOTS RECEIPTS OUT")

"""Acceptance throughput of the ballot box over HTTP (issue 5, item 8).

A round of 65 names / 55 seats (cross-out) with 900 eligible credentials: twice the 450
delegates of the target congress, so that the load is 2x the delegates. The ballots are
encrypted and signed beforehand (not timed); then a second process (this one; gunicorn is
the first) posts all 900 through the booth API from ``--concurrency`` terminals at once,
and the run reports how many were accepted, the wall time, the throughput and the p50/p99
latency. Target: all 900 accepted within 90 s, p99 under 2 s, on this 2-core machine.

Writes ``bench/results-ballotbox.json``; ``bench/run.py`` puts it into docs/performance.md
(``python bench/ballotbox_bench.py`` then ``python bench/run.py --render-only``).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import socket
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.loadgen import Server, make_ballots, prepare, stream  # noqa: E402
from bench.run import machine_line  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
    return ordered[index]


def run(
    db_url: str | None, voters: int, names: int, seats: int, concurrency: int, workers: int
) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="dhvote-bench-") as tmp:
        work = Path(tmp)
        schema = None
        if db_url is None:
            db_url = f"sqlite:///{work / 'bench.sqlite3'}"
        elif db_url.startswith("postgresql"):
            from election.db import make_engine

            schema = f"dhvote_bench_{secrets.token_hex(4)}"
            admin = make_engine(db_url)
            with admin.begin() as c:
                c.exec_driver_sql(f"CREATE SCHEMA {schema}")
            db_url = f"{db_url}?options=-csearch_path%3D{schema}"
        t0 = time.perf_counter()
        setup = prepare(db_url, work, voters=voters, names=names, seats=seats)
        ballots = make_ballots(setup, work, range(voters), processes=2)
        prepared_s = time.perf_counter() - t0
        server = Server(setup, _free_port(), workers=workers, log=work / "gunicorn.log")
        server.start()
        chunks = [ballots[i::concurrency] for i in range(concurrency)]
        try:
            start = time.perf_counter()
            with ThreadPoolExecutor(concurrency) as pool:
                results = list(
                    pool.map(
                        lambda c: stream(server.url, setup, c[1], work / f"r{c[0]}.jsonl"),
                        enumerate(chunks),
                    )
                )
            wall = time.perf_counter() - start
        finally:
            server.stop()
            if schema is not None:
                with admin.begin() as c:
                    c.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
                admin.dispose()
    latencies = [x for r in results for x in r["latencies"]]  # type: ignore[union-attr]
    accepted = sum(int(r["accepted"]) for r in results)  # type: ignore[call-overload]
    refused: dict[str, int] = {}
    for r in results:
        for k, v in r["refused"].items():  # type: ignore[union-attr]
            refused[k] = refused.get(k, 0) + v
    return {
        "database": db_url.split(":", 1)[0],
        "voters": voters,
        "names": names,
        "seats": seats,
        "concurrency": concurrency,
        "gunicorn_workers": workers,
        "prepare_s": prepared_s,
        "accepted": accepted,
        "refused": refused,
        "wall_s": wall,
        "throughput_per_s": accepted / wall if wall else 0.0,
        "p50_s": statistics.median(latencies) if latencies else None,
        "p99_s": _percentile(latencies, 99) if latencies else None,
        "max_s": max(latencies) if latencies else None,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--voters", type=int, default=900)
    parser.add_argument("--names", type=int, default=65)
    parser.add_argument("--seats", type=int, default=55)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--postgres", action="store_true", help="also run on PostgreSQL")
    args = parser.parse_args()
    runs = [run(None, args.voters, args.names, args.seats, args.concurrency, args.workers)]
    pg = os.environ.get("DHVOTE_TEST_DATABASE_URL")
    if args.postgres and pg:
        runs.append(run(pg, args.voters, args.names, args.seats, args.concurrency, args.workers))
    out = {
        "machine": machine_line(),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "runs": runs,
    }
    (ROOT / "bench" / "results-ballotbox.json").write_text(json.dumps(out, indent=1) + "\n")
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

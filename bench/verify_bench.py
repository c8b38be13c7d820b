"""Benchmark of the verifier: full verification of a simulated round (not a test).

The default round is the size the issue asks for: 450 ballots on a cross-out list of 65
names for 55 seats, decrypted by 3 of 5 guardians. Generating it takes about a minute and
is not measured; the record is cached as a zip under ``bench/.cache/`` so that re-runs only
verify. Each run verifies the zip from disk (reading and parsing included in the total),
prints the time of each check and the total, and writes one JSON line (printed, and
appended to ``bench/.cache/verify_bench.jsonl``).

    .venv/bin/python bench/verify_bench.py                       # processes, 2 workers
    .venv/bin/python bench/verify_bench.py --executor both       # processes and threads
    .venv/bin/python bench/verify_bench.py --ballots 60 --names 11 --seats 9   # quicker
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from election.record import write_zip  # noqa: E402
from election.record.simulate import simulate  # noqa: E402
from election.verifier import Report, verify  # noqa: E402
from election.verifier.work import clear_memos  # noqa: E402

CACHE = ROOT / "bench" / ".cache"


def _record(args: argparse.Namespace) -> tuple[Path, float | None]:
    name = (
        f"round-{args.names}n-{args.seats}s-{args.ballots}b-"
        f"{args.threshold}of{args.guardians}-{args.seed}.zip"
    )
    path = CACHE / name
    if path.exists() and not args.regenerate:
        return path, None
    CACHE.mkdir(parents=True, exist_ok=True)
    print(f"generating {name} (not timed as verification)...", flush=True)
    started = time.perf_counter()
    sim = simulate(
        names=args.names,
        seats=args.seats,
        kind="cross_out",
        ballots=args.ballots,
        guardians=args.guardians,
        threshold=args.threshold,
        seed=args.seed,
        audited=2,
    )
    write_zip(sim.record, path)
    return path, time.perf_counter() - started


def _run(path: Path, workers: int, executor: str) -> Report:
    # Each run does the whole work: nothing memoised by an earlier run (and inherited by
    # forked workers) may be reused.
    clear_memos()
    kind = "thread" if executor == "thread" else "process"
    return verify(path, workers=workers, executor=kind)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--ballots", type=int, default=450)
    p.add_argument("--names", type=int, default=65)
    p.add_argument("--seats", type=int, default=55)
    p.add_argument("--guardians", type=int, default=5)
    p.add_argument("--threshold", type=int, default=3)
    p.add_argument("--seed", default="bench")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--executor", choices=("process", "thread", "both", "inline"), default="process")
    p.add_argument("--repeat", type=int, default=1)
    p.add_argument("--regenerate", action="store_true")
    args = p.parse_args()

    path, generated = _record(args)
    if generated is not None:
        print(f"generated in {generated:.1f} s", flush=True)
    size = path.stat().st_size
    kinds = ["process", "thread"] if args.executor == "both" else [args.executor]
    lines = []
    for _ in range(args.repeat):
        for kind in kinds:
            workers = 1 if kind == "inline" else args.workers
            before = os.times()
            report = _run(path, workers, kind)
            after = os.times()
            # CPU time of this process and of the (reaped) worker processes.
            cpu = sum(
                getattr(after, f) - getattr(before, f)
                for f in ("user", "system", "children_user", "children_system")
            )
            if not report.ok:
                print(f"verification FAILED: {report.not_passed}", file=sys.stderr)
                return 1
            print(
                f"\n{kind}, {report.workers} worker(s): total {report.seconds:.2f} s"
                f" (CPU {cpu:.1f} s)"
            )
            print(f"  reading and parsing {report.load_seconds:6.2f} s")
            for c in report.checks:
                print(f"  {c.check_id:<4} {c.seconds:6.2f} s  {c.count} {c.unit}")
            lines.append(
                {
                    "bench": "verify",
                    "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, "
                    f"Python {platform.python_version()}",
                    "record": path.name,
                    "zip_bytes": size,
                    "ballots": args.ballots,
                    "names": args.names,
                    "seats": args.seats,
                    "guardians": args.guardians,
                    "threshold": args.threshold,
                    "executor": report.executor,
                    "workers": report.workers,
                    "total_s": round(report.seconds, 3),
                    "cpu_s": round(cpu, 1),
                    "load_average": os.getloadavg()[0],
                    "load_s": round(report.load_seconds, 3),
                    "checks_s": {c.check_id: round(c.seconds, 3) for c in report.checks},
                    "generation_s": None if generated is None else round(generated, 1),
                }
            )
    CACHE.mkdir(parents=True, exist_ok=True)
    # The latest run also goes where bench/run.py renders docs/performance.md from.
    (ROOT / "bench" / "results-verify.json").write_text(
        json.dumps(lines[-1], ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    with (CACHE / "verify_bench.jsonl").open("a", encoding="utf-8") as f:
        for line in lines:
            text = json.dumps(line, ensure_ascii=False, sort_keys=True)
            print(text)
            f.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmarks of the crypto core (``make bench``); writes ``docs/performance.md``.

Every figure is a median of repeated runs and is set against its op-count
floor: the count of each group operation (``bench/opcount.py``) times that
operation's own cost, measured in the same run. The ElectionGuard 1.4.0 peer
(``make bench-peer``) and the JavaScript twin (``bench/js_bench.mjs``) run in
separate processes, interleaved pair by pair with ours, because this
machine's speed drifts by up to 2x within minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import nacl
from nacl import bindings as sodium

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.opcount import counting, msm_key  # noqa: E402
from crypto import (  # noqa: E402
    CiphertextBallot,
    CredentialKey,
    DlogTable,
    G,
    Polynomial,
    RoundContext,
    Scalar,
    Tag,
    compute_share,
    cross_out,
    decrypt_tally,
    encrypt,
    encrypt_ballot,
    generate_code,
    group,  # noqa: E402
    joint_key,
    public_share,
    sum_ciphertexts,
    verify_ballot,
    verify_decryption_share,
)
from crypto.elgamal import Ciphertext  # noqa: E402
from crypto.encoding import point_from_hex  # noqa: E402
from crypto.proofs import MembershipProof, prove_membership, verify_membership  # noqa: E402

PEER_PY = ROOT / "bench" / "peer" / ".venv" / "bin" / "python"
PEER_SCRIPT = ROOT / "bench" / "peer" / "eg_bench.py"
JS_BENCH = ROOT / "bench" / "js_bench.mjs"
CONGRESS = "bench-congress"


def timed(fn: Callable[[], Any], reps: int, warmup: int = 1) -> list[float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return samples


def per_op(fn: Callable[[], Any], batch: int = 100, reps: int = 3) -> float:
    """Median seconds of one call, from ``reps`` batches of ``batch`` calls."""
    return statistics.median(s / batch for s in timed(lambda: [fn() for _ in range(batch)], reps))


#: The native multi-scalar shapes the verifiers use (bench/opcount.py keys): ballot proofs
#: (1 point + G, 2 points + G), decryption proofs (1 + G, 2), combining 3 shares (4).
MSM_SHAPES = ((1, True), (2, True), (2, False), (4, False))


def unit_costs() -> dict[str, float]:
    """One call of each primitive, called directly (no Python wrapper of ours around it)."""
    s = Scalar.random()
    P = Scalar.random() * G
    Pb, sb = P.encode(), s.encode()
    costs = {
        "base_mul": per_op(lambda: sodium.crypto_scalarmult_ed25519_base_noclamp(sb)),
        "var_mul": per_op(lambda: sodium.crypto_scalarmult_ed25519_noclamp(sb, Pb)),
        "add": per_op(lambda: sodium.crypto_core_ed25519_add(Pb, Pb)),
        "decode": per_op(lambda: sodium.crypto_core_ed25519_is_valid_point(Pb)),
    }
    lib, ffi = group._lib, group._ffi
    if lib is not None:
        out = ffi.new("unsigned char[32]")
        for n, with_base in MSM_SHAPES:
            scalars = b"".join(Scalar.random().encode() for _ in range(n))
            points = b"".join((Scalar.random() * G).encode() for _ in range(n))
            base = Scalar.random().encode() if with_base else ffi.NULL
            costs[msm_key(n, with_base)] = per_op(
                lambda sc=scalars, pt=points, b=base, k=n: lib.dh_msm_vartime(out, k, sc, pt, b)
            )
        many = b"".join((Scalar.random() * G).encode() for _ in range(100))
        costs["sum_point"] = per_op(lambda: lib.dh_sum(out, 100, many), batch=20) / 100
    return costs


def floor_seconds(ops: dict[str, int], unit: dict[str, float], kinds: tuple[str, ...]) -> float:
    total = 0.0
    for k, count in ops.items():
        if k in kinds or (k.startswith("msm:") and "msm" in kinds):
            if k not in unit:
                raise KeyError(f"no unit cost measured for {k}: add its shape to MSM_SHAPES")
            total += count * unit[k]
    return total


#: Multiplications: PyNaCl's fixed- and variable-base ones, the native multi-scalar ones, and
#: strict decodings, each of which is a multiplication by L (libsodium's subgroup check).
MULS = ("base_mul", "var_mul", "msm", "decode")
ALL_OPS = (*MULS, "add", "sum_point")


def bracketed(fn: Callable[[], Any], reps: int) -> tuple[list[float], dict[str, float]]:
    """Time ``fn`` and measure the unit costs just before and just after it.

    The floor of a figure uses the mean of the two, so that the machine's drift (up to 2x
    within minutes here) moves the figure and its floor together.
    """
    before = unit_costs()
    samples = timed(fn, reps)
    after = unit_costs()
    return samples, {k: (before[k] + after[k]) / 2 for k in before}


def figure(
    name: str, samples: list[float], ops: dict[str, int], unit: dict[str, float]
) -> dict[str, Any]:
    med = statistics.median(samples)
    mul_floor = floor_seconds(ops, unit, MULS)
    all_floor = floor_seconds(ops, unit, ALL_OPS)
    return {
        "name": name,
        "median_s": med,
        "samples_s": samples,
        "ops": dict(ops),
        "mul_floor_s": mul_floor,
        "ratio_to_mul_floor": med / mul_floor if mul_floor else None,
        "all_ops_floor_s": all_floor,
        "ratio_to_all_ops_floor": med / all_floor if all_floor else None,
    }


def keyed_context(n: int, k: int) -> tuple[RoundContext, dict[int, Scalar], list[Any]]:
    polys = {i: Polynomial.random(3) for i in range(1, 6)}
    published = [polys[i].commit(CONGRESS, i) for i in range(1, 6)]
    secrets = {
        j: sum((p.evaluate(j) for p in polys.values()), Scalar.from_int(0)) for j in range(1, 6)
    }
    ctx = RoundContext(os.urandom(64), joint_key(published), cross_out(n, k))
    return ctx, secrets, published


def typical_counters(n: int, k: int) -> list[int]:
    # A typical valid ballot keeps k-1 of n names (the peer uses the same choice).
    return [1] * (k - 1) + [0] * (n - k + 1) + [0, 0]


def bench_counter(unit: dict[str, float], reps: int) -> list[dict[str, Any]]:
    ctx, _, _ = keyed_context(11, 9)
    K = ctx.joint_key
    context = (ctx.round_hash, bytes(32), 0)

    def enc() -> tuple[Ciphertext, MembershipProof]:
        r = Scalar.random()
        ct = encrypt(1, K, r)
        return ct, prove_membership(Tag.PROOF01, context, K, ct, (0, 1), 1, r, Scalar.random)

    ct, proof = enc()
    wire = ct.to_json()

    def ver() -> None:
        c = Ciphertext(point_from_hex(wire["A"]), point_from_hex(wire["B"]))
        verify_membership(Tag.PROOF01, context, K, c, (0, 1), proof)

    out = []
    for name, fn in (
        ("counter: encrypt + 0/1 proof", enc),
        ("counter: decode + verify 0/1 proof", ver),
    ):
        with counting() as ops:
            fn()
        samples, local = bracketed(lambda f=fn: [f() for _ in range(50)], reps)
        out.append(figure(name, samples, ops, local))
        out[-1]["median_s"] /= 50
        out[-1]["samples_s"] = [s / 50 for s in out[-1]["samples_s"]]
        out[-1]["ratio_to_mul_floor"] = out[-1]["median_s"] / out[-1]["mul_floor_s"]
        out[-1]["ratio_to_all_ops_floor"] = out[-1]["median_s"] / out[-1]["all_ops_floor_s"]
    return out


def ballot_ops(n: int, k: int) -> tuple[Callable[[], Any], Callable[[], Any]]:
    ctx, _, _ = keyed_context(n, k)
    key = CredentialKey(CONGRESS, generate_code())
    counters = typical_counters(n, k)

    def enc() -> Any:
        return encrypt_ballot(ctx, counters, key)

    wire = enc()[0].to_json()

    def ver() -> None:
        verify_ballot(ctx, CiphertextBallot.from_json(wire, ctx.form))

    return enc, ver


def bench_tally(
    unit: dict[str, float], ballots: int, reps: int
) -> tuple[list[dict[str, Any]], Callable[[], tuple[int, ...]]]:
    n, k = 65, 55
    ctx, secrets, published = keyed_context(n, k)
    K = ctx.joint_key
    columns: list[list[Ciphertext]] = [[] for _ in ctx.form.counters]
    for b in range(ballots):
        counters = typical_counters(n, k)
        # Rotate the kept names so every candidate gets votes.
        names = counters[:n]
        names = names[b % n :] + names[: b % n]
        for c, m in enumerate(names + counters[n:]):
            columns[c].append(encrypt(m, K, Scalar.random()))

    def tally() -> list[Ciphertext]:
        return [sum_ciphertexts(col) for col in columns]

    summed = tally()
    table = DlogTable(ballots)
    participants = (1, 3, 5)
    public = {j: public_share(j, published) for j in participants}

    def decrypt() -> tuple[int, ...]:
        shares = {j: compute_share(ctx.round_hash, j, secrets[j], summed) for j in participants}
        for j in participants:
            verify_decryption_share(ctx.round_hash, public[j], summed, shares[j])
        return decrypt_tally(summed, shares, 3, table)

    counts = decrypt()
    assert sum(counts[:n]) == ballots * (k - 1), "the decrypted tally must match the plaintexts"
    out = []
    with counting() as ops:
        tally()
    samples, local = bracketed(tally, reps)
    out.append(figure(f"tally: sum {ballots} ballots of 67 counters", samples, ops, local))
    with counting() as ops:
        decrypt()
    samples, local = bracketed(decrypt, reps)
    name = "decrypt: 3-of-5 shares with proofs, verify, combine, table (67 counters)"
    out.append(figure(name, samples, ops, local))
    return out, decrypt


def run_peer(op: str, names: int, seats: int, reps: int) -> dict[str, Any] | None:
    if not PEER_PY.exists():
        return None
    cmd = [
        str(PEER_PY),
        str(PEER_SCRIPT),
        op,
        "--names",
        str(names),
        "--seats",
        str(seats),
        "--reps",
        str(reps),
        "--json",
    ]
    result = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=3600)
    if result.returncode != 0:
        print(result.stderr, file=sys.stderr)
        return None
    return json.loads(result.stdout.strip().splitlines()[-1])


def run_js(reps: int) -> dict[str, Any] | None:
    if not JS_BENCH.exists():
        return None
    result = subprocess.run(
        ["node", str(JS_BENCH), "--reps", str(reps), "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    if result.returncode != 0:
        print(result.stderr, file=sys.stderr)
        return None
    return json.loads(result.stdout.strip().splitlines()[-1])


def machine_line() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    return (
        f"{cpu}, {os.cpu_count()} cores; Linux {platform.release()}; Python "
        f"{platform.python_version()}; PyNaCl {nacl.__version__} (bundled libsodium)"
        f"; native verifier arithmetic {'on' if group.NATIVE else 'OFF (PyNaCl only)'}"
        f"; Node {node or 'n/a'}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--peer-reps", type=int, default=3)
    parser.add_argument("--ballots", type=int, default=450)
    parser.add_argument("--pairs", type=int, default=2, help="interleaved ours/peer pairs")
    parser.add_argument("--out", default=str(ROOT / "docs" / "performance.md"))
    parser.add_argument(
        "--render-only",
        action="store_true",
        help="re-render docs/performance.md from the saved bench/results*.json",
    )
    args = parser.parse_args()
    if args.render_only:
        saved = json.loads((ROOT / "bench" / "results.json").read_text())
        Path(args.out).write_text(render(saved), encoding="utf-8")
        print(f"wrote {args.out}")
        return 0

    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    unit = unit_costs()
    results: dict[str, Any] = {"machine": machine_line(), "date": started, "unit_costs_s": unit}
    results["counter"] = bench_counter(unit, args.reps)

    ballots = []
    comparisons = []
    for n, k in ((11, 9), (65, 55)):
        enc, ver = ballot_ops(n, k)
        for op, fn in (("encrypt", enc), ("verify", ver)):
            with counting() as ops:
                fn()
            samples, local = bracketed(fn, args.reps)
            fig = figure(f"ballot {n} names / {k} seats: {op}", samples, ops, local)
            ballots.append(fig)
            for pair in range(args.pairs):
                peer = run_peer(op, n, k, args.peer_reps)
                if peer is None:
                    break
                ours = statistics.median(timed(fn, args.reps))
                comparisons.append(
                    {
                        "op": op,
                        "shape": f"{n}/{k}",
                        "pair": pair + 1,
                        "ours_s": ours,
                        "peer_s": peer["median_s"],
                        "speedup": peer["median_s"] / ours,
                    }
                )
    results["ballots"] = ballots

    tally_figs, decrypt = bench_tally(unit, args.ballots, max(3, args.reps // 2))
    results["tally"] = tally_figs
    for pair in range(args.pairs):
        peer = run_peer("decrypt", 65, 55, args.peer_reps)
        if peer is None:
            break
        ours = statistics.median(timed(decrypt, 3))
        comparisons.append(
            {
                "op": "decrypt (3 guardians)",
                "shape": "65/55",
                "pair": pair + 1,
                "ours_s": ours,
                "peer_s": peer["median_s"],
                "speedup": peer["median_s"] / ours,
            }
        )
    results["peer"] = comparisons
    results["js"] = run_js(args.reps)

    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=1) + "\n")
    Path(args.out).write_text(render(results), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


def ms(x: float) -> str:
    return f"{x * 1e3:.2f} ms" if x < 10 else f"{x:.2f} s"


def ratio(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f}"


def render(r: dict[str, Any]) -> str:
    u = r["unit_costs_s"]
    lines = [
        "# Performance",
        "",
        "Written by `make bench` (`bench/run.py`); do not edit by hand. Raw numbers are in",
        "`bench/results.json`.",
        "",
        f"Machine: {r['machine']}. Run: {r['date']}.",
        "",
        "## Unit costs (median per call)",
        "",
        "PyNaCl's libsodium operations, and the verifiers' native ones (`crypto/_native/`:",
        "libsodium's own edwards25519 code without the per-call subgroup re-check, variable",
        "time, public values only).",
        "",
        "| operation | cost |",
        "| --- | --- |",
        f"| fixed-base multiplication `s*G` | {u['base_mul'] * 1e6:.1f} µs |",
        "| variable-base multiplication `s*P` (libsodium re-checks `P`'s subgroup) | "
        f"{u['var_mul'] * 1e6:.1f} µs |",
        f"| point addition | {u['add'] * 1e6:.1f} µs |",
        "| strict point decoding (includes a multiplication by `L`) | "
        f"{u['decode'] * 1e6:.1f} µs |",
    ]
    for key in sorted(k for k in u if k.startswith("msm:")):
        n, _, base = key[4:].partition("+")
        what = f"{n} variable point{'s' if n != '1' else ''}" + (" + `G`" if base else "")
        lines.append(f"| multi-scalar multiplication `{key}` ({what}) | {u[key] * 1e6:.1f} µs |")
    if "sum_point" in u:
        lines.append(f"| native sum, per point added | {u['sum_point'] * 1e6:.2f} µs |")
    lines += [
        "",
        "## Python figures against their op-count floors",
        "",
        "`mul floor` = every scalar multiplication the figure performs, each at its own",
        "measured cost: PyNaCl's fixed- and variable-base ones, the native multi-scalar ones",
        "(`msm`, by shape; an output of a batched call counts as one of its shape), and the",
        "strict decodings, each of which is a multiplication by `L` (libsodium's",
        "`is_valid_point` proves subgroup membership that way; it costs about one `msm` here).",
        "`all-ops floor` adds the point additions and the native sums. Each figure's unit costs",
        "are measured just before and just after it and their mean is used, so the machine's",
        "drift moves a figure and its floor together (the table above is the run's first",
        "measurement).",
        "",
        "| figure | median | base muls | var muls | msm (by shape) | adds | summed points "
        "| decodes | ratio to mul floor | ratio to all-ops floor |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for fig in r["counter"] + r["ballots"] + r["tally"]:
        o = fig["ops"]
        msm = ", ".join(f"{o[k]} × {k[4:]}" for k in sorted(o) if k.startswith("msm:")) or "0"
        lines.append(
            f"| {fig['name']} | {ms(fig['median_s'])} | {o.get('base_mul', 0)} | "
            f"{o.get('var_mul', 0)} | {msm} | {o.get('add', 0)} | {o.get('sum_point', 0)} | "
            f"{o.get('decode', 0)} | {ratio(fig['ratio_to_mul_floor'])} | "
            f"{ratio(fig['ratio_to_all_ops_floor'])} |"
        )
    lines += ["", "## JavaScript (Node, @noble/curves)", ""]
    js = r.get("js")
    if js:
        lines += ["| figure | median |", "| --- | --- |"]
        for name, fig in js["figures"].items():
            lines.append(f"| {name} | {ms(fig['median_s'])} |")
    else:
        lines.append("Not measured in this run (bench/js_bench.mjs or node missing).")
    lines += ["", "## Against ElectionGuard 1.4.0 (same shapes, interleaved pairs)", ""]
    if r["peer"]:
        lines += [
            "| operation | shape | pair | dh-vote | ElectionGuard | speed-up |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for c in r["peer"]:
            lines.append(
                f"| {c['op']} | {c['shape']} | {c['pair']} | {ms(c['ours_s'])} | "
                f"{ms(c['peer_s'])} | {c['speedup']:.1f}x |"
            )
    else:
        lines.append("Not measured in this run: run `make bench-peer` first.")
    lines += _render_ballotbox() + _render_verify()
    lines.append("")
    return "\n".join(lines)


def _render_ballotbox() -> list[str]:
    path = ROOT / "bench" / "results-ballotbox.json"
    lines = ["", "## Ballot box acceptance over HTTP (`bench/ballotbox_bench.py`)", ""]
    if not path.exists():
        return [*lines, "Not measured yet: run `python bench/ballotbox_bench.py`."]
    data = json.loads(path.read_text())
    lines += [
        f"Machine: {data['machine']}. Run: {data['date']}. gunicorn with sync workers on",
        "loopback; the load comes from a second process with several terminals at once; the",
        "ballots were encrypted and signed beforehand (not timed).",
        "",
        "| database | casts | names / seats | terminals | workers | accepted | wall time "
        "| throughput | p50 | p99 | max | lost | duplicated | chain |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for run in data["runs"]:
        # Runs before the board was read back (ATTACKS.md T-18.a) have no lost/duplicated.
        board = [str(run[k]) if k in run else "not checked" for k in ("lost", "duplicated")] + [
            {1: "verifies", 0: "BROKEN"}.get(run.get("chain_ok", -1), "not checked")
        ]
        lines.append(
            f"| {run['database']} | {run['voters']} | {run['names']} / {run['seats']} | "
            f"{run['concurrency']} | {run['gunicorn_workers']} | {run['accepted']} | "
            f"{run['wall_s']:.1f} s | {run['throughput_per_s']:.1f}/s | "
            f"{run['p50_s']:.2f} s | {run['p99_s']:.2f} s | {run['max_s']:.2f} s | "
            + " | ".join(board)
            + " |"
        )
    if "var_mul_us" in data:
        lines += [
            "",
            f"Machine speed during this run: one variable-base multiplication took "
            f"{data['var_mul_us']:.0f} µs (the unit-cost table above, from its own run, says "
            "how fast the machine was then).",
        ]
    lines.append("")
    lines.append(
        "Target (ATTACKS.md T-18.a; issue 5 asked 90 s): all 900 accepted within 60 s, none "
        "lost or duplicated, the chain verifies, p99 under 2 s."
    )
    return lines


def _render_verify() -> list[str]:
    path = ROOT / "bench" / "results-verify.json"
    lines = ["", "## Full verification of a round record (`bench/verify_bench.py`)", ""]
    if not path.exists():
        return [*lines, "Not measured yet: run `python bench/verify_bench.py`."]
    d = json.loads(path.read_text())
    checks = ", ".join(f"{k} {v:.1f} s" for k, v in d["checks_s"].items() if v >= 0.05)
    lines += [
        f"Machine: {d['machine']}; load average {d['load_average']:.2f} at the end.",
        "",
        f"{d['ballots']} ballots of {d['names']} names / {d['seats']} seats, "
        f"{d['threshold']} of {d['guardians']} guardians: **{d['total_s']:.1f} s** wall "
        f"({d['cpu_s']:.0f} s CPU) with {d['workers']} {d['executor']} workers; reading "
        f"{d['load_s']:.1f} s; {checks}.",
        "",
        "Target (issue 7): under 30 s on this 2-core machine.",
    ]
    return lines


if __name__ == "__main__":
    sys.exit(main())

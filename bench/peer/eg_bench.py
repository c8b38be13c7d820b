#!/usr/bin/env python3
"""Reference-peer benchmark: ElectionGuard 1.4.0 (Microsoft electionguard-python).

Runs inside bench/peer/.venv (Python 3.9.18, made by bench/peer/setup.sh). Measures one
operation at a time with ElectionGuard's own public API, for one n-of-m contest with
N selections ("names") and votes_allowed = number_elected = K ("seats"):

  encrypt  encrypt_ballot() of one ballot that votes for K-1 of the N names
  verify   CiphertextBallot.is_valid_encryption() of one such encrypted ballot
           (every selection's DisjunctiveChaumPedersenProof.is_valid and the contest's
           ConstantChaumPedersenProof.is_valid, plus EG's hash checks)
  decrypt  decryption of a tally of B ballots by 3 guardians (n=3, quorum=3, all present):
           each Guardian.compute_tally_share(), then DecryptionMediator.announce() x3 and
           DecryptionMediator.get_plaintext_tally() (checks every share proof, combines, dlog)

Set-up (manifest, key ceremony, encrypting the ballot to verify, building the tally) is
never timed. Each run does 1 untimed warm-up, then --reps timed samples (time.perf_counter).

Example:
  bench/peer/.venv/bin/python bench/peer/eg_bench.py encrypt --names 65 --seats 55 --reps 5 --json
"""

from __future__ import annotations

import argparse
import copy
import json
import logging
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from importlib.metadata import version as dist_version
from typing import Any

import electionguard.decryption as eg_decryption
import electionguard.logs as eg_logs
import electionguard.scheduler as eg_scheduler
import electionguard.tally as eg_tally
import gmpy2
import psutil
from electionguard.ballot import (
    CiphertextBallot,
    PlaintextBallot,
    PlaintextBallotContest,
    PlaintextBallotSelection,
    SubmittedBallot,
)
from electionguard.ballot_box import cast_ballot
from electionguard.constants import get_constants
from electionguard.decryption_mediator import DecryptionMediator
from electionguard.discrete_log import DiscreteLog
from electionguard.election import (
    CiphertextElectionContext,
    make_ciphertext_election_context,
)
from electionguard.encrypt import EncryptionDevice, encrypt_ballot
from electionguard.group import ONE_MOD_P, add_q
from electionguard.guardian import Guardian
from electionguard.key_ceremony import (
    CeremonyDetails,
    generate_election_key_pair,
)
from electionguard.key_ceremony_mediator import KeyCeremonyMediator
from electionguard.manifest import (
    BallotStyle,
    Candidate,
    CandidateContestDescription,
    ElectionType,
    GeopoliticalUnit,
    InternalManifest,
    InternationalizedText,
    Language,
    Manifest,
    ReportingUnitType,
    SelectionDescription,
    SpecVersion,
    VoteVariationType,
)
from electionguard.tally import CiphertextTally

EG_VERSION = dist_version("electionguard")
GUARDIANS = 3
QUORUM = 3
STYLE_ID = "bench-style"
CONTEST_ID = "bench-contest"
GP_UNIT_ID = "bench-district"


def eprint(*args: Any) -> None:
    print(*args, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- EG hygiene
class SerialScheduler:
    """Drop-in for electionguard.scheduler.Scheduler that runs every task in this thread.

    EG 1.4.0's Scheduler opens a multiprocessing process pool *and* a thread pool (one
    worker per physical core) every time it is constructed. CiphertextTally accumulation
    maps over the process pool, and compute_decryption_share_for_contest (used by
    Guardian.compute_tally_share) builds a fresh Scheduler() per contest and maps over its
    thread pool. That would time pool start-up and/or parallel work, so we run serially.
    """

    def __enter__(self) -> SerialScheduler:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        pass

    @staticmethod
    def cpu_count() -> int:
        return 1

    def schedule(
        self,
        task: Callable,
        arguments: Iterable[Iterable[Any]],
        with_shared_resources: bool = False,
    ) -> list[Any]:
        return [task(*args) for args in arguments]


SERIAL = SerialScheduler()


def force_single_process() -> None:
    # The modules bind `Scheduler` by name (`from .scheduler import Scheduler`) and call
    # `Scheduler()` when no scheduler is passed in: rebind those names.
    eg_decryption.Scheduler = SerialScheduler  # type: ignore[attr-defined]
    eg_tally.Scheduler = SerialScheduler  # type: ignore[attr-defined]

    # Tripwire: if any other code path still builds EG's real Scheduler (which would
    # open the pools), fail loudly instead of silently timing a pool.
    def _no_pools(self: Any) -> None:
        raise RuntimeError("EG tried to open a process/thread pool during the benchmark")

    eg_scheduler.Scheduler._open = _no_pools  # type: ignore[assignment]


def quiet_eg_logging(mode: str) -> None:
    """EG logs to *stdout* at INFO level (e.g. once per encrypted selection).

    Always: move EG's log output to stderr and show warnings only, so stdout stays clean
    for --json. With mode 'off', also make log_info/log_debug no-ops: in EG 1.4.0 every
    log call first runs inspect.stack() to format a caller prefix, *even when the level
    filters the message out*, which costs real time inside encrypt_ballot.
    """
    logger = logging.getLogger("electionguard")
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("[eg] %(levelname)s: %(message)s"))
    logger.addHandler(handler)
    if mode == "off":
        eg_logs.LOG.info = lambda *a, **k: None  # type: ignore[assignment]
        eg_logs.LOG.debug = lambda *a, **k: None  # type: ignore[assignment]


class eg_warnings_muted:
    """Silence expected EG warnings (e.g. while checking a tampered ballot)."""

    def __enter__(self) -> None:
        self._logger = logging.getLogger("electionguard")
        self._level = self._logger.level
        self._logger.setLevel(logging.CRITICAL + 1)

    def __exit__(self, *exc: Any) -> None:
        self._logger.setLevel(self._level)


def reset_dlog_cache() -> None:
    """Empty EG's process-wide discrete-log cache so each decrypt sample does the same work."""
    cache = DiscreteLog().get_cache()
    cache.clear()
    cache[ONE_MOD_P] = 0


# --------------------------------------------------------------------------- election set-up
@dataclass
class Election:
    names: int
    seats: int
    manifest: Manifest
    internal: InternalManifest
    context: CiphertextElectionContext
    guardians: list[Guardian]
    selection_ids: list[str]


def build_manifest(names: int, seats: int) -> tuple[Manifest, list[str]]:
    def text(s: str) -> InternationalizedText:
        return InternationalizedText([Language(s, "en")])

    candidates = [Candidate(f"cand-{i}", text(f"Name {i}")) for i in range(names)]
    selections = [SelectionDescription(f"sel-{i}", i, f"cand-{i}") for i in range(names)]
    contest = CandidateContestDescription(
        object_id=CONTEST_ID,
        sequence_order=0,
        electoral_district_id=GP_UNIT_ID,
        vote_variation=VoteVariationType.n_of_m,
        number_elected=seats,
        votes_allowed=seats,
        name=f"{seats} of {names}",
        ballot_selections=selections,
    )
    manifest = Manifest(
        election_scope_id="dhvote-peer-bench",
        spec_version=SpecVersion.EG1_0,
        type=ElectionType.general,
        start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
        end_date=datetime(2024, 1, 2, tzinfo=timezone.utc),
        geopolitical_units=[
            GeopoliticalUnit(GP_UNIT_ID, "Bench district", ReportingUnitType.county)
        ],
        parties=[],
        candidates=candidates,
        contests=[contest],
        ballot_styles=[BallotStyle(STYLE_ID, [GP_UNIT_ID])],
        name=text("dhvote reference-peer benchmark"),
    )
    if not manifest.is_valid():
        raise SystemExit("EG rejected the benchmark manifest")
    return manifest, [s.object_id for s in selections]


def key_ceremony() -> tuple[list[Guardian], Any]:
    """Full EG key ceremony (3 rounds) with GUARDIANS guardians and quorum QUORUM."""
    details = CeremonyDetails(GUARDIANS, QUORUM)
    guardians = [
        Guardian(generate_election_key_pair(str(i + 1), i + 1, QUORUM), details)
        for i in range(GUARDIANS)
    ]
    mediator = KeyCeremonyMediator("bench-key-ceremony", details)
    # Round 1: announce and share public keys
    for g in guardians:
        mediator.announce(g.share_key())
    for g in guardians:
        for key in mediator.share_announced(g.id) or []:
            g.save_guardian_key(key)
    # Round 2: partial key backups
    for g in guardians:
        g.generate_election_partial_key_backups()
        mediator.receive_backups(g.share_election_partial_key_backups())
    for g in guardians:
        for backup in mediator.share_backups(g.id) or []:
            g.save_election_partial_key_backup(backup)
    # Round 3: verify backups
    for g in guardians:
        mediator.receive_backup_verifications(
            [g.verify_election_partial_key_backup(o.id) for o in guardians if o.id != g.id]
        )
    if not mediator.all_backups_verified():
        raise SystemExit("EG key ceremony: backups not verified")
    joint = mediator.publish_joint_key()
    if joint is None:
        raise SystemExit("EG key ceremony: no joint key")
    return guardians, joint


def build_election(names: int, seats: int) -> Election:
    manifest, selection_ids = build_manifest(names, seats)
    internal = InternalManifest(manifest)
    guardians, joint = key_ceremony()
    context = make_ciphertext_election_context(
        GUARDIANS,
        QUORUM,
        joint.joint_public_key,
        joint.commitment_hash,
        manifest.crypto_hash(),
    )
    return Election(names, seats, manifest, internal, context, guardians, selection_ids)


def plaintext_ballot(e: Election, ballot_id: str, offset: int = 0) -> PlaintextBallot:
    """A typical valid ballot: votes for K-1 of the N names (starting at `offset`)."""
    chosen = [e.selection_ids[(offset + j) % e.names] for j in range(e.seats - 1)]
    return PlaintextBallot(
        ballot_id,
        STYLE_ID,
        [PlaintextBallotContest(CONTEST_ID, [PlaintextBallotSelection(sid, 1) for sid in chosen])],
    )


def encrypt(e: Election, ballot: PlaintextBallot) -> CiphertextBallot:
    seed = EncryptionDevice(1, 1, 1, "bench").get_hash()
    # should_verify_proofs defaults to False: EG does not re-verify its own proofs here.
    enc = encrypt_ballot(ballot, e.internal, e.context, seed)
    if enc is None:
        raise SystemExit("EG encrypt_ballot returned None")
    return enc


def verify_ballot(e: Election, ballot: CiphertextBallot) -> bool:
    return ballot.is_valid_encryption(
        e.internal.manifest_hash,
        e.context.elgamal_public_key,
        e.context.crypto_extended_base_hash,
    )


def verify_proofs_only(e: Election, ballot: CiphertextBallot) -> bool:
    """Only the proofs' own is_valid (no EG hash checks); same proof set as above."""
    k = e.context.elgamal_public_key
    q = e.context.crypto_extended_base_hash
    ok = True
    for contest in ballot.contests:
        for sel in contest.ballot_selections:
            ok &= bool(sel.proof is not None and sel.proof.is_valid(sel.ciphertext, k, q))
        ok &= bool(
            contest.proof is not None and contest.proof.is_valid(contest.elgamal_accumulate(), k, q)
        )
    return ok


# --------------------------------------------------------------------------- checks (untimed)
def check_ballot_shape(e: Election, enc: CiphertextBallot) -> int:
    contest = enc.contests[0]
    n_sel = len(contest.ballot_selections)
    n_ph = sum(1 for s in contest.ballot_selections if s.is_placeholder_selection)
    if n_sel != e.names + e.seats or n_ph != e.seats:
        raise SystemExit(f"unexpected EG ballot shape: {n_sel} selections, {n_ph} placeholders")
    return n_sel


def check_verify_is_real(e: Election, enc: CiphertextBallot) -> dict[str, bool]:
    """Verify returns True on a good ballot and False when only a proof is tampered."""
    good = verify_ballot(e, enc)
    good_direct = verify_proofs_only(e, enc)

    # Tamper one selection proof's response (the ciphertexts and hashes are untouched,
    # so only the proof check can notice).
    bad_sel = copy.deepcopy(enc)
    sel = bad_sel.contests[0].ballot_selections[0]
    sel.proof = replace(sel.proof, proof_zero_response=add_q(sel.proof.proof_zero_response, 1))
    # Tamper the contest (selection-limit) proof's response.
    bad_con = copy.deepcopy(enc)
    con = bad_con.contests[0]
    con.proof = replace(con.proof, response=add_q(con.proof.response, 1))
    with eg_warnings_muted():
        result = {
            "good_ballot_is_valid_encryption": good,
            "good_ballot_proofs_is_valid": good_direct,
            "tampered_selection_proof_is_valid_encryption": verify_ballot(e, bad_sel),
            "tampered_selection_proof_is_valid": bool(
                sel.proof.is_valid(
                    sel.ciphertext,
                    e.context.elgamal_public_key,
                    e.context.crypto_extended_base_hash,
                )
            ),
            "tampered_contest_proof_is_valid_encryption": verify_ballot(e, bad_con),
        }
    expected = {
        "good_ballot_is_valid_encryption": True,
        "good_ballot_proofs_is_valid": True,
        "tampered_selection_proof_is_valid_encryption": False,
        "tampered_selection_proof_is_valid": False,
        "tampered_contest_proof_is_valid_encryption": False,
    }
    if result != expected:
        raise SystemExit(f"verify sanity check failed: {result}")
    return result


def no_child_processes() -> int:
    return len(psutil.Process().children(recursive=True))


# --------------------------------------------------------------------------- operations
CPU_SAMPLES: list[float] = []


def timed_samples(
    reps: int, setup: Callable[[], Any], op: Callable[[Any], Any], check: Callable[[Any], None]
) -> list[float]:
    """1 warm-up + reps timed runs; setup() and check() are outside the timed region.

    Returns wall-clock samples (time.perf_counter). The process CPU time of the same region
    (time.process_time) goes to CPU_SAMPLES: on a shared machine, wall >> CPU means the
    sample waited for a core.
    """
    samples: list[float] = []
    CPU_SAMPLES.clear()
    for i in range(reps + 1):
        arg = setup()
        c0 = time.process_time()
        t0 = time.perf_counter()
        out = op(arg)
        dt = time.perf_counter() - t0
        dc = time.process_time() - c0
        check(out)
        if i > 0:
            samples.append(dt)
            CPU_SAMPLES.append(dc)
    return samples


def run_encrypt(e: Election, reps: int, info: dict[str, Any]) -> list[float]:
    ballot = plaintext_ballot(e, "bench-ballot")
    first = encrypt(e, ballot)
    info["selections_in_eg"] = check_ballot_shape(e, first)
    if not verify_ballot(e, first):
        raise SystemExit("EG produced a ballot that does not verify")

    def check(enc: CiphertextBallot) -> None:
        if enc is None or len(enc.contests[0].ballot_selections) != e.names + e.seats:
            raise SystemExit("encrypt produced an unexpected ballot")

    return timed_samples(reps, lambda: ballot, lambda b: encrypt(e, b), check)


def run_verify(e: Election, reps: int, info: dict[str, Any], api: str) -> list[float]:
    enc = encrypt(e, plaintext_ballot(e, "bench-ballot"))
    info["selections_in_eg"] = check_ballot_shape(e, enc)
    info["verify_sanity"] = check_verify_is_real(e, enc)
    fn = verify_ballot if api == "ballot" else verify_proofs_only

    def check(ok: bool) -> None:
        if ok is not True:
            raise SystemExit("verify returned False on a good ballot")

    return timed_samples(reps, lambda: enc, lambda b: fn(e, b), check)


def run_decrypt(e: Election, reps: int, info: dict[str, Any], n_ballots: int) -> list[float]:
    # Set-up (untimed): B encrypted ballots, cast, accumulated with EG's tally API.
    submitted: list[SubmittedBallot] = []
    expected = {sid: 0 for sid in e.selection_ids}
    for b in range(n_ballots):
        pb = plaintext_ballot(e, f"ballot-{b}", offset=b)
        for c in pb.contests:
            for s in c.ballot_selections:
                expected[s.object_id] += 1
        submitted.append(cast_ballot(encrypt(e, pb)))
    info["selections_in_eg"] = check_ballot_shape(e, submitted[0])
    tally = CiphertextTally("bench-tally", e.internal, e.context)
    if not tally.batch_append(
        [(b.object_id, b) for b in submitted], should_validate=False, scheduler=SERIAL
    ):
        raise SystemExit("EG tally batch_append failed")
    if tally.cast() != n_ballots:
        raise SystemExit(f"tally has {tally.cast()} ballots, expected {n_ballots}")
    info["ballots"] = n_ballots
    info["tally_selections"] = sum(len(c.selections) for c in tally.contests.values())

    shares_s: list[float] = []
    combine_s: list[float] = []

    def op(_: Any) -> Any:
        t0 = time.perf_counter()
        shares = {g.id: g.compute_tally_share(tally, e.context) for g in e.guardians}
        t1 = time.perf_counter()
        mediator = DecryptionMediator("bench-decryption", e.context)
        for g in e.guardians:
            share = shares[g.id]
            if share is None:
                raise SystemExit(f"guardian {g.id} produced no share")
            mediator.announce(g.share_key(), share)
        plaintext = mediator.get_plaintext_tally(tally, e.manifest)
        t2 = time.perf_counter()
        shares_s.append(t1 - t0)
        combine_s.append(t2 - t1)
        return plaintext

    def check(plaintext: Any) -> None:
        if plaintext is None:
            raise SystemExit("EG get_plaintext_tally returned None")
        got = {
            sid: sel.tally for c in plaintext.contests.values() for sid, sel in c.selections.items()
        }
        if got != expected:
            raise SystemExit(f"decrypted tally mismatch: {got} != {expected}")

    samples = timed_samples(reps, lambda: reset_dlog_cache(), op, check)
    info["breakdown_median_s"] = {
        "guardian_shares_x3": statistics.median(shares_s[1:]),
        "mediator_verify_combine_dlog": statistics.median(combine_s[1:]),
    }
    return samples


# --------------------------------------------------------------------------- CLI
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description="Time one ElectionGuard 1.4.0 operation (reference peer for dhvote).",
    )
    ap.add_argument("op", choices=["encrypt", "verify", "decrypt"])
    ap.add_argument("--names", type=int, required=True, help="N: selections in the n-of-m contest")
    ap.add_argument("--seats", type=int, required=True, help="K: votes_allowed = number_elected")
    ap.add_argument(
        "--reps", type=int, default=5, help="timed repetitions after 1 warm-up (default 5)"
    )
    ap.add_argument(
        "--ballots", type=int, default=10, help="decrypt: ballots in the tally (default 10)"
    )
    ap.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    ap.add_argument(
        "--verify-api",
        choices=["ballot", "proofs"],
        default="ballot",
        help="verify: 'ballot' = CiphertextBallot.is_valid_encryption (default); "
        "'proofs' = only the proofs' own is_valid, without EG's hash checks",
    )
    ap.add_argument(
        "--eg-logging",
        choices=["as-shipped", "off"],
        default="as-shipped",
        help="'as-shipped' keeps EG's log calls (their inspect.stack() cost is part of EG); "
        "'off' turns EG's info/debug log calls into no-ops (default: as-shipped)",
    )
    args = ap.parse_args(argv)
    # EG reads $PRIME_OPTION whenever it needs its group constants (electionguard.constants):
    # make sure its standard 4096-bit group is used, whatever the caller's environment says.
    os.environ.pop("PRIME_OPTION", None)
    if not (1 <= args.seats <= args.names):
        ap.error("need 1 <= seats <= names")
    if args.reps < 1 or args.ballots < 1:
        ap.error("--reps and --ballots must be >= 1")

    quiet_eg_logging(args.eg_logging)
    force_single_process()
    p_bits = int(get_constants().large_prime).bit_length()
    q_bits = int(get_constants().small_prime).bit_length()
    if p_bits != 4096:
        raise SystemExit(f"EG is not using its standard 4096-bit group (p has {p_bits} bits)")

    t_setup = time.perf_counter()
    election = build_election(args.names, args.seats)
    info: dict[str, Any] = {}
    if args.op == "encrypt":
        samples = run_encrypt(election, args.reps, info)
    elif args.op == "verify":
        samples = run_verify(election, args.reps, info, args.verify_api)
    else:
        samples = run_decrypt(election, args.reps, info, args.ballots)
    wall = time.perf_counter() - t_setup
    children = no_child_processes()
    if children:
        raise SystemExit(f"EG left {children} child processes: single-process run violated")

    result: dict[str, Any] = {
        "peer": "electionguard",
        "version": EG_VERSION,
        "python": platform.python_version(),
        "gmpy2": gmpy2.version(),
        "op": args.op,
        "names": args.names,
        "seats": args.seats,
        "samples_s": samples,
        "median_s": statistics.median(samples),
        "cpu_samples_s": list(CPU_SAMPLES),
        "cpu_median_s": statistics.median(CPU_SAMPLES),
        "reps": args.reps,
        "warmup": 1,
        "group_bits": {"p": p_bits, "q": q_bits},
        "guardians": GUARDIANS,
        "quorum": QUORUM,
        "scheduler": "serial (EG Scheduler replaced; no process/thread pool)",
        "eg_logging": args.eg_logging,
        "child_processes": children,
        "total_wall_s": wall,
        # 1-minute load average at the end: the machine is shared, so a high value marks
        # samples that competed for a core.
        "loadavg_1m": round(os.getloadavg()[0], 2),
    }
    if args.op == "verify":
        result["verify_api"] = args.verify_api
    result.update(info)

    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"electionguard {EG_VERSION} {args.op} names={args.names} seats={args.seats}"
            f" ({result.get('selections_in_eg')} selections inside EG,"
            f" incl. {args.seats} placeholders)"
        )
        if args.op == "decrypt":
            print(
                f"  tally of {result['ballots']} ballots, {result['tally_selections']} selections,"
                f" {GUARDIANS} guardians, quorum {QUORUM}, all present"
            )
            print(f"  breakdown (median): {result['breakdown_median_s']}")
        print("  samples (s): " + ", ".join(f"{s:.4f}" for s in samples))
        print(f"  median (s): {result['median_s']:.4f}   [1 warm-up, {args.reps} timed]")
        print(f"  CPU-time median (s): {result['cpu_median_s']:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

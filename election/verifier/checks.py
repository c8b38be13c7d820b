"""Checks V1-V11 of PROTOCOL.md section 9 over a record, with every failure located.

``verify(record)`` reads the record (a folder, a zip, a ``RecordSource`` or an in-memory
``Record``), runs every check in order and returns a ``Report``. A check never stops at its
first failure: it records each failing item with its file, board position and JSON path
and goes on. A file that does not read is a failure of the check that owns it (the
manifests: V1; the ceremony: V2; credentials: V3; board: V4; tally: V6; decryption: V7;
result: V8; audited ballots: V10; minutes: V11); a check that needs it is then reported as
skipped for that round, which is not a pass. An unexpected exception inside a check is a
failure of that check, with the exception's text.

Independence (T-16.b): this package imports ``crypto``, ``election.record`` and
``election.rules`` only, never the app, Flask or the database.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from crypto import (
    GROUP_NAME,
    IDENTITY,
    Ciphertext,
    CryptoError,
    DecryptionShare,
    G,
    Scalar,
    chain_genesis,
    chain_next,
    check_public_credential,
    combine_shares,
    credential_list_hash,
    joint_key,
    minutes_message,
    public_share,
    verify_signature,
)
from crypto.proofs import verify_schnorr
from election.record import (
    PROTOCOL,
    Record,
    RecordError,
    RecordSource,
    open_source,
    record_bytes,
    round_file,
)
from election.record.board import AuditedBallots, raw_entries
from election.record.congress import Ceremony, CongressManifest
from election.record.manifest import CredentialList, RoundManifest
from election.record.minutes import Minutes, minutes_data
from election.record.reader import (
    Limits,
    MemorySource,
    load_node,
    read_audited,
    read_ceremony,
    read_congress,
    read_credentials,
    read_decryption,
    read_index,
    read_minutes,
    read_result,
    read_round_manifest,
    read_tally,
)
from election.record.record import CEREMONY, CONGRESS_MANIFEST, INDEX, RecordIndex, RoundRef
from election.record.tally import Decryption, EncryptedTally, tally_from_counts
from election.rules import (
    Profile,
    RoundKind,
    RoundResult,
    RulesError,
    Tally,
    check_tally,
    decide_round,
    format_percent_vi,
    has_majority,
    percent_of_base,
)
from election.verifier.report import CHECKS, CheckReport, Failure, Report
from election.verifier.work import (
    ChunkOutcome,
    EntryOutcome,
    ExecutorKind,
    Pool,
    RoundKey,
    check_audited,
    check_board_chunk,
    check_share,
)

__all__ = ["ProgressFn", "verify"]

#: ``progress(check_id, done, total)``: called as long checks advance.
ProgressFn = Callable[[str, int, int], None]
T = TypeVar("T")


def verify(
    record: str | os.PathLike[str] | Record | RecordSource,
    *,
    workers: int | None = None,
    executor: ExecutorKind = "process",
    progress: ProgressFn | None = None,
    limits: Limits | None = None,
) -> Report:
    """Verify a record and return the report of checks V1-V11.

    ``workers`` processes (or threads, ``executor="thread"``) share the per-ballot work;
    the default is one per CPU, and ``workers=1`` runs everything in this process.
    """
    started = time.perf_counter()
    if isinstance(record, Record):
        source: RecordSource = MemorySource(record_bytes(record), limits)
        label = f"<record {record.congress.congress_id}>"
    elif isinstance(record, RecordSource):
        source, label = record, record.label
    else:
        label = str(record)
        try:
            source = open_source(record, limits)
        except RecordError as e:
            report = _empty_report(label)
            report.check("V1").failures.append(
                Failure(e.file, "load", where=e.where, detail=e.message)
            )
            _skip_all_but(report, "V1", INDEX)
            report.seconds = time.perf_counter() - started
            return report
    with source, Pool(workers, executor) as pool:
        verifier = _Verifier(source, pool, progress)
        report = verifier.run(label)
    report.seconds = time.perf_counter() - started
    return report


def _empty_report(label: str) -> Report:
    return Report(label, [CheckReport(cid, unit) for cid, unit in CHECKS])


def _skip_all_but(report: Report, keep: str, file: str) -> None:
    for c in report.checks:
        if c.check_id != keep:
            c.skipped.append(Failure(file, "input_unavailable", {"file": file}))


def _short(data: bytes) -> str:
    return data.hex()[:16]


@dataclass
class _Round:
    """What was read, and what the checks established, for one round."""

    ref: RoundRef
    position: int
    manifest: RoundManifest | None = None
    round_hash: bytes = b""
    profile: Profile | None = None
    credentials: CredentialList | None = None
    board_raw: list[Any] | None = None
    board_head: bytes = b""
    audited: AuditedBallots | None = None
    tally: EncryptedTally | None = None
    decryption: Decryption | None = None
    result: RoundResult | None = None
    minutes: Minutes | None = None
    #: Set by V4: one outcome per board entry, and the sum of all ballots per counter.
    entries: list[EntryOutcome] | None = None
    board_sum: tuple[Ciphertext, ...] | None = None
    #: Set by V5: the head recomputed from the ballots' hashes.
    verified_head: bytes | None = None

    @property
    def round_id(self) -> str:
        return self.ref.round_id

    def file(self, name: str) -> str:
        return round_file(self.ref.round_id, name)


class _Verifier:
    def __init__(self, source: RecordSource, pool: Pool, progress: ProgressFn | None) -> None:
        self.source = source
        self.pool = pool
        self.progress = progress
        self.report = _empty_report(source.label)
        self.report.workers = pool.workers
        self.report.executor = pool.kind
        self.index: RecordIndex | None = None
        self.congress: CongressManifest | None = None
        self.ceremony: Ceremony | None = None
        self.rounds: list[_Round] = []

    # -- recording -----------------------------------------------------------------------
    def fail(
        self,
        check: str,
        file: str,
        code: str,
        *,
        where: str = "",
        position: int | None = None,
        detail: str = "",
        **params: Any,
    ) -> None:
        self.report.check(check).failures.append(
            Failure(file, code, params, where, position, detail)
        )

    def skip(self, check: str, file: str, code: str = "input_unavailable") -> None:
        self.report.check(check).skipped.append(Failure(file, code, {"file": file}))

    def count(self, check: str, n: int) -> None:
        self.report.check(check).count += n

    def load(self, check: str, file: str, read: Callable[[], T]) -> T | None:
        """Read one file; a refusal is a failure of ``check``, which owns the file."""
        try:
            return read()
        except RecordError as e:
            self.fail(check, e.file or file, "load", where=e.where, detail=e.message)
        except Exception as e:  # any other error fails the owning check, with its text
            self.fail(check, file, "exception", detail=f"{type(e).__name__}: {e}")
        return None

    # -- the run -------------------------------------------------------------------------
    def run(self, label: str) -> Report:
        self.report.record = label
        started = time.perf_counter()
        self._load_all()
        self.report.load_seconds = time.perf_counter() - started
        checks: Sequence[tuple[str, Callable[[], None]]] = (
            ("V1", self.v1),
            ("V2", self.v2),
            ("V3", self.v3),
            ("V4", self.v4),
            ("V5", self.v5),
            ("V6", self.v6),
            ("V7", self.v7),
            ("V8", self.v8),
            ("V9", self.v9),
            ("V10", self.v10),
            ("V11", self.v11),
        )
        for check_id, run in checks:
            t = time.perf_counter()
            try:
                run()
            except Exception as e:  # an unexpected error fails this check, with its text
                self.fail(check_id, "", "exception", detail=f"{type(e).__name__}: {e}")
            self.report.check(check_id).seconds += time.perf_counter() - t
        return self.report

    def _load_all(self) -> None:
        source = self.source
        self.index = self.load("V1", INDEX, lambda: read_index(source))
        self.congress = self.load("V1", CONGRESS_MANIFEST, lambda: read_congress(source))
        congress = self.congress
        if congress is not None:
            self.ceremony = self.load("V2", CEREMONY, lambda: read_ceremony(source, congress))
        if self.index is None:
            _skip_all_but(self.report, "V1", INDEX)
            return
        expected = set(self.index.files())
        for name in sorted(source.names() - expected):
            self.fail("V1", name, "unexpected_file")
        for position, ref in enumerate(self.index.rounds):
            self.rounds.append(self._load_round(ref, position))

    def _load_round(self, ref: RoundRef, position: int) -> _Round:
        source, rid = self.source, ref.round_id
        r = _Round(ref, position)
        r.manifest = self.load(
            "V1", r.file("manifest.json"), lambda: read_round_manifest(source, rid)
        )
        r.credentials = self.load(
            "V3", r.file("credentials.json"), lambda: read_credentials(source, rid)
        )
        board = self.load(
            "V4", r.file("board.json"), lambda: raw_entries(load_node(source, r.file("board.json")))
        )
        if board is not None:
            r.board_raw, r.board_head = board
        r.result = self.load("V8", r.file("result.json"), lambda: read_result(source, rid))
        r.minutes = self.load("V11", r.file("minutes.json"), lambda: read_minutes(source, rid))
        manifest = r.manifest
        if manifest is None:
            # The form is in the manifest: without it these files cannot be decoded.
            for check in ("V6", "V7", "V10"):
                self.skip(check, r.file("manifest.json"))
            return r
        r.round_hash = manifest.hash()
        form = manifest.form
        r.audited = self.load(
            "V10", r.file("audited.json"), lambda: read_audited(source, rid, form)
        )
        r.tally = self.load("V6", r.file("tally.json"), lambda: read_tally(source, rid, form))
        r.decryption = self.load(
            "V7", r.file("decryption.json"), lambda: read_decryption(source, rid, form)
        )
        return r

    def _round_key(self, r: _Round) -> RoundKey | None:
        if r.manifest is None or self.congress is None:
            return None
        form = r.manifest.form
        return RoundKey(
            r.round_hash,
            r.manifest.joint_key.encode(),
            (form.kind, form.candidates, form.seats),
            self.congress.server_key,
        )

    # -- V1 ------------------------------------------------------------------------------
    def v1(self) -> None:
        """Manifests parse, name our protocol and group (T-13.a), and hashes recompute."""
        congress = self.congress
        if congress is not None:
            self.count("V1", 1)
            self._protocol_and_group(CONGRESS_MANIFEST, congress.protocol, congress.group)
            if self.index is not None:
                if self.index.congress_id != congress.congress_id:
                    self.fail(
                        "V1",
                        INDEX,
                        "congress_id",
                        where="$.congress.id",
                        found=self.index.congress_id,
                        expected=congress.congress_id,
                    )
                if self.index.congress_hash != congress.hash():
                    self.fail(
                        "V1",
                        INDEX,
                        "congress_hash",
                        where="$.congress.hash",
                        found=_short(self.index.congress_hash),
                        expected=_short(congress.hash()),
                    )
        seen: dict[bytes, str] = {}
        for r in self.rounds:
            m = r.manifest
            if m is None:
                continue
            self.count("V1", 1)
            file = r.file("manifest.json")
            self._protocol_and_group(file, m.protocol, m.group)
            if r.ref.round_hash != r.round_hash:
                self.fail(
                    "V1",
                    INDEX,
                    "round_hash",
                    where=f"$.rounds[{r.position}].hash",
                    found=_short(r.ref.round_hash),
                    expected=_short(r.round_hash),
                )
            if r.round_hash in seen:
                self.fail("V1", file, "duplicate_round", round=r.round_id, other=seen[r.round_hash])
            seen[r.round_hash] = r.round_id
            if congress is not None:
                if m.congress_id != congress.congress_id:
                    self.fail(
                        "V1",
                        file,
                        "congress_id",
                        where="$.congress.id",
                        found=m.congress_id,
                        expected=congress.congress_id,
                    )
                if m.congress_hash != congress.hash():
                    self.fail(
                        "V1",
                        file,
                        "congress_hash",
                        where="$.congress.hash",
                        found=_short(m.congress_hash),
                        expected=_short(congress.hash()),
                    )
                if m.joint_key != congress.joint_key:
                    self.fail("V1", file, "round_joint_key", where="$.joint_key")
            try:
                r.profile = m.profile()
            except RulesError as e:
                self.fail(
                    "V1", file, "profile", where="$.rules", detail=str(e), profile=m.rules.profile
                )

    def _protocol_and_group(self, file: str, protocol: str, group: str) -> None:
        if protocol != PROTOCOL:
            self.fail("V1", file, "protocol", where="$.protocol", found=protocol, expected=PROTOCOL)
        if group != GROUP_NAME:
            self.fail("V1", file, "group", where="$.group", found=group, expected=GROUP_NAME)

    # -- V2 ------------------------------------------------------------------------------
    def v2(self) -> None:
        """Every Schnorr proof; ``K = sum_i C_i0``; every ``K_j`` recomputes (T-5.e)."""
        congress, ceremony = self.congress, self.ceremony
        if congress is None:
            self.skip("V2", CONGRESS_MANIFEST)
            return
        if ceremony is None:
            return  # its read failure is already a V2 failure
        for i, published in enumerate(ceremony.commitments):
            for k, (C, proof) in enumerate(
                zip(published.commitments, published.proofs, strict=True)
            ):
                self.count("V2", 1)
                try:
                    verify_schnorr((congress.congress_id, published.index, k), C, proof)
                except CryptoError as e:
                    self.fail(
                        "V2",
                        CEREMONY,
                        "ceremony_proof",
                        where=f"$.commitments[{i}].proofs[{k}]",
                        detail=str(e),
                        guardian=published.index,
                        k=k,
                    )
        if joint_key(ceremony.commitments) != congress.joint_key:
            self.fail("V2", CONGRESS_MANIFEST, "joint_key", where="$.joint_key")
        for i, guardian in enumerate(congress.guardians):
            if public_share(guardian.index, ceremony.commitments) != guardian.public_share:
                self.fail(
                    "V2",
                    CONGRESS_MANIFEST,
                    "public_share",
                    where=f"$.counting_board.members[{i}].public_share",
                    guardian=guardian.index,
                )

    # -- V3 ------------------------------------------------------------------------------
    def v3(self) -> None:
        """Credentials: valid distinct keys, sorted; hash and count as stated; within bounds."""
        for r in self.rounds:
            if r.credentials is None:
                continue
            m = r.manifest
            if m is None:
                self.skip("V3", r.file("manifest.json"))
                continue
            file = r.file("credentials.json")
            keys = r.credentials.credentials
            self.count("V3", len(keys))
            sound = True
            for i, y in enumerate(keys):
                try:
                    check_public_credential(y)
                except CryptoError as e:
                    sound = False
                    self.fail(
                        "V3",
                        file,
                        "credential_invalid",
                        where=f"$.credentials[{i}]",
                        detail=str(e),
                        index=i + 1,
                    )
                if i and keys[i] <= keys[i - 1]:
                    sound = False
                    self.fail(
                        "V3", file, "credential_order", where=f"$.credentials[{i}]", index=i + 1
                    )
            if sound and credential_list_hash(keys) != m.eligible_hash:
                self.fail("V3", file, "credential_hash", where="$.credentials")
            if len(keys) != m.eligible_count:
                self.fail(
                    "V3",
                    file,
                    "credential_count",
                    where="$.credentials",
                    found=len(keys),
                    expected=m.eligible_count,
                )
            if len(keys) > m.contest.entitled:
                self.fail(
                    "V3",
                    file,
                    "entitled",
                    where="$.credentials",
                    found=len(keys),
                    expected=m.contest.entitled,
                )
            congress = self.congress
            if (
                congress is not None
                and m.contest.assembly is congress.assembly
                and m.contest.entitled != congress.approved_delegates
            ):
                self.fail(
                    "V3",
                    r.file("manifest.json"),
                    "approved",
                    where="$.contest.electorate.entitled",
                    found=m.contest.entitled,
                    expected=congress.approved_delegates,
                )

    # -- V4 ------------------------------------------------------------------------------
    def v4(self) -> None:
        """Every cast ballot, then uniqueness across the board (T-2.c, T-3.b, T-4.a, T-8.a)."""
        for r in self.rounds:
            if r.board_raw is None:
                continue
            key = self._round_key(r)
            if key is None or r.manifest is None:
                self.skip(
                    "V4", r.file("manifest.json") if r.manifest is None else CONGRESS_MANIFEST
                )
                continue
            r.entries, r.board_sum = self._check_entries(key, r.board_raw)
            self.count("V4", len(r.entries))
            self._v4_round(r, r.manifest, r.entries)

    def _check_entries(
        self, key: RoundKey, raw: list[Any]
    ) -> tuple[list[EntryOutcome], tuple[Ciphertext, ...] | None]:
        items = list(enumerate(raw, start=1))
        size = max(1, min(16, math.ceil(len(items) / (self.pool.workers * 4))))
        chunks = [items[i : i + size] for i in range(0, len(items), size)]
        total = len(items)
        finished = 0

        def done(i: int) -> None:
            nonlocal finished
            finished += len(chunks[i])
            if self.progress:
                self.progress("V4", finished, total)

        results: list[ChunkOutcome] = self.pool.map(
            check_board_chunk, [(key, chunk) for chunk in chunks], done
        )
        entries = [e for res in results for e in res.entries]
        partials = [res.partial_sum for res in results]
        board_sum: tuple[Ciphertext, ...] | None = None
        if all(p is not None for p in partials):
            board_sum = ()
            for p in partials:
                if p is not None:
                    board_sum = (
                        p
                        if not board_sum
                        else tuple(a + b for a, b in zip(board_sum, p, strict=True))
                    )
        return entries, board_sum

    def _v4_round(self, r: _Round, m: RoundManifest, entries: list[EntryOutcome]) -> None:
        file = r.file("board.json")
        eligible = set(r.credentials.credentials) if r.credentials is not None else None
        if eligible is None:
            self.skip("V4", r.file("credentials.json"))
        audited_hashes: dict[bytes, int] = {}
        audited_nonces: dict[bytes, int] = {}
        audited_components: dict[bytes, int] = {}
        if r.audited is not None:
            for i, a in enumerate(r.audited.ballots, start=1):
                audited_hashes.setdefault(a.ballot.hash(), i)
                audited_nonces.setdefault(a.ballot.nonce, i)
                for ct in a.ballot.ciphertexts:
                    audited_components.setdefault(ct.A.encode(), i)
        first_credential: dict[bytes, int] = {}
        first_nonce: dict[bytes, int] = {}
        first_hash: dict[bytes, int] = {}
        first_component: dict[bytes, int] = {}
        counters = m.form.counters
        for e in entries:
            pos = e.position
            where = f"$.entries[{pos - 1}].ballot"
            for p in e.ballot_problems:
                self.fail(
                    "V4",
                    file,
                    p.code,
                    where=p.where,
                    position=pos,
                    detail=p.detail,
                    **dict(p.params),
                )
            if e.credential is not None:
                if eligible is not None and e.credential not in eligible:
                    self.fail("V4", file, "not_eligible", where=f"{where}.credential", position=pos)
                if e.credential in first_credential:
                    self.fail(
                        "V4",
                        file,
                        "duplicate_credential",
                        where=f"{where}.credential",
                        position=pos,
                        first=first_credential[e.credential],
                    )
                first_credential.setdefault(e.credential, pos)
            if e.nonce is not None:
                if e.nonce in first_nonce:
                    self.fail(
                        "V4",
                        file,
                        "duplicate_nonce",
                        where=f"{where}.nonce",
                        position=pos,
                        first=first_nonce[e.nonce],
                    )
                first_nonce.setdefault(e.nonce, pos)
            if e.ballot_hash is not None:
                if e.ballot_hash in first_hash:
                    self.fail(
                        "V4",
                        file,
                        "duplicate_hash",
                        where=where,
                        position=pos,
                        first=first_hash[e.ballot_hash],
                    )
                first_hash.setdefault(e.ballot_hash, pos)
            for c, A in enumerate(e.components):
                if A in first_component:
                    self.fail(
                        "V4",
                        file,
                        "duplicate_component",
                        where=f"{where}.counters[{c}].A",
                        position=pos,
                        counter=counters[c],
                        first=first_component[A],
                    )
                else:
                    first_component[A] = pos
            audited = (
                audited_hashes.get(e.ballot_hash or b"")
                or audited_nonces.get(e.nonce or b"")
                or next(
                    (audited_components[A] for A in e.components if A in audited_components), None
                )
            )
            if audited is not None:
                self.fail(
                    "V4", file, "audited_on_board", where=where, position=pos, audited=audited
                )

    # -- V5 ------------------------------------------------------------------------------
    def v5(self) -> None:
        """The chain link by link, every receipt and its signature, and the head (T-14)."""
        for r in self.rounds:
            if r.entries is None:
                missing = "manifest.json" if r.board_raw is not None else "board.json"
                self.skip("V5", r.file(missing))
                continue
            file = r.file("board.json")
            self.count("V5", len(r.entries))
            genesis = chain_genesis(r.round_hash)
            recomputed: bytes | None = genesis
            previous: bytes | None = genesis
            previous_time = ""
            for e in r.entries:
                pos = e.position
                where = f"$.entries[{pos - 1}].receipt"
                for p in e.receipt_problems:
                    self.fail("V5", file, p.code, where=p.where, position=pos, detail=p.detail)
                h_B = e.ballot_hash
                recomputed = (
                    chain_next(recomputed, h_B)
                    if recomputed is not None and h_B is not None
                    else None
                )
                rc = e.receipt
                if rc is None:
                    previous = None
                    continue
                if rc.round_hash != r.round_hash:
                    self.fail("V5", file, "receipt_round", where=f"{where}.round", position=pos)
                if rc.position != pos:
                    self.fail(
                        "V5",
                        file,
                        "receipt_position",
                        where=f"{where}.position",
                        position=pos,
                        found=rc.position,
                        expected=pos,
                    )
                if h_B is not None and rc.ballot_hash != h_B:
                    self.fail("V5", file, "receipt_ballot", where=f"{where}.ballot", position=pos)
                if (
                    previous is not None
                    and h_B is not None
                    and rc.chain != chain_next(previous, h_B)
                ):
                    self.fail("V5", file, "chain", where=f"{where}.chain", position=pos, at=pos)
                if rc.time < previous_time:
                    self.fail(
                        "V5",
                        file,
                        "receipt_time",
                        where=f"{where}.time",
                        position=pos,
                        found=rc.time,
                        expected=previous_time,
                    )
                previous, previous_time = rc.chain, rc.time
            r.verified_head = recomputed
            if recomputed is None:
                self.skip("V5", file, "head_unavailable")
            elif r.board_head != recomputed:
                self.fail("V5", file, "head", where="$.head")

    # -- V6 ------------------------------------------------------------------------------
    def v6(self) -> None:
        """The published sums equal the sums of the board's ballots, counter by counter."""
        for r in self.rounds:
            if r.tally is None or r.manifest is None:
                continue
            file = r.file("tally.json")
            if r.entries is None:
                self.skip("V6", r.file("board.json"))
                continue
            self.count("V6", len(r.tally.counters))
            if r.tally.ballots != len(r.entries):
                self.fail(
                    "V6",
                    file,
                    "tally_ballots",
                    where="$.ballots",
                    found=r.tally.ballots,
                    expected=len(r.entries),
                )
            if not r.entries:
                continue
            if r.board_sum is None:
                self.skip("V6", r.file("board.json"), "ballots_unavailable")
                continue
            for c, (published, summed) in enumerate(
                zip(r.tally.counters, r.board_sum, strict=True)
            ):
                if published != summed:
                    self.fail(
                        "V6",
                        file,
                        "tally_counter",
                        where=f"$.counters[{c}]",
                        counter=r.manifest.form.counters[c],
                    )

    # -- V7 ------------------------------------------------------------------------------
    def v7(self) -> None:
        """Every share proof; at least t guardians; ``M_c = count_c * G`` (T-15.c)."""
        congress = self.congress
        for r in self.rounds:
            d, tally, m = r.decryption, r.tally, r.manifest
            if d is None or m is None:
                continue
            file = r.file("decryption.json")
            if congress is None:
                self.skip("V7", CONGRESS_MANIFEST)
                continue
            if tally is None:
                self.skip("V7", r.file("tally.json"))
                continue
            calls: list[tuple[int, DecryptionShare, bytes]] = []
            seen: set[int] = set()
            for i, share in enumerate(d.shares):
                guardian = congress.guardian(share.guardian)
                if guardian is None:
                    self.fail(
                        "V7",
                        file,
                        "share_guardian",
                        where=f"$.shares[{i}].guardian",
                        guardian=share.guardian,
                    )
                elif share.guardian in seen:
                    self.fail(
                        "V7",
                        file,
                        "share_duplicate",
                        where=f"$.shares[{i}].guardian",
                        guardian=share.guardian,
                    )
                else:
                    seen.add(share.guardian)
                    calls.append((i, share, guardian.public_share.encode()))
            tally_json = tally.to_json()
            problems = self.pool.map(
                check_share,
                [(r.round_hash, kj, tally_json, share.to_json()) for _, share, kj in calls],
            )
            self.count("V7", len(calls) * len(tally.counters))
            valid: dict[int, DecryptionShare] = {}
            for (i, share, _), problem in zip(calls, problems, strict=True):
                if problem is None:
                    valid[share.guardian] = share
                else:
                    self.fail(
                        "V7",
                        file,
                        "share_proof",
                        where=f"$.shares[{i}]",
                        detail=problem.detail,
                        guardian=share.guardian,
                    )
            if len(valid) < congress.threshold:
                self.fail(
                    "V7",
                    file,
                    "too_few_shares",
                    where="$.shares",
                    found=len(valid),
                    expected=congress.threshold,
                )
                continue
            decrypted = combine_shares(tally.counters, valid, congress.threshold)
            for c, ((name, count), M) in enumerate(zip(d.counts, decrypted, strict=True)):
                where = f"$.counts[{c}].count"
                if count > tally.ballots:
                    self.fail(
                        "V7",
                        file,
                        "count_range",
                        where=where,
                        counter=name,
                        found=count,
                        expected=tally.ballots,
                    )
                expected = IDENTITY if count == 0 else Scalar.from_int(count) * G
                if M != expected:
                    self.fail("V7", file, "count", where=where, counter=name, found=count)

    # -- V8, V9 ----------------------------------------------------------------------------
    def _inputs(self, check: str, r: _Round) -> tuple[RoundManifest, RoundResult, Profile] | None:
        """The manifest, result and profile a result check needs (skipped without them)."""
        if r.result is None:
            if check != "V8":  # V8 owns result.json: its read failure is already reported
                self.skip(check, r.file("result.json"))
            return None
        if r.manifest is None:
            self.skip(check, r.file("manifest.json"))
            return None
        if r.profile is None:
            self.skip(check, r.file("manifest.json"))
            return None
        return r.manifest, r.result, r.profile

    def _counted_tally(self, r: _Round, m: RoundManifest, result: RoundResult) -> Tally | None:
        """The tally the decrypted counts give, with the board's length as ballots cast."""
        if r.decryption is None or r.entries is None or r.profile is None:
            return None
        return tally_from_counts(
            m.rules_form(),
            r.decryption.values,
            cast=len(r.entries),
            issued=result.tally.issued,
            profile=r.profile,
        )

    def v8(self) -> None:
        """Result arithmetic: the tally from the counts, control totals, percentages."""
        for r in self.rounds:
            inputs = self._inputs("V8", r)
            if inputs is None:
                continue
            m, result, profile = inputs
            file = r.file("result.json")
            self.count("V8", 1)
            t = result.tally
            expected = self._counted_tally(r, m, result)
            if expected is None:
                missing = "decryption.json" if r.decryption is None else "board.json"
                self.skip("V8", r.file(missing))
            else:
                self._compare_tally(file, t, expected)
            if t.cast != t.valid + t.invalid_total:
                self.fail(
                    "V8",
                    file,
                    "cast_sum",
                    where="$.tally",
                    cast=t.cast,
                    valid=t.valid,
                    invalid=t.invalid_total,
                )
            if t.cast > t.issued:
                self.fail(
                    "V8", file, "cast_issued", where="$.tally.cast", found=t.cast, expected=t.issued
                )
            if t.issued > m.eligible_count:
                self.fail(
                    "V8",
                    file,
                    "issued_eligible",
                    where="$.tally.issued",
                    found=t.issued,
                    expected=m.eligible_count,
                )
            if r.credentials is not None and t.cast > len(r.credentials.credentials):
                self.fail(
                    "V8",
                    file,
                    "cast_credentials",
                    where="$.tally.cast",
                    found=t.cast,
                    expected=len(r.credentials.credentials),
                )
            try:
                check_tally(t, profile, present_entitled=result.base.present_at_vote)
            except RulesError as e:
                self.fail(
                    "V8", file, "control_totals", where="$.tally", detail=str(e), rule=e.rule_id
                )
            self._candidate_arithmetic(file, m, result, profile)

    def _compare_tally(self, file: str, t: Tally, expected: Tally) -> None:
        pairs: list[tuple[str, str, Any, Any]] = [
            ("cast", "$.tally.cast", t.cast, expected.cast),
            ("valid", "$.tally.valid", t.valid, expected.valid),
        ]
        for reason in sorted(set(t.invalid) | set(expected.invalid)):
            pairs.append(
                (
                    f"invalid.{reason.value}",
                    "$.tally.invalid",
                    t.invalid.get(reason),
                    expected.invalid.get(reason),
                )
            )
        for i, c in enumerate(expected.form.candidates):
            pairs.append((f"votes[{c}]", f"$.tally.votes[{i}]", t.votes.get(c), expected.votes[c]))
            if expected.disagree or t.disagree:
                pairs.append(
                    (
                        f"disagree[{c}]",
                        f"$.tally.disagree[{i}]",
                        t.disagree.get(c),
                        expected.disagree.get(c),
                    )
                )
        for name, where, found, want in pairs:
            if found != want:
                self.fail(
                    "V8", file, "tally_field", where=where, field=name, found=found, expected=want
                )

    def _candidate_arithmetic(
        self, file: str, m: RoundManifest, result: RoundResult, profile: Profile
    ) -> None:
        n = result.base.n
        t = result.tally
        for i, cr in enumerate(result.candidates):
            disagree = t.disagree.get(cr.candidate) if m.form.kind == "agree_disagree" else None
            checks: list[tuple[str, Any, Any]] = [
                ("votes", cr.votes, t.votes.get(cr.candidate)),
                ("disagree", cr.disagree, disagree),
                ("percent", cr.percent, percent_of_base(cr.votes, n)),
                ("percent_text", cr.percent_text, format_percent_vi(cr.votes, n, profile.percent)),
                ("rank", cr.rank, 1 + sum(1 for o in result.candidates if o.votes > cr.votes)),
                ("has_majority", cr.has_majority, has_majority(cr.votes, n)),
            ]
            for name, found, want in checks:
                if found != want:
                    self.fail(
                        "V8",
                        file,
                        "candidate_field",
                        where=f"$.candidates[{i}].{name}",
                        candidate=cr.candidate,
                        field=name,
                        found=found,
                        expected=want,
                    )

    def v9(self) -> None:
        """``decide_round`` again, on the manifest's round and the counted tally."""
        for r in self.rounds:
            inputs = self._inputs("V9", r)
            if inputs is None:
                continue
            m, result, profile = inputs
            file = r.file("result.json")
            self.count("V9", 1)
            expected_round = m.rules_round()
            for name in ("contest", "number", "kind", "form", "requires_majority", "decision"):
                if getattr(result.round, name) != getattr(expected_round, name):
                    self.fail("V9", file, "round_mismatch", where=f"$.round.{name}", field=name)
            wanted = (
                profile.rounds.tie_revote_requires_majority
                if m.round.kind is RoundKind.TIE_BREAK
                else True
            )
            if m.round.requires_majority != wanted:
                self.fail(
                    "V9",
                    r.file("manifest.json"),
                    "requires_majority",
                    where="$.round.requires_majority",
                    found=m.round.requires_majority,
                    expected=wanted,
                )
            tally = self._counted_tally(r, m, result) or result.tally
            try:
                decided = decide_round(expected_round, tally, result.base, profile)
            except (RulesError, ValueError) as e:
                rule = e.rule_id if isinstance(e, RulesError) else ""
                self.fail("V9", file, "rules_error", where="$", detail=str(e), rule=rule)
                continue
            fields: list[tuple[str, Any, Any]] = [
                ("status", result.status.value, decided.status.value),
                ("elected", list(result.elected), list(decided.elected)),
                ("tied", list(result.tied), list(decided.tied)),
                ("tie_seats", result.tie_seats, decided.tie_seats),
                ("not_elected", list(result.not_elected), list(decided.not_elected)),
            ]
            for name, found, want in fields:
                if found != want:
                    self.fail(
                        "V9",
                        file,
                        "rules_field",
                        where=f"$.{name}",
                        field=name,
                        found=found,
                        expected=want,
                    )
            for i, (got, want_c) in enumerate(
                zip(result.candidates, decided.candidates, strict=True)
            ):
                if got.outcome is not want_c.outcome:
                    self.fail(
                        "V9",
                        file,
                        "rules_field",
                        where=f"$.candidates[{i}].outcome",
                        field=f"outcome[{got.candidate}]",
                        found=got.outcome.value,
                        expected=want_c.outcome.value,
                    )
            if result.trace != decided.trace:
                self.fail(
                    "V9",
                    file,
                    "rules_field",
                    where="$.trace",
                    field="trace",
                    found=len(result.trace),
                    expected=len(decided.trace),
                )

    # -- V10 -----------------------------------------------------------------------------
    def v10(self) -> None:
        """Audited ballots re-encrypt (``crypto.verify_audited``) and are not on the board."""
        for r in self.rounds:
            audited = r.audited
            if audited is None:
                continue
            key = self._round_key(r)
            if key is None:
                self.skip("V10", CONGRESS_MANIFEST)
                continue
            file = r.file("audited.json")
            outcomes = self.pool.map(
                check_audited,
                [(key, i, a.to_json()) for i, a in enumerate(audited.ballots, start=1)],
            )
            self.count("V10", len(outcomes))
            on_board = {}
            if r.entries is None:
                self.skip("V10", r.file("board.json"))
            else:
                on_board = {e.ballot_hash: e.position for e in r.entries if e.ballot_hash}
            for out in outcomes:
                for p in out.problems:
                    self.fail(
                        "V10", file, p.code, where=p.where, position=out.index, detail=p.detail
                    )
                if out.ballot_hash in on_board:
                    self.fail(
                        "V10",
                        file,
                        "audited_counted",
                        where=f"$.ballots[{out.index - 1}]",
                        position=out.index,
                        board=on_board[out.ballot_hash],
                    )

    # -- V11 -----------------------------------------------------------------------------
    def v11(self) -> None:
        """The minutes' data equals the verified result; enough valid members' signatures."""
        congress = self.congress
        for r in self.rounds:
            minutes = r.minutes
            if minutes is None:
                continue
            if congress is None:
                self.skip("V11", CONGRESS_MANIFEST)
                continue
            file = r.file("minutes.json")
            if (
                r.manifest is not None
                and r.result is not None
                and r.result.round.form.candidates != r.manifest.contest.candidate_ids
            ):
                self.skip("V11", r.file("result.json"), "result_mismatch")
            elif r.manifest is not None and r.result is not None:
                head = r.verified_head
                if head is None:
                    self.skip("V11", r.file("board.json"), "head_unavailable")
                    head = r.board_head
                expected = minutes_data(congress, r.manifest, head, r.result)
                for where in _differences(minutes.data, expected, "$.data"):
                    if where.startswith("$.data.board_head"):
                        self.fail("V11", file, "minutes_head", where=where)
                    else:
                        self.fail("V11", file, "minutes_field", where=where, field=where[7:])
            else:
                missing = "manifest.json" if r.manifest is None else "result.json"
                self.skip("V11", r.file(missing))
            message = minutes_message(minutes.data)
            seen: set[int] = set()
            valid = 0
            for i, s in enumerate(minutes.signatures):
                self.count("V11", 1)
                where = f"$.signatures[{i}]"
                guardian = congress.guardian(s.guardian)
                if guardian is None:
                    self.fail("V11", file, "minutes_signer", where=where, guardian=s.guardian)
                    continue
                if s.guardian in seen:
                    self.fail(
                        "V11", file, "minutes_duplicate_signer", where=where, guardian=s.guardian
                    )
                    continue
                seen.add(s.guardian)
                try:
                    verify_signature(guardian.signing_key, message, s.signature)
                except CryptoError as e:
                    self.fail(
                        "V11",
                        file,
                        "minutes_signature",
                        where=f"{where}.signature",
                        detail=str(e),
                        guardian=s.guardian,
                    )
                else:
                    valid += 1
            if valid < congress.threshold:
                self.fail(
                    "V11",
                    file,
                    "minutes_too_few",
                    where="$.signatures",
                    found=valid,
                    expected=congress.threshold,
                )


def _differences(found: Any, expected: Any, path: str, limit: int = 20) -> list[str]:
    """JSON paths at which ``found`` differs from ``expected`` (the first ``limit``)."""
    out: list[str] = []

    def walk(a: Any, b: Any, p: str) -> None:
        if len(out) >= limit:
            return
        if isinstance(a, dict) and isinstance(b, dict):
            for k in sorted(set(a) | set(b)):
                if k not in a or k not in b:
                    out.append(f"{p}.{k}")
                else:
                    walk(a[k], b[k], f"{p}.{k}")
        elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
            for i, (x, y) in enumerate(zip(a, b, strict=True)):
                walk(x, y, f"{p}[{i}]")
        elif type(a) is not type(b) or a != b:
            out.append(p)

    walk(found, expected, path)
    return out

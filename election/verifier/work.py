"""The per-item work of the checks, run in a worker pool (V2 aside, the expensive part).

Each function here is pure: its result depends only on its arguments, which are plain
bytes and JSON values (cheap to send to another process). Results are memoised under the
SHA-256 of the inputs' sorted-key JSON (bounded, least recently used first out), which
changes nothing in what is checked and makes re-verifying many near-identical records (the
mutation test) cheap.

* ``check_board_chunk`` (V4, V5, V6): per board entry, strict decoding, ``h_B``,
  ``crypto.verify_ballot``, the receipt's decoding and the server's signature; per chunk,
  the partial sum of the ciphertexts of the ballots that decode.
* ``check_audited`` (V10): ``crypto.verify_audited`` on one audited ballot.
* ``check_share`` (V7): ``crypto.verify_decryption_share`` of one guardian.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Sequence
from concurrent.futures import (
    Executor,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    as_completed,
)
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal, TypeVar

from crypto import (
    Ciphertext,
    CiphertextBallot,
    CryptoError,
    DecryptionShare,
    InvalidBallot,
    InvalidCredential,
    InvalidProof,
    InvalidSignature,
    Point,
    RoundContext,
    ballot_hash,
    form_for,
    sum_ciphertexts,
    verify_audited,
    verify_ballot,
    verify_decryption_share,
    verify_receipt,
)
from election.record.board import Receipt
from election.record.errors import RecordFormatError
from election.record.jsonio import Node

__all__ = [
    "AuditOutcome",
    "ChunkOutcome",
    "EntryOutcome",
    "ExecutorKind",
    "Pool",
    "Problem",
    "RoundKey",
    "check_audited",
    "check_board_chunk",
    "check_share",
    "clear_memos",
]

ExecutorKind = Literal["process", "thread"]
T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class RoundKey:
    """What every per-ballot check of one round depends on."""

    round_hash: bytes
    joint_key: bytes
    #: ``(kind, candidates, seats)`` of the crypto form.
    form: tuple[str, int, int]
    server_key: bytes


class _Memo:
    """A small thread-safe LRU memo whose keys hold digests, not the (large) inputs."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        with self._lock:
            value = self._items.get(key, _MISSING)
            if value is not _MISSING:
                self._items.move_to_end(key)
            return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)


_MISSING = object()
_ENTRIES = _Memo(4096)
_AUDITED = _Memo(256)
_SHARES = _Memo(256)


def _digest(value: Any) -> bytes:
    """A memo key for a JSON value: SHA-256 of its sorted-key serialisation.

    ``json.dumps`` (in C) is enough here: the value came from ``parse_json`` and is only
    being identified, not hashed for the protocol.
    """
    data = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8", "surrogatepass")).digest()


def clear_memos() -> None:
    """Forget every memoised result (for benchmarks that must measure the full work)."""
    for memo in (_ENTRIES, _AUDITED, _SHARES):
        memo.clear()


@lru_cache(maxsize=64)
def _context(key: RoundKey) -> RoundContext:
    return RoundContext(key.round_hash, Point.decode(key.joint_key), form_for(*key.form))


@dataclass(frozen=True)
class Problem:
    """One failure found by a worker: a message code, a JSON path, details."""

    code: str
    where: str = ""
    detail: str = ""
    params: tuple[tuple[str, Any], ...] = ()


def _unexpected(where: str, e: Exception) -> Problem:
    return Problem("exception", where, f"{type(e).__name__}: {e}")


@dataclass(frozen=True)
class EntryOutcome:
    """What the checks need to know about one board entry."""

    position: int
    #: ``h_B``, SHA-256 of the ballot's canonical JSON (None if there is no ballot object).
    ballot_hash: bytes | None
    credential: bytes | None
    nonce: bytes | None
    #: The ``A`` component of each counter, when the ballot decodes.
    components: tuple[bytes, ...]
    receipt: Receipt | None
    #: V4's findings about the ballot, V5's about the receipt.
    ballot_problems: tuple[Problem, ...]
    receipt_problems: tuple[Problem, ...]


@dataclass(frozen=True)
class ChunkOutcome:
    entries: tuple[EntryOutcome, ...]
    #: Sum of the ciphertexts of this chunk's ballots, per counter; None if one did not decode.
    partial_sum: tuple[Ciphertext, ...] | None


def check_board_chunk(key: RoundKey, items: Sequence[tuple[int, Any]]) -> ChunkOutcome:
    """Check board entries ``(position, raw JSON)`` and sum their ciphertexts."""
    outcomes: list[EntryOutcome] = []
    ballots: list[tuple[Ciphertext, ...] | None] = []
    for position, raw in items:
        memo_key = (key, position, _digest(raw))
        found = _ENTRIES.get(memo_key)
        if found is _MISSING:
            found = _check_entry(key, position, raw)
            _ENTRIES.put(memo_key, found)
        outcome, cts = found
        outcomes.append(outcome)
        ballots.append(cts)
    partial: tuple[Ciphertext, ...] | None = None
    if ballots and all(b is not None for b in ballots):
        columns = zip(*(b for b in ballots if b is not None), strict=True)
        partial = tuple(sum_ciphertexts(column) for column in columns)
    return ChunkOutcome(tuple(outcomes), partial)


def _check_entry(
    key: RoundKey, position: int, raw: Any
) -> tuple[EntryOutcome, tuple[Ciphertext, ...] | None]:
    where = f"$.entries[{position - 1}]"
    ballot_problems: list[Problem] = []
    receipt_problems: list[Problem] = []
    if not isinstance(raw, dict) or set(raw) != {"ballot", "receipt", "signature"}:
        ballot_problems.append(Problem("entry_shape", where))
        raw = raw if isinstance(raw, dict) else {}

    # V4: the ballot.
    h_B: bytes | None = None
    credential = nonce = None
    components: tuple[bytes, ...] = ()
    ciphertexts: tuple[Ciphertext, ...] | None = None
    if "ballot" in raw:
        ballot_json = raw["ballot"]
        if isinstance(ballot_json, dict):
            try:
                h_B = ballot_hash(ballot_json)
            except CryptoError as e:  # pragma: no cover - parse_json admits canonical values only
                ballot_problems.append(Problem("ballot_decode", f"{where}.ballot", str(e)))
        ctx = _context(key)
        try:
            ballot = CiphertextBallot.from_json(ballot_json, ctx.form)
        except CryptoError as e:
            ballot_problems.append(Problem("ballot_decode", f"{where}.ballot", str(e)))
        except Exception as e:  # reported as a V4 failure, with its text
            ballot_problems.append(_unexpected(f"{where}.ballot", e))
        else:
            credential, nonce = ballot.credential, ballot.nonce
            components = tuple(ct.A.encode() for ct in ballot.ciphertexts)
            ciphertexts = ballot.ciphertexts
            problem = _verify_ballot(ctx, ballot, f"{where}.ballot")
            if problem is not None:
                ballot_problems.append(problem)

    # V5: the receipt and the server's signature over it.
    receipt: Receipt | None = None
    if "receipt" in raw:
        try:
            receipt = Receipt.from_json(Node(raw["receipt"], "", f"{where}.receipt"))
        except RecordFormatError as e:
            receipt_problems.append(Problem("receipt_decode", e.where, e.message))
        else:
            try:
                verify_receipt(key.server_key, raw["receipt"], raw.get("signature"))
            except CryptoError as e:
                receipt_problems.append(Problem("receipt_signature", f"{where}.signature", str(e)))
    else:
        receipt_problems.append(Problem("receipt_decode", where, "no receipt"))
    outcome = EntryOutcome(
        position,
        h_B,
        credential,
        nonce,
        components,
        receipt,
        tuple(ballot_problems),
        tuple(receipt_problems),
    )
    return outcome, ciphertexts


def _verify_ballot(ctx: RoundContext, ballot: CiphertextBallot, where: str) -> Problem | None:
    """``crypto.verify_ballot``, its refusal turned into a located problem."""
    try:
        verify_ballot(ctx, ballot)
    except InvalidBallot as e:
        return Problem("ballot_round", f"{where}.round", str(e))
    except InvalidCredential as e:
        return Problem("ballot_credential", f"{where}.credential", str(e))
    except InvalidSignature as e:
        return Problem("ballot_signature", f"{where}.signature", str(e))
    except InvalidProof as e:
        return Problem("ballot_proof", where, str(e))
    except CryptoError as e:
        return Problem("ballot_proof", where, f"{type(e).__name__}: {e}")
    except Exception as e:  # reported as a V4 failure of this ballot, with its text
        return _unexpected(where, e)
    return None


@dataclass(frozen=True)
class AuditOutcome:
    index: int
    ballot_hash: bytes | None
    problems: tuple[Problem, ...]


def check_audited(key: RoundKey, index: int, raw: Any) -> AuditOutcome:
    """Re-encrypt audited ballot ``index`` (from 1) with ``crypto.verify_audited`` (V10)."""
    memo_key = (key, index, _digest(raw))
    found = _AUDITED.get(memo_key)
    if found is _MISSING:
        found = _check_audited(key, index, raw)
        _AUDITED.put(memo_key, found)
    outcome: AuditOutcome = found
    return outcome


def _check_audited(key: RoundKey, index: int, raw: Any) -> AuditOutcome:
    where = f"$.ballots[{index - 1}]"
    h_B = None
    if isinstance(raw, dict) and isinstance(raw.get("ballot"), dict):
        h_B = ballot_hash(raw["ballot"])
    try:
        verify_audited(_context(key), raw)
    except CryptoError as e:
        return AuditOutcome(index, h_B, (Problem("audited_invalid", where, str(e)),))
    except Exception as e:  # reported as a V10 failure, with its text
        return AuditOutcome(index, h_B, (_unexpected(where, e),))
    return AuditOutcome(index, h_B, ())


def check_share(round_hash: bytes, public_share: bytes, tally: Any, share: Any) -> Problem | None:
    """Verify one guardian's decryption share of the published tally (V7)."""
    memo_key = (
        round_hash,
        public_share,
        _digest(tally),
        _digest(share),
    )
    found = _SHARES.get(memo_key)
    if found is _MISSING:
        found = _check_share(round_hash, public_share, tally, share)
        _SHARES.put(memo_key, found)
    problem: Problem | None = found
    return problem


def _check_share(
    round_hash: bytes, public_share: bytes, tally: Any, share_json: Any
) -> Problem | None:
    counters = tuple(Ciphertext.from_json(c) for c in tally["counters"])
    share = DecryptionShare.from_json(share_json, len(counters))
    try:
        verify_decryption_share(round_hash, Point.decode(public_share), counters, share)
    except CryptoError as e:
        return Problem("share_proof", "", str(e), (("guardian", share.guardian),))
    return None


# --------------------------------------------------------------------------- the pool
class Pool:
    """A pool of workers (processes or threads), or none at all with ``workers == 1``."""

    def __init__(self, workers: int | None = None, kind: ExecutorKind = "process") -> None:
        self.workers = max(1, workers if workers is not None else (os.cpu_count() or 1))
        self.kind: str = kind if self.workers > 1 else "inline"
        self._executor: Executor | None = None
        if self.workers > 1:
            if kind == "thread":
                self._executor = ThreadPoolExecutor(self.workers)
            else:
                self._executor = ProcessPoolExecutor(self.workers)

    def map(
        self,
        fn: Callable[..., R],
        calls: Iterable[tuple[Any, ...]],
        done: Callable[[int], None] | None = None,
    ) -> list[R]:
        """``[fn(*args) for args in calls]`` across the workers, results in call order.

        ``done(i)`` is called as each call finishes (in completion order), for progress.
        """
        calls = list(calls)
        if self._executor is None:
            out = []
            for i, args in enumerate(calls):
                out.append(fn(*args))
                if done:
                    done(i)
            return out
        futures: list[Future[R]] = [self._executor.submit(fn, *args) for args in calls]
        index = {id(f): i for i, f in enumerate(futures)}
        if done:
            for f in as_completed(futures):
                done(index[id(f)])
        return [f.result() for f in futures]

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

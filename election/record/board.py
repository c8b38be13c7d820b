"""The bulletin board and the audited ballots (PROTOCOL.md sections 6, 7 and 9).

``rounds/<id>/board.json`` holds every cast ballot in board order, each with the receipt
the server signed for it: ``{"round": h_R, "position": i, "ballot": h_B, "chain": h_i,
"time": ...}`` and the signature (``crypto.sign_receipt``). The chain hash is in the
receipt; ``head`` is the last ``h_i`` (``h_0`` for an empty board). V4 checks the ballots,
V5 the chain and the receipts.

``rounds/<id>/audited.json`` holds the Benaloh-challenged ballots, each in the form
``crypto.audit_ballot`` produces (the signed ballot, its choices and its randomness); they
are never counted (V10).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from crypto import BallotForm, CiphertextBallot, Scalar, audit_ballot
from crypto.ballot import BallotSecrets
from election.record.jsonio import JsonObject, Node

__all__ = [
    "MAX_BALLOTS",
    "AuditedBallot",
    "AuditedBallots",
    "Board",
    "BoardEntry",
    "Receipt",
    "parse_time",
]

MAX_BALLOTS = 100_000
_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")


def parse_time(node: Node) -> str:
    """A UTC time written ``YYYY-MM-DDTHH:MM:SSZ`` (the receipt's format)."""
    value = node.value
    if not isinstance(value, str) or not _TIME.fullmatch(value):
        raise node.error("expected a UTC time YYYY-MM-DDTHH:MM:SSZ")
    try:
        datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        raise node.error("not a real date and time") from None
    return value


@dataclass(frozen=True)
class Receipt:
    """What the server signs when it accepts a ballot (docs/protocol.md section 11)."""

    round_hash: bytes
    position: int
    ballot_hash: bytes
    chain: bytes
    time: str

    def to_json(self) -> JsonObject:
        return {
            "round": self.round_hash.hex(),
            "position": self.position,
            "ballot": self.ballot_hash.hex(),
            "chain": self.chain.hex(),
            "time": self.time,
        }

    @classmethod
    def from_json(cls, node: Node) -> Receipt:
        node.obj({"round", "position", "ballot", "chain", "time"})
        return cls(
            round_hash=node["round"].hexbytes(64),
            position=node["position"].integer(1, MAX_BALLOTS),
            ballot_hash=node["ballot"].hexbytes(32),
            chain=node["chain"].hexbytes(64),
            time=parse_time(node["time"]),
        )


@dataclass(frozen=True)
class BoardEntry:
    """One cast ballot at its board position, with the server's signed receipt."""

    ballot: CiphertextBallot
    receipt: Receipt
    signature: bytes

    def to_json(self) -> JsonObject:
        return {
            "ballot": self.ballot.to_json(),
            "receipt": self.receipt.to_json(),
            "signature": self.signature.hex(),
        }

    @classmethod
    def from_json(cls, node: Node, form: BallotForm) -> BoardEntry:
        node.obj({"ballot", "receipt", "signature"})
        return cls(
            ballot=decode_ballot(node["ballot"], form),
            receipt=Receipt.from_json(node["receipt"]),
            signature=node["signature"].hexbytes(64),
        )


def decode_ballot(node: Node, form: BallotForm) -> CiphertextBallot:
    """Strictly decode a ballot of ``form`` (``CiphertextBallot.from_json``)."""
    return node.decode(lambda v: CiphertextBallot.from_json(v, form))


@dataclass(frozen=True)
class Board:
    """``rounds/<id>/board.json``: the entries in board order and the head ``h_n``."""

    entries: tuple[BoardEntry, ...]
    head: bytes

    def to_json(self) -> JsonObject:
        return {"entries": [e.to_json() for e in self.entries], "head": self.head.hex()}

    @classmethod
    def from_json(cls, node: Node, form: BallotForm) -> Board:
        node.obj({"entries", "head"})
        return cls(
            tuple(
                BoardEntry.from_json(n, form) for n in node["entries"].items(max_items=MAX_BALLOTS)
            ),
            node["head"].hexbytes(64),
        )


@dataclass(frozen=True)
class AuditedBallot:
    """A challenged ballot opened with its own randomness (Benaloh; never counted)."""

    ballot: CiphertextBallot
    counters: tuple[int, ...]
    randomness: tuple[Scalar, ...]

    def to_json(self) -> JsonObject:
        return audit_ballot(self.ballot, BallotSecrets(self.counters, self.randomness))

    @classmethod
    def from_json(cls, node: Node, form: BallotForm) -> AuditedBallot:
        node.obj({"ballot", "counters", "randomness"})
        n = len(form.counters)
        return cls(
            ballot=decode_ballot(node["ballot"], form),
            counters=tuple(c.integer(0, 1) for c in node["counters"].items(n)),
            randomness=tuple(r.scalar() for r in node["randomness"].items(n)),
        )


@dataclass(frozen=True)
class AuditedBallots:
    """``rounds/<id>/audited.json``."""

    ballots: tuple[AuditedBallot, ...]

    def to_json(self) -> JsonObject:
        return {"ballots": [b.to_json() for b in self.ballots]}

    @classmethod
    def from_json(cls, node: Node, form: BallotForm) -> AuditedBallots:
        node.obj({"ballots"})
        return cls(
            tuple(
                AuditedBallot.from_json(n, form)
                for n in node["ballots"].items(max_items=MAX_BALLOTS)
            )
        )


def raw_entries(node: Node) -> tuple[list[Any], bytes]:
    """The board's entries as raw JSON values and its head, for per-entry checking (V4, V5).

    The verifier decodes each entry on its own (in a worker pool) so that one malformed
    ballot is reported at its position without hiding the rest of the board.
    """
    node.obj({"entries", "head"})
    items = node["entries"].items(max_items=MAX_BALLOTS)
    return [n.value for n in items], node["head"].hexbytes(64)

"""The record as a whole: its layout, its index and the typed files (PROTOCOL.md section 9).

A record is a folder, or a zip of that folder's contents, holding exactly::

    record.json                       the index: format, scope, congress and round hashes
    congress/manifest.json            CongressManifest (its hash is in every round manifest)
    congress/ceremony.json            Ceremony: commitments and Schnorr proofs
    rounds/<round id>/manifest.json   RoundManifest (h_R)
    rounds/<round id>/credentials.json  CredentialList
    rounds/<round id>/board.json      Board: ballots, receipts, chain, head
    rounds/<round id>/audited.json    AuditedBallots
    rounds/<round id>/tally.json      EncryptedTally
    rounds/<round id>/decryption.json Decryption: shares, proofs, counts
    rounds/<round id>/result.json     the rules' RoundResult (rules_json)
    rounds/<round id>/minutes.json    Minutes: data and signatures

A round record (``scope = "round"``) has exactly one round; a congress record
(``scope = "congress"``) has every round of the congress, in the order they were held.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from election.record.board import AuditedBallots, Board
from election.record.congress import Ceremony, CongressManifest
from election.record.jsonio import JsonObject, Node
from election.record.manifest import CredentialList, RoundManifest
from election.record.minutes import Minutes
from election.record.rules_json import round_result_to_json
from election.record.tally import Decryption, EncryptedTally
from election.rules import RoundResult

__all__ = [
    "CEREMONY",
    "CONGRESS_MANIFEST",
    "FORMAT",
    "INDEX",
    "ROUND_FILES",
    "Record",
    "RecordIndex",
    "RoundRecord",
    "RoundRef",
    "Scope",
    "round_file",
]

#: The record format this package writes and reads.
FORMAT = "dh-vote-record/v1"
INDEX = "record.json"
CONGRESS_MANIFEST = "congress/manifest.json"
CEREMONY = "congress/ceremony.json"
#: The files of one round, in the order the checks use them.
ROUND_FILES = (
    "manifest.json",
    "credentials.json",
    "board.json",
    "audited.json",
    "tally.json",
    "decryption.json",
    "result.json",
    "minutes.json",
)
MAX_ROUNDS = 1000

Scope = Literal["round", "congress"]


def round_file(round_id: str, name: str) -> str:
    """The record-relative path of one of a round's files."""
    if name not in ROUND_FILES:
        raise ValueError(f"{name!r} is not a round file")
    return f"rounds/{round_id}/{name}"


@dataclass(frozen=True)
class RoundRef:
    """A round listed in the index, with the ``h_R`` the record states for it (V1)."""

    round_id: str
    round_hash: bytes

    def to_json(self) -> JsonObject:
        return {"id": self.round_id, "hash": self.round_hash.hex()}


@dataclass(frozen=True)
class RecordIndex:
    """``record.json``."""

    scope: Scope
    congress_id: str
    congress_hash: bytes
    rounds: tuple[RoundRef, ...]

    def to_json(self) -> JsonObject:
        return {
            "format": FORMAT,
            "scope": self.scope,
            "congress": {"id": self.congress_id, "hash": self.congress_hash.hex()},
            "rounds": [r.to_json() for r in self.rounds],
        }

    @classmethod
    def from_json(cls, node: Node) -> RecordIndex:
        node.obj({"format", "scope", "congress", "rounds"})
        node["format"].literal(FORMAT)
        scope = node["scope"].value
        if scope not in ("round", "congress"):
            raise node["scope"].error("expected 'round' or 'congress'")
        congress = node["congress"].obj({"id", "hash"})
        rounds: list[RoundRef] = []
        for item in node["rounds"].items(max_items=MAX_ROUNDS):
            item.obj({"id", "hash"})
            rounds.append(RoundRef(item["id"].ident(), item["hash"].hexbytes(64)))
        if len({r.round_id for r in rounds}) != len(rounds):
            raise node["rounds"].error("round ids must be distinct")
        if scope == "round" and len(rounds) != 1:
            raise node["rounds"].error("a round record has exactly one round")
        if not rounds:
            raise node["rounds"].error("a record has at least one round")
        return cls(
            "round" if scope == "round" else "congress",
            congress["id"].ident(),
            congress["hash"].hexbytes(64),
            tuple(rounds),
        )

    def files(self) -> tuple[str, ...]:
        """Every file a record with this index holds, in a fixed order."""
        out = [INDEX, CONGRESS_MANIFEST, CEREMONY]
        for ref in self.rounds:
            out += [round_file(ref.round_id, name) for name in ROUND_FILES]
        return tuple(out)


@dataclass(frozen=True)
class RoundRecord:
    """The files of one round."""

    round_id: str
    manifest: RoundManifest
    credentials: CredentialList
    board: Board
    audited: AuditedBallots
    tally: EncryptedTally
    decryption: Decryption
    result: RoundResult
    minutes: Minutes

    def files(self) -> dict[str, JsonObject]:
        parts: dict[str, JsonObject] = {
            "manifest.json": self.manifest.to_json(),
            "credentials.json": self.credentials.to_json(),
            "board.json": self.board.to_json(),
            "audited.json": self.audited.to_json(),
            "tally.json": self.tally.to_json(),
            "decryption.json": self.decryption.to_json(),
            "result.json": round_result_to_json(self.result),
            "minutes.json": self.minutes.to_json(),
        }
        return {round_file(self.round_id, name): value for name, value in parts.items()}


@dataclass(frozen=True)
class Record:
    """A complete election record: the congress and one or more rounds."""

    scope: Scope
    congress: CongressManifest
    ceremony: Ceremony
    rounds: tuple[RoundRecord, ...]

    def __post_init__(self) -> None:
        if not self.rounds:
            raise ValueError("a record has at least one round")
        if self.scope == "round" and len(self.rounds) != 1:
            raise ValueError("a round record has exactly one round")
        if len({r.round_id for r in self.rounds}) != len(self.rounds):
            raise ValueError("round ids must be distinct")

    def index(self) -> RecordIndex:
        return RecordIndex(
            self.scope,
            self.congress.congress_id,
            self.congress.hash(),
            tuple(RoundRef(r.round_id, r.manifest.hash()) for r in self.rounds),
        )

    def files(self) -> dict[str, JsonObject]:
        """Every file of the record as a JSON value, by record-relative path."""
        out: dict[str, JsonObject] = {
            INDEX: self.index().to_json(),
            CONGRESS_MANIFEST: self.congress.to_json(),
            CEREMONY: self.ceremony.to_json(),
        }
        for r in self.rounds:
            out.update(r.files())
        return out

    def only(self, round_id: str) -> Record:
        """The round record of one round of this (congress) record."""
        return Record("round", self.congress, self.ceremony, (self.round(round_id),))

    def round(self, round_id: str) -> RoundRecord:
        for r in self.rounds:
            if r.round_id == round_id:
                return r
        raise KeyError(round_id)

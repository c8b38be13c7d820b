"""The minutes' data and the counting board's signatures (R-MINUTES-1; PROTOCOL.md V11).

``rounds/<id>/minutes.json`` is ``{"data": <minutes data>, "signatures": [{"guardian": j,
"signature": hex}]}``. Each signature is a counting-board member's Ed25519 signature over
``crypto.minutes_message(data)``. The data is not free text: ``minutes_data`` computes it
from the congress manifest, the round manifest, the board head and the result, and V11
requires the published data to equal it exactly. It carries the fields of R-MINUTES-1 that
are numbers or names (seats, candidates in ballot order, N with its exclusions, present and
absent at the vote, ballots issued, collected, valid and invalid by reason, each candidate's
votes and percentage, the elected and the tied), plus the round hash and the board head
(T-3.d).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from crypto import minutes_message
from crypto.keyceremony import MAX_GUARDIANS
from election.record.congress import CongressManifest
from election.record.jsonio import JsonObject, Node
from election.record.manifest import RoundManifest
from election.record.rules_json import invalid_to_json
from election.rules import RoundResult

__all__ = ["Minutes", "MinutesSignature", "minutes_data", "sign_minutes"]


@dataclass(frozen=True)
class MinutesSignature:
    """Counting-board member ``guardian``'s signature over ``minutes_message(data)``."""

    guardian: int
    signature: bytes

    def to_json(self) -> JsonObject:
        return {"guardian": self.guardian, "signature": self.signature.hex()}


@dataclass(frozen=True)
class Minutes:
    """``rounds/<id>/minutes.json``."""

    data: JsonObject
    signatures: tuple[MinutesSignature, ...]

    def to_json(self) -> JsonObject:
        return {"data": self.data, "signatures": [s.to_json() for s in self.signatures]}

    @classmethod
    def from_json(cls, node: Node) -> Minutes:
        """Decode the signatures strictly; the data must be an object (V11 compares it)."""
        node.obj({"data", "signatures"})
        data = node["data"]
        if not isinstance(data.value, dict):
            raise data.error("expected an object")
        signatures: list[MinutesSignature] = []
        for item in node["signatures"].items(max_items=MAX_GUARDIANS):
            item.obj({"guardian", "signature"})
            signatures.append(
                MinutesSignature(
                    item["guardian"].integer(1, MAX_GUARDIANS), item["signature"].hexbytes(64)
                )
            )
        return cls(data.value, tuple(signatures))


def minutes_data(
    congress: CongressManifest, manifest: RoundManifest, board_head: bytes, result: RoundResult
) -> JsonObject:
    """The minutes' data of a round, computed from the verified pieces (R-MINUTES-1)."""
    base, tally = result.base, result.tally

    def name(candidate_id: str) -> dict[str, str]:
        return {"id": candidate_id, "name": manifest.candidate_name(candidate_id)}

    candidates: list[dict[str, Any]] = [
        {
            **name(c.candidate),
            "votes": c.votes,
            "disagree": c.disagree,
            "percent": c.percent_text,
            "outcome": c.outcome.value,
        }
        for c in result.candidates
    ]
    return {
        "congress": {"id": congress.congress_id, "name": congress.name},
        "contest": {
            "id": manifest.contest.contest_id,
            "title": manifest.contest.title,
            "seats": manifest.contest.seats,
        },
        "round": {
            "number": manifest.round.number,
            "seats": manifest.round.seats,
            "hash": manifest.hash().hex(),
        },
        "board_head": board_head.hex(),
        "counting_board": [g.name for g in congress.guardians],
        "majority_base": {
            "convened": base.convened,
            "exclusions": [
                {"reason": e.reason.value, "count": e.count, "person_ids": list(e.person_ids)}
                for e in base.exclusions
            ],
            "n": base.n,
            "threshold": base.threshold,
            "present_at_vote": base.present_at_vote,
            "absent_at_vote": base.absent_at_vote,
            "non_voting_present": base.non_voting_present,
        },
        "ballots": {
            "issued": tally.issued,
            "cast": tally.cast,
            "valid": tally.valid,
            "invalid": invalid_to_json(tally.invalid),
        },
        "candidates": candidates,
        "elected": [name(c) for c in result.elected],
        "tied": [name(c) for c in result.tied],
        "status": result.status.value,
    }


def sign_minutes(data: JsonObject, keys: dict[int, Ed25519PrivateKey]) -> Minutes:
    """The minutes with one signature per member in ``keys`` (index → key), by index."""
    message = minutes_message(data)
    return Minutes(
        data,
        tuple(MinutesSignature(j, keys[j].sign(message)) for j in sorted(keys)),
    )

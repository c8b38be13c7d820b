"""The congress manifest and the key-ceremony transcript (PROTOCOL.md sections 4 and 9).

``congress/manifest.json`` is fixed once per congress, after the key ceremony and before
the first secret ballot; its hash ``crypto.congress_hash(manifest)`` is written into every
round manifest, so every ballot is bound to it through ``h_R``. It names the congress, the
number of delegates whose credentials were approved, the server's Ed25519 key (which signs
receipts), the counting board (the guardians: index, name, ECIES communication key,
Ed25519 key for signing the minutes, public share ``K_j``), the threshold ``t`` and the
joint key ``K``.

``congress/ceremony.json`` is the ceremony transcript: every guardian's commitments
``C_ik`` with their Schnorr proofs. It is not hashed into the manifest; V2 checks it
against the manifest instead (every proof, ``K = sum_i C_i0`` and every
``K_j = sum_i sum_k j^k C_ik``).
"""

from __future__ import annotations

from dataclasses import dataclass

from crypto import GROUP_NAME, GuardianCommitments, Point, congress_hash
from crypto.keyceremony import MAX_GUARDIANS
from election.record.jsonio import JsonObject, Node
from election.rules import Assembly

__all__ = ["PROTOCOL", "Ceremony", "CongressManifest", "Guardian"]

#: The protocol name every manifest carries.
PROTOCOL = "dh-vote/v1"


@dataclass(frozen=True)
class Guardian:
    """A member of the counting board (ban kiểm phiếu), who is also a guardian."""

    index: int
    member_id: str
    name: str
    #: ``P_i``, the key the other guardians seal their shares to (ECIES).
    communication_key: Point
    #: The Ed25519 public key that signs the minutes (V11).
    signing_key: bytes
    #: ``K_i``, the guardian's public key share.
    public_share: Point

    def to_json(self) -> JsonObject:
        return {
            "index": self.index,
            "id": self.member_id,
            "name": self.name,
            "communication_key": self.communication_key.hex(),
            "signing_key": self.signing_key.hex(),
            "public_share": self.public_share.hex(),
        }

    @classmethod
    def from_json(cls, node: Node) -> Guardian:
        node.obj({"index", "id", "name", "communication_key", "signing_key", "public_share"})
        return cls(
            index=node["index"].integer(1, MAX_GUARDIANS),
            member_id=node["id"].ident(),
            name=node["name"].text(max_chars=200),
            communication_key=node["communication_key"].point(),
            signing_key=node["signing_key"].ed25519_key(),
            public_share=node["public_share"].point(),
        )


@dataclass(frozen=True)
class CongressManifest:
    """``congress/manifest.json``; its hash is bound into every round (V1)."""

    protocol: str
    group: str
    congress_id: str
    name: str
    #: Members' or delegates' congress (R-RESULT-2, R-RESULT-3).
    assembly: Assembly
    #: Delegates (members, at a members' congress) whose credentials the congress approved.
    approved_delegates: int
    #: The server's Ed25519 public key, which signs board receipts (V5).
    server_key: bytes
    threshold: int
    guardians: tuple[Guardian, ...]
    joint_key: Point

    def to_json(self) -> JsonObject:
        return {
            "protocol": self.protocol,
            "group": self.group,
            "id": self.congress_id,
            "name": self.name,
            "assembly": self.assembly.value,
            "approved_delegates": self.approved_delegates,
            "server_key": self.server_key.hex(),
            "counting_board": {
                "threshold": self.threshold,
                "members": [g.to_json() for g in self.guardians],
            },
            "joint_key": self.joint_key.hex(),
        }

    @classmethod
    def from_json(cls, node: Node) -> CongressManifest:
        """Decode strictly. The protocol and group are kept as written: V1 judges them."""
        node.obj(
            {
                "protocol",
                "group",
                "id",
                "name",
                "assembly",
                "approved_delegates",
                "server_key",
                "counting_board",
                "joint_key",
            }
        )
        board = node["counting_board"].obj({"threshold", "members"})
        guardians = tuple(
            Guardian.from_json(n) for n in board["members"].items(max_items=MAX_GUARDIANS)
        )
        if not guardians:
            raise board["members"].error("the counting board has at least one member")
        if [g.index for g in guardians] != list(range(1, len(guardians) + 1)):
            raise board["members"].error("members are listed by index 1, 2, ..., n")
        assembly = node["assembly"].choice(Assembly)
        if not assembly.is_congress:
            raise node["assembly"].error("a congress is a members' or a delegates' congress")
        return cls(
            protocol=node["protocol"].text(max_chars=64),
            group=node["group"].text(max_chars=128),
            congress_id=node["id"].ident(),
            name=node["name"].text(max_chars=500),
            assembly=assembly,
            approved_delegates=node["approved_delegates"].integer(1, 1_000_000),
            server_key=node["server_key"].ed25519_key(),
            threshold=board["threshold"].integer(1, len(guardians)),
            guardians=guardians,
            joint_key=node["joint_key"].point(),
        )

    def hash(self) -> bytes:
        """``crypto.congress_hash`` of this manifest's JSON."""
        return congress_hash(self.to_json())

    def guardian(self, index: int) -> Guardian | None:
        return self.guardians[index - 1] if 1 <= index <= len(self.guardians) else None

    @property
    def names_our_group(self) -> bool:
        return self.protocol == PROTOCOL and self.group == GROUP_NAME


@dataclass(frozen=True)
class Ceremony:
    """``congress/ceremony.json``: each guardian's commitments and proofs, by index."""

    commitments: tuple[GuardianCommitments, ...]

    def to_json(self) -> JsonObject:
        return {"commitments": [c.to_json() for c in self.commitments]}

    @classmethod
    def from_json(cls, node: Node, *, guardians: int, threshold: int) -> Ceremony:
        node.obj({"commitments"})
        items = node["commitments"].items(guardians)
        out: list[GuardianCommitments] = []
        for i, item in enumerate(items, start=1):
            published = item.decode(lambda v: GuardianCommitments.from_json(v, threshold))
            if published.index != i:
                raise item["index"].error(f"expected guardian {i} (index order)")
            out.append(published)
        return cls(tuple(out))

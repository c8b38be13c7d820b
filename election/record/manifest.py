"""The round manifest and the eligible credential list (PROTOCOL.md sections 5, 6 and 9).

``rounds/<id>/manifest.json`` is fixed when the round opens; ``h_R =
crypto.round_hash(manifest)`` binds every ballot, receipt and decryption proof of the round
to it. Its fields are specified in ``docs/record-format.md``: protocol and group, the
congress id and hash, the contest (position, electorate, seats, candidates in ballot order),
the rules profile, the round (number, kind, seats, majority requirement, the open-vote
decision that allowed it), the eligible list's count and hash, the joint key ``K``, the
ballot form (``crypto.form_for(kind, n, k).to_json()``) and the Subresource-Integrity
hashes of the browser code served while the round was open.

``rounds/<id>/credentials.json`` lists the round's eligible public credentials ``Y``,
sorted ascending by their bytes; ``crypto.credential_list_hash`` of it must equal the
manifest's ``eligible.hash`` (V3).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache

from crypto import BallotForm, Point, RoundContext, canonical_json, round_hash
from crypto.forms import MAX_CANDIDATES
from election.record.jsonio import JsonObject, Node
from election.record.rules_json import decision_from_json, decision_to_json
from election.rules import (
    Assembly,
    Contest,
    OpenVoteDecision,
    Post,
    Profile,
    Round,
    RoundKind,
    load_profile,
)
from election.rules import BallotForm as RulesForm

__all__ = [
    "Candidate",
    "ContestInfo",
    "CredentialList",
    "RoundInfo",
    "RoundManifest",
    "RulesRef",
    "load_rules_profile",
]

#: The forms a v1 record carries: election rounds, decided by ``election.rules.decide_round``.
ELECTION_FORMS = ("cross_out", "agree_disagree")
_CODE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._/-]{0,199}")
_SRI = re.compile(r"sha384-[A-Za-z0-9+/]{64}")
MAX_CREDENTIALS = 100_000


@dataclass(frozen=True)
class Candidate:
    """A name on the ballot: its id (used by the result) and the name as printed."""

    candidate_id: str
    name: str

    def to_json(self) -> JsonObject:
        return {"id": self.candidate_id, "name": self.name}


@dataclass(frozen=True)
class ContestInfo:
    """What is elected, by whom, and the names on this round's ballot (in ballot order)."""

    contest_id: str
    title: str
    position: Post
    direct: bool
    #: The contest's planned seats (all rounds); the round's own seats are ``RoundInfo.seats``.
    seats: int
    #: Who votes: fixes how N is computed (R-RESULT-2..4).
    assembly: Assembly
    #: The number of people entitled to vote in this contest: the approved delegates (members)
    #: at a congress, the incumbent members at a committee session (V3 bound).
    entitled: int
    candidates: tuple[Candidate, ...]

    def to_json(self) -> JsonObject:
        return {
            "id": self.contest_id,
            "title": self.title,
            "position": self.position.value,
            "direct": self.direct,
            "seats": self.seats,
            "electorate": {"assembly": self.assembly.value, "entitled": self.entitled},
            "candidates": [c.to_json() for c in self.candidates],
        }

    @classmethod
    def from_json(cls, node: Node) -> ContestInfo:
        node.obj({"id", "title", "position", "direct", "seats", "electorate", "candidates"})
        electorate = node["electorate"].obj({"assembly", "entitled"})
        candidates: list[Candidate] = []
        for item in node["candidates"].items(max_items=MAX_CANDIDATES):
            item.obj({"id", "name"})
            candidates.append(Candidate(item["id"].ident(), item["name"].text(max_chars=200)))
        if not candidates:
            raise node["candidates"].error("a ballot lists at least one candidate")
        if len({c.candidate_id for c in candidates}) != len(candidates):
            raise node["candidates"].error("candidate ids must be distinct")
        return cls(
            contest_id=node["id"].ident(),
            title=node["title"].text(max_chars=500),
            position=node["position"].choice(Post),
            direct=node["direct"].boolean(),
            seats=node["seats"].integer(1, MAX_CANDIDATES),
            assembly=electorate["assembly"].choice(Assembly),
            entitled=electorate["entitled"].integer(1, MAX_CREDENTIALS),
            candidates=tuple(candidates),
        )

    @property
    def candidate_ids(self) -> tuple[str, ...]:
        return tuple(c.candidate_id for c in self.candidates)


@dataclass(frozen=True)
class RoundInfo:
    """The round: number, kind, the seats it fills, and what allowed it (R-RESULT-7, 8)."""

    number: int
    kind: RoundKind
    seats: int
    requires_majority: bool
    #: The congress's recorded open vote that allowed a further round (none for round 1).
    decision: OpenVoteDecision | None

    def to_json(self) -> JsonObject:
        return {
            "number": self.number,
            "kind": self.kind.value,
            "seats": self.seats,
            "requires_majority": self.requires_majority,
            "decision": None if self.decision is None else decision_to_json(self.decision),
        }

    @classmethod
    def from_json(cls, node: Node) -> RoundInfo:
        node.obj({"number", "kind", "seats", "requires_majority", "decision"})
        d = node["decision"]
        return cls(
            number=node["number"].integer(1, 1000),
            kind=node["kind"].choice(RoundKind),
            seats=node["seats"].integer(1, MAX_CANDIDATES),
            requires_majority=node["requires_majority"].boolean(),
            decision=None if d.is_null() else decision_from_json(d),
        )


@dataclass(frozen=True)
class RulesRef:
    """The rules profile (``config/rules/<profile>.toml``) and the congress's overrides."""

    profile: str
    overrides: JsonObject = field(default_factory=dict)

    def to_json(self) -> JsonObject:
        return {"profile": self.profile, "overrides": self.overrides}

    @classmethod
    def from_json(cls, node: Node) -> RulesRef:
        node.obj({"profile", "overrides"})
        overrides = node["overrides"]
        if not isinstance(overrides.value, dict) or not all(
            isinstance(v, dict) for v in overrides.value.values()
        ):
            raise overrides.error("expected an object of tables (objects)")
        return cls(node["profile"].ident(), overrides.value)

    def load(self) -> Profile:
        """Load the profile with the overrides; raise ``election.rules.ProfileError``."""
        return load_rules_profile(self.profile, canonical_json(self.overrides).decode())


@lru_cache(maxsize=16)
def load_rules_profile(profile_id: str, overrides_json: str) -> Profile:
    """``election.rules.load_profile`` with overrides given as canonical JSON (cached)."""
    overrides = json.loads(overrides_json)
    return load_profile(profile_id, overrides=overrides or None)


@dataclass(frozen=True)
class RoundManifest:
    """``rounds/<id>/manifest.json``; ``h_R = crypto.round_hash(self.to_json())``."""

    protocol: str
    group: str
    congress_id: str
    congress_hash: bytes
    contest: ContestInfo
    rules: RulesRef
    round: RoundInfo
    eligible_count: int
    eligible_hash: bytes
    joint_key: Point
    form: BallotForm
    #: ``(file name, "sha384-...")`` pairs, sorted by name: the browser code served (SRI).
    code: tuple[tuple[str, str], ...]

    def to_json(self) -> JsonObject:
        return {
            "protocol": self.protocol,
            "group": self.group,
            "congress": {"id": self.congress_id, "hash": self.congress_hash.hex()},
            "contest": self.contest.to_json(),
            "rules": self.rules.to_json(),
            "round": self.round.to_json(),
            "eligible": {"count": self.eligible_count, "hash": self.eligible_hash.hex()},
            "joint_key": self.joint_key.hex(),
            "form": self.form.to_json(),
            "code": dict(self.code),
        }

    @classmethod
    def from_json(cls, node: Node) -> RoundManifest:
        """Decode strictly and check what the file alone determines.

        The form must be the crypto form of the rules' form for the candidates and the
        round's seats (cross-out with a surplus, agree/disagree without); round 1 is the
        first round and has no decision, a later round has the decision taken after the
        previous one. Protocol and group are kept as written: V1 judges them.
        """
        node.obj(
            {
                "protocol",
                "group",
                "congress",
                "contest",
                "rules",
                "round",
                "eligible",
                "joint_key",
                "form",
                "code",
            }
        )
        congress = node["congress"].obj({"id", "hash"})
        eligible = node["eligible"].obj({"count", "hash"})
        contest = ContestInfo.from_json(node["contest"])
        info = RoundInfo.from_json(node["round"])
        form = node["form"].decode(BallotForm.from_json)
        manifest = cls(
            protocol=node["protocol"].text(max_chars=64),
            group=node["group"].text(max_chars=128),
            congress_id=congress["id"].ident(),
            congress_hash=congress["hash"].hexbytes(64),
            contest=contest,
            rules=RulesRef.from_json(node["rules"]),
            round=info,
            eligible_count=eligible["count"].integer(0, MAX_CREDENTIALS),
            eligible_hash=eligible["hash"].hexbytes(64),
            joint_key=node["joint_key"].point(),
            form=form,
            code=_code_from_json(node["code"]),
        )
        if form.kind not in ELECTION_FORMS:
            raise node["form"]["kind"].error("a v1 record carries election ballots only")
        if form.candidates != len(contest.candidates) or form.seats != info.seats:
            raise node["form"].error("the form's size differs from the candidates and seats")
        if info.seats > contest.seats:
            raise node["round"]["seats"].error("a round fills at most the contest's seats")
        node.decode(lambda _: manifest.rules_round())
        _check_round_sequence(node["round"], manifest)
        return manifest

    def hash(self) -> bytes:
        """``h_R``."""
        return round_hash(self.to_json())

    def context(self) -> RoundContext:
        """What ballots of this round are bound to: ``h_R``, ``K`` and the form."""
        return RoundContext(self.hash(), self.joint_key, self.form)

    # -- the rules' view of the round ---------------------------------------------------
    def rules_contest(self) -> Contest:
        c = self.contest
        return Contest(c.contest_id, c.position, c.seats, c.assembly, c.direct)

    def rules_form(self) -> RulesForm:
        if self.form.kind == "cross_out":
            return RulesForm("cross_out", self.contest.candidate_ids, self.round.seats)
        if self.form.kind == "agree_disagree":
            return RulesForm("agree_disagree", self.contest.candidate_ids, self.round.seats)
        raise ValueError("a v1 record carries election ballots only")

    def rules_round(self) -> Round:
        r = self.round
        return Round(
            self.rules_contest(),
            r.number,
            r.kind,
            self.rules_form(),
            r.requires_majority,
            r.decision,
        )

    def profile(self) -> Profile:
        return self.rules.load()

    def candidate_name(self, candidate_id: str) -> str:
        for c in self.contest.candidates:
            if c.candidate_id == candidate_id:
                return c.name
        raise KeyError(candidate_id)


def _check_round_sequence(node: Node, manifest: RoundManifest) -> None:
    info = manifest.round
    if info.number == 1:
        if info.kind is not RoundKind.FIRST or info.decision is not None:
            raise node.error("round 1 is the first round and follows no decision")
        return
    if info.kind is RoundKind.FIRST:
        raise node["kind"].error("only round 1 is a first round")
    if info.decision is None:
        raise node["decision"].error("a further round needs the congress's recorded decision")
    if (
        info.decision.contest_id != manifest.contest.contest_id
        or info.decision.after_round != info.number - 1
    ):
        raise node["decision"].error("the decision is about another contest or round")


def _code_from_json(node: Node) -> tuple[tuple[str, str], ...]:
    if not isinstance(node.value, dict) or not node.value:
        raise node.error("expected an object of file names and SRI hashes")
    out: list[tuple[str, str]] = []
    for name, value in sorted(node.value.items()):
        child = node[name]
        if not _CODE_NAME.fullmatch(name) or ".." in name.split("/"):
            raise child.error("not a file name of the served code")
        if not isinstance(value, str) or not _SRI.fullmatch(value):
            raise child.error("expected a Subresource Integrity string 'sha384-<base64>'")
        try:
            digest = base64.b64decode(value[len("sha384-") :], validate=True)
        except binascii.Error:
            raise child.error("not valid base64") from None
        if len(digest) != 48:
            raise child.error("a SHA-384 digest is 48 bytes")
        out.append((name, value))
    return tuple(out)


@dataclass(frozen=True)
class CredentialList:
    """``rounds/<id>/credentials.json``: the eligible public credentials, sorted ascending."""

    credentials: tuple[bytes, ...]

    def to_json(self) -> JsonObject:
        return {"credentials": [y.hex() for y in self.credentials]}

    @classmethod
    def from_json(cls, node: Node) -> CredentialList:
        """Decode the keys as 32-byte hex; validity, order and the hash are V3's checks."""
        node.obj({"credentials"})
        return cls(
            tuple(n.hexbytes(32) for n in node["credentials"].items(max_items=MAX_CREDENTIALS))
        )

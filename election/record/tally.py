"""The summed ciphertexts, their decryption, and the ``Tally`` they give (PROTOCOL.md 8, 9).

``rounds/<id>/tally.json``: the number of counted ballots and, per counter of the form, the
sum ``(A, B)`` of that counter's ciphertexts over the board (V6).

``rounds/<id>/decryption.json``: each participating guardian's shares ``D_jc`` with their
Chaum-Pedersen proofs (``crypto.DecryptionShare``), and the decrypted count of every
counter, named as the form names it (V7 recomputes ``M_c`` from the shares and compares it
with ``count * G``).

``tally_from_counts`` turns the decrypted counts into the rules' ``Tally`` (R-RESULT-1):
per-candidate totals come only from valid ballots by construction of the forms, and the
invalid indicators are counted under their reasons (R-BALLOT-4.2, 4.3, 4.6).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from crypto import BallotForm, Ciphertext, DecryptionShare
from crypto.keyceremony import MAX_GUARDIANS
from election.record.board import MAX_BALLOTS
from election.record.jsonio import JsonObject, Node
from election.rules import BallotForm as RulesForm
from election.rules import InvalidReason, Profile, Tally

__all__ = ["Decryption", "EncryptedTally", "tally_from_counts"]


@dataclass(frozen=True)
class EncryptedTally:
    """``rounds/<id>/tally.json``: counted ballots and the summed ciphertext per counter."""

    ballots: int
    counters: tuple[Ciphertext, ...]

    def to_json(self) -> JsonObject:
        return {"ballots": self.ballots, "counters": [c.to_json() for c in self.counters]}

    @classmethod
    def from_json(cls, node: Node, form: BallotForm) -> EncryptedTally:
        node.obj({"ballots", "counters"})
        counters: list[Ciphertext] = []
        for item in node["counters"].items(len(form.counters)):
            item.obj({"A", "B"})
            counters.append(Ciphertext(item["A"].point(), item["B"].point()))
        return cls(node["ballots"].integer(1, MAX_BALLOTS), tuple(counters))


@dataclass(frozen=True)
class Decryption:
    """``rounds/<id>/decryption.json``: guardians' shares with proofs, and the counts."""

    shares: tuple[DecryptionShare, ...]
    #: ``(counter name, count)`` in form order.
    counts: tuple[tuple[str, int], ...]

    def to_json(self) -> JsonObject:
        return {
            "shares": [s.to_json() for s in self.shares],
            "counts": [{"counter": name, "count": m} for name, m in self.counts],
        }

    @classmethod
    def from_json(cls, node: Node, form: BallotForm) -> Decryption:
        node.obj({"shares", "counts"})
        n = len(form.counters)
        shares = tuple(
            item.decode(lambda v: DecryptionShare.from_json(v, n))
            for item in node["shares"].items(max_items=MAX_GUARDIANS)
        )
        counts: list[tuple[str, int]] = []
        for item, name in zip(node["counts"].items(n), form.counters, strict=True):
            item.obj({"counter", "count"})
            item["counter"].literal(name)
            counts.append((name, item["count"].integer(0, MAX_BALLOTS)))
        return cls(shares, tuple(counts))

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(m for _, m in self.counts)


def tally_from_counts(
    form: RulesForm, counts: Sequence[int], *, cast: int, issued: int, profile: Profile
) -> Tally:
    """The rules' ``Tally`` of a round from its decrypted counters (docs/protocol.md 6).

    * cross-out: ``keep_i`` are the votes; ``invalid_over`` and ``invalid_none`` are the
      invalid ballots with too many names kept (R-BALLOT-4.2) and none kept (R-BALLOT-4.3);
      both reasons are always listed, with 0 when none occurred;
    * agree/disagree, several names: ``agree_i`` are the votes, ``disagree_i`` the
      disagree boxes; every ballot is valid (a row with both or neither counts for nobody);
    * agree/disagree, one name: ``invalid_marks`` counts the ballots with both or neither
      box, invalid when the profile says so (R-BALLOT-4.6), otherwise valid and counted for
      nobody.

    ``cast`` is the number of counted ballots (the board's length) and ``issued`` the ballots
    issued, as the counting board reports them (R-COUNT-3).
    """
    names = form.candidates
    n = len(names)
    invalid: dict[InvalidReason, int] = {}
    disagree: dict[str, int] = {}
    if form.kind == "cross_out":
        if len(counts) != n + 2:
            raise ValueError("a cross-out tally has n + 2 counters")
        votes = dict(zip(names, counts[:n], strict=True))
        invalid = {InvalidReason.TOO_MANY_KEPT: counts[n], InvalidReason.NONE_KEPT: counts[n + 1]}
    elif form.kind == "agree_disagree" and n == 1:
        if len(counts) != 3:
            raise ValueError("a single-name tally has 3 counters")
        votes = {names[0]: counts[0]}
        disagree = {names[0]: counts[1]}
        if profile.ballots.single_name_both_or_none_invalid:
            invalid = {InvalidReason.SINGLE_NAME_BOTH_OR_NONE: counts[2]}
    elif form.kind == "agree_disagree":
        if len(counts) != 2 * n:
            raise ValueError("an agree/disagree tally has 2n counters")
        votes = dict(zip(names, counts[0::2], strict=True))
        disagree = dict(zip(names, counts[1::2], strict=True))
    else:
        raise ValueError(f"the record carries no {form.kind} rounds")
    return Tally(
        form=form,
        issued=issued,
        cast=cast,
        valid=cast - sum(invalid.values()),
        invalid=invalid,
        votes=votes,
        disagree=disagree,
    )

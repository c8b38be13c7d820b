"""JSON for the rules engine's types that the record carries (PROTOCOL.md section 9, V8/V9).

``election.rules`` is pure and knows nothing of JSON; these converters give each type the
record needs one JSON shape and read it back strictly:

* ``Contest``, the rules' ``BallotForm``, ``OpenVoteDecision`` and ``Round``;
* ``MajorityBase`` with its itemised ``Exclusion``\\ s (R-RESULT-2..4);
* ``Tally`` (R-COUNT-3, R-RESULT-1);
* ``RoundResult`` with every ``CandidateResult`` and the rules' ``TraceStep`` trace.

Mappings keyed by candidate become arrays in ballot order (candidate ids need not be ASCII
object keys), invalid reasons are listed in ``InvalidReason`` order, and an exact
percentage (a ``Fraction``) is written as the string ``"p/q"`` (``"100"`` when whole).
Values the types derive (``MajorityBase.n``, ``Tally.invalid_total``,
``RoundResult.not_elected``...) are written too, for readers of the file, and reading
refuses a file whose derived values disagree with the rest.
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

from election.record.jsonio import JsonObject, Node
from election.rules import (
    Assembly,
    BallotForm,
    CandidateResult,
    Contest,
    Exclusion,
    ExclusionReason,
    InvalidReason,
    MajorityBase,
    Motion,
    OpenVoteDecision,
    Outcome,
    Post,
    Round,
    RoundKind,
    RoundResult,
    RoundStatus,
    Tally,
    TraceStep,
)

__all__ = [
    "base_from_json",
    "base_to_json",
    "contest_from_json",
    "contest_to_json",
    "decision_from_json",
    "decision_to_json",
    "form_from_json",
    "form_to_json",
    "fraction_from_text",
    "fraction_to_text",
    "invalid_from_json",
    "invalid_to_json",
    "round_from_json",
    "round_result_from_json",
    "round_result_to_json",
    "round_to_json",
    "tally_from_json",
    "tally_to_json",
]

_FRACTION = re.compile(r"(0|[1-9][0-9]*)(/[1-9][0-9]*)?")
_MAX_COUNT = 10_000_000


def fraction_to_text(value: Fraction) -> str:
    return str(value)


def fraction_from_text(node: Node) -> Fraction:
    """A non-negative fraction written exactly as ``str(Fraction)`` writes it (reduced)."""
    text = node.value
    if not isinstance(text, str) or not _FRACTION.fullmatch(text):
        raise node.error("expected a fraction 'p/q' or a whole number as text")
    value = Fraction(text)
    if str(value) != text:
        raise node.error("fraction is not in lowest terms")
    return value


# --------------------------------------------------------------------------- contest, form
def contest_to_json(contest: Contest) -> JsonObject:
    return {
        "contest_id": contest.contest_id,
        "post": Post(contest.post).value,
        "seats": contest.seats,
        "assembly": Assembly(contest.assembly).value,
        "direct": contest.direct,
    }


def contest_from_json(node: Node) -> Contest:
    node.obj({"contest_id", "post", "seats", "assembly", "direct"})
    contest_id = node["contest_id"].ident()
    post = node["post"].choice(Post)
    seats = node["seats"].integer(1, _MAX_COUNT)
    assembly = node["assembly"].choice(Assembly)
    direct = node["direct"].boolean()
    return node.decode(lambda _: Contest(contest_id, post, seats, assembly, direct))


def form_to_json(form: BallotForm) -> JsonObject:
    return {"kind": form.kind, "candidates": list(form.candidates), "seats": form.seats}


def form_from_json(node: Node) -> BallotForm:
    node.obj({"kind", "candidates", "seats"})
    kind = node["kind"].value
    if kind not in ("cross_out", "agree_disagree", "choose_one"):
        raise node["kind"].error("expected cross_out, agree_disagree or choose_one")
    candidates = tuple(n.ident() for n in node["candidates"].items(max_items=10_000))
    seats = node["seats"].integer(1, _MAX_COUNT)
    return node.decode(lambda _: BallotForm(kind, candidates, seats))


# --------------------------------------------------------------------------- decision, round
def decision_to_json(decision: OpenVoteDecision) -> JsonObject:
    return {
        "record_id": decision.record_id,
        "contest_id": decision.contest_id,
        "after_round": decision.after_round,
        "motion": Motion(decision.motion).value,
        "agree": decision.agree,
        "disagree": decision.disagree,
        "abstain": decision.abstain,
    }


def decision_from_json(node: Node) -> OpenVoteDecision:
    node.obj({"record_id", "contest_id", "after_round", "motion", "agree", "disagree", "abstain"})
    record_id = node["record_id"].ident()
    contest_id = node["contest_id"].ident()
    after_round = node["after_round"].integer(1, 1000)
    motion = node["motion"].choice(Motion)
    agree = node["agree"].integer(0, _MAX_COUNT)
    disagree = node["disagree"].integer(0, _MAX_COUNT)
    abstain = node["abstain"].integer(0, _MAX_COUNT)
    return node.decode(
        lambda _: OpenVoteDecision(
            record_id, contest_id, after_round, motion, agree, disagree, abstain
        )
    )


def round_to_json(round_: Round) -> JsonObject:
    return {
        "contest": contest_to_json(round_.contest),
        "number": round_.number,
        "kind": RoundKind(round_.kind).value,
        "form": form_to_json(round_.form),
        "requires_majority": round_.requires_majority,
        "decision": None if round_.decision is None else decision_to_json(round_.decision),
    }


def round_from_json(node: Node) -> Round:
    node.obj({"contest", "number", "kind", "form", "requires_majority", "decision"})
    contest = contest_from_json(node["contest"])
    number = node["number"].integer(1, 1000)
    kind = node["kind"].choice(RoundKind)
    form = form_from_json(node["form"])
    requires_majority = node["requires_majority"].boolean()
    d = node["decision"]
    decision = None if d.is_null() else decision_from_json(d)
    return Round(contest, number, kind, form, requires_majority, decision)


# --------------------------------------------------------------------------- majority base
def base_to_json(base: MajorityBase) -> JsonObject:
    return {
        "assembly": Assembly(base.assembly).value,
        "convened": base.convened,
        "exclusions": [
            {
                "reason": e.reason.value,
                "rule_id": e.rule_id,
                "count": e.count,
                "person_ids": list(e.person_ids),
            }
            for e in base.exclusions
        ],
        "present_at_vote": base.present_at_vote,
        "non_voting_present": base.non_voting_present,
        "excluded": base.excluded,
        "n": base.n,
        "threshold": base.threshold,
        "absent_at_vote": base.absent_at_vote,
    }


def base_from_json(node: Node) -> MajorityBase:
    node.obj(
        {
            "assembly",
            "convened",
            "exclusions",
            "present_at_vote",
            "non_voting_present",
            "excluded",
            "n",
            "threshold",
            "absent_at_vote",
        }
    )
    exclusions: list[Exclusion] = []
    for item in node["exclusions"].items(max_items=len(ExclusionReason)):
        item.obj({"reason", "rule_id", "count", "person_ids"})
        reason = item["reason"].choice(ExclusionReason)
        people = tuple(p.ident() for p in item["person_ids"].items(max_items=_MAX_COUNT))
        exclusion = Exclusion(reason, people)
        _derived(item["rule_id"], exclusion.rule_id)
        _derived(item["count"], exclusion.count)
        exclusions.append(exclusion)
    order = [list(ExclusionReason).index(e.reason) for e in exclusions]
    if order != sorted(set(order)):
        raise node["exclusions"].error("exclusions must be listed once each, in reason order")
    assembly = node["assembly"].choice(Assembly)
    convened = node["convened"].integer(0, _MAX_COUNT)
    present = node["present_at_vote"].integer(0, _MAX_COUNT)
    non_voting = node["non_voting_present"].integer(0, _MAX_COUNT)
    base = node.decode(
        lambda _: MajorityBase(assembly, convened, tuple(exclusions), present, non_voting)
    )
    _derived(node["excluded"], base.excluded)
    _derived(node["n"], base.n)
    _derived(node["threshold"], base.threshold)
    _derived(node["absent_at_vote"], base.absent_at_vote)
    return base


def _derived(node: Node, expected: Any) -> None:
    """A value the type derives must be written exactly as derived."""
    if type(node.value) is not type(expected) or node.value != expected:
        raise node.error(f"derived value must be {expected!r}")


# --------------------------------------------------------------------------- tally
def invalid_to_json(invalid: Any) -> list[JsonObject]:
    """Invalid counts by reason, in ``InvalidReason`` order."""
    return [
        {"reason": reason.value, "count": invalid[reason]}
        for reason in InvalidReason
        if reason in invalid
    ]


def invalid_from_json(node: Node) -> dict[InvalidReason, int]:
    out: dict[InvalidReason, int] = {}
    last = -1
    for item in node.items(max_items=len(InvalidReason)):
        item.obj({"reason", "count"})
        reason = item["reason"].choice(InvalidReason)
        position = list(InvalidReason).index(reason)
        if position <= last:
            raise item.error("invalid reasons must be listed once each, in reason order")
        last = position
        out[reason] = item["count"].integer(0, _MAX_COUNT)
    return out


def tally_to_json(tally: Tally) -> JsonObject:
    names = tally.form.candidates
    return {
        "issued": tally.issued,
        "cast": tally.cast,
        "valid": tally.valid,
        "invalid": invalid_to_json(tally.invalid),
        "invalid_total": tally.invalid_total,
        "votes": [{"candidate": c, "votes": tally.votes[c]} for c in names],
        "disagree": [{"candidate": c, "disagree": tally.disagree[c]} for c in names]
        if tally.disagree
        else [],
    }


def tally_from_json(node: Node, form: BallotForm) -> Tally:
    """Read a tally of ``form`` (the form is carried by the round, not repeated)."""
    node.obj({"issued", "cast", "valid", "invalid", "invalid_total", "votes", "disagree"})
    votes = _per_candidate(node["votes"], form, "votes")
    disagree_node = node["disagree"]
    disagree = (
        {}
        if isinstance(disagree_node.value, list) and not disagree_node.value
        else _per_candidate(disagree_node, form, "disagree")
    )
    tally = Tally(
        form=form,
        issued=node["issued"].integer(0, _MAX_COUNT),
        cast=node["cast"].integer(0, _MAX_COUNT),
        valid=node["valid"].integer(0, _MAX_COUNT),
        invalid=invalid_from_json(node["invalid"]),
        votes=votes,
        disagree=disagree,
    )
    _derived(node["invalid_total"], tally.invalid_total)
    return tally


def _per_candidate(node: Node, form: BallotForm, key: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for item, expected in zip(node.items(len(form.candidates)), form.candidates, strict=True):
        item.obj({"candidate", key})
        if item["candidate"].value != expected:
            raise item["candidate"].error(f"expected candidate {expected!r} (ballot order)")
        out[expected] = item[key].integer(0, _MAX_COUNT)
    return out


# --------------------------------------------------------------------------- result
def _candidate_to_json(c: CandidateResult) -> JsonObject:
    return {
        "candidate": c.candidate,
        "votes": c.votes,
        "disagree": c.disagree,
        "percent": fraction_to_text(c.percent),
        "percent_text": c.percent_text,
        "rank": c.rank,
        "has_majority": c.has_majority,
        "outcome": Outcome(c.outcome).value,
    }


def _candidate_from_json(node: Node) -> CandidateResult:
    node.obj(
        {
            "candidate",
            "votes",
            "disagree",
            "percent",
            "percent_text",
            "rank",
            "has_majority",
            "outcome",
        }
    )
    d = node["disagree"]
    return CandidateResult(
        candidate=node["candidate"].ident(),
        votes=node["votes"].integer(0, _MAX_COUNT),
        disagree=None if d.is_null() else d.integer(0, _MAX_COUNT),
        percent=fraction_from_text(node["percent"]),
        percent_text=node["percent_text"].text(max_chars=32),
        rank=node["rank"].integer(1, _MAX_COUNT),
        has_majority=node["has_majority"].boolean(),
        outcome=node["outcome"].choice(Outcome),
    )


def _trace_to_json(step: TraceStep) -> JsonObject:
    return {"rule_id": step.rule_id, "citation": step.citation, "text": step.text}


def _trace_from_json(node: Node) -> TraceStep:
    node.obj({"rule_id", "citation", "text"})
    return TraceStep(node["rule_id"].ident(), node["citation"].text(), node["text"].text())


def round_result_to_json(result: RoundResult) -> JsonObject:
    """The whole ``RoundResult``: round, base, tally, candidates, outcome and trace."""
    return {
        "round": round_to_json(result.round),
        "base": base_to_json(result.base),
        "tally": tally_to_json(result.tally),
        "candidates": [_candidate_to_json(c) for c in result.candidates],
        "status": RoundStatus(result.status).value,
        "elected": list(result.elected),
        "tied": list(result.tied),
        "tie_seats": result.tie_seats,
        "open_seats": result.open_seats,
        "not_elected": list(result.not_elected),
        "trace": [_trace_to_json(s) for s in result.trace],
    }


def round_result_from_json(node: Node) -> RoundResult:
    node.obj(
        {
            "round",
            "base",
            "tally",
            "candidates",
            "status",
            "elected",
            "tied",
            "tie_seats",
            "open_seats",
            "not_elected",
            "trace",
        }
    )
    round_ = round_from_json(node["round"])
    form = round_.form
    candidates = tuple(
        _candidate_from_json(n) for n in node["candidates"].items(len(form.candidates))
    )
    if tuple(c.candidate for c in candidates) != form.candidates:
        raise node["candidates"].error("candidates must be listed in ballot order")
    result = RoundResult(
        round=round_,
        base=base_from_json(node["base"]),
        tally=tally_from_json(node["tally"], form),
        candidates=candidates,
        status=node["status"].choice(RoundStatus),
        elected=tuple(_known(n, form) for n in node["elected"].items(max_items=10_000)),
        tied=tuple(_known(n, form) for n in node["tied"].items(max_items=10_000)),
        tie_seats=node["tie_seats"].integer(0, _MAX_COUNT),
        trace=tuple(_trace_from_json(n) for n in node["trace"].items(max_items=1000)),
    )
    _derived(node["open_seats"], result.open_seats)
    not_elected = [n.value for n in node["not_elected"].items(max_items=10_000)]
    if not_elected != list(result.not_elected):
        raise node["not_elected"].error(f"derived value must be {list(result.not_elected)!r}")
    return result


def _known(node: Node, form: BallotForm) -> str:
    name = node.ident()
    if name not in form.candidates:
        raise node.error(f"{name!r} is not a candidate of this round")
    return name

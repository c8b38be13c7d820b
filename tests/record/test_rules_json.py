"""JSON of the rules' types (Tally, MajorityBase, RoundResult) and the tally from counts."""

from __future__ import annotations

import copy
from fractions import Fraction

import pytest

from election.record import RecordFormatError, tally_from_counts
from election.record.jsonio import Node
from election.record.rules_json import (
    base_from_json,
    base_to_json,
    fraction_from_text,
    round_result_from_json,
    round_result_to_json,
    tally_from_json,
    tally_to_json,
)
from election.rules import BallotForm, InvalidReason, load_profile
from tests.record.sims import agree_round, five_guardians, single_name_round, small_round


@pytest.mark.parametrize("sim", [small_round, five_guardians, agree_round, single_name_round])
def test_round_result_round_trips(sim) -> None:  # type: ignore[no-untyped-def]
    result = sim().round.result
    obj = round_result_to_json(result)
    assert round_result_from_json(Node(copy.deepcopy(obj), "result.json")) == result
    assert round_result_to_json(round_result_from_json(Node(obj, "r"))) == obj


def test_base_is_itemised_and_derived_values_are_checked() -> None:
    base = small_round().base
    obj = base_to_json(base)
    assert obj["n"] == base.n and obj["excluded"] == 3
    assert [e["reason"] for e in obj["exclusions"]] == [
        "ex_officio_absent_whole_congress",
        "delegate_absent_whole_congress",
    ]
    assert base_from_json(Node(obj, "f")) == base
    for key, value in (("n", base.n + 1), ("threshold", 0), ("excluded", "3")):
        changed = {**obj, key: value}
        with pytest.raises(RecordFormatError, match="derived") as info:
            base_from_json(Node(changed, "f"))
        assert info.value.where == f"$.{key}"
    swapped = {**obj, "exclusions": list(reversed(obj["exclusions"]))}
    with pytest.raises(RecordFormatError, match="order"):
        base_from_json(Node(swapped, "f"))


def test_tally_lists_follow_ballot_order() -> None:
    tally = small_round().round.result.tally
    obj = tally_to_json(tally)
    assert [v["candidate"] for v in obj["votes"]] == list(tally.form.candidates)
    assert tally_from_json(Node(obj, "f"), tally.form) == tally
    obj["votes"].reverse()
    with pytest.raises(RecordFormatError, match="ballot order"):
        tally_from_json(Node(obj, "f"), tally.form)


@pytest.mark.parametrize(
    ("text", "value"), [("0", Fraction(0)), ("100", Fraction(100)), ("2100/41", Fraction(2100, 41))]
)
def test_fractions_are_exact_and_reduced(text: str, value: Fraction) -> None:
    assert fraction_from_text(Node(text, "f")) == value


@pytest.mark.parametrize("text", ["4200/82", "1.5", "-1", "01", "1/0", 3])
def test_fractions_refused(text: object) -> None:
    with pytest.raises(RecordFormatError):
        fraction_from_text(Node(text, "f"))


def test_tally_from_counts_for_each_form() -> None:
    profile = load_profile("QD190_2024")
    cross = BallotForm("cross_out", ("a", "b", "c"), 2)
    t = tally_from_counts(cross, (4, 3, 1, 2, 1), cast=10, issued=11, profile=profile)
    assert (t.valid, t.votes, t.disagree) == (7, {"a": 4, "b": 3, "c": 1}, {})
    assert t.invalid == {InvalidReason.TOO_MANY_KEPT: 2, InvalidReason.NONE_KEPT: 1}
    agree = BallotForm("agree_disagree", ("a", "b"), 2)
    t = tally_from_counts(agree, (5, 1, 3, 2), cast=6, issued=6, profile=profile)
    assert (t.valid, t.invalid, t.votes, t.disagree) == (6, {}, {"a": 5, "b": 3}, {"a": 1, "b": 2})
    single = BallotForm("agree_disagree", ("a",), 1)
    t = tally_from_counts(single, (3, 2, 1), cast=6, issued=6, profile=profile)
    assert (t.valid, t.invalid) == (5, {InvalidReason.SINGLE_NAME_BOTH_OR_NONE: 1})
    lenient = load_profile(
        "QD190_2024", overrides={"ballots": {"single_name_both_or_none_invalid": False}}
    )
    t = tally_from_counts(single, (3, 2, 1), cast=6, issued=6, profile=lenient)
    assert (t.valid, t.invalid) == (6, {})
    with pytest.raises(ValueError, match="n \\+ 2"):
        tally_from_counts(cross, (1, 2), cast=3, issued=3, profile=profile)
    with pytest.raises(ValueError, match="no choose_one"):
        tally_from_counts(
            BallotForm("choose_one", ("a", "b"), 1), (1, 1), cast=2, issued=2, profile=profile
        )

"""The ballot form (R-BALLOT-2, R-LIST-9, R-CONF-3) and one ballot's validity (R-BALLOT-3..5)."""

from __future__ import annotations

import pytest

from election.rules import (
    BallotForm,
    BallotInvalid,
    BallotMarking,
    InvalidReason,
    Mark,
    Profile,
    RulesError,
    ballot_form,
    load_profile,
    nomination_ballot_form,
    opinion_ballot_form,
    read_ballot,
)
from election.rules.ballots import applicable_invalid_reasons


def test_form_follows_the_surplus() -> None:
    """R-BALLOT-2: cross-out with a surplus, agree/disagree without, single name included."""
    assert ballot_form(("A", "B", "C"), 2) == BallotForm("cross_out", ("A", "B", "C"), 2)
    assert ballot_form(("A", "B"), 2).kind == "agree_disagree"
    assert ballot_form(("A",), 1) == BallotForm("agree_disagree", ("A",), 1)  # R-LIST-9
    with pytest.raises(ValueError):
        ballot_form(("A",), 2)


@pytest.mark.parametrize(
    ("kind", "candidates", "seats"),
    [
        ("cross_out", ("A", "B"), 2),
        ("agree_disagree", ("A", "B"), 1),
        ("choose_one", ("A", "B"), 2),
        ("cross_out", (), 1),
        ("cross_out", ("A", "A"), 1),
        ("cross_out", ("A", ""), 1),
        ("cross_out", ("A", "B"), 0),
        ("ranked", ("A", "B"), 1),
    ],
)
def test_impossible_forms(kind: str, candidates: tuple[str, ...], seats: int) -> None:
    with pytest.raises(ValueError):
        BallotForm(kind, candidates, seats)  # type: ignore[arg-type]


def test_protocol_kind_names_the_crypto_form() -> None:
    """PROTOCOL.md section 6: the nomination form is ``choose_at_most(n, 1)`` there."""
    assert BallotForm("choose_one", ("A", "B"), 1).protocol_kind == "choose_at_most"
    assert ballot_form(("A", "B"), 1).protocol_kind == "cross_out"
    assert ballot_form(("A",), 1).protocol_kind == "agree_disagree"


@pytest.mark.parametrize(
    "form",
    [
        ballot_form(("A", "B", "C"), 2),
        ballot_form(("A", "B"), 2),
        ballot_form(("A",), 1),
        BallotForm("choose_one", ("A", "B", "C"), 1),
    ],
    ids=lambda f: f"{f.kind}-{len(f.candidates)}-{f.seats}",
)
def test_every_form_is_one_the_crypto_layer_builds(form: BallotForm) -> None:
    """The hand-over to ``crypto.forms`` (a test-only import; the engine imports no crypto)."""
    forms = pytest.importorskip("crypto.forms")
    built = forms.form_for(form.protocol_kind, len(form.candidates), form.seats)
    assert (built.candidates, built.seats) == (len(form.candidates), form.seats)


def test_opinion_and_nomination_forms(profile: Profile) -> None:
    """R-LIST-3: one agree/disagree row per floor nominee; R-CONF-3: choose one name."""
    assert opinion_ballot_form(("X", "Y")) == BallotForm("agree_disagree", ("X", "Y"), 2)
    assert nomination_ballot_form(("A", "B", "C"), profile).kind == "choose_one"
    off = load_profile(
        profile.profile_id, overrides={"rounds": {"secretary_nomination_ballot": False}}
    )
    with pytest.raises(RulesError) as caught:
        nomination_ballot_form(("A", "B"), off)
    assert caught.value.rule_id == "R-CONF-3"


CROSS = ballot_form(tuple("ABCD"), 2)
MULTI = ballot_form(tuple("PQR"), 3)
SINGLE = ballot_form(("X",), 1)
NOMINATION = BallotForm("choose_one", tuple("ABC"), 1)


def reason(form: BallotForm, marking: BallotMarking, profile: Profile) -> InvalidReason:
    with pytest.raises(BallotInvalid) as caught:
        read_ballot(form, marking, profile)
    assert caught.value.rule_id == "R-BALLOT-4"
    return caught.value.reason


def test_cross_out_validity(profile: Profile) -> None:
    """R-BALLOT-3: 1..k names kept; R-BALLOT-4.2 more than k; R-BALLOT-4.3 none kept."""
    assert read_ballot(CROSS, BallotMarking(kept=frozenset("A")), profile).agree == {"A"}
    assert read_ballot(CROSS, BallotMarking(kept=frozenset("AB")), profile).agree == {"A", "B"}
    assert (
        reason(CROSS, BallotMarking(kept=frozenset("ABC")), profile) is InvalidReason.TOO_MANY_KEPT
    )
    assert reason(CROSS, BallotMarking(), profile) is InvalidReason.NONE_KEPT


def test_no_blank_category(profile: Profile) -> None:
    """R-BALLOT-5: an untouched surplus ballot keeps too many; a fully struck one is invalid."""
    assert (
        reason(CROSS, BallotMarking(kept=frozenset("ABCD")), profile) is InvalidReason.TOO_MANY_KEPT
    )
    assert "blank" not in {m.value for m in Mark} | {r.value for r in InvalidReason}


def test_multi_name_no_surplus_both_and_none_stay_valid(profile: Profile) -> None:
    """R-BALLOT-3, R-RESULT-1: rows with both or neither box count for nobody."""
    marking = BallotMarking(marks={"P": Mark.BOTH, "Q": Mark.DISAGREE})
    votes = read_ballot(MULTI, marking, profile)
    assert votes.agree == frozenset() and votes.disagree == {"Q"}
    assert read_ballot(MULTI, BallotMarking(), profile).agree == frozenset()


def test_single_name_both_or_none_is_invalid(profile: Profile) -> None:
    """R-BALLOT-4.6 (UNCONFIRMED setting, on by default)."""
    assert read_ballot(SINGLE, BallotMarking(marks={"X": Mark.AGREE}), profile).agree == {"X"}
    assert read_ballot(SINGLE, BallotMarking(marks={"X": "disagree"}), profile).disagree == {"X"}  # type: ignore[dict-item]
    for marking in (BallotMarking(marks={"X": Mark.BOTH}), BallotMarking()):
        assert reason(SINGLE, marking, profile) is InvalidReason.SINGLE_NAME_BOTH_OR_NONE
    off = load_profile(
        profile.profile_id, overrides={"ballots": {"single_name_both_or_none_invalid": False}}
    )
    assert read_ballot(SINGLE, BallotMarking(), off).agree == frozenset()


def test_write_ins_and_identifying_marks(profile: Profile) -> None:
    """R-BALLOT-4.4 and R-BALLOT-4.5 (UNCONFIRMED settings)."""
    kept = frozenset("AB")
    assert (
        reason(CROSS, BallotMarking(kept=kept, write_ins=("Z",)), profile) is InvalidReason.WRITE_IN
    )
    assert (
        reason(MULTI, BallotMarking(identifying_marks=True), profile)
        is InvalidReason.IDENTIFYING_MARKS
    )
    lenient = load_profile(
        profile.profile_id,
        overrides={"ballots": {"write_in_invalid": False, "identifying_marks_invalid": False}},
    )
    marking = BallotMarking(kept=kept, write_ins=("Z",), identifying_marks=True)
    assert read_ballot(CROSS, marking, lenient).agree == kept  # the added name gets nothing


def test_not_issued_and_case_precedence(profile: Profile) -> None:
    """R-BALLOT-4.1, R-BALLOT-6: the lowest-numbered case is reported."""
    marking = BallotMarking(kept=frozenset("ABC"), write_ins=("Z",), issued_by_board=False)
    assert reason(CROSS, marking, profile) is InvalidReason.NOT_ISSUED
    assert reason(CROSS, BallotMarking(kept=frozenset("ABC"), write_ins=("Z",)), profile) is (
        InvalidReason.TOO_MANY_KEPT
    )


def test_nomination_ballot(profile: Profile) -> None:
    """R-CONF-3: at most one name; none is a valid ballot that nominates nobody."""
    assert read_ballot(NOMINATION, BallotMarking(kept=frozenset("B")), profile).agree == {"B"}
    assert read_ballot(NOMINATION, BallotMarking(), profile).agree == frozenset()
    assert (
        reason(NOMINATION, BallotMarking(kept=frozenset("AB")), profile)
        is InvalidReason.TOO_MANY_KEPT
    )


def test_marking_must_fit_the_form(profile: Profile) -> None:
    with pytest.raises(ValueError):
        read_ballot(CROSS, BallotMarking(kept=frozenset("Z")), profile)
    with pytest.raises(ValueError):
        read_ballot(CROSS, BallotMarking(marks={"A": Mark.AGREE}), profile)
    with pytest.raises(ValueError):
        read_ballot(MULTI, BallotMarking(kept=frozenset("P")), profile)


def test_reason_numbering() -> None:
    """R-BALLOT-4: the enum follows the numbering of the rule."""
    assert [r.rule_ref for r in InvalidReason] == [f"R-BALLOT-4.{i}" for i in range(1, 7)]


def test_applicable_reasons(profile: Profile) -> None:
    assert applicable_invalid_reasons(CROSS, profile) == {
        InvalidReason.NOT_ISSUED,
        InvalidReason.TOO_MANY_KEPT,
        InvalidReason.NONE_KEPT,
        InvalidReason.WRITE_IN,
        InvalidReason.IDENTIFYING_MARKS,
    }
    assert InvalidReason.SINGLE_NAME_BOTH_OR_NONE in applicable_invalid_reasons(SINGLE, profile)
    assert InvalidReason.SINGLE_NAME_BOTH_OR_NONE not in applicable_invalid_reasons(MULTI, profile)
    assert InvalidReason.NONE_KEPT not in applicable_invalid_reasons(NOMINATION, profile)

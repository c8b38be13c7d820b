"""The ballot form a list gets, and whether one ballot is valid (R-BALLOT-1..6).

The form is what the rules hand to the crypto layer (``crypto.forms`` builds the encrypted
counters from it; PROTOCOL.md section 6):

* ``cross_out`` — a list with a surplus (n > k): the voter strikes out names; unstruck names
  are votes for (R-BALLOT-2). Valid when 1..k names are kept (R-BALLOT-3).
* ``agree_disagree`` — a list without a surplus (n == k), including the single-name list:
  an agree and a disagree box per name (R-BALLOT-2, R-LIST-9). Rows marked both or neither
  are not counted for that person (R-RESULT-1); on a single-name list such a ballot is
  invalid (R-BALLOT-4.6, a setting). Opinion ballots on floor nominees (R-LIST-3) also use
  this form, one row per nominee, since each nominee needs its own share of agreement.
* ``choose_one`` — the secretary nomination ballot (phiếu giới thiệu, R-CONF-3): mark at most
  one name of the new committee; ``crypto.forms.choose_at_most(n, 1)`` encodes it.

There is no "blank" option on any form (R-BALLOT-5).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Literal

from election.rules.errors import BallotInvalid, RulesError
from election.rules.values import is_whole

if TYPE_CHECKING:
    from election.rules.profiles import Profile

__all__ = [
    "BallotForm",
    "BallotMarking",
    "BallotVotes",
    "FormKind",
    "InvalidReason",
    "Mark",
    "applicable_invalid_reasons",
    "ballot_form",
    "nomination_ballot_form",
    "opinion_ballot_form",
    "read_ballot",
]

FormKind = Literal["cross_out", "agree_disagree", "choose_one"]


@dataclass(frozen=True)
class BallotForm:
    """The form of one round's ballot: its kind, candidate ids in ballot order, and seats."""

    kind: FormKind
    candidates: tuple[str, ...]
    seats: int

    def __post_init__(self) -> None:
        n, k = len(self.candidates), self.seats
        if n == 0 or len(set(self.candidates)) != n or not all(self.candidates):
            raise ValueError("a ballot lists at least one candidate, each once, by a non-empty id")
        if not is_whole(k, low=1):
            raise ValueError(f"seats must be a positive integer, got {k!r}")
        if self.kind == "cross_out" and not n > k:
            raise ValueError("the cross-out form is for lists with a surplus (R-BALLOT-2)")
        if self.kind == "agree_disagree" and n != k:
            raise ValueError("the agree/disagree form is for lists without a surplus (R-BALLOT-2)")
        if self.kind == "choose_one" and k != 1:
            raise ValueError("the nomination form names one person (R-CONF-3)")
        if self.kind not in ("cross_out", "agree_disagree", "choose_one"):
            raise ValueError(f"unknown ballot form {self.kind!r}")

    @property
    def single_name(self) -> bool:
        return len(self.candidates) == 1

    @property
    def protocol_kind(self) -> str:
        """The kind's name in ``crypto.forms`` (PROTOCOL.md section 6).

        The crypto layer calls the nomination form ``choose_at_most`` (with ``k = 1``); the
        other two names are the same. Build the encrypted form with
        ``crypto.forms.form_for(form.protocol_kind, len(form.candidates), form.seats)``.
        """
        return "choose_at_most" if self.kind == "choose_one" else self.kind


def ballot_form(candidates: Sequence[str], seats: int) -> BallotForm:
    """The election form for a list in ballot order (R-BALLOT-2, R-LIST-9).

    A surplus (more names than seats) gives ``cross_out``; no surplus, including a single
    name for a single seat, gives ``agree_disagree``. Fewer names than seats is refused: the
    congress must first lower the number of seats or add names.
    """
    names = tuple(candidates)
    if len(names) < seats:
        raise ValueError(f"{len(names)} names cannot fill {seats} seats")
    kind: FormKind = "cross_out" if len(names) > seats else "agree_disagree"
    return BallotForm(kind, names, seats)


def opinion_ballot_form(nominees: Sequence[str]) -> BallotForm:
    """The opinion ballot on floor and self nominees (R-LIST-3, R-FORM-1).

    Each nominee gets an agree and a disagree box and is judged alone, so the form is
    ``agree_disagree`` with one "seat" per nominee.
    """
    names = tuple(nominees)
    return BallotForm("agree_disagree", names, len(names))


def nomination_ballot_form(pool: Sequence[str], profile: Profile) -> BallotForm:
    """The secretary nomination ballot, listing the new committee's members (R-CONF-3)."""
    if not profile.rounds.secretary_nomination_ballot:
        raise RulesError(
            f"profile {profile.profile_id} holds no secretary nomination ballot", rule_id="R-CONF-3"
        )
    return BallotForm("choose_one", tuple(pool), 1)


class Mark(StrEnum):
    """What a voter put in one row of an agree/disagree ballot (R-BALLOT-2)."""

    AGREE = "agree"
    DISAGREE = "disagree"
    BOTH = "both"
    NONE = "none"


class InvalidReason(StrEnum):
    """Why a ballot is invalid: the cases of R-BALLOT-4, in its numbering."""

    #: Not issued by the counting board (forged or foreign); R-BALLOT-4.1.
    NOT_ISSUED = "not_issued"
    #: Keeps (votes for) more names than there are seats; R-BALLOT-4.2.
    TOO_MANY_KEPT = "too_many_kept"
    #: Strikes out every name of a surplus list; R-BALLOT-4.3.
    NONE_KEPT = "none_kept"
    #: Adds a name that is not on the list; R-BALLOT-4.4 (setting, UNCONFIRMED).
    WRITE_IN = "write_in"
    #: Signed or carrying identifying marks or other writing; R-BALLOT-4.5 (setting).
    IDENTIFYING_MARKS = "identifying_marks"
    #: Single-name ballot with both boxes or neither box marked; R-BALLOT-4.6 (setting).
    SINGLE_NAME_BOTH_OR_NONE = "single_name_both_or_none"

    @property
    def rule_ref(self) -> str:
        """The sub-case of R-BALLOT-4, e.g. ``"R-BALLOT-4.2"``."""
        return f"R-BALLOT-4.{list(InvalidReason).index(self) + 1}"


@dataclass(frozen=True)
class BallotMarking:
    """One ballot as the voter left it (the paper semantics an e-ballot reproduces).

    ``kept`` holds the names left unstruck on a cross-out ballot, or the name marked on a
    nomination ballot; ``marks`` holds the rows of an agree/disagree ballot (a missing row
    means neither box). ``write_ins`` are names added by hand.
    """

    kept: frozenset[str] = frozenset()
    marks: Mapping[str, Mark] = field(default_factory=dict)
    write_ins: tuple[str, ...] = ()
    issued_by_board: bool = True
    identifying_marks: bool = False


@dataclass(frozen=True)
class BallotVotes:
    """What a valid ballot counts for: ``agree`` are votes for, ``disagree`` votes against."""

    agree: frozenset[str]
    disagree: frozenset[str] = frozenset()


def applicable_invalid_reasons(form: BallotForm, profile: Profile) -> frozenset[InvalidReason]:
    """The invalid cases that can occur on ``form`` under ``profile`` (R-BALLOT-4)."""
    reasons = {InvalidReason.NOT_ISSUED}
    if profile.ballots.write_in_invalid:
        reasons.add(InvalidReason.WRITE_IN)
    if profile.ballots.identifying_marks_invalid:
        reasons.add(InvalidReason.IDENTIFYING_MARKS)
    if form.kind == "cross_out":
        reasons |= {InvalidReason.TOO_MANY_KEPT, InvalidReason.NONE_KEPT}
    elif form.kind == "choose_one":
        reasons.add(InvalidReason.TOO_MANY_KEPT)
    elif form.single_name and profile.ballots.single_name_both_or_none_invalid:
        reasons.add(InvalidReason.SINGLE_NAME_BOTH_OR_NONE)
    return frozenset(reasons)


def read_ballot(form: BallotForm, marking: BallotMarking, profile: Profile) -> BallotVotes:
    """Return the votes a ballot carries, or raise ``BallotInvalid`` (R-BALLOT-3, R-BALLOT-4).

    When several invalid cases apply, the lowest-numbered case of R-BALLOT-4 is reported.
    An invalid ballot gives no vote to anyone (R-RESULT-1). A write-in or identifying mark
    that the profile does not treat as invalid is ignored; the added name gets no vote.
    """
    listed = set(form.candidates)
    unknown = (set(marking.kept) | set(marking.marks)) - listed
    if unknown:
        raise ValueError(f"marks for names not on the ballot: {sorted(unknown)}; use write_ins")
    if form.kind == "agree_disagree" and marking.kept:
        raise ValueError("an agree/disagree ballot has marks, not kept names")
    if form.kind != "agree_disagree" and marking.marks:
        raise ValueError(f"a {form.kind} ballot has kept names, not agree/disagree marks")

    reasons = []
    if not marking.issued_by_board:
        reasons.append(InvalidReason.NOT_ISSUED)
    if form.kind in ("cross_out", "choose_one") and len(marking.kept) > form.seats:
        reasons.append(InvalidReason.TOO_MANY_KEPT)
    if form.kind == "cross_out" and not marking.kept:
        reasons.append(InvalidReason.NONE_KEPT)
    if marking.write_ins:
        reasons.append(InvalidReason.WRITE_IN)
    if marking.identifying_marks:
        reasons.append(InvalidReason.IDENTIFYING_MARKS)
    if form.kind == "agree_disagree" and form.single_name:
        mark = marking.marks.get(form.candidates[0], Mark.NONE)
        if mark in (Mark.BOTH, Mark.NONE):
            reasons.append(InvalidReason.SINGLE_NAME_BOTH_OR_NONE)
    enabled = applicable_invalid_reasons(form, profile)
    for reason in InvalidReason:
        if reason in reasons and reason in enabled:
            raise BallotInvalid(reason)

    if form.kind != "agree_disagree":
        return BallotVotes(frozenset(marking.kept))
    # R-RESULT-1: rows marked both or neither count for nobody; the ballot stays valid.
    agree = frozenset(name for name, mark in marking.marks.items() if mark == Mark.AGREE)
    disagree = frozenset(name for name, mark in marking.marks.items() if mark == Mark.DISAGREE)
    return BallotVotes(agree, disagree)

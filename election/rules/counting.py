"""The tally of one round and its control totals (R-COUNT-1, R-COUNT-3, R-RESULT-1).

A ``Tally`` is what the counting board (or the joint decryption, PROTOCOL.md section 8)
hands to the rules: ballots issued and collected, invalid ballots by reason, valid
ballots, and per candidate the votes for (and, on the agree/disagree form, the votes
against). ``check_tally`` refuses totals that cannot come from real ballots before any
result is computed from them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from election.rules.ballots import (
    BallotForm,
    BallotMarking,
    InvalidReason,
    applicable_invalid_reasons,
    read_ballot,
)
from election.rules.errors import BallotInvalid, RulesError, TallyError, VoteMustBeRepeated
from election.rules.values import is_whole

if TYPE_CHECKING:
    from election.rules.profiles import Profile

__all__ = ["Tally", "check_counting_board", "check_tally", "count_ballots"]


@dataclass(frozen=True)
class Tally:
    """The counts of one round (minutes fields 8-10)."""

    form: BallotForm
    #: Ballots issued (phiếu phát ra).
    issued: int
    #: Ballots collected (phiếu thu vào), valid and invalid.
    cast: int
    valid: int
    invalid: Mapping[InvalidReason, int]
    #: Votes for each candidate: names kept, agree boxes, or nominations.
    votes: Mapping[str, int]
    #: Disagree boxes per candidate; only on the agree/disagree form.
    disagree: Mapping[str, int] = field(default_factory=dict)

    @property
    def invalid_total(self) -> int:
        return sum(self.invalid.values())


def check_tally(tally: Tally, profile: Profile, *, present_entitled: int) -> None:
    """Raise ``TallyError`` unless the tally could come from real ballots (R-COUNT-3).

    Always checked: ``valid + invalid == collected``; every count is a non-negative integer;
    the candidates are exactly those of the form; nobody has more votes than there are valid
    ballots; each valid cross-out ballot keeps 1..k names and each nomination ballot at most
    one (R-BALLOT-3); a single-name ballot is valid only with exactly one box (R-BALLOT-4.6);
    invalid reasons are ones the form and profile allow (R-BALLOT-4).

    With ``enforce_control_totals`` (UNCONFIRMED, on by default): more collected than issued
    raises ``VoteMustBeRepeated``, and more issued than voters in N present at the vote
    (``present_entitled``) raises ``TallyError``.
    """
    form = tally.form
    counts = [tally.issued, tally.cast, tally.valid, *tally.invalid.values()]
    counts += [*tally.votes.values(), *tally.disagree.values()]
    if any(not is_whole(c, low=0) for c in counts):
        raise TallyError("every count is a non-negative integer", rule_id="R-COUNT-3")
    if tally.valid + tally.invalid_total != tally.cast:
        raise TallyError(
            f"valid ({tally.valid}) + invalid ({tally.invalid_total}) != collected ({tally.cast})",
            rule_id="R-COUNT-3",
        )
    if profile.majority.enforce_control_totals:
        if tally.cast > tally.issued:
            raise VoteMustBeRepeated(
                f"{tally.cast} ballots collected but only {tally.issued} issued: vote again",
                rule_id="R-COUNT-3",
            )
        if tally.issued > present_entitled:
            raise TallyError(
                f"{tally.issued} ballots issued to {present_entitled} voters present and entitled",
                rule_id="R-COUNT-3",
            )
    stray = {InvalidReason(r) for r, count in tally.invalid.items() if count}
    stray -= applicable_invalid_reasons(form, profile)
    if stray:
        raise TallyError(
            f"invalid reasons that cannot occur on this form: {sorted(r.value for r in stray)}",
            rule_id="R-BALLOT-4",
        )
    if set(tally.votes) != set(form.candidates):
        raise TallyError("the tally must give votes for exactly the names on the ballot")
    if form.kind == "agree_disagree":
        if set(tally.disagree) != set(form.candidates):
            raise TallyError("the agree/disagree tally gives disagree votes for every name")
    elif tally.disagree:
        raise TallyError(f"a {form.kind} ballot has no disagree box")
    for name in form.candidates:
        if tally.votes[name] + tally.disagree.get(name, 0) > tally.valid:
            raise TallyError(f"{name} has more marks than there are valid ballots")
    total = sum(tally.votes.values())
    if form.kind == "cross_out" and not tally.valid <= total <= tally.valid * form.seats:
        raise TallyError(
            f"{total} names kept on {tally.valid} valid ballots of 1..{form.seats} names each",
            rule_id="R-BALLOT-3",
        )
    if form.kind == "choose_one" and total > tally.valid:
        raise TallyError("more nominations than valid nomination ballots", rule_id="R-BALLOT-3")
    if (
        form.kind == "agree_disagree"
        and form.single_name
        and profile.ballots.single_name_both_or_none_invalid
        and tally.votes[form.candidates[0]] + tally.disagree[form.candidates[0]] != tally.valid
    ):
        raise TallyError(
            "every valid single-name ballot has exactly one box marked", rule_id="R-BALLOT-3"
        )


def count_ballots(
    form: BallotForm, ballots: Iterable[BallotMarking], *, issued: int, profile: Profile
) -> Tally:
    """Count paper-style ballots into a ``Tally`` (R-BALLOT-3, R-BALLOT-4, R-RESULT-1).

    An invalid ballot is collected and counted under its reason; none of its names gets a
    vote. Used for tests, demonstrations and re-counts; the encrypted tally yields the same
    ``Tally`` directly.
    """
    votes: Counter[str] = Counter({name: 0 for name in form.candidates})
    disagree: Counter[str] = Counter()
    invalid: Counter[InvalidReason] = Counter()
    cast = valid = 0
    for marking in ballots:
        cast += 1
        try:
            counted = read_ballot(form, marking, profile)
        except BallotInvalid as e:
            invalid[e.reason] += 1
            continue
        valid += 1
        votes.update(counted.agree)
        disagree.update(counted.disagree)
    disagree_counts = (
        {name: disagree[name] for name in form.candidates} if form.kind == "agree_disagree" else {}
    )
    return Tally(
        form=form,
        issued=issued,
        cast=cast,
        valid=valid,
        invalid=dict(invalid),
        votes={name: votes[name] for name in form.candidates},
        disagree=disagree_counts,
    )


def check_counting_board(
    members: Collection[str],
    candidates: Collection[str],
    *,
    probationary: Collection[str] = (),
) -> None:
    """Refuse a counting board with a member on the list being voted, or a probationary one.

    R-COUNT-1: board members are official delegates or members whose names are not on the
    list; a member who is on an approved list must be replaced before voting opens.
    """
    on_list = sorted(set(members) & set(candidates))
    if on_list:
        raise RulesError(
            f"counting-board members on the list must be replaced first: {on_list}",
            rule_id="R-COUNT-1",
        )
    not_official = sorted(set(members) & set(probationary))
    if not_official:
        raise RulesError(
            f"probationary members cannot sit on the counting board: {not_official}",
            rule_id="R-COUNT-1",
        )

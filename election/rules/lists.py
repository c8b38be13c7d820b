"""Candidate-list checks (R-LIST-1..10) and the A-B-C order of the ballot.

``check_candidate_list`` takes every entry proposed for one contest (the convening
committee's names and the floor and self nominations that went through the opinion ballot)
and either raises ``CandidateListError`` naming the first rule broken, or returns the list
in ballot order with its surplus and any warnings. Warnings never reject: R-LIST-1 only
asks that the convening committee's own list carry a 10-15 % surplus.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from typing import TYPE_CHECKING

from election.rules.ballots import BallotForm, ballot_form
from election.rules.contests import Assembly, Contest, Post
from election.rules.errors import CandidateListError
from election.rules.majority import Membership
from election.rules.names import PersonName, name_key

if TYPE_CHECKING:
    from election.rules.profiles import Profile

__all__ = [
    "Candidate",
    "CheckedList",
    "ListCut",
    "ListEntry",
    "ListWarning",
    "Nominator",
    "Source",
    "SurplusBounds",
    "abc_order",
    "check_candidate_list",
    "cut_to_ceiling",
    "floor_nominee_passes",
    "surplus_bounds",
]


class Source(StrEnum):
    """Where a name on the list came from."""

    #: The convening committee's list, the official nomination list (R-LIST-2).
    OFFICIAL = "official"
    #: Nominated at the congress by a delegate or member (R-LIST-3, R-LIST-4).
    FLOOR = "floor"
    #: Self-nominated at the congress (R-LIST-3).
    SELF = "self"


@dataclass(frozen=True)
class Candidate:
    """A person proposed for a post, with the facts the list rules depend on."""

    person_id: str
    name: PersonName
    #: What tells two people of the same name apart on the ballot (year of birth, unit).
    note: str = ""
    #: Only official members may stand (R-LIST-6, R-DELEG-2).
    membership: Membership = Membership.OFFICIAL
    #: An official delegate of this congress (matters at a delegates' congress, R-LIST-4).
    delegate: bool = True
    #: A member of the body that drew up the official list: the convening committee, or the
    #: standing committee at a committee session (R-LIST-5).
    in_list_owner_body: bool = False
    #: A non-delegate standing for the committee filed the application or dossier (R-LIST-7).
    dossier_filed: bool = False
    #: Further reasons from the personnel rules that bar this person (R-LIST-6): suspended,
    #: under disciplinary review, age or term limits. Any reason makes them ineligible.
    ineligible: tuple[str, ...] = ()


@dataclass(frozen=True)
class Nominator:
    """Who proposed a floor nominee (R-LIST-4, R-LIST-5)."""

    person_id: str
    membership: Membership = Membership.OFFICIAL
    delegate: bool = True
    in_list_owner_body: bool = False


@dataclass(frozen=True)
class ListEntry:
    """One name proposed for the list."""

    candidate: Candidate
    source: Source = Source.OFFICIAL
    #: The person who nominated a floor nominee; ``None`` for official and self entries.
    nominator: Nominator | None = None
    #: "Agree" votes for a floor or self nominee in the opinion ballot (R-LIST-3).
    opinion_agree: int | None = None


@dataclass(frozen=True)
class ListWarning:
    rule_id: str
    message: str


@dataclass(frozen=True)
class SurplusBounds:
    """The surplus limits of R-LIST-1 for one seat count, in people."""

    seats: int
    #: The largest surplus the congress may fix: max(minimum, floor(30 % of seats)).
    max_surplus: int
    #: The convening committee's band, 10-15 % of seats, as exact numbers of people.
    proposal_low: Fraction
    proposal_high: Fraction
    #: Whole numbers of people inside the band, or the nearest whole number >= 1 when none is.
    proposal_recommended: tuple[int, ...]


@dataclass(frozen=True)
class CheckedList:
    """A list that passed every check, in ballot (A-B-C) order."""

    contest: Contest
    seats: int
    candidates: tuple[Candidate, ...]
    #: Names beyond the seats.
    surplus: int
    warnings: tuple[ListWarning, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(c.person_id for c in self.candidates)

    @property
    def form(self) -> BallotForm:
        """The ballot form this list gets (R-BALLOT-2)."""
        return ballot_form(self.ids, self.seats)


@dataclass(frozen=True)
class ListCut:
    """The outcome of cutting an over-long list back by agreement (R-LIST-3).

    ``kept`` are certainly kept; ``tied`` share the last ``tied_places`` places with equal
    agreement, and the congress, not the software, decides between them.
    """

    kept: tuple[str, ...]
    dropped: tuple[str, ...]
    tied: tuple[str, ...]
    tied_places: int


def surplus_bounds(seats: int, profile: Profile) -> SurplusBounds:
    """The R-LIST-1 limits for ``seats`` seats under ``profile``.

    ``max_surplus = max(small_body_min_surplus, floor(surplus_max * seats))``: a surplus of one
    person is always allowed, since 30 % of a 3-5 seat body is about one person or less.
    """
    if seats < 1:
        raise ValueError("seats must be positive")
    lists = profile.lists
    max_surplus = max(lists.small_body_min_surplus, math.floor(lists.surplus_max * seats))
    low, high = lists.proposal_surplus_min * seats, lists.proposal_surplus_max * seats
    inside = tuple(range(max(1, math.ceil(low)), math.floor(high) + 1))
    if not inside:
        below, above = math.floor(low), math.floor(low) + 1
        # On an equal distance the smaller surplus is named; below 1 is never named.
        nearest = below if below >= 1 and low - below <= above - high else above
        inside = (nearest,)
    return SurplusBounds(seats, max_surplus, low, high, inside)


def floor_nominee_passes(agree: int, attending: int, profile: Profile) -> bool:
    """Whether a floor or self nominee goes on the list (R-LIST-3).

    Strictly more than 30 % of the delegates (members) attending must agree:
    ``10 * agree > 3 * attending`` for the default fraction 3/10.
    """
    if attending < 1 or agree < 0 or agree > attending:
        raise ValueError(f"impossible opinion-ballot count: {agree} of {attending}")
    share = profile.lists.floor_nominee_min_agreement
    return agree * share.denominator > share.numerator * attending


def abc_order(candidates: Sequence[Candidate], profile: Profile) -> tuple[Candidate, ...]:
    """Candidates in A-B-C order by given name, then family name, then middle name (R-LIST-10).

    Two people whose full names are the same must differ by ``note`` (R-BALLOT-1: the
    ballot carries the full names, so the voter must be able to tell them apart).
    """
    order = profile.lists.name_order
    shown: dict[tuple[str, str], str] = {}
    for c in candidates:
        label = (c.name.full.casefold(), c.note.casefold())
        if label in shown:
            raise CandidateListError(
                f"{shown[label]} and {c.person_id} would look the same on the ballot; "
                "set a distinguishing note",
                rule_id="R-LIST-10",
            )
        shown[label] = c.person_id
    return tuple(sorted(candidates, key=lambda c: (name_key(c.name, order), c.note.casefold())))


def check_candidate_list(
    contest: Contest,
    entries: Sequence[ListEntry],
    profile: Profile,
    *,
    attending: int | None = None,
    pool: Collection[str] | None = None,
    seats: int | None = None,
    first_round: bool = True,
) -> CheckedList:
    """Check a contest's list and return it in ballot order, or raise ``CandidateListError``.

    * R-LIST-6: only official members may stand; no personnel-rule bar may apply.
    * R-DIRECT-2 / R-CONF-2: a name must be in ``pool`` (the newly elected body the post is
      chosen from), when there is one.
    * R-LIST-4: at a delegates' congress, delegates to the higher congress are chosen among
      official delegates, and floor nominations come from official delegates; R-LIST-7: a
      non-delegate stands for the committee only with an application or dossier filed.
    * R-LIST-5: members of the body that drew up the list may not nominate outside it, nor
      stand unless on it.
    * R-LIST-3: a floor or self nominee needs more than 30 % of ``attending`` in the opinion
      ballot. The pilot's own nominations follow the same rules (R-DIRECT-3, UNCONFIRMED).
    * R-LIST-1 / R-LIST-9: the committee's and standing committee's lists need a surplus of at
      least one and at most ``max_surplus``; other posts need no surplus. Every list needs at
      least as many names as seats. A further round (``first_round=False``) is checked
      against the surplus limits only if the profile says so.
    * R-LIST-1 (warning only): the convening committee's own names should give a surplus in
      the 10-15 % band.
    * R-LIST-10: the result is in A-B-C order.
    """
    seats = contest.seats if seats is None else seats
    if not entries:
        raise CandidateListError("the list is empty", rule_id="R-LIST-2")
    ids = [e.candidate.person_id for e in entries]
    if len(set(ids)) != len(ids):
        raise CandidateListError("a person appears twice on the list", rule_id="R-LIST-2")
    for entry in entries:
        _check_entry(contest, entry, profile, attending=attending, pool=pool)

    n = len(entries)
    surplus = n - seats
    if surplus < 0:
        raise CandidateListError(
            f"{n} names for {seats} seats: lower the number of seats or add names",
            rule_id="R-LIST-9",
        )
    warnings: list[ListWarning] = []
    surplus_rules = contest.post in profile.lists.surplus_posts
    if surplus_rules and (first_round or profile.lists.surplus_limits_in_further_rounds):
        bounds = surplus_bounds(seats, profile)
        if surplus < 1:
            raise CandidateListError(
                f"the {contest.post.value} list needs more names than seats", rule_id="R-LIST-1"
            )
        if surplus > bounds.max_surplus:
            raise CandidateListError(
                f"surplus {surplus} exceeds the most allowed, {bounds.max_surplus} "
                f"({profile.citations.surplus}); cut the list back (R-LIST-3)",
                rule_id="R-LIST-1",
            )
        official = sum(1 for e in entries if e.source is Source.OFFICIAL)
        if first_round and official - seats not in bounds.proposal_recommended:
            warnings.append(
                ListWarning(
                    "R-LIST-1",
                    f"the convening committee's list has a surplus of {official - seats}; "
                    f"10-15 % of {seats} seats suggests "
                    f"{' or '.join(map(str, bounds.proposal_recommended))}",
                )
            )
    ordered = abc_order([e.candidate for e in entries], profile)
    return CheckedList(contest, seats, ordered, surplus, tuple(warnings))


def _check_entry(
    contest: Contest,
    entry: ListEntry,
    profile: Profile,
    *,
    attending: int | None,
    pool: Collection[str] | None,
) -> None:
    c = entry.candidate
    who = f"{c.name.full} ({c.person_id})"
    if c.membership is not Membership.OFFICIAL:
        raise CandidateListError(
            f"{who} is a {c.membership.value} member and cannot stand", rule_id="R-LIST-6"
        )
    if c.ineligible:
        raise CandidateListError(
            f"{who} cannot stand: {', '.join(c.ineligible)}", rule_id="R-LIST-6"
        )
    if pool is not None and c.person_id not in pool:
        raise CandidateListError(
            f"{who} is not a member of the body the {contest.post.value} is chosen from",
            rule_id="R-DIRECT-2",
        )
    if contest.assembly is Assembly.DELEGATES_CONGRESS and not c.delegate:
        if contest.post.is_delegation:
            raise CandidateListError(
                f"{who} is not an official delegate of this congress", rule_id="R-LIST-4"
            )
        if contest.post is Post.COMMITTEE and not c.dossier_filed:
            raise CandidateListError(
                f"{who} is not a delegate and filed no candidacy dossier", rule_id="R-LIST-7"
            )

    if entry.source is Source.OFFICIAL:
        if entry.nominator is not None or entry.opinion_agree is not None:
            raise ValueError(f"{who}: an official-list entry has no nominator or opinion ballot")
        return
    if entry.source is Source.FLOOR:
        if entry.nominator is None:
            raise ValueError(f"{who}: a floor nomination names its nominator")
        _check_nominator(contest, entry.nominator, who)
    elif entry.nominator is not None:
        raise ValueError(f"{who}: a self-nomination has no other nominator")
    if c.in_list_owner_body:
        raise CandidateListError(
            f"{who} belongs to the body that drew up the list and may stand only on it "
            f"({profile.citations.list_restrictions})",
            rule_id="R-LIST-5",
        )
    if entry.opinion_agree is None or attending is None:
        raise CandidateListError(
            f"{who} needs an opinion ballot of the attendees before going on the list",
            rule_id="R-LIST-3",
        )
    if not floor_nominee_passes(entry.opinion_agree, attending, profile):
        raise CandidateListError(
            f"{who} got {entry.opinion_agree} of {attending}, not more than "
            f"{profile.lists.floor_nominee_min_agreement} ({profile.citations.floor_nominees})",
            rule_id="R-LIST-3",
        )


def _check_nominator(contest: Contest, nominator: Nominator, who: str) -> None:
    if nominator.in_list_owner_body:
        raise CandidateListError(
            f"{nominator.person_id} belongs to the body that drew up the list and may not "
            f"nominate {who} outside it",
            rule_id="R-LIST-5",
        )
    if contest.assembly is Assembly.DELEGATES_CONGRESS and (
        not nominator.delegate or nominator.membership is not Membership.OFFICIAL
    ):
        raise CandidateListError(
            f"only official delegates nominate at a delegates' congress, not {nominator.person_id}",
            rule_id="R-LIST-4",
        )
    # R-LIST-4 / R-DELEG-2: at a members' congress official, probationary and attached
    # members may all nominate, so there is nothing more to check.


def cut_to_ceiling(agreement: Mapping[str, int], seats: int, profile: Profile) -> ListCut:
    """Cut a list whose surplus exceeds the ceiling back by opinion-ballot agreement (R-LIST-3).

    Keeps the ``seats + max_surplus`` names with the most agreement. RULES.md's text on the
    mechanism is truncated; names tied at the cut are returned as tied, never chosen.
    """
    places = seats + surplus_bounds(seats, profile).max_surplus
    ranked = sorted(agreement, key=lambda name: -agreement[name])
    if len(ranked) <= places:
        return ListCut(tuple(ranked), (), (), 0)
    boundary = agreement[ranked[places - 1]]
    kept = tuple(name for name in ranked if agreement[name] > boundary)
    tied = tuple(name for name in ranked if agreement[name] == boundary)
    dropped = tuple(name for name in ranked if agreement[name] < boundary)
    if len(kept) + len(tied) == places:
        return ListCut(kept + tied, dropped, (), 0)
    return ListCut(kept, dropped, tied, places - len(kept))

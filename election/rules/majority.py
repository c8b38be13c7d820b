"""The majority base N and its itemised exclusions (R-RESULT-2, R-RESULT-3, R-RESULT-4).

A candidate is elected only with more than half of N (R-RESULT-5), and N is never the
number of valid ballots or of ballots collected (R-NOTSTATE-1). N is the number of official
members (members' congress), official delegates (delegates' congress) or incumbent
committee members (committee session) who were convened, minus itemised exclusions.

The input is the roster, one ``RosterEntry`` per person, with the facts the exclusions
depend on; the engine, not the caller, derives each exclusion, so that "absent for the
whole congress" (``attended=False``, which may exclude) can never be confused with "absent
at the moment of the vote" (``present_at_vote=False``, which never does).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from election.rules.contests import Assembly
from election.rules.values import is_whole

if TYPE_CHECKING:
    from election.rules.profiles import Profile

__all__ = [
    "Exclusion",
    "ExclusionReason",
    "MajorityBase",
    "Membership",
    "RosterEntry",
    "has_majority",
    "majority_base",
]


class Membership(StrEnum):
    """A person's standing at a members' congress (R-DELEG-2)."""

    #: Đảng viên chính thức: votes, stands and counts in N.
    OFFICIAL = "official"
    #: Đảng viên dự bị: attends and may nominate, but never votes, stands or counts in N.
    PROBATIONARY = "probationary"
    #: A member of another organization attached here for temporary activity: attends and may
    #: nominate, but never votes, stands or counts in N.
    ATTACHED = "attached"


class ExclusionReason(StrEnum):
    """Why a convened person is left out of N; the order is the order of precedence."""

    #: Delegate status not recognised by the congress (R-DELEG-3).
    STATUS_NOT_RECOGNISED = "status_not_recognised"
    #: Introduced for temporary activity in another organization (R-RESULT-2).
    TEMPORARY_ACTIVITY_ELSEWHERE = "temporary_activity_elsewhere"
    #: Suspended from party activity (R-RESULT-2).
    SUSPENDED = "suspended"
    #: Prosecuted, indicted or detained (R-RESULT-2).
    PROSECUTED = "prosecuted"
    #: Exempted from work and party activity and not present at the congress (R-RESULT-2).
    EXEMPTED_NOT_PRESENT = "exempted_not_present"
    #: Absent for the whole congress (or session) with a reason the convening committee
    #: accepted (R-RESULT-2; R-RESULT-4 by analogy).
    ABSENT_WHOLE_CONGRESS_EXCUSED = "absent_whole_congress_excused"
    #: A member of the convening committee (ex-officio delegate) absent for the whole
    #: congress (R-RESULT-3).
    EX_OFFICIO_ABSENT_WHOLE_CONGRESS = "ex_officio_absent_whole_congress"
    #: An official delegate absent for the whole congress and not replaced by an alternate
    #: (R-RESULT-3).
    DELEGATE_ABSENT_WHOLE_CONGRESS = "delegate_absent_whole_congress"

    @property
    def rule_id(self) -> str:
        return _REASON_RULES[self]


_REASON_RULES = {
    ExclusionReason.STATUS_NOT_RECOGNISED: "R-DELEG-3",
    ExclusionReason.TEMPORARY_ACTIVITY_ELSEWHERE: "R-RESULT-2",
    ExclusionReason.SUSPENDED: "R-RESULT-2",
    ExclusionReason.PROSECUTED: "R-RESULT-2",
    ExclusionReason.EXEMPTED_NOT_PRESENT: "R-RESULT-2",
    ExclusionReason.ABSENT_WHOLE_CONGRESS_EXCUSED: "R-RESULT-2",
    ExclusionReason.EX_OFFICIO_ABSENT_WHOLE_CONGRESS: "R-RESULT-3",
    ExclusionReason.DELEGATE_ABSENT_WHOLE_CONGRESS: "R-RESULT-3",
}

#: The exclusions a committee session may apply (R-RESULT-4 says "analogous exclusions"
#: without listing them); the profile chooses among these.
COMMITTEE_SESSION_REASONS = frozenset(
    {
        ExclusionReason.SUSPENDED,
        ExclusionReason.PROSECUTED,
        ExclusionReason.EXEMPTED_NOT_PRESENT,
        ExclusionReason.ABSENT_WHOLE_CONGRESS_EXCUSED,
    }
)


@dataclass(frozen=True)
class RosterEntry:
    """One convened person and the facts the majority base depends on.

    ``attended`` is whether the person attended at least one session of the congress (or
    of the committee session); ``present_at_vote`` whether they were present when this
    ballot was held. At a delegates' congress an official delegate replaced by an alternate
    is not on the roster: the alternate is, in the delegate's place (R-DELEG-1).
    """

    person_id: str
    attended: bool = True
    present_at_vote: bool = True
    membership: Membership = Membership.OFFICIAL
    #: A member of the convening committee, i.e. an ex-officio delegate (R-DELEG-1).
    ex_officio: bool = False
    #: The congress did not recognise this delegate's status (R-DELEG-3).
    status_not_recognised: bool = False
    temporary_activity_elsewhere: bool = False
    #: Exempted from work and party activity (miễn công tác và sinh hoạt đảng).
    exempted: bool = False
    suspended: bool = False
    #: Prosecuted, indicted or detained (khởi tố, truy tố, tạm giam).
    prosecuted: bool = False
    #: The convening committee accepted the reason for a whole-congress absence.
    absence_excused: bool = False

    def __post_init__(self) -> None:
        if not self.person_id:
            raise ValueError("a roster entry needs a person_id")
        if self.present_at_vote and not self.attended:
            raise ValueError(
                f"{self.person_id}: present at the vote but marked absent for the whole congress"
            )


@dataclass(frozen=True)
class Exclusion:
    """The people left out of N for one reason (minutes field "N and its exclusions")."""

    reason: ExclusionReason
    person_ids: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.person_ids)

    @property
    def rule_id(self) -> str:
        return self.reason.rule_id


@dataclass(frozen=True)
class MajorityBase:
    """N for one vote, with its itemisation (R-RESULT-2, R-RESULT-3, R-RESULT-4).

    ``convened`` is the number of official members / official delegates / incumbent
    committee members convened; ``present_at_vote`` counts the people in N present when
    the ballot was held (the most ballots that may be issued, R-COUNT-3);
    ``non_voting_present`` counts those present who may not vote (probationary and attached
    members, excluded people who came anyway).
    """

    assembly: Assembly
    convened: int
    exclusions: tuple[Exclusion, ...]
    present_at_vote: int
    non_voting_present: int = 0

    def __post_init__(self) -> None:
        for name in ("convened", "present_at_vote", "non_voting_present"):
            value = getattr(self, name)
            if not is_whole(value, low=0):
                raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
        reasons = [item.reason for item in self.exclusions]
        if len(set(reasons)) != len(reasons) or any(item.count == 0 for item in self.exclusions):
            raise ValueError("each exclusion reason appears once, with at least one person")
        if self.n < 1:
            raise ValueError(f"the majority base must be positive, got N = {self.n}")
        if self.present_at_vote > self.n:
            raise ValueError("more people in N present at the vote than N itself")

    @property
    def excluded(self) -> int:
        return sum(item.count for item in self.exclusions)

    @property
    def n(self) -> int:
        """N itself: convened minus every exclusion."""
        return self.convened - self.excluded

    @property
    def threshold(self) -> int:
        """The fewest votes that are more than half of N (R-RESULT-5)."""
        return self.n // 2 + 1

    @property
    def absent_at_vote(self) -> int:
        """People who stay in N although absent when the ballot was held (R-RESULT-3)."""
        return self.n - self.present_at_vote


def has_majority(votes: int, n: int) -> bool:
    """Whether ``votes`` is more than half of the majority base ``n`` (R-RESULT-5).

    Integer form of ``votes > n / 2``: ``2 * votes > n``. ``n`` is N of R-RESULT-2,
    R-RESULT-3, R-RESULT-4, never the number of valid ballots (R-NOTSTATE-1).
    """
    if n < 1:
        raise ValueError(f"the majority base must be positive, got {n}")
    return 2 * votes > n


def majority_base(
    assembly: Assembly, roster: Iterable[RosterEntry], profile: Profile
) -> MajorityBase:
    """Compute N from the roster of one vote, itemising every exclusion.

    Members' congress (R-RESULT-2): official members of the organization, minus those on
    temporary activity elsewhere, suspended, prosecuted/indicted/detained, exempted and not
    present, and absent for the whole congress with an accepted reason. Probationary and
    attached members are not in N and get no ballot (R-DELEG-2).

    Delegates' congress (R-RESULT-3): official delegates convened, minus ex-officio
    delegates absent for the whole congress and official delegates absent for the whole
    congress (unreplaced; a replaced one is not on the roster), minus delegates whose status
    the congress did not recognise (R-DELEG-3).

    Committee session (R-RESULT-4): incumbent members, minus the exclusions the profile
    lists in ``majority.committee_session_exclusions`` (UNCONFIRMED: "analogous").

    Someone who attended any session stays in N even if absent at the vote (R-RESULT-3).
    """
    assembly = Assembly(assembly)
    excluded: dict[ExclusionReason, list[str]] = {}
    seen: set[str] = set()
    convened = present = non_voting = 0
    for entry in roster:
        if entry.person_id in seen:
            raise ValueError(f"{entry.person_id} appears twice on the roster")
        seen.add(entry.person_id)
        _check_applicable(assembly, entry)
        if entry.membership is not Membership.OFFICIAL:
            # R-DELEG-2: they attend and may nominate, but are not part of N.
            non_voting += entry.present_at_vote
            continue
        convened += 1
        reason = _exclusion_reason(assembly, entry, profile)
        if reason is None:
            present += entry.present_at_vote
        else:
            excluded.setdefault(reason, []).append(entry.person_id)
            non_voting += entry.present_at_vote
    exclusions = tuple(
        Exclusion(reason, tuple(excluded[reason]))
        for reason in ExclusionReason
        if reason in excluded
    )
    return MajorityBase(assembly, convened, exclusions, present, non_voting)


def _check_applicable(assembly: Assembly, entry: RosterEntry) -> None:
    """Refuse facts that have no meaning for this kind of assembly, rather than ignore them."""
    not_applicable: list[str] = []
    if assembly is Assembly.MEMBERS_CONGRESS:
        not_applicable = ["ex_officio", "status_not_recognised"]
    elif assembly is Assembly.DELEGATES_CONGRESS:
        # R-RESULT-3 lists no exclusion for suspended or prosecuted delegates: the congress
        # decides on their status instead (R-DELEG-3), so the caller must say so.
        not_applicable = [
            "temporary_activity_elsewhere",
            "exempted",
            "suspended",
            "prosecuted",
            "absence_excused",
        ]
    else:
        not_applicable = ["ex_officio", "status_not_recognised", "temporary_activity_elsewhere"]
    wrong = [name for name in not_applicable if getattr(entry, name)]
    if assembly is not Assembly.MEMBERS_CONGRESS and entry.membership is not Membership.OFFICIAL:
        wrong.append(f"membership={entry.membership.value}")
    if wrong:
        raise ValueError(
            f"{entry.person_id}: {', '.join(wrong)} does not apply at a {assembly.value}"
        )


def _exclusion_reason(
    assembly: Assembly, entry: RosterEntry, profile: Profile
) -> ExclusionReason | None:
    """The first reason, in ``ExclusionReason`` order, that leaves this person out of N."""
    if assembly is Assembly.DELEGATES_CONGRESS:
        if entry.status_not_recognised:
            return ExclusionReason.STATUS_NOT_RECOGNISED
        if not entry.attended:
            # R-RESULT-3: any whole-congress absence excludes, whatever the reason; the two
            # kinds of delegate are itemised apart as the article names them apart.
            if entry.ex_officio:
                return ExclusionReason.EX_OFFICIO_ABSENT_WHOLE_CONGRESS
            return ExclusionReason.DELEGATE_ABSENT_WHOLE_CONGRESS
        return None
    candidates = [
        (entry.temporary_activity_elsewhere, ExclusionReason.TEMPORARY_ACTIVITY_ELSEWHERE),
        (entry.suspended, ExclusionReason.SUSPENDED),
        (entry.prosecuted, ExclusionReason.PROSECUTED),
        # R-RESULT-2: an exempted member who attends and votes stays in N.
        (entry.exempted and not entry.attended, ExclusionReason.EXEMPTED_NOT_PRESENT),
        # R-RESULT-2: an unexcused whole-congress absence does not reduce N.
        (
            entry.absence_excused and not entry.attended,
            ExclusionReason.ABSENT_WHOLE_CONGRESS_EXCUSED,
        ),
    ]
    allowed = (
        profile.majority.committee_session_exclusions
        if assembly is Assembly.COMMITTEE_SESSION
        else frozenset(ExclusionReason)
    )
    for applies, reason in candidates:
        if applies and reason in allowed:
            return reason
    return None

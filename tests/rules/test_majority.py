"""The majority base N and its itemised exclusions.

R-RESULT-2, R-RESULT-3, R-RESULT-4, R-RESULT-5, R-DELEG-1, R-DELEG-2, R-DELEG-3.
"""

from __future__ import annotations

import pytest

from election.rules import (
    Assembly,
    Exclusion,
    ExclusionReason,
    MajorityBase,
    Membership,
    Profile,
    RosterEntry,
    has_majority,
    load_profile,
    majority_base,
)
from tests.rules.factories import roster

MEMBERS = Assembly.MEMBERS_CONGRESS
DELEGATES = Assembly.DELEGATES_CONGRESS
SESSION = Assembly.COMMITTEE_SESSION


def reasons(base: MajorityBase) -> dict[ExclusionReason, tuple[str, ...]]:
    return {item.reason: item.person_ids for item in base.exclusions}


def test_members_congress_exclusions_are_itemised(profile: Profile) -> None:
    """R-RESULT-2: each exclusion of the article, with the people behind it."""
    entries = [
        *roster(10),
        RosterEntry(
            "tmp", attended=False, present_at_vote=False, temporary_activity_elsewhere=True
        ),
        RosterEntry("sus", attended=False, present_at_vote=False, suspended=True),
        RosterEntry("pro", attended=False, present_at_vote=False, prosecuted=True),
        RosterEntry("exe", attended=False, present_at_vote=False, exempted=True),
        RosterEntry("exc", attended=False, present_at_vote=False, absence_excused=True),
    ]
    base = majority_base(MEMBERS, entries, profile)
    assert base.convened == 15 and base.n == 10
    assert reasons(base) == {
        ExclusionReason.TEMPORARY_ACTIVITY_ELSEWHERE: ("tmp",),
        ExclusionReason.SUSPENDED: ("sus",),
        ExclusionReason.PROSECUTED: ("pro",),
        ExclusionReason.EXEMPTED_NOT_PRESENT: ("exe",),
        ExclusionReason.ABSENT_WHOLE_CONGRESS_EXCUSED: ("exc",),
    }
    assert all(item.rule_id == "R-RESULT-2" for item in base.exclusions)


def test_members_congress_who_stays_in_n(profile: Profile) -> None:
    """R-RESULT-2: an exempted member who attends stays; an unexcused absence does not reduce N."""
    entries = [
        RosterEntry("exempted-but-came", exempted=True),
        RosterEntry("excused-but-came", absence_excused=True, present_at_vote=False),
        RosterEntry("unexcused", attended=False, present_at_vote=False),
        RosterEntry("left-before-vote", present_at_vote=False),
    ]
    base = majority_base(MEMBERS, entries, profile)
    assert base.n == 4 and base.exclusions == ()
    assert base.present_at_vote == 1 and base.absent_at_vote == 3


def test_probationary_and_attached_members_are_not_in_n(profile: Profile) -> None:
    """R-DELEG-2: they attend and may nominate, but are not in N and get no ballot."""
    entries = [
        *roster(3),
        RosterEntry("prob", membership=Membership.PROBATIONARY),
        RosterEntry("att", membership=Membership.ATTACHED),
    ]
    base = majority_base(MEMBERS, entries, profile)
    assert (base.convened, base.n, base.present_at_vote, base.non_voting_present) == (3, 3, 3, 2)


def test_excluded_person_present_gets_no_ballot(profile: Profile) -> None:
    """R-RESULT-2: a suspended member who turns up is still outside N."""
    base = majority_base(MEMBERS, [*roster(4), RosterEntry("sus", suspended=True)], profile)
    assert (base.n, base.present_at_vote, base.non_voting_present) == (4, 4, 1)


def test_delegates_congress_whole_absence_vs_absence_at_vote(profile: Profile) -> None:
    """R-RESULT-3: whole-congress absence excludes; absence at the vote never does."""
    entries = [
        *roster(6),
        RosterEntry("exo", attended=False, present_at_vote=False, ex_officio=True),
        RosterEntry("del", attended=False, present_at_vote=False),
        RosterEntry("late", present_at_vote=False),
        RosterEntry("exo-late", present_at_vote=False, ex_officio=True),
    ]
    base = majority_base(DELEGATES, entries, profile)
    assert base.n == 8 and base.absent_at_vote == 2
    assert reasons(base) == {
        ExclusionReason.EX_OFFICIO_ABSENT_WHOLE_CONGRESS: ("exo",),
        ExclusionReason.DELEGATE_ABSENT_WHOLE_CONGRESS: ("del",),
    }
    assert {item.rule_id for item in base.exclusions} == {"R-RESULT-3"}


def test_delegate_not_recognised_is_left_out(profile: Profile) -> None:
    """R-DELEG-3: a delegate whose status the congress does not recognise cannot vote."""
    base = majority_base(
        DELEGATES, [*roster(5), RosterEntry("x", status_not_recognised=True)], profile
    )
    assert base.n == 5 and base.non_voting_present == 1
    assert base.exclusions[0].rule_id == "R-DELEG-3"


def test_alternate_replacing_a_delegate_counts_in_n(profile: Profile) -> None:
    """R-DELEG-1, R-RESULT-3: the alternate sits on the roster in the absent delegate's place."""
    entries = [*roster(4), RosterEntry("alternate-for-p9")]
    assert majority_base(DELEGATES, entries, profile).n == 5


def test_committee_session_uses_profile_exclusions(profile: Profile) -> None:
    """R-RESULT-4 (exclusions UNCONFIRMED): the profile lists the analogous exclusions."""
    entries = [
        *roster(50),
        RosterEntry("sus", suspended=True, attended=False, present_at_vote=False),
        RosterEntry("away", absence_excused=True, attended=False, present_at_vote=False),
        RosterEntry("unexcused", attended=False, present_at_vote=False),
    ]
    assert majority_base(SESSION, entries, profile).n == 51
    strict = load_profile(
        profile.profile_id, overrides={"majority": {"committee_session_exclusions": []}}
    )
    assert majority_base(SESSION, entries, strict).n == 53


@pytest.mark.parametrize(
    ("assembly", "entry"),
    [
        (MEMBERS, RosterEntry("x", ex_officio=True)),
        (MEMBERS, RosterEntry("x", status_not_recognised=True)),
        (DELEGATES, RosterEntry("x", suspended=True)),
        (DELEGATES, RosterEntry("x", temporary_activity_elsewhere=True)),
        (DELEGATES, RosterEntry("x", membership=Membership.PROBATIONARY)),
        (SESSION, RosterEntry("x", ex_officio=True)),
        (SESSION, RosterEntry("x", membership=Membership.ATTACHED)),
    ],
)
def test_facts_that_do_not_apply_are_refused(
    profile: Profile, assembly: Assembly, entry: RosterEntry
) -> None:
    with pytest.raises(ValueError, match="does not apply"):
        majority_base(assembly, [*roster(3), entry], profile)


def test_impossible_rosters(profile: Profile) -> None:
    with pytest.raises(ValueError, match="present at the vote"):
        RosterEntry("x", attended=False)
    with pytest.raises(ValueError, match="twice"):
        majority_base(MEMBERS, [RosterEntry("x"), RosterEntry("x")], profile)
    with pytest.raises(ValueError, match="positive"):
        majority_base(MEMBERS, [RosterEntry("x", suspended=True)], profile)


def test_majority_base_is_consistent_by_construction() -> None:
    base = MajorityBase(
        DELEGATES, 120, (Exclusion(ExclusionReason.DELEGATE_ABSENT_WHOLE_CONGRESS, ("a",)),), 100
    )
    assert (base.n, base.excluded, base.threshold, base.absent_at_vote) == (119, 1, 60, 19)
    with pytest.raises(ValueError):
        MajorityBase(DELEGATES, 10, (), 11)
    with pytest.raises(ValueError):
        MajorityBase(DELEGATES, 10, (Exclusion(ExclusionReason.SUSPENDED, ()),), 5)


@pytest.mark.parametrize(
    ("votes", "n", "expected"),
    [
        (41, 82, False),
        (42, 82, True),
        (41, 80, True),
        (40, 80, False),
        (30, 59, True),
        (29, 59, False),
    ],
)
def test_majority_is_more_than_half_of_n(votes: int, n: int, expected: bool) -> None:
    """R-RESULT-5 / R-PRIN-1: 2 * votes > N, never half of the valid ballots (R-NOTSTATE-1)."""
    assert has_majority(votes, n) is expected


def test_majority_base_must_be_positive() -> None:
    with pytest.raises(ValueError):
        has_majority(1, 0)

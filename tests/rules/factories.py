"""Builders for the rules tests: rosters, candidates, tallies and contests in one place."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from election.rules import (
    Assembly,
    BallotForm,
    Candidate,
    Contest,
    InvalidReason,
    MajorityBase,
    Membership,
    PersonName,
    Post,
    Profile,
    RosterEntry,
    Tally,
    majority_base,
)

#: Eleven names whose A-B-C order (by given name) is A, B, ..., K, as in RULES.md section 15.
NAMES = {
    "A": "Nguyễn Văn An",
    "B": "Trần Thị Bình",
    "C": "Lê Văn Cường",
    "D": "Phạm Thị Dung",
    "E": "Hoàng Văn Đức",
    "F": "Vũ Thị Giang",
    "G": "Đặng Văn Hải",
    "H": "Bùi Thị Hoa",
    "I": "Đỗ Văn Khánh",
    "J": "Hồ Thị Lan",
    "K": "Ngô Văn Minh",
}


def candidate(person_id: str, full_name: str | None = None, **facts: object) -> Candidate:
    name = PersonName.parse(full_name or NAMES.get(person_id, f"Nguyễn Văn {person_id}"))
    return Candidate(person_id, name, **facts)


def roster(
    convened: int,
    *,
    absent_whole: int = 0,
    absent_at_vote: int = 0,
    prefix: str = "p",
    **facts: object,
) -> list[RosterEntry]:
    """``convened`` official people: the first ``absent_whole`` never attended, the next
    ``absent_at_vote`` attended earlier sessions but missed the vote, the rest voted."""
    entries = []
    for i in range(convened):
        attended = i >= absent_whole
        present = i >= absent_whole + absent_at_vote
        entries.append(
            RosterEntry(f"{prefix}{i}", attended=attended, present_at_vote=present, **facts)
        )
    return entries


def delegates_base(
    profile: Profile, convened: int, *, absent_whole: int = 0, absent_at_vote: int = 0
) -> MajorityBase:
    return majority_base(
        Assembly.DELEGATES_CONGRESS,
        roster(convened, absent_whole=absent_whole, absent_at_vote=absent_at_vote),
        profile,
    )


def members_roster(
    official: int,
    *,
    probationary: int = 0,
    temporary_elsewhere: int = 0,
    excused_whole: int = 0,
    absent_at_vote: int = 0,
) -> list[RosterEntry]:
    """A members' congress register (RULES.md examples 3 and 4)."""
    entries = []
    for i in range(official):
        if i < temporary_elsewhere:
            entry = RosterEntry(
                f"m{i}", attended=False, present_at_vote=False, temporary_activity_elsewhere=True
            )
        elif i < temporary_elsewhere + excused_whole:
            entry = RosterEntry(
                f"m{i}", attended=False, present_at_vote=False, absence_excused=True
            )
        elif i < temporary_elsewhere + excused_whole + absent_at_vote:
            entry = RosterEntry(f"m{i}", present_at_vote=False)
        else:
            entry = RosterEntry(f"m{i}")
        entries.append(entry)
    entries += [
        RosterEntry(f"d{i}", membership=Membership.PROBATIONARY) for i in range(probationary)
    ]
    return entries


def tally(
    form: BallotForm,
    votes: Mapping[str, int],
    *,
    issued: int,
    valid: int,
    invalid: Mapping[InvalidReason, int] | None = None,
    disagree: Mapping[str, int] | None = None,
) -> Tally:
    invalid = dict(invalid or {})
    return Tally(
        form=form,
        issued=issued,
        cast=valid + sum(invalid.values()),
        valid=valid,
        invalid=invalid,
        votes=dict(votes),
        disagree=dict(disagree or {}),
    )


def contest(
    seats: int,
    *,
    post: Post = Post.COMMITTEE,
    assembly: Assembly = Assembly.DELEGATES_CONGRESS,
    direct: bool = False,
    contest_id: str = "c1",
) -> Contest:
    return Contest(contest_id, post, seats, assembly, direct)


def ids(text: str) -> Sequence[str]:
    """``ids("ABC")`` → ``("A", "B", "C")``."""
    return tuple(text)

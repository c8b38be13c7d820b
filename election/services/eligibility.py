"""Who may vote in a round and who counts in its majority base N.

Two questions with different answers, kept apart as the rules keep them apart:

* **N** (``majority_base``): the rules engine computes it from the roster of the round's
  electorate, one ``election.rules.RosterEntry`` per person, built here from the roster
  flags and the attendance record (R-RESULT-2/3/4). "Attended" means present at some
  session of the electorate, "present at the vote" present at the round's own session.
* **The eligible credentials** (``eligible_credentials``): PROTOCOL.md section 5 — the
  approved (credentials recognised), checked-in (present at the round's session) voters of
  the electorate who hold an active credential. Voters are official members with the right
  to vote (R-DELEG-2): not on temporary activity elsewhere, not suspended or prosecuted;
  at a delegates' congress not an alternate, unless seated in place of an absent official
  delegate, who then is off the roster (R-DELEG-1, ``DelegateReplacement``); in a committee
  session, members of the body.

These functions read only; they never commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from election import rules
from election.errors import InvalidState
from election.models import (
    Attendance,
    BodyMember,
    Congress,
    CongressKind,
    CongressSession,
    Contest,
    CredentialReview,
    CredentialStatus,
    DelegateKind,
    DelegateReplacement,
    Member,
    Membership,
    SessionKind,
    VotingCredential,
)
from election.services.congress import assembly_of, congress_profile

__all__ = [
    "electorate_members",
    "eligible_credentials",
    "entitled_count",
    "has_voting_right",
    "majority_base",
    "roster_entries",
]


def has_voting_right(member: Member, congress: Congress) -> bool:
    """Whether ``member`` may ever vote at ``congress`` (R-DELEG-2, R-DELEG-1, R-RESULT-2)."""
    if member.membership is not Membership.OFFICIAL:
        return False
    if member.temporary_activity_elsewhere or member.suspended or member.prosecuted:
        return False
    if congress.kind is CongressKind.DELEGATES:
        # R-DELEG-1: an alternate votes only when seated in an official's place, and that
        # official no longer does.
        if member.delegate_kind is DelegateKind.ALTERNATE:
            return member.seated_for is not None
        return member.replaced_by is None
    return True


def electorate_members(db: Session, contest: Contest) -> list[Member]:
    """The people convened for ``contest``'s vote: the whole roster (at a delegates'
    congress without alternates, except those seated in place of an official, who is then
    left out), or the members of the electorate body."""
    if contest.electorate_id is not None:
        query = (
            sa.select(Member)
            .join(BodyMember, BodyMember.member_id == Member.id)
            .where(BodyMember.body_id == contest.electorate_id)
        )
    else:
        query = sa.select(Member).where(Member.congress_id == contest.congress_id)
        if contest.congress.kind is CongressKind.DELEGATES:
            # Alternates only in an official's place, and that official not (R-DELEG-1).
            seated = sa.select(DelegateReplacement.alternate_id)
            replaced = sa.select(DelegateReplacement.official_id)
            query = query.where(
                sa.or_(
                    Member.delegate_kind.is_(None),
                    Member.delegate_kind != DelegateKind.ALTERNATE,
                    Member.id.in_(seated),
                ),
                Member.id.not_in(replaced),
            )
    return list(db.scalars(query.order_by(Member.id)))


def _electorate_sessions(contest: Contest) -> sa.Select[Any]:
    query = sa.select(CongressSession.id).where(CongressSession.congress_id == contest.congress_id)
    if contest.electorate_id is not None:
        return query.where(CongressSession.body_id == contest.electorate_id)
    return query.where(CongressSession.kind == SessionKind.PLENARY)


def _present_sets(
    db: Session, contest: Contest, sitting: CongressSession
) -> tuple[set[int], set[int]]:
    """(member ids present at some session of the electorate, present at ``sitting``)."""
    attended = set(
        db.scalars(
            sa.select(Attendance.member_id).where(
                Attendance.present.is_(True),
                Attendance.session_id.in_(_electorate_sessions(contest)),
            )
        )
    )
    present = set(
        db.scalars(
            sa.select(Attendance.member_id).where(
                Attendance.present.is_(True), Attendance.session_id == sitting.id
            )
        )
    )
    return attended, present


def _not_recognised(db: Session, members: Sequence[Member]) -> set[int]:
    ids = [m.id for m in members]
    return set(
        db.scalars(
            sa.select(CredentialReview.member_id).where(
                CredentialReview.member_id.in_(ids), CredentialReview.recognised.is_(False)
            )
        )
    )


def roster_entries(
    db: Session, contest: Contest, sitting: CongressSession
) -> list[rules.RosterEntry]:
    """The rules engine's roster for a vote of ``contest`` held in ``sitting``."""
    members = electorate_members(db, contest)
    attended, present = _present_sets(db, contest, sitting)
    assembly = assembly_of(contest)
    refused = (
        _not_recognised(db, members) if assembly is rules.Assembly.DELEGATES_CONGRESS else set()
    )
    entries = []
    for m in members:
        entry: dict[str, object] = {
            "person_id": m.code,
            "attended": m.id in attended,
            "present_at_vote": m.id in present,
            "membership": rules.Membership(m.membership.value),
        }
        if assembly is rules.Assembly.DELEGATES_CONGRESS:
            entry["ex_officio"] = m.delegate_kind is DelegateKind.EX_OFFICIO
            entry["status_not_recognised"] = m.id in refused
        else:
            entry |= {
                "exempted": m.exempted,
                "suspended": m.suspended,
                "prosecuted": m.prosecuted,
                "absence_excused": m.absence_excused,
            }
            if assembly is rules.Assembly.MEMBERS_CONGRESS:
                entry["temporary_activity_elsewhere"] = m.temporary_activity_elsewhere
        entries.append(rules.RosterEntry(**entry))  # type: ignore[arg-type]
    return entries


def majority_base(db: Session, contest: Contest, sitting: CongressSession) -> rules.MajorityBase:
    """N for a vote of ``contest`` in ``sitting``, itemised by the rules engine.

    Raises ``InvalidState`` when the roster cannot give a positive N (nobody convened).
    """
    try:
        return rules.majority_base(
            assembly_of(contest),
            roster_entries(db, contest, sitting),
            congress_profile(contest.congress),
        )
    except ValueError as e:
        raise InvalidState(f"cannot compute the majority base of {contest.code}: {e}") from e


def entitled_count(db: Session, contest: Contest) -> int:
    """How many people are entitled to vote in ``contest``: the electorate's recognised
    voters (the bound the verifier's V3 puts on the number of credentials)."""
    congress = contest.congress
    members = electorate_members(db, contest)
    recognised = set(
        db.scalars(
            sa.select(CredentialReview.member_id).where(
                CredentialReview.member_id.in_([m.id for m in members]),
                CredentialReview.recognised.is_(True),
            )
        )
    )
    return sum(1 for m in members if m.id in recognised and has_voting_right(m, congress))


def eligible_credentials(
    db: Session, contest: Contest, sitting: CongressSession
) -> list[VotingCredential]:
    """The active credentials of the approved, checked-in voters of ``contest`` in
    ``sitting`` (PROTOCOL.md section 5), in member order."""
    congress = contest.congress
    members = electorate_members(db, contest)
    _attended, present = _present_sets(db, contest, sitting)
    recognised = set(
        db.scalars(
            sa.select(CredentialReview.member_id).where(
                CredentialReview.member_id.in_([m.id for m in members]),
                CredentialReview.recognised.is_(True),
            )
        )
    )
    voters = [
        m.id
        for m in members
        if m.id in present and m.id in recognised and has_voting_right(m, congress)
    ]
    if not voters:
        return []
    return list(
        db.scalars(
            sa.select(VotingCredential)
            .where(
                VotingCredential.member_id.in_(voters),
                VotingCredential.status == CredentialStatus.ACTIVE,
            )
            .order_by(VotingCredential.member_id)
        )
    )

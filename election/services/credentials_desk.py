"""What the credentials desk reads, and its one bulk action.

* ``fold`` and ``roster_rows``: the roster searched without accents or case, so that an
  operator typing "nguyen van a" on a keyboard without a Vietnamese input method finds
  "Nguyễn Văn A".
* ``credential_by_public_key``: a scanned badge found by its public credential ``Y``. The
  desk's browser derives ``Y`` from the code it scanned; the code itself never reaches the
  server (PROTOCOL.md section 5), so the server can only ever match public keys.
* ``sitting_summary``: attendance at one session with the majority base N and the quorum,
  computed by the same code that computes N for every vote (``eligibility.majority_base``),
  so that the desk, the credentials report and the rules engine cannot disagree.
* ``recognise_pending``: recognise every person not yet reviewed in one transaction (a
  congress of two thousand delegates is not reviewed one click at a time).

Everything here reads only, except ``recognise_pending``, which is a service.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import cast

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from election import rules
from election.errors import InvalidState, NotFound
from election.models import (
    Attendance,
    Body,
    BodyMember,
    Congress,
    CongressSession,
    Contest,
    CredentialReview,
    CredentialStatus,
    DelegateKind,
    DelegateReplacement,
    Member,
    Role,
    SessionKind,
    VotingCredential,
)
from election.services import eligibility
from election.services.base import Actor, require_role, service
from election.services.congress import congress_profile, roster
from election.services.credentials import review_member

__all__ = [
    "Electorate",
    "ReviewStatus",
    "RosterRow",
    "SittingSummary",
    "credential_by_public_key",
    "default_sitting",
    "electorate_of",
    "fold",
    "matches",
    "party_cells",
    "recognise_pending",
    "replacement_options",
    "replacements",
    "roster_rows",
    "sitting_summary",
]


def fold(text: str) -> str:
    """``text`` without diacritics, case or repeated spaces: "Nguyễn  Văn Đức" -> "nguyen van duc".

    NFD splits each accented letter into its base letter and combining marks, which are
    dropped; "đ" is a letter of its own in Unicode (not d plus a mark), so it is mapped
    explicitly.
    """
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


def matches(query: str, *fields: str | None) -> bool:
    """Whether every word of ``query`` occurs, accent-insensitively, in ``fields``."""
    haystack = fold(" ".join(f for f in fields if f))
    return all(word in haystack for word in fold(query).split())


class ReviewStatus(StrEnum):
    """Where the credentials board stands on one person."""

    PENDING = "pending"
    RECOGNISED = "recognised"
    NOT_RECOGNISED = "not_recognised"


@dataclass(frozen=True)
class RosterRow:
    """One person as the review list and the desk show them."""

    member: Member
    review: CredentialReview | None
    #: The active voting credential, if one was issued and not revoked.
    credential: VotingCredential | None
    #: Present at the selected session; None when no session was selected.
    present: bool | None
    #: May vote at all (official member, not suspended ...: R-DELEG-2).
    voting_right: bool

    @property
    def status(self) -> ReviewStatus:
        if self.review is None:
            return ReviewStatus.PENDING
        return ReviewStatus.RECOGNISED if self.review.recognised else ReviewStatus.NOT_RECOGNISED

    @property
    def may_receive_credential(self) -> bool:
        """Recognised, entitled to vote and holding no active credential."""
        return (
            self.status is ReviewStatus.RECOGNISED and self.voting_right and self.credential is None
        )


def party_cells(db: Session, congress: Congress) -> list[str]:
    """The party cells (chi bộ) on the roster, in accent-insensitive alphabetical order."""
    cells = db.scalars(
        sa.select(Member.party_cell)
        .where(Member.congress_id == congress.id, Member.party_cell.is_not(None))
        .distinct()
    )
    return sorted((c for c in cells if c), key=fold)


def _members(
    db: Session, congress: Congress, body_id: int | None, ids: set[int] | None
) -> list[Member]:
    query = (
        sa.select(Member)
        .where(Member.congress_id == congress.id)
        .options(selectinload(Member.review))
        .order_by(Member.id)
    )
    if ids is not None:
        query = query.where(Member.id.in_(ids))
    if body_id is not None:
        query = query.join(BodyMember, BodyMember.member_id == Member.id).where(
            BodyMember.body_id == body_id
        )
    return list(db.scalars(query))


def _active_credentials(db: Session, congress: Congress) -> dict[int, VotingCredential]:
    rows = db.scalars(
        sa.select(VotingCredential).where(
            VotingCredential.congress_id == congress.id,
            VotingCredential.status == CredentialStatus.ACTIVE,
        )
    )
    return {c.member_id: c for c in rows}


def _attendance(db: Session, sitting: CongressSession) -> dict[int, bool]:
    rows = db.execute(
        sa.select(Attendance.member_id, Attendance.present).where(
            Attendance.session_id == sitting.id
        )
    )
    return {member_id: present for member_id, present in rows}


def roster_rows(
    db: Session,
    congress: Congress,
    *,
    sitting: CongressSession | None = None,
    party_cell: str | None = None,
    status: ReviewStatus | None = None,
    query: str | None = None,
    member_ids: Iterable[int] | None = None,
) -> list[RosterRow]:
    """The roster in roster order, filtered; at a committee session only the body's members.

    ``query`` matches the name, the roster code and the unit without accents or case
    (``matches``).
    """
    body_id = sitting.body_id if sitting is not None else None
    wanted = set(member_ids) if member_ids is not None else None
    credentials = _active_credentials(db, congress)
    present = _attendance(db, sitting) if sitting is not None else {}
    rows = []
    for member in _members(db, congress, body_id, wanted):
        if party_cell and member.party_cell != party_cell:
            continue
        if query and not matches(query, member.full_name, member.code, member.unit):
            continue
        row = RosterRow(
            member=member,
            review=member.review,
            credential=credentials.get(member.id),
            present=present.get(member.id, False) if sitting is not None else None,
            voting_right=eligibility.has_voting_right(member, congress),
        )
        if status is not None and row.status is not status:
            continue
        rows.append(row)
    return rows


def credential_by_public_key(
    db: Session, congress: Congress, public_key: bytes
) -> VotingCredential:
    """The credential of ``congress`` whose public key is ``public_key``.

    Raises ``NotFound`` when no badge of this congress has that key and ``InvalidState``
    when the badge was revoked (lost, replaced): a revoked badge must not check anyone in.
    """
    credential = db.scalar(
        sa.select(VotingCredential).where(
            VotingCredential.congress_id == congress.id,
            VotingCredential.public_key == public_key,
        )
    )
    if credential is None:
        raise NotFound("no credential of this congress has this public key")
    if credential.status is not CredentialStatus.ACTIVE:
        raise InvalidState("this credential was revoked")
    return credential


# ------------------------------------------------------------------------------- sittings


def default_sitting(congress: Congress) -> CongressSession | None:
    """The session the desk works on unless told otherwise: the plenary session that is
    open now, else the first one not yet closed, else the last one."""
    plenary = [s for s in congress.sessions if s.kind is SessionKind.PLENARY]
    for sitting in plenary:
        if sitting.opened_at is not None and sitting.closed_at is None:
            return sitting
    for sitting in plenary:
        if sitting.closed_at is None:
            return sitting
    if plenary:
        return plenary[-1]
    return congress.sessions[0] if congress.sessions else None


@dataclass(frozen=True)
class Electorate:
    """Who is convened to a session, in the shape ``eligibility`` reads from a ``Contest``:
    the whole congress at a plenary session, or the members of one body at its session.

    N for a session is then computed by ``eligibility.majority_base`` itself, the function
    every vote uses, rather than by a copy that could drift from it.
    """

    congress: Congress
    electorate: Body | None = None

    @property
    def congress_id(self) -> int:
        return self.congress.id

    @property
    def electorate_id(self) -> int | None:
        return self.electorate.id if self.electorate is not None else None

    @property
    def code(self) -> str:
        return self.electorate.code if self.electorate is not None else self.congress.public_id

    def as_contest(self) -> Contest:
        # Only the attributes above are read (congress, congress_id, electorate,
        # electorate_id, code); tests/services/test_credentials_report.py checks that the N
        # found this way is the N of a real contest of the same electorate.
        return cast(Contest, self)


def electorate_of(sitting: CongressSession) -> Electorate:
    """The people convened to ``sitting``."""
    return Electorate(sitting.congress, sitting.body)


@dataclass(frozen=True)
class SittingSummary:
    """Attendance at one session, N and the quorum (R-RESULT-2/3/4, R-QUORUM-1)."""

    sitting: CongressSession
    #: People convened to the session (the roster, or the body's members).
    convened: int
    #: Of them, recorded present at the session.
    present: int
    #: N and its itemised exclusions; None when N cannot be computed (nobody convened).
    base: rules.MajorityBase | None
    #: The fewest people in N present that make a quorum.
    quorum_required: int | None

    @property
    def present_in_base(self) -> int:
        """People counted in N who are present (what the quorum is measured on)."""
        return self.base.present_at_vote if self.base is not None else 0

    @property
    def quorum_met(self) -> bool:
        return self.quorum_required is not None and self.present_in_base >= self.quorum_required


def sitting_summary(db: Session, sitting: CongressSession) -> SittingSummary:
    """Attendance, N and quorum at ``sitting``, from the attendance recorded so far."""
    electorate = electorate_of(sitting).as_contest()
    members = eligibility.electorate_members(db, electorate)
    ids = [m.id for m in members]
    present = 0
    if ids:
        present = (
            db.scalar(
                sa.select(sa.func.count())
                .select_from(Attendance)
                .where(
                    Attendance.session_id == sitting.id,
                    Attendance.present.is_(True),
                    Attendance.member_id.in_(ids),
                )
            )
            or 0
        )
    base: rules.MajorityBase | None
    try:
        base = eligibility.majority_base(db, electorate, sitting)
    except InvalidState:
        base = None
    required = rules.quorum_required(base, congress_profile(sitting.congress)) if base else None
    return SittingSummary(sitting, len(members), present, base, required)


# ------------------------------------------------------------------------------- services


@service
def recognise_pending(
    db: Session,
    actor: Actor,
    congress: Congress,
    *,
    now: datetime,
    party_cell: str | None = None,
    member_ids: Sequence[int] | None = None,
) -> int:
    """Recognise every person of ``congress`` the board has not reviewed yet (optionally
    only in one party cell, or only those listed); return how many. One event per person,
    one transaction for all: either everyone listed is recognised or nobody is."""
    require_role(db, actor, congress, Role.CREDENTIALS)
    rows = roster_rows(
        db, congress, party_cell=party_cell, status=ReviewStatus.PENDING, member_ids=member_ids
    )
    for row in rows:
        review_member(db, actor, row.member, recognised=True, now=now)
    return len(rows)


def replacement_options(db: Session, congress: Congress) -> tuple[list[Member], list[Member]]:
    """Who a replacement may name (R-DELEG-1): the official delegates still in their seat and
    the alternates not yet seated, each in code order. Whether one may be made now is
    ``credentials.replace_delegate``'s to say."""
    officials: list[Member] = []
    alternates: list[Member] = []
    for m in roster(db, congress):
        if m.delegate_kind is DelegateKind.ALTERNATE:
            if m.seated_for is None:
                alternates.append(m)
        elif m.delegate_kind is not None and m.replaced_by is None:
            officials.append(m)
    return officials, alternates


def replacements(db: Session, congress: Congress) -> list[DelegateReplacement]:
    """The congress's replacements, in the order they were recorded."""
    return list(
        db.scalars(
            sa.select(DelegateReplacement)
            .where(DelegateReplacement.congress_id == congress.id)
            .order_by(DelegateReplacement.id)
        )
    )

"""The credentials board's work: reviewing people, recording attendance, and registering,
revoking and reissuing public voting credentials.

A voting credential is a public key ``Y`` only (PROTOCOL.md section 5): the desk's device
generates the badge code and derives ``Y`` from it, and only ``Y`` reaches the server. Each
key is checked strictly (``crypto.check_public_credential``: canonical, in the prime-order
subgroup, not of small order) before it is stored, because the plain Ed25519 check accepts
forged signatures under a small-order key.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

import crypto
from election.errors import Conflict, InvalidInput, InvalidState
from election.models import (
    Attendance,
    BodyMember,
    Congress,
    CongressKind,
    CongressSession,
    CredentialReview,
    CredentialStatus,
    DelegateKind,
    DelegateReplacement,
    Event,
    Member,
    Role,
    Round,
    SessionKind,
    VotingCredential,
)
from election.services import events
from election.services.agenda import open_round_of
from election.services.base import Actor, require_role, service
from election.services.eligibility import has_voting_right

__all__ = [
    "ReissueNeedsDecision",
    "ReissueNotice",
    "active_credential",
    "authorise_reissue",
    "check_in",
    "members_with_active_credential",
    "pending_reissue_decision",
    "record_attendance",
    "register_credential",
    "reissue_credential",
    "reissues_during",
    "replace_delegate",
    "review_member",
    "revoke_credential",
]

#: The event of a re-issue, and of the presidium's decision allowing one while a round is open.
REISSUE = "credential.reissue"
REISSUE_DECISION = "credential.reissue_authorised"


class ReissueNeedsDecision(InvalidState):
    """A re-issue while a round is open, without the presidium's decision (ATTACKS.md T-17.b)."""


@dataclass(frozen=True)
class ReissueNotice:
    """A badge re-issued while a round was open, as the public board shows it: the two
    public credentials and the presidium's decision, no name (T-17.b)."""

    at: datetime
    revoked: str
    issued: str
    decision: int


def _reason(reason: str | None, what: str) -> str:
    if reason is None or not reason.strip():
        raise InvalidInput(f"{what} needs a reason")
    return reason.strip()


def active_credential(db: Session, member: Member) -> VotingCredential | None:
    """The member's active credential, if any (at most one exists: a unique index)."""
    return db.scalar(
        sa.select(VotingCredential).where(
            VotingCredential.member_id == member.id,
            VotingCredential.status == CredentialStatus.ACTIVE,
        )
    )


@service
def review_member(
    db: Session,
    actor: Actor,
    member: Member,
    *,
    recognised: bool,
    now: datetime,
    reason: str | None = None,
) -> CredentialReview:
    """Record the credentials board's conclusion on ``member`` (R-CRED-1, R-DELEG-3).

    A person not recognised needs a reason; a new conclusion replaces the previous one and
    both stay in the event log.
    """
    congress = member.congress
    require_role(db, actor, congress, Role.CREDENTIALS)
    if not recognised:
        reason = _reason(reason, "a refusal")
    review = db.scalar(sa.select(CredentialReview).where(CredentialReview.member_id == member.id))
    if review is None:
        review = CredentialReview(member=member)
        db.add(review)
    review.recognised = bool(recognised)
    review.reason = reason.strip() if reason else None
    review.reviewed_by_id = actor.user_id
    review.reviewed_at = now
    events.record(
        db,
        actor,
        "credentials.review",
        review,
        now=now,
        congress=congress,
        data={"member": member.code, "recognised": review.recognised, "reason": review.reason},
    )
    return review


@service
def record_attendance(
    db: Session,
    actor: Actor,
    member: Member,
    sitting: CongressSession,
    *,
    present: bool,
    now: datetime,
    reason: str | None = None,
) -> Attendance:
    """Record whether ``member`` is present at ``sitting``; an absence needs a reason.

    At a committee session only the body's members are recorded. A correction replaces the
    earlier record; the event log keeps both.
    """
    congress = sitting.congress
    require_role(db, actor, congress, Role.CREDENTIALS, Role.SECRETARIAT)
    if member.congress_id != congress.id:
        raise InvalidInput(f"{member.code} is not on the roster of {congress.public_id}")
    if sitting.kind is SessionKind.COMMITTEE_SESSION:
        seated = db.scalar(
            sa.select(BodyMember.id).where(
                BodyMember.body_id == sitting.body_id, BodyMember.member_id == member.id
            )
        )
        if seated is None:
            raise InvalidInput(f"{member.full_name} is not a member of the body meeting")
    if not present:
        reason = _reason(reason, "an absence")
    row = db.scalar(
        sa.select(Attendance).where(
            Attendance.session_id == sitting.id, Attendance.member_id == member.id
        )
    )
    if row is None:
        row = Attendance(session=sitting, member=member)
        db.add(row)
    row.present = bool(present)
    row.absence_reason = None if present else reason
    row.recorded_by_id = actor.user_id
    row.recorded_at = now
    events.record(
        db,
        actor,
        "attendance.record",
        row,
        now=now,
        congress=congress,
        data={
            "session": sitting.number,
            "member": member.code,
            "present": row.present,
            "reason": row.absence_reason,
        },
    )
    return row


def check_in(
    db: Session, actor: Actor, member: Member, sitting: CongressSession, *, now: datetime
) -> Attendance:
    """Mark ``member`` present at ``sitting`` (the credentials desk scans the badge)."""
    return record_attendance(db, actor, member, sitting, present=True, now=now)


def _new_credential(
    db: Session,
    actor: Actor,
    member: Member,
    public_key: bytes,
    now: datetime,
    replaces: VotingCredential | None = None,
) -> VotingCredential:
    if not isinstance(public_key, bytes):
        raise TypeError("a public credential is bytes")
    try:
        crypto.check_public_credential(public_key)
    except crypto.CryptoError as e:
        raise InvalidInput(f"public credential refused: {e}") from e
    review = db.scalar(sa.select(CredentialReview).where(CredentialReview.member_id == member.id))
    if review is None or not review.recognised:
        raise InvalidState(f"{member.full_name}: credentials not recognised by the board")
    if not has_voting_right(member, member.congress):
        raise InvalidState(f"{member.full_name} has no right to vote (R-DELEG-2)")
    if active_credential(db, member) is not None:
        raise Conflict(f"{member.full_name} already holds an active credential: revoke it first")
    used = db.scalar(
        sa.select(VotingCredential.id).where(
            VotingCredential.congress_id == member.congress_id,
            VotingCredential.public_key == public_key,
        )
    )
    if used is not None:
        raise Conflict("this public credential is already registered in this congress")
    credential = VotingCredential(
        congress_id=member.congress_id,
        member=member,
        public_key=public_key,
        status=CredentialStatus.ACTIVE,
        issued_at=now,
        issued_by_id=actor.user_id,
        replaces=replaces,
    )
    db.add(credential)
    return credential


@service
def register_credential(
    db: Session, actor: Actor, member: Member, public_key: bytes, *, now: datetime
) -> VotingCredential:
    """Register the public credential ``Y`` of ``member``'s badge.

    Refused unless the key passes the strict check, the person is recognised and may vote,
    holds no other active credential, and the key is new in this congress.
    """
    congress = member.congress
    require_role(db, actor, congress, Role.CREDENTIALS)
    credential = _new_credential(db, actor, member, public_key, now)
    events.record(
        db,
        actor,
        "credential.register",
        credential,
        now=now,
        congress=congress,
        data={"member": member.code, "public_key": public_key.hex()},
    )
    return credential


def _revoke(credential: VotingCredential, actor: Actor, reason: str, now: datetime) -> None:
    if credential.status is not CredentialStatus.ACTIVE:
        raise InvalidState("the credential is already revoked")
    credential.status = CredentialStatus.REVOKED
    credential.revoked_at = now
    credential.revoked_by_id = actor.user_id
    credential.revoke_reason = reason


@service
def revoke_credential(
    db: Session, actor: Actor, credential: VotingCredential, *, reason: str, now: datetime
) -> VotingCredential:
    """Revoke a credential (a lost badge, a person no longer recognised), with a reason."""
    congress = credential.member.congress
    require_role(db, actor, congress, Role.CREDENTIALS)
    reason = _reason(reason, "a revocation")
    _revoke(credential, actor, reason, now)
    events.record(
        db,
        actor,
        "credential.revoke",
        credential,
        now=now,
        congress=congress,
        data={
            "member": credential.member.code,
            "public_key": credential.public_key.hex(),
            "reason": reason,
        },
    )
    return credential


def _reissue_events(db: Session, congress: str) -> list[Event]:
    """The congress's ``credential.reissue`` events, in log order."""
    return list(
        db.scalars(
            sa.select(Event)
            .where(Event.congress == congress, Event.action == REISSUE)
            .order_by(Event.seq)
        )
    )


def _decisions_and_uses(db: Session, member: Member) -> tuple[list[Event], set[int]]:
    congress = member.congress.public_id
    decisions = list(
        db.scalars(
            sa.select(Event)
            .where(
                Event.congress == congress,
                Event.action == REISSUE_DECISION,
                Event.object_id == str(member.id),
            )
            .order_by(Event.seq)
        )
    )
    used = {
        int(e.data["decision"])
        for e in _reissue_events(db, congress)
        if e.data.get("decision") is not None
    }
    return decisions, used


def members_with_active_credential(db: Session, congress: Congress) -> list[Member]:
    """The congress's members holding an active badge, by name."""
    return list(
        db.scalars(
            sa.select(Member)
            .join(VotingCredential, VotingCredential.member_id == Member.id)
            .where(
                Member.congress_id == congress.id,
                VotingCredential.status == CredentialStatus.ACTIVE,
            )
            .order_by(Member.full_name, Member.code)
        )
    )


def pending_reissue_decision(db: Session, member: Member) -> Event | None:
    """The presidium's decision allowing ``member``'s badge to be re-issued while a round is
    open, if one was taken and not yet used (each decision allows one re-issue)."""
    decisions, used = _decisions_and_uses(db, member)
    return next((e for e in reversed(decisions) if e.seq not in used), None)


@service
def authorise_reissue(
    db: Session, actor: Actor, member: Member, *, reason: str, now: datetime
) -> Event:
    """The presidium's logged decision that the credentials board may re-issue ``member``'s
    badge while a round is open (ATTACKS.md T-17.b): the round's list of credentials is
    frozen, so a substitution then needs the presidium, in the event log, and is shown on
    the public board."""
    congress = member.congress
    require_role(db, actor, congress, Role.PRESIDIUM)
    reason = _reason(reason, "a decision")
    if active_credential(db, member) is None:
        raise InvalidState(f"{member.code} has no active credential to re-issue")
    if pending_reissue_decision(db, member) is not None:
        raise Conflict(f"a re-issue of {member.code}'s badge is already allowed")
    return events.record(
        db,
        actor,
        REISSUE_DECISION,
        member,
        now=now,
        congress=congress,
        data={"member": member.code, "reason": reason},
    )


@service
def reissue_credential(
    db: Session,
    actor: Actor,
    credential: VotingCredential,
    public_key: bytes,
    *,
    reason: str,
    now: datetime,
) -> VotingCredential:
    """Revoke ``credential`` (if still active) and register ``public_key`` in its place,
    in one transaction; the new credential points back at the old one.

    While a round is open its list of credentials is frozen: the re-issue then needs the
    presidium's decision (``authorise_reissue``), uses it up, and is published on that
    round's board (``reissues_during``; ATTACKS.md T-17.b). The old credential is refused
    from then on; the new one votes from the next round opened.
    """
    member = credential.member
    congress = member.congress
    require_role(db, actor, congress, Role.CREDENTIALS)
    reason = _reason(reason, "a reissue")
    frozen = open_round_of(db, congress)
    decision = pending_reissue_decision(db, member) if frozen is not None else None
    if frozen is not None and decision is None:
        raise ReissueNeedsDecision(
            f"round {frozen.id} is open: re-issuing {member.code}'s badge needs the presidium's "
            "decision"
        )
    if credential.status is CredentialStatus.ACTIVE:
        _revoke(credential, actor, reason, now)
        db.flush()
    elif db.scalar(
        sa.select(VotingCredential.id).where(VotingCredential.replaces_id == credential.id)
    ):
        raise Conflict("this credential was already replaced")
    new = _new_credential(db, actor, member, public_key, now, replaces=credential)
    events.record(
        db,
        actor,
        REISSUE,
        new,
        now=now,
        congress=congress,
        data={
            "member": member.code,
            "revoked": credential.public_key.hex(),
            "public_key": public_key.hex(),
            "reason": reason,
            "round": frozen.id if frozen is not None else None,
            "decision": decision.seq if decision is not None else None,
        },
    )
    return new


def reissues_during(db: Session, round_: Round) -> list[ReissueNotice]:
    """The badges re-issued while ``round_`` was open, for its public board (T-17.b)."""
    return [
        ReissueNotice(e.at, e.data["revoked"], e.data["public_key"], e.data["decision"])
        for e in _reissue_events(db, round_.contest.congress.public_id)
        if e.data.get("round") == round_.id
    ]


@service
def replace_delegate(
    db: Session,
    actor: Actor,
    official: Member,
    alternate: Member,
    *,
    decision: str,
    now: datetime,
) -> DelegateReplacement:
    """Seat ``alternate`` in place of the absent official delegate ``official`` (R-DELEG-1),
    carrying out the convening committee's ``decision`` (who decided, when, and why; the
    order among alternates, R-HIGHER-4, is theirs to apply).

    Refused unless both are delegates of the same delegates' congress, ``official`` is not
    an alternate and ``alternate`` is one, neither is already in a replacement, the official
    holds no active credential (revoke it first: the seat must not have two voters) and no
    round is open (N and the eligible list of an open round are frozen).
    """
    congress = official.congress
    require_role(db, actor, congress, Role.CREDENTIALS)
    text = _reason(decision, "a replacement")
    if congress.kind is not CongressKind.DELEGATES:
        raise InvalidInput("alternates replace delegates only at a delegates' congress")
    if alternate.congress_id != congress.id:
        raise InvalidInput(f"{alternate.code} is not on the roster of {congress.public_id}")
    if official.delegate_kind is None or official.delegate_kind is DelegateKind.ALTERNATE:
        raise InvalidInput(f"{official.code} is not an official delegate")
    if alternate.delegate_kind is not DelegateKind.ALTERNATE:
        raise InvalidInput(f"{alternate.code} is not an alternate delegate")
    if official.replaced_by is not None:
        raise Conflict(f"{official.code} has already been replaced")
    if alternate.seated_for is not None:
        raise Conflict(f"{alternate.code} already sits in another delegate's place")
    if active_credential(db, official) is not None:
        raise InvalidState(f"{official.code} still holds an active credential: revoke it first")
    if open_round_of(db, congress) is not None:
        raise InvalidState("a round is open: replace a delegate between rounds")
    replacement = DelegateReplacement(
        congress_id=congress.id,
        official=official,
        alternate=alternate,
        decision=text,
        recorded_by_id=actor.user_id,
        recorded_at=now,
    )
    db.add(replacement)
    db.flush()
    db.expire(official, ["replaced_by"])
    db.expire(alternate, ["seated_for"])
    events.record(
        db,
        actor,
        "delegate.replace",
        replacement,
        now=now,
        congress=congress,
        data={"official": official.code, "alternate": alternate.code, "decision": text},
    )
    return replacement

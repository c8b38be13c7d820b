"""The key ceremony, relayed by the server between the counting board's devices
(PROTOCOL.md section 4; issue 6 item 2).

The server only relays public data. Every secret (the communication key ``d_i``, the
polynomial ``f_i``, the shares ``f_i(j)``, the secret share ``s_j``, the minutes-signing
key) is made and kept on the member's own device (``election/static/js/guardian/``); the
server sees the public keys, the commitments with their proofs, the share boxes sealed
member-to-member (``crypto.ecies``: it cannot open them) and the complaints. It checks what
it can check: strict encodings, every Schnorr proof, who may post what and when.

The steps, each refused out of order (``InvalidState``):

1. **start** (``start_ceremony``): the counting board names its members in index order,
   each with the operator account they work from, and the threshold ``t`` (default
   ``n//2 + 1``). Once per congress: not while another run is pending, never after one
   completed.
2. **keys** (``publish_keys``): each member publishes its communication key ``P_i``, its
   minutes-signing key and its commitments ``C_ik`` with Schnorr proofs.
3. **boxes** (``post_boxes``): once every member has published, each seals ``f_i(j)`` to
   every other member ``j`` under ``P_j`` and posts the ``n - 1`` boxes.
4. **checks**: each member fetches the boxes addressed to it (``received_boxes``), opens
   them and checks ``f_i(j)*G == sum_k j^k C_ik``; then it confirms (``confirm_shares``)
   or complains against the dealer (``complain``).
5. When all ``n`` have confirmed, the result (``K`` and every ``K_j``, recomputed from the
   commitments) is recorded with ``ceremony.record_ceremony_result``. A complaint stops the
   run (status ``failed``) with the complaint published; the board starts a new run without
   the faulty member (the server cannot judge who is at fault: it never sees a share).

A member who cannot take part any more (a device lost mid-way) is handled the same way:
the board cancels the run (``cancel_ceremony``) and starts again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

import crypto
from election.errors import Conflict, InvalidInput, InvalidState, PermissionDenied
from election.models import (
    Body,
    BodyKind,
    BodyMember,
    BodyRole,
    CeremonyComplaint,
    CeremonyStatus,
    Congress,
    Guardian,
    GuardianStatus,
    KeyCeremony,
    Member,
    Membership,
    Role,
    RoleAssignment,
    ShareBox,
    User,
)
from election.services import events
from election.services.base import Actor, require_role, service
from election.services.ceremony import GuardianRecord, completed_ceremony, record_ceremony_result

__all__ = [
    "CeremonyView",
    "GuardianView",
    "Phase",
    "ReceivedBox",
    "cancel_ceremony",
    "ceremony_view",
    "complain",
    "confirm_shares",
    "counting_board",
    "counting_users",
    "current_ceremony",
    "joint_key_fingerprint",
    "post_boxes",
    "publish_keys",
    "received_boxes",
    "seat_of",
    "start_ceremony",
    "suspected_members",
]

#: The longest complaint text kept.
MAX_REASON = 2000


class Phase(StrEnum):
    """Where a run of the ceremony stands."""

    #: Started; waiting for every member's keys and commitments.
    KEYS = "keys"
    #: Every member published; waiting for the share boxes.
    BOXES = "boxes"
    #: Every box posted; waiting for every member to check what it received.
    CHECKS = "checks"
    #: All checked: the joint key is recorded.
    COMPLETED = "completed"
    #: Stopped by a complaint or cancelled; start a new run.
    FAILED = "failed"


@dataclass(frozen=True)
class GuardianView:
    """One member's seat in a run, as the pages show it (public data only)."""

    index: int
    member_id: int
    code: str
    name: str
    user_id: int | None
    username: str | None
    status: GuardianStatus
    published: bool
    boxes_posted: bool
    checked: bool


@dataclass(frozen=True)
class CeremonyView:
    """A run of the ceremony with its progress."""

    ceremony: KeyCeremony
    phase: Phase
    guardians: tuple[GuardianView, ...]
    complaints: tuple[CeremonyComplaint, ...]

    @property
    def fingerprint(self) -> str | None:
        key = self.ceremony.joint_key
        return None if key is None else joint_key_fingerprint(key)

    def seat_of_user(self, user_id: int | None) -> GuardianView | None:
        for g in self.guardians:
            if user_id is not None and g.user_id == user_id:
                return g
        return None


@dataclass(frozen=True)
class ReceivedBox:
    """A box addressed to a member, with what its dealer published (to check it against)."""

    dealer: int
    box: Mapping[str, Any]
    commitments: Mapping[str, Any]


def joint_key_fingerprint(joint_key: bytes) -> str:
    """The first 16 hex digits of SHA-256(K), in groups of four: what members read aloud
    and compare with their own devices' (and what the minutes and the record page print)."""
    digest = hashlib.sha256(joint_key).hexdigest()[:16].upper()
    return " ".join(digest[i : i + 4] for i in range(0, 16, 4))


# ------------------------------------------------------------------------------- reading


def counting_board(db: Session, congress: Congress) -> list[Member]:
    """The counting board's members: the head first, then in the order they were added."""
    rows = db.execute(
        sa.select(Member, BodyMember.role)
        .join(BodyMember, BodyMember.member_id == Member.id)
        .join(Body, Body.id == BodyMember.body_id)
        .where(Body.congress_id == congress.id, Body.kind == BodyKind.COUNTING_BOARD)
        .order_by(BodyMember.id)
    ).all()
    return [m for m, role in rows if role is BodyRole.HEAD] + [
        m for m, role in rows if role is not BodyRole.HEAD
    ]


def counting_users(db: Session, congress: Congress) -> list[User]:
    """The active operator accounts holding the counting role in ``congress``."""
    return list(
        db.scalars(
            sa.select(User)
            .join(RoleAssignment, RoleAssignment.user_id == User.id)
            .where(
                RoleAssignment.congress_id == congress.id,
                RoleAssignment.role == Role.COUNTING,
                User.active.is_(True),
            )
            .order_by(User.username)
        )
    )


def current_ceremony(db: Session, congress: Congress) -> KeyCeremony | None:
    """The congress's completed run if there is one, otherwise its latest run."""
    done = completed_ceremony(db, congress)
    if done is not None:
        return done
    return db.scalars(
        sa.select(KeyCeremony)
        .where(KeyCeremony.congress_id == congress.id)
        .order_by(KeyCeremony.id.desc())
        .limit(1)
    ).first()


def suspected_members(db: Session, congress: Congress) -> set[int]:
    """Members accused by a complaint in a failed run: left out of the next run by default
    (the board may still include them; it alone can judge the complaint)."""
    rows = db.execute(
        sa.select(Guardian.member_id)
        .join(KeyCeremony, KeyCeremony.id == Guardian.ceremony_id)
        .join(
            CeremonyComplaint,
            sa.and_(
                CeremonyComplaint.ceremony_id == KeyCeremony.id,
                CeremonyComplaint.dealer_index == Guardian.guardian_index,
            ),
        )
        .where(KeyCeremony.congress_id == congress.id)
    ).scalars()
    return set(rows)


def _boxes(db: Session, ceremony: KeyCeremony) -> list[ShareBox]:
    return list(db.scalars(sa.select(ShareBox).where(ShareBox.ceremony_id == ceremony.id)))


def _complaints(db: Session, ceremony: KeyCeremony) -> list[CeremonyComplaint]:
    return list(
        db.scalars(
            sa.select(CeremonyComplaint)
            .where(CeremonyComplaint.ceremony_id == ceremony.id)
            .order_by(CeremonyComplaint.id)
        )
    )


def _phase(ceremony: KeyCeremony, guardians: Sequence[Guardian], boxes: int) -> Phase:
    if ceremony.status is CeremonyStatus.COMPLETED:
        return Phase.COMPLETED
    if ceremony.status is CeremonyStatus.FAILED:
        return Phase.FAILED
    n = ceremony.guardians
    if any(g.commitments is None for g in guardians):
        return Phase.KEYS
    if boxes < n * (n - 1):
        return Phase.BOXES
    return Phase.CHECKS


def ceremony_view(db: Session, ceremony: KeyCeremony) -> CeremonyView:
    """The run with each member's progress."""
    guardians = sorted(ceremony.members, key=lambda g: g.guardian_index)
    boxes = _boxes(db, ceremony)
    sent = {b.from_index for b in boxes}
    views = tuple(
        GuardianView(
            index=g.guardian_index,
            member_id=g.member_id,
            code=g.member.code,
            name=g.member.full_name,
            user_id=g.user_id,
            username=g.user.username if g.user is not None else None,
            status=g.status,
            published=g.commitments is not None,
            boxes_posted=g.guardian_index in sent or ceremony.guardians == 1,
            checked=g.status is GuardianStatus.VERIFIED,
        )
        for g in guardians
    )
    return CeremonyView(
        ceremony, _phase(ceremony, guardians, len(boxes)), views, tuple(_complaints(db, ceremony))
    )


def seat_of(db: Session, ceremony: KeyCeremony, actor: Actor, index: int | None = None) -> Guardian:
    """The seat ``actor`` works from: the guardian linked to its account, or (for the system
    actor, which has no account) the one with ``index``. ``PermissionDenied`` otherwise."""
    guardians = {g.guardian_index: g for g in ceremony.members}
    if actor.is_system:
        if index is None or index not in guardians:
            raise InvalidInput(f"no guardian {index} in this ceremony")
        return guardians[index]
    if actor.role is not Role.COUNTING:
        raise PermissionDenied(f"{actor.username} does not act for the counting board")
    for g in guardians.values():
        if g.user_id == actor.user_id:
            if index is not None and index != g.guardian_index:
                raise PermissionDenied(f"{actor.username} is guardian {g.guardian_index}")
            return g
    raise PermissionDenied(f"{actor.username} holds no seat in this ceremony")


def received_boxes(db: Session, ceremony: KeyCeremony, index: int) -> list[ReceivedBox]:
    """The boxes addressed to member ``index``, each with its dealer's commitments."""
    commitments = {g.guardian_index: g.commitments for g in ceremony.members}
    out = []
    for box in _boxes(db, ceremony):
        if box.to_index == index:
            out.append(ReceivedBox(box.from_index, box.box, commitments[box.from_index] or {}))
    return sorted(out, key=lambda r: r.dealer)


# ------------------------------------------------------------------------------- steps


def _pending(ceremony: KeyCeremony) -> None:
    if ceremony.status is not CeremonyStatus.PENDING:
        raise InvalidState(f"the ceremony is {ceremony.status.value}; start a new one")


@service
def start_ceremony(
    db: Session,
    actor: Actor,
    congress: Congress,
    *,
    seats: Sequence[tuple[Member, User | None]],
    threshold: int | None = None,
    now: datetime,
) -> KeyCeremony:
    """Start a run with ``seats`` (member, account) as guardians 1..n, in that order.

    Members must be official members on the counting board (R-COUNT-1) and distinct, and so
    must the accounts (each one a counting-role account of this congress). Refused while a
    run is pending and once one completed (the ceremony is once per congress).
    """
    require_role(db, actor, congress, Role.COUNTING)
    if completed_ceremony(db, congress) is not None:
        raise Conflict(f"{congress.public_id} already has its joint key")
    latest = current_ceremony(db, congress)
    if latest is not None and latest.status is CeremonyStatus.PENDING:
        raise InvalidState("a ceremony is already under way: finish or cancel it first")
    n = len(seats)
    if n < 1:
        raise InvalidInput("a ceremony needs at least one member")
    t = crypto.default_threshold(n) if threshold is None else threshold
    if not 1 <= t <= n:
        raise InvalidInput(f"threshold {t} is not between 1 and {n}")
    board = {m.id for m in counting_board(db, congress)}
    allowed_users = {u.id for u in counting_users(db, congress)}
    members = [m for m, _ in seats]
    users = [u for _, u in seats if u is not None]
    if len({m.id for m in members}) != n:
        raise InvalidInput("a member holds one seat")
    if len({u.id for u in users}) != len(users):
        raise InvalidInput("an account works for one member")
    for member, user in seats:
        if member.congress_id != congress.id or member.id not in board:
            raise InvalidInput(f"{member.full_name} is not on the counting board")
        if member.membership is not Membership.OFFICIAL:
            raise InvalidInput(f"{member.full_name} is not an official member (R-COUNT-1)")
        if user is not None and user.id not in allowed_users:
            raise InvalidInput(f"{user.username} does not hold the counting role")
    ceremony = KeyCeremony(
        congress=congress,
        guardians=n,
        threshold=t,
        status=CeremonyStatus.PENDING,
        started_at=now,
    )
    db.add(ceremony)
    for index, (member, user) in enumerate(seats, start=1):
        db.add(
            Guardian(
                ceremony=ceremony,
                guardian_index=index,
                member=member,
                user=user,
                status=GuardianStatus.INVITED,
            )
        )
    events.record(
        db,
        actor,
        "ceremony.start",
        ceremony,
        now=now,
        congress=congress,
        data={
            "threshold": t,
            "members": [m.code for m in members],
            "accounts": [u.username if u else None for _, u in seats],
        },
    )
    return ceremony


def _point(value: bytes, what: str) -> None:
    try:
        crypto.Point.decode(value)
    except crypto.CryptoError as e:
        raise InvalidInput(f"{what} is not a valid group element: {e}") from e


@service
def publish_keys(
    db: Session,
    actor: Actor,
    ceremony: KeyCeremony,
    *,
    communication_key: bytes,
    signing_key: bytes,
    commitments: Mapping[str, Any],
    index: int | None = None,
    now: datetime,
) -> Guardian:
    """Step 2: the member's communication key, minutes-signing key and commitments.

    Every point decodes strictly and every Schnorr proof verifies with the context
    ``(congress id, i, k)`` (ATTACKS.md 5: a member cannot publish a key it does not know).
    Publishing the same again is a no-op; publishing something else is refused.
    """
    _pending(ceremony)
    congress = ceremony.congress
    require_role(db, actor, congress, Role.COUNTING)
    seat = seat_of(db, ceremony, actor, index)
    if seat.commitments is not None:
        same = (seat.communication_key, seat.signing_key, seat.commitments) == (
            communication_key,
            signing_key,
            dict(commitments),
        )
        if same:
            return seat
        raise Conflict(f"guardian {seat.guardian_index} already published its keys")
    _point(communication_key, "the communication key")
    try:
        crypto.check_public_credential(signing_key)
    except crypto.CryptoError as e:
        raise InvalidInput(f"the minutes-signing key is not a valid Ed25519 key: {e}") from e
    try:
        published = crypto.GuardianCommitments.from_json(dict(commitments), ceremony.threshold)
        if published.index != seat.guardian_index:
            raise InvalidInput(
                f"commitments for guardian {published.index} posted by guardian "
                f"{seat.guardian_index}"
            )
        crypto.verify_commitments(congress.public_id, published)
    except crypto.CryptoError as e:
        raise InvalidInput(f"the commitments do not verify: {e}") from e
    others = [g for g in ceremony.members if g.id != seat.id]
    if any(g.communication_key == communication_key for g in others):
        raise InvalidInput("another member already published this communication key")
    seat.communication_key = communication_key
    seat.signing_key = signing_key
    seat.commitments = published.to_json()
    seat.status = GuardianStatus.COMMITTED
    events.record(
        db,
        actor,
        "ceremony.keys",
        ceremony,
        now=now,
        congress=congress,
        data={
            "guardian": seat.guardian_index,
            "communication_key": communication_key.hex(),
            "signing_key": signing_key.hex(),
            "commitment_0": published.commitments[0].hex(),
        },
    )
    return seat


def _check_box(box: Any, sender: int, recipient: int) -> dict[str, str]:
    """The box's shape and encodings: ``{"E": point, "nonce": 12 bytes, "ct": 48 bytes}``."""
    where = f"box {sender}→{recipient}"
    if not isinstance(box, Mapping) or set(box) != {"E", "nonce", "ct"}:
        raise InvalidInput(f"{where}: expected the keys E, nonce, ct")
    sizes = {"E": 32, "nonce": 12, "ct": 48}
    out = {}
    for key, size in sizes.items():
        value = box[key]
        if (
            not isinstance(value, str)
            or len(value) != 2 * size
            or value != value.lower()
            or any(c not in "0123456789abcdef" for c in value)
        ):
            raise InvalidInput(f"{where}: {key} is not {size} bytes of lowercase hex")
        out[key] = value
    _point(bytes.fromhex(out["E"]), f"{where}: E")
    return out


@service
def post_boxes(
    db: Session,
    actor: Actor,
    ceremony: KeyCeremony,
    boxes: Mapping[int, Any],
    *,
    index: int | None = None,
    now: datetime,
) -> list[ShareBox]:
    """Step 3: the member's sealed shares, one box for every other member, all at once.

    Only after every member has published (the boxes are sealed to their keys). The server
    stores the boxes as they are: it cannot open them.
    """
    _pending(ceremony)
    require_role(db, actor, ceremony.congress, Role.COUNTING)
    seat = seat_of(db, ceremony, actor, index)
    waiting = [g.guardian_index for g in ceremony.members if g.commitments is None]
    if waiting:
        raise InvalidState(f"members {waiting} have not published their keys yet")
    i = seat.guardian_index
    expected = {g.guardian_index for g in ceremony.members} - {i}
    if set(boxes) != expected:
        raise InvalidInput(f"guardian {i} sends one box to each of {sorted(expected)}")
    already = [b for b in _boxes(db, ceremony) if b.from_index == i]
    checked = {j: _check_box(boxes[j], i, j) for j in sorted(boxes)}
    if already:
        if {b.to_index: b.box for b in already} == checked:
            return already
        raise Conflict(f"guardian {i} already posted its boxes")
    rows = [
        ShareBox(ceremony=ceremony, from_index=i, to_index=j, box=box, posted_at=now)
        for j, box in checked.items()
    ]
    db.add_all(rows)
    events.record(
        db,
        actor,
        "ceremony.boxes",
        ceremony,
        now=now,
        congress=ceremony.congress,
        data={"guardian": i, "to": sorted(checked)},
    )
    return rows


def _all_boxes_to(db: Session, ceremony: KeyCeremony, j: int) -> list[ShareBox]:
    boxes = [b for b in _boxes(db, ceremony) if b.to_index == j]
    if len(boxes) != ceremony.guardians - 1:
        raise InvalidState(f"guardian {j} has not received every share yet")
    return boxes


@service
def confirm_shares(
    db: Session, actor: Actor, ceremony: KeyCeremony, *, index: int | None = None, now: datetime
) -> KeyCeremony:
    """Step 4: the member checked every share it received. When it is the last one, the
    ceremony is completed (``record_ceremony_result``, which checks it all again)."""
    _pending(ceremony)
    congress = ceremony.congress
    require_role(db, actor, congress, Role.COUNTING)
    seat = seat_of(db, ceremony, actor, index)
    if seat.status is GuardianStatus.VERIFIED:
        return ceremony
    if seat.status is not GuardianStatus.COMMITTED:
        raise InvalidState(f"guardian {seat.guardian_index} has not published its keys")
    _all_boxes_to(db, ceremony, seat.guardian_index)
    seat.status = GuardianStatus.VERIFIED
    events.record(
        db,
        actor,
        "ceremony.confirm",
        ceremony,
        now=now,
        congress=congress,
        data={"guardian": seat.guardian_index},
    )
    if all(g.status is GuardianStatus.VERIFIED for g in ceremony.members):
        _complete(db, actor, ceremony, now)
    return ceremony


def _complete(db: Session, actor: Actor, ceremony: KeyCeremony, now: datetime) -> None:
    guardians = sorted(ceremony.members, key=lambda g: g.guardian_index)
    published = [
        crypto.GuardianCommitments.from_json(g.commitments, ceremony.threshold) for g in guardians
    ]
    records = []
    for g in guardians:
        if g.communication_key is None or g.commitments is None:  # pragma: no cover
            raise InvalidState(f"guardian {g.guardian_index} has not published")
        records.append(
            GuardianRecord(
                index=g.guardian_index,
                member=g.member,
                communication_key=g.communication_key,
                commitments=g.commitments,
                user=g.user,
                signing_key=g.signing_key,
            )
        )
    shares = {
        g.guardian_index: crypto.public_share(g.guardian_index, published).encode()
        for g in guardians
    }
    record_ceremony_result(
        db,
        actor,
        ceremony.congress,
        threshold=ceremony.threshold,
        guardians=records,
        joint_key=crypto.joint_key(published).encode(),
        public_shares=shares,
        now=now,
        ceremony=ceremony,
    )


@service
def complain(
    db: Session,
    actor: Actor,
    ceremony: KeyCeremony,
    *,
    dealer: int,
    reason: str,
    index: int | None = None,
    now: datetime,
) -> CeremonyComplaint:
    """Step 4, when a share fails: the member publishes a complaint against ``dealer`` and
    the run stops (``failed``). The board starts a new run without the faulty member."""
    _pending(ceremony)
    congress = ceremony.congress
    require_role(db, actor, congress, Role.COUNTING)
    seat = seat_of(db, ceremony, actor, index)
    text = (reason or "").strip()[:MAX_REASON]
    if not text:
        raise InvalidInput("a complaint says what failed")
    if not any(
        b.from_index == dealer and b.to_index == seat.guardian_index for b in _boxes(db, ceremony)
    ):
        raise InvalidInput(f"guardian {seat.guardian_index} received no box from {dealer}")
    complaint = CeremonyComplaint(
        ceremony=ceremony,
        complainant_index=seat.guardian_index,
        dealer_index=dealer,
        reason=text,
        posted_at=now,
    )
    db.add(complaint)
    seat.status = GuardianStatus.COMPLAINED
    ceremony.status = CeremonyStatus.FAILED
    events.record(
        db,
        actor,
        "ceremony.complaint",
        ceremony,
        now=now,
        congress=congress,
        data={"guardian": seat.guardian_index, "dealer": dealer, "reason": text},
    )
    return complaint


@service
def cancel_ceremony(
    db: Session, actor: Actor, ceremony: KeyCeremony, *, reason: str, now: datetime
) -> KeyCeremony:
    """Stop a pending run (a member cannot go on), so that a new one can start."""
    _pending(ceremony)
    require_role(db, actor, ceremony.congress, Role.COUNTING)
    text = (reason or "").strip()[:MAX_REASON]
    if not text:
        raise InvalidInput("a cancellation states its reason")
    ceremony.status = CeremonyStatus.FAILED
    events.record(
        db,
        actor,
        "ceremony.cancel",
        ceremony,
        now=now,
        congress=ceremony.congress,
        data={"reason": text},
    )
    return ceremony

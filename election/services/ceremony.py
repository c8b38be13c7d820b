"""The key ceremony's public result, recorded once per congress (PROTOCOL.md section 4).

The ceremony itself (guardians' devices exchanging encrypted shares through the server) is
``election.services.ceremony_relay``; this is the hook it ends in. ``record_ceremony_result``
does not take the server's word for the joint key: it checks every guardian's proofs of
knowledge and recomputes ``K`` and each public share ``K_j`` from the commitments (the
verifier's check V2) before storing them.
A round cannot open until a congress has a completed ceremony.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

import crypto
from election.errors import Conflict, InvalidInput, InvalidState
from election.models import (
    Body,
    BodyKind,
    BodyMember,
    CeremonyStatus,
    Congress,
    Guardian,
    GuardianStatus,
    KeyCeremony,
    Member,
    Role,
    ShareBox,
    User,
)
from election.services import events
from election.services.base import Actor, require_role, service

__all__ = ["GuardianRecord", "completed_ceremony", "record_ceremony_result"]


@dataclass(frozen=True)
class GuardianRecord:
    """What one guardian contributed, as the ceremony hands it over."""

    index: int
    member: Member
    communication_key: bytes
    #: ``GuardianCommitments.to_json()``: index, commitments, proofs.
    commitments: Mapping[str, Any]
    user: User | None = None
    #: The Ed25519 public key the member will sign the minutes with.
    signing_key: bytes | None = None
    #: The boxes this guardian sent, by recipient index: ``{"E", "nonce", "ct"}``.
    boxes: Mapping[int, Mapping[str, Any]] = field(default_factory=dict)


def completed_ceremony(db: Session, congress: Congress) -> KeyCeremony | None:
    """The congress's completed ceremony, if it has one."""
    return db.scalar(
        sa.select(KeyCeremony).where(
            KeyCeremony.congress_id == congress.id,
            KeyCeremony.status == CeremonyStatus.COMPLETED,
        )
    )


def _counting_board(db: Session, congress: Congress) -> set[int]:
    return set(
        db.scalars(
            sa.select(BodyMember.member_id)
            .join(Body, Body.id == BodyMember.body_id)
            .where(Body.congress_id == congress.id, Body.kind == BodyKind.COUNTING_BOARD)
        )
    )


@service
def record_ceremony_result(
    db: Session,
    actor: Actor,
    congress: Congress,
    *,
    threshold: int,
    guardians: Sequence[GuardianRecord],
    joint_key: bytes,
    public_shares: Mapping[int, bytes],
    now: datetime,
    ceremony: KeyCeremony | None = None,
) -> KeyCeremony:
    """Record a completed key ceremony after checking it.

    Guardians are numbered 1..n and are members of the counting board (when the congress
    has one); each one's commitments carry valid proofs bound to the congress id; ``K`` and
    every ``K_j`` must equal what the commitments give. Raises ``InvalidInput`` otherwise
    and ``Conflict`` if the congress already has a completed ceremony.

    ``ceremony`` (issue 6) is a pending run relayed by ``election.services.ceremony_relay``:
    its guardians and share boxes are already stored, so it is completed in place instead
    of a new row being added; the ``guardians`` given must be the stored ones.
    """
    require_role(db, actor, congress, Role.COUNTING)
    n = len(guardians)
    if not 1 <= threshold <= n:
        raise InvalidInput(f"threshold {threshold} is not between 1 and {n} guardians")
    if sorted(g.index for g in guardians) != list(range(1, n + 1)):
        raise InvalidInput("guardians are numbered 1..n, each once")
    if len({g.member.id for g in guardians}) != n:
        raise InvalidInput("a person is one guardian")
    board = _counting_board(db, congress)
    for g in guardians:
        if g.member.congress_id != congress.id:
            raise InvalidInput(f"guardian {g.index} is not on the roster of {congress.public_id}")
        if board and g.member.id not in board:
            raise InvalidInput(f"guardian {g.index} is not a member of the counting board")
    if completed_ceremony(db, congress) is not None:
        raise Conflict(f"{congress.public_id} already has a completed key ceremony")
    try:
        published = []
        for g in sorted(guardians, key=lambda g: g.index):
            crypto.check_public_credential(g.communication_key)
            if g.signing_key is not None:
                crypto.check_public_credential(g.signing_key)
            commitments = crypto.GuardianCommitments.from_json(dict(g.commitments), threshold)
            if commitments.index != g.index:
                raise InvalidInput(f"guardian {g.index} published commitments for another index")
            crypto.verify_commitments(congress.public_id, commitments)
            published.append(commitments)
        if crypto.joint_key(published).encode() != joint_key:
            raise InvalidInput("the joint key does not follow from the commitments")
        if sorted(public_shares) != list(range(1, n + 1)):
            raise InvalidInput("one public share per guardian")
        for j, share in public_shares.items():
            if crypto.public_share(j, published).encode() != share:
                raise InvalidInput(f"public share {j} does not follow from the commitments")
    except crypto.CryptoError as e:
        raise InvalidInput(f"the ceremony transcript does not verify: {e}") from e
    shares_json = {str(j): public_shares[j].hex() for j in sorted(public_shares)}
    if ceremony is not None:
        _complete_in_place(ceremony, congress, threshold, guardians, joint_key, shares_json, now)
    else:
        ceremony = _add_completed(db, congress, threshold, guardians, joint_key, shares_json, now)
    events.record(
        db,
        actor,
        "ceremony.complete",
        ceremony,
        now=now,
        congress=congress,
        data={
            "guardians": n,
            "threshold": threshold,
            "joint_key": joint_key.hex(),
            "members": [g.member.code for g in sorted(guardians, key=lambda g: g.index)],
        },
    )
    return ceremony


def _complete_in_place(
    ceremony: KeyCeremony,
    congress: Congress,
    threshold: int,
    guardians: Sequence[GuardianRecord],
    joint_key: bytes,
    public_shares: dict[str, str],
    now: datetime,
) -> None:
    """Complete a relayed ceremony whose guardians and boxes are stored (issue 6)."""
    if ceremony.congress_id != congress.id or ceremony.status is not CeremonyStatus.PENDING:
        raise InvalidState("only a pending ceremony of this congress can be completed")
    if (ceremony.guardians, ceremony.threshold) != (len(guardians), threshold):
        raise InvalidInput("the ceremony was started with another number of guardians")
    stored = {g.guardian_index: g for g in ceremony.members}
    for g in guardians:
        row = stored.get(g.index)
        if (
            row is None
            or row.member_id != g.member.id
            or row.communication_key != g.communication_key
            or row.signing_key != g.signing_key
            or row.commitments != dict(g.commitments)
        ):
            raise InvalidInput(f"guardian {g.index} differs from what the ceremony stored")
        row.status = GuardianStatus.VERIFIED
    ceremony.status = CeremonyStatus.COMPLETED
    ceremony.joint_key = joint_key
    ceremony.public_shares = public_shares
    ceremony.completed_at = now


def _add_completed(
    db: Session,
    congress: Congress,
    threshold: int,
    guardians: Sequence[GuardianRecord],
    joint_key: bytes,
    public_shares: dict[str, str],
    now: datetime,
) -> KeyCeremony:
    """A completed ceremony handed over whole (the command line, the tests)."""
    ceremony = KeyCeremony(
        congress=congress,
        guardians=len(guardians),
        threshold=threshold,
        status=CeremonyStatus.COMPLETED,
        joint_key=joint_key,
        public_shares=public_shares,
        started_at=now,
        completed_at=now,
    )
    db.add(ceremony)
    for g in guardians:
        db.add(
            Guardian(
                ceremony=ceremony,
                guardian_index=g.index,
                member=g.member,
                user=g.user,
                communication_key=g.communication_key,
                signing_key=g.signing_key,
                commitments=dict(g.commitments),
                status=GuardianStatus.VERIFIED,
            )
        )
        for to_index, box in g.boxes.items():
            db.add(
                ShareBox(
                    ceremony=ceremony,
                    from_index=g.index,
                    to_index=to_index,
                    box=dict(box),
                    posted_at=now,
                )
            )
    return ceremony

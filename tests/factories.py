"""Model factories for the database tests, in one place (warehouse style).

Setup objects are made through the services, as the system actor, so that a factory-made
congress passes the same checks a real one does; roster members and board entries, which
have no service of their own here, are inserted directly. ``scenario`` builds a congress
whose first round is one step from opening, and ``run_to`` drives a round to any state.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.orm import Session

import crypto
from election.models import (
    BoardEntry,
    Body,
    BodyKind,
    BodyRole,
    Congress,
    CongressKind,
    CongressSession,
    Contest,
    DelegateKind,
    Gender,
    KeyCeremony,
    Member,
    Membership,
    Position,
    Post,
    Role,
    Round,
    RoundState,
    RulesProfileId,
    SessionKind,
    VotingCredential,
)
from election.services import candidates as candidate_service
from election.services import ceremony, credentials, rounds, users
from election.services import congress as setup
from election.services.base import SYSTEM, Actor

#: The time every factory uses unless told otherwise (the demo congress's first morning).
NOW = datetime(2025, 6, 12, 1, 0, tzinfo=UTC)

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Đức", "Thu"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dung",
    "Đức",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hiếu",
    "Hòa",
    "Hùng",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Minh",
    "Nam",
    "Nga",
    "Phong",
    "Phúc",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trang",
    "Trung",
    "Tuấn",
    "Vân",
    "Việt",
    "Yến",
]

_numbers = itertools.count(1)


def later(minutes: int) -> datetime:
    return NOW + timedelta(minutes=minutes)


def public_key(n: int) -> bytes:
    """A deterministic honest public credential Y (an Ed25519 public key)."""
    seed = hashlib.sha256(f"dhvote-test-credential-{n}".encode()).digest()
    return (
        Ed25519PrivateKey.from_private_bytes(seed)
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )


def make_congress(
    db: Session,
    *,
    public_id: str | None = None,
    kind: CongressKind = CongressKind.MEMBERS,
    rules_profile: RulesProfileId = RulesProfileId.QD190_2024,
    **settings: Any,
) -> Congress:
    return setup.create_congress(
        db,
        SYSTEM,
        public_id=f"dh-test-{next(_numbers)}" if public_id is None else public_id,
        organization="Đảng bộ Sở Thử nghiệm tỉnh Vân Giang",
        ordinal=3,
        term="2025–2030",
        kind=kind,
        rules_profile=rules_profile,
        now=NOW,
        **settings,
    )


def make_member(
    db: Session,
    congress: Congress,
    *,
    code: str | None = None,
    full_name: str | None = None,
    birth_year: int = 1980,
    membership: Membership = Membership.OFFICIAL,
    delegate_kind: DelegateKind | None = None,
    **flags: Any,
) -> Member:
    """A roster member; every generated name is different (given names cycle first)."""
    n = next(_numbers)
    if full_name is None:
        given = GIVEN[n % len(GIVEN)]
        family = FAMILY[(n // len(GIVEN)) % len(FAMILY)]
        middle = MIDDLE[(n // (len(GIVEN) * len(FAMILY))) % len(MIDDLE)] + f" {n}"
        full_name = f"{family} {middle} {given}"
    words = full_name.split()
    if delegate_kind is None and congress.kind is CongressKind.DELEGATES:
        delegate_kind = DelegateKind.ELECTED
    if flags.get("absence_excused"):
        flags.setdefault("absence_reason", "Đi công tác")
    member = Member(
        congress=congress,
        code=code or f"M{n:05d}",
        full_name=full_name,
        family_name=words[0],
        middle_name=" ".join(words[1:-1]),
        given_name=words[-1],
        birth_year=birth_year,
        gender=Gender.MALE,
        membership=membership,
        delegate_kind=delegate_kind,
        created_at=NOW,
        **flags,
    )
    db.add(member)
    db.flush()
    return member


def make_members(db: Session, congress: Congress, count: int, **kwargs: Any) -> list[Member]:
    return [make_member(db, congress, **kwargs) for _ in range(count)]


def make_body(
    db: Session,
    congress: Congress,
    kind: BodyKind = BodyKind.EXECUTIVE_COMMITTEE,
    *,
    code: str | None = None,
    members: Sequence[Member] = (),
) -> Body:
    body = setup.add_body(
        db,
        SYSTEM,
        congress,
        code=code or f"{kind.value.replace('_', '-')}-{next(_numbers)}",
        kind=kind,
        name=f"Cơ quan {kind.value}",
        now=NOW,
    )
    for i, member in enumerate(members):
        role = BodyRole.HEAD if i == 0 and kind is BodyKind.COUNTING_BOARD else BodyRole.MEMBER
        setup.add_body_member(db, SYSTEM, body, member, role=role, now=NOW)
    return body


def make_sitting(
    db: Session, congress: Congress, number: int | None = None, *, body: Body | None = None
) -> CongressSession:
    return setup.add_session(
        db,
        SYSTEM,
        congress,
        number=number or next(_numbers),
        title="Phiên họp",
        kind=SessionKind.COMMITTEE_SESSION if body else SessionKind.PLENARY,
        body=body,
        now=NOW,
    )


def make_position(
    db: Session,
    congress: Congress,
    *,
    post: Post = Post.COMMITTEE,
    seats: int = 2,
    body: Body | None = None,
    chosen_from: Body | None = None,
    body_role: BodyRole = BodyRole.MEMBER,
) -> Position:
    return setup.add_position(
        db,
        SYSTEM,
        congress,
        code=f"position-{next(_numbers)}",
        title=f"Ủy viên ({post.value})",
        post=post,
        seats=seats,
        body=body or make_body(db, congress),
        body_role=body_role,
        chosen_from=chosen_from,
        now=NOW,
    )


def make_contest(
    db: Session,
    congress: Congress,
    position: Position,
    *,
    electorate: Body | None = None,
    direct: bool = False,
) -> Contest:
    n = next(_numbers)
    return setup.add_contest(
        db,
        SYSTEM,
        congress,
        code=f"contest-{n}",
        position=position,
        agenda_order=n,
        electorate=electorate,
        direct=direct,
        now=NOW,
    )


def recognise(db: Session, member: Member) -> None:
    credentials.review_member(db, SYSTEM, member, recognised=True, now=NOW)


def issue_credential(db: Session, member: Member, key: bytes | None = None) -> VotingCredential:
    """Recognise ``member`` (if not yet) and register a credential for them."""
    if member.review is None:
        recognise(db, member)
    return credentials.register_credential(
        db, SYSTEM, member, key or public_key(next(_numbers)), now=NOW
    )


def check_in(db: Session, members: Sequence[Member], sitting: CongressSession) -> None:
    for member in members:
        credentials.check_in(db, SYSTEM, member, sitting, now=NOW)


def make_actor(db: Session, congress: Congress, *roles: Role, username: str | None = None) -> Actor:
    """A user holding ``roles`` in ``congress``, acting in the first of them."""
    user = users.create_user(
        db,
        SYSTEM,
        username=username or f"user{next(_numbers)}",
        full_name="Người dùng thử",
        password="correct horse battery",
        now=NOW,
    )
    for role in roles:
        users.assign_role(db, SYSTEM, user, congress, role, now=NOW)
    return Actor.for_user(user, roles[0] if roles else None)


def make_ceremony(
    db: Session, congress: Congress, guardians: Sequence[Member], threshold: int | None = None
) -> KeyCeremony:
    """A real key ceremony's public result (random polynomials, real proofs)."""
    t = threshold or crypto.default_threshold(len(guardians))
    records, published = [], []
    for index, member in enumerate(guardians, start=1):
        commitments = crypto.Polynomial.random(t).commit(congress.public_id, index)
        published.append(commitments)
        records.append(
            ceremony.GuardianRecord(
                index=index,
                member=member,
                communication_key=(crypto.Scalar.random() * crypto.G).encode(),
                commitments=commitments.to_json(),
            )
        )
    shares = {j: crypto.public_share(j, published).encode() for j in range(1, len(guardians) + 1)}
    return ceremony.record_ceremony_result(
        db,
        SYSTEM,
        congress,
        threshold=t,
        guardians=records,
        joint_key=crypto.joint_key(published).encode(),
        public_shares=shares,
        now=NOW,
    )


@dataclass
class Scenario:
    """A congress whose contest has a checked draft first round, ready to open."""

    congress: Congress
    contest: Contest
    sitting: CongressSession
    round: Round
    voters: list[Member]
    candidates: list[Member]
    counting_board: list[Member]
    credentials: list[VotingCredential] = field(default_factory=list)


def scenario(
    db: Session,
    *,
    voters: int = 10,
    candidates: int = 3,
    seats: int = 2,
    post: Post = Post.COMMITTEE,
    kind: CongressKind = CongressKind.MEMBERS,
    ceremony_done: bool = True,
) -> Scenario:
    """``voters`` official members, all recognised, credentialed and checked in; the first
    ``candidates`` of them nominated for ``seats`` seats; the last three the counting board
    (and guardians of a completed key ceremony)."""
    congress = make_congress(db, kind=kind)
    people = make_members(db, congress, voters)
    board = people[-3:]
    make_body(db, congress, BodyKind.COUNTING_BOARD, members=board)
    sitting = make_sitting(db, congress, 1)
    position = make_position(db, congress, post=post, seats=seats)
    contest = make_contest(db, congress, position)
    issued = [issue_credential(db, member) for member in people]
    check_in(db, people, sitting)
    if ceremony_done:
        make_ceremony(db, congress, board)
    nominees = people[:candidates]
    for member in nominees:
        candidate_service.nominate(db, SYSTEM, contest, member, now=NOW)
    built = candidate_service.build_candidate_list(db, SYSTEM, contest, sitting=sitting, now=NOW)
    return Scenario(congress, contest, sitting, built.round, people, nominees, board, issued)


def add_ballots(db: Session, round_: Round, count: int) -> list[BoardEntry]:
    """``count`` board entries from the first eligible credentials (contents are dummies:
    these tests are about the database, not the ballots)."""
    entries = []
    for position, eligible in enumerate(round_.eligibility[:count], start=1):
        digest = hashlib.sha256(f"{round_.id}-{position}".encode()).digest()
        entry = BoardEntry(
            round_id=round_.id,
            position=position,
            credential_id=eligible.credential_id,
            ballot={"version": "dh-vote/v1", "position": position},
            ballot_hash=digest,
            chain_hash=digest * 2,
            receipt={"position": position},
            receipt_signature=bytes(64),
            received_at=later(position),
        )
        db.add(entry)
        entries.append(entry)
    db.commit()
    return entries


def decrypted_counts(round_: Round, ballots: int) -> list[int]:
    """Plausible decrypted counter values for ``ballots`` ballots on ``round_``'s form.

    Cross-out: one ballot invalid for keeping too many names (when there are ballots); the
    valid ones keep the first ``seats`` names, so those are elected when ``ballots`` is more
    than half of N. Agree/disagree: every valid ballot agrees to every name.
    """
    n = len(round_.candidates)
    if round_.form_kind.value == "cross_out":
        invalid = 1 if ballots else 0
        valid = ballots - invalid
        keeps = [valid if i < round_.seats else 0 for i in range(n)]
        return [*keeps, invalid, 0]
    if n == 1:
        return [ballots, 0, 0]
    return [value for _ in range(n) for value in (ballots, 0)]


def run_to(db: Session, round_: Round, state: RoundState, *, ballots: int = 8) -> Round:
    """Drive ``round_`` (a draft) to ``state`` through the services, as the system actor."""
    path = {
        RoundState.DRAFT: [],
        RoundState.OPEN: ["open"],
        RoundState.CLOSED: ["open", "close"],
        RoundState.TALLIED: ["open", "close", "tally"],
        RoundState.DECRYPTED: ["open", "close", "tally", "decrypt"],
        RoundState.ANNOUNCED: ["open", "close", "tally", "decrypt", "announce"],
        RoundState.APPROVED: ["open", "close", "tally", "decrypt", "announce", "approve"],
        RoundState.ANNULLED: ["open", "annul"],
    }[state]
    for step in path:
        if step == "open":
            rounds.open_round(db, SYSTEM, round_, now=later(10))
            add_ballots(db, round_, ballots)
        elif step == "close":
            rounds.close_round(db, SYSTEM, round_, now=later(20))
        elif step == "tally":
            form = crypto.form_for(round_.form_kind.value, len(round_.candidates), round_.seats)
            size = len(form.counters)
            sums = [(bytes([i + 1]) * 32, bytes([i + 2]) * 32) for i in range(size)]
            rounds.record_tally(db, SYSTEM, round_, sums, ballots=ballots, now=later(30))
        elif step == "decrypt":
            # Two of the three guardians: the default threshold.
            rounds.record_decryption(
                db,
                SYSTEM,
                round_,
                shares={j: {"guardian": j} for j in (1, 2)},
                counts=decrypted_counts(round_, ballots),
                now=later(40),
            )
        elif step == "announce":
            rounds.announce_result(db, SYSTEM, round_, now=later(50))
        elif step == "approve":
            rounds.approve_round(db, SYSTEM, round_, now=later(60))
        elif step == "annul":
            rounds.annul_round(db, SYSTEM, round_, reason="Sự cố kỹ thuật", now=later(60))
    return round_

"""Python stand-ins for the browsers of the counting board and of the booths, driving the
real services (issue 6 tests).

``Device`` is what a counting-board member's browser does (election/static/js/guardian/):
it draws the communication key, the polynomial and the minutes-signing key, publishes the
public parts, seals and opens the share boxes (ECIES), checks every received share against
its dealer's commitments, keeps ``s_j``, computes decryption shares of a recorded tally and
signs minutes. Every secret stays in the object; the services see only what a browser would
send. ``Voter`` is a delegate with a badge code the test generated and registered.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.orm import Session

import crypto
from election.models import Congress, KeyCeremony, Member, Role, Round, User
from election.services import ballotbox, ceremony_relay, credentials, rounds, serverkey, tally
from election.services.base import SYSTEM, Actor

__all__ = ["Device", "Voter", "count_round", "register_server_key", "run_ceremony"]


@dataclass
class Device:
    """One counting-board member's device (guardian ``index``)."""

    congress_id: str
    index: int
    threshold: int
    actor: Actor = SYSTEM
    communication: crypto.Scalar = field(default_factory=crypto.Scalar.random)
    signing: Ed25519PrivateKey = field(default_factory=Ed25519PrivateKey.generate)
    polynomial: crypto.Polynomial | None = None
    received: dict[int, crypto.Scalar] = field(default_factory=dict)
    secret_share: crypto.Scalar | None = None

    def __post_init__(self) -> None:
        self.polynomial = crypto.Polynomial.random(self.threshold)

    @property
    def seat(self) -> int | None:
        """The index the services need for the system actor (a user's seat is its own)."""
        return self.index if self.actor.is_system else None

    def publish(self, db: Session, ceremony: KeyCeremony, now: datetime) -> None:
        assert self.polynomial is not None
        ceremony_relay.publish_keys(
            db,
            self.actor,
            ceremony,
            communication_key=(self.communication * crypto.G).encode(),
            signing_key=self.signing.public_key().public_bytes_raw(),
            commitments=self.polynomial.commit(self.congress_id, self.index).to_json(),
            index=self.seat,
            now=now,
        )

    def seal(self, db: Session, ceremony: KeyCeremony, now: datetime) -> None:
        assert self.polynomial is not None
        boxes = {}
        for g in ceremony.members:
            j = g.guardian_index
            if j == self.index:
                continue
            assert g.communication_key is not None
            key = crypto.Point.decode(g.communication_key)
            boxes[j] = crypto.seal_share(
                self.congress_id, self.index, j, key, self.polynomial.evaluate(j)
            )
        ceremony_relay.post_boxes(db, self.actor, ceremony, boxes, index=self.seat, now=now)

    def check(self, db: Session, ceremony: KeyCeremony) -> list[int]:
        """Open and check every box addressed here; return the dealers whose share fails."""
        assert self.polynomial is not None
        failed = []
        for item in ceremony_relay.received_boxes(db, ceremony, self.index):
            dealer = crypto.GuardianCommitments.from_json(
                dict(item.commitments), ceremony.threshold
            )
            try:
                share = crypto.open_share(
                    self.congress_id, item.dealer, self.index, self.communication, dict(item.box)
                )
                crypto.verify_share(self.index, share, dealer)
            except crypto.CryptoError:
                failed.append(item.dealer)
                continue
            self.received[item.dealer] = share
        if not failed:
            s = self.polynomial.evaluate(self.index)
            for share in self.received.values():
                s = s + share
            self.secret_share = s
        return failed

    def decryption_share(self, round_: Round, counters: Sequence[tally.CounterSum]) -> Any:
        """The share of the recorded tally, as the browser computes and sends it (JSON)."""
        assert self.secret_share is not None and round_.round_hash is not None
        cts = [
            crypto.Ciphertext(crypto.Point.decode(c.a), crypto.Point.decode(c.b)) for c in counters
        ]
        return crypto.compute_share(round_.round_hash, self.index, self.secret_share, cts).to_json()

    def sign(self, data: dict[str, Any]) -> bytes:
        return self.signing.sign(crypto.minutes_message(data))


def run_ceremony(
    db: Session,
    congress: Congress,
    members: Sequence[Member],
    now: datetime,
    *,
    users: Sequence[User | None] | None = None,
    actors: Sequence[Actor] | None = None,
    threshold: int | None = None,
    starter: Actor = SYSTEM,
) -> dict[int, Device]:
    """A whole key ceremony through the relay: start, keys, boxes, checks, confirmations."""
    seats = list(zip(members, users or [None] * len(members), strict=True))
    ceremony = ceremony_relay.start_ceremony(
        db, starter, congress, seats=seats, threshold=threshold, now=now
    )
    devices = {
        i: Device(
            congress.public_id,
            i,
            ceremony.threshold,
            actor=actors[i - 1] if actors else SYSTEM,
        )
        for i in range(1, len(members) + 1)
    }
    for device in devices.values():
        device.publish(db, ceremony, now)
    for device in devices.values():
        device.seal(db, ceremony, now)
    for device in devices.values():
        assert device.check(db, ceremony) == []
        ceremony_relay.confirm_shares(db, device.actor, ceremony, index=device.seat, now=now)
    return devices


def register_server_key(db: Session, directory: Path, now: datetime) -> Ed25519PrivateKey:
    """The server's receipt key, created and registered as ``dhvote init-db`` does."""
    path = directory / serverkey.KEY_FILE_NAME
    serverkey.ensure_server_key(db, SYSTEM, path, now=now)
    return serverkey.load_private_key(path)


@dataclass
class Voter:
    """A delegate with a badge code (generated by the test, as the credentials desk does)."""

    member: Member
    key: crypto.CredentialKey

    @classmethod
    def register(cls, db: Session, congress: Congress, member: Member, now: datetime) -> Voter:
        key = crypto.CredentialKey(congress.public_id, crypto.generate_code())
        credentials.register_credential(db, SYSTEM, member, key.public, now=now)
        return cls(member, key)

    def cast(
        self,
        db: Session,
        round_: Round,
        choice: Sequence[int],
        server_key: Ed25519PrivateKey,
        now: datetime,
    ) -> ballotbox.Receipt:
        ctx = ballotbox.round_context(round_)
        ballot, _ = crypto.encrypt_ballot(ctx, choice, self.key)
        return ballotbox.cast_ballot(db, round_, ballot.to_json(), server_key=server_key, now=now)


def count_round(
    db: Session,
    round_: Round,
    devices: dict[int, Device],
    present: Sequence[int],
    now: datetime,
    *,
    actor: Actor = SYSTEM,
) -> None:
    """Close (as the presidium), tally and decrypt with the ``present`` members' shares."""
    rounds.close_round(db, actor, round_, now=now)
    sums = tally.compute_tally(db, actor, round_, now=now)
    for j in present:
        device = devices[j]
        tally.submit_share(
            db,
            device.actor,
            round_,
            device.decryption_share(round_, sums),
            index=device.seat,
            now=now,
        )


@dataclass
class Open:
    """A congress with a relayed key ceremony, a registered server key and an open round."""

    congress: Congress
    round: Round
    voters: list[Voter]
    devices: dict[int, Device]
    server_key: Ed25519PrivateKey
    board: list[Member]


def open_round(
    db: Session,
    directory: Path,
    *,
    voters: int = 8,
    names: int = 3,
    seats: int = 2,
    board: int = 5,
    threshold: int | None = None,
    congress: Congress | None = None,
    users: Sequence[User | None] | None = None,
) -> Open:
    """``voters`` official members, all credentialed with real badge keys and checked in,
    the first ``names`` on the list; the last ``board`` the counting board, seated in the
    ceremony with ``users`` (accounts; None for members driven as the system actor)."""
    from election.models import BodyKind
    from election.services import candidates
    from tests import factories
    from tests.factories import NOW, later

    congress = congress or factories.make_congress(db)
    people = factories.make_members(db, congress, voters)
    counting = people[-board:]
    factories.make_body(db, congress, BodyKind.COUNTING_BOARD, members=counting)
    sitting = factories.make_sitting(db, congress, 1)
    position = factories.make_position(db, congress, seats=seats)
    contest = factories.make_contest(db, congress, position)
    for member in people:
        factories.recognise(db, member)
    registered = [Voter.register(db, congress, member, NOW) for member in people]
    factories.check_in(db, people, sitting)
    server_key = register_server_key(db, directory, NOW)
    seated = list(users) if users is not None else [None] * board
    seated += [None] * (board - len(seated))
    actors = [SYSTEM if u is None else Actor.for_user(u, Role.COUNTING) for u in seated]
    devices = run_ceremony(
        db, congress, counting, NOW, threshold=threshold, users=seated, actors=actors
    )
    for member in people[:names]:
        candidates.nominate(db, SYSTEM, contest, member, now=NOW)
    built = candidates.build_candidate_list(db, SYSTEM, contest, sitting=sitting, now=NOW)
    round_ = rounds.open_round(db, SYSTEM, built.round, now=later(1))
    return Open(congress, round_, registered, devices, server_key, counting)

"""The database itself refuses bad data: unique keys, CHECKs, foreign keys, triggers.

Each test writes a row that breaks one constraint straight through the ORM (no service in
the way) and expects the database to refuse it, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import Session

from election.models import (
    Attendance,
    BallotComponent,
    BoardEntry,
    Congress,
    CredentialStatus,
    Event,
    Matter,
    Member,
    OpenVote,
    Position,
    Round,
    RoundState,
    VotingCredential,
)
from tests import factories as f


def refused(db: Session, write: Callable[[], object]) -> None:
    """``write`` must fail with an IntegrityError (or a DB-level error) at flush."""
    with pytest.raises((IntegrityError, sa.exc.DBAPIError)):
        write()
        db.flush()
    db.rollback()


def _open_round(db: Session) -> f.Scenario:
    s = f.scenario(db)
    f.run_to(db, s.round, RoundState.OPEN, ballots=2)
    return s


def _entry(round_: Round, credential_id: int, position: int, digest: bytes) -> BoardEntry:
    return BoardEntry(
        round_id=round_.id,
        position=position,
        credential_id=credential_id,
        ballot={"x": position},
        ballot_hash=digest,
        chain_hash=digest * 2,
        receipt={},
        receipt_signature=bytes(64),
        received_at=f.NOW,
    )


def test_one_ballot_per_credential_per_round(session: Session) -> None:
    s = _open_round(session)
    first = session.scalars(sa.select(BoardEntry)).first()
    assert first is not None
    refused(session, lambda: session.add(_entry(s.round, first.credential_id, 99, b"\x07" * 32)))


def test_one_ballot_per_board_position(session: Session) -> None:
    s = _open_round(session)
    free = s.round.eligibility[5].credential_id
    refused(session, lambda: session.add(_entry(s.round, free, 1, b"\x07" * 32)))


def test_no_ballot_twice_on_the_board(session: Session) -> None:
    s = _open_round(session)
    first = session.scalars(sa.select(BoardEntry)).first()
    assert first is not None
    free = s.round.eligibility[5].credential_id
    refused(session, lambda: session.add(_entry(s.round, free, 99, first.ballot_hash)))


def test_no_ciphertext_component_twice_in_a_round(session: Session) -> None:
    _open_round(session)
    first, second = session.scalars(sa.select(BoardEntry).order_by(BoardEntry.id)).all()
    session.add(BallotComponent(round_id=first.round_id, a=b"\x05" * 32, board_entry_id=first.id))
    session.flush()
    refused(
        session,
        lambda: session.add(
            BallotComponent(round_id=first.round_id, a=b"\x05" * 32, board_entry_id=second.id)
        ),
    )
    refused(session, lambda: session.add(BallotComponent(round_id=first.round_id, a=b"\x06" * 32)))


def test_board_and_event_log_are_append_only(session: Session) -> None:
    _open_round(session)
    for statement in (
        "UPDATE board_entries SET position = position + 100",
        "DELETE FROM board_entries",
        "UPDATE event_log SET actor = 'mallory'",
        "DELETE FROM event_log",
    ):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"):
            session.execute(sa.text(statement))
        session.rollback()
    assert session.scalar(sa.select(sa.func.count()).select_from(BoardEntry)) == 2


def test_a_public_key_is_used_once_per_congress(session: Session) -> None:
    congress = f.make_congress(session)
    a, b = f.make_members(session, congress, 2)
    key = f.public_key(1)
    f.issue_credential(session, a, key)
    refused(
        session,
        lambda: session.add(
            VotingCredential(
                congress_id=congress.id,
                member_id=b.id,
                public_key=key,
                status=CredentialStatus.ACTIVE,
                issued_at=f.NOW,
            )
        ),
    )


@pytest.mark.parametrize("size", [0, 31, 33, 64])
def test_a_public_key_is_32_bytes(session: Session, size: int) -> None:
    congress = f.make_congress(session)
    member = f.make_member(session, congress)
    refused(
        session,
        lambda: session.add(
            VotingCredential(
                congress_id=congress.id,
                member_id=member.id,
                public_key=b"\x01" * size,
                status=CredentialStatus.ACTIVE,
                issued_at=f.NOW,
            )
        ),
    )


def test_one_active_credential_per_person(session: Session) -> None:
    congress = f.make_congress(session)
    member = f.make_member(session, congress)
    f.issue_credential(session, member)
    refused(
        session,
        lambda: session.add(
            VotingCredential(
                congress_id=congress.id,
                member_id=member.id,
                public_key=f.public_key(77),
                status=CredentialStatus.ACTIVE,
                issued_at=f.NOW,
            )
        ),
    )


def test_a_revoked_credential_has_time_and_reason(session: Session) -> None:
    congress = f.make_congress(session)
    member = f.make_member(session, congress)
    credential = f.issue_credential(session, member)

    def revoke_without_reason() -> None:
        credential.status = CredentialStatus.REVOKED
        credential.revoked_at = f.NOW

    refused(session, revoke_without_reason)


def _vote(congress: Congress, **counts: int) -> OpenVote:
    values = {"present": 10, "agree": 6, "disagree": 2, "abstain": 1, "base_n": 10}
    values.update(counts)
    return OpenVote(
        congress=congress,
        subject=Matter.PROCEDURE,
        question="Bầu lại?",
        carried=2 * values["agree"] > values["base_n"],
        decided_at=f.NOW,
        **values,
    )


@pytest.mark.parametrize(
    "counts",
    [
        {"agree": 8, "disagree": 2, "abstain": 1},  # 11 votes from 10 present
        {"agree": -1},
        {"present": 0, "agree": 0, "disagree": 0, "abstain": 0},
        {"base_n": 0},
    ],
)
def test_open_vote_counts_add_up(session: Session, counts: dict[str, int]) -> None:
    congress = f.make_congress(session)
    refused(session, lambda: session.add(_vote(congress, **counts)))


def test_open_vote_result_follows_the_majority(session: Session) -> None:
    congress = f.make_congress(session)
    session.add(_vote(congress))
    session.flush()
    vote = _vote(congress, agree=5, disagree=5, abstain=0)
    vote.carried = True  # 2 * 5 = 10 is not more than N = 10
    refused(session, lambda: session.add(vote))


def test_seats_are_positive(session: Session) -> None:
    congress = f.make_congress(session)
    body = f.make_body(session, congress)
    position = session.get(Position, f.make_position(session, congress, body=body).id)
    assert position is not None

    def zero() -> None:
        position.seats = 0

    refused(session, zero)


def test_an_open_round_keeps_its_frozen_fields(session: Session) -> None:
    s = _open_round(session)

    def forget_hash() -> None:
        s.round.round_hash = None

    refused(session, forget_hash)


def test_a_draft_round_has_nothing_frozen(session: Session) -> None:
    s = f.scenario(session)

    def half_open() -> None:
        s.round.round_hash = b"\x01" * 64

    refused(session, half_open)


def test_a_further_round_needs_a_decision(session: Session) -> None:
    s = f.scenario(session)
    refused(
        session,
        lambda: session.add(
            Round(
                contest_id=s.contest.id,
                number=2,
                kind=s.round.kind,
                state=RoundState.DRAFT,
                seats=1,
                form_kind=s.round.form_kind,
                session_id=s.sitting.id,
                created_at=f.NOW,
            )
        ),
    )


def test_an_absence_has_a_reason(session: Session) -> None:
    congress = f.make_congress(session)
    member = f.make_member(session, congress)
    sitting = f.make_sitting(session, congress)
    refused(
        session,
        lambda: session.add(
            Attendance(session_id=sitting.id, member_id=member.id, present=False, recorded_at=f.NOW)
        ),
    )


def test_enumerations_are_checked_by_the_database(session: Session) -> None:
    congress = f.make_congress(session)
    member = f.make_member(session, congress)
    with pytest.raises(sa.exc.DBAPIError):
        session.execute(
            sa.text("UPDATE members SET membership = 'honorary' WHERE id = :id"), {"id": member.id}
        )
    session.rollback()


def test_foreign_keys_are_enforced(session: Session) -> None:
    congress = f.make_congress(session)
    refused(
        session,
        lambda: session.add(
            Attendance(session_id=999_999, member_id=999_999, present=True, recorded_at=f.NOW)
        ),
    )
    assert session.get(Congress, congress.id) is not None


def test_naive_times_are_refused(session: Session) -> None:
    congress = f.make_congress(session)
    member = f.make_member(session, congress)
    member.created_at = datetime(2025, 6, 12, 8, 0)  # naive: the point of the test
    with pytest.raises(StatementError, match="naive datetime"):
        session.flush()
    session.rollback()


def test_times_come_back_in_utc(session: Session) -> None:
    congress = f.make_congress(session)
    member_id = f.make_member(session, congress).id
    session.commit()
    session.expire_all()
    member = session.get(Member, member_id)
    assert member is not None
    assert member.created_at == f.NOW
    assert member.created_at.utcoffset() is not None


def test_json_is_stored_canonical(session: Session) -> None:
    s = _open_round(session)
    text = session.scalar(sa.text("SELECT manifest FROM rounds WHERE id = :id"), {"id": s.round.id})
    import crypto

    assert text.encode("utf-8") == crypto.canonical_json(s.round.manifest)
    event = session.scalars(sa.select(Event).order_by(Event.seq.desc())).first()
    assert event is not None and event.action == "round.open"

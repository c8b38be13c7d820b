"""Closing a round while ballots arrive (ATTACKS.md section 18), on SQLite and PostgreSQL.

The ballot box appends under the round's write lock (``ballotbox.lock_round``); closing
takes the same lock, so a close and an append never interleave.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from election.errors import IllegalTransition
from election.models import BoardEntry, Event, Round, RoundState
from election.services import ballotbox, rounds
from election.services.ballotbox import BallotRejected, Check
from election.services.base import SYSTEM
from tests.factories import later
from tests.services.test_ballotbox import open_box


def test_close_waits_for_the_append_in_flight_and_is_idempotent(
    committed_engine: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """T-18.c: the presidium closes while a delegate's ballot is being appended (the ballot
    box holds the round's lock). The close does not fail and does not slip in between: the
    append finishes with its receipt, the close counts it, a later cast is refused without a
    receipt, and closing again (a second click, a second operator) changes nothing."""
    engine = committed_engine
    setup = Session(engine, expire_on_commit=False)
    box = open_box(setup)
    round_id = box.round.id
    payload = box.ballot(0).to_json()
    late = box.ballot(1).to_json()

    appending, finish = threading.Event(), threading.Event()
    real_lock = ballotbox.lock_round
    outcome: dict[str, Any] = {}

    def lock_then_wait(db: Session, rid: int) -> Round:
        locked = real_lock(db, rid)
        if threading.current_thread().name == "cast":
            appending.set()
            assert finish.wait(10)
        return locked

    monkeypatch.setattr(ballotbox, "lock_round", lock_then_wait)

    def cast() -> None:
        with Session(engine, expire_on_commit=False) as db:
            round_ = db.get(Round, round_id)
            assert round_ is not None
            outcome["receipt"] = ballotbox.cast_ballot(
                db, round_, payload, server_key=box.server_key, now=later(6)
            )

    caster = threading.Thread(target=cast, name="cast")
    caster.start()
    assert appending.wait(30), "the cast never reached the ballot box's lock"
    # The presidium's request reads the round, then closes it, while the append is held.
    closer = Session(engine, expire_on_commit=False)
    round_ = closer.get(Round, round_id)
    assert round_ is not None and round_.state is RoundState.OPEN
    release = threading.Timer(0.5, finish.set)
    release.start()
    try:
        rounds.close_round(closer, SYSTEM, round_, now=later(7))
    finally:
        finish.set()
        release.cancel()
        caster.join(30)
    assert outcome["receipt"].body["position"] == 1

    def closed_events() -> list[Event]:
        with Session(engine) as db:
            return list(db.scalars(sa.select(Event).where(Event.action == "round.closed")))

    with Session(engine) as db:
        board = db.scalar(
            sa.select(sa.func.count())
            .select_from(BoardEntry)
            .where(BoardEntry.round_id == round_id)
        )
        stored = db.get(Round, round_id)
        assert stored is not None and stored.state is RoundState.CLOSED
        closed_at = stored.closed_at
    assert board == 1
    [event] = closed_events()
    assert event.data["ballots"] == 1  # the close counted the ballot it waited for

    with Session(engine, expire_on_commit=False) as db:
        stored = db.get(Round, round_id)
        assert stored is not None
        with pytest.raises(BallotRejected) as refused:
            ballotbox.cast_ballot(db, stored, late, server_key=box.server_key, now=later(8))
        assert refused.value.check is Check.ROUND_NOT_OPEN
        with pytest.raises(IllegalTransition):
            rounds.close_round(db, SYSTEM, stored, now=later(9))
    assert len(closed_events()) == 1
    with Session(engine) as db:
        stored = db.get(Round, round_id)
        assert stored is not None
        assert (stored.state, stored.closed_at) == (RoundState.CLOSED, closed_at)
        count = sa.select(sa.func.count()).select_from(BoardEntry)
        assert db.scalar(count.where(BoardEntry.round_id == round_id)) == 1
    closer.close()
    setup.close()

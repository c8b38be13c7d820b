"""Opening and closing the congress's sessions (khai mạc, bế mạc phiên họp).

The presidium opens a session when it begins and closes it when it ends; both are in the
event log. One session sits at a time, a session closes only after it opened and never
while a round voted in it is open, and a closed session stays closed. When every session
has closed, the congress has closed: that day starts the complaint period of R-INSP-4
(``inspection.congress_closed_on``), and ``agenda.current_sitting`` follows the session
that is sitting.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from election.errors import InvalidInput, InvalidState
from election.models import CongressSession, Role
from election.services import events
from election.services.agenda import open_round_of, sitting_now
from election.services.base import Actor, require_role, service

__all__ = ["close_session", "open_session"]


@service
def open_session(
    db: Session, actor: Actor, sitting: CongressSession, *, now: datetime
) -> CongressSession:
    """The presidium opens ``sitting``; refused if it has opened before or another sits."""
    require_role(db, actor, sitting.congress, Role.PRESIDIUM)
    if sitting.closed_at is not None:
        raise InvalidState(f"session {sitting.number} has closed; a closed session stays closed")
    if sitting.opened_at is not None:
        raise InvalidState(f"session {sitting.number} is already open")
    other = sitting_now(db, sitting.congress_id)
    if other is not None:
        raise InvalidState(f"session {other.number} is still sitting: close it first")
    sitting.opened_at = now
    events.record(
        db,
        actor,
        "session.open",
        sitting,
        now=now,
        congress=sitting.congress,
        data={"number": sitting.number},
    )
    return sitting


@service
def close_session(
    db: Session, actor: Actor, sitting: CongressSession, *, now: datetime
) -> CongressSession:
    """The presidium closes ``sitting``; refused before it opened or while a round voted in
    it is still open."""
    require_role(db, actor, sitting.congress, Role.PRESIDIUM)
    if sitting.opened_at is None:
        raise InvalidState(f"session {sitting.number} has not been opened")
    if sitting.closed_at is not None:
        raise InvalidState(f"session {sitting.number} has already closed")
    if now < sitting.opened_at:
        raise InvalidInput("a session cannot close before it opened")
    voting = open_round_of(db, sitting.congress)
    if voting is not None and voting.session_id == sitting.id:
        raise InvalidState(
            f"a round is still open in session {sitting.number}: end the voting first"
        )
    sitting.closed_at = now
    events.record(
        db,
        actor,
        "session.close",
        sitting,
        now=now,
        congress=sitting.congress,
        data={"number": sitting.number},
    )
    return sitting

"""Opening and closing sessions (election/services/sittings.py): one at a time, in the event
log, never closed under an open round; the last close is the day R-INSP-4's period starts."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from election.errors import InvalidInput, InvalidState, PermissionDenied
from election.models import Event, Role, RoundState
from election.services import agenda, inspection, rounds, sittings
from election.services.base import SYSTEM
from tests import factories as f


def _last_event(db: Session) -> Event:
    event = db.scalars(sa.select(Event).order_by(Event.seq.desc())).first()
    assert event is not None
    return event


def test_sessions_open_one_at_a_time_and_close_for_good(session: Session) -> None:
    congress = f.make_congress(session)
    first, second = f.make_sitting(session, congress, 1), f.make_sitting(session, congress, 2)
    with pytest.raises(InvalidState, match="has not been opened"):
        sittings.close_session(session, SYSTEM, first, now=f.NOW)

    sittings.open_session(session, SYSTEM, first, now=f.NOW)
    assert first.opened_at == f.NOW
    assert _last_event(session).action == "session.open"
    assert agenda.current_sitting(session, congress) is first
    with pytest.raises(InvalidState, match="already open"):
        sittings.open_session(session, SYSTEM, first, now=f.later(1))
    with pytest.raises(InvalidState, match="session 1 is still sitting"):
        sittings.open_session(session, SYSTEM, second, now=f.later(1))
    with pytest.raises(InvalidInput, match="before it opened"):
        sittings.close_session(session, SYSTEM, first, now=datetime(2000, 1, 1, tzinfo=UTC))

    sittings.close_session(session, SYSTEM, first, now=f.later(60))
    assert _last_event(session).action == "session.close"
    with pytest.raises(InvalidState, match="already closed"):
        sittings.close_session(session, SYSTEM, first, now=f.later(61))
    with pytest.raises(InvalidState, match="stays closed"):
        sittings.open_session(session, SYSTEM, first, now=f.later(61))
    sittings.open_session(session, SYSTEM, second, now=f.later(70))
    assert agenda.current_sitting(session, congress) is second


def test_only_the_presidium_opens_and_closes(session: Session) -> None:
    congress = f.make_congress(session)
    sitting = f.make_sitting(session, congress, 1)
    secretary = f.make_actor(session, congress, Role.SECRETARIAT)
    with pytest.raises(PermissionDenied):
        sittings.open_session(session, secretary, sitting, now=f.NOW)
    presidium = f.make_actor(session, congress, Role.PRESIDIUM)
    sittings.open_session(session, presidium, sitting, now=f.NOW)
    assert sitting.opened_at is not None


def test_a_session_does_not_close_while_its_round_is_open(session: Session) -> None:
    s = f.scenario(session)
    sittings.open_session(session, SYSTEM, s.sitting, now=f.NOW)
    f.run_to(session, s.round, RoundState.OPEN)
    with pytest.raises(InvalidState, match="end the voting first"):
        sittings.close_session(session, SYSTEM, s.sitting, now=f.later(30))
    assert s.sitting.closed_at is None
    rounds.close_round(session, SYSTEM, s.round, now=f.later(30))
    sittings.close_session(session, SYSTEM, s.sitting, now=f.later(31))
    assert s.sitting.closed_at is not None


def test_closing_the_last_session_starts_the_complaint_period(session: Session) -> None:
    congress = f.make_congress(session)
    first, second = f.make_sitting(session, congress, 1), f.make_sitting(session, congress, 2)
    friday = datetime(2025, 6, 13, 10, 0, tzinfo=UTC)  # 17:00 in Hà Nội
    sittings.open_session(session, SYSTEM, first, now=friday.replace(hour=1))
    sittings.close_session(session, SYSTEM, first, now=friday.replace(hour=4))
    assert inspection.congress_closed_on(session, congress) is None  # session 2 to come
    sittings.open_session(session, SYSTEM, second, now=friday.replace(hour=6))
    sittings.close_session(session, SYSTEM, second, now=friday)
    assert inspection.congress_closed_on(session, congress) == date(2025, 6, 13)

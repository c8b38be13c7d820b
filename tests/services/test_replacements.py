"""Alternates seated in place of absent official delegates (R-DELEG-1, R-HIGHER-4): who may
then vote, who is on the roster, what N becomes, and every refusal."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from election.errors import Conflict, InvalidInput, InvalidState, PermissionDenied
from election.models import CongressKind, DelegateKind, Event, Role, RoundState
from election.services import credentials, eligibility, export
from election.services.base import SYSTEM
from tests import factories as f

DECISION = "Quyết định số 12-QĐ/ĐU ngày 12/6 của Ban Chấp hành: đồng chí vắng vì ốm."


def _delegates(session: Session) -> tuple[f.Scenario, list]:
    s = f.scenario(session, kind=CongressKind.DELEGATES)
    alternates = [
        f.make_member(session, s.congress, delegate_kind=DelegateKind.ALTERNATE) for _ in range(2)
    ]
    for alternate in alternates:
        f.recognise(session, alternate)
    return s, alternates


def test_an_alternate_takes_an_absent_officials_seat(session: Session) -> None:
    s, (alternate, _) = _delegates(session)
    official = s.voters[3]
    before = eligibility.majority_base(session, s.contest, s.sitting)
    assert not eligibility.has_voting_right(alternate, s.congress)
    with pytest.raises(InvalidState, match="no right to vote"):
        credentials.register_credential(session, SYSTEM, alternate, f.public_key(999), now=f.NOW)

    # The seat must not have two voters: the official's badge is revoked first.
    with pytest.raises(InvalidState, match="revoke it first"):
        credentials.replace_delegate(
            session, SYSTEM, official, alternate, decision=DECISION, now=f.NOW
        )
    badge = credentials.active_credential(session, official)
    assert badge is not None
    credentials.revoke_credential(session, SYSTEM, badge, reason="Vắng mặt", now=f.NOW)
    replacement = credentials.replace_delegate(
        session, SYSTEM, official, alternate, decision=DECISION, now=f.later(1)
    )
    assert (replacement.official, replacement.alternate) == (official, alternate)
    event = session.scalars(sa.select(Event).order_by(Event.seq.desc())).first()
    assert event is not None and event.action == "delegate.replace"
    assert event.data == {
        "official": official.code,
        "alternate": alternate.code,
        "decision": DECISION,
    }

    # The alternate now votes and is on the roster in the official's place; N is unchanged.
    assert eligibility.has_voting_right(alternate, s.congress)
    assert not eligibility.has_voting_right(official, s.congress)
    convened = eligibility.electorate_members(session, s.contest)
    assert alternate in convened and official not in convened
    assert len(convened) == len(s.voters)
    credentials.register_credential(session, SYSTEM, alternate, f.public_key(998), now=f.later(2))
    credentials.check_in(session, SYSTEM, alternate, s.sitting, now=f.later(2))
    # Checked in, the alternate fills the seat: N is what it was with the official.
    after = eligibility.majority_base(session, s.contest, s.sitting)
    assert (after.n, after.convened) == (before.n, before.convened)
    eligible = {
        c.member_id for c in eligibility.eligible_credentials(session, s.contest, s.sitting)
    }
    assert alternate.id in eligible and official.id not in eligible
    # The record's count of entitled voters (V3) agrees with the electorate's.
    assert export.approved_delegates(session, s.congress) == len(s.voters)
    assert eligibility.entitled_count(session, s.contest) == len(s.voters)


def test_replacements_refuse_what_the_rules_do_not_allow(session: Session) -> None:
    s, (first, second) = _delegates(session)
    official, other = s.voters[3], s.voters[4]
    for member in (official, other):
        badge = credentials.active_credential(session, member)
        assert badge is not None
        credentials.revoke_credential(session, SYSTEM, badge, reason="Vắng mặt", now=f.NOW)

    with pytest.raises(InvalidInput, match="needs a reason"):
        credentials.replace_delegate(session, SYSTEM, official, first, decision=" ", now=f.NOW)
    with pytest.raises(InvalidInput, match="not an official delegate"):
        credentials.replace_delegate(session, SYSTEM, second, first, decision=DECISION, now=f.NOW)
    with pytest.raises(InvalidInput, match="not an alternate"):
        credentials.replace_delegate(session, SYSTEM, official, other, decision=DECISION, now=f.NOW)
    secretary = f.make_actor(session, s.congress, Role.SECRETARIAT)
    with pytest.raises(PermissionDenied):
        credentials.replace_delegate(
            session, secretary, official, first, decision=DECISION, now=f.NOW
        )

    credentials.replace_delegate(session, SYSTEM, official, first, decision=DECISION, now=f.NOW)
    with pytest.raises(Conflict, match="already been replaced"):
        credentials.replace_delegate(
            session, SYSTEM, official, second, decision=DECISION, now=f.NOW
        )
    with pytest.raises(Conflict, match="another delegate's place"):
        credentials.replace_delegate(session, SYSTEM, other, first, decision=DECISION, now=f.NOW)

    # Not while a round is open: its N and eligible list are frozen.
    f.run_to(session, s.round, RoundState.OPEN)
    with pytest.raises(InvalidState, match="a round is open"):
        credentials.replace_delegate(session, SYSTEM, other, second, decision=DECISION, now=f.NOW)


def test_only_at_a_delegates_congress(session: Session) -> None:
    s = f.scenario(session)
    member = f.make_member(session, s.congress)
    with pytest.raises(InvalidInput, match="delegates' congress"):
        credentials.replace_delegate(
            session, SYSTEM, s.voters[3], member, decision=DECISION, now=f.NOW
        )

"""Congress setup: the congress, bodies, sessions, positions and contests."""

from __future__ import annotations

from fractions import Fraction

import pytest
from sqlalchemy.orm import Session

from election.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from election.models import (
    BodyKind,
    BodyRole,
    CongressKind,
    PercentRounding,
    Post,
    Role,
    SessionKind,
)
from election.rules import Rounding
from election.services import congress as setup
from election.services.base import SYSTEM
from tests import factories as f


def test_create_congress_and_find_it(session: Session) -> None:
    congress = f.make_congress(session, public_id="dh-abc-2025")
    assert setup.get_congress(session, "dh-abc-2025") is congress
    assert setup.single_congress(session) is congress
    with pytest.raises(NotFound):
        setup.get_congress(session, "nope")
    with pytest.raises(Conflict):
        f.make_congress(session, public_id="dh-abc-2025")


@pytest.mark.parametrize("public_id", ["", "Có dấu", "with space", "UPPER", "x" * 65])
def test_congress_id_is_short_lowercase_ascii(session: Session, public_id: str) -> None:
    with pytest.raises(InvalidInput):
        f.make_congress(session, public_id=public_id)


def test_settings_override_the_rules_profile(session: Session) -> None:
    congress = f.make_congress(
        session, quorum_fraction="3/4", percent_rounding=PercentRounding.HALF_UP
    )
    profile = setup.congress_profile(congress)
    assert profile.majority.quorum_fraction == Fraction(3, 4)
    assert profile.percent.rounding is Rounding.HALF_UP
    assert setup.profile_overrides(congress) == {
        "majority": {"quorum_fraction": "3/4"},
        "percent": {"rounding": "half_up"},
    }


@pytest.mark.parametrize("fraction", ["0.66", "2/0", "3/2"])
def test_bad_settings_are_refused(session: Session, fraction: str) -> None:
    with pytest.raises(InvalidInput):
        f.make_congress(session, quorum_fraction=fraction)


def test_several_congresses_need_a_name(session: Session) -> None:
    with pytest.raises(NotFound):
        setup.single_congress(session)
    f.make_congress(session)
    f.make_congress(session)
    with pytest.raises(InvalidInput, match="several"):
        setup.single_congress(session)


def test_bodies_and_seats(session: Session) -> None:
    congress = f.make_congress(session)
    people = f.make_members(session, congress, 2)
    body = f.make_body(session, congress, BodyKind.PRESIDIUM, code="doan-chu-tich")
    seat = setup.add_body_member(session, SYSTEM, body, people[0], role=BodyRole.HEAD, now=f.NOW)
    assert seat.role is BodyRole.HEAD
    with pytest.raises(Conflict):
        setup.add_body_member(session, SYSTEM, body, people[0], now=f.NOW)
    with pytest.raises(Conflict):
        f.make_body(session, congress, BodyKind.PRESIDIUM, code="doan-chu-tich")
    other = f.make_congress(session)
    stranger = f.make_member(session, other)
    with pytest.raises(InvalidInput):
        setup.add_body_member(session, SYSTEM, body, stranger, now=f.NOW)
    assert setup.find_body(session, congress, "doan-chu-tich") is body


def test_sessions(session: Session) -> None:
    congress = f.make_congress(session)
    body = f.make_body(session, congress)
    plenary = f.make_sitting(session, congress, 1)
    committee = f.make_sitting(session, congress, 2, body=body)
    assert (plenary.kind, committee.kind) == (SessionKind.PLENARY, SessionKind.COMMITTEE_SESSION)
    with pytest.raises(Conflict):
        f.make_sitting(session, congress, 1)
    with pytest.raises(InvalidInput):
        setup.add_session(
            session,
            SYSTEM,
            congress,
            number=3,
            title="x",
            kind=SessionKind.COMMITTEE_SESSION,
            now=f.NOW,
        )


def test_contests_follow_the_rules_of_who_elects_what(session: Session) -> None:
    congress = f.make_congress(session)
    committee = f.make_body(session, congress)
    standing = f.make_position(session, congress, post=Post.STANDING_COMMITTEE, seats=3)
    # R-CONF-2: outside the pilot the committee elects its standing committee.
    with pytest.raises(InvalidInput, match="R-CONF-2"):
        f.make_contest(session, congress, standing)
    direct = f.make_contest(session, congress, standing, direct=True)
    assert direct.direct
    assert f.make_contest(session, congress, standing, electorate=committee).electorate is committee
    inspection = f.make_position(session, congress, post=Post.INSPECTION_COMMISSION, seats=3)
    with pytest.raises(InvalidInput):
        f.make_contest(session, congress, inspection, direct=True)


def test_a_congress_contest_is_owned_by_the_convening_committee(session: Session) -> None:
    congress = f.make_congress(session)
    convening = f.make_body(session, congress, BodyKind.CONVENING_COMMITTEE)
    contest = f.make_contest(session, congress, f.make_position(session, congress))
    assert contest.list_owner is convening


def test_setup_needs_the_secretariat(session: Session) -> None:
    congress = f.make_congress(session)
    presidium = f.make_actor(session, congress, Role.PRESIDIUM)
    with pytest.raises(PermissionDenied):
        setup.add_body(
            session, presidium, congress, code="x", kind=BodyKind.PRESIDIUM, name="x", now=f.NOW
        )
    secretariat = f.make_actor(session, congress, Role.SECRETARIAT)
    body = setup.add_body(
        session, secretariat, congress, code="x", kind=BodyKind.PRESIDIUM, name="Đoàn", now=f.NOW
    )
    assert body.code == "x"


def test_delegates_congress_assembly(session: Session) -> None:
    congress = f.make_congress(session, kind=CongressKind.DELEGATES)
    contest = f.make_contest(session, congress, f.make_position(session, congress))
    assert setup.assembly_of(contest).value == "delegates_congress"

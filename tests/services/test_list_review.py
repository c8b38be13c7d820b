"""A candidate list checked rule by rule for the secretariat's screen, and official
nominations added all or none (election/services/list_review.py)."""

from __future__ import annotations

from fractions import Fraction

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from election.errors import Conflict, InvalidState, PermissionDenied
from election.models import (
    BodyKind,
    CandidateSource,
    Membership,
    Nomination,
    Post,
    Role,
    RoundState,
)
from election.services import candidates, list_review
from election.services.base import SYSTEM
from tests import factories as f


def _nominations(session: Session) -> int:
    return int(session.scalar(sa.select(sa.func.count()).select_from(Nomination)) or 0)


def test_a_good_list(session: Session) -> None:
    s = f.scenario(session, voters=10, candidates=3, seats=2)
    review = list_review.review_list(session, s.contest)
    assert review.ok and review.abc_ok and review.editable
    assert review.draft == s.round and review.draft_current
    assert [e.member.id for e in review.entries] == [c.member_id for c in s.round.candidates]
    surplus = review.surplus
    assert (surplus.names, surplus.seats, surplus.surplus, surplus.max_surplus) == (3, 2, 1, 1)
    assert surplus.required and surplus.within_ceiling and surplus.in_band
    assert (surplus.band_low, surplus.band_high) == (Fraction(1, 5), Fraction(3, 10))


def test_proposed_names_are_checked_without_being_saved(session: Session) -> None:
    s = f.scenario(session, voters=10, candidates=3, seats=2)
    review = list_review.review_list(session, s.contest, proposed=[s.voters[4]])
    assert review.verdict_rule == "R-LIST-1"
    assert not review.surplus.within_ceiling
    assert [e.proposed for e in review.entries].count(True) == 1
    assert review.draft_current  # the stored nominations did not change
    assert _nominations(session) == 3


def test_ineligible_and_floor_nominees(session: Session) -> None:
    s = f.scenario(session, voters=10, candidates=3, seats=2)
    probationary = f.make_member(session, s.congress, membership=Membership.PROBATIONARY)
    review = list_review.review_list(session, s.contest, proposed=[probationary])
    (entry,) = [e for e in review.entries if e.proposed]
    assert not entry.official and not entry.eligible and not entry.ok
    assert review.verdict_rule == "R-LIST-6"

    presidium = f.make_actor(session, s.congress, Role.PRESIDIUM)
    floor = candidates.nominate(
        session,
        presidium,
        s.contest,
        s.voters[5],
        now=f.NOW,
        source=CandidateSource.FLOOR,
        nominator=s.voters[0],
    )
    review = list_review.review_list(session, s.contest)
    (pending,) = [e for e in review.entries if e.nomination == floor]
    assert pending.opinion is None and not pending.ok
    candidates.record_opinion_ballot(session, presidium, floor, agree=3, attending=10, now=f.NOW)
    review = list_review.review_list(session, s.contest)
    (checked,) = [e for e in review.entries if e.nomination == floor]
    assert checked.opinion is not None and checked.opinion.passes is False  # 30 % is not > 30 %
    assert review.verdict_rule == "R-LIST-3"


def test_a_post_chosen_from_a_body_not_elected_yet(session: Session) -> None:
    congress = f.make_congress(session)
    people = f.make_members(session, congress, 4)
    committee = f.make_body(session, congress, BodyKind.EXECUTIVE_COMMITTEE)
    position = f.make_position(
        session,
        congress,
        post=Post.STANDING_COMMITTEE,
        seats=3,
        body=f.make_body(session, congress, BodyKind.STANDING_COMMITTEE),
        chosen_from=committee,
    )
    contest = f.make_contest(session, congress, position, direct=True)
    review = list_review.review_list(session, contest, proposed=people)
    assert all(e.in_pool is False and not e.eligible for e in review.entries)
    assert review.verdict_rule == "R-DIRECT-2"


def test_nominate_official_all_or_none(session: Session) -> None:
    s = f.scenario(session, voters=10, candidates=3, seats=2)
    secretariat = f.make_actor(session, s.congress, Role.SECRETARIAT)
    with pytest.raises(Conflict):
        list_review.nominate_official(
            session, secretariat, s.contest, [s.voters[5], s.voters[0]], now=f.NOW
        )
    assert _nominations(session) == 3
    added = list_review.nominate_official(session, secretariat, s.contest, [s.voters[5]], now=f.NOW)
    assert [n.source for n in added] == [CandidateSource.OFFICIAL]
    assert s.voters[5] not in list_review.addable_members(session, s.contest)
    assert not list_review.review_list(session, s.contest).draft_current


def test_nominate_official_needs_the_secretariat_and_an_open_list(session: Session) -> None:
    s = f.scenario(session, voters=10, candidates=3, seats=2)
    presidium = f.make_actor(session, s.congress, Role.PRESIDIUM)
    with pytest.raises(PermissionDenied):
        list_review.nominate_official(session, presidium, s.contest, [s.voters[5]], now=f.NOW)
    f.run_to(session, s.round, RoundState.OPEN, ballots=0)
    with pytest.raises(InvalidState):
        list_review.nominate_official(session, SYSTEM, s.contest, [s.voters[5]], now=f.NOW)
    assert not list_review.review_list(session, s.contest).editable
    assert _nominations(session) == 3


def test_withdrawals_of_a_contest(session: Session) -> None:
    s = f.scenario(session, voters=10, candidates=3, seats=2)
    assert list_review.withdrawals(session, s.contest) == []

"""Nominations, opinion ballots, withdrawals, open votes and the checked candidate list."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from election.errors import Conflict, InvalidInput, InvalidState, PermissionDenied, RuleViolation
from election.models import (
    BodyKind,
    CandidateSource,
    FormKind,
    Matter,
    Membership,
    NominationStatus,
    Post,
    Role,
    RoundState,
)
from election.services import candidates
from election.services.base import SYSTEM
from tests import factories as f


def _setup(db: Session, seats: int = 3, post: Post = Post.COMMITTEE) -> tuple:  # type: ignore[type-arg]
    congress = f.make_congress(db)
    sitting = f.make_sitting(db, congress, 1)
    contest = f.make_contest(db, congress, f.make_position(db, congress, post=post, seats=seats))
    return congress, sitting, contest


def _named(db: Session, congress: f.Congress, *names: str) -> list[f.Member]:
    return [f.make_member(db, congress, full_name=name) for name in names]


def test_the_list_is_checked_and_put_in_abc_order(session: Session) -> None:
    congress, sitting, contest = _setup(session)
    people = _named(
        session, congress, "Trần Văn Dũng", "Nguyễn Thị Ánh", "Lê Văn Bình", "Phạm Văn Bình"
    )
    for person in people:
        candidates.nominate(session, SYSTEM, contest, person, now=f.NOW)
    built = candidates.build_candidate_list(session, SYSTEM, contest, sitting=sitting, now=f.NOW)
    round_ = built.round
    assert round_.state is RoundState.DRAFT and round_.number == 1
    assert round_.form_kind is FormKind.CROSS_OUT and round_.seats == 3
    # A-B-C by given name, then family name (R-LIST-10): Ánh, Bình (Lê), Bình (Phạm), Dũng.
    assert [c.member.full_name for c in round_.candidates] == [
        "Nguyễn Thị Ánh",
        "Lê Văn Bình",
        "Phạm Văn Bình",
        "Trần Văn Dũng",
    ]
    assert [c.ballot_order for c in round_.candidates] == [1, 2, 3, 4]


def test_a_list_without_surplus_for_the_committee_breaks_r_list_1(session: Session) -> None:
    congress, sitting, contest = _setup(session, seats=2)
    for person in f.make_members(session, congress, 2):
        candidates.nominate(session, SYSTEM, contest, person, now=f.NOW)
    with pytest.raises(RuleViolation) as raised:
        candidates.build_candidate_list(session, SYSTEM, contest, sitting=sitting, now=f.NOW)
    assert raised.value.rule_id == "R-LIST-1"
    assert contest.rounds == []


def test_a_single_name_gets_the_agree_disagree_form(session: Session) -> None:
    congress, sitting, contest = _setup(session, seats=1, post=Post.OFFICIAL_DELEGATES)
    candidates.nominate(session, SYSTEM, contest, f.make_member(session, congress), now=f.NOW)
    built = candidates.build_candidate_list(session, SYSTEM, contest, sitting=sitting, now=f.NOW)
    assert built.round.form_kind is FormKind.AGREE_DISAGREE


def test_probationary_members_cannot_stand(session: Session) -> None:
    congress, sitting, contest = _setup(session, seats=1, post=Post.OFFICIAL_DELEGATES)
    person = f.make_member(session, congress, membership=Membership.PROBATIONARY)
    candidates.nominate(session, SYSTEM, contest, person, now=f.NOW)
    with pytest.raises(RuleViolation) as raised:
        candidates.build_candidate_list(session, SYSTEM, contest, sitting=sitting, now=f.NOW)
    assert raised.value.rule_id == "R-LIST-6"


def test_floor_nominees_need_the_opinion_ballot(session: Session) -> None:
    congress, sitting, contest = _setup(session, seats=3)
    official = f.make_members(session, congress, 3)
    for person in official:
        candidates.nominate(session, SYSTEM, contest, person, now=f.NOW)
    nominee, nominator = f.make_members(session, congress, 2)
    floor = candidates.nominate(
        session,
        SYSTEM,
        contest,
        nominee,
        source=CandidateSource.FLOOR,
        nominator=nominator,
        now=f.NOW,
    )
    with pytest.raises(RuleViolation) as raised:
        candidates.build_candidate_list(session, SYSTEM, contest, sitting=sitting, now=f.NOW)
    assert raised.value.rule_id == "R-LIST-3"
    candidates.record_opinion_ballot(session, SYSTEM, floor, agree=3, attending=10, now=f.NOW)
    with pytest.raises(RuleViolation, match="not more than"):
        candidates.build_candidate_list(session, SYSTEM, contest, sitting=sitting, now=f.NOW)
    candidates.record_opinion_ballot(session, SYSTEM, floor, agree=4, attending=10, now=f.NOW)
    built = candidates.build_candidate_list(session, SYSTEM, contest, sitting=sitting, now=f.NOW)
    assert len(built.round.candidates) == 4


def test_convening_committee_members_stand_only_on_its_list(session: Session) -> None:
    congress, sitting, contest = _setup(session, seats=3)
    insider = f.make_member(session, congress)
    f.make_body(session, congress, BodyKind.CONVENING_COMMITTEE, members=[insider])
    contest = f.make_contest(session, congress, f.make_position(session, congress, seats=3))
    for person in f.make_members(session, congress, 3):
        candidates.nominate(session, SYSTEM, contest, person, now=f.NOW)
    entry = candidates.nominate(
        session, SYSTEM, contest, insider, source=CandidateSource.SELF, now=f.NOW
    )
    candidates.record_opinion_ballot(session, SYSTEM, entry, agree=9, attending=10, now=f.NOW)
    with pytest.raises(RuleViolation) as raised:
        candidates.build_candidate_list(session, SYSTEM, contest, sitting=sitting, now=f.NOW)
    assert raised.value.rule_id == "R-LIST-5"


def test_candidates_come_from_the_body_the_post_is_chosen_from(session: Session) -> None:
    congress = f.make_congress(session)
    inside = f.make_members(session, congress, 4)
    outside = f.make_member(session, congress)
    committee = f.make_body(session, congress, BodyKind.EXECUTIVE_COMMITTEE, members=inside)
    position = f.make_position(
        session, congress, post=Post.STANDING_COMMITTEE, seats=3, chosen_from=committee
    )
    contest = f.make_contest(session, congress, position, direct=True)
    sitting = f.make_sitting(session, congress, 1)
    for person in [*inside[:3], outside]:
        candidates.nominate(session, SYSTEM, contest, person, now=f.NOW)
    with pytest.raises(RuleViolation) as raised:
        candidates.build_candidate_list(session, SYSTEM, contest, sitting=sitting, now=f.NOW)
    assert raised.value.rule_id == "R-DIRECT-2"


def test_rebuilding_replaces_the_draft_until_it_opens(session: Session) -> None:
    s = f.scenario(session, post=Post.OFFICIAL_DELEGATES)
    extra = s.voters[3]
    candidates.nominate(session, SYSTEM, s.contest, extra, now=f.NOW)
    rebuilt = candidates.build_candidate_list(
        session, SYSTEM, s.contest, sitting=s.sitting, now=f.NOW
    )
    assert rebuilt.round.id == s.round.id and len(rebuilt.round.candidates) == 4
    f.run_to(session, s.round, RoundState.OPEN, ballots=0)
    with pytest.raises(InvalidState, match="fixed"):
        candidates.build_candidate_list(session, SYSTEM, s.contest, sitting=s.sitting, now=f.NOW)


def test_a_congress_contest_is_voted_in_a_plenary_session(session: Session) -> None:
    congress, _sitting, contest = _setup(session)
    body = f.make_body(session, congress)
    committee_session = f.make_sitting(session, congress, 2, body=body)
    with pytest.raises(InvalidInput, match="plenary"):
        candidates.build_candidate_list(
            session, SYSTEM, contest, sitting=committee_session, now=f.NOW
        )


def test_nomination_rules(session: Session) -> None:
    congress, _sitting, contest = _setup(session)
    a, b = f.make_members(session, congress, 2)
    candidates.nominate(session, SYSTEM, contest, a, now=f.NOW)
    with pytest.raises(Conflict):
        candidates.nominate(session, SYSTEM, contest, a, now=f.NOW)
    with pytest.raises(InvalidInput, match="nominator"):
        candidates.nominate(session, SYSTEM, contest, b, source=CandidateSource.FLOOR, now=f.NOW)
    with pytest.raises(InvalidInput, match="self-nomination"):
        candidates.nominate(
            session, SYSTEM, contest, b, source=CandidateSource.FLOOR, nominator=b, now=f.NOW
        )
    secretariat = f.make_actor(session, congress, Role.SECRETARIAT)
    with pytest.raises(PermissionDenied):
        candidates.nominate(
            session, secretariat, contest, b, source=CandidateSource.SELF, now=f.NOW
        )


def test_open_votes_and_withdrawals(session: Session) -> None:
    congress, _sitting, contest = _setup(session)
    person = f.make_member(session, congress)
    nomination = candidates.nominate(session, SYSTEM, contest, person, now=f.NOW)
    with pytest.raises(InvalidInput, match="present"):
        candidates.record_open_vote(
            session,
            SYSTEM,
            congress,
            subject=Matter.WITHDRAWAL,
            question="Cho rút?",
            present=10,
            agree=8,
            disagree=2,
            abstain=1,
            base_n=10,
            about=nomination,
            now=f.NOW,
        )
    refused = candidates.record_open_vote(
        session,
        SYSTEM,
        congress,
        subject=Matter.WITHDRAWAL,
        question="Cho rút?",
        present=10,
        agree=5,
        disagree=5,
        abstain=0,
        base_n=10,
        about=nomination,
        now=f.NOW,
    )
    assert not refused.carried and (refused.object_type, refused.object_id) == (
        "nominations",
        nomination.id,
    )
    kept = candidates.withdraw(
        session, SYSTEM, nomination, reason="Sức khỏe", decision=refused, now=f.NOW
    )
    assert not kept.allowed and nomination.status is NominationStatus.PROPOSED
    allowed = candidates.record_open_vote(
        session,
        SYSTEM,
        congress,
        subject=Matter.WITHDRAWAL,
        question="Cho rút?",
        present=10,
        agree=6,
        disagree=4,
        abstain=0,
        base_n=10,
        about=nomination,
        now=f.NOW,
    )
    candidates.withdraw(session, SYSTEM, nomination, reason="Sức khỏe", decision=allowed, now=f.NOW)
    assert nomination.status is NominationStatus.WITHDRAWN
    with pytest.raises(InvalidState):
        candidates.withdraw(session, SYSTEM, nomination, reason="x", decision=allowed, now=f.NOW)

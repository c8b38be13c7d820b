"""The presidium's read-side: agenda order, the sitting in progress, quorum, and the known
reasons a round cannot open (election/services/agenda.py)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from election.models import BodyKind, Matter, Post, Role, RoundState
from election.services import agenda, candidates, open_votes
from election.services.agenda import Blocker
from tests import factories as f


def test_agenda_puts_the_congress_first_and_flags_the_chain(session: Session) -> None:
    congress = f.make_congress(session)
    committee = f.make_body(session, congress, BodyKind.EXECUTIVE_COMMITTEE)
    standing_body = f.make_body(session, congress, BodyKind.STANDING_COMMITTEE)
    inspection_body = f.make_body(session, congress, BodyKind.INSPECTION_COMMISSION)
    standing = f.make_position(
        session,
        congress,
        post=Post.STANDING_COMMITTEE,
        seats=3,
        body=standing_body,
        chosen_from=committee,
    )
    inspection = f.make_position(
        session, congress, post=Post.INSPECTION_COMMISSION, seats=3, body=inspection_body
    )
    seats = f.make_position(session, congress, post=Post.COMMITTEE, seats=9, body=committee)
    # Agenda order as made: standing committee, inspection (committee session), committee.
    first = f.make_contest(session, congress, standing, direct=True)
    second = f.make_contest(session, congress, inspection, electorate=committee)
    third = f.make_contest(session, congress, seats)
    items = agenda.agenda(session, congress)
    assert [i.contest.id for i in items] == [first.id, third.id, second.id]
    assert [i.at_congress for i in items] == [True, True, False]
    # The standing committee comes before the committee it is chosen from (R-DIRECT-1).
    assert agenda.chain_warnings(items) == [third]


def test_quorum_of_the_sitting(session: Session) -> None:
    s = f.scenario(session, voters=10)
    state = agenda.quorum(session, s.congress, s.sitting)
    assert state is not None
    assert (state.present, state.n, state.required, state.met) == (10, 10, 7, True)
    later = f.make_sitting(session, s.congress)
    f.check_in(session, s.voters[:6], later)
    thin = agenda.quorum(session, s.congress, later)
    assert thin is not None
    assert (thin.present, thin.required, thin.met) == (6, 7, False)


def test_no_quorum_without_a_contest_or_a_roster(session: Session) -> None:
    congress = f.make_congress(session)
    sitting = f.make_sitting(session, congress)
    assert agenda.quorum(session, congress, sitting) is None
    assert agenda.current_sitting(session, congress) == sitting


def test_current_sitting_follows_the_record(session: Session) -> None:
    s = f.scenario(session)
    other = f.make_sitting(session, s.congress)
    # The latest attendance decides while no round is open ...
    f.check_in(session, s.voters[:1], other)
    assert agenda.current_sitting(session, s.congress) == other
    # ... and the open round's sitting wins.
    f.run_to(session, s.round, RoundState.OPEN, ballots=3)
    assert agenda.current_sitting(session, s.congress) == s.sitting
    assert agenda.open_round_of(session, s.congress) == s.round
    assert agenda.ballots_cast(session, s.round) == 3
    head = agenda.board_head(session, s.round)
    assert head is not None and len(head) == 64


def test_open_blockers(session: Session) -> None:
    ready = f.scenario(session)
    assert agenda.open_blockers(session, ready.round) == []
    no_key = f.scenario(session, ceremony_done=False)
    assert agenda.open_blockers(session, no_key.round) == [Blocker.NO_CEREMONY]
    f.run_to(session, ready.round, RoundState.OPEN, ballots=0)
    assert agenda.open_blockers(session, ready.round) == [Blocker.NOT_DRAFT]


def test_counting_board_on_the_list_blocks(session: Session) -> None:
    s = f.scenario(session, voters=4, candidates=4, seats=3)
    assert Blocker.COUNTING_BOARD_ON_LIST in agenda.open_blockers(session, s.round)


def test_quorum_and_eligibility_blockers(session: Session) -> None:
    s = f.scenario(session, voters=10)
    empty = f.make_sitting(session, s.congress)
    s.round.session = empty
    session.commit()
    blockers = agenda.open_blockers(session, s.round)
    assert Blocker.NO_QUORUM in blockers and Blocker.NOBODY_ELIGIBLE in blockers


def test_votes_about_a_contest(session: Session) -> None:
    s = f.scenario(session)
    presidium = f.make_actor(session, s.congress, Role.PRESIDIUM)
    counts = {"present": 10, "agree": 9, "disagree": 1, "abstain": 0}
    on_list = open_votes.put_to_vote(
        session,
        presidium,
        s.congress,
        subject=Matter.CANDIDATE_LIST,
        question="Danh sách",
        sitting=s.sitting,
        now=f.NOW,
        about=s.contest,
        contest=s.contest,
        **counts,
    )
    general = open_votes.put_to_vote(
        session,
        presidium,
        s.congress,
        subject=Matter.CONGRESS_ORGANS,
        question="Đoàn Chủ tịch",
        sitting=s.sitting,
        now=f.later(1),
        **counts,
    )
    nomination = candidates.standing_nominations(session, s.contest)[0]
    withdrawal = open_votes.decide_withdrawal(
        session,
        presidium,
        nomination,
        reason="Sức khỏe",
        question="Cho rút",
        sitting=s.sitting,
        now=f.later(2),
        **counts,
    )
    assert agenda.contest_votes(session, s.contest) == [on_list, withdrawal.decision]
    assert agenda.recent_votes(session, s.congress) == [withdrawal.decision, general, on_list]

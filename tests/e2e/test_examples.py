"""RULES.md section 15, Example 2 (a tie for the last seat), end to end through the
services with real encrypted ballots: the tie is never broken by the software; the
congress's recorded open vote leads to a further round limited to the tied candidates,
which decides the seat (R-RESULT-7)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from election.errors import RuleViolation
from election.models import (
    BodyKind,
    CandidateOutcome,
    CongressKind,
    Motion,
    Role,
    RoundKind,
    RoundOutcome,
    RoundState,
)
from election.services import candidates, export, open_votes, rounds
from election.services.base import SYSTEM
from election.verifier import verify
from tests import factories
from tests.e2e.support import Voter, count_round, register_server_key, run_ceremony
from tests.factories import NOW, later

pytestmark = pytest.mark.slow

#: Example 2's votes for A..K (9 seats, N = 82, threshold 42).
VOTES = [76, 74, 70, 66, 60, 55, 50, 44, 43, 43, 30]


def cross_out_ballots(
    votes: Sequence[int], valid: int, invalid: tuple[int, int]
) -> list[list[int]]:
    """``valid`` legal cross-out choices giving exactly ``votes`` per name, then the invalid
    ones (kept too many, struck every name). Names are dealt round-robin over the ballots,
    so no ballot keeps a name twice and every ballot keeps about the same number."""
    n = len(votes)
    ballots = [[0] * (n + 2) for _ in range(valid)]
    position = 0
    for name, count in enumerate(votes):
        for _ in range(count):
            ballots[position % valid][name] = 1
            position += 1
    assert all(1 <= sum(b[:n]) for b in ballots)
    over, none = invalid
    ballots += [[0] * n + [1, 0] for _ in range(over)]
    ballots += [[0] * n + [0, 1] for _ in range(none)]
    return ballots


def test_example_2_a_tie_for_the_last_seat_goes_to_a_restricted_further_round(
    session: Session, tmp_path: Path
) -> None:
    # A delegates' congress of 85 convened; 3 away for the whole congress, unreplaced
    # (N = 82, R-RESULT-3); 2 attended the opening session but not the vote (still in N).
    congress = factories.make_congress(session, kind=CongressKind.DELEGATES)
    people = factories.make_members(session, congress, 85)
    names, attended, absent = people[:11], people[:82], people[82:]
    present = people[:80]
    board = people[11:14]
    factories.make_body(session, congress, BodyKind.COUNTING_BOARD, members=board)
    opening = factories.make_sitting(session, congress, 1)
    voting = factories.make_sitting(session, congress, 2)
    position = factories.make_position(session, congress, seats=9)
    contest = factories.make_contest(session, congress, position)
    for member in people:
        factories.recognise(session, member)
    voters = {m.id: Voter.register(session, congress, m, NOW) for m in attended}
    factories.check_in(session, attended, opening)
    factories.check_in(session, present, voting)
    assert len(absent) == 3
    server_key = register_server_key(session, tmp_path, NOW)
    devices = run_ceremony(session, congress, board, NOW)
    for member in names:
        candidates.nominate(session, SYSTEM, contest, member, now=NOW)
    first = candidates.build_candidate_list(session, SYSTEM, contest, sitting=voting, now=NOW).round
    order = [c.member for c in first.candidates]  # A-B-C order: A..K are mapped onto it
    rounds.open_round(session, SYSTEM, first, now=later(1))
    assert first.majority_base is not None and first.majority_base["n"] == 82

    # 80 ballots: 78 valid with Example 2's votes, 1 kept too many names, 1 struck all.
    for member, choice in zip(present, cross_out_ballots(VOTES, 78, (1, 1)), strict=True):
        voters[member.id].cast(session, first, choice, server_key, later(2))
    count_round(session, first, devices, (1, 3), later(3))

    result = first.result
    assert result is not None
    assert (result.base_n, result.threshold, result.valid, result.invalid) == (82, 42, 78, 2)
    assert result.outcome is RoundOutcome.TIE_FOR_LAST_SEAT
    outcome = {line.candidate.member.id: line.outcome for line in result.candidates}
    tied = {order[8].id, order[9].id}  # I and J, 43 votes each
    assert {m for m, o in outcome.items() if o is CandidateOutcome.TIED} == tied
    assert sum(o is CandidateOutcome.ELECTED for o in outcome.values()) == 8
    # Nothing picks one of them: no age rule, no lot (R-NOTSTATE-1).
    assert all(outcome[m] is not CandidateOutcome.ELECTED for m in tied)

    rounds.announce_result(session, SYSTEM, first, now=later(4))
    rounds.approve_round(session, SYSTEM, first, now=later(5))
    presidium = factories.make_actor(session, congress, Role.PRESIDIUM)
    # New names are not allowed after a tie (R-RESULT-7).
    with pytest.raises(RuleViolation) as refused:
        open_votes.decide_further_round(
            session,
            presidium,
            first,
            motion=Motion.FURTHER_ROUND_NEW_NAMES,
            question="Bầu tiếp, có giới thiệu thêm người?",
            sitting=voting,
            present=80,
            agree=70,
            disagree=10,
            abstain=0,
            now=later(6),
        )
    assert refused.value.rule_id == "R-RESULT-7"
    decision = open_votes.decide_further_round(
        session,
        presidium,
        first,
        motion=Motion.FURTHER_ROUND,
        question="Bầu lại giữa hai đồng chí bằng phiếu cho 1 vị trí còn lại?",
        sitting=voting,
        present=80,
        agree=76,
        disagree=4,
        abstain=0,
        now=later(7),
    )
    second = decision.round
    assert second is not None
    assert (second.number, second.kind, second.seats) == (2, RoundKind.TIE_BREAK, 1)
    assert {c.member_id for c in second.candidates} == tied

    # Round 2: 80 issued and collected, 2 invalid, I 45, J 33 (I is elected: 90 > 82).
    rounds.open_round(session, SYSTEM, second, now=later(8))
    i_first = second.candidates[0].member_id == order[8].id
    i_votes, j_votes = [1, 0], [0, 1]
    choices = [[*(i_votes if i_first else j_votes), 0, 0]] * 45
    choices += [[*(j_votes if i_first else i_votes), 0, 0]] * 33
    choices += [[0, 0, 1, 0], [0, 0, 0, 1]]
    for member, choice in zip(present, choices, strict=True):
        voters[member.id].cast(session, second, choice, server_key, later(9))
    count_round(session, second, devices, (2, 3), later(10))
    final = second.result
    assert final is not None and final.outcome is RoundOutcome.ALL_SEATS_FILLED
    elected = [c for c in final.candidates if c.outcome is CandidateOutcome.ELECTED]
    assert [(c.candidate.member_id, c.votes) for c in elected] == [(order[8].id, 45)]
    assert second.state is RoundState.DECRYPTED

    # Both rounds' records pass the verifier but V11: the minutes are signed in the demo test.
    for round_ in (first, second):
        report = verify(export.round_record(session, round_), workers=1)
        assert report.failed == ("V11",), report.to_json("en")

"""What the hall screen may read: counts, and results only once announced
(election/services/hall.py; ATTACKS.md 9, T-9.b and T-9.d)."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

import crypto
from election.models import RoundState
from election.services import hall
from tests import factories as f


def test_snapshot_before_voting(session: Session) -> None:
    s = f.scenario(session, voters=10)
    snap = hall.snapshot(session, s.congress)
    assert snap.sitting == s.sitting
    assert snap.quorum is not None and snap.quorum.met
    assert snap.open_round is None and snap.results == ()


def test_open_round_is_counts_and_the_board_head(session: Session) -> None:
    s = f.scenario(session, voters=10)
    f.run_to(session, s.round, RoundState.OPEN, ballots=0)
    empty = hall.snapshot(session, s.congress).open_round
    assert empty is not None
    assert (empty.cast, empty.eligible) == (0, 10)
    assert empty.board_head == crypto.chain_genesis(s.round.round_hash or b"")
    entries = f.add_ballots(session, s.round, 4)
    counts = hall.snapshot(session, s.congress).open_round
    assert counts is not None
    assert (counts.cast, counts.board_head) == (4, entries[-1].chain_hash)


@pytest.mark.parametrize(
    "state", [RoundState.CLOSED, RoundState.TALLIED, RoundState.DECRYPTED, RoundState.ANNULLED]
)
def test_unannounced_results_are_never_read(session: Session, state: RoundState) -> None:
    s = f.scenario(session, voters=10)
    f.run_to(session, s.round, state, ballots=8)
    assert hall.released_result(session, s.round) is None
    assert hall.snapshot(session, s.congress).results == ()


@pytest.mark.parametrize("state", [RoundState.ANNOUNCED, RoundState.APPROVED])
def test_announced_results_in_ballot_order(session: Session, state: RoundState) -> None:
    s = f.scenario(session, voters=10, candidates=3, seats=2)
    f.run_to(session, s.round, state, ballots=8)
    (result,) = hall.snapshot(session, s.congress).results
    assert result.round_id == s.round.id
    assert (result.base_n, result.threshold, result.cast, result.valid) == (10, 6, 8, 7)
    assert [line.name for line in result.lines] == [c.member.full_name for c in s.round.candidates]
    assert [line.votes for line in result.lines] == [7, 7, 0]
    assert [line.elected for line in result.lines] == [True, True, False]

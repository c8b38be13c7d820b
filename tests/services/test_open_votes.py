"""Open votes put by the presidium, with N from the record (election/services/open_votes.py)."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from election.errors import InvalidInput, InvalidState, PermissionDenied
from election.models import (
    Matter,
    Motion,
    NominationStatus,
    OpenVote,
    Role,
    Round,
    RoundState,
    Withdrawal,
)
from election.services import candidates, open_votes
from tests import factories as f


def _counts(agree: int, disagree: int = 0, abstain: int = 0, present: int = 10) -> dict[str, Any]:
    return {"present": present, "agree": agree, "disagree": disagree, "abstain": abstain}


def _votes(session: Session) -> int:
    return int(session.scalar(sa.select(sa.func.count()).select_from(OpenVote)) or 0)


@pytest.fixture
def scene(session: Session) -> tuple[f.Scenario, Any]:
    s = f.scenario(session, voters=10)
    return s, f.make_actor(session, s.congress, Role.PRESIDIUM)


def test_n_comes_from_the_attendance_record(session: Session, scene: Any) -> None:
    s, presidium = scene
    vote = open_votes.put_to_vote(
        session,
        presidium,
        s.congress,
        subject=Matter.PROCEDURE,
        question="Thông qua chương trình",
        sitting=s.sitting,
        now=f.NOW,
        **_counts(6, 4),
    )
    assert (vote.base_n, vote.carried) == (10, True)
    half = open_votes.put_to_vote(
        session,
        presidium,
        s.congress,
        subject=Matter.PROCEDURE,
        question="Q",
        sitting=s.sitting,
        now=f.NOW,
        **_counts(5, 5),
    )
    assert half.carried is False  # 2 * 5 is not more than N = 10


@pytest.mark.parametrize(
    ("subject", "counts", "error"),
    [
        (Matter.COMMITTEE, _counts(9), InvalidInput),  # a secret-ballot matter (R-FORM-1)
        (Matter.PROCEDURE, _counts(9, present=11), InvalidInput),  # more present than N
        (Matter.PROCEDURE, _counts(9, 2), InvalidInput),  # more votes than present
    ],
)
def test_refusals_change_nothing(
    session: Session, scene: Any, subject: Matter, counts: dict[str, Any], error: type
) -> None:
    s, presidium = scene
    with pytest.raises(error):
        open_votes.put_to_vote(
            session,
            presidium,
            s.congress,
            subject=subject,
            question="Q",
            sitting=s.sitting,
            now=f.NOW,
            **counts,
        )
    assert _votes(session) == 0


def test_only_the_presidium_puts_questions(session: Session, scene: Any) -> None:
    s, _ = scene
    secretariat = f.make_actor(session, s.congress, Role.SECRETARIAT)
    with pytest.raises(PermissionDenied):
        open_votes.put_to_vote(
            session,
            secretariat,
            s.congress,
            subject=Matter.PROCEDURE,
            question="Q",
            sitting=s.sitting,
            now=f.NOW,
            **_counts(9),
        )


def test_no_vote_without_a_majority_base(session: Session) -> None:
    congress = f.make_congress(session)
    sitting = f.make_sitting(session, congress)
    presidium = f.make_actor(session, congress, Role.PRESIDIUM)
    with pytest.raises(InvalidState):
        open_votes.put_to_vote(
            session,
            presidium,
            congress,
            subject=Matter.CONGRESS_ORGANS,
            question="Q",
            sitting=sitting,
            now=f.NOW,
            **_counts(1, present=1),
        )


@pytest.mark.parametrize(("agree", "allowed"), [(8, True), (3, False)])
def test_withdrawal_vote_and_decision_together(
    session: Session, scene: Any, agree: int, allowed: bool
) -> None:
    s, presidium = scene
    nomination = candidates.standing_nominations(session, s.contest)[0]
    withdrawal = open_votes.decide_withdrawal(
        session,
        presidium,
        nomination,
        reason="Lý do sức khỏe",
        question="Cho rút khỏi danh sách",
        sitting=s.sitting,
        now=f.NOW,
        **_counts(agree, 10 - agree),
    )
    assert withdrawal.allowed is allowed
    assert withdrawal.decision.subject is Matter.WITHDRAWAL
    expected = NominationStatus.WITHDRAWN if allowed else NominationStatus.PROPOSED
    assert nomination.status is expected


def test_a_refused_withdrawal_records_no_vote(session: Session, scene: Any) -> None:
    s, presidium = scene
    nomination = candidates.standing_nominations(session, s.contest)[0]
    with pytest.raises(InvalidInput):
        open_votes.decide_withdrawal(
            session,
            presidium,
            nomination,
            reason="  ",
            question="Cho rút",
            sitting=s.sitting,
            now=f.NOW,
            **_counts(9),
        )
    assert _votes(session) == 0
    assert session.scalar(sa.select(sa.func.count()).select_from(Withdrawal)) == 0


def _further(session: Session, presidium: Any, s: f.Scenario, motion: Motion, agree: int) -> Any:
    return open_votes.decide_further_round(
        session,
        presidium,
        s.round,
        motion=motion,
        question="Bầu lại",
        sitting=s.sitting,
        now=f.later(70),
        **_counts(agree, 10 - agree),
    )


def test_a_carried_vote_after_an_annulled_round_drafts_the_next(
    session: Session, scene: Any
) -> None:
    s, presidium = scene
    f.run_to(session, s.round, RoundState.ANNULLED, ballots=2)
    decision = _further(session, presidium, s, Motion.FURTHER_ROUND, 9)
    assert decision.vote.carried is True and decision.vote.subject is Matter.PROCEDURE
    assert decision.round is not None
    assert (decision.round.number, decision.round.state) == (2, RoundState.DRAFT)
    assert decision.round.decision == decision.vote


@pytest.mark.parametrize(("motion", "agree"), [(Motion.FURTHER_ROUND, 4), (Motion.STOP, 9)])
def test_no_round_when_not_carried_or_stopping(
    session: Session, scene: Any, motion: Motion, agree: int
) -> None:
    s, presidium = scene
    f.run_to(session, s.round, RoundState.ANNULLED, ballots=2)
    decision = _further(session, presidium, s, motion, agree)
    assert decision.round is None
    assert _votes(session) == 1
    assert session.scalar(sa.select(sa.func.count()).select_from(Round)) == 1


def test_a_round_that_cannot_follow_leaves_no_vote(session: Session, scene: Any) -> None:
    s, presidium = scene
    with pytest.raises(InvalidState):
        _further(session, presidium, s, Motion.FURTHER_ROUND, 9)  # the round is a draft
    assert _votes(session) == 0

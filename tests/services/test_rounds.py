"""The round state machine: every legal move, every illegal one, and what opening freezes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

import crypto
from election.errors import (
    IllegalTransition,
    InvalidInput,
    InvalidState,
    PermissionDenied,
    ReleaseNeedsDecision,
    RuleViolation,
)
from election.models import (
    BodyKind,
    BodyMember,
    CandidateOutcome,
    Event,
    Matter,
    Membership,
    Motion,
    Post,
    ResultState,
    Role,
    Round,
    RoundEligibility,
    RoundKind,
    RoundOutcome,
    RoundState,
)
from election.services import candidates, credentials, rounds
from election.services import congress as setup
from election.services.base import SYSTEM
from tests import factories as f

S = RoundState


def _attempt(db: Session, round_: Round, target: RoundState) -> None:
    """Try to move ``round_`` to ``target`` through the service that does that move."""
    moves: dict[RoundState, Callable[[], Any]] = {
        S.OPEN: lambda: rounds.open_round(db, SYSTEM, round_, now=f.later(90)),
        S.CLOSED: lambda: rounds.close_round(db, SYSTEM, round_, now=f.later(90)),
        S.TALLIED: lambda: rounds.record_tally(db, SYSTEM, round_, [], ballots=0, now=f.later(90)),
        S.DECRYPTED: lambda: rounds.record_decryption(
            db, SYSTEM, round_, shares={}, counts=[], now=f.later(90)
        ),
        S.ANNOUNCED: lambda: rounds.announce_result(db, SYSTEM, round_, now=f.later(90)),
        S.APPROVED: lambda: rounds.approve_round(db, SYSTEM, round_, now=f.later(90)),
        S.ANNULLED: lambda: rounds.annul_round(db, SYSTEM, round_, reason="thử", now=f.later(90)),
    }
    moves[target]()


def _events(db: Session) -> int:
    return db.scalar(sa.select(sa.func.count()).select_from(Event)) or 0


LEGAL = [(state, target) for state, targets in rounds.TRANSITIONS.items() for target in targets]


def test_the_machine_has_the_documented_shape() -> None:
    assert set(rounds.TRANSITIONS) == set(RoundState)
    assert sorted((a.value, b.value) for a, b in LEGAL) == sorted(
        [
            ("draft", "open"),
            ("open", "closed"),
            ("open", "annulled"),
            ("closed", "tallied"),
            ("closed", "annulled"),
            ("tallied", "decrypted"),
            ("tallied", "annulled"),
            ("decrypted", "announced"),
            ("announced", "approved"),
            ("announced", "annulled"),
        ]
    )
    assert not rounds.TRANSITIONS[S.APPROVED] and not rounds.TRANSITIONS[S.ANNULLED]


@pytest.mark.parametrize(("state", "target"), LEGAL, ids=[f"{a}->{b}" for a, b in LEGAL])
def test_every_legal_move_changes_state_and_logs_one_event(
    session: Session, state: RoundState, target: RoundState
) -> None:
    s = f.scenario(session)
    f.run_to(session, s.round, state, ballots=6)
    before = _events(session)
    if target is S.TALLIED:
        form = crypto.form_for(s.round.form_kind.value, 3, 2)
        sums = [(b"\x01" * 32, b"\x02" * 32)] * len(form.counters)
        rounds.record_tally(session, SYSTEM, s.round, sums, ballots=6, now=f.later(90))
    elif target is S.DECRYPTED:
        rounds.record_decryption(
            session,
            SYSTEM,
            s.round,
            shares={1: {}, 2: {}},
            counts=f.decrypted_counts(s.round, 6),
            now=f.later(90),
        )
    else:
        _attempt(session, s.round, target)
    session.expire_all()
    assert session.get(Round, s.round.id).state is target  # type: ignore[union-attr]
    assert _events(session) == before + 1
    last = session.scalars(sa.select(Event).order_by(Event.seq.desc())).first()
    assert last is not None
    assert last.action == f"round.{target.value}"
    assert last.data["from"] == state.value and last.data["to"] == target.value
    assert last.actor == "system"


@pytest.mark.parametrize("state", list(RoundState))
def test_every_illegal_move_raises_and_changes_nothing(session: Session, state: RoundState) -> None:
    s = f.scenario(session)
    f.run_to(session, s.round, state, ballots=6)
    illegal = [t for t in RoundState if t not in rounds.TRANSITIONS[state] and t is not S.DRAFT]
    assert illegal
    for target in illegal:
        before = _events(session)
        with pytest.raises(IllegalTransition) as raised:
            _attempt(session, s.round, target)
        assert (raised.value.current, raised.value.target) == (state.value, target.value)
        session.expire_all()
        assert session.get(Round, s.round.id).state is state  # type: ignore[union-attr]
        assert _events(session) == before


def test_moves_need_the_right_role(session: Session) -> None:
    s = f.scenario(session)
    counting = f.make_actor(session, s.congress, Role.COUNTING)
    with pytest.raises(PermissionDenied):
        rounds.open_round(session, counting, s.round, now=f.NOW)
    presidium = f.make_actor(session, s.congress, Role.PRESIDIUM)
    rounds.open_round(session, presidium, s.round, now=f.later(5))
    assert s.round.state is S.OPEN
    last = session.scalars(sa.select(Event).order_by(Event.seq.desc())).first()
    assert last is not None and (last.actor, last.role) == (presidium.username, "presidium")


def test_a_role_from_another_congress_does_not_count(session: Session) -> None:
    s = f.scenario(session)
    elsewhere = f.make_congress(session)
    outsider = f.make_actor(session, elsewhere, Role.PRESIDIUM)
    with pytest.raises(PermissionDenied):
        rounds.open_round(session, outsider, s.round, now=f.NOW)


# --------------------------------------------------------------------------- opening


def test_opening_freezes_and_hashes_the_eligible_list(session: Session) -> None:
    s = f.scenario(session)
    rounds.open_round(session, SYSTEM, s.round, now=f.later(5))
    frozen = session.scalars(
        sa.select(RoundEligibility).where(RoundEligibility.round_id == s.round.id)
    ).all()
    keys = [e.credential.public_key for e in frozen]
    assert len(keys) == s.round.eligible_count == 10
    assert s.round.eligible_list_hash == crypto.credential_list_hash(keys)
    assert s.round.round_hash == crypto.round_hash(s.round.manifest)
    manifest = s.round.manifest
    assert manifest["congress"]["id"] == s.congress.public_id
    assert manifest["group"] == crypto.GROUP_NAME
    assert manifest["eligible"] == {"count": 10, "hash": s.round.eligible_list_hash.hex()}
    assert manifest["form"] == crypto.form_for("cross_out", 3, 2).to_json()
    assert [c["id"] for c in manifest["contest"]["candidates"]] == [
        c.member.code for c in s.round.candidates
    ]
    assert manifest["rules"]["profile"] == "QD190_2024"


def test_a_credential_registered_after_opening_is_not_eligible(session: Session) -> None:
    s = f.scenario(session)
    latecomer = f.make_member(session, s.congress)
    f.recognise(session, latecomer)
    f.check_in(session, [latecomer], s.sitting)
    rounds.open_round(session, SYSTEM, s.round, now=f.later(5))
    frozen_hash = s.round.eligible_list_hash
    late = credentials.register_credential(
        session, SYSTEM, latecomer, f.public_key(424242), now=f.later(6)
    )
    session.expire_all()
    round_ = session.get(Round, s.round.id)
    assert round_ is not None
    ids = {e.credential_id for e in round_.eligibility}
    assert late.id not in ids
    assert round_.eligible_count == 10
    assert round_.eligible_list_hash == frozen_hash


def test_only_checked_in_recognised_voters_with_active_credentials_are_eligible(
    session: Session,
) -> None:
    s = f.scenario(session)
    absent, refused, revoked = s.voters[3], s.voters[4], s.voters[5]
    credentials.record_attendance(
        session, SYSTEM, absent, s.sitting, present=False, reason="Ốm", now=f.later(1)
    )
    credentials.review_member(
        session, SYSTEM, refused, recognised=False, reason="Không đủ tư cách", now=f.later(1)
    )
    credentials.revoke_credential(
        session, SYSTEM, s.credentials[5], reason="Mất thẻ", now=f.later(1)
    )
    probationary = f.make_member(session, s.congress, membership=Membership.PROBATIONARY)
    f.check_in(session, [probationary], s.sitting)
    rounds.open_round(session, SYSTEM, s.round, now=f.later(5))
    eligible = {e.credential.member_id for e in s.round.eligibility}
    assert eligible == {v.id for v in s.voters} - {absent.id, refused.id, revoked.id}


def test_a_round_needs_a_completed_key_ceremony(session: Session) -> None:
    s = f.scenario(session, ceremony_done=False)
    with pytest.raises(InvalidState, match="key ceremony"):
        rounds.open_round(session, SYSTEM, s.round, now=f.later(5))
    assert s.round.state is S.DRAFT
    assert s.round.round_hash is None


def test_a_round_needs_a_quorum(session: Session) -> None:
    s = f.scenario(session)
    for voter in s.voters[:4]:
        credentials.record_attendance(
            session, SYSTEM, voter, s.sitting, present=False, reason="Vắng", now=f.later(1)
        )
    with pytest.raises(RuleViolation) as raised:
        rounds.open_round(session, SYSTEM, s.round, now=f.later(5))
    assert raised.value.rule_id == "R-QUORUM-1"
    session.expire_all()
    assert session.get(Round, s.round.id).state is S.DRAFT  # type: ignore[union-attr]


def test_a_counting_board_member_on_the_list_blocks_opening(session: Session) -> None:
    s = f.scenario(session, candidates=3)
    board = next(b for b in s.congress.bodies if b.kind is BodyKind.COUNTING_BOARD)
    setup.add_body_member(session, SYSTEM, board, s.candidates[0], now=f.NOW)
    with pytest.raises(RuleViolation) as raised:
        rounds.open_round(session, SYSTEM, s.round, now=f.later(5))
    assert raised.value.rule_id == "R-COUNT-1"


def test_only_one_round_is_open_at_a_time(session: Session) -> None:
    s = f.scenario(session)
    position = f.make_position(session, s.congress, post=Post.OFFICIAL_DELEGATES, seats=1)
    other = f.make_contest(session, s.congress, position)
    for member in s.voters[3:5]:
        candidates.nominate(session, SYSTEM, other, member, now=f.NOW)
    second = candidates.build_candidate_list(
        session, SYSTEM, other, sitting=s.sitting, now=f.NOW
    ).round
    rounds.open_round(session, SYSTEM, s.round, now=f.later(5))
    with pytest.raises(InvalidState, match="another round"):
        rounds.open_round(session, SYSTEM, second, now=f.later(6))
    rounds.close_round(session, SYSTEM, s.round, now=f.later(7))
    rounds.open_round(session, SYSTEM, second, now=f.later(8))
    assert second.state is S.OPEN


# --------------------------------------------------------------------------- counting


def test_the_tally_must_match_the_form_and_the_board(session: Session) -> None:
    s = f.scenario(session)
    f.run_to(session, s.round, S.CLOSED, ballots=4)
    good = [(b"\x01" * 32, b"\x02" * 32)] * 5
    with pytest.raises(InvalidInput, match="counters"):
        rounds.record_tally(session, SYSTEM, s.round, good[:4], ballots=4, now=f.later(30))
    with pytest.raises(InvalidInput, match="board holds 4"):
        rounds.record_tally(session, SYSTEM, s.round, good, ballots=5, now=f.later(30))
    with pytest.raises(InvalidInput, match="32-byte"):
        rounds.record_tally(
            session, SYSTEM, s.round, [(b"\x01", b"\x02")] * 5, ballots=4, now=f.later(30)
        )
    assert s.round.state is S.CLOSED
    rounds.record_tally(session, SYSTEM, s.round, good, ballots=4, now=f.later(30))
    assert s.round.state is S.TALLIED


def test_decryption_lets_the_rules_decide(session: Session) -> None:
    s = f.scenario(session)
    f.run_to(session, s.round, S.DECRYPTED, ballots=8)
    result = s.round.result
    assert result is not None
    assert result.state is ResultState.COUNTED
    assert result.outcome is RoundOutcome.ALL_SEATS_FILLED
    assert (result.issued, result.cast_ballots, result.valid, result.invalid) == (10, 8, 7, 1)
    assert (result.base_n, result.threshold) == (10, 6)
    outcomes = [line.outcome for line in result.candidates]
    assert outcomes == [
        CandidateOutcome.ELECTED,
        CandidateOutcome.ELECTED,
        CandidateOutcome.NO_MAJORITY,
    ]
    assert result.tally["invalid"] == {"too_many_kept": 1}
    assert {step["rule_id"] for step in result.trace} >= {"R-RESULT-2", "R-RESULT-5"}
    # The stored base and counts decide the same way again (what the verifier's V9 does).
    elected = tuple(c.member.code for c in s.round.candidates[:2])
    assert rounds.rules_result(s.round).elected == elected


def test_decryption_needs_the_threshold_of_guardians(session: Session) -> None:
    s = f.scenario(session)
    f.run_to(session, s.round, S.TALLIED, ballots=4)
    with pytest.raises(InvalidInput, match="2 are needed"):
        rounds.record_decryption(
            session, SYSTEM, s.round, shares={1: {}}, counts=[3, 3, 0, 1, 0], now=f.later(40)
        )
    with pytest.raises(InvalidInput, match="no guardian"):
        rounds.record_decryption(
            session, SYSTEM, s.round, shares={1: {}, 7: {}}, counts=[3, 3, 0, 1, 0], now=f.later(40)
        )
    assert s.round.state is S.TALLIED


def test_impossible_counts_are_a_rule_violation(session: Session) -> None:
    s = f.scenario(session)
    f.run_to(session, s.round, S.TALLIED, ballots=4)
    # Four valid ballots cannot keep only two names in all (each keeps at least one).
    with pytest.raises(RuleViolation) as raised:
        rounds.record_decryption(
            session, SYSTEM, s.round, shares={1: {}, 2: {}}, counts=[1, 1, 0, 0, 0], now=f.NOW
        )
    assert raised.value.rule_id == "R-BALLOT-3"
    session.expire_all()
    round_ = session.get(Round, s.round.id)
    assert round_ is not None and round_.state is S.TALLIED and round_.result is None


def test_approval_seats_the_elected_in_their_body(session: Session) -> None:
    s = f.scenario(session)
    f.run_to(session, s.round, S.APPROVED, ballots=8)
    body_id = s.contest.position.body_id
    seated = set(
        session.scalars(sa.select(BodyMember.member_id).where(BodyMember.body_id == body_id))
    )
    # decrypted_counts elects the first names in ballot order (R-LIST-10's A-B-C order of
    # the generated names), which need not be the nomination order.
    assert seated == {c.member_id for c in s.round.candidates[: s.round.seats]}
    assert len(seated) == 2
    assert s.round.result is not None and s.round.result.state is ResultState.ANNOUNCED


def test_annulling_an_announced_round_annuls_its_result(session: Session) -> None:
    s = f.scenario(session)
    f.run_to(session, s.round, S.ANNOUNCED, ballots=8)
    with pytest.raises(InvalidInput, match="reason"):
        rounds.annul_round(session, SYSTEM, s.round, reason=" ", now=f.later(70))
    rounds.annul_round(session, SYSTEM, s.round, reason="Vi phạm thủ tục", now=f.later(70))
    assert s.round.state is S.ANNULLED
    assert s.round.result is not None and s.round.result.state is ResultState.ANNULLED
    assert s.round.annul_reason == "Vi phạm thủ tục"


# --------------------------------------------------------------------------- further rounds


def _decision(db: Session, s: f.Scenario, about: Round, motion: Motion, agree: int = 8) -> Any:
    return candidates.record_open_vote(
        db,
        SYSTEM,
        s.congress,
        subject=Matter.PROCEDURE,
        question="Bầu tiếp?",
        present=10,
        agree=agree,
        disagree=10 - agree,
        abstain=0,
        base_n=10,
        about=about,
        motion=motion,
        now=f.later(80),
    )


def test_a_tie_leads_to_a_tie_break_round_on_the_tied_names(session: Session) -> None:
    s = f.scenario(session, candidates=3, seats=2)
    f.run_to(session, s.round, S.TALLIED, ballots=8)
    # 8 ballots: the first name on all, the other two on 4 each; one seat left for two.
    rounds.record_decryption(
        session, SYSTEM, s.round, shares={1: {}, 2: {}}, counts=[8, 4, 4, 0, 0], now=f.NOW
    )
    assert s.round.result is not None
    assert s.round.result.outcome is RoundOutcome.ELECTED_FEWER_THAN_PLANNED
    rounds.announce_result(session, SYSTEM, s.round, now=f.later(50))
    rounds.approve_round(session, SYSTEM, s.round, now=f.later(60))
    with pytest.raises(InvalidInput, match="procedure"):
        rounds.create_further_round(
            session,
            SYSTEM,
            s.round,
            decision=candidates.record_open_vote(
                session,
                SYSTEM,
                s.congress,
                subject=Matter.WITHDRAWAL,
                question="?",
                present=10,
                agree=8,
                disagree=2,
                abstain=0,
                base_n=10,
                about=s.round,
                now=f.later(70),
            ),
            sitting=s.sitting,
            now=f.later(80),
        )
    decision = _decision(session, s, s.round, Motion.FURTHER_ROUND)
    second = rounds.create_further_round(
        session, SYSTEM, s.round, decision=decision, sitting=s.sitting, now=f.later(81)
    )
    assert (second.number, second.kind, second.seats) == (2, RoundKind.FURTHER, 1)
    assert {c.member_id for c in second.candidates} == {c.member_id for c in s.round.candidates[1:]}
    assert second.decision_id == decision.id


def test_no_further_round_without_a_carried_decision(session: Session) -> None:
    s = f.scenario(session)
    f.run_to(session, s.round, S.TALLIED, ballots=8)
    rounds.record_decryption(
        session, SYSTEM, s.round, shares={1: {}, 2: {}}, counts=[8, 4, 4, 0, 0], now=f.NOW
    )
    rounds.announce_result(session, SYSTEM, s.round, now=f.later(50))
    rounds.approve_round(session, SYSTEM, s.round, now=f.later(60))
    decision = _decision(session, s, s.round, Motion.FURTHER_ROUND, agree=5)
    with pytest.raises(RuleViolation) as raised:
        rounds.create_further_round(
            session, SYSTEM, s.round, decision=decision, sitting=s.sitting, now=f.later(81)
        )
    assert raised.value.rule_id == "R-RESULT-8"


def test_an_annulled_round_is_repeated_on_the_same_list(session: Session) -> None:
    s = f.scenario(session)
    f.run_to(session, s.round, S.ANNULLED, ballots=2)
    decision = _decision(session, s, s.round, Motion.FURTHER_ROUND)
    again = rounds.create_further_round(
        session, SYSTEM, s.round, decision=decision, sitting=s.sitting, now=f.later(81)
    )
    assert (again.number, again.kind, again.seats) == (2, RoundKind.FIRST, 2)
    assert [c.member_id for c in again.candidates] == [c.member_id for c in s.round.candidates]
    f.run_to(session, again, S.OPEN, ballots=1)
    assert again.round_hash != s.round.round_hash


# ----------------------------------------------------------- small-group guard (ATTACKS T-9.c)


def _decrypted_with(session: Session, ballots: int) -> f.Scenario:
    s = f.scenario(session)
    f.run_to(session, s.round, S.TALLIED, ballots=ballots)
    rounds.record_decryption(
        session,
        SYSTEM,
        s.round,
        shares={1: {}, 2: {}},
        counts=[ballots, ballots - 1, 1, 0, 0],
        now=f.NOW,
    )
    return s


def test_a_result_of_too_few_ballots_is_not_announced_without_a_decision(
    session: Session,
) -> None:
    # T-9.c: 3 ballots (< 5): the counts could show how each of the three voted.
    s = _decrypted_with(session, 3)
    before = _events(session)
    with pytest.raises(ReleaseNeedsDecision) as raised:
        rounds.announce_result(session, SYSTEM, s.round, now=f.later(50))
    assert (raised.value.cast, raised.value.minimum) == (3, 5)
    with pytest.raises(ReleaseNeedsDecision):
        rounds.announce_result(session, SYSTEM, s.round, now=f.later(50), release_reason="   ")
    for reason in ("quá ngắn", "x" * 501):
        with pytest.raises(InvalidInput, match="10 to 500 characters"):
            rounds.announce_result(session, SYSTEM, s.round, now=f.later(50), release_reason=reason)
    session.expire_all()
    assert s.round.state is S.DECRYPTED
    assert _events(session) == before

    reason = "Đoàn Chủ tịch quyết định công bố: đây là phiên họp đầu tiên của Ban Thường vụ."
    rounds.announce_result(session, SYSTEM, s.round, now=f.later(50), release_reason=reason)
    assert s.round.state is S.ANNOUNCED
    last = session.scalars(sa.select(Event).order_by(Event.seq.desc())).first()
    assert last is not None and last.action == "round.announced"
    assert last.data["small_group_release"] == {"cast": 3, "minimum": 5, "reason": reason}


def test_the_small_group_guard_follows_its_setting(session: Session) -> None:
    s = _decrypted_with(session, 5)
    # 5 ballots meet the default minimum: no decision needed, none recorded.
    rounds.announce_result(session, SYSTEM, s.round, now=f.later(50))
    last = session.scalars(sa.select(Event).order_by(Event.seq.desc())).first()
    assert last is not None and "small_group_release" not in last.data

    other = _decrypted_with(session, 5)
    with pytest.raises(ReleaseNeedsDecision):
        rounds.announce_result(session, SYSTEM, other.round, now=f.later(50), min_ballots=6)
    tiny = _decrypted_with(session, 2)
    rounds.announce_result(session, SYSTEM, tiny.round, now=f.later(50), min_ballots=0)
    assert tiny.round.state is S.ANNOUNCED

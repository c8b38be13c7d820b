"""A badge re-issued before a round opens, through to the ballot box (ATTACKS.md section 17).

The round's eligible list freezes when the round opens (PROTOCOL.md section 5), so a badge
re-issued before that is what the round's list holds. Ballots here are real: encrypted,
proven and signed with the badges' keys.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.orm import Session

import crypto
from election.errors import Conflict, InvalidInput, PermissionDenied
from election.models import BodyKind, CredentialStatus, Event, Role
from election.services import ballotbox, candidates, credentials, rounds
from election.services.ballotbox import BallotRejected, Check
from election.services.base import SYSTEM
from tests import factories as f
from tests.services.test_ballotbox import Signer


def test_a_reissue_before_the_round_opens_replaces_the_credential(session: Session) -> None:
    """T-17.a: delegate 0 reports the badge lost and gets a new one before the round opens.
    The round's frozen list holds the new public credential and not the old one; the old
    badge can neither start a booth session nor cast, the new badge casts."""
    congress = f.make_congress(session)
    people = f.make_members(session, congress, 6)
    board = people[-3:]
    f.make_body(session, congress, BodyKind.COUNTING_BOARD, members=board)
    sitting = f.make_sitting(session, congress, 1)
    contest = f.make_contest(session, congress, f.make_position(session, congress, seats=1))
    signers = [Signer(f"{congress.public_id}-{i}") for i in range(len(people))]
    pairs = zip(people, signers, strict=True)
    issued = [f.issue_credential(session, member, key.public) for member, key in pairs]
    f.check_in(session, people, sitting)
    f.make_ceremony(session, congress, board)
    for member in people[:2]:
        candidates.nominate(session, SYSTEM, contest, member, now=f.NOW)
    built = candidates.build_candidate_list(session, SYSTEM, contest, sitting=sitting, now=f.NOW)

    lost, new_badge = signers[0], Signer(f"{congress.public_id}-0-reissued")
    new = credentials.reissue_credential(
        session, SYSTEM, issued[0], new_badge.public, reason="Đại biểu báo mất thẻ", now=f.later(1)
    )
    assert issued[0].status is CredentialStatus.REVOKED and new.replaces is issued[0]
    round_ = rounds.open_round(session, SYSTEM, built.round, now=f.later(2))

    frozen = [e.credential.public_key for e in round_.eligibility]
    assert new_badge.public in frozen and lost.public not in frozen
    assert len(frozen) == round_.eligible_count == len(people)
    assert round_.eligible_list_hash == crypto.credential_list_hash(frozen)

    with pytest.raises(BallotRejected) as refused:
        ballotbox.open_round_for(session, congress.id, lost.public.hex())
    assert refused.value.check is Check.NOT_ELIGIBLE
    assert ballotbox.open_round_for(session, congress.id, new_badge.public.hex()) is round_

    ctx = ballotbox.round_context(round_)
    server_key = Ed25519PrivateKey.generate()
    choice = [1] + [0] * (len(ctx.form.counters) - 1)  # the first name; nothing invalid
    old_ballot, _ = crypto.encrypt_ballot(ctx, choice, lost)  # type: ignore[arg-type]
    with pytest.raises(BallotRejected) as refused:
        ballotbox.cast_ballot(
            session, round_, old_ballot.to_json(), server_key=server_key, now=f.later(3)
        )
    assert refused.value.check is Check.NOT_ELIGIBLE
    assert ballotbox.turnout(session, round_) == (0, len(people))
    new_ballot, _ = crypto.encrypt_ballot(ctx, choice, new_badge)  # type: ignore[arg-type]
    receipt = ballotbox.cast_ballot(
        session, round_, new_ballot.to_json(), server_key=server_key, now=f.later(3)
    )
    assert receipt.body["position"] == 1
    assert ballotbox.turnout(session, round_) == (1, len(people))


def test_a_reissue_while_a_round_is_open_needs_the_presidium_and_is_published(
    session: Session,
) -> None:
    """T-17.b: once a round is open its list of credentials is frozen. Re-issuing a badge
    then is refused without a logged presidium decision, and changes nothing; with the
    decision it goes through once, uses the decision up, and the round's public board lists
    it (the two public credentials and the decision, no name)."""
    s = f.scenario(session, voters=6)
    round_ = rounds.open_round(session, SYSTEM, s.round, now=f.later(1))
    member, old = s.voters[0], s.credentials[0]
    desk = f.make_actor(session, s.congress, Role.CREDENTIALS)
    presidium = f.make_actor(session, s.congress, Role.PRESIDIUM)
    new_key = f.public_key(900)

    def count(action: str) -> int:
        return len(list(session.scalars(sa.select(Event).where(Event.action == action))))

    with pytest.raises(credentials.ReissueNeedsDecision, match="presidium"):
        credentials.reissue_credential(
            session, desk, old, new_key, reason="Báo mất thẻ", now=f.later(2)
        )
    assert old.status is CredentialStatus.ACTIVE
    assert credentials.active_credential(session, member) is old
    assert count("credential.reissue") == 0 and credentials.reissues_during(session, round_) == []

    # Only the presidium decides, with a reason, for a member who has a badge to replace.
    with pytest.raises(PermissionDenied):
        credentials.authorise_reissue(session, desk, member, reason="Báo mất thẻ", now=f.NOW)
    with pytest.raises(InvalidInput):
        credentials.authorise_reissue(session, presidium, member, reason=" ", now=f.NOW)
    decision = credentials.authorise_reissue(
        session, presidium, member, reason="Đại biểu báo mất thẻ, đã đối chiếu giấy tờ", now=f.NOW
    )
    assert decision.action == "credential.reissue_authorised" and decision.role == "presidium"
    assert credentials.pending_reissue_decision(session, member) is decision
    with pytest.raises(Conflict):  # one decision at a time
        credentials.authorise_reissue(session, presidium, member, reason="Lần nữa", now=f.NOW)

    new = credentials.reissue_credential(
        session, desk, old, new_key, reason="Báo mất thẻ", now=f.later(3)
    )
    assert old.status is CredentialStatus.REVOKED and new.replaces is old
    assert credentials.pending_reissue_decision(session, member) is None  # used up
    [notice] = credentials.reissues_during(session, round_)
    assert (notice.revoked, notice.issued, notice.decision) == (
        old.public_key.hex(),
        new_key.hex(),
        decision.seq,
    )
    # The frozen list is unchanged: the old badge is refused as revoked, the new one is not
    # on this round's list (it votes from the next round).
    with pytest.raises(BallotRejected) as refused:
        ballotbox.open_round_for(session, s.congress.id, old.public_key.hex())
    assert refused.value.check is Check.REVOKED
    with pytest.raises(BallotRejected) as refused:
        ballotbox.open_round_for(session, s.congress.id, new_key.hex())
    assert refused.value.check is Check.NOT_ELIGIBLE

    # A second re-issue of the new badge needs a new decision.
    with pytest.raises(credentials.ReissueNeedsDecision):
        credentials.reissue_credential(
            session, desk, new, f.public_key(901), reason="Lại mất", now=f.later(4)
        )


def test_a_reissue_between_rounds_needs_no_decision_and_is_on_no_board(session: Session) -> None:
    """T-17.b's other side: with no round open, the credentials board re-issues alone."""
    s = f.scenario(session, voters=6)
    desk = f.make_actor(session, s.congress, Role.CREDENTIALS)
    credentials.reissue_credential(
        session, desk, s.credentials[0], f.public_key(902), reason="Báo mất thẻ", now=f.later(1)
    )
    round_ = rounds.open_round(session, SYSTEM, s.round, now=f.later(2))
    assert credentials.reissues_during(session, round_) == []

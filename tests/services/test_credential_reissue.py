"""A badge re-issued before a round opens, through to the ballot box (ATTACKS.md section 17).

The round's eligible list freezes when the round opens (PROTOCOL.md section 5), so a badge
re-issued before that is what the round's list holds. Ballots here are real: encrypted,
proven and signed with the badges' keys.
"""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.orm import Session

import crypto
from election.models import BodyKind, CredentialStatus
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

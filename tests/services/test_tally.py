"""The tally service: the homomorphic sum of a closed board and its threshold decryption,
with real ballots, a relayed 3-of-5 key ceremony and decryption shares verified on arrival
(PROTOCOL.md section 8; ATTACKS.md T-9.a, T-10.a)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

import crypto
from election.errors import Conflict, InvalidInput, InvalidState, PermissionDenied
from election.models import BoardEntry, DecryptionShare, Event, Role, RoundState, TallyCounter
from election.services import ballotbox, rounds, tally
from election.services.ballotbox import BallotRejected, Check
from election.services.base import SYSTEM
from tests import factories
from tests.e2e.support import Open, open_round
from tests.factories import later

# Three names, two seats: counters keep_1..keep_3, invalid_over, invalid_none.
CHOICES = [
    (1, 1, 0, 0, 0),
    (1, 0, 1, 0, 0),
    (1, 1, 0, 0, 0),
    (0, 1, 0, 0, 0),
    (0, 0, 0, 1, 0),  # kept more than two names (R-BALLOT-4.2)
    (1, 0, 1, 0, 0),
]


@pytest.fixture
def hall(session: Session, tmp_path: Path) -> Open:
    opened = open_round(session, tmp_path, voters=10, names=3, seats=2, board=5)
    for voter, choice in zip(opened.voters, CHOICES, strict=False):
        voter.cast(session, opened.round, choice, opened.server_key, later(2))
    rounds.close_round(session, SYSTEM, opened.round, now=later(3))
    return opened


def _shares(session: Session, hall: Open) -> int:
    return int(
        session.scalar(
            sa.select(sa.func.count())
            .select_from(DecryptionShare)
            .where(DecryptionShare.round_id == hall.round.id)
        )
        or 0
    )


def test_the_tally_is_the_sum_of_the_board(session: Session, hall: Open) -> None:
    sums = tally.compute_tally(session, SYSTEM, hall.round, now=later(4))
    assert hall.round.state is RoundState.TALLIED
    assert [s.name for s in sums] == ["keep_1", "keep_2", "keep_3", "invalid_over", "invalid_none"]
    assert tally.recorded_tally(session, hall.round) == sums
    rows = session.scalars(sa.select(TallyCounter).where(TallyCounter.round_id == hall.round.id))
    assert {r.ballots for r in rows} == {len(CHOICES)}


def test_t_shares_decrypt_to_the_plaintext_choices(session: Session, hall: Open) -> None:
    sums = tally.compute_tally(session, SYSTEM, hall.round, now=later(4))
    # Members 1, 3 and 4 decrypt; 2 and 5 are absent (t = 3 of n = 5).
    for j in (1, 3):
        progress = tally.submit_share(
            session,
            SYSTEM,
            hall.round,
            hall.devices[j].decryption_share(hall.round, sums),
            index=j,
            now=later(5),
        )
    # t - 1 shares: no result, and nothing anyone can do about it but wait for a third.
    assert (progress.submitted, progress.needed) == (2, 1)
    assert hall.round.state is RoundState.TALLIED and hall.round.result is None
    progress = tally.submit_share(
        session,
        SYSTEM,
        hall.round,
        hall.devices[4].decryption_share(hall.round, sums),
        index=4,
        now=later(6),
    )
    assert progress.needed == 0
    assert hall.round.state is RoundState.DECRYPTED
    result = hall.round.result
    assert result is not None
    expected = [sum(column) for column in zip(*CHOICES, strict=True)]
    assert list(result.tally["counters"].values()) == expected
    assert (result.cast_ballots, result.valid, result.invalid) == (6, 5, 1)
    assert _shares(session, hall) == 3
    actions = session.scalars(sa.select(Event.action).order_by(Event.seq)).all()
    assert actions.count("tally.share") == 3
    assert actions[-1] == "round.decrypted"


def test_a_share_with_a_wrong_proof_is_refused_naming_the_counter(
    session: Session, hall: Open
) -> None:
    sums = tally.compute_tally(session, SYSTEM, hall.round, now=later(4))
    share = hall.devices[2].decryption_share(hall.round, sums)
    # Swap the proofs of counters 2 and 3: each proof is sound, but for another counter.
    share["proofs"][2], share["proofs"][3] = share["proofs"][3], share["proofs"][2]
    with pytest.raises(InvalidInput, match="counter keep_3 .number 2."):
        tally.submit_share(session, SYSTEM, hall.round, share, index=2, now=later(5))
    assert _shares(session, hall) == 0
    assert hall.round.state is RoundState.TALLIED


def test_a_share_of_other_ciphertexts_is_refused(session: Session, hall: Open) -> None:
    """T-9.a, T-10.a: a member cannot get a single ballot decrypted by sending shares of it."""
    tally.compute_tally(session, SYSTEM, hall.round, now=later(4))
    # The service offers no way to name a ballot; a member's device tries it anyway.
    entry = session.scalars(
        sa.select(BoardEntry).where(BoardEntry.round_id == hall.round.id)
    ).first()
    assert entry is not None
    ballot = crypto.CiphertextBallot.from_json(entry.ballot, crypto.form_for("cross_out", 3, 2))
    device = hall.devices[1]
    assert device.secret_share is not None and hall.round.round_hash is not None
    single = crypto.compute_share(
        hall.round.round_hash, 1, device.secret_share, list(ballot.ciphertexts)
    ).to_json()
    with pytest.raises(InvalidInput, match="does not verify"):
        tally.submit_share(session, SYSTEM, hall.round, single, index=1, now=later(5))
    assert _shares(session, hall) == 0


def test_shares_need_a_tallied_round_and_the_right_seat(session: Session, hall: Open) -> None:
    with pytest.raises(InvalidState, match="tallied"):
        tally.submit_share(session, SYSTEM, hall.round, {}, index=1, now=later(4))
    sums = tally.compute_tally(session, SYSTEM, hall.round, now=later(4))
    share = hall.devices[1].decryption_share(hall.round, sums)
    with pytest.raises(InvalidInput, match="guardian 1 sent by guardian 2"):
        tally.submit_share(session, SYSTEM, hall.round, share, index=2, now=later(5))
    counting = factories.make_actor(session, hall.congress, Role.COUNTING)
    with pytest.raises(PermissionDenied, match="no seat"):
        tally.submit_share(session, counting, hall.round, share, now=later(5))
    presidium = factories.make_actor(session, hall.congress, Role.PRESIDIUM)
    with pytest.raises(PermissionDenied):
        tally.submit_share(session, presidium, hall.round, share, now=later(5))
    tally.submit_share(session, SYSTEM, hall.round, share, index=1, now=later(5))
    # The same share again is a no-op; another one from the same member is refused.
    tally.submit_share(session, SYSTEM, hall.round, share, index=1, now=later(5))
    other = hall.devices[1].decryption_share(hall.round, sums)
    with pytest.raises(Conflict):
        tally.submit_share(session, SYSTEM, hall.round, other, index=1, now=later(5))
    assert _shares(session, hall) == 1


def test_garbage_is_refused(session: Session, hall: Open) -> None:
    tally.compute_tally(session, SYSTEM, hall.round, now=later(4))
    for payload in (b"not json", '{"guardian": 1}', {"guardian": 1, "shares": [], "proofs": []}):
        with pytest.raises(InvalidInput):
            tally.submit_share(session, SYSTEM, hall.round, payload, index=1, now=later(5))


def test_only_a_closed_round_with_ballots_is_tallied(session: Session, tmp_path: Path) -> None:
    opened = open_round(session, tmp_path, voters=8, names=3, seats=2, board=3)
    with pytest.raises(InvalidState, match="closed"):
        tally.compute_tally(session, SYSTEM, opened.round, now=later(3))
    rounds.close_round(session, SYSTEM, opened.round, now=later(3))
    with pytest.raises(InvalidState, match="no ballot"):
        tally.compute_tally(session, SYSTEM, opened.round, now=later(4))
    assert opened.round.state is RoundState.CLOSED


def test_a_copied_ballot_is_never_counted(session: Session, tmp_path: Path) -> None:
    """T-2.e, the privacy game with three delegates: A and B vote; C copies A's ballot from
    the public board and sends it re-signed under C's credential, re-randomised, and as it
    stands. Had a copy counted, the tally would hold A's choice twice and C would learn it.
    None counts, and the decrypted tally equals the honest tally of A and B."""
    # Three delegates A, B and C, and a counting board of three who do not vote.
    opened = open_round(session, tmp_path, voters=6, names=3, seats=2, board=3)
    a, b, c = opened.voters[:3]
    honest = {"A": (1, 1, 0, 0, 0), "B": (0, 1, 1, 0, 0)}
    a.cast(session, opened.round, honest["A"], opened.server_key, later(2))
    ctx = ballotbox.round_context(opened.round)
    seen = ballotbox.board_entries(session, opened.round)[0].ballot
    copied = crypto.CiphertextBallot.from_json(seen, ctx.form)

    def signed_by_c(ballot: crypto.CiphertextBallot) -> dict[str, object]:
        unsigned = dataclasses.replace(ballot, credential=c.key.public, signature=b"")
        message = crypto.H(crypto.Tag.BALLOT_SIG, crypto.canonical_json(unsigned.unsigned_json()))
        return {**unsigned.unsigned_json(), "signature": c.key.sign(message).hex()}

    zero = [crypto.encrypt(0, ctx.joint_key, crypto.Scalar.random()) for _ in copied.ciphertexts]
    rerandomised = dataclasses.replace(
        copied, ciphertexts=tuple(x + z for x, z in zip(copied.ciphertexts, zero, strict=True))
    )
    attempts = [
        (signed_by_c(copied), Check.DUPLICATE),  # A's ballot under C's credential
        (signed_by_c(rerandomised), Check.PROOF),  # fresh components, A's proofs
    ]
    for payload, check in attempts:
        with pytest.raises(BallotRejected) as refused:
            ballotbox.cast_ballot(
                session, opened.round, payload, server_key=opened.server_key, now=later(2)
            )
        assert refused.value.check is check
    # A's ballot sent again as it stands: A's own receipt, nothing added.
    again = ballotbox.cast_ballot(
        session, opened.round, seen, server_key=opened.server_key, now=later(2)
    )
    assert again.body["position"] == 1
    b.cast(session, opened.round, honest["B"], opened.server_key, later(2))
    assert ballotbox.turnout(session, opened.round) == (2, 6)

    rounds.close_round(session, SYSTEM, opened.round, now=later(3))
    sums = tally.compute_tally(session, SYSTEM, opened.round, now=later(4))
    for j in (1, 3):
        share = opened.devices[j].decryption_share(opened.round, sums)
        tally.submit_share(session, SYSTEM, opened.round, share, index=j, now=later(5))
    result = opened.round.result
    assert opened.round.state is RoundState.DECRYPTED and result is not None
    expected = [x + y for x, y in zip(honest["A"], honest["B"], strict=True)]
    assert list(result.tally["counters"].values()) == expected
    assert result.cast_ballots == 2

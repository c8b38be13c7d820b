"""The simulation builds an honest round: its plaintexts, keys and counts agree."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from crypto import IDENTITY, G, RoundContext, board_head, lagrange_coefficient, verify_audited
from election.record.simulate import SimulatedRound, simulate, simulate_congress, simulate_round
from election.rules import RoundStatus
from tests.record.sims import agree_round, five_guardians, single_name_round, small_round

SIMS = [small_round, five_guardians, agree_round, single_name_round]


@pytest.mark.parametrize("sim", SIMS)
def test_decrypted_counts_are_the_sums_of_the_choices(sim: Callable[[], SimulatedRound]) -> None:
    s = sim()
    sums = [sum(column) for column in zip(*s.choices, strict=True)]
    assert list(s.round.decryption.values) == sums
    assert s.round.tally.ballots == len(s.choices) == len(s.round.board.entries)


@pytest.mark.parametrize("sim", SIMS)
def test_audited_ballots_open_to_their_choices(sim: Callable[[], SimulatedRound]) -> None:
    s = sim()
    m = s.round.manifest
    ctx = RoundContext(m.hash(), m.joint_key, m.form)
    opened = [verify_audited(ctx, a.to_json()) for a in s.round.audited.ballots]
    assert opened == list(s.audited_choices)


def test_ceremony_shares_reconstruct_the_joint_key() -> None:
    s = five_guardians()
    congress = s.congress
    assert congress.manifest.threshold == 3
    assert s.decrypting == (1, 3, 4)  # guardian 2 is absent
    assert s.signers == (1, 3, 4, 5)
    for g in congress.manifest.guardians:
        assert congress.secret_shares[g.index] * G == g.public_share
    # Any t of the secret shares act as the joint secret (Lagrange at 0).
    ct = s.round.board.entries[0].ballot.ciphertexts[0]
    for participants in ([2, 4, 5], [1, 2, 3], [3, 4, 5]):
        M = ct.B
        for j in participants:
            w = lagrange_coefficient(j, participants)
            M = M - w * (congress.secret_shares[j] * ct.A)
        assert M == (G if s.choices[0][0] else IDENTITY)


def test_board_receipts_and_minutes() -> None:
    s = small_round()
    board = s.round.board
    assert board.head == board_head(
        s.round.manifest.hash(), [e.ballot.hash() for e in board.entries]
    )
    assert [e.receipt.position for e in board.entries] == list(range(1, 7))
    assert [sig.guardian for sig in s.round.minutes.signatures] == list(s.signers)
    assert s.round.minutes.data["board_head"] == board.head.hex()


def test_one_invalid_ballot_is_counted_under_its_reason() -> None:
    result = small_round().round.result
    assert result.tally.cast == 6
    assert result.tally.invalid_total == 1  # ballot index 5 kept too many names
    assert result.tally.valid == 5
    assert result.status in set(RoundStatus)


def test_parameters_are_checked() -> None:
    congress = simulate_congress(delegates=8)
    with pytest.raises(ValueError, match="ballots"):
        simulate_round(congress, ballots=10)
    with pytest.raises(ValueError, match="seats < names"):
        simulate_round(congress, names=2, seats=2, ballots=3)
    with pytest.raises(ValueError, match="seats == names"):
        simulate_round(congress, names=3, seats=2, kind="agree_disagree", ballots=3)
    with pytest.raises(ValueError, match="threshold"):
        simulate(guardians=3, threshold=4)


def test_system_randomness_gives_a_fresh_record_each_time() -> None:
    from election.record import record_bytes

    a = simulate(names=3, seats=1, ballots=2, audited=1, deterministic=False)
    b = simulate(names=3, seats=1, ballots=2, audited=1, deterministic=False)
    assert a.choices == b.choices  # the seed still chooses the plaintexts
    assert record_bytes(a.record) != record_bytes(b.record)
    assert list(a.round.decryption.values) == [sum(c) for c in zip(*a.choices, strict=True)]

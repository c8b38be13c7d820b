"""The inspection commission's random spot-check drill (ATTACKS.md T-4.e): a sample of
delegates with a ballot on the board, with what the board holds for each (position,
tracking code, credential fingerprint), and each delegate's outcome; all in the event log.
"""

from __future__ import annotations

import random

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

import crypto
from election.errors import InvalidInput, InvalidState, NotFound, PermissionDenied
from election.models import BoardEntry, Event, Role, RoundState
from election.services import spot_check
from election.services.base import SYSTEM
from tests import factories as f
from tests.factories import later


def _count(db: Session, action: str) -> int:
    return (
        db.scalar(sa.select(sa.func.count()).select_from(Event).where(Event.action == action)) or 0
    )


def test_t4e_draw_samples_voters_with_board_tracker_and_fingerprint(session: Session) -> None:
    """T-4.e: the sample is N distinct delegates whose credential has a ballot on the board,
    each with the board's position, tracking code and credential fingerprint; the draw is
    logged with the whole sample."""
    s = f.scenario(session, voters=10)
    f.run_to(session, s.round, RoundState.OPEN, ballots=6)
    inspector = f.make_actor(session, s.congress, Role.INSPECTION)

    drill = spot_check.draw(session, inspector, s.round, 4, now=later(15))

    entries = {
        e.credential.member_id: e
        for e in session.scalars(sa.select(BoardEntry).where(BoardEntry.round_id == s.round.id))
    }
    assert drill.size == len(drill.sample) == 4 and drill.ballots == 6
    assert len({x.member_id for x in drill.sample}) == 4
    assert [x.position for x in drill.sample] == sorted(x.position for x in drill.sample)
    for sampled in drill.sample:
        entry = entries[sampled.member_id]  # a voter: has a ballot on the board
        assert sampled.position == entry.position
        assert sampled.tracking_code == crypto.tracking_code(entry.ballot_hash)
        assert sampled.fingerprint == spot_check.credential_fingerprint(entry.credential.public_key)
        assert sampled.code == entry.credential.member.code
    last = max(entries.values(), key=lambda e: e.position)
    assert drill.board_head == last.chain_hash.hex()

    event = session.scalars(sa.select(Event).where(Event.action == spot_check.DRAW)).one()
    assert event.seq == drill.seq and event.actor == inspector.username
    assert event.data["size"] == 4 and len(event.data["sample"]) == 4
    assert spot_check.load_drill(session, s.congress, drill.seq).sample == drill.sample
    assert [d.seq for d in spot_check.drills(session, s.round)] == [drill.seq]


def test_t4e_fingerprint_is_the_keys_first_sixteen_hex_digits() -> None:
    """T-4.e: one fingerprint, as the credentials desk shows the key."""
    key = bytes(range(32))
    assert spot_check.credential_fingerprint(key) == "0001 0203 0405 0607"
    assert spot_check.credential_fingerprint(key).replace(" ", "") == key.hex()[:16]


def test_t4e_whole_board_and_random_draws(session: Session) -> None:
    """T-4.e: N equal to the ballots samples everyone; the generator is the caller's in
    tests and ``secrets.SystemRandom`` otherwise."""
    s = f.scenario(session, voters=10)
    f.run_to(session, s.round, RoundState.OPEN, ballots=5)
    everyone = spot_check.draw(session, SYSTEM, s.round, 5, now=later(15))
    assert [x.position for x in everyone.sample] == [1, 2, 3, 4, 5]
    seeded = [
        [
            x.position
            for x in spot_check.draw(
                session, SYSTEM, s.round, 2, now=later(16), rng=random.Random(7)
            ).sample
        ]
        for _ in range(2)
    ]
    assert seeded[0] == seeded[1]


@pytest.mark.parametrize("n", [0, -1, 7, "3", 2.0, True])
def test_t4e_bad_sample_size_changes_nothing(session: Session, n: object) -> None:
    """T-4.e: N outside 1..ballots is refused and nothing is logged."""
    s = f.scenario(session, voters=10)
    f.run_to(session, s.round, RoundState.OPEN, ballots=6)
    before = _count(session, spot_check.DRAW)
    with pytest.raises(InvalidInput):
        spot_check.draw(session, SYSTEM, s.round, n, now=later(15))  # type: ignore[arg-type]
    assert _count(session, spot_check.DRAW) == before


def test_t4e_no_ballots_no_drill(session: Session) -> None:
    """T-4.e: an empty board cannot be spot-checked."""
    s = f.scenario(session, voters=10)
    f.run_to(session, s.round, RoundState.OPEN, ballots=0)
    with pytest.raises(InvalidState):
        spot_check.draw(session, SYSTEM, s.round, 1, now=later(15))
    assert _count(session, spot_check.DRAW) == 0


def test_t4e_only_the_inspection_commission_draws(session: Session) -> None:
    """T-4.e: another role may not draw or record."""
    s = f.scenario(session, voters=10)
    f.run_to(session, s.round, RoundState.OPEN, ballots=6)
    presidium = f.make_actor(session, s.congress, Role.PRESIDIUM)
    with pytest.raises(PermissionDenied):
        spot_check.draw(session, presidium, s.round, 2, now=later(15))
    drill = spot_check.draw(session, SYSTEM, s.round, 2, now=later(15))
    with pytest.raises(PermissionDenied):
        spot_check.record_outcome(
            session,
            presidium,
            s.congress,
            drill.seq,
            drill.sample[0].member_id,
            spot_check.CONFIRMED,
            now=later(16),
        )
    assert _count(session, spot_check.OUTCOME) == 0


def test_t4e_outcomes_are_logged_and_a_mismatch_is_flagged(session: Session) -> None:
    """T-4.e: confirmed, mismatch and not reached are logged with the board's values; a
    mismatch carries a flag; only "not reached" may be recorded again; a delegate outside
    the sample, an unknown outcome or drill, or a too long note are refused."""
    s = f.scenario(session, voters=10)
    f.run_to(session, s.round, RoundState.OPEN, ballots=6)
    inspector = f.make_actor(session, s.congress, Role.INSPECTION)
    drill = spot_check.draw(session, inspector, s.round, 3, now=later(15))
    a, b, c = drill.sample

    def record(member_id: int, outcome: str, note: str = "") -> spot_check.Drill:
        return spot_check.record_outcome(
            session, inspector, s.congress, drill.seq, member_id, outcome, note=note, now=later(16)
        )

    record(a.member_id, spot_check.CONFIRMED)
    record(b.member_id, spot_check.MISMATCH, "Biên nhận ghi mã khác")
    done = record(c.member_id, spot_check.NOT_REACHED, "Đại biểu vắng")
    assert done.confirmed == [a] and done.mismatches == [b] and done.pending == [c]

    logged = list(session.scalars(sa.select(Event).where(Event.action == spot_check.OUTCOME)))
    assert [e.data["outcome"] for e in logged] == ["confirmed", "mismatch", "not_reached"]
    assert [e.data.get("flag") for e in logged] == [None, "mismatch", None]
    assert logged[1].data["tracking_code"] == b.tracking_code
    assert logged[1].data["fingerprint"] == b.fingerprint
    assert logged[1].data["note"] == "Biên nhận ghi mã khác"
    assert all(e.data["drill"] == drill.seq for e in logged)

    outsider = next(m for m in s.voters if m.id not in {a.member_id, b.member_id, c.member_id})
    for bad, error in [
        (lambda: record(outsider.id, spot_check.CONFIRMED), InvalidInput),
        (lambda: record(a.member_id, "maybe"), InvalidInput),
        (lambda: record(c.member_id, spot_check.CONFIRMED, "x" * 1001), InvalidInput),
        (lambda: record(a.member_id, spot_check.NOT_REACHED), InvalidState),
        (lambda: record(b.member_id, spot_check.CONFIRMED), InvalidState),
    ]:
        with pytest.raises(error):
            bad()
    with pytest.raises(NotFound):
        spot_check.record_outcome(
            session, inspector, s.congress, logged[0].seq, a.member_id, "confirmed", now=later(17)
        )
    assert _count(session, spot_check.OUTCOME) == 3

    # The delegate not reached is found later: the new outcome replaces "not reached".
    final = record(c.member_id, spot_check.CONFIRMED)
    assert final.pending == [] and final.mismatches == [b]
    assert len(spot_check.drills(session, s.round)[0].history) == 4

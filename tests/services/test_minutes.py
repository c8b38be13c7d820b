"""The vote-count minutes: every field of R-MINUTES-1 computed from the round's record, and
the members' signatures checked against the keys registered at the key ceremony."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

import crypto
from election.errors import Conflict, InvalidInput, InvalidState, PermissionDenied
from election.models import MinutesSignature, Role
from election.services import export, minutes
from election.services.base import SYSTEM
from tests import factories
from tests.e2e.support import Device, Open, count_round, open_round
from tests.factories import later


@pytest.fixture
def counted(session: Session, tmp_path: Path) -> Open:
    # 8 voters, 7 cast: keep 1 and 2 (x4), keep 1 (x2), one kept too many names.
    opened = open_round(session, tmp_path, voters=8, names=3, seats=2, board=3)
    choices = [[1, 1, 0, 0, 0]] * 4 + [[1, 0, 0, 0, 0]] * 2 + [[0, 0, 0, 1, 0]]
    for voter, choice in zip(opened.voters, choices, strict=False):
        voter.cast(session, opened.round, choice, opened.server_key, later(2))
    count_round(session, opened.round, opened.devices, (1, 2), later(3))
    return opened


def test_the_minutes_carry_every_field(session: Session, counted: Open) -> None:
    view = minutes.minutes_view(session, counted.round)
    names = [c.member.full_name for c in counted.round.candidates]
    assert [c.name for c in view.candidates] == names  # ballot order
    assert [c.votes for c in view.candidates] == [6, 4, 0]
    assert [c.percent for c in view.candidates] == ["75,00%", "50,00%", "0,00%"]
    # N = 8 (everyone convened was present), so 5 votes are needed: only the first passes.
    assert (view.convened, view.n, view.threshold) == (8, 8, 5)
    assert (view.present_at_vote, view.absent_at_vote) == (8, 0)
    assert (view.issued, view.cast, view.valid, view.invalid_total) == (8, 7, 6, 1)
    assert dict(view.invalid)["too_many_kept"] == 1
    assert [c.name for c in view.elected] == names[:1]
    assert view.status == "elected_fewer_than_planned" and view.open_seats == 1
    assert view.round_hash == counted.round.round_hash
    assert view.board_head == view.record.rounds[0].board.head
    assert view.fingerprint == export.record_fingerprint(view.record)
    assert view.qr_svg.startswith("data:image/svg+xml")
    assert view.congress_title.startswith("Đại hội Đảng bộ Sở Thử nghiệm")
    assert [s.head for s in view.signatures] == [True, False, False]
    assert not view.complete and view.valid_signatures == 0
    # The canonical data is the record's, which the verifier's V11 recomputes.
    assert view.message == crypto.minutes_message(view.data)
    assert view.data["majority_base"]["n"] == 8


def test_signatures_are_checked_before_they_are_kept(session: Session, counted: Open) -> None:
    view = minutes.minutes_view(session, counted.round)
    device = counted.devices[2]
    # Another key (a device that never took part) and another message are refused.
    stranger = Device(counted.congress.public_id, 2, 2)
    with pytest.raises(InvalidInput, match="does not verify"):
        minutes.sign_minutes(
            session, SYSTEM, counted.round, stranger.sign(view.data), index=2, now=later(4)
        )
    altered = {**view.data, "status": "all_seats_filled"}
    with pytest.raises(InvalidInput, match="does not verify"):
        minutes.sign_minutes(
            session, SYSTEM, counted.round, device.sign(altered), index=2, now=later(4)
        )
    with pytest.raises(InvalidInput, match="64 bytes"):
        minutes.sign_minutes(session, SYSTEM, counted.round, b"short", index=2, now=later(4))
    assert session.scalars(sa.select(MinutesSignature)).all() == []

    line = minutes.sign_minutes(
        session, SYSTEM, counted.round, device.sign(view.data), index=2, now=later(4)
    )
    assert (line.index, line.valid) == (2, True)
    # The same signature again is a no-op; the member cannot sign twice differently
    # (Ed25519 is deterministic, so a second signature means a different key or message).
    minutes.sign_minutes(
        session, SYSTEM, counted.round, device.sign(view.data), index=2, now=later(5)
    )
    forged = bytes(64)
    with pytest.raises((Conflict, InvalidInput)):
        minutes.sign_minutes(session, SYSTEM, counted.round, forged, index=2, now=later(5))
    after = minutes.minutes_view(session, counted.round)
    assert after.valid_signatures == 1
    minutes.sign_minutes(
        session,
        SYSTEM,
        counted.round,
        counted.devices[3].sign(view.data),
        index=3,
        now=later(6),
    )
    assert minutes.minutes_view(session, counted.round).complete


def test_only_members_sign_and_only_counted_rounds(session: Session, tmp_path: Path) -> None:
    opened = open_round(session, tmp_path, voters=6, names=3, seats=2, board=3)
    with pytest.raises(InvalidState, match="count is finished"):
        minutes.sign_minutes(session, SYSTEM, opened.round, bytes(64), index=1, now=later(2))
    presidium = factories.make_actor(session, opened.congress, Role.PRESIDIUM)
    with pytest.raises(PermissionDenied):
        minutes.sign_minutes(session, presidium, opened.round, bytes(64), now=later(2))

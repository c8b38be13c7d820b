"""The record built from the database passes the independent verifier (V1-V11), and the
round manifest stored at opening is exactly the record format's (issue 6 item 5)."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

import crypto
from election.models import CongressManifestSnapshot, RoundState
from election.record import RoundManifest, read_record, write_record
from election.record.jsonio import Node
from election.services import export, minutes
from election.services.base import SYSTEM
from election.verifier import verify
from tests import factories
from tests.e2e.support import Open, count_round, open_round
from tests.factories import later


@pytest.fixture
def counted(session: Session, tmp_path: Path) -> Open:
    opened = open_round(session, tmp_path, voters=8, names=3, seats=2, board=3)
    for voter, keep in zip(opened.voters[:5], (0, 1, 0, 2, 0), strict=True):
        choice = [0, 0, 0, 0, 0]
        choice[keep] = 1
        voter.cast(session, opened.round, choice, opened.server_key, later(2))
    count_round(session, opened.round, opened.devices, (1, 3), later(3))
    return opened


def test_the_round_manifest_is_the_record_formats(session: Session, counted: Open) -> None:
    stored = counted.round.manifest
    assert stored is not None
    manifest = RoundManifest.from_json(Node(stored, "manifest.json"))
    assert manifest.hash() == counted.round.round_hash
    snapshot = session.scalars(sa.select(CongressManifestSnapshot)).one()
    assert (
        manifest.congress_hash == snapshot.manifest_hash == crypto.congress_hash(snapshot.manifest)
    )
    assert set(stored["code"]) <= set(export.SERVED_BUNDLES)
    assert stored["code"] == export.served_code()


def test_a_signed_round_record_passes_every_check(
    session: Session, counted: Open, tmp_path: Path
) -> None:
    view = minutes.minutes_view(session, counted.round)
    unsigned = export.round_record(session, counted.round)
    for j in (1, 2):
        minutes.sign_minutes(
            session,
            SYSTEM,
            counted.round,
            counted.devices[j].sign(view.data),
            index=j,
            now=later(5),
        )
    record = export.round_record(session, counted.round)
    report = verify(record, workers=1)
    assert report.ok, report.to_json("en")
    # The fingerprint leaves the minutes out: signing does not change it.
    assert export.record_fingerprint(record) == export.record_fingerprint(unsigned)
    assert export.record_fingerprint(record) == view.fingerprint
    # Written as a zip and read back, it is the same record.
    path = write_record(record, tmp_path / "round.zip")
    assert read_record(path).files() == record.files()


def test_without_enough_signatures_v11_fails(session: Session, counted: Open) -> None:
    view = minutes.minutes_view(session, counted.round)
    minutes.sign_minutes(
        session, SYSTEM, counted.round, counted.devices[3].sign(view.data), index=3, now=later(5)
    )
    report = verify(export.round_record(session, counted.round), workers=1)
    assert report.failed == ("V11",)


def test_the_congress_record_holds_every_counted_round(session: Session, counted: Open) -> None:
    record = export.congress_record(session, counted.congress, [counted.round])
    assert record.scope == "congress"
    assert [r.round_id for r in record.rounds] == [export.round_id_of(counted.round)]


def test_a_round_without_a_result_is_not_exported(session: Session, tmp_path: Path) -> None:
    opened = open_round(session, tmp_path, voters=6, names=3, seats=2, board=3)
    with pytest.raises(export.ExportError, match="no result"):
        export.round_record(session, opened.round)


def test_a_round_opened_before_the_setup_was_complete_is_not_exported(session: Session) -> None:
    """factories.scenario has no server key and no minutes-signing keys: the manifest names
    the congress without its hash, and the export says why it cannot be verified."""
    s = factories.scenario(session)
    factories.run_to(session, s.round, RoundState.DECRYPTED, ballots=4)
    assert "hash" not in (s.round.manifest or {})["congress"]
    with pytest.raises(export.ExportError, match="congress hash"):
        export.round_record(session, s.round)

"""The server's receipt-signing key: a 0600 file, its public key in the database."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from election.errors import InvalidState
from election.models import ServerKey
from election.services import serverkey
from election.services.base import SYSTEM
from tests import factories as f


def test_created_once_with_mode_0600(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "instance" / serverkey.KEY_FILE_NAME
    record, created = serverkey.ensure_server_key(session, SYSTEM, path, now=f.NOW)
    assert created and path.exists()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert record.public_key == serverkey.public_key_bytes(serverkey.load_private_key(path))
    again, created = serverkey.ensure_server_key(session, SYSTEM, path, now=f.NOW)
    assert not created and again.id == record.id
    # The private key is not in the database, in any column.
    pem = path.read_bytes()
    assert pem.startswith(b"-----BEGIN PRIVATE KEY-----")
    assert session.scalar(sa.select(sa.func.count()).select_from(ServerKey)) == 1


def test_an_existing_file_is_registered(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "key.pem"
    other = tmp_path / "other.pem"
    serverkey._write_new_key(path)
    record, created = serverkey.ensure_server_key(session, SYSTEM, path, now=f.NOW)
    assert not created and record.active
    serverkey._write_new_key(other)
    with pytest.raises(InvalidState, match="differs"):
        serverkey.ensure_server_key(session, SYSTEM, other, now=f.NOW)


def test_a_file_that_is_not_a_key_is_refused(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "key.pem"
    path.write_text("not a key")
    with pytest.raises(InvalidState, match="PEM"):
        serverkey.ensure_server_key(session, SYSTEM, path, now=f.NOW)

"""``dhvote verify-log`` and ``dhvote checkpoint-log``: the event log checked from the command
line, in Vietnamese, exiting 1 on the first problem with its position (issue 7 item 5)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from flask import Flask
from flask.testing import FlaskCliRunner

from election.cli import main
from election.models import EventCheckpoint
from election.services.serverkey import public_key_bytes
from tests import factories


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    # A checkpoint every 4 entries, so that a few entries make some.
    return make_app(CHECKPOINT_INTERVAL=4)


@pytest.fixture
def cli(app: Flask) -> FlaskCliRunner:
    runner = app.test_cli_runner()
    result = runner.invoke(main, ["init-db"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        from election.db import get_session

        # Entries written through the app: signed every 4th (the key file exists now).
        db = get_session()
        congress = factories.make_congress(db)
        for i in range(3):
            factories.make_sitting(db, congress, i + 1)
    return runner


def run(cli: FlaskCliRunner, *args: str) -> tuple[int, str]:
    result = cli.invoke(main, list(args))
    return result.exit_code, result.output


def _database(app: Flask) -> str:
    path = sa.make_url(app.config["DATABASE_URL"]).database
    assert path
    return path


def test_an_intact_log_verifies(app: Flask, cli: FlaskCliRunner) -> None:
    code, output = run(cli, "verify-log")
    assert code == 0, output
    assert "KẾT QUẢ: HỢP LỆ." in output
    assert "Nhật ký hợp lệ: 5 mục, chuỗi băm liền mạch, 1 điểm kiểm soát" in output
    assert "điểm cuối tại mục 4" in output
    code, output = run(cli, "checkpoint-log")
    assert code == 0 and "Đã ký điểm kiểm soát tại mục 6" in output
    code, output = run(cli, "verify-log")
    assert code == 0 and "điểm cuối tại mục 6" in output


def test_a_deleted_row_is_reported_with_its_position(app: Flask, cli: FlaskCliRunner) -> None:
    connection = sqlite3.connect(_database(app))
    try:
        connection.execute("DROP TRIGGER event_log_no_delete")
        connection.execute("DELETE FROM event_log WHERE seq = 3")
        connection.commit()
    finally:
        connection.close()
    code, output = run(cli, "verify-log")
    assert code == 1
    assert "KẾT QUẢ: CÓ VẤN ĐỀ. Mục 3 bị xóa: nhật ký nhảy từ mục 2 sang mục 4." in output


def test_checkpoints_are_checked_against_the_key_given(app: Flask, cli: FlaskCliRunner) -> None:
    other = public_key_bytes(Ed25519PrivateKey.generate()).hex()
    code, output = run(cli, "verify-log", "--public-key", other)
    assert code == 1 and "Điểm kiểm soát tại mục 4 bị giả mạo" in output
    code, output = run(cli, "verify-log", "--public-key", "abc")
    assert code == 2 and "--public-key" in output


def test_a_missing_checkpoint_is_reported(app: Flask, cli: FlaskCliRunner) -> None:
    connection = sqlite3.connect(_database(app))
    try:
        connection.execute("DROP TRIGGER event_checkpoints_no_delete")
        connection.execute("DELETE FROM event_checkpoints")
        connection.commit()
    finally:
        connection.close()
    code, output = run(cli, "verify-log")
    assert code == 1 and "Thiếu điểm kiểm soát tại mục 4" in output
    # Without the interval the chain alone verifies.
    code, output = run(cli, "verify-log", "--interval", "0")
    assert code == 0, output


def test_without_a_key_file_a_key_must_be_given(app: Flask, cli: FlaskCliRunner) -> None:
    Path(app.config["SERVER_KEY_FILE"]).rename(Path(app.config["SERVER_KEY_FILE"] + ".away"))
    code, output = run(cli, "verify-log")
    assert code == 1 and "--public-key" in output
    with app.app_context():
        from election.db import get_session

        count = get_session().scalar(sa.select(sa.func.count()).select_from(EventCheckpoint))
    assert count == 1

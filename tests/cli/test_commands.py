"""The project's `dhvote` commands, run against a test app's SQLite database."""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner

from election import migrate
from election.cli import main
from election.db import make_engine
from election.models import Congress, Member, User

ROSTER_HEADER = "Mã,Họ và tên,Năm sinh,Giới tính,Chi bộ"


@pytest.fixture
def cli(app: Flask) -> FlaskCliRunner:
    """A runner for the `dhvote` group bound to the test app (database in tmp_path)."""
    return app.test_cli_runner()


def run(cli: FlaskCliRunner, *args: str, input: str | None = None) -> tuple[int, str]:
    result = cli.invoke(main, list(args), input=input)
    return result.exit_code, result.output


def count(app: Flask, model: type) -> int:
    engine = make_engine(app.config["DATABASE_URL"])
    try:
        with engine.connect() as connection:
            return connection.scalar(sa.select(sa.func.count()).select_from(model)) or 0
    finally:
        engine.dispose()


def test_init_db_migrates_and_creates_the_key(app: Flask, cli: FlaskCliRunner) -> None:
    code, output = run(cli, "init-db")
    assert code == 0, output
    engine = make_engine(app.config["DATABASE_URL"])
    assert migrate.current_revision(engine) == migrate.head()
    engine.dispose()
    key = Path(app.config["SERVER_KEY_FILE"])
    assert key.exists() and stat.S_IMODE(key.stat().st_mode) == 0o600
    assert "đã tạo" in output
    code, output = run(cli, "init-db")
    assert code == 0 and "đã có" in output


def test_demo_then_show(app: Flask, cli: FlaskCliRunner) -> None:
    assert run(cli, "init-db")[0] == 0
    code, output = run(cli, "demo", "--if-empty")
    assert code == 0, output
    assert "stp-vangiang-2025" in output and "dhvote-demo-2025" in output
    code, output = run(cli, "demo", "--if-empty")
    assert code == 0 and "không nạp" in output
    assert count(app, Congress) == 1
    code, output = run(cli, "demo")
    assert code == 1 and "already exists" in output

    code, output = run(cli, "show")
    assert code == 0, output
    for text in (
        "Đảng bộ Sở Tư pháp tỉnh Vân Giang",
        "đại hội đảng viên",
        "90 người — 84 chính thức, 6 dự bị",
        "Ủy viên Ban Chấp hành Đảng bộ — 9 người",
        "Lần 1: dự thảo, phiếu gạch tên, 11 người cho 9 chỗ",
        "do Ban Chấp hành Đảng bộ khóa V bầu",
        "Hội nghị lần thứ nhất",
        "thuky (thư ký)",
        "chuỗi băm hợp lệ",
    ):
        assert text in output


def test_demo_in_production_creates_no_accounts(make_app: Callable[..., Flask]) -> None:
    app = make_app(ENV="production", SECRET_KEY="x" * 40)
    cli = app.test_cli_runner()
    assert run(cli, "init-db")[0] == 0
    code, output = run(cli, "demo")
    assert code == 0, output
    assert "dhvote-demo-2025" not in output
    assert count(app, User) == 0


def test_show_on_an_empty_database(cli: FlaskCliRunner) -> None:
    run(cli, "init-db")
    code, output = run(cli, "show")
    assert code == 0 and "Chưa có đại hội" in output


def test_import_roster_with_one_bad_row_imports_nothing_and_names_it(
    app: Flask, cli: FlaskCliRunner, tmp_path: Path
) -> None:
    run(cli, "init-db")
    definition = tmp_path / "congress.yaml"
    definition.write_text(
        "congress:\n  id: dh-cli-2025\n  organization: Chi bộ Thử\n  ordinal: 1\n"
        "  term: 2025–2027\n  kind: members_congress\n  rules_profile: QD190_2024\n",
        encoding="utf-8",
    )
    code, output = run(cli, "load-congress", str(definition))
    assert code == 0, output
    roster = tmp_path / "ds.csv"
    roster.write_text(
        f"{ROSTER_HEADER}\nA1,Lê Văn An,1970,Nam,Chi bộ 1\nA2,Trần Bình,19x0,Nữ,Chi bộ 1\n"
        "A3,Phạm Văn Cường,1980,Nam,Chi bộ 2\n",
        encoding="utf-8",
    )
    code, output = run(cli, "import-roster", str(roster))
    assert code == 1
    assert "dòng 3" in output and "Năm sinh" in output
    assert "dòng 2" not in output and "dòng 4" not in output
    assert count(app, Member) == 0

    roster.write_text(f"{ROSTER_HEADER}\nA1,Lê Văn An,1970,Nam,Chi bộ 1\n", encoding="utf-8")
    code, output = run(cli, "import-roster", str(roster), "--congress", "dh-cli-2025")
    assert code == 0 and "Đã nhập 1" in output
    assert count(app, Member) == 1


def test_load_congress_reports_a_bad_file(cli: FlaskCliRunner, tmp_path: Path) -> None:
    run(cli, "init-db")
    bad = tmp_path / "bad.toml"
    bad.write_text('[congress]\nid = "x"\n', encoding="utf-8")
    code, output = run(cli, "load-congress", str(bad))
    assert code == 1 and "missing key 'organization'" in output


def test_create_user(app: Flask, cli: FlaskCliRunner) -> None:
    run(cli, "init-db")
    password = "mật khẩu quản trị\nmật khẩu quản trị\n"
    code, output = run(
        cli, "create-user", "admin", "--role", "presidium", "--full-name", "A", input=password
    )
    assert code == 1 and "no congress yet" in output
    run(cli, "demo")
    code, output = run(
        cli,
        "create-user",
        "quantri",
        "--role",
        "presidium",
        "--role",
        "counting",
        "--full-name",
        "Quản Trị Viên",
        input=password,
    )
    assert code == 0, output
    assert "quantri" in output
    code, output = run(
        cli,
        "create-user",
        "bad name",
        "--role",
        "presidium",
        "--full-name",
        "X",
        input="long enough pw\nlong enough pw\n",
    )
    assert code == 1 and "user name" in output

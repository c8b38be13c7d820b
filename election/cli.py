"""The `dhvote` command: Flask's click group bound to the app factory.

It carries Flask's own commands (`dhvote run`, `dhvote shell`, `dhvote routes`) plus the
project's. Add a command with `@main.command()` here, or register it on `app.cli` from a
blueprint, which `dhvote` and `flask --app election` then both show.

Project commands (each runs in an app context, on the app's database):

* `init-db` — migrate the database to the newest schema (Alembic) and create the server's
  receipt-signing key file if it is missing;
* `load-congress FILE` — create a congress from a YAML or TOML definition
  (docs/congress-format.md);
* `import-roster FILE` — import a .csv or .xlsx roster, all or nothing
  (docs/roster-format.md);
* `demo [--if-empty]` — load the demo congress of `config/demo/`;
* `show` — print the congresses, bodies, contests and rounds, in Vietnamese;
* `create-user USERNAME --role ROLE` — create an operator account (asks for the password);
* `verify-log` — check the event log's hash chain and every signed checkpoint, print the
  result in Vietnamese and exit 1 on the first problem (issue 7 item 5);
* `checkpoint-log` — sign the event log's head now with the server key.

Commands act as the system actor: whoever runs them administers the machine. A refused
action prints its reason and exits with status 1.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import ParamSpec, TypeVar

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup

P = ParamSpec("P")
R = TypeVar("R")


def _create_app() -> Flask:
    from election import create_app

    return create_app()


main = FlaskGroup(
    name="dhvote",
    create_app=_create_app,
    help="Manage a dhvote installation (secure e-voting for party congresses).",
)


@main.command("version", with_appcontext=False)
def version() -> None:
    """Print the installed dhvote version."""
    try:
        number = metadata.version("dhvote")
    except metadata.PackageNotFoundError:
        from election import __version__ as number
    click.echo(f"dhvote {number}")


def _domain_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Print a refused action's reason and exit 1, instead of a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        from election.errors import DomainError

        try:
            return fn(*args, **kwargs)
        except DomainError as e:
            raise click.ClickException(str(e)) from e

    return wrapper


def _now() -> datetime:
    return datetime.now(UTC)


def _server_key_file() -> Path:
    from election.services.serverkey import KEY_FILE_NAME

    configured = current_app.config.get("SERVER_KEY_FILE")
    return Path(configured) if configured else Path(current_app.instance_path) / KEY_FILE_NAME


@main.command("init-db")
@_domain_errors
def init_db() -> None:
    """Migrate the database to the newest schema and create the server key file."""
    from election import db, migrate
    from election.services.base import SYSTEM
    from election.services.serverkey import ensure_server_key

    url = current_app.config["DATABASE_URL"]
    migrate.upgrade(url)
    click.echo(f"Cơ sở dữ liệu đã ở phiên bản {migrate.head()}: {db.get_engine().url!r}")
    path = _server_key_file()
    record, created = ensure_server_key(db.get_session(), SYSTEM, path, now=_now())
    state = "đã tạo" if created else "đã có"
    click.echo(f"Khóa ký của máy chủ ({state}): {path}, khóa công khai {record.public_key.hex()}")


@main.command("load-congress")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_domain_errors
def load_congress(file: Path) -> None:
    """Create a congress from a YAML or TOML definition FILE (docs/congress-format.md)."""
    from election.db import get_session
    from election.services import definition
    from election.services.base import SYSTEM

    data = definition.read_definition(file)
    loaded = definition.load_congress(get_session(), SYSTEM, data, base_dir=file.parent, now=_now())
    congress = loaded.congress
    click.echo(
        f"Đã nạp đại hội {congress.public_id}: {congress.organization}; "
        f"{loaded.members} người trong danh sách"
    )
    for warning in loaded.warnings:
        click.echo(f"Lưu ý: {warning}", err=True)


@main.command("import-roster")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--congress", "public_id", help="The congress's id (default: the only one).")
@_domain_errors
def import_roster(file: Path, public_id: str | None) -> None:
    """Import a roster FILE (.csv or .xlsx): every row or, if any row is bad, none."""
    from election.db import get_session
    from election.services import roster
    from election.services.base import SYSTEM
    from election.services.congress import single_congress

    session = get_session()
    congress = single_congress(session, public_id)
    members = roster.import_roster(
        session, SYSTEM, congress, file.read_bytes(), file.name, now=_now()
    )
    click.echo(f"Đã nhập {len(members)} người vào danh sách của {congress.public_id}")


@main.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when a congress already exists.")
@_domain_errors
def demo(if_empty: bool) -> None:
    """Load the demo congress (config/demo/); in development also its demo accounts."""
    from election.config import is_production
    from election.db import get_session
    from election.services.base import SYSTEM
    from election.services.demo import DEMO_PASSWORD, load_demo

    production = is_production(current_app.config)
    done = load_demo(
        get_session(), SYSTEM, now=_now(), with_users=not production, if_empty=if_empty
    )
    if done is None:
        click.echo("Đã có đại hội trong cơ sở dữ liệu; không nạp đại hội mẫu.")
        return
    congress = done.loaded.congress
    click.echo(f"Đã nạp đại hội mẫu {congress.public_id}: {congress.organization}")
    if done.users:
        click.echo(f"Tài khoản mẫu: {', '.join(done.users)}; mật khẩu chung: {DEMO_PASSWORD}")
    elif production:
        click.echo("Môi trường production: không tạo tài khoản mẫu.")


@main.command("show")
@_domain_errors
def show() -> None:
    """Print the congresses, bodies, contests and rounds with their states, in Vietnamese."""
    from election.db import get_session
    from election.report import summary

    for line in summary(get_session()):
        click.echo(line)


@main.command("create-user")
@click.argument("username")
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    type=click.Choice(["secretariat", "presidium", "credentials", "counting", "inspection"]),
    help="A role in the congress; repeat the option for several.",
)
@click.option("--congress", "public_id", help="The congress's id (default: the only one).")
@click.option("--full-name", help="The person's full name (asked for when omitted).")
@click.password_option(help="The password (asked for, twice, when omitted).")
@_domain_errors
def create_user(
    username: str,
    roles: tuple[str, ...],
    public_id: str | None,
    full_name: str | None,
    password: str,
) -> None:
    """Create the operator account USERNAME with its roles in a congress."""
    from election.db import get_session
    from election.models import Role
    from election.services import users
    from election.services.base import SYSTEM
    from election.services.congress import single_congress

    session = get_session()
    congress = single_congress(session, public_id)
    if not full_name:
        full_name = click.prompt("Họ và tên")
    users.create_account(
        session,
        SYSTEM,
        username=username,
        full_name=full_name or "",
        password=password,
        congress=congress,
        roles=[Role(role) for role in roles],
        now=_now(),
    )
    click.echo(f"Đã tạo tài khoản {username} ({', '.join(roles)}) trong {congress.public_id}")


def _trusted_keys(given: tuple[str, ...]) -> list[bytes]:
    """The server public keys a checkpoint may be signed with: those given, else the key
    file's. Never the database's own record of the key, which whoever can rewrite the log
    can rewrite too."""
    from election.services.serverkey import load_private_key, public_key_bytes

    if given:
        keys = []
        for text in given:
            try:
                key = bytes.fromhex(text.strip())
            except ValueError:
                key = b""
            if len(key) != 32:
                raise click.BadParameter(
                    f"{text!r} không phải khóa công khai Ed25519 (64 chữ số hex)",
                    param_hint="--public-key",
                )
            keys.append(key)
        return keys
    path = _server_key_file()
    if not path.is_file():
        raise click.ClickException(
            f"Không có tệp khóa của máy chủ ({path}): chỉ ra khóa công khai bằng --public-key"
        )
    return [public_key_bytes(load_private_key(path))]


@main.command("verify-log")
@click.option(
    "--public-key",
    "public_keys",
    multiple=True,
    help="Khóa công khai của máy chủ (hex) mà điểm kiểm soát phải được ký bằng; "
    "mặc định: khóa trong tệp khóa của máy chủ.",
)
@click.option(
    "--interval",
    type=click.IntRange(min=0),
    default=None,
    help="Cứ bao nhiêu mục phải có một điểm kiểm soát (mặc định CHECKPOINT_INTERVAL; "
    "0: không đòi).",
)
@_domain_errors
def verify_log(public_keys: tuple[str, ...], interval: int | None) -> None:
    """Kiểm tra nhật ký sự kiện: chuỗi băm và chữ ký của mọi điểm kiểm soát.

    Exit status 1 on the first problem, which is printed with its position.
    """
    from election.db import get_session
    from election.services import checkpoints

    keys = _trusted_keys(public_keys)
    every = current_app.config["CHECKPOINT_INTERVAL"] if interval is None else interval
    report = checkpoints.verify_log(get_session(), keys, interval=every or None)
    head = report.head.hex() if report.head else "—"
    click.echo(f"Nhật ký sự kiện: {report.entries} mục; mã băm đầu chuỗi {head}")
    if report.last_checkpoint:
        click.echo(
            f"Điểm kiểm soát: {report.checkpoints} có chữ ký hợp lệ, điểm cuối tại mục "
            f"{report.last_checkpoint}"
        )
    else:
        click.echo("Điểm kiểm soát: chưa có điểm nào được xác minh")
    click.echo("Khóa công khai được tin cậy: " + ", ".join(k.hex() for k in keys))
    if report.ok:
        if report.unsigned_tail:
            click.echo(
                f"{report.unsigned_tail} mục sau điểm kiểm soát cuối chỉ được bảo vệ bằng "
                "chuỗi băm."
            )
        click.echo(f"KẾT QUẢ: HỢP LỆ. {report}")
        return
    click.echo(f"KẾT QUẢ: CÓ VẤN ĐỀ. {report.problem}")
    click.get_current_context().exit(1)


@main.command("checkpoint-log")
@click.option("--congress", "public_id", help="The congress's id (default: the only one).")
@_domain_errors
def checkpoint_log(public_id: str | None) -> None:
    """Ký điểm kiểm soát cho nhật ký sự kiện ngay bây giờ (khóa của máy chủ)."""
    from election.db import get_session
    from election.services import checkpoints
    from election.services.base import SYSTEM
    from election.services.congress import single_congress
    from election.services.serverkey import load_private_key

    path = _server_key_file()
    if not path.is_file():
        raise click.ClickException(f"Không có tệp khóa của máy chủ ({path}): chạy dhvote init-db")
    session = get_session()
    congress = single_congress(session, public_id)
    made = checkpoints.create_checkpoint(
        session, SYSTEM, congress, load_private_key(path), now=_now()
    )
    click.echo(f"Đã ký điểm kiểm soát tại mục {made.seq}: {made.head.hex()}")


if __name__ == "__main__":
    main()


def _register_verify() -> None:
    # Listed in `dhvote --help`; `election.entry` runs it before Flask is imported.
    from election.verifier.cli import click_command as verify_command

    main.add_command(verify_command())


_register_verify()

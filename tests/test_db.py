"""``election.db``: engines per dialect, and one session per app context with Flask."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from election import db
from election.config import ConfigError


def test_sqlite_connections_get_their_pragmas(tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'sub' / 'x.sqlite3'}")
    try:
        with engine.connect() as connection:
            pragma = connection.exec_driver_sql
            assert pragma("PRAGMA foreign_keys").scalar() == 1
            assert pragma("PRAGMA journal_mode").scalar() == "wal"
            assert pragma("PRAGMA busy_timeout").scalar() == db.SQLITE_BUSY_TIMEOUT_MS
    finally:
        engine.dispose()
    assert (tmp_path / "sub").is_dir()


def test_sqlite_savepoints_work(tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("CREATE TABLE t (x INTEGER)")
        with engine.begin() as connection:
            connection.exec_driver_sql("INSERT INTO t VALUES (1)")
            nested = connection.begin_nested()
            connection.exec_driver_sql("INSERT INTO t VALUES (2)")
            nested.rollback()
        with engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT x FROM t").scalars().all() == [1]
    finally:
        engine.dispose()


def test_sqlite_begin_immediate_takes_the_write_lock(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    first, second = db.make_engine(url), db.make_engine(url)
    try:
        with first.begin() as connection:
            connection.exec_driver_sql("CREATE TABLE t (x INTEGER)")
        with first.connect() as holder:
            holder = holder.execution_options(**{db.BEGIN_OPTION: "IMMEDIATE"})
            with holder.begin():
                holder.exec_driver_sql("SELECT count(*) FROM t")
                # The lock is held from BEGIN on: another writer cannot start.
                with second.connect() as other:
                    # Straight to the driver: SQLAlchemy would begin a transaction.
                    other.connection.driver_connection.execute("PRAGMA busy_timeout = 0")
                    other = other.execution_options(**{db.BEGIN_OPTION: "IMMEDIATE"})
                    with pytest.raises(sa.exc.OperationalError, match="locked"):
                        other.begin()
        with first.connect() as connection:
            bad = connection.execution_options(**{db.BEGIN_OPTION: "SOMETIMES"})
            with pytest.raises(ValueError, match="IMMEDIATE"):
                bad.begin()
    finally:
        first.dispose()
        second.dispose()


def test_other_databases_are_refused() -> None:
    with pytest.raises(ValueError, match="unsupported"):
        db.make_engine("mysql://localhost/x")


def test_default_url_is_in_the_instance_folder(make_app: Callable[..., Flask]) -> None:
    app = make_app(DATABASE_URL="")
    assert app.config["DATABASE_URL"] == f"sqlite:///{Path(app.instance_path) / 'dhvote.sqlite3'}"


@pytest.mark.parametrize("url", ["mysql://x/y", "dhvote.sqlite3", "postgres://x"])
def test_database_url_is_checked_at_start(make_app: Callable[..., Flask], url: str) -> None:
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        make_app(DATABASE_URL=url)


def test_database_url_from_the_environment(
    make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'env.sqlite3'}"
    monkeypatch.setenv("DHVOTE_DATABASE_URL", url)
    app = make_app()
    # The mapping tests pass wins over the environment, as documented; without it, the
    # environment wins over the default.
    assert app.config["DATABASE_URL"] != url
    config = {"TESTING": True}
    from election import create_app

    assert create_app(config).config["DATABASE_URL"] == url


def test_one_session_per_app_context_rolled_back_and_removed(app: Flask) -> None:
    with app.app_context():
        first = db.get_session()
        assert db.get_session() is first
        first.execute(sa.text("CREATE TABLE t (x INTEGER)"))
        first.commit()
        first.execute(sa.text("INSERT INTO t VALUES (1)"))  # left uncommitted
    with app.app_context():
        second = db.get_session()
        assert second is not first
        assert second.execute(sa.text("SELECT count(*) FROM t")).scalar() == 0


def test_a_request_gets_its_own_session(app: Flask) -> None:
    with app.test_request_context("/"):
        first = db.get_session()
        assert db.get_session() is first
    with app.test_request_context("/"):
        assert db.get_session() is not first


def test_get_session_needs_the_database_bound() -> None:
    bare = Flask("bare")
    with bare.app_context(), pytest.raises(RuntimeError, match="not bound"):
        db.get_session()

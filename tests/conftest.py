"""Shared fixtures, flaskr style: `app`, `client`, `runner`, plus `make_app` for tests that
need their own configuration and `db_url` for tests that need PostgreSQL.

Every app built here is hermetic: `DHVOTE_*` variables from the developer's shell and any
local `config/settings.toml` are hidden from it, and its database and server key file live
in the test's temporary directory.

Database fixtures: `session` is a SQLAlchemy session on an empty, fully created schema,
parametrized over the databases available — SQLite always, PostgreSQL when
`DHVOTE_TEST_DATABASE_URL` is set. SQLite gets a fresh file per test (a copy of a template
made once per run). PostgreSQL gets a fresh schema per test module, and each test runs in
one outer transaction that is rolled back at the end; the session joins it with
`join_transaction_mode="create_savepoint"`, so the services' commits and rollbacks work
inside it as savepoints. Model factories are in `tests/factories.py`.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from hypothesis import settings
from sqlalchemy.orm import Session

from election import create_app

# Hypothesis: no per-example deadline. This 2-core machine's speed drifts by up to 2x within
# minutes, and a deadline would turn that drift into failures that say nothing about the
# code; the example counts stay as each test sets them.
settings.register_profile("dhvote", deadline=None)
settings.load_profile("dhvote")

#: A secret for tests: long enough for the production check, obviously not a real one.
TEST_SECRET_KEY = "test-secret-key-not-for-production-0123456789"

#: The one environment variable the tests themselves read (see `db_url`).
DATABASE_URL_VARIABLE = "DHVOTE_TEST_DATABASE_URL"


@pytest.fixture
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Hide the shell's `DHVOTE_*` settings and point `DHVOTE_CONFIG` at an empty file.

    Returns the settings file's path, so a test can write TOML into it.
    """
    for name in list(os.environ):
        if name.startswith("DHVOTE_") and name != DATABASE_URL_VARIABLE:
            monkeypatch.delenv(name)
    settings_file = tmp_path / "settings.toml"
    settings_file.write_text("", encoding="utf-8")
    monkeypatch.setenv("DHVOTE_CONFIG", str(settings_file))
    return settings_file


@pytest.fixture
def make_app(isolated_env: Path) -> Callable[..., Flask]:
    """Build an app from the test defaults below plus keyword overrides (`ENV="production"`)."""

    def build(**overrides: Any) -> Flask:
        config: dict[str, Any] = {
            "TESTING": True,
            "SECRET_KEY": TEST_SECRET_KEY,
            # Form tests post without tokens; CSRF has its own tests with it switched on.
            "WTF_CSRF_ENABLED": False,
            # Never the developer's instance/ folder.
            "DATABASE_URL": f"sqlite:///{isolated_env.parent / 'app.sqlite3'}",
            "SERVER_KEY_FILE": str(isolated_env.parent / "server-signing-key.pem"),
        }
        config.update(overrides)
        return create_app(config)

    return build


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    return make_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def db_url() -> str:
    """The SQLAlchemy URL of a scratch PostgreSQL database (`.ci/run` exports it).

    Skips when it is not set on a developer's machine, but fails under CI, where a missing
    database means the CI script is broken rather than the test being optional.
    """
    url = os.environ.get(DATABASE_URL_VARIABLE, "")
    if not url:
        message = (
            f"{DATABASE_URL_VARIABLE} is not set "
            "(e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return url


# --------------------------------------------------------------------------- databases


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id with the cheapest parameters: the real ones take half a second a hash."""
    monkeypatch.setattr("election.services.users.HASHER", PasswordHasher.from_parameters(CHEAPEST))


def _database_params() -> list[Any]:
    params: list[Any] = ["sqlite"]
    if os.environ.get(DATABASE_URL_VARIABLE):
        params.append(pytest.param("postgresql", marks=pytest.mark.postgres))
    return params


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite file holding the whole schema, copied for every test that needs one."""
    from election.db import make_engine
    from election.models import Base

    path = tmp_path_factory.mktemp("template") / "schema.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    with engine.connect() as connection:
        # Fold the WAL into the main file, so that copying the file copies the schema.
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="module")
def postgres_engine() -> Iterator[sa.Engine]:
    """An engine on a fresh PostgreSQL schema holding the whole schema, for one module."""
    from election.db import make_engine
    from election.models import Base

    url = os.environ[DATABASE_URL_VARIABLE]
    schema = f"dhvote_test_{secrets.token_hex(6)}"
    admin = make_engine(url)
    with admin.begin() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    engine = make_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    try:
        Base.metadata.create_all(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


@pytest.fixture(params=_database_params())
def session(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path
) -> Iterator[Session]:
    """A session on an empty database with the whole schema (see the module docstring)."""
    from election.db import make_engine

    if request.param == "sqlite":
        path = tmp_path / "test.sqlite3"
        shutil.copyfile(sqlite_template, path)
        engine = make_engine(f"sqlite:///{path}")
        db = Session(engine, expire_on_commit=False)
        try:
            yield db
        finally:
            db.close()
            engine.dispose()
        return
    engine = request.getfixturevalue("postgres_engine")
    connection = engine.connect()
    outer = connection.begin()
    db = Session(bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint")
    try:
        yield db
    finally:
        db.close()
        outer.rollback()
        connection.close()

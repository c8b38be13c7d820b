"""Migrations: upgrade to head and back down to base on SQLite and on PostgreSQL, and the
migrated schema is exactly what the models describe (Alembic's compare_metadata is empty)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from election import migrate
from election.db import make_engine
from election.models import Base, triggers
from tests.conftest import DATABASE_URL_VARIABLE


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database: a new SQLite file, or a new PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
        return
    url = request.getfixturevalue("db_url")
    assert url == os.environ[DATABASE_URL_VARIABLE]
    schema = f"dhvote_migrate_{secrets.token_hex(6)}"
    admin = make_engine(url)
    with admin.begin() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    try:
        yield str(
            sa.make_url(url)
            .update_query_dict({"options": f"-csearch_path={schema}"})
            .render_as_string(hide_password=False)
        )
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


def _tables(engine: sa.Engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names())


def _triggers(engine: sa.Engine) -> set[str]:
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            query = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        else:
            query = (
                "SELECT tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE NOT t.tgisinternal AND n.nspname = current_schema()"
            )
        return set(connection.exec_driver_sql(query).scalars())


def test_upgrade_matches_models_then_downgrade_removes_everything(empty_database: str) -> None:
    engine = make_engine(empty_database)
    try:
        migrate.upgrade(empty_database)
        assert migrate.current_revision(engine) == migrate.head()
        assert _tables(engine) == set(Base.metadata.tables) | {"alembic_version"}
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []

        migrate.downgrade(empty_database)
        assert _tables(engine) <= {"alembic_version"}
        assert migrate.current_revision(engine) is None
        assert _triggers(engine) == set()

        # And up again: a downgrade leaves nothing behind that would stop a new upgrade.
        migrate.upgrade(empty_database)
        assert migrate.current_revision(engine) == migrate.head()
    finally:
        engine.dispose()


def test_migration_and_models_install_the_same_triggers(
    empty_database: str, tmp_path: Path
) -> None:
    migrated = make_engine(empty_database)
    try:
        migrate.upgrade(empty_database)
        from_migration = _triggers(migrated)
    finally:
        migrated.dispose()
    if migrated.dialect.name == "sqlite":
        created = make_engine(f"sqlite:///{tmp_path / 'created.sqlite3'}")
        Base.metadata.create_all(created)
        from_models = _triggers(created)
        created.dispose()
        assert from_migration == from_models
    expected = {
        f"{table}_no_{verb}"
        for table in triggers.APPEND_ONLY_TABLES
        for verb in ("update", "delete")
    }
    if migrated.dialect.name == "postgresql":
        expected = {f"{table}_append_only" for table in triggers.APPEND_ONLY_TABLES}
    assert from_migration == expected


def test_migrated_event_log_is_append_only(empty_database: str) -> None:
    migrate.upgrade(empty_database)
    engine = make_engine(empty_database)
    try:
        with engine.begin() as connection:
            connection.execute(
                sa.text(
                    "INSERT INTO event_log (seq, at, actor, action, object_type, data, "
                    "prev_hash, entry_hash) VALUES (1, :at, 'system', 'test', 'x', '{}', "
                    ":prev, :hash)"
                ),
                {"at": "2025-06-12 01:00:00", "prev": bytes(32), "hash": b"\x01" * 32},
            )
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), engine.begin() as connection:
            connection.exec_driver_sql("DELETE FROM event_log")
    finally:
        engine.dispose()

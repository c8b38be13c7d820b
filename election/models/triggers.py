"""Database triggers that make the event log, its checkpoints and the board append-only.

An UPDATE or DELETE on ``event_log``, ``event_checkpoints`` or ``board_entries`` raises, on
SQLite and on PostgreSQL, so that not even a bug in a service can rewrite history; only
dropping the table (a migration) removes rows. ``APPEND_ONLY_TABLES`` lists the tables; the
statements are attached to the tables' ``after_create`` event, so ``metadata.create_all``
installs them. The first migration (and 0003, for ``event_checkpoints``) carries a frozen
copy of the same statements (a migration must not change when this module does);
``tests/models/test_migrations.py`` checks that both install the same triggers.
"""

from __future__ import annotations

import sqlalchemy as sa

__all__ = [
    "APPEND_ONLY_TABLES",
    "install",
    "postgresql_drop_statements",
    "postgresql_statements",
    "sqlite_statements",
]

#: ``event_checkpoints`` joined in migration 0003: a signed checkpoint is never rewritten.
APPEND_ONLY_TABLES = ("event_log", "board_entries", "event_checkpoints")

_PG_FUNCTION = "dhvote_refuse_change"


def sqlite_statements(table: str) -> list[str]:
    """The SQLite triggers refusing UPDATE and DELETE on ``table``."""
    return [
        f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
        for verb in ("UPDATE", "DELETE")
    ]


def postgresql_statements(table: str) -> list[str]:
    """The PostgreSQL function (shared, idempotent) and trigger refusing changes to ``table``."""
    return [
        f"CREATE OR REPLACE FUNCTION {_PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$",
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {_PG_FUNCTION}()",
    ]


def postgresql_drop_statements() -> list[str]:
    """What a downgrade runs after dropping the tables (their triggers go with them)."""
    return [f"DROP FUNCTION IF EXISTS {_PG_FUNCTION}()"]


def install(metadata: sa.MetaData) -> None:
    """Attach the trigger DDL to the append-only tables of ``metadata``."""
    for name in APPEND_ONLY_TABLES:
        table = metadata.tables[name]
        for statement in sqlite_statements(name):
            sa.event.listen(table, "after_create", sa.DDL(statement).execute_if(dialect="sqlite"))
        for statement in postgresql_statements(name):
            sa.event.listen(
                table,
                "after_create",
                sa.DDL(statement.replace("%", "%%")).execute_if(dialect="postgresql"),
            )

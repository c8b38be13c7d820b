"""Alembic environment: migrates ``election.models.Base.metadata``.

The database comes from, in order: an open connection handed over by the caller
(``config.attributes["connection"]``, used by tests), the ``sqlalchemy.url`` option (set by
``election.migrate``), the ``DHVOTE_DATABASE_URL`` environment variable, and finally the
default SQLite file in ``instance/``. Engines are made by ``election.db.make_engine``, so
SQLite gets the same pragmas as the app.

On SQLite, migrations run with ``render_as_batch`` (ALTER by copying the table) and with
foreign keys switched off while the tables are rebuilt, as Alembic's batch mode requires;
``PRAGMA foreign_key_check`` then refuses to finish if a migration left a dangling key.
"""

from __future__ import annotations

import os
from typing import Any

from alembic import context
from alembic.autogenerate.api import AutogenContext

from election.db import default_sqlite_url, make_engine
from election.models import Base
from election.models.base import CanonicalJSON, UTCDateTime
from election.paths import REPO_ROOT

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    return (
        config.get_main_option("sqlalchemy.url")
        or os.environ.get("DHVOTE_DATABASE_URL")
        or default_sqlite_url(REPO_ROOT / "instance")
    )


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | bool:
    """Render the models' own column types as plain SQLAlchemy types in new revisions, so
    that a revision never imports model code (the schema it describes is frozen)."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if type_ == "type" and isinstance(obj, CanonicalJSON):
        return "sa.Text()"
    return False


def _configure(connection: Any) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=render_item,
    )


def _run(connection: Any) -> None:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # A PRAGMA inside a transaction is ignored, so it goes straight to the driver
        # before SQLAlchemy begins one.
        connection.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")
    try:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        if sqlite:
            dangling = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            connection.commit()
            if dangling:
                raise RuntimeError(f"migration left dangling foreign keys: {dangling[:5]}")
    finally:
        if sqlite:
            connection.connection.driver_connection.execute("PRAGMA foreign_keys = ON")


def run_migrations_offline() -> None:
    context.configure(
        url=_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=_url().startswith("sqlite"),
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(_url())
    try:
        with engine.connect() as connection:
            _run(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()

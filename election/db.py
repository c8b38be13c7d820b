"""Database engines and sessions, with and without Flask.

Services, the CLI and tests build an engine from a URL with ``make_engine`` and sessions
with ``make_session_factory``; they need no app. ``init_app`` binds one engine to a Flask
app and gives each app context (so each request, and each CLI command) its own session
through ``scoped_session``: ``get_session()`` returns it, and the app-context teardown rolls
back whatever was left uncommitted (always after an exception) and removes it. Services
commit; views never do.

SQLite is the embedded default (a file in the instance folder): every connection turns on
foreign keys, WAL journaling and a busy timeout. pysqlite's own transaction handling is
switched off so that SQLAlchemy emits ``BEGIN`` itself: reads and writes then share one
transaction and SAVEPOINT works (SQLAlchemy's documented recipe); the ``BEGIN_OPTION``
execution option asks for ``BEGIN IMMEDIATE`` where a transaction must hold the write lock
from its first read. PostgreSQL is used
through psycopg 3 (``postgresql+psycopg://``).

Flask is imported only inside the Flask helpers, so this module works in a plain script.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, scoped_session, sessionmaker

if TYPE_CHECKING:
    from flask import Flask

__all__ = [
    "BEGIN_OPTION",
    "SQLITE_BUSY_TIMEOUT_MS",
    "default_sqlite_url",
    "get_engine",
    "get_session",
    "init_app",
    "make_engine",
    "make_session_factory",
    "session_scope",
]

#: How long a SQLite connection waits for another writer's lock before failing.
SQLITE_BUSY_TIMEOUT_MS = 5000

#: The default database file name inside the Flask instance folder.
DEFAULT_SQLITE_FILE = "dhvote.sqlite3"

_EXTENSION = "dhvote.db"

#: Execution option choosing how a SQLite transaction begins. A service that reads and then
#: must write without another writer slipping in between (the ballot box assigning board
#: positions) asks for ``IMMEDIATE``, which takes the write lock at BEGIN:
#: ``db.connection(execution_options={BEGIN_OPTION: "IMMEDIATE"})`` before its first query.
#: PostgreSQL ignores it (use ``SELECT … FOR UPDATE`` there).
BEGIN_OPTION = "dhvote_begin"
_BEGIN_MODES = ("DEFERRED", "IMMEDIATE", "EXCLUSIVE")


def default_sqlite_url(instance_path: str | Path) -> str:
    """The SQLite URL of the default database file in ``instance_path``."""
    return f"sqlite:///{Path(instance_path) / DEFAULT_SQLITE_FILE}"


def _configure_sqlite(engine: sa.Engine) -> None:
    @sa.event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Hand transaction control to SQLAlchemy (see the module docstring).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            # In-memory databases cannot use WAL; they keep their "memory" journal.
            cursor.execute("PRAGMA journal_mode = WAL")
            # FULL, not NORMAL: with WAL, NORMAL may lose the last commits on a power cut,
            # and a ballot whose receipt was handed out must never be lost.
            cursor.execute("PRAGMA synchronous = FULL")
        finally:
            cursor.close()

    @sa.event.listens_for(engine, "begin")
    def on_begin(connection: sa.Connection) -> None:
        mode = connection.get_execution_options().get(BEGIN_OPTION, "DEFERRED")
        if mode not in _BEGIN_MODES:
            raise ValueError(f"{BEGIN_OPTION} must be one of {', '.join(_BEGIN_MODES)}")
        connection.exec_driver_sql("BEGIN" if mode == "DEFERRED" else f"BEGIN {mode}")


def make_engine(url: str | sa.URL, **kwargs: Any) -> sa.Engine:
    """Create an engine for ``url`` with the per-dialect settings described above.

    Raises ``ValueError`` for a database other than SQLite or PostgreSQL, since the schema
    and its CHECK constraints are written and tested for those two only.
    """
    parsed = sa.make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(parsed, **kwargs)
        _configure_sqlite(engine)
        return engine
    if backend == "postgresql":
        kwargs.setdefault("pool_pre_ping", True)
        return sa.create_engine(parsed, **kwargs)
    raise ValueError(f"unsupported database {backend!r}: use sqlite or postgresql")


def make_session_factory(engine: sa.Engine) -> sessionmaker[Session]:
    """A session factory on ``engine``.

    ``expire_on_commit=False`` keeps objects readable after a service commits, so a view can
    render what the service returned without another query.
    """
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session for a script or CLI command: rolled back (if anything is pending) and
    closed at the end. Services commit their own work."""
    session = factory()
    try:
        yield session
    finally:
        session.rollback()
        session.close()


class _FlaskDatabase:
    """What ``init_app`` keeps in ``app.extensions``."""

    def __init__(self, engine: sa.Engine) -> None:
        from flask import g

        self.engine = engine
        self.factory = make_session_factory(engine)
        # One session per application context: each request and each CLI command gets its
        # own, and nested test clients do not share one. The scope key is the identity of
        # the context's `g`, which lives exactly as long as the context.
        self.sessions = scoped_session(self.factory, scopefunc=lambda: id(g._get_current_object()))

    def teardown(self, exception: BaseException | None) -> None:
        try:
            # Services commit their own work; anything still pending here is either the
            # remains of a failed request or a view's mistake, and is never committed.
            if self.sessions.registry.has():
                self.sessions.rollback()
        finally:
            self.sessions.remove()


def init_app(app: Flask) -> None:
    """Bind the database to ``app``.

    Uses ``DATABASE_URL``; when it is empty, a SQLite file in the app's instance folder,
    and writes the resolved URL back into the config so commands report what they use.
    """
    url = app.config.get("DATABASE_URL") or default_sqlite_url(app.instance_path)
    app.config["DATABASE_URL"] = url
    database = _FlaskDatabase(make_engine(url))
    app.extensions[_EXTENSION] = database
    app.teardown_appcontext(database.teardown)


def _database() -> _FlaskDatabase:
    from flask import current_app

    try:
        database: _FlaskDatabase = current_app.extensions[_EXTENSION]
    except KeyError as e:
        raise RuntimeError("the database is not bound to this app (election.db.init_app)") from e
    return database


def get_session() -> Session:
    """The current app context's session (one per request or CLI command)."""
    return _database().sessions()


def get_engine() -> sa.Engine:
    """The current app's engine."""
    return _database().engine

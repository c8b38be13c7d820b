"""Run the Alembic migrations in ``migrations/`` from code (``dhvote init-db``, tests).

Plain Alembic, configured here rather than by an ini file so that the app, the CLI and the
tests all migrate the database they were given. ``alembic.ini`` at the repository root
does the same for the ``alembic`` command (``alembic revision --autogenerate``).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from election.paths import REPO_ROOT

__all__ = ["MIGRATIONS_DIR", "alembic_config", "current_revision", "downgrade", "head", "upgrade"]

MIGRATIONS_DIR = REPO_ROOT / "migrations"


def alembic_config(url: str | None = None, connection: sa.Connection | None = None) -> Config:
    """An Alembic config for ``url``, or for an open ``connection`` (which it then uses)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        # ConfigParser interpolates "%"; a password may contain one.
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Migrate the database at ``url`` up to ``revision``."""
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str = "base") -> None:
    """Migrate the database at ``url`` down to ``revision`` (``base`` drops everything)."""
    command.downgrade(alembic_config(url), revision)


def head() -> str:
    """The newest revision in ``migrations/versions``."""
    script = ScriptDirectory.from_config(alembic_config())
    revision = script.get_current_head()
    if revision is None:
        raise RuntimeError("migrations/versions holds no revision")
    return revision


def current_revision(engine: sa.Engine) -> str | None:
    """The revision the database is at, or None for an unmigrated database."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()

"""Fixtures shared by the service tests."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import _database_params


@pytest.fixture(params=_database_params())
def committed_engine(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path
) -> Iterator[sa.Engine]:
    """An engine whose commits other connections see (the ``session`` fixture's PostgreSQL
    transaction is rolled back and invisible to other threads)."""
    from election.db import make_engine

    if request.param == "sqlite":
        path = tmp_path / "box.sqlite3"
        shutil.copyfile(sqlite_template, path)
        engine = make_engine(f"sqlite:///{path}")
        yield engine
        engine.dispose()
    else:
        yield request.getfixturevalue("postgres_engine")

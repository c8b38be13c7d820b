"""The test environment itself: the PostgreSQL database that CI provides is reachable."""

from __future__ import annotations

import pytest
import sqlalchemy as sa


@pytest.mark.postgres
def test_postgres_is_reachable(db_url: str) -> None:
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as connection:
            assert connection.execute(sa.text("select 1")).scalar_one() == 1
            assert connection.dialect.name == "postgresql"
    finally:
        engine.dispose()

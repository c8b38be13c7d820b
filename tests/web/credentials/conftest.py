"""Fixtures of the credentials pages: ``roster`` seeds the ``web`` fixture's database."""

from __future__ import annotations

import pytest

from tests.web.conftest import WebFixture
from tests.web.credentials.seed import Roster, seed


@pytest.fixture
def roster(web: WebFixture) -> Roster:
    return seed(web)

"""Fixtures for the rules engine: ``profile`` runs a test once per rules profile."""

from __future__ import annotations

import pytest

from election.rules import PROFILE_IDS, Profile, load_profile


@pytest.fixture(params=PROFILE_IDS)
def profile(request: pytest.FixtureRequest) -> Profile:
    """Each shipped profile in turn: QD244_2014, then QD190_2024."""
    return load_profile(request.param)

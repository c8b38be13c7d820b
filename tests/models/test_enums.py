"""The stored enumerations mirror the rules engine's, value for value (see
``election.models.enums``): when the engine changes one, this fails and a migration is due."""

from __future__ import annotations

from enum import StrEnum

import pytest

from election import models, rules


@pytest.mark.parametrize(
    ("stored", "engine"),
    [
        (models.Post, rules.Post),
        (models.Membership, rules.Membership),
        (models.CandidateSource, rules.Source),
        (models.Matter, rules.Matter),
        (models.Motion, rules.Motion),
        (models.RoundKind, rules.RoundKind),
        (models.RoundOutcome, rules.RoundStatus),
        (models.CandidateOutcome, rules.Outcome),
        (models.ResultState, rules.ResultState),
        (models.PercentRounding, rules.Rounding),
    ],
)
def test_stored_enum_mirrors_the_rules(stored: type[StrEnum], engine: type[StrEnum]) -> None:
    assert [m.value for m in stored] == [m.value for m in engine]


def test_rules_profile_ids_are_the_shipped_profiles() -> None:
    assert [p.value for p in models.RulesProfileId] == list(rules.PROFILE_IDS)


def test_the_models_package_exports_what_it_lists() -> None:
    assert sorted(models.__all__) == models.__all__
    for name in models.__all__:
        assert getattr(models, name) is not None

"""Quorum as a setting (R-QUORUM-1, UNCONFIRMED; default 2/3)."""

from __future__ import annotations

import pytest

from election.rules import Profile, QuorumNotMet, check_quorum, load_profile, quorum_required
from tests.rules.factories import delegates_base


def test_quorum_boundary_and_error(profile: Profile) -> None:
    base = delegates_base(profile, 90)
    assert quorum_required(base, profile) == 60
    check_quorum(60, base, profile)
    with pytest.raises(QuorumNotMet) as caught:
        check_quorum(59, base, profile)
    assert caught.value.rule_id == "R-QUORUM-1" and "60 needed" in str(caught.value)


def test_quorum_fraction_is_a_setting(profile: Profile) -> None:
    half = load_profile(profile.profile_id, overrides={"majority": {"quorum_fraction": "1/2"}})
    base = delegates_base(profile, 82)
    assert quorum_required(base, half) == 41
    check_quorum(41, base, half)
    with pytest.raises(QuorumNotMet):
        check_quorum(41, base, profile)


@pytest.mark.parametrize("present", [-1, 83, True])
def test_impossible_presence(profile: Profile, present: int) -> None:
    with pytest.raises(ValueError):
        check_quorum(present, delegates_base(profile, 82), profile)

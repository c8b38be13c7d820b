"""Profiles: strict loading of config/rules/*.toml and the documented differences."""

from __future__ import annotations

import re
import shutil
from fractions import Fraction
from pathlib import Path

import pytest

from election.rules import PROFILE_IDS, Post, ProfileError, Rounding, load_profile
from election.rules.majority import ExclusionReason
from election.rules.profiles import RULES_CONFIG_DIR, AlternateOrder


def test_shipped_profiles_load_with_documented_defaults() -> None:
    """Every UNCONFIRMED rule is a named setting with its documented default."""
    for profile_id in PROFILE_IDS:
        p = load_profile(profile_id)
        assert p.profile_id == profile_id
        assert p.majority.quorum_fraction == Fraction(2, 3)  # R-QUORUM-1
        assert p.majority.enforce_control_totals  # R-COUNT-3
        assert p.percent.rounding is Rounding.TRUNCATE and p.percent.decimals == 2  # R-RESULT-9
        assert p.lists.surplus_max == Fraction(3, 10)  # R-LIST-1
        assert (p.lists.proposal_surplus_min, p.lists.proposal_surplus_max) == (
            Fraction(1, 10),
            Fraction(3, 20),
        )
        assert p.lists.small_body_min_surplus == 1  # R-LIST-1
        assert p.lists.floor_nominee_min_agreement == Fraction(3, 10)  # R-LIST-3
        assert not p.lists.surplus_limits_in_further_rounds  # R-LIST-1
        assert p.lists.surplus_posts == {Post.COMMITTEE, Post.STANDING_COMMITTEE}  # R-LIST-9
        assert p.lists.name_order == ("given", "family", "middle")  # R-LIST-10
        assert p.ballots.write_in_invalid  # R-BALLOT-4.4
        assert p.ballots.identifying_marks_invalid  # R-BALLOT-4.5
        assert p.ballots.single_name_both_or_none_invalid  # R-BALLOT-4.6
        assert p.rounds.tie_revote_requires_majority  # R-RESULT-7
        assert p.rounds.direct_secretary_failure_refers  # R-DIRECT-5
        assert p.rounds.secretary_nomination_ballot  # R-CONF-3
        assert p.delegates.alternate_order is AlternateOrder.VOTES_DESC  # R-HIGHER-4
        assert ExclusionReason.SUSPENDED in p.majority.committee_session_exclusions  # R-RESULT-4


def test_profiles_differ_where_section_13_says() -> None:
    old, new = load_profile("QD244_2014"), load_profile("QD190_2024")
    assert old.citations.results == "244-QĐ/TW Điều 32"
    assert new.citations.results == "190-QĐ/TW Điều 30"
    assert old.citations.ballot.endswith("Điều 17") and new.citations.ballot.endswith("Điều 15")
    assert old.citations.counting_board.endswith("Điều 7")
    assert new.citations.counting_board.endswith("Điều 8")
    assert old.citations.list_restrictions.endswith("Điều 13")
    assert new.citations.list_restrictions.endswith("Điều 11")
    assert "Hướng dẫn" in old.citations.surplus and "Điều 14" in new.citations.surplus
    assert new.voting.secret_ballot - old.voting.secret_ballot == {"state_post_introduction"}


def copy_profile(tmp_path: Path, profile_id: str = "QD190_2024") -> Path:
    target = tmp_path / f"{profile_id}.toml"
    shutil.copy(RULES_CONFIG_DIR / f"{profile_id}.toml", target)
    return target


def edit(path: Path, pattern: str, replacement: str) -> None:
    text = path.read_text(encoding="utf-8")
    new, count = re.subn(pattern, replacement, text, count=1, flags=re.M)
    assert count == 1, pattern
    path.write_text(new, encoding="utf-8")


@pytest.mark.parametrize(
    ("pattern", "replacement", "message"),
    [
        (r'^quorum_fraction = "2/3"', "quorum_fraction = 0.6667", "fraction string"),
        (r'^quorum_fraction = "2/3"', 'quorum_fraction = "3/2"', "between 0 and 1"),
        (r'^quorum_fraction = "2/3"', 'quorum_fraction = "2/0"', "fraction string"),
        (r"^decimals = 2", "decimals = true", "integer"),
        (r"^decimals = 2", "decimals = 9", "integer from 0 to 6"),
        (r"^write_in_invalid = true", "write_in_invalid = 1", "true or false"),
        (r'^rounding = "truncate"', 'rounding = "bankers"', "one of"),
        (r"^small_body_min_surplus = 1\n", "", "missing key 'small_body_min_surplus'"),
        (r"^decimals = 2", "decimals = 2\nround_to = 2", "unknown key"),
        (r'^id = "QD190_2024"', 'id = "QD244_2014"', "expected 'QD190_2024'"),
        (r'^surplus_posts = \["committee"', 'surplus_posts = ["committe"', "a list of"),
        (r'^    "suspended",\n', '    "suspended",\n    "suspended",\n', "without repeats"),
        (
            r'^    "suspended",\n',
            '    "suspended",\n    "temporary_activity_elsewhere",\n',
            "committee_session_exclusions may only name",
        ),
        (r'^    "credentials_report",', '    "credentials_report",\n    "committee",', "both"),
        (r'^proposal_surplus_max = "3/20"', 'proposal_surplus_max = "1/2"', "proposal_surplus_min"),
        (r'^name_order = \["given", "family", "middle"\]', 'name_order = ["given"]', "ordering"),
        (r"^\[delegates\]", "[delegates]\nx = [", "not valid TOML"),
    ],
)
def test_malformed_profiles_are_refused(
    tmp_path: Path, pattern: str, replacement: str, message: str
) -> None:
    path = copy_profile(tmp_path)
    edit(path, pattern, replacement)
    with pytest.raises(ProfileError, match=re.escape(message)):
        load_profile("QD190_2024", config_dir=tmp_path)


def test_missing_profile_and_bad_id(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="does not exist"):
        load_profile("QD999_2099", config_dir=tmp_path)
    with pytest.raises(ProfileError, match="not a profile id"):
        load_profile("../settings")


def test_overrides_are_validated_like_the_file() -> None:
    p = load_profile("QD244_2014", overrides={"majority": {"quorum_fraction": "1/2"}})
    assert p.majority.quorum_fraction == Fraction(1, 2)
    with pytest.raises(ProfileError, match="unknown key"):
        load_profile("QD244_2014", overrides={"majority": {"quorum": "1/2"}})
    with pytest.raises(ProfileError, match="unknown table"):
        load_profile("QD244_2014", overrides={"nonsense": {}})
    with pytest.raises(ProfileError, match="fraction string"):
        load_profile("QD244_2014", overrides={"majority": {"quorum_fraction": 0.5}})


def test_profiles_are_frozen() -> None:
    p = load_profile("QD190_2024")
    with pytest.raises(AttributeError):
        p.profile_id = "other"  # type: ignore[misc]

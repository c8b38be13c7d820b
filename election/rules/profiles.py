"""Rules profiles: the two election regulations, kept as data in ``config/rules/``.

A profile is loaded from ``config/rules/<id>.toml`` into a frozen ``Profile``. The files
hold the article citations of each regulation and every setting that RULES.md leaves open
(rules marked UNCONFIRMED become named settings with their documented default). Loading is
strict: an unknown key, a missing key or a value of the wrong type raises ``ProfileError``
naming the file, the table and the key. Nothing is coerced by guessing: a fraction is the
string ``"2/3"``, never the float ``0.666``.

Profiles: ``QD244_2014`` (Quyết định 244-QĐ/TW, 2014) and ``QD190_2024`` (Quyết định
190-QĐ/TW, 2024). RULES.md section 13 lists how they differ.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from pathlib import Path
from typing import Any, TypeVar

from election.paths import CONFIG_DIR
from election.rules.contests import Post
from election.rules.errors import ProfileError
from election.rules.majority import COMMITTEE_SESSION_REASONS, ExclusionReason
from election.rules.methods import Matter
from election.rules.percent import PercentDisplay, Rounding
from election.rules.values import is_whole

__all__ = [
    "PROFILE_IDS",
    "RULES_CONFIG_DIR",
    "AlternateOrder",
    "BallotSettings",
    "Citations",
    "DelegateSettings",
    "ListSettings",
    "MajoritySettings",
    "Profile",
    "RoundSettings",
    "VotingSettings",
    "load_profile",
]

#: The profiles shipped in ``config/rules/``.
PROFILE_IDS = ("QD244_2014", "QD190_2024")

#: Where the profile files live (the repository's ``config/rules/``).
RULES_CONFIG_DIR = CONFIG_DIR / "rules"

NAME_PARTS = ("given", "family", "middle")


class AlternateOrder(StrEnum):
    """How alternate delegates are ordered for replacement (R-HIGHER-4, UNCONFIRMED)."""

    #: By votes, highest first; equal votes share a rank.
    VOTES_DESC = "votes_desc"
    #: No order is proposed; the higher congress's convening committee decides.
    UNORDERED = "unordered"


@dataclass(frozen=True)
class Citations:
    """Where each topic sits in the profile's regulation, for traces and minutes."""

    regulation: str
    guidance: str
    results: str
    ballot: str
    list_restrictions: str
    surplus: str
    floor_nominees: str
    counting_board: str
    delegates_upward: str
    complaints: str
    retention: str


@dataclass(frozen=True)
class ListSettings:
    """Candidate-list settings (R-LIST-1, R-LIST-3, R-LIST-9, R-LIST-10)."""

    #: Posts whose list must have a surplus, capped by ``surplus_max`` (R-LIST-1, R-LIST-9).
    surplus_posts: frozenset[Post]
    #: The surplus the congress may fix: at most this fraction of seats (R-LIST-1).
    surplus_max: Fraction
    #: A surplus of this many people is always allowed (R-LIST-1, SECONDARY setting).
    small_body_min_surplus: int
    #: The band the convening committee's own list should fall in (R-LIST-1): warn outside.
    proposal_surplus_min: Fraction
    proposal_surplus_max: Fraction
    #: A floor nominee needs strictly more than this share of attendees (R-LIST-3).
    floor_nominee_min_agreement: Fraction
    #: Whether a further round's list is checked against the surplus limits (R-LIST-1,
    #: UNCONFIRMED setting, default no).
    surplus_limits_in_further_rounds: bool
    #: Sort keys for the A-B-C order (R-LIST-10): given name first, then family, middle.
    name_order: tuple[str, str, str]


@dataclass(frozen=True)
class BallotSettings:
    """Invalid-ballot cases RULES.md marks UNCONFIRMED (R-BALLOT-4.4, 4.5, 4.6)."""

    write_in_invalid: bool
    identifying_marks_invalid: bool
    single_name_both_or_none_invalid: bool


@dataclass(frozen=True)
class MajoritySettings:
    """Majority base and quorum settings (R-RESULT-4, R-QUORUM-1, R-COUNT-3)."""

    #: The exclusions a committee session applies to its incumbents (UNCONFIRMED).
    committee_session_exclusions: frozenset[ExclusionReason]
    #: Share of N that must be present (R-QUORUM-1, UNCONFIRMED, default 2/3).
    quorum_fraction: Fraction
    #: Enforce collected <= issued <= present and entitled (R-COUNT-3, UNCONFIRMED).
    enforce_control_totals: bool


@dataclass(frozen=True)
class RoundSettings:
    """Further rounds and the pilot (R-RESULT-7, R-DIRECT-5, R-CONF-3)."""

    #: Whether the winner of a tie-break round must again have 2*votes > N (UNCONFIRMED).
    tie_revote_requires_majority: bool
    #: Whether a failed direct secretary vote is referred to the higher committee instead of
    #: going to a further round (R-DIRECT-5, UNCONFIRMED).
    direct_secretary_failure_refers: bool
    #: Whether the congress holds a secretary nomination ballot (R-CONF-3).
    secretary_nomination_ballot: bool


@dataclass(frozen=True)
class DelegateSettings:
    """Delegates to the higher congress (R-HIGHER-4)."""

    alternate_order: AlternateOrder


@dataclass(frozen=True)
class VotingSettings:
    """Which matters are decided by secret ballot and which by open vote (R-FORM-1, R-FORM-2)."""

    secret_ballot: frozenset[Matter]
    open_vote: frozenset[Matter]


@dataclass(frozen=True)
class Profile:
    """One regulation's rules as data; every engine function takes one."""

    profile_id: str
    title: str
    citations: Citations
    lists: ListSettings
    ballots: BallotSettings
    majority: MajoritySettings
    rounds: RoundSettings
    percent: PercentDisplay
    delegates: DelegateSettings
    voting: VotingSettings


def load_profile(
    profile_id: str,
    *,
    config_dir: Path | None = None,
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
) -> Profile:
    """Load ``<config_dir>/<profile_id>.toml`` (default ``config/rules/``) strictly.

    ``overrides`` replaces individual settings, table by table, e.g.
    ``{"percent": {"rounding": "half_up"}}`` for a congress that rounds; the result is
    validated exactly like the file. Raises ``ProfileError`` on any problem.
    """
    if not re.fullmatch(r"[A-Za-z0-9_]+", profile_id or ""):
        raise ProfileError(f"not a profile id: {profile_id!r}")
    path = (config_dir or RULES_CONFIG_DIR) / f"{profile_id}.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise ProfileError(f"no rules profile {profile_id!r}: {path} does not exist") from e
    except tomllib.TOMLDecodeError as e:
        raise ProfileError(f"{path.name}: not valid TOML: {e}") from e
    for table, values in (overrides or {}).items():
        if table not in data or not isinstance(data[table], dict):
            raise ProfileError(f"{path.name}: cannot override unknown table [{table}]")
        data[table] = {**data[table], **values}
    profile = _parse(data, path.name)
    if profile.profile_id != profile_id:
        raise ProfileError(f"{path.name}: id is {profile.profile_id!r}, expected {profile_id!r}")
    return profile


# ------------------------------------------------------------------------- strict reading

E = TypeVar("E", bound=StrEnum)


class _Table:
    """Reads one TOML table, refusing wrong types, and refuses keys nobody read."""

    def __init__(self, data: Any, where: str) -> None:
        if not isinstance(data, dict):
            raise ProfileError(f"{where}: expected a table")
        self.data = data
        self.where = where
        self.read: set[str] = set()

    def _get(self, key: str) -> Any:
        if key not in self.data:
            raise ProfileError(f"{self.where}: missing key {key!r}")
        self.read.add(key)
        return self.data[key]

    def _fail(self, key: str, expected: str, value: Any) -> ProfileError:
        return ProfileError(f"{self.where}: {key} must be {expected}, got {value!r}")

    def table(self, key: str) -> _Table:
        return _Table(self._get(key), f"{self.where} [{key}]")

    def text(self, key: str) -> str:
        value = self._get(key)
        if not isinstance(value, str) or not value.strip():
            raise self._fail(key, "a non-empty string", value)
        return value

    def boolean(self, key: str) -> bool:
        value = self._get(key)
        if not isinstance(value, bool):
            raise self._fail(key, "true or false", value)
        return value

    def integer(self, key: str, low: int, high: int) -> int:
        value = self._get(key)
        if not is_whole(value, low=low, high=high):
            raise self._fail(key, f"an integer from {low} to {high}", value)
        return value

    def fraction(self, key: str, *, allow_zero: bool = False) -> Fraction:
        value = self._get(key)
        match = re.fullmatch(r"(\d+)/(\d+)", value) if isinstance(value, str) else None
        if match is None or int(match[2]) == 0:
            raise self._fail(key, 'a fraction string such as "2/3"', value)
        result = Fraction(int(match[1]), int(match[2]))
        if not (0 <= result if allow_zero else 0 < result) or result > 1:
            raise self._fail(key, "a fraction between 0 and 1", value)
        return result

    def choice(self, key: str, enum: type[E]) -> E:
        value = self._get(key)
        try:
            return enum(value)
        except ValueError as e:
            allowed = ", ".join(repr(m.value) for m in enum)
            raise self._fail(key, f"one of {allowed}", value) from e

    def choices(self, key: str, enum: type[E]) -> frozenset[E]:
        value = self._get(key)
        if not isinstance(value, list):
            raise self._fail(key, "a list", value)
        try:
            members = [enum(item) for item in value]
        except ValueError as e:
            allowed = ", ".join(repr(m.value) for m in enum)
            raise self._fail(key, f"a list of {allowed}", value) from e
        if len(set(members)) != len(members):
            raise self._fail(key, "a list without repeats", value)
        return frozenset(members)

    def done(self) -> None:
        unknown = sorted(set(self.data) - self.read)
        if unknown:
            raise ProfileError(f"{self.where}: unknown key(s) {', '.join(unknown)}")


def _parse(data: dict[str, Any], name: str) -> Profile:
    top = _Table(data, name)
    profile_id = top.text("id")
    title = top.text("title")

    c = top.table("citations")
    citations = Citations(**{field: c.text(field) for field in Citations.__dataclass_fields__})
    c.done()

    t = top.table("lists")
    name_order = t._get("name_order")
    if not isinstance(name_order, list) or sorted(name_order) != sorted(NAME_PARTS):
        raise t._fail("name_order", f"an ordering of {list(NAME_PARTS)}", name_order)
    lists = ListSettings(
        surplus_posts=t.choices("surplus_posts", Post),
        surplus_max=t.fraction("surplus_max"),
        small_body_min_surplus=t.integer("small_body_min_surplus", 0, 10),
        proposal_surplus_min=t.fraction("proposal_surplus_min", allow_zero=True),
        proposal_surplus_max=t.fraction("proposal_surplus_max"),
        floor_nominee_min_agreement=t.fraction("floor_nominee_min_agreement", allow_zero=True),
        surplus_limits_in_further_rounds=t.boolean("surplus_limits_in_further_rounds"),
        name_order=(name_order[0], name_order[1], name_order[2]),
    )
    t.done()
    if not lists.proposal_surplus_min <= lists.proposal_surplus_max <= lists.surplus_max:
        raise ProfileError(f"{name} [lists]: need proposal_surplus_min <= _max <= surplus_max")

    t = top.table("ballots")
    ballots = BallotSettings(
        write_in_invalid=t.boolean("write_in_invalid"),
        identifying_marks_invalid=t.boolean("identifying_marks_invalid"),
        single_name_both_or_none_invalid=t.boolean("single_name_both_or_none_invalid"),
    )
    t.done()

    t = top.table("majority")
    majority = MajoritySettings(
        committee_session_exclusions=t.choices("committee_session_exclusions", ExclusionReason),
        quorum_fraction=t.fraction("quorum_fraction"),
        enforce_control_totals=t.boolean("enforce_control_totals"),
    )
    t.done()
    stray = majority.committee_session_exclusions - COMMITTEE_SESSION_REASONS
    if stray:
        raise ProfileError(
            f"{name} [majority]: committee_session_exclusions may only name "
            f"{sorted(r.value for r in COMMITTEE_SESSION_REASONS)}, not {sorted(stray)}"
        )

    t = top.table("rounds")
    rounds = RoundSettings(
        tie_revote_requires_majority=t.boolean("tie_revote_requires_majority"),
        direct_secretary_failure_refers=t.boolean("direct_secretary_failure_refers"),
        secretary_nomination_ballot=t.boolean("secretary_nomination_ballot"),
    )
    t.done()

    t = top.table("percent")
    percent = PercentDisplay(t.choice("rounding", Rounding), t.integer("decimals", 0, 6))
    t.done()

    t = top.table("delegates")
    delegates = DelegateSettings(t.choice("alternate_order", AlternateOrder))
    t.done()

    t = top.table("voting")
    voting = VotingSettings(t.choices("secret_ballot", Matter), t.choices("open_vote", Matter))
    t.done()
    if voting.secret_ballot & voting.open_vote:
        both = sorted(m.value for m in voting.secret_ballot & voting.open_vote)
        raise ProfileError(f"{name} [voting]: listed under both methods: {both}")

    top.done()
    return Profile(
        profile_id, title, citations, lists, ballots, majority, rounds, percent, delegates, voting
    )

"""Loading a congress from a definition file, YAML or TOML (docs/congress-format.md).

The file describes the congress, its bodies (and who already sits in them), its sessions,
positions and contests, with each contest's nominations; it may name a roster file to
import. Everything is created through the setup services in one transaction: a mistake
anywhere loads nothing. Reading is strict, like the rules profiles: an unknown key, a
missing key or a value of the wrong type raises ``DefinitionError`` naming where it is.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.orm import Session

from election.errors import DefinitionError
from election.models import (
    Body,
    BodyRole,
    CandidateSource,
    Congress,
    CongressSession,
    Member,
    SessionKind,
)
from election.rules.values import is_whole
from election.services import candidates, roster
from election.services import congress as setup
from election.services.base import Actor, service

__all__ = ["LoadedCongress", "load_congress", "read_definition"]


def read_definition(path: Path) -> dict[str, Any]:
    """Parse ``path`` (.yaml/.yml or .toml) into a mapping; ``DefinitionError`` if unreadable."""
    suffix = path.suffix.lower()
    if suffix not in (".yaml", ".yml", ".toml"):
        raise DefinitionError(f"{path.name}: a definition is a .yaml, .yml or .toml file")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise DefinitionError(f"cannot read {path}: {e}") from e
    try:
        data = tomllib.loads(text) if suffix == ".toml" else yaml.safe_load(text)
    except (yaml.YAMLError, tomllib.TOMLDecodeError) as e:
        raise DefinitionError(f"{path.name} is not valid {suffix[1:].upper()}: {e}") from e
    if not isinstance(data, dict):
        raise DefinitionError(f"{path.name}: the top level must be a mapping")
    return data


class _Reader:
    """One mapping of the definition, read strictly; ``done`` refuses keys nobody read."""

    def __init__(self, data: Any, where: str) -> None:
        if not isinstance(data, Mapping):
            raise DefinitionError(f"{where}: expected a mapping, got {data!r}")
        self.data = data
        self.where = where
        self.read: set[str] = set()

    def _fail(self, key: str, expected: str) -> DefinitionError:
        return DefinitionError(f"{self.where}.{key}: expected {expected}, got {self.data[key]!r}")

    def has(self, key: str) -> bool:
        self.read.add(key)
        return self.data.get(key) is not None

    def get(self, key: str, default: Any = ...) -> Any:
        self.read.add(key)
        if key not in self.data or self.data[key] is None:
            if default is ...:
                raise DefinitionError(f"{self.where}: missing key {key!r}")
            return default
        return self.data[key]

    def text(self, key: str, default: Any = ...) -> Any:
        value = self.get(key, default)
        if value is not default and not isinstance(value, str):
            raise self._fail(key, "text")
        return value

    def integer(self, key: str, default: Any = ...) -> Any:
        value = self.get(key, default)
        if value is not default and not is_whole(value):
            raise self._fail(key, "an integer")
        return value

    def boolean(self, key: str, default: bool) -> bool:
        value = self.get(key, default)
        if not isinstance(value, bool):
            raise self._fail(key, "true or false")
        return value

    def items(self, key: str) -> list[Any]:
        value = self.get(key, [])
        if not isinstance(value, list):
            raise self._fail(key, "a list")
        return value

    def date(self, key: str) -> date | None:
        value = self.get(key, None)
        if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError as e:
            raise self._fail(key, "a date such as 2025-06-12") from e

    def moment(self, key: str) -> datetime | None:
        value = self.get(key, None)
        if value is None:
            return None
        if not isinstance(value, datetime):
            try:
                value = datetime.fromisoformat(str(value))
            except ValueError as e:
                raise self._fail(key, "a date and time such as 2025-06-12T07:30:00+07:00") from e
        if value.tzinfo is None:
            raise self._fail(key, "a time with its UTC offset (+07:00)")
        return value

    def done(self) -> None:
        unknown = sorted(str(key) for key in self.data if key not in self.read)
        if unknown:
            raise DefinitionError(f"{self.where}: unknown key(s) {', '.join(unknown)}")


@dataclass(frozen=True)
class LoadedCongress:
    """What a definition created: the congress, the number imported, the rules' warnings."""

    congress: Congress
    members: int
    warnings: tuple[str, ...]


def _members(db: Session, congress: Congress) -> dict[str, Member]:
    db.flush()
    return {m.code: m for m in congress.members}


def _member(people: Mapping[str, Member], code: Any, where: str) -> Member:
    if not isinstance(code, str) or code not in people:
        raise DefinitionError(f"{where}: {code!r} is not on the roster")
    return people[code]


def _seats(reader: _Reader, key: str, where: str) -> list[tuple[Any, BodyRole]]:
    seats = []
    for i, item in enumerate(reader.items(key)):
        if isinstance(item, str):
            seats.append((item, BodyRole.MEMBER))
            continue
        seat = _Reader(item, f"{where}.{key}[{i}]")
        code = seat.text("member")
        try:
            role = BodyRole(seat.text("role", "member"))
        except ValueError as e:
            raise DefinitionError(f"{seat.where}.role: {e}") from e
        seat.done()
        seats.append((code, role))
    return seats


@service
def load_congress(
    db: Session, actor: Actor, data: Mapping[str, Any], *, base_dir: Path, now: datetime
) -> LoadedCongress:
    """Create the congress that ``data`` (a parsed definition) describes; ``base_dir`` is
    where a roster file named in it is looked up."""
    top = _Reader(data, "definition")
    c = _Reader(top.get("congress"), "congress")
    congress = setup.create_congress(
        db,
        actor,
        public_id=c.text("id"),
        organization=c.text("organization"),
        ordinal=c.integer("ordinal"),
        term=c.text("term"),
        kind=c.text("kind"),
        rules_profile=c.text("rules_profile"),
        place=c.text("place", None),
        opens_on=c.date("opens_on"),
        quorum_fraction=c.text("quorum_fraction", None),
        percent_rounding=c.text("percent_rounding", None),
        percent_decimals=c.integer("percent_decimals", None),
        now=now,
    )
    c.done()

    imported = 0
    if top.has("roster"):
        name = top.text("roster")
        path = (base_dir / name).resolve()
        try:
            content = path.read_bytes()
        except OSError as e:
            raise DefinitionError(f"roster: cannot read {path}: {e}") from e
        imported = len(roster.import_roster(db, actor, congress, content, path.name, now=now))
    people = _members(db, congress)

    bodies: dict[str, Body] = {}
    for i, item in enumerate(top.items("bodies")):
        b = _Reader(item, f"bodies[{i}]")
        body = setup.add_body(
            db,
            actor,
            congress,
            code=b.text("code"),
            kind=b.text("kind"),
            name=b.text("name"),
            now=now,
        )
        for code, role in _seats(b, "members", b.where):
            member = _member(people, code, f"{b.where}.members")
            setup.add_body_member(db, actor, body, member, role=role, now=now)
        b.done()
        bodies[body.code] = body

    def body_ref(reader: _Reader, key: str) -> Body | None:
        code = reader.text(key, None)
        if code is None:
            return None
        if code not in bodies:
            raise DefinitionError(f"{reader.where}.{key}: no body {code!r}")
        return bodies[code]

    sessions: dict[int, CongressSession] = {}
    for i, item in enumerate(top.items("sessions")):
        s = _Reader(item, f"sessions[{i}]")
        meets = body_ref(s, "body")
        sitting = setup.add_session(
            db,
            actor,
            congress,
            number=s.integer("number"),
            title=s.text("title"),
            kind=SessionKind.COMMITTEE_SESSION if meets else SessionKind.PLENARY,
            body=meets,
            scheduled_at=s.moment("scheduled_at"),
            now=now,
        )
        s.done()
        sessions[sitting.number] = sitting

    positions = {}
    for i, item in enumerate(top.items("positions")):
        p = _Reader(item, f"positions[{i}]")
        owner = body_ref(p, "body")
        if owner is None:
            raise DefinitionError(f"{p.where}: missing key 'body'")
        position = setup.add_position(
            db,
            actor,
            congress,
            code=p.text("code"),
            title=p.text("title"),
            post=p.text("post"),
            seats=p.integer("seats"),
            body=owner,
            body_role=p.text("role", "member"),
            chosen_from=body_ref(p, "chosen_from"),
            now=now,
        )
        p.done()
        positions[position.code] = position

    warnings: list[str] = []
    for i, item in enumerate(top.items("contests")):
        t = _Reader(item, f"contests[{i}]")
        position_code = t.text("position")
        if position_code not in positions:
            raise DefinitionError(f"{t.where}.position: no position {position_code!r}")
        contest = setup.add_contest(
            db,
            actor,
            congress,
            code=t.text("code"),
            position=positions[position_code],
            agenda_order=t.integer("order"),
            electorate=body_ref(t, "electorate"),
            direct=t.boolean("direct", False),
            list_owner=body_ref(t, "list_owner"),
            now=now,
        )
        for j, entry in enumerate(t.items("nominations")):
            where = f"{t.where}.nominations[{j}]"
            if isinstance(entry, str):
                entry = {"member": entry}
            n = _Reader(entry, where)
            member = _member(people, n.text("member"), where)
            try:
                source = CandidateSource(n.text("source", "official"))
            except ValueError as e:
                raise DefinitionError(f"{where}.source: {e}") from e
            nominator = None
            if n.has("nominator"):
                nominator = _member(people, n.text("nominator"), f"{where}.nominator")
            nomination = candidates.nominate(
                db, actor, contest, member, source=source, nominator=nominator, now=now
            )
            if n.has("opinion"):
                o = _Reader(n.get("opinion"), f"{where}.opinion")
                candidates.record_opinion_ballot(
                    db,
                    actor,
                    nomination,
                    agree=o.integer("agree"),
                    attending=o.integer("attending"),
                    now=now,
                )
                o.done()
            n.done()
        if t.has("session"):
            number = t.integer("session")
            if number not in sessions:
                raise DefinitionError(f"{t.where}.session: no session {number}")
            built = candidates.build_candidate_list(
                db, actor, contest, sitting=sessions[number], now=now
            )
            warnings += [f"{contest.code}: {w}" for w in built.warnings]
        t.done()
    top.done()
    return LoadedCongress(congress, imported, tuple(warnings))

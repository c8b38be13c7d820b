"""Congress definition files (YAML and TOML) and the demo congress built from one."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from election.errors import DefinitionError, InvalidInput, RuleViolation
from election.models import (
    BodyRole,
    CandidateSource,
    Congress,
    CongressKind,
    Event,
    Member,
    Nomination,
    Role,
    RoleAssignment,
    RoundState,
)
from election.services import definition, demo, events
from election.services.base import SYSTEM
from tests import factories as f

TOML = """
[congress]
id = "dh-toml-2025"
organization = "Chi bộ Phòng Thử nghiệm"
ordinal = 2
term = "2025–2027"
kind = "members_congress"
rules_profile = "QD244_2014"
opens_on = 2025-05-20

[[bodies]]
code = "cu"
kind = "convening_committee"
name = "Chi ủy khóa I"
members = [{member = "A1", role = "head"}]

[[bodies]]
code = "cu-moi"
kind = "executive_committee"
name = "Chi ủy khóa II"

[[sessions]]
number = 1
title = "Phiên chính thức"
scheduled_at = 2025-05-20T08:00:00+07:00

[[positions]]
code = "chi-uy"
title = "Chi ủy viên"
post = "committee"
seats = 3
body = "cu-moi"

[[contests]]
code = "bau-chi-uy"
position = "chi-uy"
order = 1
session = 1
nominations = [
    "A1", "A2", "A3",
    {member = "A4", source = "self", opinion = {agree = 5, attending = 6}},
]
"""

ROSTER = "Mã,Họ và tên,Năm sinh,Giới tính\nA1,Lê Văn An,1970,Nam\nA2,Trần Thị Bình,1975,Nữ\n"
ROSTER += "A3,Phạm Văn Cường,1980,Nam\nA4,Vũ Thị Dung,1985,Nữ\nA5,Đỗ Văn Em,1986,Nam\n"


def _write(tmp_path: Path, text: str, name: str = "congress.toml") -> Path:
    (tmp_path / "roster.csv").write_text(ROSTER, encoding="utf-8")
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _load(db: Session, path: Path) -> definition.LoadedCongress:
    data = definition.read_definition(path)
    return definition.load_congress(db, SYSTEM, data, base_dir=path.parent, now=f.NOW)


def test_load_a_toml_definition(session: Session, tmp_path: Path) -> None:
    path = _write(tmp_path, 'roster = "roster.csv"\n' + TOML)
    loaded = _load(session, path)
    congress = loaded.congress
    assert (congress.public_id, congress.kind) == ("dh-toml-2025", CongressKind.MEMBERS)
    assert loaded.members == 5
    convening = congress.bodies[0]
    assert [(s.member.code, s.role) for s in convening.memberships] == [("A1", BodyRole.HEAD)]
    (contest,) = congress.contests
    (round_,) = contest.rounds
    assert round_.state is RoundState.DRAFT
    assert [c.member.given_name for c in round_.candidates] == ["An", "Bình", "Cường", "Dung"]
    self_nominated = session.scalars(
        sa.select(Nomination).where(Nomination.source == CandidateSource.SELF)
    ).one()
    assert (self_nominated.opinion_agree, self_nominated.opinion_attending) == (5, 6)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("ordinal = 2", "ordinal = 2\nmayor = true"), "unknown key"),
        (('code = "bau-chi-uy"\n', ""), "missing key 'code'"),
        (('position = "chi-uy"', 'position = "nope"'), "no position"),
        (('"A3",', '"Z9",'), "not on the roster"),
        (("seats = 3", 'seats = "ba"'), "an integer"),
        (("2025-05-20T08:00:00+07:00", "2025-05-20T08:00:00"), "UTC offset"),
    ],
)
def test_mistakes_name_their_place_and_load_nothing(
    session: Session, tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    path = _write(tmp_path, 'roster = "roster.csv"\n' + TOML.replace(*change))
    with pytest.raises((DefinitionError, InvalidInput), match=message):
        _load(session, path)
    assert session.scalar(sa.select(sa.func.count()).select_from(Congress)) == 0
    assert session.scalar(sa.select(sa.func.count()).select_from(Member)) == 0
    assert session.scalar(sa.select(sa.func.count()).select_from(Event)) == 0


def test_a_list_that_breaks_the_rules_loads_nothing(session: Session, tmp_path: Path) -> None:
    # Four names for three committee seats is fine; two names is no surplus (R-LIST-1).
    start = TOML.index("nominations = [")
    end = TOML.index("]\n", TOML.index("A4", start)) + 1
    text = TOML[:start] + 'nominations = ["A1", "A2"]' + TOML[end:]
    path = _write(tmp_path, 'roster = "roster.csv"\n' + text)
    with pytest.raises(RuleViolation):
        _load(session, path)
    assert session.scalar(sa.select(sa.func.count()).select_from(Congress)) == 0


def test_yaml_and_unreadable_files(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("congress: [unclosed", encoding="utf-8")
    with pytest.raises(DefinitionError, match="not valid YAML"):
        definition.read_definition(path)
    path.write_text("- a list\n", encoding="utf-8")
    with pytest.raises(DefinitionError, match="mapping"):
        definition.read_definition(path)
    with pytest.raises(DefinitionError, match=".yaml, .yml or .toml"):
        definition.read_definition(tmp_path / "c.json")


def test_the_demo_congress(session: Session) -> None:
    done = demo.load_demo(session, SYSTEM, now=f.NOW, with_users=True)
    assert done is not None
    congress = done.loaded.congress
    assert congress.public_id == "stp-vangiang-2025"
    assert "Sở Tư pháp" in congress.organization
    members = congress.members
    assert len(members) == 90
    assert len({m.party_cell for m in members}) == 6
    assert sum(m.membership.value == "probationary" for m in members) == 6
    assert sum(m.temporary_activity_elsewhere for m in members) == 1
    assert sum(m.absence_excused for m in members) == 1
    by_code = {c.code: c for c in congress.contests}
    assert [c.position.seats for c in congress.contests] == [9, 3, 1, 1, 5, 1, 3, 1]
    first = by_code["bau-bch"].rounds[0]
    assert len(first.candidates) == 11 and first.seats == 9
    assert by_code["bau-ubkt"].electorate is not None
    assert done.users == ("thuky", "chutich", "thamtra", "kiemphieu", "kiemtra")
    roles = set(session.scalars(sa.select(RoleAssignment.role)))
    assert roles == set(Role)
    assert events.verify_chain(session) > 90
    # Loading again is a conflict, unless asked to do nothing when a congress exists.
    assert demo.load_demo(session, SYSTEM, now=f.NOW, with_users=True, if_empty=True) is None


def test_demo_without_users(session: Session) -> None:
    done = demo.load_demo(session, SYSTEM, now=f.NOW, with_users=False)
    assert done is not None and done.users == ()
    assert session.scalar(sa.select(sa.func.count()).select_from(RoleAssignment)) == 0

"""A small roster for the credentials pages, written into the ``web`` fixture's database.

Ten people in two party cells of a members' congress: nine official members and one
probationary; one official member is suspended and one excused for the whole congress, so
before anyone checks in N = 9 - 2 = 7 and the quorum (2/3) is 5. Two plenary sessions, the
new committee's session (two of them sit on that committee) and one plenary contest whose
N the rules engine computes (``eligibility.majority_base``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from election.db import make_engine
from election.models import BodyKind, Congress, Gender, Membership
from tests import factories as f
from tests.web.conftest import WebFixture

#: (full name, party cell, birth year, gender, extra flags)
PEOPLE = [
    ("Nguyễn Văn A", "Chi bộ Văn phòng", 1975, Gender.MALE, {}),
    ("Trần Thị Bình", "Chi bộ Văn phòng", 1995, Gender.FEMALE, {}),
    ("Lê Đức Cường", "Chi bộ Kế toán", 1960, Gender.MALE, {}),
    (
        "Phạm Ngọc Dung",
        "Chi bộ Kế toán",
        2000,
        Gender.FEMALE,
        {"membership": Membership.PROBATIONARY},
    ),
    ("Hoàng Minh Đức", "Chi bộ Kế toán", 1982, Gender.MALE, {"absence_excused": True}),
    ("Vũ Thu Hà", "Chi bộ Văn phòng", 1988, Gender.FEMALE, {"suspended": True}),
    ("Đỗ Văn Giang", "Chi bộ Văn phòng", 1970, Gender.MALE, {}),
    ("Bùi Thị Lan", "Chi bộ Kế toán", 1985, Gender.FEMALE, {}),
    ("Ngô Quang Long", "Chi bộ Văn phòng", 1979, Gender.MALE, {}),
    ("Đặng Thu Mai", "Chi bộ Kế toán", 1991, Gender.FEMALE, {}),
]


@dataclass(frozen=True)
class Roster:
    """Ids of what ``seed`` made (objects would not outlive its session)."""

    url: str
    congress_id: int
    public_id: str
    ids: dict[str, int]
    contest_id: int
    committee_session: int

    def id(self, name: str) -> int:
        return self.ids[name]

    @contextmanager
    def db(self) -> Iterator[Session]:
        """A session of its own on the app's database, to check what the pages stored."""
        engine = make_engine(self.url)
        try:
            with Session(engine, expire_on_commit=False) as session:
                yield session
        finally:
            engine.dispose()


def seed(web: WebFixture) -> Roster:
    url = web.app.config["DATABASE_URL"]
    engine = make_engine(url)
    with Session(engine, expire_on_commit=False) as db:
        congress = db.scalars(
            sa.select(Congress).where(Congress.public_id == web.congress_public_id)
        ).one()
        ids = {}
        members = []
        for name, cell, year, gender, flags in PEOPLE:
            member = f.make_member(db, congress, full_name=name, birth_year=year, **flags)
            member.party_cell = cell
            member.gender = gender
            member.unit = "Sở Thử nghiệm"
            ids[name] = member.id
            members.append(member)
        db.flush()
        f.make_sitting(db, congress, 1)
        f.make_sitting(db, congress, 2)
        committee = f.make_body(db, congress, BodyKind.EXECUTIVE_COMMITTEE, members=members[:2])
        f.make_sitting(db, congress, 3, body=committee)
        contest = f.make_contest(db, congress, f.make_position(db, congress))
        db.commit()
        roster = Roster(url, congress.id, congress.public_id, ids, contest.id, 3)
    engine.dispose()
    return roster

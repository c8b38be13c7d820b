"""Helpers for the secretariat, presidium and hall tests (web and browser).

``seed_pilot`` fills the ``web`` fixture's congress with a small pilot congress: 12 official
members and one probationary member, a convening committee, the new executive committee
and standing committee (empty until elected), a counting board, a plenary session with
everybody checked in and credentialed, the contests committee → standing committee →
secretary, and the committee's list of 6 for 5 seats built as the draft first round.
``db_session`` opens a session on the fixture's database outside any request, the way the
CLI would, so a test can change the state while a page is open.

``audit_html`` lists what the Content Security Policy would block in a page.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser

from sqlalchemy.orm import Session

import crypto
from election.db import make_engine
from election.models import (
    Body,
    BodyKind,
    BodyRole,
    Congress,
    Member,
    Membership,
    Post,
    Round,
    SessionKind,
)
from election.services import candidates, rounds
from election.services import congress as setup
from election.services.base import SYSTEM
from election.services.congress import get_congress
from tests import factories
from tests.web.conftest import WebFixture

__all__ = [
    "Pilot",
    "audit_html",
    "db_session",
    "finish_round",
    "load_congress",
    "load_round",
    "seed_pilot",
]


#: The pilot's 12 official members (fictional names), with their years of birth.
NAMES = (
    ("Trần Thị Mỹ Dung", 1975),
    ("Nguyễn Văn Bình", 1970),
    ("Lê Minh Châu", 1978),
    ("Phạm Quốc Hùng", 1968),
    ("Hoàng Thị Lan", 1981),
    ("Vũ Đức Anh", 1983),
    ("Đặng Thu Hà", 1985),
    ("Bùi Văn Sơn", 1979),
    ("Đỗ Thị Ngọc Mai", 1987),
    ("Ngô Quang Vinh", 1976),
    ("Dương Thị Hạnh", 1982),
    ("Lương Văn Tâm", 1973),
)


@contextmanager
def db_session(web: WebFixture) -> Iterator[Session]:
    """A session on the web fixture's database, closed (and its engine disposed) after."""
    engine = make_engine(web.app.config["DATABASE_URL"])
    db = Session(engine, expire_on_commit=False)
    try:
        yield db
    finally:
        db.close()
        engine.dispose()


@dataclass(frozen=True)
class Pilot:
    """Ids of what ``seed_pilot`` made (objects do not outlive its session)."""

    congress_id: int
    sitting_id: int
    committee_sitting_id: int
    committee_contest_id: int
    standing_contest_id: int
    secretary_contest_id: int
    round_id: int
    member_ids: tuple[int, ...]
    probationary_id: int
    nominee_ids: tuple[int, ...]


def _body(
    db: Session,
    congress: Congress,
    kind: BodyKind,
    code: str,
    members: list[Member],
    name: str,
) -> Body:
    body = setup.add_body(db, SYSTEM, congress, code=code, kind=kind, name=name, now=factories.NOW)
    for i, member in enumerate(members):
        role = BodyRole.HEAD if i == 0 else BodyRole.MEMBER
        setup.add_body_member(db, SYSTEM, body, member, role=role, now=factories.NOW)
    return body


def seed_pilot(web: WebFixture, *, ceremony: bool = True) -> Pilot:
    """Give the web fixture's congress the structure described in the module docstring."""
    with db_session(web) as db:
        congress = get_congress(db, web.congress_public_id)
        people = [
            factories.make_member(db, congress, code=f"DV{i:03d}", full_name=name, birth_year=year)
            for i, (name, year) in enumerate(NAMES, start=1)
        ]
        probationary = factories.make_member(
            db,
            congress,
            code="DV013",
            full_name="Lý Thị Thu Trang",
            birth_year=1998,
            membership=Membership.PROBATIONARY,
        )
        convening = _body(
            db,
            congress,
            BodyKind.CONVENING_COMMITTEE,
            "cap-uy",
            people[:3],
            "Ban Chấp hành khóa II",
        )
        committee = _body(
            db, congress, BodyKind.EXECUTIVE_COMMITTEE, "bch", [], "Ban Chấp hành khóa III"
        )
        standing = _body(
            db, congress, BodyKind.STANDING_COMMITTEE, "btv", [], "Ban Thường vụ khóa III"
        )
        board = people[9:]
        _body(db, congress, BodyKind.COUNTING_BOARD, "kiem-phieu", board, "Ban Kiểm phiếu")
        sitting = setup.add_session(
            db, SYSTEM, congress, number=1, title="Phiên chính thức — bầu cử", now=factories.NOW
        )
        committee_sitting = setup.add_session(
            db,
            SYSTEM,
            congress,
            number=2,
            title="Hội nghị lần thứ nhất Ban Chấp hành",
            kind=SessionKind.COMMITTEE_SESSION,
            body=committee,
            now=factories.NOW,
        )
        committee_title, standing_title = "Ủy viên Ban Chấp hành", "Ủy viên Ban Thường vụ"
        positions = {
            "uv-bch": (Post.COMMITTEE, 5, committee, BodyRole.MEMBER, None, committee_title),
            "uv-btv": (
                Post.STANDING_COMMITTEE,
                3,
                standing,
                BodyRole.MEMBER,
                committee,
                standing_title,
            ),
            "bi-thu": (Post.SECRETARY, 1, committee, BodyRole.HEAD, standing, "Bí thư Đảng ủy"),
        }
        made = {}
        for order, (code, (post, seats, body, role, chosen, title)) in enumerate(
            positions.items(), start=1
        ):
            position = setup.add_position(
                db,
                SYSTEM,
                congress,
                code=code,
                title=title,
                post=post,
                seats=seats,
                body=body,
                body_role=role,
                chosen_from=chosen,
                now=factories.NOW,
            )
            made[code] = setup.add_contest(
                db,
                SYSTEM,
                congress,
                code=f"bau-{code}",
                position=position,
                agenda_order=order,
                direct=post is not Post.COMMITTEE,
                list_owner=convening,
                now=factories.NOW,
            )
        for member in people:
            factories.issue_credential(db, member)
        factories.check_in(db, [*people, probationary], sitting)
        if ceremony:
            factories.make_ceremony(db, congress, board)
        nominees = people[:6]
        for member in nominees:
            candidates.nominate(db, SYSTEM, made["uv-bch"], member, now=factories.NOW)
        built = candidates.build_candidate_list(
            db, SYSTEM, made["uv-bch"], sitting=sitting, now=factories.NOW
        )
        return Pilot(
            congress_id=congress.id,
            sitting_id=sitting.id,
            committee_sitting_id=committee_sitting.id,
            committee_contest_id=made["uv-bch"].id,
            standing_contest_id=made["uv-btv"].id,
            secretary_contest_id=made["bi-thu"].id,
            round_id=built.round.id,
            member_ids=tuple(m.id for m in people),
            probationary_id=probationary.id,
            nominee_ids=tuple(m.id for m in nominees),
        )


def load_round(db: Session, pilot: Pilot) -> Round:
    round_ = db.get(Round, pilot.round_id)
    assert round_ is not None
    return round_


def load_congress(db: Session, pilot: Pilot) -> Congress:
    congress = db.get(Congress, pilot.congress_id)
    assert congress is not None
    return congress


class _Audit(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "script":
            self._in_script = True
            if not attributes.get("src"):
                self.problems.append(f"<script> without src: {attrs}")
        if tag == "style":
            self.problems.append("<style> element")
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.problems.append(f"inline attribute {name} on <{tag}>")
            if name in {"href", "src", "action"} and (value or "").startswith("javascript:"):
                self.problems.append(f"javascript: URL on <{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.problems.append(f"inline script body: {data.strip()[:60]!r}")


def audit_html(html: str) -> list[str]:
    """What the CSP would block in ``html``: inline scripts, styles and event handlers."""
    audit = _Audit()
    audit.feed(html)
    return audit.problems


def finish_round(db: Session, round_: Round, ballots: int) -> None:
    """Take an open round with ``ballots`` ballots on its board to an announced result,
    through the services, as ``factories.run_to`` does from a draft."""
    rounds.close_round(db, SYSTEM, round_, now=factories.later(20))
    form = crypto.form_for(round_.form_kind.value, len(round_.candidates), round_.seats)
    sums = [(bytes([i + 1]) * 32, bytes([i + 2]) * 32) for i in range(len(form.counters))]
    rounds.record_tally(db, SYSTEM, round_, sums, ballots=ballots, now=factories.later(30))
    rounds.record_decryption(
        db,
        SYSTEM,
        round_,
        shares={j: {"guardian": j} for j in (1, 2)},
        counts=factories.decrypted_counts(round_, ballots),
        now=factories.later(40),
    )
    rounds.announce_result(db, SYSTEM, round_, now=factories.later(50))

"""The credentials desk's reads: accent-insensitive search, badges by public key, the
session summary (N and quorum from eligibility itself), and the bulk recognition."""

from __future__ import annotations

import unicodedata

import pytest
from sqlalchemy.orm import Session

from election.errors import InvalidState, NotFound, PermissionDenied
from election.models import BodyKind, CongressKind, Member, Post, Role
from election.services import credentials, eligibility
from election.services import credentials_desk as desk
from election.services.base import SYSTEM
from tests import factories as f


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Nguyễn Văn A", "nguyen van a"),
        ("ĐẶNG  Thu   Mai", "dang thu mai"),
        ("Hoàng Minh Đức", "hoang minh duc"),
        (unicodedata.normalize("NFD", "Lê Thị Huệ"), "le thi hue"),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert desk.fold(text) == folded


def test_matches_every_word_anywhere() -> None:
    assert desk.matches("nguyen van a", "Nguyễn Văn An", "DV001")
    assert desk.matches("dv001 an", "Nguyễn Văn An", "DV001")
    assert not desk.matches("nguyen thi", "Nguyễn Văn An")
    assert desk.matches("", "anything")


def test_roster_rows_filters(session: Session) -> None:
    congress = f.make_congress(session)
    a = f.make_member(session, congress, full_name="Nguyễn Văn A")
    b = f.make_member(session, congress, full_name="Trần Thị Bình")
    a.party_cell, b.party_cell = "Chi bộ 1", "Chi bộ 2"
    f.recognise(session, a)
    assert [r.member for r in desk.roster_rows(session, congress, query="nguyen")] == [a]
    assert [r.member for r in desk.roster_rows(session, congress, party_cell="Chi bộ 2")] == [b]
    pending = desk.roster_rows(session, congress, status=desk.ReviewStatus.PENDING)
    assert [r.member for r in pending] == [b]
    [row] = desk.roster_rows(session, congress, member_ids=[a.id])
    assert row.may_receive_credential and row.present is None
    assert desk.party_cells(session, congress) == ["Chi bộ 1", "Chi bộ 2"]


def test_credential_by_public_key(session: Session) -> None:
    congress = f.make_congress(session)
    other = f.make_congress(session)
    member = f.make_member(session, congress)
    credential = f.issue_credential(session, member, f.public_key(1))
    assert desk.credential_by_public_key(session, congress, f.public_key(1)) is credential
    with pytest.raises(NotFound):
        desk.credential_by_public_key(session, other, f.public_key(1))
    with pytest.raises(NotFound):
        desk.credential_by_public_key(session, congress, f.public_key(2))
    credentials.revoke_credential(session, SYSTEM, credential, reason="Mất thẻ", now=f.NOW)
    with pytest.raises(InvalidState):
        desk.credential_by_public_key(session, congress, f.public_key(1))


@pytest.mark.parametrize("kind", [CongressKind.MEMBERS, CongressKind.DELEGATES])
def test_the_session_electorate_gives_the_n_of_a_real_contest(
    session: Session, kind: CongressKind
) -> None:
    """``Electorate`` stands in for a contest: its N must be that contest's N, at a plenary
    session and at a committee session."""
    congress = f.make_congress(session, kind=kind)
    people = f.make_members(session, congress, 9)
    flags = {"suspended": True} if kind is CongressKind.MEMBERS else {}
    for name, value in flags.items():
        setattr(people[0], name, value)
    committee = f.make_body(session, congress, BodyKind.EXECUTIVE_COMMITTEE, members=people[:5])
    plenary = f.make_sitting(session, congress, 1)
    committee_sitting = f.make_sitting(session, congress, 2, body=committee)
    f.check_in(session, people[1:7], plenary)
    f.check_in(session, people[1:4], committee_sitting)
    congress_contest = f.make_contest(session, congress, f.make_position(session, congress))
    body_contest = f.make_contest(
        session,
        congress,
        f.make_position(session, congress, post=Post.INSPECTION_COMMISSION),
        electorate=committee,
    )
    for contest, sitting in ((congress_contest, plenary), (body_contest, committee_sitting)):
        expected = eligibility.majority_base(session, contest, sitting)
        summary = desk.sitting_summary(session, sitting)
        assert summary.base == expected
        assert summary.convened == len(eligibility.electorate_members(session, contest))
    assert desk.sitting_summary(session, plenary).present == 6
    assert desk.sitting_summary(session, committee_sitting).convened == 5


def test_summary_without_anyone_in_n(session: Session) -> None:
    congress = f.make_congress(session, kind=CongressKind.DELEGATES)
    f.make_members(session, congress, 3)
    sitting = f.make_sitting(session, congress, 1)
    # At a delegates' congress nobody who never attended counts: N cannot be computed yet.
    summary = desk.sitting_summary(session, sitting)
    assert summary.base is None and summary.quorum_required is None
    assert not summary.quorum_met and summary.convened == 3


def test_default_sitting(session: Session) -> None:
    congress = f.make_congress(session)
    assert desk.default_sitting(congress) is None
    first = f.make_sitting(session, congress, 1)
    second = f.make_sitting(session, congress, 2)
    session.refresh(congress)
    assert desk.default_sitting(congress) is first
    first.opened_at, first.closed_at = f.NOW, f.later(60)
    second.opened_at = f.later(90)
    assert desk.default_sitting(congress) is second


def test_recognise_pending(session: Session) -> None:
    congress = f.make_congress(session)
    people = f.make_members(session, congress, 4)
    people[0].party_cell = people[1].party_cell = "Chi bộ 1"
    credentials.review_member(
        session, SYSTEM, people[1], recognised=False, reason="Vi phạm", now=f.NOW
    )
    board = f.make_actor(session, congress, Role.CREDENTIALS)
    presidium = f.make_actor(session, congress, Role.PRESIDIUM)
    with pytest.raises(PermissionDenied):
        desk.recognise_pending(session, presidium, congress, now=f.NOW)
    assert desk.recognise_pending(session, board, congress, now=f.NOW, party_cell="Chi bộ 1") == 1
    assert desk.recognise_pending(session, board, congress, now=f.NOW) == 2
    reviews = {m.code: session.get(Member, m.id).review for m in people}  # type: ignore[union-attr]
    assert [r.recognised for r in reviews.values() if r] == [True, False, True, True]

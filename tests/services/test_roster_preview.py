"""A roster previewed exactly as it would be imported, writing nothing
(election/services/roster_preview.py)."""

from __future__ import annotations

import hashlib

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from election.errors import InvalidInput
from election.models import Member
from election.services import roster_preview
from tests import factories as f

HEADER = "Mã,Họ và tên,Năm sinh,Giới tính\n"


def _members(session: Session) -> int:
    return int(session.scalar(sa.select(sa.func.count()).select_from(Member)) or 0)


def test_good_rows(session: Session) -> None:
    congress = f.make_congress(session)
    data = (HEADER + "DV1,Nguyễn Văn An,1980,Nam\nDV2,Trần Thị Bình,1985,Nữ\n").encode()
    preview = roster_preview.preview_roster(session, congress, data, "C/tai-lieu/ds.csv", now=f.NOW)
    assert preview.ok and preview.filename == "ds.csv"
    assert preview.sha256 == hashlib.sha256(data).hexdigest()
    assert [r.code for r in preview.rows] == ["DV1", "DV2"]
    assert _members(session) == 0


def test_bad_rows_and_taken_codes(session: Session) -> None:
    congress = f.make_congress(session)
    f.make_member(session, congress, code="DV1")
    bad = (HEADER + "DV2,Nguyễn Văn An,19x0,Nam\n").encode()
    preview = roster_preview.preview_roster(session, congress, bad, "ds.csv", now=f.NOW)
    assert not preview.ok and preview.rows == ()
    assert [p.line for p in preview.problems] == [2]
    taken = (HEADER + "DV1,Nguyễn Văn An,1980,Nam\nDV3,Lê Văn Cường,1979,Nam\n").encode()
    preview = roster_preview.preview_roster(session, congress, taken, "ds.csv", now=f.NOW)
    assert not preview.ok
    assert [(p.line, "DV1" in p.reason) for p in preview.problems] == [(2, True)]
    assert _members(session) == 1


def test_not_a_roster_file(session: Session) -> None:
    congress = f.make_congress(session)
    with pytest.raises(InvalidInput):
        roster_preview.preview_roster(session, congress, b"x", "ds.txt", now=f.NOW)

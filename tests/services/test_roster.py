"""Roster import: CSV and Excel, Vietnamese or English headers, all rows or none."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from openpyxl import Workbook
from sqlalchemy.orm import Session

from election.errors import InvalidInput, PermissionDenied, RosterImportError
from election.models import CongressKind, DelegateKind, Event, Gender, Member, Membership, Role
from election.services import roster
from election.services.base import SYSTEM
from tests import factories as f

HEADER = "Mã,Họ và tên,Năm sinh,Giới tính,Chi bộ,Đảng viên"
GOOD = [
    "DV001,Nguyễn Văn An,1975,Nam,Chi bộ Văn phòng,chính thức",
    "DV002,Trần Thị Bình,1990,Nữ,Chi bộ Văn phòng,dự bị",
    "DV003,Lê Minh Cường,1982,nam,Chi bộ Thanh tra,",
]


def csv_bytes(*lines: str, bom: bool = False) -> bytes:
    text = "\n".join(lines) + "\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _count(db: Session) -> int:
    return db.scalar(sa.select(sa.func.count()).select_from(Member)) or 0


def test_import_a_csv_roster(session: Session) -> None:
    congress = f.make_congress(session)
    members = roster.import_roster(
        session, SYSTEM, congress, csv_bytes(HEADER, *GOOD, bom=True), "ds.csv", now=f.NOW
    )
    assert [m.code for m in members] == ["DV001", "DV002", "DV003"]
    an, binh, cuong = members
    assert (an.family_name, an.middle_name, an.given_name) == ("Nguyễn", "Văn", "An")
    assert binh.membership is Membership.PROBATIONARY and binh.gender is Gender.FEMALE
    assert cuong.membership is Membership.OFFICIAL and cuong.party_cell == "Chi bộ Thanh tra"
    event = session.scalars(sa.select(Event).where(Event.action == "roster.import")).one()
    assert event.data["imported"] == 3 and len(event.data["sha256"]) == 64


def test_one_bad_row_imports_nothing_and_names_the_row(session: Session) -> None:
    congress = f.make_congress(session)
    data = csv_bytes(HEADER, GOOD[0], "DV002,Trần Thị Bình,năm ngoái,Nữ,Chi bộ Văn phòng,", GOOD[2])
    with pytest.raises(RosterImportError) as raised:
        roster.import_roster(session, SYSTEM, congress, data, "ds.csv", now=f.NOW)
    assert [p.line for p in raised.value.problems] == [3]
    assert "Năm sinh" in raised.value.problems[0].reason
    assert "dòng 3" in str(raised.value)
    assert _count(session) == 0


def test_every_bad_row_is_reported(session: Session) -> None:
    congress = f.make_congress(session)
    data = csv_bytes(
        HEADER,
        "DV001,Nguyễn Văn An,1975,Nam,,",
        "DV001,Trần Thị Bình,1990,Nữ,,",  # the code again
        ",Lê Cường,1982,Nam,,",  # no code
        "DV004,Phạm,1982,Nam,,",  # one word: no given name
        "DV005,Hoàng Văn Đức,1982,Nam,,danh dự",  # unknown membership
        "DV006,Vũ Thị Giang,1982,Khác,,",  # unknown gender
        "DV007,Đỗ Văn Hải,2020,Nam,,",  # too young to be a member
    )
    with pytest.raises(RosterImportError) as raised:
        roster.import_roster(session, SYSTEM, congress, data, "ds.csv", now=f.NOW)
    assert [p.line for p in raised.value.problems] == [3, 4, 5, 6, 7, 8]
    assert _count(session) == 0


def test_codes_already_on_the_roster_are_refused(session: Session) -> None:
    congress = f.make_congress(session)
    roster.import_roster(session, SYSTEM, congress, csv_bytes(HEADER, GOOD[0]), "a.csv", now=f.NOW)
    with pytest.raises(RosterImportError) as raised:
        roster.import_roster(
            session, SYSTEM, congress, csv_bytes(HEADER, GOOD[1], GOOD[0]), "b.csv", now=f.NOW
        )
    assert [p.line for p in raised.value.problems] == [3]
    assert _count(session) == 1


def test_english_and_unaccented_headers_and_semicolons(session: Session) -> None:
    congress = f.make_congress(session)
    data = csv_bytes(
        "code;full_name;birth_year;GENDER;Ho va ten dem",
    )
    with pytest.raises(RosterImportError, match="unknown column"):
        roster.parse_roster(data, "x.csv", kind=congress.kind, year=2025)
    data = csv_bytes(
        "code;Ho va ten;birth_year;GENDER;Ten;sinh hoat tam thoi noi khac",
        "A1;Nguyễn Thị Minh Khai;1970;female;Minh Khai;x",
    )
    (row,) = roster.parse_roster(data, "x.csv", kind=congress.kind, year=2025)
    assert (row.family_name, row.middle_name, row.given_name) == ("Nguyễn", "Thị", "Minh Khai")
    assert row.temporary_activity_elsewhere


def test_missing_required_columns(session: Session) -> None:
    with pytest.raises(RosterImportError) as raised:
        roster.parse_roster(
            csv_bytes("Mã,Họ và tên", "A,Nguyễn An"), "x.csv", kind=CongressKind.MEMBERS, year=2025
        )
    assert {p.line for p in raised.value.problems} == {1}
    assert "Năm sinh" in str(raised.value) and "Giới tính" in str(raised.value)


def test_an_excused_absence_needs_its_reason(session: Session) -> None:
    header = "Mã,Họ và tên,Năm sinh,Giới tính,Vắng cả đại hội có lý do,Lý do vắng"
    with pytest.raises(RosterImportError, match="Lý do vắng"):
        roster.parse_roster(
            csv_bytes(header, "A,Nguyễn An,1970,Nam,có,"),
            "x.csv",
            kind=CongressKind.MEMBERS,
            year=2025,
        )
    (row,) = roster.parse_roster(
        csv_bytes(header, "A,Nguyễn An,1970,Nam,có,Ốm dài ngày"),
        "x.csv",
        kind=CongressKind.MEMBERS,
        year=2025,
    )
    assert row.absence_excused and row.absence_reason == "Ốm dài ngày"


def test_delegates_congress_roster(session: Session) -> None:
    congress = f.make_congress(session, kind=CongressKind.DELEGATES)
    header = "Mã,Họ và tên,Năm sinh,Giới tính,Loại đại biểu"
    with pytest.raises(RosterImportError, match="Loại đại biểu"):
        roster.import_roster(
            session,
            SYSTEM,
            congress,
            csv_bytes("Mã,Họ và tên,Năm sinh,Giới tính", "A,Lê An,1970,Nam"),
            "x.csv",
            now=f.NOW,
        )
    data = csv_bytes(header, "A,Lê An,1970,Nam,đương nhiên", "B,Lê Bình,1971,Nam,dự khuyết")
    a, b = roster.import_roster(session, SYSTEM, congress, data, "x.csv", now=f.NOW)
    assert (a.delegate_kind, b.delegate_kind) == (DelegateKind.EX_OFFICIO, DelegateKind.ALTERNATE)
    bad = csv_bytes(header + ",Đình chỉ sinh hoạt", "C,Lê Cường,1972,Nam,bầu,có")
    with pytest.raises(RosterImportError, match="members' congress"):
        roster.import_roster(session, SYSTEM, congress, bad, "x.csv", now=f.NOW)


def test_import_an_xlsx_roster(session: Session) -> None:
    congress = f.make_congress(session)
    data = xlsx_bytes(
        [
            ["Mã", "Họ và tên", "Năm sinh", "Giới tính", "Chi bộ"],
            ["X1", "Nguyễn Văn An", 1975, "Nam", "Chi bộ 1"],
            [None, None, None, None, None],
            ["X2", "Trần Thị Bình", 1980.0, "Nữ", None],
        ]
    )
    members = roster.import_roster(session, SYSTEM, congress, data, "ds.xlsx", now=f.NOW)
    assert [(m.code, m.birth_year) for m in members] == [("X1", 1975), ("X2", 1980)]


def test_xlsx_bad_row_has_its_sheet_row_number(session: Session) -> None:
    congress = f.make_congress(session)
    data = xlsx_bytes(
        [
            ["Mã", "Họ và tên", "Năm sinh", "Giới tính"],
            ["X1", "Nguyễn Văn An", 1975, "Nam"],
            ["X2", "Trần Thị Bình", "?", "Nữ"],
        ]
    )
    with pytest.raises(RosterImportError) as raised:
        roster.import_roster(session, SYSTEM, congress, data, "ds.xlsx", now=f.NOW)
    assert [p.line for p in raised.value.problems] == [3]
    assert _count(session) == 0


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"\xff\xfe not utf-8", "a.csv", "UTF-8"),
        (b"not a zip", "a.xlsx", "xlsx"),
        (b"", "a.csv", "empty"),
        (csv_bytes(HEADER), "a.csv", "no rows"),
    ],
)
def test_unreadable_files(data: bytes, name: str, message: str) -> None:
    with pytest.raises(RosterImportError, match=message):
        roster.parse_roster(data, name, kind=CongressKind.MEMBERS, year=2025)


def test_other_file_types_are_refused() -> None:
    with pytest.raises(InvalidInput, match=".csv or .xlsx"):
        roster.parse_roster(b"", "roster.ods", kind=CongressKind.MEMBERS, year=2025)


def test_import_needs_the_secretariat(session: Session) -> None:
    congress = f.make_congress(session)
    credentials = f.make_actor(session, congress, Role.CREDENTIALS)
    with pytest.raises(PermissionDenied):
        roster.import_roster(
            session, credentials, congress, csv_bytes(HEADER, *GOOD), "a.csv", now=f.NOW
        )


def test_split_name() -> None:
    assert roster.split_name("Nguyễn Thị Minh Khai") == ("Nguyễn", "Thị Minh", "Khai")
    assert roster.split_name("Nguyễn Thị Minh Khai", "Minh Khai") == ("Nguyễn", "Thị", "Minh Khai")
    assert roster.split_name("Lê An") == ("Lê", "", "An")
    with pytest.raises(ValueError, match="end the full name"):
        roster.split_name("Nguyễn Văn An", "Bình")

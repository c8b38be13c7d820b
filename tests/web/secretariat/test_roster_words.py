"""Roster row problems reworded in Vietnamese (election/web/secretariat/roster_words.py).

The reasons come from the real parser, so a change of wording in
``election.services.roster`` fails here instead of quietly showing English."""

from __future__ import annotations

import pytest
from flask import Flask

from election.errors import RosterImportError
from election.models import CongressKind
from election.services.roster import parse_roster
from election.web.secretariat.roster_words import translate_reason

HEADER = (
    "Mã,Họ và tên,Tên,Năm sinh,Giới tính,Đảng viên,Miễn sinh hoạt,"
    "Vắng cả đại hội có lý do,Lý do vắng,Loại đại biểu\n"
)


def _reasons(text: str, kind: CongressKind = CongressKind.MEMBERS) -> list[str]:
    with pytest.raises(RosterImportError) as caught:
        parse_roster(text.encode(), "ds.csv", kind=kind, year=2025)
    return [p.reason for p in caught.value.problems]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (",An Nguyễn,,1980,Nam,,,,,", "Mã để trống"),
        ("A B,Nguyễn An,,1980,Nam,,,,,", "tối đa 32 ký tự"),
        ("DV1,An,,1980,Nam,,,,,", "cần có ít nhất họ và tên"),
        ("DV1,Nguyễn Văn An,Bình,1980,Nam,,,,,", "phải là phần cuối của họ và tên"),
        ("DV1,Nguyễn Văn An,,19x0,Nam,,,,,", "Năm sinh “19x0” không phải là năm"),
        ("DV1,Nguyễn Văn An,,2020,Nam,,,,,", "Năm sinh 2020 không hợp lý"),
        ("DV1,Nguyễn Văn An,,1980,?,,,,,", "Giới tính “?” phải là Nam/Nữ"),
        ("DV1,Nguyễn Văn An,,1980,Nam,x,,,,", "Đảng viên “x” phải là chính thức"),
        ("DV1,Nguyễn Văn An,,1980,Nam,,hmm,,,", "Miễn sinh hoạt: “hmm” phải là có hoặc không"),
        ("DV1,Nguyễn Văn An,,1980,Nam,,,có,,", "Cần ghi Lý do vắng khi vắng cả đại hội có lý do"),
        ("DV1,Nguyễn Văn An,,1980,Nam,,,,,bầu", "Loại đại biểu chỉ dùng cho đại hội đại biểu"),
        (
            "DV1,Nguyễn Văn An,,1980,Nam,,,,\nDV1,Trần Văn Bình,,1981,Nam,,,,",
            "Mã “DV1” đã dùng ở dòng 2",
        ),
    ],
)
def test_known_reasons_are_vietnamese(app: Flask, rows: str, expected: str) -> None:
    with app.test_request_context("/"):
        texts = [translate_reason(r) for r in _reasons(HEADER + rows + "\n")]
    assert any(expected in t for t in texts), texts
    for english in (" is ", " must ", " needs ", " applies ", "already"):
        assert all(english not in t for t in texts), texts


def test_header_problems_and_several_faults_in_a_row(app: Flask) -> None:
    with app.test_request_context("/"):
        header = [translate_reason(r) for r in _reasons("Mã,Tuổi\nDV1,3\n")]
        several = translate_reason(_reasons(HEADER + "DV1,An,,19x0,?,,,,,\n")[0])
    assert "Cột không xác định “Tuổi”" in header
    assert any(t.startswith("Thiếu cột “Họ và tên”") for t in header)
    assert several.count("; ") == 2 and " is " not in several


def test_unknown_reasons_pass_through(app: Flask) -> None:
    with app.test_request_context("/"):
        assert translate_reason("something new") == "something new"
        assert translate_reason("code 'DV9' is already on the roster") == (
            "Mã “DV9” đã có trong danh sách"
        )

"""Roster row problems in the reader's language.

``election.services.roster`` explains a bad row in English for the command line (e.g.
``"Năm sinh '19x0' is not a year"``), joined with ``"; "`` when a row has several faults,
and services do not translate (docs/i18n.md). The secretariat reads Vietnamese, so each
known sentence is matched here and reworded through gettext. A sentence this table does
not know is shown as the service wrote it: a new check degrades to English, never to
silence. The lasting fix is for ``RowProblem`` to carry a code and its values;
``tests/web/secretariat/test_roster_words.py`` fails when the service's wording drifts.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from flask_babel import gettext as _

__all__ = ["translate_reason"]

_Q = r"'(?P<value>(?:[^'\\]|\\.)*)'"  # A Python repr of a short string.

_RULES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (
        re.compile(r"(?P<col>.+) is empty"),
        lambda m: _("%(col)s để trống", col=m["col"]),
    ),
    (
        re.compile(rf"(?P<col>.+?) {_Q}: at most 32 characters, no spaces"),
        lambda m: _("%(col)s “%(value)s”: tối đa 32 ký tự, không có dấu cách", **m.groupdict()),
    ),
    (
        re.compile(
            rf"(?P<col>.+?) {_Q}: a full name needs at least a family name and a given name"
        ),
        lambda m: _("%(col)s “%(value)s”: cần có ít nhất họ và tên", **m.groupdict()),
    ),
    (
        re.compile(rf"(?P<col>.+?) {_Q}: the given name '(?P<given>.*)' must end the full name"),
        lambda m: _(
            "%(col)s “%(value)s”: tên “%(given)s” phải là phần cuối của họ và tên",
            **m.groupdict(),
        ),
    ),
    (
        re.compile(r"(?P<col>.+) is longer than 255 characters"),
        lambda m: _("%(col)s dài quá 255 ký tự", col=m["col"]),
    ),
    (
        re.compile(rf"(?P<col>.+?) {_Q} is not a year"),
        lambda m: _("%(col)s “%(value)s” không phải là năm", **m.groupdict()),
    ),
    (
        re.compile(r"(?P<col>.+?) (?P<value>\d+) is not plausible"),
        lambda m: _("%(col)s %(value)s không hợp lý", **m.groupdict()),
    ),
    (
        re.compile(rf"(?P<col>.+?): {_Q} is not có/không"),
        lambda m: _("%(col)s: “%(value)s” phải là có hoặc không", **m.groupdict()),
    ),
    (
        re.compile(rf"(?P<col>.+?) {_Q} is not (?P<allowed>.+)"),
        lambda m: _("%(col)s “%(value)s” phải là %(allowed)s", **m.groupdict()),
    ),
    (
        re.compile(r"a delegate to a delegates' congress is an official member"),
        lambda m: _("Đại biểu của đại hội đại biểu phải là đảng viên chính thức"),
    ),
    (
        re.compile(r"(?P<col>.+) applies only at a delegates' congress"),
        lambda m: _("%(col)s chỉ dùng cho đại hội đại biểu", col=m["col"]),
    ),
    (
        re.compile(r"(?P<col>.+) applies only at a members' congress"),
        lambda m: _("%(col)s chỉ dùng cho đại hội đảng viên", col=m["col"]),
    ),
    (
        re.compile(r"a member attached here is not also on temporary activity elsewhere"),
        lambda m: _(
            "Đảng viên sinh hoạt tạm thời tại đây không thể đồng thời sinh hoạt tạm thời nơi khác"
        ),
    ),
    (
        re.compile(r"(?P<col>.+) is required for an excused absence"),
        lambda m: _("Cần ghi %(col)s khi vắng cả đại hội có lý do", col=m["col"]),
    ),
    (
        re.compile(r"values outside the named columns: (?P<value>.+)"),
        lambda m: _("Có giá trị nằm ngoài các cột có tiêu đề: %(value)s", value=m["value"]),
    ),
    (
        re.compile(rf"code {_Q} is already used on line (?P<line>\d+)"),
        lambda m: _("Mã “%(value)s” đã dùng ở dòng %(line)s", **m.groupdict()),
    ),
    (
        re.compile(rf"code {_Q} is already on the roster"),
        lambda m: _("Mã “%(value)s” đã có trong danh sách", value=m["value"]),
    ),
    (
        re.compile(r"the file is empty: it needs a header row"),
        lambda m: _("Tệp trống: cần có dòng tiêu đề"),
    ),
    (
        re.compile(r"the file has a header but no rows"),
        lambda m: _("Tệp chỉ có dòng tiêu đề, không có dòng nào"),
    ),
    (
        re.compile(r"more than (?P<value>\d+) rows"),
        lambda m: _("Nhiều hơn %(value)s dòng", value=m["value"]),
    ),
    (
        re.compile(rf"unknown column {_Q}"),
        lambda m: _("Cột không xác định “%(value)s”", value=m["value"]),
    ),
    (
        re.compile(r"columns '(?P<a>.*)' and '(?P<b>.*)' are the same column"),
        lambda m: _("Cột “%(a)s” và “%(b)s” là cùng một cột", **m.groupdict()),
    ),
    (
        re.compile(r"missing column '(?P<col>.*)' \((?P<alias>.*)\)"),
        lambda m: _("Thiếu cột “%(col)s”", col=m["col"]),
    ),
    (
        re.compile(r'the file is not UTF-8: save it as "CSV UTF-8"'),
        lambda m: _("Tệp không ở dạng UTF-8: hãy lưu dưới dạng “CSV UTF-8”"),
    ),
    (
        re.compile(r"not valid CSV: (?P<detail>.+)"),
        lambda m: _("Tệp CSV không hợp lệ: %(detail)s", detail=m["detail"]),
    ),
    (
        re.compile(r"not a readable \.xlsx workbook: (?P<detail>.+)"),
        lambda m: _("Không đọc được tệp Excel .xlsx: %(detail)s", detail=m["detail"]),
    ),
]


def _one(part: str) -> str:
    for pattern, word in _RULES:
        match = pattern.fullmatch(part)
        if match is not None:
            return word(match)
    return part


def translate_reason(reason: str) -> str:
    """``reason`` from ``RowProblem`` in the current language; unknown parts stay as they are."""
    return "; ".join(_one(part) for part in reason.split("; "))

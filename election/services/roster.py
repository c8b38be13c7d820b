"""Roster import from CSV or Excel (.xlsx), all or nothing (docs/roster-format.md).

The whole file is read and every row checked before anything is written. If any row is
bad, ``RosterImportError`` lists every bad row with its line number (the header is line 1)
and the reason, and nothing is imported: a roster half-imported would make the majority
base N wrong in a way nobody would notice. Column headers are Vietnamese, with an English
alias for each; accents and case in headers are ignored, so "Ho va ten" also works.
"""

from __future__ import annotations

import csv
import hashlib
import io
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from election.errors import InvalidInput, RosterImportError, RowProblem
from election.models import CongressKind, DelegateKind, Gender, Member, Membership, Role
from election.models.congress import Congress
from election.services import events
from election.services.base import Actor, require_role, service

__all__ = [
    "COLUMNS",
    "MAX_ROWS",
    "Column",
    "RosterRow",
    "import_roster",
    "parse_roster",
    "split_name",
]

#: A roster larger than this is refused (the largest congresses have about two thousand).
MAX_ROWS = 20_000
#: The youngest a party member can be (Điều lệ Đảng: 18).
MIN_AGE = 18


@dataclass(frozen=True)
class Column:
    """One roster column: its field, Vietnamese header, English alias and whether required."""

    field: str
    header: str
    alias: str
    required: bool
    description: str


COLUMNS: tuple[Column, ...] = (
    Column("code", "Mã", "code", True, "identifier on the roster, unique (e.g. DV001)"),
    Column("full_name", "Họ và tên", "full_name", True, "full name, family name first"),
    Column("given_name", "Tên", "given_name", False, "given name; default: the last word"),
    Column("birth_year", "Năm sinh", "birth_year", True, "year of birth"),
    Column("gender", "Giới tính", "gender", True, "Nam / Nữ (male / female)"),
    Column("party_cell", "Chi bộ", "party_cell", False, "party cell"),
    Column("unit", "Đơn vị công tác", "unit", False, "job and unit, to tell people apart"),
    Column(
        "membership",
        "Đảng viên",
        "membership",
        False,
        "chính thức (default) / dự bị / sinh hoạt tạm thời",
    ),
    Column(
        "delegate_kind",
        "Loại đại biểu",
        "delegate_kind",
        False,
        "delegates' congress only: bầu / đương nhiên / chỉ định / dự khuyết",
    ),
    Column(
        "temporary_activity_elsewhere",
        "Sinh hoạt tạm thời nơi khác",
        "temporary_elsewhere",
        False,
        "có / không: introduced for temporary activity in another organization",
    ),
    Column("exempted", "Miễn sinh hoạt", "exempted", False, "có / không"),
    Column("suspended", "Đình chỉ sinh hoạt", "suspended", False, "có / không"),
    Column(
        "prosecuted",
        "Bị khởi tố, tạm giam",
        "prosecuted",
        False,
        "có / không: prosecuted, indicted or detained",
    ),
    Column(
        "absence_excused",
        "Vắng cả đại hội có lý do",
        "excused_absence",
        False,
        "có / không: excused by the convening committee for the whole congress",
    ),
    Column("absence_reason", "Lý do vắng", "absence_reason", False, "required when excused"),
)

_FLAGS = ("temporary_activity_elsewhere", "exempted", "suspended", "prosecuted", "absence_excused")

_YES = {"x", "có", "co", "c", "yes", "y", "true", "1"}
_NO = {"", "không", "khong", "k", "no", "n", "false", "0"}
_GENDERS = {
    "nam": Gender.MALE,
    "male": Gender.MALE,
    "m": Gender.MALE,
    "nữ": Gender.FEMALE,
    "nu": Gender.FEMALE,
    "female": Gender.FEMALE,
    "f": Gender.FEMALE,
}
_MEMBERSHIPS = {
    "": Membership.OFFICIAL,
    "chính thức": Membership.OFFICIAL,
    "official": Membership.OFFICIAL,
    "dự bị": Membership.PROBATIONARY,
    "probationary": Membership.PROBATIONARY,
    "sinh hoạt tạm thời": Membership.ATTACHED,
    "attached": Membership.ATTACHED,
}
_DELEGATE_KINDS = {
    "bầu": DelegateKind.ELECTED,
    "được bầu": DelegateKind.ELECTED,
    "elected": DelegateKind.ELECTED,
    "đương nhiên": DelegateKind.EX_OFFICIO,
    "ex_officio": DelegateKind.EX_OFFICIO,
    "chỉ định": DelegateKind.APPOINTED,
    "appointed": DelegateKind.APPOINTED,
    "dự khuyết": DelegateKind.ALTERNATE,
    "alternate": DelegateKind.ALTERNATE,
}


def _fold(text: str) -> str:
    """Case-, accent- and spacing-insensitive form of a header ("Họ và tên" → "ho va ten")."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().replace("_", " ").split())


def _word(text: str) -> str:
    """A cell value compared case-insensitively, accents kept (NFC)."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


_HEADERS = {
    folded: column for column in COLUMNS for folded in (_fold(column.header), _fold(column.alias))
}


@dataclass(frozen=True)
class RosterRow:
    """One valid roster row, ready to become a ``Member``."""

    line: int
    code: str
    full_name: str
    family_name: str
    middle_name: str
    given_name: str
    birth_year: int
    gender: Gender
    party_cell: str | None
    unit: str | None
    membership: Membership
    delegate_kind: DelegateKind | None
    temporary_activity_elsewhere: bool
    exempted: bool
    suspended: bool
    prosecuted: bool
    absence_excused: bool
    absence_reason: str | None


def split_name(full_name: str, given_name: str | None = None) -> tuple[str, str, str]:
    """Split a Vietnamese full name into (family, middle, given).

    The family name is the first word; the given name is ``given_name`` when stated (it
    may be two words, "Minh Khai") and must end the full name, else the last word.
    Raises ``ValueError`` when the name cannot be split.
    """
    words = full_name.split()
    if len(words) < 2:
        raise ValueError("a full name needs at least a family name and a given name")
    given_words = given_name.split() if given_name and given_name.strip() else words[-1:]
    if len(given_words) >= len(words) or words[-len(given_words) :] != given_words:
        raise ValueError(f"the given name {' '.join(given_words)!r} must end the full name")
    return words[0], " ".join(words[1 : -len(given_words)]), " ".join(given_words)


# ----------------------------------------------------------------------------- reading


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFC", str(value)).strip()


def _read_csv(data: bytes) -> Iterator[tuple[int, list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise RosterImportError(
            [RowProblem(1, 'the file is not UTF-8: save it as "CSV UTF-8"')]
        ) from e
    first = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    line = 1
    try:
        for record in reader:
            yield line, [_cell(value) for value in record]
            line = reader.line_num + 1
    except csv.Error as e:
        raise RosterImportError([RowProblem(reader.line_num, f"not valid CSV: {e}")]) from e


def _read_xlsx(data: bytes) -> Iterator[tuple[int, list[str]]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        raise RosterImportError([RowProblem(1, f"not a readable .xlsx workbook: {e}")]) from e
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_cell(value) for value in values]
    finally:
        workbook.close()


def _records(data: bytes, filename: str) -> Iterator[tuple[int, list[str]]]:
    suffix = PurePath(filename).suffix.lower()
    if suffix == ".csv":
        return _read_csv(data)
    if suffix == ".xlsx":
        return _read_xlsx(data)
    raise InvalidInput(f"{filename}: a roster is a .csv or .xlsx file")


# ----------------------------------------------------------------------------- checking


def _header(values: list[str], kind: CongressKind) -> tuple[dict[int, Column], list[str]]:
    columns: dict[int, Column] = {}
    problems: list[str] = []
    seen: dict[str, str] = {}
    for index, value in enumerate(values):
        if not value:
            continue
        column = _HEADERS.get(_fold(value))
        if column is None:
            problems.append(f"unknown column {value!r}")
        elif column.field in seen:
            problems.append(f"columns {seen[column.field]!r} and {value!r} are the same column")
        else:
            seen[column.field] = value
            columns[index] = column
    for column in COLUMNS:
        needed = column.required or (
            column.field == "delegate_kind" and kind is CongressKind.DELEGATES
        )
        if needed and column.field not in seen:
            problems.append(f"missing column {column.header!r} ({column.alias})")
    return columns, problems


def _flag(value: str, header: str) -> bool:
    word = _word(value)
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise ValueError(f"{header}: {value!r} is not có/không")


def _row(line: int, cells: dict[str, str], kind: CongressKind, year: int) -> RosterRow:
    """Check one row; raise ``ValueError`` with every reason found, joined by "; "."""
    reasons: list[str] = []
    header = {column.field: column.header for column in COLUMNS}

    code = cells.get("code", "")
    if not code:
        reasons.append(f"{header['code']} is empty")
    elif len(code) > 32 or any(ch.isspace() for ch in code):
        reasons.append(f"{header['code']} {code!r}: at most 32 characters, no spaces")

    full_name = " ".join(cells.get("full_name", "").split())
    family = middle = given = ""
    try:
        family, middle, given = split_name(full_name, cells.get("given_name"))
    except ValueError as e:
        reasons.append(f"{header['full_name']} {full_name!r}: {e}")
    if len(full_name) > 255:
        reasons.append(f"{header['full_name']} is longer than 255 characters")

    birth_year = 0
    raw_year = cells.get("birth_year", "")
    if not raw_year.isdigit():
        reasons.append(f"{header['birth_year']} {raw_year!r} is not a year")
    else:
        birth_year = int(raw_year)
        if not 1900 <= birth_year <= year - MIN_AGE:
            reasons.append(f"{header['birth_year']} {birth_year} is not plausible")

    gender = _GENDERS.get(_word(cells.get("gender", "")))
    if gender is None:
        reasons.append(f"{header['gender']} {cells.get('gender', '')!r} is not Nam/Nữ")

    membership = _MEMBERSHIPS.get(_word(cells.get("membership", "")))
    if membership is None:
        reasons.append(
            f"{header['membership']} {cells.get('membership', '')!r} is not "
            "chính thức / dự bị / sinh hoạt tạm thời"
        )

    delegate_kind: DelegateKind | None = None
    raw_kind = cells.get("delegate_kind", "")
    if kind is CongressKind.DELEGATES:
        delegate_kind = _DELEGATE_KINDS.get(_word(raw_kind))
        if delegate_kind is None:
            reasons.append(
                f"{header['delegate_kind']} {raw_kind!r} is not "
                "bầu / đương nhiên / chỉ định / dự khuyết"
            )
        if membership not in (None, Membership.OFFICIAL):
            reasons.append("a delegate to a delegates' congress is an official member")
    elif raw_kind:
        reasons.append(f"{header['delegate_kind']} applies only at a delegates' congress")

    flags: dict[str, bool] = {}
    for name in _FLAGS:
        try:
            flags[name] = _flag(cells.get(name, ""), header[name])
        except ValueError as e:
            reasons.append(str(e))
            flags[name] = False
    if kind is CongressKind.DELEGATES:
        # R-RESULT-3 has no such exclusions; the congress rules on the delegate's status
        # instead (R-DELEG-3), so the roster must not claim them.
        for name in _FLAGS:
            if flags[name]:
                reasons.append(f"{header[name]} applies only at a members' congress")
    if flags["temporary_activity_elsewhere"] and membership is Membership.ATTACHED:
        reasons.append("a member attached here is not also on temporary activity elsewhere")
    reason = cells.get("absence_reason") or None
    if flags["absence_excused"] and not reason:
        reasons.append(f"{header['absence_reason']} is required for an excused absence")

    if reasons:
        raise ValueError("; ".join(reasons))
    if gender is None or membership is None:  # pragma: no cover - a reason was recorded
        raise ValueError("unreachable: gender and membership were checked")
    return RosterRow(
        line=line,
        code=code,
        full_name=full_name,
        family_name=family,
        middle_name=middle,
        given_name=given,
        birth_year=birth_year,
        gender=gender,
        party_cell=cells.get("party_cell") or None,
        unit=cells.get("unit") or None,
        membership=membership,
        delegate_kind=delegate_kind,
        absence_reason=reason,
        **flags,
    )


def parse_roster(data: bytes, filename: str, *, kind: CongressKind, year: int) -> list[RosterRow]:
    """Read and check a whole roster file; raise ``RosterImportError`` listing every bad row.

    ``filename`` decides the format (.csv or .xlsx); ``kind`` whether delegate columns are
    required; ``year`` (the current year) bounds the birth years.
    """
    records = _records(data, filename)
    problems: list[RowProblem] = []
    rows: list[RosterRow] = []
    codes: dict[str, int] = {}
    columns: dict[int, Column] | None = None
    for line, values in records:
        if not any(values):
            continue
        if columns is None:
            columns, header_problems = _header(values, kind)
            problems += [RowProblem(line, reason) for reason in header_problems]
            if header_problems:
                break
            continue
        if len(rows) + len(problems) >= MAX_ROWS:
            problems.append(RowProblem(line, f"more than {MAX_ROWS} rows"))
            break
        extra = [value for index, value in enumerate(values) if index not in columns and value]
        cells = {column.field: values[i] for i, column in columns.items() if i < len(values)}
        try:
            if extra:
                raise ValueError(f"values outside the named columns: {extra[:3]}")
            row = _row(line, cells, kind, year)
        except ValueError as e:
            problems.append(RowProblem(line, str(e)))
            continue
        if row.code in codes:
            problems.append(
                RowProblem(line, f"code {row.code!r} is already used on line {codes[row.code]}")
            )
            continue
        codes[row.code] = line
        rows.append(row)
    if columns is None and not problems:
        problems.append(RowProblem(1, "the file is empty: it needs a header row"))
    elif not rows and not problems:
        problems.append(RowProblem(2, "the file has a header but no rows"))
    if problems:
        raise RosterImportError(problems)
    return rows


def _existing(db: Session, congress: Congress, codes: Iterable[str]) -> set[str]:
    wanted = list(codes)
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        found.update(
            db.scalars(
                sa.select(Member.code).where(
                    Member.congress_id == congress.id, Member.code.in_(chunk)
                )
            )
        )
    return found


@service
def import_roster(
    db: Session,
    actor: Actor,
    congress: Congress,
    data: bytes,
    filename: str,
    *,
    now: datetime,
) -> list[Member]:
    """Import a roster file into ``congress``: every row, or none (docs/roster-format.md).

    Raises ``RosterImportError`` naming every bad row, including codes already on the
    roster. Writes one event with the file's SHA-256 and the number of people imported.
    """
    require_role(db, actor, congress, Role.SECRETARIAT)
    rows = parse_roster(data, filename, kind=congress.kind, year=now.year)
    taken = _existing(db, congress, (row.code for row in rows))
    if taken:
        raise RosterImportError(
            [
                RowProblem(row.line, f"code {row.code!r} is already on the roster")
                for row in rows
                if row.code in taken
            ]
        )
    members = []
    for row in rows:
        fields = {name: value for name, value in vars(row).items() if name != "line"}
        member = Member(congress=congress, created_at=now, **fields)
        db.add(member)
        members.append(member)
    db.flush()
    events.record(
        db,
        actor,
        "roster.import",
        congress,
        now=now,
        congress=congress,
        data={
            "file": PurePath(filename).name,
            "sha256": hashlib.sha256(data).hexdigest(),
            "imported": len(members),
        },
    )
    return members

"""A roster file read and checked as ``import_roster`` would, without writing anything.

The secretariat sees every parsed row, or every bad row with its line and reason, before
confirming (docs/roster-format.md: all or nothing). The preview runs the importer's own
parser (``roster.parse_roster``) and its one database check, codes already on the roster,
so that a preview that passes is an import that passes unless the roster changes in
between; the import then checks everything again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath

import sqlalchemy as sa
from sqlalchemy.orm import Session

from election.errors import RosterImportError, RowProblem
from election.models import Congress, Member
from election.services.roster import RosterRow, parse_roster

__all__ = ["RosterPreview", "preview_roster"]


@dataclass(frozen=True)
class RosterPreview:
    """What the file holds: its rows if every one is good, else every problem found."""

    filename: str
    sha256: str
    rows: tuple[RosterRow, ...]
    problems: tuple[RowProblem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


def preview_roster(
    db: Session, congress: Congress, data: bytes, filename: str, *, now: datetime
) -> RosterPreview:
    """Parse and check ``data`` for ``congress``. Raises ``InvalidInput`` only for a file
    that is not a roster at all (a suffix other than .csv or .xlsx); bad rows are returned
    as ``problems``."""
    name = PurePath(filename).name
    digest = hashlib.sha256(data).hexdigest()
    try:
        rows = parse_roster(data, name, kind=congress.kind, year=now.year)
    except RosterImportError as e:
        return RosterPreview(name, digest, (), e.problems)
    codes = [row.code for row in rows]
    taken: set[str] = set()
    for start in range(0, len(codes), 500):
        taken.update(
            db.scalars(
                sa.select(Member.code).where(
                    Member.congress_id == congress.id, Member.code.in_(codes[start : start + 500])
                )
            )
        )
    problems = tuple(
        RowProblem(row.line, f"code {row.code!r} is already on the roster")
        for row in rows
        if row.code in taken
    )
    return RosterPreview(name, digest, tuple(rows), problems)

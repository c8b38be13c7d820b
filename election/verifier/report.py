"""The verifier's report: one entry per check V1-V11 (PROTOCOL.md section 9; T-16.c).

Each check has a status (passed, failed, or skipped when an input it needs could not be
read; the unreadable input is itself a failure of the check that owns the file), the count
of items it checked, its time, and every failure with its location: the record file, the
board or audited-ballot position where there is one, and the JSON path of the field. The
report is data; ``messages`` turns it into Vietnamese or English.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from election.verifier.messages import Lang, message, status_text, title, unit_text

__all__ = ["CHECKS", "CheckReport", "Failure", "Report", "Status"]

#: The checks, in order, with the unit their count is in.
CHECKS: tuple[tuple[str, str], ...] = (
    ("V1", "manifests"),
    ("V2", "proofs"),
    ("V3", "credentials"),
    ("V4", "ballots"),
    ("V5", "receipts"),
    ("V6", "counters"),
    ("V7", "share_proofs"),
    ("V8", "rounds"),
    ("V9", "rounds"),
    ("V10", "audited"),
    ("V11", "signatures"),
)


class Status(StrEnum):
    #: Every item checked and nothing failed.
    PASSED = "passed"
    #: At least one failure.
    FAILED = "failed"
    #: Not (fully) run because an input could not be read; never a pass.
    SKIPPED = "skipped"


@dataclass(frozen=True)
class Failure:
    """One failed item: where it is and what is wrong (``code`` and ``params``)."""

    file: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    #: JSON path in ``file`` (``$.entries[16].receipt.chain``), or empty.
    where: str = ""
    #: Board or audited-ballot position (from 1), when the item has one.
    position: int | None = None
    #: Technical detail, usually the text of the error that crypto or the rules raised.
    detail: str = ""

    def text(self, lang: Lang) -> str:
        return message(self.code, lang, self.params)

    def to_json(self, lang: Lang) -> dict[str, Any]:
        return {
            "file": self.file,
            "position": self.position,
            "where": self.where,
            "code": self.code,
            "params": {k: _plain(v) for k, v in self.params.items()},
            "message": self.text(lang),
            "detail": self.detail,
        }


def _plain(value: Any) -> Any:
    return value if isinstance(value, str | int | bool) or value is None else str(value)


@dataclass
class CheckReport:
    """The outcome of one check, over every round of the record."""

    check_id: str
    unit: str
    count: int = 0
    failures: list[Failure] = field(default_factory=list)
    #: Why the check (or a part of it) could not run.
    skipped: list[Failure] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def status(self) -> Status:
        if self.failures:
            return Status.FAILED
        if self.skipped:
            return Status.SKIPPED
        return Status.PASSED

    def to_json(self, lang: Lang) -> dict[str, Any]:
        return {
            "id": self.check_id,
            "title": title(self.check_id, lang),
            "status": self.status.value,
            "status_text": status_text(self.status.value, lang),
            "count": self.count,
            "unit": self.unit,
            "unit_text": unit_text(self.unit, lang),
            "seconds": round(self.seconds, 3),
            "failures": [f.to_json(lang) for f in self.failures],
            "skipped": [f.to_json(lang) for f in self.skipped],
        }


@dataclass
class Report:
    """The verification of one record: every check, in order."""

    record: str
    checks: list[CheckReport]
    seconds: float = 0.0
    #: Time spent reading and parsing the files, outside any check.
    load_seconds: float = 0.0
    workers: int = 1
    executor: str = "inline"

    @property
    def ok(self) -> bool:
        """True only when every check passed."""
        return all(c.status is Status.PASSED for c in self.checks)

    def check(self, check_id: str) -> CheckReport:
        for c in self.checks:
            if c.check_id == check_id:
                return c
        raise KeyError(check_id)

    @property
    def failed(self) -> tuple[str, ...]:
        """The ids of the checks that failed."""
        return tuple(c.check_id for c in self.checks if c.status is Status.FAILED)

    @property
    def not_passed(self) -> tuple[str, ...]:
        return tuple(c.check_id for c in self.checks if c.status is not Status.PASSED)

    def to_json(self, lang: Lang = "vi") -> dict[str, Any]:
        return {
            "record": self.record,
            "ok": self.ok,
            "seconds": round(self.seconds, 3),
            "load_seconds": round(self.load_seconds, 3),
            "workers": self.workers,
            "executor": self.executor,
            "checks": [c.to_json(lang) for c in self.checks],
        }

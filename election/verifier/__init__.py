"""The independent verifier of an election record: checks V1-V11 of PROTOCOL.md section 9.

``verify(record)`` takes a record folder or zip (or a ``RecordSource``, or an in-memory
``election.record.Record``) and returns a ``Report``: for each check its status, the number
of items checked, its time and every failure with its file, board position and JSON path
(T-16.a, T-16.c). ``python -m election.verifier RECORD`` and ``dhvote verify RECORD`` print
it (``election.verifier.cli``).

This package imports ``crypto``, ``election.record`` and ``election.rules`` and nothing of
the app: no Flask, no SQLAlchemy, no ``election.app`` or ``election.models`` (T-16.b; a
test checks ``sys.modules``). The per-ballot work runs in a process pool (``work``).
"""

from __future__ import annotations

from election.verifier.checks import ProgressFn, verify
from election.verifier.report import CHECKS, CheckReport, Failure, Report, Status

__all__ = ["CHECKS", "CheckReport", "Failure", "ProgressFn", "Report", "Status", "verify"]

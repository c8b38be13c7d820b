"""Errors raised by the services (``election.services``).

A service either does the whole change and commits it, or raises one of these and changes
nothing (its transaction is rolled back). The web layer turns them into HTTP responses in
one place (``election.web.errors``); the CLI prints their message and exits non-zero. The
tree::

    DomainError                  base of everything below
    ├── NotFound                 a congress, member, round ... named by the caller does not exist
    ├── PermissionDenied         the acting user does not hold a role that may do this
    ├── InvalidInput             data from outside is malformed or inconsistent
    │   ├── RosterImportError    bad roster rows; ``problems`` lists every one with its line
    │   └── DefinitionError      a congress definition file (YAML/TOML) is wrong
    ├── Conflict                 the object already exists (a username, a credential key ...)
    ├── InvalidState             the object is not in a state that allows the action
    │   └── IllegalTransition    a round state change the state machine does not allow
    ├── RuleViolation            the rules engine refused; ``rule_id`` names the rule and
    │                            ``__cause__`` is the ``election.rules`` error
    └── ChainBroken              the event log's hash chain does not verify

Bugs in the caller (a wrong Python type, an impossible argument) raise ``TypeError`` or
``ValueError`` instead, as in ``election.rules``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "ChainBroken",
    "Conflict",
    "DefinitionError",
    "DomainError",
    "IllegalTransition",
    "InvalidInput",
    "InvalidState",
    "NotFound",
    "PermissionDenied",
    "RosterImportError",
    "RowProblem",
    "RuleViolation",
]


class DomainError(Exception):
    """Base class of every error a service raises on purpose."""


class NotFound(DomainError):
    """The object the caller named does not exist."""


class PermissionDenied(DomainError):
    """The acting user does not hold, in this congress, a role allowed to do this."""


class InvalidInput(DomainError):
    """Data from outside (a form, a file, a command-line argument) is malformed."""


@dataclass(frozen=True)
class RowProblem:
    """One bad row of an imported file: its line number (the header is line 1) and why."""

    line: int
    reason: str

    def __str__(self) -> str:
        return f"dòng {self.line}: {self.reason}"


class RosterImportError(InvalidInput):
    """The roster file has bad rows; nothing was imported.

    ``problems`` holds every bad row found, in file order, so the secretariat can fix the
    whole file at once instead of one error per attempt.
    """

    def __init__(self, problems: Sequence[RowProblem]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        lines = "\n".join(f"  {problem}" for problem in self.problems)
        super().__init__(f"danh sách có {count} dòng lỗi, không nhập dòng nào:\n{lines}")


class DefinitionError(InvalidInput):
    """A congress definition file is wrong; the message names the key and the fix."""


class Conflict(DomainError):
    """The object to be created already exists (a duplicate key, code or username)."""


class InvalidState(DomainError):
    """The object is not in a state that allows the action (e.g. a round that is not open)."""


class IllegalTransition(InvalidState):
    """A round state change the state machine does not allow.

    ``current`` and ``target`` are the state values, so a caller can show them.
    """

    def __init__(self, current: str, target: str, message: str | None = None) -> None:
        self.current = current
        self.target = target
        super().__init__(message or f"a round cannot go from {current!r} to {target!r}")


class ReleaseNeedsDecision(InvalidState):
    """Too few ballots for the result to be announced without an explicit decision.

    ATTACKS.md T-9.c: with very few voters, the counts can show how individuals voted, so
    release waits for a decision recorded with its reason. ``cast`` and ``minimum`` say why.
    """

    def __init__(self, cast: int, minimum: int) -> None:
        self.cast = cast
        self.minimum = minimum
        super().__init__(
            f"only {cast} ballots were cast (fewer than {minimum}): announcing the result "
            "needs a recorded decision with its reason"
        )


class RuleViolation(DomainError):
    """The rules engine (``election.rules``) refused the action.

    ``rule_id`` is the RULES.md rule that was broken (e.g. ``"R-LIST-1"``); the original
    ``election.rules`` exception is chained as ``__cause__``.
    """

    def __init__(self, message: str, *, rule_id: str = "") -> None:
        super().__init__(message)
        self.rule_id = rule_id


class ChainBroken(DomainError):
    """The event log's hash chain does not verify; ``seq`` is the first bad entry."""

    def __init__(self, seq: int, message: str) -> None:
        self.seq = seq
        super().__init__(f"event {seq}: {message}")

"""Ballot forms: which counters a ballot has and which combinations are allowed.

PROTOCOL.md section 6; the choice of form for a list is the rules engine's
(RULES.md R-BALLOT-2..5); this module only encodes it. A form is a list of
counters (each encrypts 0 or 1) and a list of combinations: public weights
``w`` (one per counter) and the set of values ``sum_i w_i*m_i`` may take. The
round manifest carries the form in full (``to_json``), so a verifier needs no
other knowledge; ``from_json`` rebuilds the form from its kind and sizes and
refuses a manifest whose weights or sets differ from the construction.

* ``cross_out(n, k)`` (gạch tên, a list with a surplus, ``n > k``): counters
  ``keep_1..keep_n``, ``invalid_over``, ``invalid_none``; with ``W = n + 1`` one
  combination ``sum keep_i + W*invalid_over + 2W*invalid_none`` in
  ``{1..k} ∪ {W, 2W}`` (R-BALLOT-3, R-BALLOT-4.2, R-BALLOT-4.3).
* ``agree_disagree(n)`` (no surplus, ``n >= 2``): counters ``agree_i``,
  ``disagree_i`` per name; per name ``agree_i + disagree_i`` in ``{0, 1}``
  (both or neither boxes are "not counted for that person", R-RESULT-1).
* ``agree_disagree(1)`` (single name): counters ``agree``, ``disagree``,
  ``invalid_marks`` with ``agree + disagree + invalid_marks = 1`` (R-BALLOT-4.6).
* ``choose_at_most(n, k)`` (nomination ballots): counters ``choose_1..choose_n``,
  ``sum choose_i`` in ``{0..k}``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from crypto.canonical import canonical_json
from crypto.encoding import require_int, require_keys, require_list
from crypto.errors import EncodingError, InvalidBallot

__all__ = [
    "BallotForm",
    "Combination",
    "FormKind",
    "agree_disagree",
    "choose_at_most",
    "cross_out",
    "form_for",
]

FormKind = Literal["cross_out", "agree_disagree", "choose_at_most"]
MAX_CANDIDATES = 500


@dataclass(frozen=True, slots=True)
class Combination:
    """``sum_i weights[i] * counter_i`` must be one of ``allowed``."""

    weights: tuple[int, ...]
    allowed: tuple[int, ...]

    def value(self, counters: Sequence[int]) -> int:
        return sum(w * m for w, m in zip(self.weights, counters, strict=True))


@dataclass(frozen=True, slots=True)
class BallotForm:
    """The encrypted shape of one contest's ballot."""

    kind: FormKind
    candidates: int
    seats: int
    counters: tuple[str, ...]
    combinations: tuple[Combination, ...]

    def check_plaintext(self, counters: Sequence[int]) -> None:
        """Raise ``InvalidBallot`` unless ``counters`` is a legal choice for this form."""
        if len(counters) != len(self.counters):
            raise InvalidBallot("wrong number of counters")
        if any(m not in (0, 1) or isinstance(m, bool) for m in counters):
            raise InvalidBallot("every counter is 0 or 1")
        for combo in self.combinations:
            if combo.value(counters) not in combo.allowed:
                raise InvalidBallot("choice not allowed by the form")

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "candidates": self.candidates,
            "seats": self.seats,
            "counters": list(self.counters),
            "combinations": [
                {"weights": list(c.weights), "allowed": list(c.allowed)} for c in self.combinations
            ],
        }

    @classmethod
    def from_json(cls, obj: Any) -> BallotForm:
        """Rebuild from kind and sizes and require the stated counters and sets to match."""
        require_keys(obj, {"kind", "candidates", "seats", "counters", "combinations"}, "form")
        kind = obj["kind"]
        n = require_int(obj["candidates"], "form.candidates", 1, MAX_CANDIDATES)
        k = require_int(obj["seats"], "form.seats", 0, MAX_CANDIDATES)
        form = form_for(kind, n, k)
        require_list(obj["counters"], "form.counters")
        require_list(obj["combinations"], "form.combinations")
        # Compare canonical bytes, not Python values: True == 1 in Python, but a manifest
        # whose weights say `true` must not pass for one that says 1.
        if canonical_json(form.to_json()) != canonical_json(obj):
            raise EncodingError("form: counters or combinations differ from its kind and sizes")
        return form


def _check_sizes(n: int, k: int) -> None:
    if isinstance(n, bool) or isinstance(k, bool) or not isinstance(n, int):
        raise TypeError("sizes are integers")
    if not 1 <= n <= MAX_CANDIDATES:
        raise ValueError(f"a list has 1..{MAX_CANDIDATES} names")


def cross_out(n: int, k: int) -> BallotForm:
    """The surplus form: keep between 1 and ``k`` of ``n`` names, or a counted invalid reason."""
    _check_sizes(n, k)
    if not 1 <= k < n:
        raise ValueError("the cross-out form needs a surplus: 1 <= seats < names")
    W = n + 1
    counters = tuple(f"keep_{i}" for i in range(1, n + 1)) + ("invalid_over", "invalid_none")
    combo = Combination((1,) * n + (W, 2 * W), tuple(range(1, k + 1)) + (W, 2 * W))
    return BallotForm("cross_out", n, k, counters, (combo,))


def agree_disagree(n: int) -> BallotForm:
    """The no-surplus form: an agree and a disagree box per name (seats = names)."""
    _check_sizes(n, n)
    if n == 1:
        combo = Combination((1, 1, 1), (1,))
        return BallotForm("agree_disagree", 1, 1, ("agree", "disagree", "invalid_marks"), (combo,))
    counters: list[str] = []
    combos: list[Combination] = []
    for i in range(n):
        counters += [f"agree_{i + 1}", f"disagree_{i + 1}"]
        weights = [0] * (2 * n)
        weights[2 * i] = weights[2 * i + 1] = 1
        combos.append(Combination(tuple(weights), (0, 1)))
    return BallotForm("agree_disagree", n, n, tuple(counters), tuple(combos))


def choose_at_most(n: int, k: int) -> BallotForm:
    """Nomination ballots: mark at most ``k`` names (possibly none)."""
    _check_sizes(n, k)
    if not 1 <= k <= n:
        raise ValueError("choose_at_most needs 1 <= k <= n")
    counters = tuple(f"choose_{i}" for i in range(1, n + 1))
    return BallotForm(
        "choose_at_most", n, k, counters, (Combination((1,) * n, tuple(range(k + 1))),)
    )


def form_for(kind: Any, n: int, k: int) -> BallotForm:
    """Build a form from its kind and sizes; raise ``EncodingError`` for an unknown kind."""
    try:
        if kind == "cross_out":
            return cross_out(n, k)
        if kind == "agree_disagree":
            if n != k:
                raise ValueError("agree/disagree has as many seats as names")
            return agree_disagree(n)
        if kind == "choose_at_most":
            return choose_at_most(n, k)
    except ValueError as e:
        raise EncodingError(f"form: {e}") from e
    raise EncodingError(f"form: unknown kind {kind!r}")

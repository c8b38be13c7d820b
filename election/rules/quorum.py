"""Quorum: whether enough of N are present for the congress or a vote (R-QUORUM-1).

R-QUORUM-1 is UNCONFIRMED: no public copy of the article was found. The fraction is the
profile setting ``majority.quorum_fraction`` (default 2/3), compared in integers:
``present * 3 >= 2 * N`` for 2/3. N is the majority base after the exclusions of
R-RESULT-2, R-RESULT-3.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from election.rules.errors import QuorumNotMet
from election.rules.values import is_whole

if TYPE_CHECKING:
    from election.rules.majority import MajorityBase
    from election.rules.profiles import Profile

__all__ = ["check_quorum", "quorum_required"]


def quorum_required(base: MajorityBase, profile: Profile) -> int:
    """The fewest people present that make a quorum: ``ceil(quorum_fraction * N)`` (R-QUORUM-1)."""
    return math.ceil(profile.majority.quorum_fraction * base.n)


def check_quorum(present: int, base: MajorityBase, profile: Profile) -> None:
    """Raise ``QuorumNotMet`` unless ``present`` (people in N present) reaches the quorum.

    R-QUORUM-1: with the default 2/3, 54 present of N = 82 fails (162 < 164) and 55 passes.
    """
    if not is_whole(present, low=0, high=base.n):
        raise ValueError(f"present must be an integer from 0 to N = {base.n}, got {present!r}")
    fraction = profile.majority.quorum_fraction
    if present * fraction.denominator < fraction.numerator * base.n:
        raise QuorumNotMet(
            f"{present} present of N = {base.n}; at least {quorum_required(base, profile)} needed",
            rule_id="R-QUORUM-1",
        )

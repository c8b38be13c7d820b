"""The states of a contest's result record (R-STATE-1, R-PRIN-1).

A result is counted, then announced, then approved by the higher committee (chuẩn y) —
or annulled, or referred to the higher committee; a post filled by appointment never had
a ballot. Terminal states are never left: a new election after an annulment or a referral
is a new contest with its own record (R-DIRECT-5 asks that the same post can be elected
again later).
"""

from __future__ import annotations

from enum import StrEnum

from election.rules.errors import InvalidTransition

__all__ = ["ResultState", "transition"]


class ResultState(StrEnum):
    # Reached when the counting board has counted the last round and the rules have decided
    # it (R-COUNT-2 step 5; ``decide_round`` and ``close_contest``).
    COUNTED = "counted"
    # Reached when the counting board announces the result to the congress (R-COUNT-2 step 7).
    ANNOUNCED = "announced"
    # Reached when the competent higher committee approves the announced result (R-PRIN-1).
    APPROVED_BY_HIGHER_COMMITTEE = "approved_by_higher_committee"
    # Reached when the higher committee annuls an announced result after a complaint shows
    # that principles or procedures were violated, and orders a new election (R-INSP-4).
    ANNULLED = "annulled"
    # Reached when an announced direct secretary vote failed, or without a ballot when the
    # secretary nominee was not elected to the committee; the post goes to the higher
    # committee (R-DIRECT-5).
    REFERRED_TO_HIGHER_COMMITTEE = "referred_to_higher_committee"
    # Reached without any ballot, when the higher committee appoints the members and the
    # record says who decided and when (R-STATE-1).
    APPOINTED = "appointed"


_NEXT: dict[ResultState | None, frozenset[ResultState]] = {
    None: frozenset(
        {
            ResultState.COUNTED,
            ResultState.APPOINTED,
            ResultState.REFERRED_TO_HIGHER_COMMITTEE,
        }
    ),
    ResultState.COUNTED: frozenset({ResultState.ANNOUNCED}),
    ResultState.ANNOUNCED: frozenset(
        {
            ResultState.APPROVED_BY_HIGHER_COMMITTEE,
            ResultState.ANNULLED,
            ResultState.REFERRED_TO_HIGHER_COMMITTEE,
        }
    ),
    ResultState.APPROVED_BY_HIGHER_COMMITTEE: frozenset(),
    ResultState.ANNULLED: frozenset(),
    ResultState.REFERRED_TO_HIGHER_COMMITTEE: frozenset(),
    ResultState.APPOINTED: frozenset(),
}


def transition(
    current: ResultState | None, target: ResultState, *, referral_required: bool = False
) -> ResultState:
    """Return ``target`` if a result in ``current`` (``None``: no record yet) may move to it.

    ``referral_required`` says the contest ended ``REFERRED_TO_HIGHER_COMMITTEE``
    (R-DIRECT-5): such a result can only be referred, and only such a result can be.
    Raises ``InvalidTransition`` otherwise (R-STATE-1).
    """
    current = None if current is None else ResultState(current)
    target = ResultState(target)
    if target not in _NEXT[current]:
        raise InvalidTransition(
            f"a result cannot go from {current.value if current else 'nothing'} to {target.value}",
            rule_id="R-STATE-1",
        )
    referred = target is ResultState.REFERRED_TO_HIGHER_COMMITTEE
    if referral_required and target is ResultState.APPROVED_BY_HIGHER_COMMITTEE:
        raise InvalidTransition(
            "a failed direct secretary vote is referred, not approved", rule_id="R-DIRECT-5"
        )
    if referred and not referral_required:
        raise InvalidTransition(
            "only a failed direct secretary vote is referred to the higher committee",
            rule_id="R-DIRECT-5",
        )
    return target

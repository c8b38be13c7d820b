"""The result record's states (R-STATE-1, R-PRIN-1, R-INSP-4, R-DIRECT-5)."""

from __future__ import annotations

import ast
import inspect

import pytest

from election.rules import InvalidTransition, ResultState, transition
from election.rules import states as states_module

S = ResultState
ALLOWED = {
    (None, S.COUNTED),
    (None, S.APPOINTED),
    (S.COUNTED, S.ANNOUNCED),
    (S.ANNOUNCED, S.APPROVED_BY_HIGHER_COMMITTEE),
    (S.ANNOUNCED, S.ANNULLED),
}
REFERRALS = {(None, S.REFERRED_TO_HIGHER_COMMITTEE), (S.ANNOUNCED, S.REFERRED_TO_HIGHER_COMMITTEE)}


@pytest.mark.parametrize("current", [None, *S])
@pytest.mark.parametrize("target", list(S))
def test_every_transition(current: ResultState | None, target: ResultState) -> None:
    """R-STATE-1: counted → announced → approved (R-PRIN-1) or annulled (R-INSP-4);
    appointed without a ballot; referred only for a failed direct vote (R-DIRECT-5)."""
    if (current, target) in ALLOWED:
        assert transition(current, target) is target
    else:
        with pytest.raises(InvalidTransition):
            transition(current, target)
    if (current, target) in REFERRALS:
        assert transition(current, target, referral_required=True) is target


def test_a_referred_result_is_not_approved() -> None:
    with pytest.raises(InvalidTransition) as caught:
        transition(S.ANNOUNCED, S.APPROVED_BY_HIGHER_COMMITTEE, referral_required=True)
    assert caught.value.rule_id == "R-DIRECT-5"


def test_the_normal_path() -> None:
    """R-COUNT-2 steps 5 and 7 (count, announce), then R-PRIN-1 approval."""
    state = None
    for target in (S.COUNTED, S.ANNOUNCED, S.APPROVED_BY_HIGHER_COMMITTEE):
        state = transition(state, target)
    assert state is S.APPROVED_BY_HIGHER_COMMITTEE


def test_each_state_has_a_comment_saying_how_it_is_reached() -> None:
    """STYLE: an enum with one comment per state (the httpx ``ClientState`` way)."""
    source = inspect.getsource(states_module.ResultState)
    lines = source.splitlines()
    members = [n for n in ast.parse(source).body[0].body if isinstance(n, ast.Assign)]
    assert len(members) == len(S)
    for node in members:
        above = lines[node.lineno - 2].strip()
        assert above.startswith("#") and "Reached" in "\n".join(
            line for line in lines[max(0, node.lineno - 5) : node.lineno - 1]
        )

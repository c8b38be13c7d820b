"""The package's invariants: standard library only, no Flask or SQLAlchemy, a curated
public API with typed signatures, and exact arithmetic (no floats)."""

from __future__ import annotations

import ast
import inspect
import json
import subprocess
import sys
from pathlib import Path

import election.rules as rules

ENGINE_DIR = Path(rules.__file__).resolve().parent

EXPECTED_API = {
    "PROFILE_IDS",
    "add_working_days",
    "complaint_deadline",
    "cutoff_start",
    "held_until_after_congress",
    "is_late",
    "Assembly",
    "BallotForm",
    "BallotInvalid",
    "BallotMarking",
    "BallotVotes",
    "Candidate",
    "CandidateListError",
    "CandidateResult",
    "Chain",
    "ChainError",
    "CheckedList",
    "Contest",
    "ContestOutcome",
    "DecisionRequired",
    "DelegateAllocation",
    "Exclusion",
    "ExclusionReason",
    "FormKind",
    "InvalidReason",
    "InvalidTransition",
    "ListCut",
    "ListEntry",
    "ListWarning",
    "MajorityBase",
    "Mark",
    "Matter",
    "Membership",
    "Motion",
    "NextRoundPlan",
    "NominationResult",
    "Nominator",
    "OpenVoteDecision",
    "Outcome",
    "PercentDisplay",
    "PersonName",
    "Post",
    "Profile",
    "ProfileError",
    "QuorumNotMet",
    "ResultState",
    "RosterEntry",
    "Round",
    "RoundKind",
    "RoundNotAllowed",
    "RoundResult",
    "RoundStatus",
    "Rounding",
    "RulesError",
    "Source",
    "SurplusBounds",
    "Tally",
    "TallyError",
    "TraceStep",
    "VoteMustBeRepeated",
    "VotingMethod",
    "abc_order",
    "alternate_replacement_order",
    "ballot_form",
    "check_alternate_ballot_may_open",
    "check_candidate_list",
    "check_counting_board",
    "check_quorum",
    "check_tally",
    "close_contest",
    "count_ballots",
    "cut_to_ceiling",
    "decide_round",
    "decision_carried",
    "delegate_contests",
    "floor_nominee_passes",
    "format_percent_en",
    "format_percent_vi",
    "has_majority",
    "load_profile",
    "majority_base",
    "nomination_ballot_form",
    "nomination_result",
    "open_round",
    "opinion_ballot_form",
    "percent_of_base",
    "plan_next_round",
    "quorum_required",
    "read_ballot",
    "refer_without_ballot",
    "surplus_bounds",
    "transition",
    "voting_method",
}

PROBE = """
import json, sys
before = set(sys.modules)
import election.rules
loaded = sorted({name.split(".")[0] for name in set(sys.modules) - before})
print(json.dumps(loaded))
"""


def test_importing_the_engine_loads_neither_flask_nor_sqlalchemy() -> None:
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ENGINE_DIR.parents[1],
        capture_output=True,
        text=True,
        check=True,
    )
    loaded = set(json.loads(out.stdout))
    assert not loaded & {"flask", "sqlalchemy", "werkzeug", "jinja2", "crypto"}
    assert loaded - set(sys.stdlib_module_names) <= {"election"}


def test_engine_modules_import_only_the_standard_library() -> None:
    """Checked on the source, so it holds whatever ``election/__init__.py`` imports."""
    allowed_first_party = {"election.rules", "election.paths"}
    for path in ENGINE_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top == "election":
                    assert any(
                        name == m or name.startswith(m + ".") for m in allowed_first_party
                    ), f"{path.name} imports {name}"
                else:
                    assert top in sys.stdlib_module_names or top == "__future__", (
                        f"{path.name} imports {name}"
                    )


def test_no_floats_in_the_engine() -> None:
    """R-RESULT-9: exact integers and Fractions only."""
    for path in ENGINE_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            assert not (isinstance(node, ast.Constant) and isinstance(node.value, float)), path
            assert not (isinstance(node, ast.Name) and node.id == "float"), path


def test_public_api_does_not_drift() -> None:
    assert len(rules.__all__) == len(set(rules.__all__))
    assert set(rules.__all__) == EXPECTED_API
    for name in rules.__all__:
        assert hasattr(rules, name), name


def test_public_functions_are_typed_and_documented() -> None:
    for name in rules.__all__:
        obj = getattr(rules, name)
        if inspect.isfunction(obj):
            signature = inspect.signature(obj)
            assert signature.return_annotation is not inspect.Signature.empty, name
            for parameter in signature.parameters.values():
                assert parameter.annotation is not inspect.Parameter.empty, (
                    f"{name}.{parameter.name}"
                )
            assert obj.__doc__, name

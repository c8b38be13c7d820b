"""Every rule id in the engine and its tests is defined in RULES.md, and each id the engine
applies appears in at least one test.

RULES.md lives in the shared directory next to the repository (``../shared`` in CI). When it
is absent the checked-in copy of its ids, ``config/rules/rule_ids.txt``, is used; when it is
present the copy must match it.

This file deliberately contains no rule id of its own, so that it cannot satisfy the check
it performs.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
RULES_MD = REPO_ROOT.parent / "shared" / "domain" / "RULES.md"
RULE_IDS_TXT = REPO_ROOT / "config" / "rules" / "rule_ids.txt"
ENGINE_DIR = REPO_ROOT / "election" / "rules"
TESTS_DIR = REPO_ROOT / "tests" / "rules"

ID = re.compile(r"R-[A-Z]+-[0-9]+")
#: A rule is defined where a paragraph opens with its id in bold.
DEFINITION = re.compile(r"^\*\*(R-[A-Z]+-[0-9]+)\b", re.M)


def ids_in(text: str) -> set[str]:
    return set(ID.findall(text))


def defined_in_rules_md(text: str) -> list[str]:
    return list(dict.fromkeys(DEFINITION.findall(text)))


def checked_in_ids() -> list[str]:
    lines = RULE_IDS_TXT.read_text(encoding="utf-8").splitlines()
    return [line.split()[0] for line in lines if line.strip() and not line.startswith("#")]


def defined_ids() -> set[str]:
    if RULES_MD.exists():
        return set(defined_in_rules_md(RULES_MD.read_text(encoding="utf-8")))
    return set(checked_in_ids())


def scan(directory: Path, *, skip: Path | None = None) -> dict[str, set[Path]]:
    found: dict[str, set[Path]] = {}
    for path in sorted(directory.rglob("*.py")):
        if path == skip:
            continue
        for rule in ids_in(path.read_text(encoding="utf-8")):
            found.setdefault(rule, set()).add(path.relative_to(REPO_ROOT))
    return found


def unknown_ids(found: dict[str, set[Path]], defined: set[str]) -> dict[str, set[Path]]:
    return {rule: where for rule, where in found.items() if rule not in defined}


def test_checked_in_ids_match_rules_md() -> None:
    if not RULES_MD.exists():
        pytest.skip(f"{RULES_MD} is not present; using {RULE_IDS_TXT.name} alone")
    expected = defined_in_rules_md(RULES_MD.read_text(encoding="utf-8"))
    assert checked_in_ids() == expected, f"regenerate {RULE_IDS_TXT} from RULES.md"


def test_checked_in_ids_are_well_formed() -> None:
    ids = checked_in_ids()
    assert ids and len(ids) == len(set(ids))
    assert all(ID.fullmatch(rule) for rule in ids)


def test_every_id_in_engine_and_tests_is_defined() -> None:
    defined = defined_ids()
    found = scan(ENGINE_DIR)
    for rule, where in scan(TESTS_DIR).items():
        found.setdefault(rule, set()).update(where)
    assert found, "the engine cites no rule id at all"
    assert unknown_ids(found, defined) == {}


def test_every_id_applied_in_the_engine_appears_in_a_test() -> None:
    engine = scan(ENGINE_DIR)
    tested = scan(TESTS_DIR, skip=Path(__file__).resolve())
    untested = {rule: where for rule, where in engine.items() if rule not in tested}
    assert untested == {}


def test_an_unknown_id_is_reported() -> None:
    made_up = "R-" + "NOSUCHRULE-" + "7"
    found = {made_up: {Path("x.py")}, **scan(ENGINE_DIR)}
    assert set(unknown_ids(found, defined_ids())) == {made_up}

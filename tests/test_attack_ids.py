"""Every test id of ATTACKS.md is cited by a test that shows the resistance it asks for
(ATTACKS.md: "each with the tests that show resistance"); the two rehearsal procedures are
cited by docs/rehearsal.md instead; an id not met yet is marked open in
``config/attack_ids.txt`` with what is missing, and is cited by no test until it is met.
Every id cited anywhere in the tests exists.

ATTACKS.md lives in the shared directory next to the repository (``../shared`` in CI). When
it is absent the checked-in copy of its ids, ``config/attack_ids.txt``, is used; when it is
present the copy must match it.

This file deliberately contains no attack id of its own, so that it cannot satisfy the check
it performs.
"""

from __future__ import annotations

import re
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
ATTACKS_MD = REPO_ROOT.parent / "shared" / "design" / "ATTACKS.md"
ATTACK_IDS_TXT = REPO_ROOT / "config" / "attack_ids.txt"
REHEARSAL_MD = REPO_ROOT / "docs" / "rehearsal.md"
TESTS_DIR = REPO_ROOT / "tests"

ID = re.compile(r"\bT-[0-9]+\.[a-z]\b")
#: In ATTACKS.md a procedure's id is followed by the kind of test it is.
PROCEDURE = re.compile(r"\b(T-[0-9]+\.[a-z]) (?:Procedure test|Usability test script)\b")


KINDS = ("test", "procedure", "open", "not-applicable")


def checked_in() -> dict[str, tuple[str, str]]:
    """The ids of ``config/attack_ids.txt``, each with how it is met and the reason given."""
    ids: dict[str, tuple[str, str]] = {}
    for line in ATTACK_IDS_TXT.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            attack, kind, *reason = line.split(maxsplit=2)
            ids[attack] = (kind, reason[0] if reason else "")
    return ids


def from_attacks_md(text: str) -> dict[str, bool]:
    """The ids of ATTACKS.md in its order, each with whether it is a procedure."""
    procedures = set(PROCEDURE.findall(text))
    return {attack: attack in procedures for attack in dict.fromkeys(ID.findall(text))}


def cited_in_tests() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    this = Path(__file__).resolve()
    for path in sorted([*TESTS_DIR.rglob("*.py"), *TESTS_DIR.rglob("*.mjs")]):
        if path.resolve() == this or "node_modules" in path.parts:
            continue
        for attack in ID.findall(path.read_text(encoding="utf-8")):
            found.setdefault(attack, set()).add(str(path.relative_to(REPO_ROOT)))
    return found


def test_the_checked_in_copy_matches_attacks_md() -> None:
    ids = checked_in()
    assert ids and all(ID.fullmatch(attack) for attack in ids)
    assert {kind for kind, _ in ids.values()} <= set(KINDS)
    unexplained = [a for a, (kind, why) in ids.items() if kind in KINDS[2:] and len(why) < 20]
    assert unexplained == [], "an open or not-applicable id says why"
    if ATTACKS_MD.exists():
        expected = from_attacks_md(ATTACKS_MD.read_text(encoding="utf-8"))
        assert list(ids) == list(expected), f"regenerate {ATTACK_IDS_TXT} from ATTACKS.md"
        marked = {attack: kind == "procedure" for attack, (kind, _) in ids.items()}
        assert marked == expected, "the procedures are the ones ATTACKS.md calls so"


def test_every_attack_test_is_cited() -> None:
    ids = checked_in()
    tests = cited_in_tests()
    rehearsal = set(ID.findall(REHEARSAL_MD.read_text(encoding="utf-8")))
    uncited = [a for a, (kind, _) in ids.items() if kind == "test" and a not in tests]
    assert uncited == [], f"no test cites {uncited}"
    procedures = {a for a, (kind, _) in ids.items() if kind == "procedure"}
    assert procedures and procedures <= rehearsal


def test_an_id_marked_unmet_is_not_cited() -> None:
    """An open id that a test now cites has been met: its line must say so."""
    tests = cited_in_tests()
    unmet = [a for a, (kind, _) in checked_in().items() if kind in KINDS[2:]]
    stale = {a: tests[a] for a in unmet if a in tests}
    assert stale == {}


def test_every_cited_id_exists() -> None:
    ids = checked_in()
    unknown = {attack: where for attack, where in cited_in_tests().items() if attack not in ids}
    assert unknown == {}

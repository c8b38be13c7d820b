"""The shared vectors: current with the generator, accepted by Python, and JS-made ballots verify.

The JavaScript side checks the same files byte for byte in ``tests/js``; a change
to one implementation without the other fails one of the two suites.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from crypto import (
    BallotForm,
    CiphertextBallot,
    CredentialKey,
    Point,
    RoundContext,
    tracking_code,
    verify_audited,
    verify_ballot,
)
from tests.crypto.vectors import VECTORS, load
from tests.vectors import make_vectors

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", sorted(make_vectors.GENERATORS))
def test_vector_files_are_current(name: str) -> None:
    committed = (VECTORS / f"{name}.json").read_text(encoding="utf-8")
    assert committed == make_vectors.render(name), (
        f"tests/vectors/{name}.json is stale: run python -m tests.vectors.make_vectors"
    )


def _context(case: dict) -> RoundContext:
    return RoundContext(
        bytes.fromhex(case["round_hash"]),
        Point.decode(bytes.fromhex(case["joint_key"])),
        BallotForm.from_json(case["form"]),
    )


@pytest.mark.parametrize("case", load("ballots")["cases"], ids=lambda c: c["name"])
def test_vector_ballots_verify(case: dict) -> None:
    ctx = _context(case)
    ballot = CiphertextBallot.from_json(case["ballot"], ctx.form)
    verify_ballot(ctx, ballot)
    assert ballot.hash().hex() == case["ballot_hash"]


def test_ballots_made_by_the_javascript_verify_in_python() -> None:
    node = shutil.which("node")
    assert node, "node is required (make setup installs the JS dependencies)"
    result = subprocess.run(
        [node, str(ROOT / "tests" / "js" / "make_ballots.mjs")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    cases = {c["name"]: c for c in load("ballots")["cases"]}
    made = json.loads(result.stdout)
    assert sorted(item["name"] for item in made) == sorted(cases)
    for item in made:
        case = cases[item["name"]]
        ctx = _context(case)
        ballot = CiphertextBallot.from_json(item["audited"]["ballot"], ctx.form)
        verify_ballot(ctx, ballot)
        assert ballot.credential == CredentialKey(case["congress"], case["code"]).public
        assert ballot.hash().hex() == item["ballot_hash"]
        assert tracking_code(ballot.hash()) == item["tracking_code"]
        # The JS's Benaloh audit data re-encrypts in Python to the same choices.
        assert verify_audited(ctx, item["audited"]) == tuple(case["counters"])
        # Fresh randomness: not the vector's pinned ballot.
        assert item["audited"]["ballot"] != case["ballot"]


@pytest.mark.parametrize("name", sorted(make_vectors.GENERATORS))
def test_every_vector_file_is_reproduced_by_the_javascript(name: str) -> None:
    """T-13.c: the JS twin (a second implementation) is held to every vector file and to
    every part of it: some ``tests/js/*.test.mjs`` loads the file and reads each of its
    top-level entries (``node --test tests/js/`` then checks them byte for byte)."""
    readers = [
        path.read_text(encoding="utf-8")
        for path in sorted((ROOT / "tests" / "js").glob("*.test.mjs"))
        if f'loadVectors("{name}")' in path.read_text(encoding="utf-8")
    ]
    assert readers, f"no JavaScript test loads tests/vectors/{name}.json"
    text = "\n".join(readers)
    unread = [key for key in load(name) if not re.search(rf"\.{key}\b|\[\"{key}\"\]", text)]
    assert unread == [], f"tests/vectors/{name}.json: no JavaScript test reads {unread}"

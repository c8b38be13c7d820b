"""Mutation test (PROTOCOL.md section 9): any single change to a record fails a check.

On the small simulated record (4 names / 2 seats cross-out, 6 ballots, 3 guardians with
t = 2, one audited ballot) every JSON leaf of every file is changed in turn (strings: a hex
digit flipped, or other text appended; integers: +1; booleans: negated; null: 0), every
board entry is deleted in turn and neighbouring entries are swapped; the verifier must
report at least one failed check every time. With more than ``MAX_MUTATIONS`` candidates a
seeded sample is taken.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from typing import Any

import pytest

from election.record import dump_json, record_bytes
from election.record.reader import MemorySource
from election.verifier import verify
from tests.record.sims import small_round

MAX_MUTATIONS = 5000
_HEX = re.compile(r"(?:[0-9a-f]{2})+")
Path = tuple[str | int, ...]


def leaves(value: Any, path: Path = ()) -> Iterator[Path]:
    """The paths of every leaf (string, number, boolean, null) of a JSON value."""
    if isinstance(value, dict):
        for key in sorted(value):
            yield from leaves(value[key], (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from leaves(item, (*path, i))
    else:
        yield path


def changed(value: Any) -> Any:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if value is None:
        return 0
    if isinstance(value, str) and _HEX.fullmatch(value):
        i = len(value) // 2
        return value[:i] + format(int(value[i], 16) ^ 1, "x") + value[i + 1 :]
    return value + "x"


def _get(root: Any, path: Path) -> tuple[Any, str | int]:
    parent = root
    for key in path[:-1]:
        parent = parent[key]
    return parent, path[-1]


@pytest.mark.slow
def test_every_single_change_is_caught() -> None:
    record = small_round().record
    values = record.files()
    original = record_bytes(record)
    assert verify(MemorySource(original), workers=1).ok

    mutations: list[tuple[str, str, Path]] = [
        ("leaf", name, path) for name in sorted(values) for path in leaves(values[name])
    ]
    board = "rounds/committee-1/board.json"
    entries = len(values[board]["entries"])
    mutations += [("delete", board, (i,)) for i in range(entries)]
    mutations += [("swap", board, (i,)) for i in range(entries - 1)]
    if len(mutations) > MAX_MUTATIONS:
        mutations = random.Random(20250615).sample(mutations, MAX_MUTATIONS)

    missed: list[str] = []
    for kind, name, path in mutations:
        value = values[name]
        if kind == "leaf":
            parent, key = _get(value, path)
            before = parent[key]
            parent[key] = changed(before)
            data = dump_json(value)
            parent[key] = before
        else:
            board_entries = value["entries"]
            changed_entries = list(board_entries)
            i = int(path[0])
            if kind == "delete":
                del changed_entries[i]
            else:
                changed_entries[i], changed_entries[i + 1] = board_entries[i + 1], board_entries[i]
            data = dump_json({**value, "entries": changed_entries})
        report = verify(MemorySource({**original, name: data}), workers=1)
        if report.ok:
            missed.append(f"{kind} {name} {path}")

    caught = len(mutations) - len(missed)
    print(f"caught {caught} of {len(mutations)}")
    assert not missed, f"caught {caught} of {len(mutations)}; missed: {missed[:20]}"

"""ATTACKS.md T-18.a at a small scale: twice the delegates of a small congress cast at once
through gunicorn, and none is lost or duplicated.

The full-scale run (twice the 450 delegates of the target congress, a 65-name ballot) is
the benchmark ``bench/ballotbox_bench.py`` (about a minute; ``make bench``), which applies
the same ``target_misses`` check. This test runs its code on 2 x 20 ballots in a few
seconds, so the check itself is part of the test run.
"""

from __future__ import annotations

import pytest

from bench import ballotbox_bench

DELEGATES = 20
pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]


def test_twice_the_delegates_cast_at_once_and_none_is_lost_or_duplicated() -> None:
    """T-18.a: 2 x DELEGATES ballots from 4 terminals at once, on SQLite behind two gunicorn
    workers: all accepted within the 60 s window with p99 under 2 s, every receipt on the
    board at its position, no credential or position twice, and the chain verifies."""
    result = ballotbox_bench.run(
        None, voters=2 * DELEGATES, names=4, seats=3, concurrency=4, workers=2
    )
    print({k: v for k, v in result.items() if k != "refused"}, result["refused"])
    assert result["refused"] == {}
    assert (result["accepted"], result["receipts"], result["on_board"]) == (2 * DELEGATES,) * 3
    assert (result["lost"], result["duplicated"], result["chain_ok"]) == (0, 0, 1)
    assert ballotbox_bench.target_misses(result) == []

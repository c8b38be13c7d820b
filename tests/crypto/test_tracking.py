"""Tracking codes as the board shows them (ATTACKS.md T-8.c): two groups of five Crockford
characters (50 bits), extended one group at a time for as long as another ballot of the
round shares the code, so that no code shown is another's prefix."""

from __future__ import annotations

import os

import pytest

from crypto import TRACKING_GROUPS_MAX, tracking_code, tracking_codes


def _sharing(prefix: bytes, n: int) -> list[bytes]:
    """``n`` hashes equal on ``prefix`` and different in the two bits right after it."""
    return [prefix + bytes([i << 6]) + os.urandom(31 - len(prefix)) for i in range(n)]


def _no_code_is_a_prefix_of_another(codes: list[str]) -> bool:
    # In sorted order a prefix sits right before the codes that extend it.
    ordered = sorted(codes)
    return all(not b.startswith(a) for a, b in zip(ordered, ordered[1:], strict=False))


def test_longer_codes_extend_the_short_one() -> None:
    h = os.urandom(32)
    codes = [tracking_code(h, g) for g in range(2, TRACKING_GROUPS_MAX + 1)]
    assert codes[0] == tracking_code(h)
    assert all(b.startswith(a + "-") for a, b in zip(codes, codes[1:], strict=False))
    assert len(codes[-1]) == 10 * 5 + 9


@pytest.mark.parametrize("groups", [0, 1, TRACKING_GROUPS_MAX + 1])
def test_a_code_has_two_to_ten_groups(groups: int) -> None:
    with pytest.raises(ValueError, match="groups"):
        tracking_code(os.urandom(32), groups)


@pytest.mark.parametrize("size", [0, 31, 33, 64])
def test_only_a_ballot_hash_has_a_code(size: int) -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        tracking_code(bytes(size))


def test_planted_collisions_extend_only_the_ballots_that_collide() -> None:
    alone = os.urandom(32)
    pair = _sharing(b"\x11" * 7, 2)  # 56 equal bits: the 50-bit codes collide
    triple = _sharing(b"\x22" * 10, 3)  # 80 equal bits: 75-bit codes collide too
    hashes = [alone, *pair, *triple]
    shown = tracking_codes(hashes)
    assert shown[0] == tracking_code(alone)
    assert [len(c.split("-")) for c in shown[1:3]] == [3, 3]
    assert [len(c.split("-")) for c in shown[3:]] == [4, 4, 4]
    assert all(c == tracking_code(h, len(c.split("-"))) for c, h in zip(shown, hashes, strict=True))
    assert len(set(shown)) == len(shown) and _no_code_is_a_prefix_of_another(shown)


def test_equal_hashes_stop_at_the_longest_code() -> None:
    h = os.urandom(32)
    assert tracking_codes([h, h]) == [tracking_code(h, TRACKING_GROUPS_MAX)] * 2
    assert tracking_codes([]) == []


@pytest.mark.slow
def test_a_million_codes_are_all_told_apart() -> None:
    """ATTACKS.md T-8.c: 10^6 trackers, plus planted collisions; every displayed code is
    unique and none is a prefix of another."""
    n = 10**6
    pool = os.urandom(32 * n)
    hashes = [pool[i : i + 32] for i in range(0, 32 * n, 32)]
    hashes[10:12] = _sharing(bytes(7), 2)
    shown = tracking_codes(hashes)
    assert len(set(shown)) == n
    assert _no_code_is_a_prefix_of_another(shown)
    assert len(shown[10].split("-")) == len(shown[11].split("-")) >= 3
    # 50 bits among 10^6 ballots: a natural collision is rare (about 1 in 2,000 runs).
    assert sum(len(c) > 11 for c in shown) <= 6

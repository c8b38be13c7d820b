"""T-7.c: dudect-style timing tests (Reparaz, Balasch, Verbauwhede, "Dude, is my code
constant time?", DATE 2017) of a guardian's partial decryption (``crypto.compute_share``)
and of credential signing (``crypto.CredentialKey.sign``).

Each operation is timed on two classes of secret, fixed and random, in one randomly
interleaved sequence (so drifts of the machine's speed fall on both classes alike), with the
garbage collector off while timing. Every other input is the same for both classes, and the
fixed secret is a fresh object each time, as the random ones are. Welch's t-statistic
compares the two classes, on all measurements and on the measurements below the pooled
50th, 75th and 90th percentiles (dudect's cropping, which drops the preemptions of a busy
machine); the test fails when any ``|t|`` reaches 10, dudect's "definitely not constant
time". A deliberately variable-time operation (Python's ``pow`` with a secret exponent)
checks that the harness does see a leak.

The Python twin is what is tested here; the browser twin (``election/static/js/crypto/``,
JavaScript BigInt) is not.
"""

from __future__ import annotations

import gc
import math
import random
import statistics
import time
from collections.abc import Callable, Sequence
from typing import TypeVar

import pytest

import crypto
from crypto import Ciphertext, CredentialKey, G, Scalar

pytestmark = pytest.mark.slow

T = TypeVar("T")

#: dudect's threshold: a |t| above it means "definitely not constant time".
THRESHOLD = 10.0
CROPS = (50, 75, 90)


def welch_t(a: Sequence[int], b: Sequence[int]) -> float:
    va, vb = statistics.variance(a), statistics.variance(b)
    return (statistics.fmean(a) - statistics.fmean(b)) / math.sqrt(va / len(a) + vb / len(b))


def max_t(fixed: Sequence[int], other: Sequence[int]) -> float:
    """The largest ``|t|`` over the whole sample and its crops at pooled percentiles."""
    pooled = sorted([*fixed, *other])
    ts = [welch_t(fixed, other)]
    for p in CROPS:
        cut = pooled[len(pooled) * p // 100]
        ts.append(welch_t([x for x in fixed if x <= cut], [x for x in other if x <= cut]))
    return max(abs(t) for t in ts)


def measure(
    operation: Callable[[T], object],
    make_fixed: Callable[[], T],
    make_random: Callable[[], T],
    n: int,
    seed: int,
) -> tuple[list[int], list[int]]:
    """Time ``operation`` on ``n`` inputs, each of a class drawn at random; return the
    nanoseconds of the fixed class and of the random class."""
    rng = random.Random(seed)
    classes = [rng.randrange(2) for _ in range(n)]
    inputs = [make_fixed() if c == 0 else make_random() for c in classes]
    for x in inputs[:50]:  # warm the caches and the interpreter up
        operation(x)
    times: tuple[list[int], list[int]] = ([], [])
    clock = time.perf_counter_ns
    gc.collect()
    gc.disable()
    try:
        for c, x in zip(classes, inputs, strict=True):
            start = clock()
            operation(x)
            times[c].append(clock() - start)
    finally:
        gc.enable()
    return times


def test_the_harness_sees_a_variable_time_operation() -> None:
    # Square-and-multiply in Python integers: a 17-bit exponent against 252-bit ones.
    p = 2**255 - 19
    rng = random.Random(4)
    fixed, other = measure(
        lambda e: pow(3, e, p),
        lambda: 2**16 + 1,
        lambda: rng.getrandbits(251) | 1 << 251,
        n=2000,
        seed=1,
    )
    assert max_t(fixed, other) > THRESHOLD


@pytest.mark.parametrize("fixed_value", [1, crypto.L - 1], ids=["one", "L-1"])
def test_partial_decryption_time_does_not_depend_on_the_secret_share(fixed_value: int) -> None:
    """T-7.c: ``D = s_j*A`` and its Chaum-Pedersen proof, with ``s_j`` fixed or random."""
    round_hash = bytes(range(64))
    A = Scalar.random() * G
    tally = [Ciphertext(A, Scalar.random() * G)]
    fixed_bytes = Scalar.from_int(fixed_value).encode()
    fixed, other = measure(
        lambda s: crypto.compute_share(round_hash, 1, s, tally),
        lambda: Scalar(bytes(fixed_bytes)),
        Scalar.random,
        n=6000,
        seed=2,
    )
    t = max_t(fixed, other)
    print(f"compute_share, fixed {fixed_value:#x}: max |t| = {t:.2f}")
    assert t < THRESHOLD, f"|t| = {t:.1f}: partial decryption time depends on the secret"


def test_credential_signing_time_does_not_depend_on_the_credential() -> None:
    """T-7.c: an Ed25519 signature of one ballot message by a fixed or a random badge key."""
    congress = "dh-2025-timing"
    fixed_code = crypto.generate_code()
    message = crypto.H(crypto.Tag.BALLOT_SIG, b"the same ballot for every key")
    fixed, other = measure(
        lambda key: key.sign(message),
        lambda: CredentialKey(congress, fixed_code),
        lambda: CredentialKey(congress, crypto.generate_code()),
        n=20000,
        seed=3,
    )
    t = max_t(fixed, other)
    print(f"CredentialKey.sign: max |t| = {t:.2f}")
    assert t < THRESHOLD, f"|t| = {t:.1f}: signing time depends on the credential"

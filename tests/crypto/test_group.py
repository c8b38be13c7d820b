"""The group layer: strict decoding (T-6.a..d), arithmetic and its identity special cases."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nacl import bindings as sodium

from crypto import IDENTITY, G, L, Point, Scalar
from crypto.errors import InvalidPoint, InvalidScalar
from crypto.group import small_multiple
from tests.crypto.strategies import any_scalars, scalars
from tests.crypto.vectors import load

GROUP = load("group")
INVALID_POINTS = [
    pytest.param(h, id=f"{kind}-{i}")
    for kind, items in GROUP["invalid_points"].items()
    for i, h in enumerate(items)
]


@pytest.mark.parametrize("encoded", INVALID_POINTS)
def test_invalid_points_are_refused(encoded: str) -> None:
    # T-6.a: small-order, non-canonical, off-curve and mixed-order encodings.
    with pytest.raises(InvalidPoint):
        Point.decode(bytes.fromhex(encoded))


def test_identity_is_refused_from_outside_but_exists_as_a_value() -> None:
    with pytest.raises(InvalidPoint):
        Point.decode(IDENTITY.encode())
    assert (G - G).is_identity()
    assert IDENTITY.encode().hex() == GROUP["identity"]


@pytest.mark.parametrize("encoded", GROUP["invalid_scalars"])
def test_non_canonical_scalars_are_refused(encoded: str) -> None:
    # T-6.b: L, L+1 and 2^256-1.
    with pytest.raises(InvalidScalar):
        Scalar.decode(bytes.fromhex(encoded))


def test_zero_scalar_refused_where_nonzero_is_required() -> None:
    assert Scalar.decode(b"\x00" * 32).is_zero()
    with pytest.raises(InvalidScalar):
        Scalar.decode_nonzero(b"\x00" * 32)


@pytest.mark.parametrize("length", [0, 31, 33, 64])
def test_wrong_lengths_are_refused(length: int) -> None:
    with pytest.raises(InvalidPoint):
        Point.decode(b"\x01" * length)
    with pytest.raises(InvalidScalar):
        Scalar.decode(b"\x01" * length)


@pytest.mark.parametrize("case", GROUP["multiplications"])
def test_multiplication_vectors(case: dict[str, str]) -> None:
    s = Scalar.decode(bytes.fromhex(case["s"]))
    P = Point.decode(bytes.fromhex(case["P"]))
    assert (s * G).hex() == case["sG"]
    assert (s * P).hex() == case["sP"]
    assert (P + s * G).hex() == case["P+sG"]


def test_zero_and_identity_special_cases() -> None:
    zero = Scalar.from_int(0)
    P = Scalar.random() * G
    assert (zero * G).is_identity()
    assert (zero * P).is_identity()
    assert (Scalar.random() * IDENTITY).is_identity()
    assert P + IDENTITY == P
    assert small_multiple(0).is_identity()
    assert small_multiple(3) == G + G + G


def test_canonical_encoding_is_unique() -> None:
    # T-6.c: the non-canonical twin of a valid point's encoding is refused, so the
    # duplicate checks that work on bytes cannot be fooled by a second encoding.
    P = Scalar.random() * G
    y = int.from_bytes(P.encode(), "little") & ((1 << 255) - 1)
    p = 2**255 - 19
    if y + p < 2**255:  # pragma: no cover - only for y < 19
        twin = (y + p) | (P.encode()[31] >> 7 << 255)
        with pytest.raises(InvalidPoint):
            Point.decode(twin.to_bytes(32, "little"))
    assert Point.decode(P.encode()) == P


@settings(max_examples=300)
@given(st.binary(min_size=32, max_size=32))
def test_decoder_fuzz(data: bytes) -> None:
    # T-6.d: random bytes never crash the decoder and are accepted only when valid.
    try:
        P = Point.decode(data)
    except InvalidPoint:
        assert not sodium.crypto_core_ed25519_is_valid_point(data)
    else:
        assert P.encode() == data
        assert sodium.crypto_core_ed25519_is_valid_point(data)


@settings(max_examples=50, deadline=None)
@given(scalars, scalars)
def test_scalar_arithmetic_matches_integers(a: Scalar, b: Scalar) -> None:
    assert int(a + b) == (int(a) + int(b)) % L
    assert int(a - b) == (int(a) - int(b)) % L
    assert int(a * b) == int(a) * int(b) % L
    assert int(-a) == (-int(a)) % L
    assert int(a * a.inverse()) == 1
    assert (a * G) + (b * G) == (a + b) * G


@settings(max_examples=25, deadline=None)
@given(any_scalars)
def test_scalar_round_trip(s: Scalar) -> None:
    assert Scalar.decode(s.encode()) == s


def test_random_scalars_differ_and_are_nonzero() -> None:
    draws = {Scalar.random().encode() for _ in range(200)}
    assert len(draws) == 200
    assert b"\x00" * 32 not in draws


def test_scalar_repr_hides_the_value() -> None:
    s = Scalar.from_int(123456789)
    assert "123456789" not in repr(s) and s.hex() not in repr(s)

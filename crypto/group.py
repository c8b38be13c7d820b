"""The group: the prime-order subgroup of edwards25519 (PROTOCOL.md section 2).

Points and scalars are distinct types. ``Point.decode`` and ``Scalar.decode``
are the only doors for bytes from outside and they are strict:

* a point must be the canonical 32-byte encoding of a point on the curve, in
  the subgroup of order ``L``, and not of small order (so never the identity):
  libsodium's ``crypto_core_ed25519_is_valid_point``;
* a scalar must be 32 bytes little-endian with value ``< L``.

The identity ``0*G`` exists only as a computed value (a sum, a decrypted
count) to be compared: libsodium refuses to multiply by zero or to return the
identity from a multiplication, so ``Scalar * Point`` special-cases both and
yields ``IDENTITY``.

Scalar arithmetic uses libsodium's constant-time ``crypto_core_ed25519_scalar_*``
functions because some scalars are secrets (encryption randomness, proof
nonces, key shares).

Verifiers use ``msm_vartime`` (``sum s_i*P_i + b*G`` in one pass) and
``sum_points``. Both run in ``crypto._dhgroup``, libsodium's own edwards25519
code built by ``make setup`` (crypto/_native/README.md): libsodium's public
``crypto_scalarmult_ed25519_noclamp`` re-proves on every call that its input
lies in the prime-order subgroup, which our points already are (checked once,
at ``Point.decode``), and it has no multi-scalar form. They are variable time,
so they only ever see public values. Without the extension (or with
``DHVOTE_PURE_GROUP=1``) both fall back to the PyNaCl operations above and give
the same bytes (tests/crypto/test_native_group.py).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Sequence
from functools import lru_cache
from typing import Final

from nacl import bindings as sodium
from nacl.exceptions import RuntimeError as SodiumRuntimeError

from crypto.errors import InvalidPoint, InvalidScalar

__all__ = [
    "G",
    "GROUP_NAME",
    "IDENTITY",
    "L",
    "NATIVE",
    "Point",
    "Scalar",
    "msm_vartime",
    "msm_vartime_many",
    "small_multiple",
    "sum_points",
]

#: The group identifier written into every manifest and record (T-13.a).
GROUP_NAME: Final = "edwards25519-prime-order-subgroup"

#: The order of the prime-order subgroup.
L: Final = 2**252 + 27742317777372353535851937790883648493

_IDENTITY_BYTES: Final = b"\x01" + b"\x00" * 31
_ZERO32: Final = b"\x00" * 32


class Scalar:
    """An element of ``Z_L``, kept as its canonical 32-byte little-endian encoding."""

    __slots__ = ("_b",)

    def __init__(self, data: bytes) -> None:
        # Private constructor: callers use decode(), from_int() or random().
        self._b = data

    # -- construction ---------------------------------------------------
    @classmethod
    def decode(cls, data: bytes) -> Scalar:
        """Strictly decode 32 bytes; raise ``InvalidScalar`` unless canonical (< L)."""
        if not isinstance(data, bytes | bytearray) or len(data) != 32:
            raise InvalidScalar("a scalar is exactly 32 bytes")
        if int.from_bytes(data, "little") >= L:
            raise InvalidScalar("scalar is not reduced below the group order")
        return cls(bytes(data))

    @classmethod
    def decode_nonzero(cls, data: bytes) -> Scalar:
        """As ``decode`` but also refuse zero (secret keys, random nonces)."""
        s = cls.decode(data)
        if s.is_zero():
            raise InvalidScalar("scalar is zero")
        return s

    @classmethod
    def from_int(cls, value: int) -> Scalar:
        """Reduce a Python integer (possibly negative) modulo ``L``."""
        return cls((value % L).to_bytes(32, "little"))

    @classmethod
    def from_wide(cls, data: bytes) -> Scalar:
        """Reduce 64 bytes read little-endian modulo ``L`` (hash and random output)."""
        if len(data) != 64:
            raise ValueError("from_wide takes 64 bytes")
        return cls(sodium.crypto_core_ed25519_scalar_reduce(data))

    @classmethod
    def random(cls) -> Scalar:
        """A uniform non-zero scalar: 64 random bytes reduced mod ``L``; zero is re-drawn."""
        while True:
            s = cls.from_wide(secrets.token_bytes(64))
            if not s.is_zero():
                return s

    # -- views ------------------------------------------------------------
    def encode(self) -> bytes:
        return self._b

    def hex(self) -> str:
        return self._b.hex()

    def __int__(self) -> int:
        return int.from_bytes(self._b, "little")

    def is_zero(self) -> bool:
        return self._b == _ZERO32

    # -- arithmetic (constant time in libsodium) ---------------------------
    def __add__(self, other: Scalar) -> Scalar:
        return Scalar(sodium.crypto_core_ed25519_scalar_add(self._b, other._b))

    def __sub__(self, other: Scalar) -> Scalar:
        return Scalar(sodium.crypto_core_ed25519_scalar_sub(self._b, other._b))

    def __mul__(self, other: Scalar) -> Scalar:
        # Scalar * Point must fall through to Point.__rmul__.
        if not isinstance(other, Scalar):
            return NotImplemented
        return Scalar(sodium.crypto_core_ed25519_scalar_mul(self._b, other._b))

    def __neg__(self) -> Scalar:
        return Scalar(sodium.crypto_core_ed25519_scalar_negate(self._b))

    def inverse(self) -> Scalar:
        """The multiplicative inverse; raise ``ValueError`` for zero."""
        if self.is_zero():
            raise ValueError("zero has no inverse")
        return Scalar(sodium.crypto_core_ed25519_scalar_invert(self._b))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Scalar) and self._b == other._b

    def __hash__(self) -> int:
        return hash(self._b)

    def __repr__(self) -> str:
        # Never print a scalar's value: it may be a secret.
        return "Scalar(…)"


class Point:
    """An element of the prime-order subgroup, kept as its 32-byte encoding."""

    __slots__ = ("_b",)

    def __init__(self, data: bytes) -> None:
        # Private constructor: bytes from outside go through decode().
        self._b = data

    @classmethod
    def decode(cls, data: bytes) -> Point:
        """Strictly decode 32 bytes from outside.

        Raises ``InvalidPoint`` unless the bytes are canonical, on the curve, in
        the prime-order subgroup and not of small order (the identity included).
        """
        if not isinstance(data, bytes | bytearray) or len(data) != 32:
            raise InvalidPoint("a point is exactly 32 bytes")
        data = bytes(data)
        if not sodium.crypto_core_ed25519_is_valid_point(data):
            raise InvalidPoint("not a canonical point of the prime-order subgroup")
        return cls(data)

    def encode(self) -> bytes:
        return self._b

    def hex(self) -> str:
        return self._b.hex()

    def is_identity(self) -> bool:
        return self._b == _IDENTITY_BYTES

    def __add__(self, other: Point) -> Point:
        return Point(sodium.crypto_core_ed25519_add(self._b, other._b))

    def __sub__(self, other: Point) -> Point:
        return Point(sodium.crypto_core_ed25519_sub(self._b, other._b))

    def __neg__(self) -> Point:
        return IDENTITY - self

    def __rmul__(self, scalar: Scalar) -> Point:
        """``scalar * point``; zero or the identity give the identity (libsodium refuses both)."""
        if not isinstance(scalar, Scalar):
            return NotImplemented
        if scalar.is_zero() or self._b == _IDENTITY_BYTES:
            return IDENTITY
        if self is G:
            return Point(sodium.crypto_scalarmult_ed25519_base_noclamp(scalar.encode()))
        try:
            return Point(sodium.crypto_scalarmult_ed25519_noclamp(scalar.encode(), self._b))
        except SodiumRuntimeError as e:  # pragma: no cover - only for points made unchecked
            raise InvalidPoint("libsodium refused the multiplication") from e

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Point) and self._b == other._b

    def __hash__(self) -> int:
        return hash(self._b)

    def __repr__(self) -> str:
        return f"Point({self._b.hex()[:16]}…)"


#: The standard Ed25519 base point; ``s * G`` uses libsodium's fixed-base tables.
G: Final = Point(sodium.crypto_scalarmult_ed25519_base_noclamp((1).to_bytes(32, "little")))

#: The neutral element, only ever a computed value.
IDENTITY: Final = Point(_IDENTITY_BYTES)


@lru_cache(maxsize=4096)
def small_multiple(m: int) -> Point:
    """``m*G`` for a small non-negative integer ``m`` (cached; ``0*G`` is the identity)."""
    if m < 0:
        raise ValueError("small_multiple takes m >= 0")
    return Scalar.from_int(m) * G


# ---------------------------------------------------------------- verifier arithmetic

try:  # built by `make setup` (crypto/_native/build.py); optional, same results without it
    from crypto._dhgroup import ffi as _ffi
    from crypto._dhgroup import lib as _lib
except ImportError:  # pragma: no cover - exercised by forcing DHVOTE_PURE_GROUP in tests
    _ffi = _lib = None

#: True when ``msm_vartime``/``sum_points`` run in the native extension.
NATIVE: bool = _lib is not None and os.environ.get("DHVOTE_PURE_GROUP", "") != "1"

#: Limits of one native call (crypto/_native/dhgroup.c DH_MSM_MAX, DH_SUM_MAX, DH_MANY_MAX_OUT).
_MSM_MAX: Final = 8
_SUM_MAX: Final = 1024
_MANY_MAX_OUT: Final = 256


def _msm_reference(terms: Sequence[tuple[Scalar, Point]], base: Scalar | None) -> Point:
    acc = IDENTITY if base is None else base * G
    for s, P in terms:
        acc = acc + s * P
    return acc


def msm_vartime(terms: Sequence[tuple[Scalar, Point]], base: Scalar | None = None) -> Point:
    """``s_0*P_0 + ... + s_{n-1}*P_{n-1} + base*G`` for PUBLIC scalars and points.

    Variable time: use it to verify proofs and combine published shares, never
    with a secret. Zero scalars and the identity are allowed (the result may be
    the identity).
    """
    return msm_vartime_many([P for _, P in terms], [([s for s, _ in terms], base)])[0]


def msm_vartime_many(
    points: Sequence[Point], rows: Sequence[tuple[Sequence[Scalar], Scalar | None]]
) -> list[Point]:
    """One ``msm_vartime`` per row over the same ``points``: row ``(s, b)`` gives
    ``s[0]*points[0] + ... + b*G``. PUBLIC values only (variable time).

    Verifying a proof needs several such sums over the same few points; done
    together, each point is decoded and tabulated once and the results share one
    field inversion.
    """
    if any(len(s) != len(points) for s, _ in rows):
        raise ValueError("every row has one scalar per point")
    if not rows:
        return []
    if not NATIVE or len(points) > _MSM_MAX or len(rows) > _MANY_MAX_OUT:
        return [_msm_reference(list(zip(s, points, strict=True)), b) for s, b in rows]
    out = _ffi.new("unsigned char[]", 32 * len(rows))
    scalars = b"".join([sc._b for s, _ in rows for sc in s])
    bases = b"".join([_ZERO32 if b is None else b._b for _, b in rows])
    rc = _lib.dh_msm_many(
        out, len(points), b"".join([P._b for P in points]), len(rows), scalars, bases
    )
    if rc != 0:  # pragma: no cover - Point and Scalar values always satisfy the preconditions
        raise InvalidPoint("multi-scalar multiplication refused its input")
    raw = _ffi.buffer(out)[:]
    return [Point(raw[32 * o : 32 * o + 32]) for o in range(len(rows))]


def sum_points(points: Sequence[Point]) -> Point:
    """``P_0 + ... + P_{n-1}`` (the identity for no points)."""
    if not points:
        return IDENTITY
    if not NATIVE:
        acc = points[0]
        for P in points[1:]:
            acc = acc + P
        return acc
    out = _ffi.new("unsigned char[32]")
    acc_b = b""
    for start in range(0, len(points), _SUM_MAX):
        chunk = [P._b for P in points[start : start + _SUM_MAX]]
        if acc_b:
            chunk.append(acc_b)
        if _lib.dh_sum(out, len(chunk), b"".join(chunk)) != 0:  # pragma: no cover
            raise InvalidPoint("point sum refused its input")
        acc_b = bytes(out)
    return Point(acc_b)

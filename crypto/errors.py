"""Errors raised by the ``crypto`` package.

Every verification function raises; none returns ``False``. The tree::

    CryptoError                  base of everything below
    ├── EncodingError            bytes, hex or JSON that do not decode strictly
    │   ├── InvalidPoint         not a canonical point of the prime-order subgroup
    │   └── InvalidScalar        not a canonical scalar in [0, L) (or zero where refused)
    ├── InvalidProof             a zero-knowledge proof does not verify
    ├── InvalidSignature         an Ed25519 signature does not verify
    ├── InvalidCredential        a credential code or public credential is refused
    ├── InvalidShare             a Feldman share disagrees with its dealer's commitments
    ├── InvalidBallot            a ballot is malformed for its round (shape, binding)
    ├── DecryptionError          an ECIES/AES-GCM box or key file does not open
    └── DiscreteLogError         a decrypted value is outside the table

Untrusted input that fails raises one of these; bad arguments from our own code
(wrong Python types, impossible parameters) raise ``TypeError``/``ValueError``.
"""

from __future__ import annotations

__all__ = [
    "CryptoError",
    "DecryptionError",
    "DiscreteLogError",
    "EncodingError",
    "InvalidBallot",
    "InvalidCredential",
    "InvalidPoint",
    "InvalidProof",
    "InvalidScalar",
    "InvalidShare",
    "InvalidSignature",
]


class CryptoError(Exception):
    """Base class of every error this package raises on untrusted input."""


class EncodingError(CryptoError):
    """Bytes, hex or JSON that do not decode strictly."""


class InvalidPoint(EncodingError):
    """Not a canonical encoding of a point of the prime-order subgroup."""


class InvalidScalar(EncodingError):
    """Not a canonical little-endian scalar below the group order."""


class InvalidProof(CryptoError):
    """A zero-knowledge proof does not verify."""


class InvalidSignature(CryptoError):
    """An Ed25519 signature does not verify."""


class InvalidCredential(CryptoError):
    """A credential code or a public credential is refused."""


class InvalidShare(CryptoError):
    """A Feldman share is inconsistent with its dealer's public commitments."""


class InvalidBallot(CryptoError):
    """A ballot does not fit its round: wrong shape, wrong round, wrong binding."""


class DecryptionError(CryptoError):
    """An authenticated box (ECIES share, key file) does not open."""


class DiscreteLogError(CryptoError):
    """A decrypted group element is not ``m*G`` for any ``m`` in the table."""

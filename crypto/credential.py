"""Delegates' signing credentials (PROTOCOL.md section 5).

The badge secret ``c`` is 100 random bits written as 20 Crockford base32
characters plus one Luhn mod 32 check character, shown in groups of five:
``XXXXX-XXXXX-XXXXX-XXXXX-C``. It is generated on the credentials desk's
device (the JavaScript twin), never on the server; this Python code exists for
tests, simulations and the vectors.

The Ed25519 seed is ``H("dh-vote/v1/credential", congress_id, c)[:32]`` where
``c`` is the 20 canonical characters (check character excluded) as ASCII. The
public credential ``Y`` is the standard Ed25519 public key of that seed; as
every honest Ed25519 public key lies in the prime-order subgroup, ``Y`` is
checked with the strict point decoder, which refuses small-order, mixed-order
and non-canonical keys (a cofactorless check would accept forged signatures
under a small-order key).
"""

from __future__ import annotations

import secrets

from cryptography.exceptions import InvalidSignature as _CryptographyInvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from crypto.errors import InvalidCredential, InvalidPoint, InvalidSignature
from crypto.group import Point
from crypto.hashing import H, Tag

__all__ = [
    "ALPHABET",
    "CODE_CHARS",
    "CredentialKey",
    "check_public_credential",
    "format_code",
    "generate_code",
    "luhn32_check",
    "parse_code",
    "verify_signature",
]

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_CHARS = 20  # 100 bits
_INDEX = {ch: i for i, ch in enumerate(ALPHABET)}
# Crockford's aliases: letters that are read or typed for digits.
_ALIASES = {"O": "0", "I": "1", "L": "1"}


def luhn32_check(chars: str) -> str:
    """The Luhn mod 32 check character of ``chars`` (detects every single-character error)."""
    if any(ch not in _INDEX for ch in chars):
        raise ValueError("luhn32_check takes characters of the Crockford alphabet")
    factor = 2
    total = 0
    for ch in reversed(chars):
        addend = factor * _INDEX[ch]
        factor = 1 if factor == 2 else 2
        total += addend // 32 + addend % 32
    return ALPHABET[(32 - total % 32) % 32]


def generate_code() -> str:
    """A fresh badge code: 20 random characters and the check character (21 in all)."""
    body = "".join(ALPHABET[b] for b in (secrets.randbits(5) for _ in range(CODE_CHARS)))
    return body + luhn32_check(body)


def format_code(code: str) -> str:
    """Group a 21-character code for printing: ``XXXXX-XXXXX-XXXXX-XXXXX-C``."""
    body = parse_code(code)
    return "-".join(body[i : i + 5] for i in range(0, 20, 5)) + "-" + luhn32_check(body)


def parse_code(text: str) -> str:
    """Normalise typed or scanned text and return the 20 canonical characters.

    Spaces and hyphens are ignored, case is folded and Crockford's aliases are
    mapped. Raises ``InvalidCredential`` for a wrong length, a foreign
    character or a failing check character.
    """
    if not isinstance(text, str):
        raise InvalidCredential("credential code must be text")
    # Refuse non-ASCII before case folding: Unicode case tables differ between Python and
    # browsers ("ı".upper() is "I"), and both sides must normalise exactly alike.
    if not text.isascii():
        raise InvalidCredential("credential code has a character outside the alphabet")
    cleaned = "".join(_ALIASES.get(ch, ch) for ch in text.upper() if ch not in " -")
    if len(cleaned) != CODE_CHARS + 1:
        raise InvalidCredential("credential code has the wrong length")
    if any(ch not in _INDEX for ch in cleaned):
        raise InvalidCredential("credential code has a character outside the alphabet")
    body, check = cleaned[:CODE_CHARS], cleaned[CODE_CHARS]
    if luhn32_check(body) != check:
        raise InvalidCredential("credential code check character does not match")
    return body


class CredentialKey:
    """The delegate's Ed25519 signing key derived from the badge code."""

    __slots__ = ("_key", "public")

    def __init__(self, congress_id: str, code: str) -> None:
        body = parse_code(code)
        seed = H(Tag.CREDENTIAL, congress_id, body)[:32]
        self._key = Ed25519PrivateKey.from_private_bytes(seed)
        self.public: bytes = self._key.public_key().public_bytes_raw()

    def sign(self, message: bytes) -> bytes:
        return self._key.sign(message)

    def __repr__(self) -> str:
        return f"CredentialKey(public={self.public.hex()[:16]}…)"


def check_public_credential(data: bytes) -> Point:
    """Strictly decode a public credential ``Y``; raise ``InvalidCredential`` if refused."""
    try:
        return Point.decode(data)
    except InvalidPoint as e:
        raise InvalidCredential("public credential is not a valid prime-order point") from e


def verify_signature(public: bytes, message: bytes, signature: bytes) -> None:
    """Verify a standard Ed25519 signature under a strictly checked key; raise on failure."""
    check_public_credential(public)
    if not isinstance(signature, bytes) or len(signature) != 64:
        raise InvalidSignature("a signature is 64 bytes")
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, message)
    except _CryptographyInvalidSignature as e:
        raise InvalidSignature("signature does not verify") from e

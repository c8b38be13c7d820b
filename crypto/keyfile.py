"""A guardian's key file, sealed under a passphrase (PROTOCOL.md section 4).

scrypt (``N = 2^15, r = 8, p = 1``, 16-byte salt) derives a 32-byte key;
AES-256-GCM with a 12-byte nonce seals ``canonical_json(secret)`` with
associated data ``H("dh-vote/v1/keyfile", congress_id, guardian index)``.
The file is ``{"format": "dh-vote/v1/keyfile", "congress": id, "guardian": j,
"kdf": {"name": "scrypt", "n": 32768, "r": 8, "p": 1, "salt": hex},
"nonce": hex, "ct": hex}``. The server never sees it.
"""

from __future__ import annotations

import secrets
import unicodedata
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from crypto.canonical import canonical_json, parse_json
from crypto.encoding import bytes_from_hex, require_int, require_keys
from crypto.errors import DecryptionError, EncodingError
from crypto.hashing import H, Tag

__all__ = ["FORMAT", "open_keyfile", "seal_keyfile"]

FORMAT = "dh-vote/v1/keyfile"
_N, _R, _P = 2**15, 8, 1


#: The most work and memory a key file may ask for (128 * r * n bytes: 256 MiB here), so a
#: crafted file cannot exhaust a guardian's device. The same limits in JavaScript.
MAX_N, MAX_R, MAX_P = 2**18, 8, 4


def _key(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    if not isinstance(passphrase, str) or not passphrase:
        raise ValueError("the passphrase is empty")
    # NFC: Vietnamese keyboards type precomposed or combining diacritics for the same text,
    # and a member must open the file on another machine with the same passphrase.
    text = unicodedata.normalize("NFC", passphrase)
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(text.encode("utf-8"))


def _seal_keyfile(
    congress_id: str,
    guardian: int,
    secret: dict[str, Any],
    passphrase: str,
    salt: bytes,
    nonce: bytes,
) -> dict[str, Any]:
    # The seam of seal_keyfile with its randomness (salt, nonce) given, for the test vectors.
    if isinstance(guardian, bool) or not isinstance(guardian, int) or not 1 <= guardian <= 64:
        raise ValueError("guardian is an index 1..64")
    if len(salt) != 16 or len(nonce) != 12:
        raise ValueError("the salt is 16 bytes and the nonce 12")
    aad = H(Tag.KEYFILE, congress_id, guardian)
    ct = AESGCM(_key(passphrase, salt, _N, _R, _P)).encrypt(nonce, canonical_json(secret), aad)
    return {
        "format": FORMAT,
        "congress": congress_id,
        "guardian": guardian,
        "kdf": {"name": "scrypt", "n": _N, "r": _R, "p": _P, "salt": salt.hex()},
        "nonce": nonce.hex(),
        "ct": ct.hex(),
    }


def seal_keyfile(
    congress_id: str, guardian: int, secret: dict[str, Any], passphrase: str
) -> dict[str, Any]:
    """Seal the guardian's secret material under ``passphrase``."""
    return _seal_keyfile(
        congress_id,
        guardian,
        secret,
        passphrase,
        secrets.token_bytes(16),
        secrets.token_bytes(12),
    )


def open_keyfile(keyfile: Any, passphrase: str) -> dict[str, Any]:
    """Open a key file; raise ``DecryptionError`` for a wrong passphrase or a tampered file."""
    require_keys(keyfile, {"format", "congress", "guardian", "kdf", "nonce", "ct"}, "key file")
    if keyfile["format"] != FORMAT:
        raise EncodingError("key file: unknown format")
    kdf = require_keys(keyfile["kdf"], {"name", "n", "r", "p", "salt"}, "key file kdf")
    if kdf["name"] != "scrypt":
        raise EncodingError("key file: unknown KDF")
    n = require_int(kdf["n"], "kdf.n", 2**14, MAX_N)
    if n & (n - 1):
        raise EncodingError("key file: scrypt n is not a power of two")
    r = require_int(kdf["r"], "kdf.r", 1, MAX_R)
    p = require_int(kdf["p"], "kdf.p", 1, MAX_P)
    salt = bytes_from_hex(kdf["salt"], 16, "kdf.salt")
    nonce = bytes_from_hex(keyfile["nonce"], 12, "key file nonce")
    ct_hex = keyfile["ct"]
    if not isinstance(ct_hex, str) or len(ct_hex) > 2**16:
        raise EncodingError("key file: ciphertext missing or too large")
    if len(ct_hex) % 2 or not set(ct_hex) <= set("0123456789abcdef"):
        raise EncodingError("key file: ciphertext is not lowercase hex")
    ct = bytes.fromhex(ct_hex)
    guardian = require_int(keyfile["guardian"], "key file guardian", 1, 64)
    if not isinstance(keyfile["congress"], str):
        raise EncodingError("key file: congress id is not text")
    aad = H(Tag.KEYFILE, keyfile["congress"], guardian)
    try:
        plain = AESGCM(_key(passphrase, salt, n, r, p)).decrypt(nonce, ct, aad)
    except (InvalidTag, ValueError) as e:
        raise DecryptionError("wrong passphrase or damaged key file") from e
    value = parse_json(plain)
    if not isinstance(value, dict):
        raise EncodingError("key file: content is not an object")
    return value

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


def _key(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    if not passphrase:
        raise ValueError("the passphrase is empty")
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))


def seal_keyfile(
    congress_id: str, guardian: int, secret: dict[str, Any], passphrase: str
) -> dict[str, Any]:
    """Seal the guardian's secret material under ``passphrase``."""
    salt = secrets.token_bytes(16)
    nonce = secrets.token_bytes(12)
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


def open_keyfile(keyfile: Any, passphrase: str) -> dict[str, Any]:
    """Open a key file; raise ``DecryptionError`` for a wrong passphrase or a tampered file."""
    require_keys(keyfile, {"format", "congress", "guardian", "kdf", "nonce", "ct"}, "key file")
    if keyfile["format"] != FORMAT:
        raise EncodingError("key file: unknown format")
    kdf = require_keys(keyfile["kdf"], {"name", "n", "r", "p", "salt"}, "key file kdf")
    if kdf["name"] != "scrypt":
        raise EncodingError("key file: unknown KDF")
    n = require_int(kdf["n"], "kdf.n", 2**14, 2**20)
    if n & (n - 1):
        raise EncodingError("key file: scrypt n is not a power of two")
    r = require_int(kdf["r"], "kdf.r", 1, 32)
    p = require_int(kdf["p"], "kdf.p", 1, 16)
    salt = bytes_from_hex(kdf["salt"], 16, "kdf.salt")
    nonce = bytes_from_hex(keyfile["nonce"], 12, "key file nonce")
    if not isinstance(keyfile["ct"], str) or len(keyfile["ct"]) > 2**16:
        raise EncodingError("key file: ciphertext missing or too large")
    ct = bytes.fromhex(keyfile["ct"]) if len(keyfile["ct"]) % 2 == 0 else b""
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

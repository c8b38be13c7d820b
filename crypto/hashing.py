"""Domain-separated hashing (PROTOCOL.md section 3; docs/protocol.md "Hashing").

``H(tag, x1, ..., xn) = SHA-512(enc(tag) || enc(x1) || ... || enc(xn))`` where
``enc(x)`` is the 4-byte big-endian length of ``x`` followed by ``x``. Items are
bytes, points and scalars (their 32-byte encodings), non-negative integers
(8 bytes big-endian) or strings (UTF-8). ``Hs`` reads the 64-byte digest
little-endian and reduces it modulo ``L``.

Every tag starts with ``dh-vote/v1/`` and each use has its own tag (T-1.d).
"""

from __future__ import annotations

import hashlib
from typing import Final

from crypto.group import Point, Scalar

__all__ = ["TAGS", "H", "Hs", "HashItem", "Tag"]

PREFIX: Final = "dh-vote/v1/"


class Tag:
    """The tags, one per use. The JavaScript twin has the same table."""

    PROOF01: Final = PREFIX + "proof01"  # 0/1 proof of one counter
    PROOF_SET: Final = PREFIX + "proof-set"  # set membership of a combination of counters
    SCHNORR: Final = PREFIX + "schnorr"  # key-ceremony proof of knowledge
    DECRYPT: Final = PREFIX + "decrypt"  # Chaum-Pedersen proof of a decryption share
    CREDENTIAL: Final = PREFIX + "credential"  # credential seed from the badge secret
    BALLOT_SIG: Final = PREFIX + "ballot-sig"  # the message a ballot signature signs
    ROUND: Final = PREFIX + "round"  # the round hash h_R
    CONGRESS: Final = PREFIX + "congress"  # the congress manifest hash
    BOARD: Final = PREFIX + "board"  # the board chain
    RECEIPT: Final = PREFIX + "receipt"  # the message a receipt signature signs
    ECIES: Final = PREFIX + "ecies"  # key of a share box from the DH point
    KEYFILE: Final = PREFIX + "keyfile"  # associated data of a guardian key file
    MINUTES: Final = PREFIX + "minutes"  # the message a minutes signature signs
    CREDENTIAL_LIST: Final = PREFIX + "credential-list"  # hash of a round's eligible list
    TEST_RNG: Final = PREFIX + "test-rng"  # deterministic randomness of the test vectors


TAGS: Final = tuple(v for k, v in vars(Tag).items() if k.isupper())

HashItem = bytes | Point | Scalar | int | str


def _item(x: HashItem) -> bytes:
    if isinstance(x, bytes):
        return x
    if isinstance(x, Point | Scalar):
        return x.encode()
    if isinstance(x, bool):
        raise TypeError("booleans are not hash items")
    if isinstance(x, int):
        if not 0 <= x < 2**64:
            raise ValueError("integer hash items are 0 <= x < 2**64")
        return x.to_bytes(8, "big")
    if isinstance(x, str):
        return x.encode("utf-8")
    raise TypeError(f"cannot hash {type(x).__name__}")


def H(tag: str, *items: HashItem) -> bytes:
    """SHA-512 over the length-prefixed tag and items (64 bytes)."""
    if not tag.startswith(PREFIX):
        raise ValueError("every tag starts with dh-vote/v1/")
    h = hashlib.sha512()
    for raw in (tag.encode("utf-8"), *map(_item, items)):
        h.update(len(raw).to_bytes(4, "big"))
        h.update(raw)
    return h.digest()


def Hs(tag: str, *items: HashItem) -> Scalar:
    """``H`` read little-endian and reduced modulo ``L``: a Fiat-Shamir challenge."""
    return Scalar.from_wide(H(tag, *items))

"""The bulletin-board chain and signed receipts (PROTOCOL.md section 7).

``h_0 = H("dh-vote/v1/board", h_R)`` and ``h_i = H("dh-vote/v1/board",
h_{i-1}, h_B_i)``. A receipt is ``{"round": hex(h_R), "position": i,
"ballot": hex(h_B), "chain": hex(h_i), "time": ISO-8601 UTC}`` signed by the
server's Ed25519 key over ``H("dh-vote/v1/receipt", canonical_json(receipt))``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from crypto.canonical import canonical_json
from crypto.credential import verify_signature
from crypto.encoding import bytes_from_hex, require_keys
from crypto.errors import InvalidBallot
from crypto.hashing import H, Tag

__all__ = [
    "board_head",
    "chain_genesis",
    "chain_next",
    "receipt_message",
    "sign_receipt",
    "verify_chain",
    "verify_receipt",
]

_RECEIPT_KEYS = frozenset({"round", "position", "ballot", "chain", "time"})


def chain_genesis(round_hash: bytes) -> bytes:
    """``h_0``."""
    return H(Tag.BOARD, round_hash)


def chain_next(previous: bytes, ballot_hash: bytes) -> bytes:
    """``h_i`` from ``h_{i-1}`` and the ballot hash."""
    return H(Tag.BOARD, previous, ballot_hash)


def board_head(round_hash: bytes, ballot_hashes: Iterable[bytes]) -> bytes:
    """The head of the chain over ``ballot_hashes`` in board order."""
    h = chain_genesis(round_hash)
    for hb in ballot_hashes:
        h = chain_next(h, hb)
    return h


def verify_chain(round_hash: bytes, entries: Iterable[tuple[bytes, bytes]]) -> bytes:
    """Check ``(ballot_hash, chain_hash)`` pairs in order; raise naming the first bad position.

    Positions count from 1. Returns the head.
    """
    h = chain_genesis(round_hash)
    for position, (hb, chained) in enumerate(entries, start=1):
        h = chain_next(h, hb)
        if h != chained:
            raise InvalidBallot(f"board chain breaks at position {position}")
    return h


def receipt_message(receipt: dict[str, Any]) -> bytes:
    return H(Tag.RECEIPT, canonical_json(receipt))


def sign_receipt(server_key: Ed25519PrivateKey, receipt: dict[str, Any]) -> str:
    """Return the hex signature of a receipt (the server side)."""
    require_keys(receipt, _RECEIPT_KEYS, "receipt")
    return server_key.sign(receipt_message(receipt)).hex()


def verify_receipt(server_public: bytes, receipt: Any, signature_hex: Any) -> None:
    """Raise unless ``signature_hex`` is the server's signature on ``receipt``."""
    require_keys(receipt, _RECEIPT_KEYS, "receipt")
    verify_signature(
        server_public, receipt_message(receipt), bytes_from_hex(signature_hex, 64, "signature")
    )

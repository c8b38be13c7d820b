"""ECIES boxes for key-ceremony shares (PROTOCOL.md section 4).

To send ``f_i(j)`` to guardian ``j`` with communication key ``P_j``: pick an
ephemeral ``e``, ``E = e*G``, key ``k = H("dh-vote/v1/ecies", e*P_j)[:32]``,
and seal with AES-256-GCM under a random 12-byte nonce with associated data
``canonical_json({"congress": id, "from": i, "to": j})``. The box is
``{"E": hex, "nonce": hex, "ct": hex}``; opening recomputes ``d_j*E``.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from crypto.canonical import canonical_json
from crypto.encoding import bytes_from_hex, point_from_hex, require_keys
from crypto.errors import DecryptionError
from crypto.group import G, Point, Scalar
from crypto.hashing import H, Tag

__all__ = ["open_share", "seal_share"]

NONCE_BYTES = 12
_SHARE_CT_BYTES = 32 + 16


def _aad(congress_id: str, sender: int, recipient: int) -> bytes:
    return canonical_json({"congress": congress_id, "from": sender, "to": recipient})


def _seal_share(
    congress_id: str,
    sender: int,
    recipient: int,
    recipient_key: Point,
    share: Scalar,
    rand: Callable[[], Scalar],
    nonce: bytes,
) -> dict[str, str]:
    if len(nonce) != NONCE_BYTES:
        raise ValueError("the nonce is 12 bytes")
    e = rand()
    key = H(Tag.ECIES, e * recipient_key)[:32]
    ct = AESGCM(key).encrypt(nonce, share.encode(), _aad(congress_id, sender, recipient))
    return {"E": (e * G).hex(), "nonce": nonce.hex(), "ct": ct.hex()}


def seal_share(
    congress_id: str, sender: int, recipient: int, recipient_key: Point, share: Scalar
) -> dict[str, str]:
    """Encrypt ``share`` from guardian ``sender`` to guardian ``recipient``."""
    return _seal_share(
        congress_id,
        sender,
        recipient,
        recipient_key,
        share,
        Scalar.random,
        secrets.token_bytes(NONCE_BYTES),
    )


def open_share(
    congress_id: str, sender: int, recipient: int, recipient_secret: Scalar, box: Any
) -> Scalar:
    """Open a share box; raise ``DecryptionError`` (or an encoding error) if it does not open."""
    require_keys(box, {"E", "nonce", "ct"}, "share box")
    E = point_from_hex(box["E"], "box.E")
    nonce = bytes_from_hex(box["nonce"], NONCE_BYTES, "box.nonce")
    ct = bytes_from_hex(box["ct"], _SHARE_CT_BYTES, "box.ct")
    key = H(Tag.ECIES, recipient_secret * E)[:32]
    try:
        plain = AESGCM(key).decrypt(nonce, ct, _aad(congress_id, sender, recipient))
    except InvalidTag as e:
        raise DecryptionError("share box does not open") from e
    return Scalar.decode(plain)

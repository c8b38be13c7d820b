"""Hashes of manifests and lists (PROTOCOL.md sections 5, 6 and 9).

* round hash ``h_R = H("dh-vote/v1/round", canonical_json(round manifest))``;
* congress hash ``H("dh-vote/v1/congress", canonical_json(congress manifest))``;
* eligible credential list hash ``H("dh-vote/v1/credential-list", Y_1, ..., Y_n)``
  over the public credentials sorted by their bytes, duplicates refused;
* minutes message ``H("dh-vote/v1/minutes", canonical_json(minutes data))``, what
  each counting-board member signs.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from crypto.canonical import canonical_json
from crypto.credential import check_public_credential
from crypto.errors import InvalidCredential
from crypto.hashing import H, Tag

__all__ = ["congress_hash", "credential_list_hash", "minutes_message", "round_hash"]


def round_hash(manifest: dict[str, Any]) -> bytes:
    return H(Tag.ROUND, canonical_json(manifest))


def congress_hash(manifest: dict[str, Any]) -> bytes:
    return H(Tag.CONGRESS, canonical_json(manifest))


def credential_list_hash(public_credentials: Iterable[bytes]) -> bytes:
    """Hash of a set of public credentials; raise on a refused or repeated key."""
    keys = sorted(public_credentials)
    for a, b in zip(keys, keys[1:], strict=False):
        if a == b:
            raise InvalidCredential("a public credential appears twice")
    for y in keys:
        check_public_credential(y)
    return H(Tag.CREDENTIAL_LIST, *keys)


def minutes_message(minutes: dict[str, Any]) -> bytes:
    return H(Tag.MINUTES, canonical_json(minutes))

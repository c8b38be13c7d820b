"""The server's Ed25519 receipt-signing key (PROTOCOL.md section 7).

The private key is a PEM file in the instance folder, created with mode 0600 and never
stored in the database; the database records its public key, which goes into the congress
manifest so that anyone can check receipts. ``ensure_server_key`` is what ``dhvote
init-db`` runs: it creates the file if it is missing and makes the database agree with it.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.orm import Session

from election.errors import InvalidState
from election.models import ServerKey
from election.services import events
from election.services.base import Actor, service

__all__ = ["KEY_FILE_NAME", "ensure_server_key", "load_private_key", "public_key_bytes"]

KEY_FILE_NAME = "server-signing-key.pem"


def public_key_bytes(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def load_private_key(path: Path) -> Ed25519PrivateKey:
    """Read the key file; ``InvalidState`` if it is not an unencrypted Ed25519 PEM key."""
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError) as e:
        raise InvalidState(f"{path} is not a PEM private key: {e}") from e
    if not isinstance(key, Ed25519PrivateKey):
        raise InvalidState(f"{path} holds a key that is not Ed25519")
    return key


def _write_new_key(path: Path) -> Ed25519PrivateKey:
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_EXCL: never overwrite a key someone else just created; 0600 from the first byte.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    return key


@service
def ensure_server_key(
    db: Session, actor: Actor, path: Path, *, now: datetime
) -> tuple[ServerKey, bool]:
    """Make sure the key file exists and the database records its public key as the active
    one. Returns the record and whether the file was created now.

    Refuses (``InvalidState``) when the database already records a different active key:
    receipts already given out would no longer verify, so a person must decide.
    """
    created = not path.exists()
    key = _write_new_key(path) if created else load_private_key(path)
    public = public_key_bytes(key)
    active = db.scalar(sa.select(ServerKey).where(ServerKey.active.is_(True)))
    if active is not None:
        if active.public_key != public:
            raise InvalidState(
                f"the database's server key {active.public_key.hex()[:16]}… differs from "
                f"{path} ({public.hex()[:16]}…); restore the matching key file"
            )
        return active, created
    record = ServerKey(public_key=public, active=True, created_at=now)
    db.add(record)
    events.record(
        db, actor, "server_key.register", record, now=now, data={"public_key": public.hex()}
    )
    return record, created

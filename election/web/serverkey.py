"""The server's receipt-signing key, loaded once per app from the instance folder.

``dhvote init-db`` creates the key file (mode 0600) and records its public key; a server
that starts without it creates it on first use, through the same service, so that a
development server and the tests work without a separate step.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from flask import current_app

from election.db import get_session
from election.services.base import SYSTEM
from election.services.serverkey import KEY_FILE_NAME, ensure_server_key, load_private_key

__all__ = ["key_file", "server_key"]

_EXTENSION = "dhvote.server_key"


def key_file() -> Path:
    configured = current_app.config.get("SERVER_KEY_FILE")
    return Path(configured) if configured else Path(current_app.instance_path) / KEY_FILE_NAME


def server_key() -> Ed25519PrivateKey:
    """The private key (cached on the app); created and registered if missing."""
    cached = current_app.extensions.get(_EXTENSION)
    if cached is None:
        path = key_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        ensure_server_key(get_session(), SYSTEM, path, now=datetime.now(UTC))
        cached = load_private_key(path)
        current_app.extensions[_EXTENSION] = cached
    key: Ed25519PrivateKey = cached
    return key

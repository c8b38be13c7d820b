"""The inspection commission's pages (ủy ban kiểm tra): round verification, the event log
and its checkpoints, the register of cases (issue 7 items 3-5).

Registering the blueprint also installs the event log's checkpoint signer on the app's
database engine (``election.services.checkpoints``): from then on every
``CHECKPOINT_INTERVAL``-th entry written through this app — by a request, a background
verification or a ``dhvote`` command — is signed with the server key in its own
transaction.
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from flask import Flask
from flask.blueprints import BlueprintSetupState

from election.web.inspection.views import bp

__all__ = ["bp", "install_checkpoint_signer"]


def install_checkpoint_signer(app: Flask) -> None:
    """Sign periodic checkpoints with the key file of ``app`` (``SERVER_KEY_FILE``, or the
    instance folder's). The file is read when the first checkpoint is due; until
    ``dhvote init-db`` (or the first booth request) creates it, none is written and the
    log's check reports the gap."""
    from election.db import get_engine
    from election.services import checkpoints
    from election.services.serverkey import KEY_FILE_NAME, load_private_key

    configured = app.config.get("SERVER_KEY_FILE")
    path = Path(configured) if configured else Path(app.instance_path) / KEY_FILE_NAME

    def load() -> Ed25519PrivateKey | None:
        return load_private_key(path) if path.is_file() else None

    with app.app_context():
        engine = get_engine()
    checkpoints.install_signer(
        engine, checkpoints.Signer(load, interval=app.config["CHECKPOINT_INTERVAL"])
    )


def _on_register(state: BlueprintSetupState) -> None:
    # ``state.app`` is typed as the sans-io App; blueprints are only registered on Flask apps.
    install_checkpoint_signer(cast(Flask, state.app))


bp.record_once(_on_register)

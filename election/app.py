"""The application factory (flaskr style): configure, bind extensions, register blueprints.

`election.create_app` imports this module lazily so that `import election` (and so the
standalone record verifier) never loads Flask.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from typing import Any

from flask import Flask

from election import config as settings
from election.config import ConfigError
from election.paths import DEFAULT_SETTINGS_FILE, TEMPLATES_DIR

__all__ = ["create_app"]


def _keep_text(value: str) -> str:
    # Environment values stay text here; `settings.finalize` coerces each known key to its
    # declared type instead of letting JSON parsing guess (DHVOTE_SECRET_KEY=123 stays text).
    return value


def _load_settings_file(app: Flask) -> None:
    explicit = os.environ.get("DHVOTE_CONFIG")
    path = explicit or (str(DEFAULT_SETTINGS_FILE) if DEFAULT_SETTINGS_FILE.is_file() else None)
    if path is None:
        return
    try:
        app.config.from_file(path, load=tomllib.load, text=False)
    except OSError as e:
        raise ConfigError(f"cannot read the settings file {path} (DHVOTE_CONFIG): {e}") from e
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"the settings file {path} is not valid TOML: {e}") from e


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app. Configuration layers, each overriding the one before: the defaults in
    `election.config`, the TOML settings file, `DHVOTE_*` environment variables, then
    `test_config`. Raises `ConfigError` if the result is unsafe or malformed.
    """
    if not TEMPLATES_DIR.is_dir():
        raise ConfigError(
            f"templates directory {TEMPLATES_DIR} not found: install dhvote from a checkout "
            "with `pip install -e .` (see pyproject.toml)"
        )
    app = Flask("election", template_folder=str(TEMPLATES_DIR), static_folder="static")

    app.config.from_mapping(settings.defaults())
    _load_settings_file(app)
    app.config.from_prefixed_env("DHVOTE", loads=_keep_text)
    if test_config is not None:
        app.config.from_mapping(test_config)
    settings.finalize(app.config)

    from election import db, extensions
    from election.web import access, assets, errors, formatting, i18n, labels, security

    db.init_app(app)
    extensions.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    assets.init_app(app)
    formatting.init_app(app)
    labels.init_app(app)
    errors.init_app(app)
    access.init_app(app)

    from election.web import register_blueprints

    register_blueprints(app)

    return app

"""Shared fixtures, flaskr style: `app`, `client`, `runner`, plus `make_app` for tests that
need their own configuration and `db_url` for tests that need PostgreSQL.

Every app built here is hermetic: `DHVOTE_*` variables from the developer's shell and any
local `config/settings.toml` are hidden from it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from election import create_app

#: A secret for tests: long enough for the production check, obviously not a real one.
TEST_SECRET_KEY = "test-secret-key-not-for-production-0123456789"

#: The one environment variable the tests themselves read (see `db_url`).
DATABASE_URL_VARIABLE = "DHVOTE_TEST_DATABASE_URL"


@pytest.fixture
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Hide the shell's `DHVOTE_*` settings and point `DHVOTE_CONFIG` at an empty file.

    Returns the settings file's path, so a test can write TOML into it.
    """
    for name in list(os.environ):
        if name.startswith("DHVOTE_") and name != DATABASE_URL_VARIABLE:
            monkeypatch.delenv(name)
    settings_file = tmp_path / "settings.toml"
    settings_file.write_text("", encoding="utf-8")
    monkeypatch.setenv("DHVOTE_CONFIG", str(settings_file))
    return settings_file


@pytest.fixture
def make_app(isolated_env: Path) -> Callable[..., Flask]:
    """Build an app from the test defaults below plus keyword overrides (`ENV="production"`)."""

    def build(**overrides: Any) -> Flask:
        config: dict[str, Any] = {
            "TESTING": True,
            "SECRET_KEY": TEST_SECRET_KEY,
            # Form tests post without tokens; CSRF has its own tests with it switched on.
            "WTF_CSRF_ENABLED": False,
        }
        config.update(overrides)
        return create_app(config)

    return build


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    return make_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def db_url() -> str:
    """The SQLAlchemy URL of a scratch PostgreSQL database (`.ci/run` exports it).

    Skips when it is not set on a developer's machine, but fails under CI, where a missing
    database means the CI script is broken rather than the test being optional.
    """
    url = os.environ.get(DATABASE_URL_VARIABLE, "")
    if not url:
        message = (
            f"{DATABASE_URL_VARIABLE} is not set "
            "(e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return url

"""dhvote: the Flask application and the election domain.

Importing this package loads neither Flask nor SQLAlchemy, so the standalone parts
(`election.record`, `election.verifier`) run without the web stack; `create_app` imports
the factory only when called.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

__all__ = ["__version__", "create_app"]

__version__ = "0.1.0"


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Create the Flask app; see `election.app.create_app` for the configuration layers."""
    from election.app import create_app as _create_app

    return _create_app(test_config)

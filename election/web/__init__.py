"""The web layer: one blueprint package per area (`web/<area>/views.py`), plus the
app-wide pieces every page relies on: security headers (`security`), asset tags with
Subresource Integrity (`assets`), language selection (`i18n`) and error pages (`errors`).

Views parse the request, call one service and render; they never call `crypto`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

__all__ = ["register_blueprints"]


def register_blueprints(app: Flask) -> None:
    """Register every area's blueprint. Each view declares its audience (``access.allow``)."""
    from election.web.auth import bp as auth_bp
    from election.web.public import bp as public_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(auth_bp)

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
    from election.web.board import bp as board_bp
    from election.web.booth import bp as booth_bp
    from election.web.counting import bp as counting_bp
    from election.web.credentials import bp as credentials_bp
    from election.web.hall import bp as hall_bp
    from election.web.inspection import bp as inspection_bp
    from election.web.presidium import bp as presidium_bp
    from election.web.public import bp as public_bp
    from election.web.secretariat import bp as secretariat_bp
    from election.web.terminals import bp as terminals_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(board_bp)
    app.register_blueprint(booth_bp)
    app.register_blueprint(terminals_bp)
    app.register_blueprint(credentials_bp)
    app.register_blueprint(secretariat_bp)
    app.register_blueprint(presidium_bp)
    app.register_blueprint(hall_bp)
    app.register_blueprint(inspection_bp)
    app.register_blueprint(counting_bp)

"""Views of the public area: `/` (welcome page) and `/healthz` (liveness probe)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template

from election.extensions import limiter

__all__ = ["bp"]

bp = Blueprint("public", __name__)


@bp.get("/")
def index() -> str:
    """The welcome page."""
    return render_template("public/index.html")


@bp.get("/healthz")
@limiter.exempt
def healthz() -> Response:
    """Liveness probe for the reverse proxy and monitoring: no secrets, no database yet."""
    return jsonify(status="ok")

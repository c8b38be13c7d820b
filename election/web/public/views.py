"""Views of the public area: `/` (welcome page) and `/healthz` (liveness probe)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template

from election.extensions import limiter
from election.web.access import PUBLIC, allow

__all__ = ["bp"]

bp = Blueprint("public", __name__)


@bp.get("/")
@allow(PUBLIC)
def index() -> str:
    """The welcome page."""
    return render_template("public/index.html")


@bp.get("/healthz")
@allow(PUBLIC)
@limiter.exempt
def healthz() -> Response:
    """Liveness probe for the reverse proxy and monitoring: no secrets, no database yet."""
    return jsonify(status="ok")

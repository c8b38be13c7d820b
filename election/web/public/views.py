"""Views of the public area: `/` (welcome page) and `/healthz` (liveness probe)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, render_template
from sqlalchemy.exc import SQLAlchemyError

from election.db import get_session
from election.extensions import limiter
from election.web.access import PUBLIC, allow, current_congress

__all__ = ["bp"]

bp = Blueprint("public", __name__)


@bp.get("/")
@allow(PUBLIC)
def index() -> str:
    """The welcome page: the congress this server runs and its agenda of elections."""
    congress = None
    contests: list[Any] = []
    try:
        congress = current_congress()
        if congress is not None:
            contests = sorted(congress.contests, key=lambda c: (c.agenda_order, c.id))
    except SQLAlchemyError:
        # A server whose database is not initialised yet still shows the welcome page.
        get_session().rollback()
    return render_template("public/index.html", congress=congress, contests=contests)


@bp.get("/healthz")
@allow(PUBLIC)
@limiter.exempt
def healthz() -> Response:
    """Liveness probe for the reverse proxy and monitoring: no secrets, no database yet."""
    return jsonify(status="ok")

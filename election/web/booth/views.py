"""The voting booth (PROTOCOL.md section 7; issue 5).

Only an enrolled terminal (``TERMINAL``: its HttpOnly cookie holds a token whose SHA-256
the database knows) may load ballots and cast them. The delegate's badge secret never
reaches the server: the terminal derives the public credential in the browser and sends
that. Every POST is JSON with the CSRF token in ``X-CSRFToken``.

The API answers refusals as ``{"error": <check>, "message": <Vietnamese text>}`` with
409 (already voted, duplicate, revoked, round not open), 404 (no open round) or 422 (not
eligible, or anything else about the ballot); nothing is stored on a refusal. 401 and 403
are kept for access control (an unenrolled device).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from werkzeug.wrappers import Response

import crypto
from election.config import is_production
from election.db import get_session
from election.errors import NotFound
from election.extensions import limiter
from election.models import Round
from election.services import ballotbox, export, users
from election.services.ballotbox import BallotRejected, Check, NoOpenRound
from election.web.access import PUBLIC, TERMINAL, TERMINAL_COOKIE, allow, require_congress
from election.web.serverkey import server_key

__all__ = ["bp"]

bp = Blueprint("booth", __name__)

# Business refusals never use 401/403, which mean "this terminal may not call this".
_STATUS = {
    Check.NOT_ELIGIBLE: 422,
    Check.REVOKED: 409,
    Check.ALREADY_VOTED: 409,
    Check.DUPLICATE: 409,
    Check.ROUND_NOT_OPEN: 409,
}


def _refusal(e: BallotRejected) -> ResponseReturnValue:
    return jsonify(error=e.check.value, message=str(e)), _STATUS.get(e.check, 422)


def _now() -> datetime:
    return datetime.now(UTC)


def _round_of_congress(round_id: int) -> Round:
    congress = require_congress()
    round_ = get_session().get(Round, round_id)
    if round_ is None or round_.contest.congress_id != congress.id:
        abort(404)
    return round_


@bp.get("/booth")
@allow(TERMINAL)
def kiosk() -> str:
    """The kiosk page the delegates use."""
    congress = require_congress()
    return render_template(
        "booth/kiosk.html",
        congress_id=congress.public_id,
        idle_after=current_app.config["BOOTH_IDLE_SECONDS"],
        idle_warning=current_app.config["BOOTH_IDLE_WARNING_SECONDS"],
        congress_title=f"Đại hội {congress.organization} lần thứ {congress.ordinal}, "
        f"nhiệm kỳ {congress.term}",
    )


@bp.get("/booth/enroll")
@allow(PUBLIC)
@limiter.limit("10 per minute")
def enroll() -> ResponseReturnValue:
    """Make this browser an enrolled terminal from the one-time token the presidium got."""
    token = request.args.get("token", "")
    congress = require_congress()
    # A wrong token is a bad link (400), not a refusal of who the visitor is (403).
    try:
        terminal = users.terminal_for_token(get_session(), token)
    except NotFound:
        abort(400)
    if terminal.congress_id != congress.id:
        abort(400)
    response: Response = make_response(redirect(url_for("booth.kiosk")))
    response.set_cookie(
        TERMINAL_COOKIE,
        token,
        httponly=True,
        samesite="Strict",
        secure=is_production(current_app.config),
        max_age=7 * 24 * 3600,
    )
    return response


def _json_body() -> Any:
    if not request.is_json:
        raise BallotRejected(Check.MALFORMED, "cần gửi JSON")
    return request.get_data(cache=False)


@bp.post("/api/booth/session")
@allow(TERMINAL)
def session() -> ResponseReturnValue:
    """The open round this badge's public credential may vote in, with its manifest."""
    congress = require_congress()
    data = request.get_json(silent=True)
    credential = data.get("credential") if isinstance(data, dict) else None
    try:
        round_ = ballotbox.open_round_for(get_session(), congress.id, credential)
    except NoOpenRound as e:
        return jsonify(error="no_open_round", message=str(e)), 404
    except BallotRejected as e:
        return _refusal(e)
    changed = export.served_code_changes(round_.manifest)
    if changed:
        # ATTACKS.md T-11: the code a booth would run is not the code the round recorded when
        # it opened. No delegate starts on it; the operators must restore the build.
        current_app.logger.error(
            "round %s: served %s differ from the round manifest; booth sessions refused",
            round_.id,
            ", ".join(changed),
        )
        return jsonify(
            error="code_changed",
            message=f"the served {', '.join(changed)} changed since the round opened",
        ), 409
    return jsonify(
        round_id=round_.id,
        round_hash=(round_.round_hash or b"").hex(),
        manifest=round_.manifest,
    )


@bp.post("/api/booth/rounds/<int:round_id>/ballots")
@allow(TERMINAL)
def cast(round_id: int) -> ResponseReturnValue:
    """Cast a signed ballot; 201 with the signed receipt, or the refusal."""
    round_ = _round_of_congress(round_id)
    try:
        receipt = ballotbox.cast_ballot(
            get_session(), round_, _json_body(), server_key=server_key(), now=_now()
        )
    except BallotRejected as e:
        return _refusal(e)
    return jsonify(receipt.to_json()), 201


@bp.post("/api/booth/rounds/<int:round_id>/challenges")
@allow(TERMINAL)
def challenge(round_id: int) -> ResponseReturnValue:
    """Post a challenged (audited) ballot; it is never counted."""
    round_ = _round_of_congress(round_id)
    data = request.get_json(silent=True)
    try:
        posted = ballotbox.challenge_ballot(get_session(), round_, data, now=_now())
    except BallotRejected as e:
        return _refusal(e)
    return jsonify(tracking_code=crypto.tracking_code(posted.ballot_hash)), 201

"""The hall screen (``/hall``) and the JSON it polls (``/api/hall``), both public.

What either may say is decided by ``election.services.hall``: attendance and quorum as
numbers, the open round's ballots cast against its eligible voters (a count, never who),
the head of its board's hash chain, and results the counting board has announced. The
JSON carries each number both raw and formatted for the screen's language, so the
script only copies text into place and never formats or decides anything itself.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Response, jsonify, render_template
from flask_babel import gettext as _

from election.db import get_session
from election.extensions import limiter
from election.rules import PercentDisplay
from election.services import hall
from election.web.access import PUBLIC, allow, current_congress
from election.web.formatting import (
    format_hash,
    format_number,
    format_percent,
    format_roman,
    format_time,
)
from election.web.labels import label

__all__ = ["bp", "payload"]

bp = Blueprint("hall", __name__)

#: Turnout is shown to one decimal; it is a share of voters present, not a result.
_TURNOUT = PercentDisplay(decimals=1)


def _title(snap: hall.HallSnapshot) -> str:
    congress = snap.congress
    return _(
        "Đại hội lần thứ %(ordinal)s, nhiệm kỳ %(term)s",
        ordinal=format_roman(congress.ordinal),
        term=congress.term,
    )


def payload(snap: hall.HallSnapshot) -> dict[str, Any]:
    """The hall's state as JSON: counts, formatted counts, and announced results only."""
    attendance = None
    if snap.quorum is not None:
        q = snap.quorum
        attendance = {
            "present": q.present,
            "convened": q.convened,
            "n": q.n,
            "required": q.required,
            "quorum_met": q.met,
            "present_text": format_number(q.present),
            "convened_text": format_number(q.convened),
            "n_text": format_number(q.n),
            "required_text": format_number(q.required),
            "quorum_text": _("Đủ túc số") if q.met else _("Chưa đủ túc số"),
        }
    current = None
    if snap.open_round is not None:
        r = snap.open_round
        current = {
            "id": r.round_id,
            "title": r.title,
            "label": _("Bầu lần %(n)s", n=r.number),
            "cast": r.cast,
            "eligible": r.eligible,
            "cast_text": format_number(r.cast),
            "eligible_text": format_number(r.eligible),
            "turnout_text": format_percent(r.cast, r.eligible, _TURNOUT) if r.eligible else "—",
            "head": format_hash(r.board_head),
            "round_hash": format_hash(r.round_hash),
        }
    results = [
        {
            "id": result.round_id,
            "title": result.title,
            "label": _("Bầu lần %(n)s", n=result.number),
            "summary": _(
                "N = %(n)s · trúng cử cần ít nhất %(threshold)s phiếu · %(valid)s phiếu hợp lệ",
                n=format_number(result.base_n),
                threshold=format_number(result.threshold),
                valid=format_number(result.valid),
            ),
            "lines": [
                {
                    "name": line.name,
                    "votes": line.votes,
                    "votes_text": format_number(line.votes),
                    "percent_text": format_percent(line.votes, result.base_n, snap.percent),
                    "elected": line.elected,
                    "outcome_text": label("outcome", line.outcome),
                }
                for line in result.lines
            ],
        }
        for result in snap.results
    ]
    return {
        "congress": {"organization": snap.congress.organization, "title": _title(snap)},
        "sitting": snap.sitting.title if snap.sitting is not None else None,
        "attendance": attendance,
        "round": current,
        "results": results,
    }


def _empty() -> dict[str, Any]:
    return {"congress": None, "sitting": None, "attendance": None, "round": None, "results": []}


@bp.get("/hall")
@allow(PUBLIC)
@limiter.exempt
def screen() -> str:
    """The projector page: large type, high contrast, updated by ``hall.js``."""
    congress = current_congress()
    if congress is None:
        return render_template("hall/screen.html", data=_empty(), updated="—")
    snap = hall.snapshot(get_session(), congress)
    return render_template("hall/screen.html", data=payload(snap), updated=_updated())


@bp.get("/api/hall")
@allow(PUBLIC)
@limiter.exempt
def api() -> Response:
    """The hall screen's state, polled every few seconds (ATTACKS.md 9: counts only)."""
    congress = current_congress()
    if congress is None:
        return jsonify(_empty())
    data = payload(hall.snapshot(get_session(), congress))
    data["updated"] = _updated()
    return jsonify(data)


def _updated() -> str:
    return format_time(datetime.now(UTC), seconds=True)

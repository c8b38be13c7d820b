"""The public bulletin board (PROTOCOL.md section 7; issue 5 item 4).

Anyone on the hall network may read it: each opened round's ballots in board order with
their hashes and chain, a lookup by tracking code, and the head hash the hall screen
projects. It shows no name next to a ballot: the board lists ballots, not voters.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, jsonify, render_template, request
from flask.typing import ResponseReturnValue

import crypto
from election.db import get_session
from election.models import Contest, Round, RoundState
from election.services import ballotbox, credentials
from election.web.access import PUBLIC, allow, require_congress

__all__ = ["bp"]

bp = Blueprint("board", __name__)


def _rounds() -> list[Round]:
    congress = require_congress()
    return list(
        get_session().scalars(
            sa.select(Round)
            .join(Contest, Contest.id == Round.contest_id)
            .where(Contest.congress_id == congress.id, Round.round_hash.is_not(None))
            .order_by(Round.opened_at, Round.id)
        )
    )


def _round(round_id: int) -> Round:
    for round_ in _rounds():
        if round_.id == round_id:
            return round_
    abort(404)


def _entry_json(entry: Any, full: bool) -> dict[str, Any]:
    out = {
        "position": entry.position,
        "ballot_hash": entry.ballot_hash.hex(),
        "chain_hash": entry.chain_hash.hex(),
        "tracking_code": crypto.tracking_code(entry.ballot_hash),
        "credential": entry.ballot["credential"],
        "receipt": entry.receipt,
        "receipt_signature": entry.receipt_signature.hex(),
    }
    if full:
        out["ballot"] = entry.ballot
    return out


def _head(round_: Round, entries: list[Any]) -> str:
    if entries:
        return str(entries[-1].chain_hash.hex())
    return crypto.chain_genesis(round_.round_hash or b"").hex()


@bp.get("/board")
@allow(PUBLIC)
def index() -> str:
    """Every opened round, with its ballot count and head hash."""
    db = get_session()
    rows = []
    for round_ in _rounds():
        entries = ballotbox.board_entries(db, round_)
        rows.append({"round": round_, "count": len(entries), "head": _head(round_, entries)})
    return render_template("board/index.html", rows=rows, open_state=RoundState.OPEN)


@bp.get("/board/<int:round_id>")
@allow(PUBLIC)
def round_board(round_id: int) -> str:
    """One round's board; ``?code=XXXXX-XXXXX`` finds a ballot by its tracking code.

    Each ballot is shown with the shortest code (two groups or more) no other ballot of
    the round shares (ATTACKS.md T-8.c)."""
    round_ = _round(round_id)
    db = get_session()
    entries = ballotbox.board_entries(db, round_)
    code = (request.args.get("code") or "").strip()
    found = ballotbox.find_by_tracking_code(db, round_, code) if code else []
    shown = crypto.tracking_codes([e.ballot_hash for e in entries])
    return render_template(
        "board/round.html",
        round=round_,
        rows=list(zip(entries, shown, strict=True)),
        head=_head(round_, entries),
        code=code,
        found=found,
        found_ids={e.id for e in found},
        reissues=credentials.reissues_during(db, round_),
    )


@bp.get("/api/board/<int:round_id>")
@allow(PUBLIC)
def round_board_json(round_id: int) -> ResponseReturnValue:
    """The board as JSON; ``?full=1`` includes every signed ballot (large)."""
    round_ = _round(round_id)
    entries = ballotbox.board_entries(get_session(), round_)
    full = request.args.get("full") == "1"
    return jsonify(
        round_id=round_.id,
        round_hash=(round_.round_hash or b"").hex(),
        manifest=round_.manifest,
        state=round_.state.value,
        head=_head(round_, entries),
        entries=[_entry_json(e, full) for e in entries],
        reissues=[
            {
                "at": n.at.isoformat(),
                "revoked": n.revoked,
                "issued": n.issued,
                "decision": n.decision,
            }
            for n in credentials.reissues_during(get_session(), round_)
        ],
    )

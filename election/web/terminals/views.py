"""Enrolment of voting terminals by the presidium (issue 5 item 1).

Enrolling gives a one-time link, shown once (as text and as a QR code for the booth's
camera or a technician's phone): opening it on the booth device stores the terminal's
token in an HttpOnly cookie. The server keeps only the token's SHA-256, so the link cannot
be shown again; a lost device is deactivated and a new one enrolled.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import segno
import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from election.db import get_session
from election.errors import DomainError
from election.models import Role, Terminal
from election.services import users
from election.web.access import acting_actor, allow, require_congress
from election.web.terminals.forms import EnrolForm

__all__ = ["bp"]

bp = Blueprint("terminals", __name__, url_prefix="/terminals")
ROLES = (Role.PRESIDIUM, Role.SECRETARIAT)


def _terminals() -> list[Terminal]:
    congress = require_congress()
    return list(
        get_session().scalars(
            sa.select(Terminal).where(Terminal.congress_id == congress.id).order_by(Terminal.id)
        )
    )


@bp.route("", methods=["GET", "POST"])
@allow(*ROLES)
def index() -> ResponseReturnValue:
    """The enrolled terminals, and the form that enrols one more."""
    form = EnrolForm()
    link = qr = None
    if form.validate_on_submit():
        try:
            terminal, token = users.enroll_terminal(
                get_session(),
                acting_actor(*ROLES),
                require_congress(),
                name=(form.name.data or "").strip(),
                now=datetime.now(UTC),
            )
        except DomainError as e:
            flash(str(e), "error")
        else:
            link = url_for("booth.enroll", token=token, _external=True)
            svg = segno.make(link, error="m").svg_inline(scale=4)
            qr = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
            flash(_("Đã ghi danh máy %(name)s.", name=terminal.name), "success")
    return render_template(
        "terminals/index.html", form=form, terminals=_terminals(), link=link, qr=qr
    )


@bp.post("/<int:terminal_id>/deactivate")
@allow(*ROLES)
def deactivate(terminal_id: int) -> ResponseReturnValue:
    """Stop a terminal (lost or replaced)."""
    terminal = get_session().get(Terminal, terminal_id)
    if terminal is None or terminal.congress_id != require_congress().id:
        flash(_("Không có máy này."), "error")
    else:
        try:
            users.deactivate_terminal(
                get_session(), acting_actor(*ROLES), terminal, now=datetime.now(UTC)
            )
            flash(_("Đã ngừng máy %(name)s.", name=terminal.name), "success")
        except DomainError as e:
            flash(str(e), "error")
    return redirect(url_for("terminals.index"))

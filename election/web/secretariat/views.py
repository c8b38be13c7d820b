"""The secretariat's pages: the congress as set up, the roster import and candidate lists.

Roster import is two steps and all or nothing (docs/roster-format.md): the upload is
parsed and shown — every row, or every bad row with its line and reason — and nothing is
saved; confirming imports exactly the previewed bytes. Those bytes travel in the confirm
form inside a token signed with the app's secret key (itsdangerous), bound to the user and
valid for an hour, so the server keeps no upload state and a tampered or stale token is
refused.

The candidate-list page shows the rules engine's checks rendered on the server; its script
(``console.js``) posts the names being ticked to ``/api/secretariat/contests/<id>/check``
and redraws the same checks without reloading.
"""

from __future__ import annotations

import base64
import zlib
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from election.db import get_session
from election.errors import DomainError, RosterImportError
from election.models import (
    Body,
    BodyMember,
    Congress,
    CongressSession,
    Contest,
    Member,
    Membership,
    Role,
    SessionKind,
)
from election.services import agenda, candidates, list_review, roster, roster_preview
from election.services.congress import congress_profile
from election.web.access import acting_actor, allow, current_congress
from election.web.labels import describe_error
from election.web.secretariat.checks import check_items, entry_items, review_json, verdict
from election.web.secretariat.forms import (
    BuildListForm,
    NominateForm,
    RosterConfirmForm,
    RosterForm,
)
from election.web.secretariat.roster_words import translate_reason

__all__ = ["bp"]

bp = Blueprint("secretariat", __name__)

#: How long a previewed roster may wait for its confirmation.
PREVIEW_MAX_AGE = 60 * 60
#: The most names one check request may propose (a congress has about two thousand people).
MAX_PROPOSED = 5000


def _now() -> datetime:
    return datetime.now(UTC)


def _congress() -> Congress:
    congress = current_congress()
    if congress is None:
        abort(404)
    return congress


def _contest(contest_id: int, congress: Congress) -> Contest:
    contest = get_session().get(Contest, contest_id)
    if contest is None or contest.congress_id != congress.id:
        abort(404)
    return contest


def _actor() -> Any:
    return acting_actor(Role.SECRETARIAT)


# ------------------------------------------------------------------------------- overview


@bp.get("/secretariat/")
@allow(Role.SECRETARIAT)
def overview() -> str:
    """The congress as set up: bodies, positions and seats, contests, sessions, roster."""
    db = get_session()
    congress = _congress()
    roster_counts = dict(
        db.execute(
            sa.select(Member.membership, sa.func.count())
            .where(Member.congress_id == congress.id)
            .group_by(Member.membership)
        ).all()
    )
    body_sizes = dict(
        db.execute(
            sa.select(BodyMember.body_id, sa.func.count())
            .join(Body, Body.id == BodyMember.body_id)
            .where(Body.congress_id == congress.id)
            .group_by(BodyMember.body_id)
        ).all()
    )
    return render_template(
        "secretariat/overview.html",
        congress=congress,
        roster_total=sum(roster_counts.values()),
        roster_counts=[(m, roster_counts.get(m, 0)) for m in Membership],
        body_sizes=body_sizes,
        items=agenda.agenda(db, congress),
        sittings=agenda.sittings(db, congress),
        profile=congress_profile(congress),
    )


# ------------------------------------------------------------------------------- roster


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="dhvote.roster-preview")


def _seal(filename: str, data: bytes) -> str:
    packed = base64.b64encode(zlib.compress(data, 6)).decode("ascii")
    return _serializer().dumps({"u": current_user.user_id, "f": filename, "d": packed})


def _unseal(token: str) -> tuple[str, bytes] | None:
    try:
        payload = _serializer().loads(token, max_age=PREVIEW_MAX_AGE)
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(payload, dict) or payload.get("u") != current_user.user_id:
        return None
    try:
        return str(payload["f"]), zlib.decompress(base64.b64decode(payload["d"]))
    except (KeyError, ValueError, zlib.error):
        return None


@bp.route("/secretariat/roster", methods=["GET", "POST"])
@allow(Role.SECRETARIAT)
def roster_upload() -> str | tuple[str, int]:
    """Upload a roster and preview it; nothing is saved here."""
    db = get_session()
    congress = _congress()
    form = RosterForm()
    members = db.scalar(
        sa.select(sa.func.count()).select_from(Member).where(Member.congress_id == congress.id)
    )
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template(
            "secretariat/roster.html", congress=congress, form=form, members=members
        ), status
    upload = form.file.data
    data = upload.read()
    try:
        preview = roster_preview.preview_roster(db, congress, data, upload.filename, now=_now())
    except DomainError as e:
        form.file.errors = [describe_error(e)]
        return render_template(
            "secretariat/roster.html", congress=congress, form=form, members=members
        ), 400
    confirm = RosterConfirmForm()
    if preview.ok:
        confirm.token.data = _seal(preview.filename, data)
    return render_template(
        "secretariat/roster_preview.html",
        congress=congress,
        preview=preview,
        confirm=confirm,
        reason_text=translate_reason,
    )


@bp.post("/secretariat/roster/confirm")
@allow(Role.SECRETARIAT)
def roster_confirm() -> str | Response | tuple[str, int]:
    """Import the previewed roster: every row or none."""
    db = get_session()
    congress = _congress()
    form = RosterConfirmForm()
    sealed = _unseal(form.token.data or "") if form.validate_on_submit() else None
    if sealed is None:
        flash(_("Bản xem trước đã hết hạn hoặc không hợp lệ. Vui lòng tải tệp lên lại."), "error")
        return redirect(url_for(".roster_upload"))
    filename, data = sealed
    try:
        imported = roster.import_roster(db, _actor(), congress, data, filename, now=_now())
    except RosterImportError as e:
        # The roster changed since the preview (a code was taken meanwhile): show why.
        preview = roster_preview.RosterPreview(filename, "", (), e.problems)
        return render_template(
            "secretariat/roster_preview.html",
            congress=congress,
            preview=preview,
            confirm=RosterConfirmForm(),
            reason_text=translate_reason,
        ), 400
    except DomainError as e:
        flash(describe_error(e), "error")
        return redirect(url_for(".roster_upload"))
    flash(_("Đã nhập %(count)s người vào danh sách.", count=len(imported)), "success")
    return redirect(url_for(".overview"))


# ------------------------------------------------------------------------------- lists


def _build_form(contest: Contest, form: BuildListForm | None = None) -> BuildListForm:
    db = get_session()
    form = form or BuildListForm(prefix="build")
    sittings = agenda.sittings(db, contest.congress)
    # A congress contest is voted in a plenary session, a body's in that body's session.
    if contest.electorate_id is None:
        wanted = [s for s in sittings if s.kind is SessionKind.PLENARY]
    else:
        wanted = [s for s in sittings if s.body_id == contest.electorate_id]
    form.sitting.choices = [SelectChoice(s.id, f"{s.number}. {s.title}") for s in wanted]
    return form


def _render_list(
    contest: Contest,
    status: int = 200,
    nominate_form: NominateForm | None = None,
    build_form: BuildListForm | None = None,
) -> tuple[str, int]:
    db = get_session()
    review = list_review.review_list(db, contest)
    nominate_form = nominate_form or NominateForm(prefix="add")
    addable = list_review.addable_members(db, contest)
    nominate_form.members.choices = [SelectChoice(m.id, m.full_name) for m in addable]
    return render_template(
        "secretariat/contest.html",
        congress=contest.congress,
        contest=contest,
        review=review,
        verdict=verdict(review),
        checks=check_items(review),
        entries=entry_items(review),
        withdrawals=list_review.withdrawals(db, contest),
        addable=addable,
        nominate_form=nominate_form,
        build_form=_build_form(contest, build_form),
    ), status


@bp.get("/secretariat/contests/<int:contest_id>")
@allow(Role.SECRETARIAT)
def contest(contest_id: int) -> tuple[str, int]:
    """A contest's candidate list with the rules engine's checks."""
    return _render_list(_contest(contest_id, _congress()))


@bp.post("/secretariat/contests/<int:contest_id>/nominations")
@allow(Role.SECRETARIAT)
def nominate(contest_id: int) -> Response | tuple[str, int]:
    """Put the ticked members on the convening committee's list."""
    db = get_session()
    congress = _congress()
    item = _contest(contest_id, congress)
    form = NominateForm(prefix="add")
    form.members.choices = [
        SelectChoice(m.id, m.full_name) for m in list_review.addable_members(db, item)
    ]
    if not form.validate_on_submit() or not form.members.data:
        if not form.errors:
            form.members.errors = [_("Chọn ít nhất một người.")]
        return _render_list(item, 400, nominate_form=form)
    people = list(
        db.scalars(
            sa.select(Member).where(
                Member.congress_id == congress.id, Member.id.in_(form.members.data)
            )
        )
    )
    try:
        added = list_review.nominate_official(db, _actor(), item, people, now=_now())
    except DomainError as e:
        flash(describe_error(e), "error")
    else:
        flash(_("Đã đưa %(count)s người vào danh sách của cấp ủy.", count=len(added)), "success")
    return redirect(url_for(".contest", contest_id=item.id))


@bp.post("/secretariat/contests/<int:contest_id>/build")
@allow(Role.SECRETARIAT)
def build(contest_id: int) -> Response | tuple[str, int]:
    """Check the list with the rules engine and store it as the first round's draft."""
    db = get_session()
    congress = _congress()
    item = _contest(contest_id, congress)
    form = _build_form(item, BuildListForm(prefix="build"))
    if not form.validate_on_submit():
        return _render_list(item, 400, build_form=form)
    sitting = db.get(CongressSession, form.sitting.data)
    if sitting is None or sitting.congress_id != congress.id:
        abort(404)
    try:
        built = candidates.build_candidate_list(db, _actor(), item, sitting=sitting, now=_now())
    except DomainError as e:
        flash(describe_error(e), "error")
    else:
        flash(
            _(
                "Đã lập danh sách bầu cử gồm %(count)s người, xếp theo vần A, B, C.",
                count=len(built.round.candidates),
            ),
            "success",
        )
    return redirect(url_for(".contest", contest_id=item.id))


@bp.post("/api/secretariat/contests/<int:contest_id>/check")
@allow(Role.SECRETARIAT)
def check(contest_id: int) -> Response | tuple[Response, int]:
    """The checks of the list as it would be with ``{"add": [member ids]}`` added.

    Reads only. A POST because the page sends the names as a JSON body with the
    ``X-CSRFToken`` header, like every JSON call of the consoles.
    """
    db = get_session()
    congress = _congress()
    item = _contest(contest_id, congress)
    body = request.get_json(silent=True)
    wanted = body.get("add", []) if isinstance(body, dict) else None
    if (
        not isinstance(wanted, list)
        or len(wanted) > MAX_PROPOSED
        or not all(isinstance(i, int) and not isinstance(i, bool) for i in wanted)
    ):
        return jsonify(error=400, message=_("Yêu cầu không hợp lệ.")), 400
    people = (
        list(
            db.scalars(
                sa.select(Member).where(Member.congress_id == congress.id, Member.id.in_(wanted))
            )
        )
        if wanted
        else []
    )
    review = list_review.review_list(db, item, proposed=people)
    return jsonify(review_json(review))

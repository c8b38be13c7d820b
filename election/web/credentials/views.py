"""Views of the credentials board (``Role.CREDENTIALS``): review, desk, report.

* ``/credentials/review``: every convened person, filtered by party cell and review
  status; recognise, or not recognise with a reason (``credentials.review_member``).
* ``/credentials/desk``: the check-in desk. Find a person by name (accent-insensitive) or
  by scanning a badge; record attendance at a session; issue, revoke and reissue the
  voting badge. Badge codes are generated and read only by the desk's script
  (``static/js/entries/desk.js``): the JSON endpoints under ``/api/credentials/`` receive
  public keys only, and refuse any other field.
* ``/credentials/report``: the credentials report (page and PDF, from one template), its
  adoption by the board, and the congress's open vote approving it. The approval is
  recorded by the presidium only (``credentials_report.record_approval``): the presidium
  puts every question to the congress, and the board does not certify its own report.

Views parse the request, call one service and render; errors of the services become a
flashed message (pages) or a JSON error with a Vietnamese message (``/api/``).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale, to_user_timezone
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from election.db import get_session
from election.errors import (
    Conflict,
    DomainError,
    InvalidInput,
    InvalidState,
    NotFound,
    PermissionDenied,
)
from election.extensions import limiter
from election.models import (
    Congress,
    CongressKind,
    CongressSession,
    Member,
    Role,
    SessionKind,
)
from election.pdf import render_pdf
from election.services import credentials as credential_service
from election.services import credentials_desk as desk_service
from election.services import credentials_report as report_service
from election.services.credentials_desk import ReviewStatus
from election.web import formatting
from election.web.access import acting_actor, allow, current_congress
from election.web.credentials.forms import (
    AdoptReportForm,
    ApprovalForm,
    AttendanceForm,
    RecognisePendingForm,
    ReplacementForm,
    ReviewFilterForm,
    ReviewForm,
    RevokeForm,
)
from election.web.labels import describe_error

__all__ = ["bp"]

bp = Blueprint("credentials", __name__)

#: How many search results the desk lists.
SEARCH_LIMIT = 50

_HEX_KEY = re.compile(r"[0-9a-fA-F]{64}")

STATUS_LABELS = {
    ReviewStatus.PENDING: _l("Chưa thẩm tra"),
    ReviewStatus.RECOGNISED: _l("Đã công nhận"),
    ReviewStatus.NOT_RECOGNISED: _l("Không công nhận"),
}


def _now() -> datetime:
    return datetime.now(UTC)


def _congress() -> Congress:
    congress = current_congress()
    if congress is None:
        abort(404)
    return congress


def _sitting(congress: Congress, *, plenary_only: bool = False) -> CongressSession | None:
    """The session named by ``?session=<number>`` (404 if unknown), else the default."""
    number = request.args.get("session", type=int)
    sittings = [s for s in congress.sessions if not plenary_only or s.kind is SessionKind.PLENARY]
    if number is not None:
        for sitting in sittings:
            if sitting.number == number:
                return sitting
        abort(404)
    default = desk_service.default_sitting(congress)
    if default is not None and default in sittings:
        return default
    return sittings[0] if sittings else None


def _member(congress: Congress, member_id: int) -> Member:
    member = get_session().get(Member, member_id)
    if member is None or member.congress_id != congress.id:
        abort(404)
    return member


@bp.context_processor
def _labels() -> dict[str, Any]:
    return {"status_labels": STATUS_LABELS, "ReviewStatus": ReviewStatus, "Role": Role}


@bp.get("/credentials/")
@allow(Role.CREDENTIALS)
def index() -> Response:
    """The board's start page is the desk."""
    return redirect(url_for("credentials.desk"))


# --------------------------------------------------------------------------------- review


def _review_filters() -> dict[str, Any]:
    """The list's filters from the query string (or a form's hidden copies of them)."""
    source = request.form if request.method == "POST" else request.args
    filters = {
        "q": (source.get("q") or "").strip()[:100],
        "cell": (source.get("cell") or "").strip()[:255],
        "status": source.get("status") or "",
    }
    if filters["status"] not in {s.value for s in ReviewStatus}:
        filters["status"] = ""
    return {k: v for k, v in filters.items() if v}


@bp.get("/credentials/review")
@allow(Role.CREDENTIALS)
def review() -> str:
    """Every convened person, with the board's conclusion on each."""
    congress = _congress()
    db = get_session()
    filters = _review_filters()
    cells = desk_service.party_cells(db, congress)
    form = ReviewFilterForm(request.args)
    form.cell.choices = [("", _("Tất cả chi bộ"))] + [(c, c) for c in cells]
    form.status.choices = [("", _("Tất cả"))] + [
        (s.value, str(STATUS_LABELS[s])) for s in ReviewStatus
    ]
    all_rows = desk_service.roster_rows(db, congress)
    rows = desk_service.roster_rows(
        db,
        congress,
        party_cell=filters.get("cell"),
        status=ReviewStatus(filters["status"]) if "status" in filters else None,
        query=filters.get("q"),
    )
    totals = {s: sum(1 for r in all_rows if r.status is s) for s in ReviewStatus}
    pending_form = RecognisePendingForm(cell=filters.get("cell", ""))
    return render_template(
        "credentials/review.html",
        congress=congress,
        form=form,
        rows=rows,
        totals=totals,
        total=len(all_rows),
        filters=filters,
        pending_form=pending_form,
        pending_in_view=sum(1 for r in rows if r.status is ReviewStatus.PENDING),
        **_replacements(congress),
    )


def _replacement_choices(form: ReplacementForm, congress: Congress) -> None:
    officials, alternates = desk_service.replacement_options(get_session(), congress)
    form.official.choices = [SelectChoice(m.id, f"{m.full_name} ({m.code})") for m in officials]
    form.alternate.choices = [SelectChoice(m.id, f"{m.full_name} ({m.code})") for m in alternates]


def _replacements(congress: Congress) -> dict[str, Any]:
    """The replacement panel of a delegates' congress: those made and the form."""
    if congress.kind is not CongressKind.DELEGATES:
        return {"replacement_form": None, "replacements": []}
    form = ReplacementForm(prefix="rp")
    _replacement_choices(form, congress)
    return {
        "replacement_form": form,
        "replacements": desk_service.replacements(get_session(), congress),
    }


@bp.post("/credentials/replacements")
@allow(Role.CREDENTIALS)
def replace_delegate() -> Response:
    """Seat an alternate in place of an absent official delegate (R-DELEG-1)."""
    congress = _congress()
    back = url_for("credentials.review") + "#thay-the"
    if congress.kind is not CongressKind.DELEGATES:
        abort(404)
    form = ReplacementForm(prefix="rp")
    _replacement_choices(form, congress)
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return redirect(back)
    official = _member(congress, form.official.data)
    alternate = _member(congress, form.alternate.data)
    try:
        credential_service.replace_delegate(
            get_session(),
            acting_actor(Role.CREDENTIALS),
            official,
            alternate,
            decision=form.decision.data or "",
            now=_now(),
        )
    except PermissionDenied:
        abort(403)
    except DomainError as e:
        flash(describe_error(e), "error")
    else:
        flash(
            _(
                "Đồng chí %(alternate)s (dự khuyết) thay đồng chí %(official)s từ nay.",
                alternate=alternate.full_name,
                official=official.full_name,
            ),
            "success",
        )
    return redirect(back)


@bp.post("/credentials/review/<int:member_id>")
@allow(Role.CREDENTIALS)
def review_member(member_id: int) -> Response:
    """Recognise a person, or not with a reason."""
    congress = _congress()
    member = _member(congress, member_id)
    form = ReviewForm()
    back = url_for("credentials.review", **_review_filters()) + f"#member-{member.id}"
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(f"{member.full_name}: {error}", "error")
        return redirect(back)
    recognised = form.recognised.data == "1"
    try:
        credential_service.review_member(
            get_session(),
            acting_actor(Role.CREDENTIALS),
            member,
            recognised=recognised,
            reason=None if recognised else form.reason.data,
            now=_now(),
        )
    except PermissionDenied:
        abort(403)
    except DomainError:
        flash(
            _("Không ghi nhận được kết luận thẩm tra của %(name)s.", name=member.full_name), "error"
        )
        return redirect(back)
    if recognised:
        flash(_("Đã công nhận tư cách của %(name)s.", name=member.full_name), "success")
    else:
        flash(
            _("Đã ghi nhận không công nhận tư cách của %(name)s.", name=member.full_name), "success"
        )
    return redirect(back)


@bp.post("/credentials/review/recognise-pending")
@allow(Role.CREDENTIALS)
def recognise_pending() -> Response:
    """Recognise everyone not yet reviewed (in the filtered party cell, if any)."""
    congress = _congress()
    form = RecognisePendingForm()
    cell = (form.cell.data or "").strip() or None
    args: dict[str, Any] = {"cell": cell} if cell else {}
    back = url_for("credentials.review", **args)
    if not form.validate_on_submit():
        flash(_("Yêu cầu không hợp lệ. Vui lòng thử lại."), "error")
        return redirect(back)
    try:
        count = desk_service.recognise_pending(
            get_session(), acting_actor(Role.CREDENTIALS), congress, now=_now(), party_cell=cell
        )
    except PermissionDenied:
        abort(403)
    flash(
        _("Đã công nhận tư cách của %(count)s người.", count=formatting.format_number(count)),
        "success",
    )
    return redirect(back)


# ----------------------------------------------------------------------------------- desk


@bp.get("/credentials/desk")
@allow(Role.CREDENTIALS)
def desk() -> str:
    """The check-in desk: find, check in, issue badges; live attendance and quorum."""
    congress = _congress()
    db = get_session()
    sitting = _sitting(congress)
    query = (request.args.get("q") or "").strip()[:100]
    member_id = request.args.get("member", type=int)
    summary = desk_service.sitting_summary(db, sitting) if sitting is not None else None
    results = desk_service.roster_rows(db, congress, sitting=sitting, query=query) if query else []
    selected = None
    if member_id is not None:
        found = desk_service.roster_rows(db, congress, sitting=sitting, member_ids=[member_id])
        if not found:
            # Not a member of the body meeting: still shown (checking in will say why not).
            found = desk_service.roster_rows(db, congress, member_ids=[member_id])
        if not found:
            abort(404)
        selected = found[0]
    return render_template(
        "credentials/desk.html",
        congress=congress,
        sitting=sitting,
        summary=summary,
        query=query,
        results=results[:SEARCH_LIMIT],
        more_results=max(0, len(results) - SEARCH_LIMIT),
        selected=selected,
        attendance_form=AttendanceForm(),
        revoke_form=RevokeForm(),
    )


def _desk_url(sitting: CongressSession | None, member: Member | None = None) -> str:
    args: dict[str, Any] = {}
    if sitting is not None:
        args["session"] = sitting.number
    if member is not None:
        args["member"] = member.id
    return url_for("credentials.desk", **args)


@bp.post("/credentials/desk/attendance")
@allow(Role.CREDENTIALS)
def attendance() -> Response:
    """Check a person in at a session, or record them absent with a reason."""
    congress = _congress()
    form = AttendanceForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return redirect(url_for("credentials.desk"))
    member = _member(congress, form.member_id.data or 0)
    sitting = next((s for s in congress.sessions if s.number == form.session.data), None)
    if sitting is None:
        abort(404)
    present = form.present.data == "1"
    try:
        credential_service.record_attendance(
            get_session(),
            acting_actor(Role.CREDENTIALS),
            member,
            sitting,
            present=present,
            reason=None if present else form.reason.data,
            now=_now(),
        )
    except PermissionDenied:
        abort(403)
    except InvalidInput:
        flash(
            _("%(name)s không thuộc thành phần dự phiên họp này.", name=member.full_name), "error"
        )
        return redirect(_desk_url(sitting, member))
    if present:
        flash(
            _(
                "Đã điểm danh %(name)s có mặt tại %(session)s.",
                name=member.full_name,
                session=sitting.title,
            ),
            "success",
        )
    else:
        flash(
            _(
                "Đã ghi nhận %(name)s vắng mặt tại %(session)s.",
                name=member.full_name,
                session=sitting.title,
            ),
            "success",
        )
    return redirect(_desk_url(sitting, member))


@bp.post("/credentials/members/<int:member_id>/revoke")
@allow(Role.CREDENTIALS)
def revoke(member_id: int) -> Response:
    """Revoke a person's badge (lost, damaged, no longer recognised), with a reason."""
    congress = _congress()
    member = _member(congress, member_id)
    form = RevokeForm()
    sitting = next(
        (s for s in congress.sessions if str(s.number) == (form.session.data or "")), None
    )
    back = _desk_url(sitting, member)
    if not form.validate_on_submit():
        flash(_("Cần ghi lý do thu hồi thẻ."), "error")
        return redirect(back)
    db = get_session()
    credential = credential_service.active_credential(db, member)
    if credential is None:
        flash(_("%(name)s không có thẻ biểu quyết đang hiệu lực.", name=member.full_name), "error")
        return redirect(back)
    try:
        credential_service.revoke_credential(
            db,
            acting_actor(Role.CREDENTIALS),
            credential,
            reason=form.reason.data or "",
            now=_now(),
        )
    except PermissionDenied:
        abort(403)
    except DomainError:
        flash(_("Không thu hồi được thẻ của %(name)s.", name=member.full_name), "error")
        return redirect(back)
    flash(_("Đã thu hồi thẻ biểu quyết của %(name)s.", name=member.full_name), "success")
    return redirect(back)


# ------------------------------------------------------------------------------ desk API


class _JsonError(Exception):
    """A refusal of a JSON request: status, a machine-readable code and a message."""

    def __init__(self, status: int, error: str, message: str) -> None:
        super().__init__(message)
        self.status, self.error, self.message = status, error, message


@bp.errorhandler(_JsonError)
def _json_error(e: _JsonError) -> tuple[Response, int]:
    return jsonify(error=e.error, message=e.message), e.status


def _json_body(*allowed: str) -> dict[str, Any]:
    """The JSON object of the request, refusing any field not in ``allowed``: a badge code
    sent by mistake (or by altered script) is refused rather than silently received."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise _JsonError(400, "bad_request", _("Yêu cầu phải là một đối tượng JSON."))
    unexpected = set(data) - set(allowed)
    if unexpected:
        raise _JsonError(
            400,
            "unexpected_field",
            _(
                "Yêu cầu có trường không được phép: %(fields)s.",
                fields=", ".join(sorted(unexpected)),
            ),
        )
    return data


def _public_key(data: dict[str, Any]) -> bytes:
    value = data.get("public_key")
    if not isinstance(value, str) or not _HEX_KEY.fullmatch(value):
        raise _JsonError(
            400,
            "bad_public_key",
            _("Khóa công khai phải gồm đúng 32 byte, viết bằng 64 chữ số thập lục phân."),
        )
    return bytes.fromhex(value)


def _member_json(member: Member) -> dict[str, Any]:
    return {
        "id": member.id,
        "code": member.code,
        "full_name": member.full_name,
        "party_cell": member.party_cell,
    }


def _api_member(congress: Congress, member_id: int) -> Member:
    member = get_session().get(Member, member_id)
    if member is None or member.congress_id != congress.id:
        raise _JsonError(404, "unknown_member", _("Không tìm thấy người này trong danh sách."))
    return member


def _refusal(e: DomainError, member: Member) -> _JsonError:
    """The JSON refusal of a badge registration that a service refused."""
    if isinstance(e, PermissionDenied):
        return _JsonError(403, "forbidden", _("Bạn không có quyền thực hiện thao tác này."))
    if isinstance(e, credential_service.ReissueNeedsDecision):
        return _JsonError(
            409,
            "needs_presidium_decision",
            _(
                "Đang có vòng bầu mở: danh sách thẻ của vòng đã khóa. Cấp lại thẻ cho %(name)s "
                "cần quyết định của Đoàn Chủ tịch (trên trang điều hành). Thẻ cũ vẫn giữ "
                "nguyên; không có gì được lưu.",
                name=member.full_name,
            ),
        )
    if isinstance(e, InvalidInput):
        return _JsonError(
            400,
            "bad_public_key",
            _(
                "Khóa công khai không hợp lệ (không phải điểm hợp lệ của nhóm con cấp nguyên tố, "
                "hoặc là điểm cấp nhỏ). Không có gì được lưu."
            ),
        )
    if isinstance(e, Conflict):
        return _JsonError(
            409,
            "conflict",
            _(
                "%(name)s đã có thẻ đang hiệu lực, hoặc khóa này đã được dùng.",
                name=member.full_name,
            ),
        )
    if isinstance(e, InvalidState):
        return _JsonError(
            409,
            "not_eligible",
            _(
                "%(name)s chưa được công nhận tư cách hoặc không có quyền biểu quyết.",
                name=member.full_name,
            ),
        )
    return _JsonError(400, "refused", _("Không thực hiện được yêu cầu."))


@bp.post("/api/credentials/lookup")
@allow(Role.CREDENTIALS)
@limiter.limit("300 per minute")
def api_lookup() -> Response:
    """Find the person whose badge has this public key (the desk derived it from the
    scanned code, which stays in the browser)."""
    congress = _congress()
    data = _json_body("public_key", "session")
    key = _public_key(data)
    session_number = data.get("session")
    try:
        credential = desk_service.credential_by_public_key(get_session(), congress, key)
    except NotFound as e:
        raise _JsonError(404, "unknown_badge", _("Không tìm thấy thẻ này trong đại hội.")) from e
    except InvalidState as e:
        raise _JsonError(
            410,
            "revoked",
            _("Thẻ này đã bị thu hồi, không dùng để điểm danh được. Hãy kiểm tra thẻ mới."),
        ) from e
    member = credential.member
    args: dict[str, Any] = {"member": member.id}
    if isinstance(session_number, int) and not isinstance(session_number, bool):
        args["session"] = session_number
    return jsonify(member=_member_json(member), url=url_for("credentials.desk", **args))


@bp.post("/api/credentials/members/<int:member_id>/credential")
@allow(Role.CREDENTIALS)
def api_register(member_id: int) -> tuple[Response, int]:
    """Register the public key of a badge the desk has just generated."""
    congress = _congress()
    member = _api_member(congress, member_id)
    key = _public_key(_json_body("public_key"))
    try:
        credential = credential_service.register_credential(
            get_session(), acting_actor(Role.CREDENTIALS), member, key, now=_now()
        )
    except DomainError as e:
        raise _refusal(e, member) from e
    return jsonify(member=_member_json(member), public_key=credential.public_key.hex()), 201


@bp.post("/api/credentials/members/<int:member_id>/reissue")
@allow(Role.CREDENTIALS)
def api_reissue(member_id: int) -> tuple[Response, int]:
    """Replace a lost badge: revoke the active one and register the new key, with a reason."""
    congress = _congress()
    member = _api_member(congress, member_id)
    data = _json_body("public_key", "reason")
    key = _public_key(data)
    reason = data.get("reason")
    if not isinstance(reason, str) or not reason.strip() or len(reason) > 2000:
        raise _JsonError(400, "reason_required", _("Cần ghi lý do cấp lại thẻ."))
    db = get_session()
    old = credential_service.active_credential(db, member)
    if old is None:
        raise _JsonError(
            409,
            "no_active_credential",
            _("%(name)s không có thẻ đang hiệu lực để cấp lại.", name=member.full_name),
        )
    try:
        credential = credential_service.reissue_credential(
            db, acting_actor(Role.CREDENTIALS), old, key, reason=reason, now=_now()
        )
    except DomainError as e:
        raise _refusal(e, member) from e
    return jsonify(member=_member_json(member), public_key=credential.public_key.hex()), 201


@bp.get("/api/credentials/sessions/<int:number>/summary")
@allow(Role.CREDENTIALS)
def api_summary(number: int) -> Response:
    """Attendance, N and quorum at a session, for the desk's live counters (pre-formatted:
    the script only sets text)."""
    congress = _congress()
    sitting = next((s for s in congress.sessions if s.number == number), None)
    if sitting is None:
        raise _JsonError(404, "unknown_session", _("Không có phiên họp này."))
    summary = desk_service.sitting_summary(get_session(), sitting)
    return jsonify(_summary_json(summary))


def _summary_json(summary: desk_service.SittingSummary) -> dict[str, Any]:
    base = summary.base
    fmt = formatting.format_number
    return {
        "convened": summary.convened,
        "present": summary.present,
        "n": base.n if base else None,
        "present_in_n": summary.present_in_base,
        "quorum_required": summary.quorum_required,
        "quorum_met": summary.quorum_met,
        "text": {
            "convened": fmt(summary.convened),
            "present": fmt(summary.present),
            "n": fmt(base.n if base else None),
            "present_in_n": fmt(summary.present_in_base),
            "quorum_required": fmt(summary.quorum_required),
            "quorum": _("Đủ số lượng để tiến hành đại hội")
            if summary.quorum_met
            else _("Chưa đủ số lượng để tiến hành đại hội"),
        },
    }


# --------------------------------------------------------------------------------- report


def _report_sitting(congress: Congress) -> CongressSession | None:
    if request.args.get("session") is None:
        adopted = report_service.latest_report(get_session(), congress)
        if adopted is not None and adopted.session is not None:
            for sitting in congress.sessions:
                if sitting.number == adopted.session and sitting.kind is SessionKind.PLENARY:
                    return sitting
    return _sitting(congress, plenary_only=True)


def _report_context(congress: Congress, sitting: CongressSession | None) -> dict[str, Any]:
    report = (
        report_service.build_report(get_session(), congress, sitting, now=_now())
        if sitting is not None
        else None
    )
    return {
        "congress": congress,
        "sitting": sitting,
        "report": report,
        "today": to_user_timezone(_now()).date(),
    }


@bp.get("/credentials/report")
@allow(Role.CREDENTIALS, Role.PRESIDIUM, Role.SECRETARIAT)
def report() -> str:
    """The credentials report, with its adoption by the board and the congress's vote."""
    congress = _congress()
    sitting = _report_sitting(congress)
    context = _report_context(congress, sitting)
    rep = context["report"]
    adopt_form = AdoptReportForm(
        session=str(sitting.number) if sitting else "",
        conclusion=rep.adopted.conclusion if rep and rep.adopted else "",
    )
    approval_form = ApprovalForm(
        present=rep.adopted.present if rep and rep.adopted else None,
    )
    return render_template(
        "credentials/report.html",
        for_pdf=False,
        adopt_form=adopt_form,
        approval_form=approval_form,
        question=report_service.APPROVAL_QUESTIONS[congress.kind],
        **context,
    )


@bp.get("/credentials/report.pdf")
@allow(Role.CREDENTIALS, Role.PRESIDIUM, Role.SECRETARIAT)
def report_pdf() -> Response:
    """The same report as a PDF, always in Vietnamese: it is a document of record."""
    congress = _congress()
    sitting = _report_sitting(congress)
    if sitting is None:
        abort(404)
    with force_locale("vi"):
        html = render_template(
            "credentials/report.html",
            for_pdf=True,
            question=report_service.APPROVAL_QUESTIONS[congress.kind],
            **_report_context(congress, sitting),
        )
    response = make_response(render_pdf(html))
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = (
        f'inline; filename="bao-cao-tham-tra-tu-cach-phien-{sitting.number}.pdf"'
    )
    return response


@bp.post("/credentials/report/adopt")
@allow(Role.CREDENTIALS)
def adopt_report() -> Response:
    """The board adopts the report with its conclusion (written into the event log)."""
    congress = _congress()
    form = AdoptReportForm()
    sitting = next(
        (
            s
            for s in congress.sessions
            if str(s.number) == (form.session.data or "") and s.kind is SessionKind.PLENARY
        ),
        None,
    )
    if sitting is None:
        abort(404)
    back = url_for("credentials.report", session=sitting.number)
    if not form.validate_on_submit():
        flash(_("Cần ghi kết luận của Ban Thẩm tra tư cách."), "error")
        return redirect(back)
    try:
        report_service.finalize_report(
            get_session(),
            acting_actor(Role.CREDENTIALS),
            congress,
            sitting,
            conclusion=form.conclusion.data or "",
            now=_now(),
        )
    except PermissionDenied:
        abort(403)
    except InvalidState:
        flash(
            _(
                "Chưa thể thông qua báo cáo: còn người chưa được thẩm tra, "
                "hoặc chưa tính được số đại biểu làm căn cứ (N)."
            ),
            "error",
        )
        return redirect(back)
    flash(_("Ban Thẩm tra tư cách đã thông qua báo cáo."), "success")
    return redirect(back)


@bp.post("/credentials/report/approval")
@allow(Role.PRESIDIUM)
def report_approval() -> Response:
    """The presidium records the congress's open vote on the adopted report."""
    congress = _congress()
    form = ApprovalForm()
    back = url_for("credentials.report")
    if not form.validate_on_submit():
        flash(_("Số liệu biểu quyết không hợp lệ."), "error")
        return redirect(back)
    try:
        vote = report_service.record_approval(
            get_session(),
            acting_actor(Role.PRESIDIUM),
            congress,
            present=form.present.data or 0,
            agree=form.agree.data or 0,
            disagree=form.disagree.data or 0,
            abstain=form.abstain.data or 0,
            now=_now(),
        )
    except PermissionDenied:
        abort(403)
    except InvalidState:
        flash(_("Ban Thẩm tra tư cách chưa thông qua báo cáo."), "error")
        return redirect(back)
    except InvalidInput:
        flash(
            _(
                "Số liệu biểu quyết không hợp lệ: "
                "tổng số phiếu không được vượt quá số người có mặt."
            ),
            "error",
        )
        return redirect(back)
    if vote.carried:
        flash(_("Đại hội đã biểu quyết thông qua báo cáo thẩm tra tư cách."), "success")
    else:
        flash(_("Báo cáo thẩm tra tư cách chưa được quá nửa số đại biểu tán thành."), "error")
    return redirect(back)

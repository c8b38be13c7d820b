"""The inspection commission's pages (ủy ban kiểm tra; issue 7 items 3-5).

* the rounds, each with its verification status; a verification runs in the background on
  the round's exported record (``services.audit``) and the page follows it by polling a
  small JSON endpoint (``static/js/entries/inspection.js``); the record's zip, and the
  printable verdict (biên bản kiểm tra) with V1-V11, as a page and as a PDF;
* the random spot-check drill (ATTACKS.md T-4.e, ``services.spot_check``): draw N delegates
  with a ballot on a round's board, show what the board holds for each (position, tracking
  code, credential fingerprint) and record whether their own receipt and badge match;
* the event log with its hash chain and signed checkpoints checked
  (``services.checkpoints``), and an on-demand checkpoint;
* the register of cases (``services.inspection``): vetting, complaints, denunciations and
  petitions, those not to be handled flagged with their rule; and the cases that hold a
  candidate list back, where the presidium records a decision to proceed.

Every view parses, calls one service and renders or redirects (POST, then redirect).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from election.db import get_engine, get_session
from election.errors import DomainError, InvalidInput, InvalidState
from election.models import (
    CaseCategory,
    CaseStatus,
    Congress,
    Contest,
    Event,
    InspectionCase,
    Member,
    Role,
    Round,
    User,
    VerificationRun,
)
from election.services import audit, ballotbox, checkpoints, inspection, spot_check
from election.services.congress import roster
from election.services.serverkey import public_key_bytes
from election.verifier.messages import message, title, unit_text
from election.web.access import acting_actor, allow, current_congress
from election.web.inspection import texts
from election.web.inspection.forms import (
    ActionForm,
    CaseForm,
    CloseCaseForm,
    ProceedForm,
    SpotCheckForm,
    SpotCheckOutcomeForm,
)
from election.web.labels import describe_error
from election.web.serverkey import server_key

__all__ = ["bp", "records_dir"]

bp = Blueprint("inspection", __name__)

T = TypeVar("T")

#: Entries per page of the event log.
LOG_PAGE = 100


def _now() -> datetime:
    return datetime.now(UTC)


def _congress() -> Congress:
    congress = current_congress()
    if congress is None:
        abort(404)
    return congress


def _round(round_id: int) -> Round:
    round_ = get_session().get(Round, round_id)
    if round_ is None or round_.contest.congress_id != _congress().id:
        abort(404)
    return round_


def _case(case_id: int) -> InspectionCase:
    case = get_session().get(InspectionCase, case_id)
    if case is None or case.congress_id != _congress().id:
        abort(404)
    return case


def records_dir() -> Path:
    configured = current_app.config.get("AUDIT_RECORDS_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / audit.RECORDS_DIR


def _lang() -> Any:
    locale = get_locale()
    return "en" if locale is not None and locale.language == "en" else "vi"


def _log_report() -> checkpoints.LogReport:
    trusted = public_key_bytes(server_key())
    return checkpoints.verify_log(
        get_session(), [trusted], interval=current_app.config["CHECKPOINT_INTERVAL"]
    )


def _period() -> inspection.ComplaintPeriod:
    return inspection.ComplaintPeriod.from_settings(
        current_app.config["COMPLAINT_PERIOD_WORKING_DAYS"],
        current_app.config["HOLIDAYS"],
        current_app.config.get("BABEL_DEFAULT_TIMEZONE"),
        current_app.config.get("COMPLAINT_CUTOFF_DAYS"),
    )


def _users(ids: set[int | None]) -> dict[int, User]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {u.id: u for u in get_session().scalars(sa.select(User).where(User.id.in_(wanted)))}


# ------------------------------------------------------------------------------- rounds


def _progress(run: VerificationRun | None) -> dict[str, Any]:
    if run is None or run.total <= 0:
        return {"done": 0, "total": 0, "percent": 0}
    return {
        "done": run.done,
        "total": run.total,
        "percent": min(100, 100 * run.done // run.total),
    }


@bp.get("/inspection/")
@allow(Role.INSPECTION)
def index() -> str:
    """Every round with its verification status, the log's state and the register's."""
    db = get_session()
    congress = _congress()
    now = _now()
    rows = audit.round_audits(db, congress, now=now)
    cases = inspection.list_cases(db, congress)
    return render_template(
        "inspection/index.html",
        congress=congress,
        rows=rows,
        log_report=_log_report(),
        open_cases=sum(1 for c in cases if c.status in inspection.UNSETTLED),
        blocking=len(inspection.blocking_cases(db, congress)),
        cases=len(cases),
        action_form=ActionForm(),
        progress=_progress,
        audit_label=lambda state: str(texts.AUDIT_STATES.get(state, state)),
        describe_log=texts.describe_log,
        users=_users({r.run.started_by_id for r in rows if r.run is not None}),
    )


@bp.post("/inspection/rounds/<int:round_id>/verify")
@allow(Role.INSPECTION)
def verify_round(round_id: int) -> Response:
    """Export the round's record and verify it in the background."""
    round_ = _round(round_id)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    directory = records_dir()
    try:
        run = audit.start_verification(
            get_session(),
            acting_actor(Role.INSPECTION),
            round_,
            directory=directory,
            now=_now(),
        )
    except DomainError as e:
        flash(describe_error(e), "error")
    else:
        audit.launch(
            get_engine(),
            run.id,
            directory=directory,
            workers=current_app.config["AUDIT_VERIFIER_WORKERS"],
        )
        flash(_("Đã bắt đầu kiểm tra hồ sơ của vòng bầu."), "success")
    return redirect(url_for(".index", _anchor=f"round-{round_.id}"))


@bp.get("/api/inspection/rounds/<int:round_id>/verification")
@allow(Role.INSPECTION)
def verification_status(round_id: int) -> ResponseReturnValue:
    """The round's verification status, for the page's polling script."""
    round_ = _round(round_id)
    run = audit.latest_run(get_session(), round_)
    state = audit.audit_state(round_, run, _now())
    progress = _progress(run)
    return jsonify(
        round_id=round_.id,
        state=state,
        state_text=str(texts.AUDIT_STATES.get(state, state)),
        running=state == "running",
        progress_text=_("%(done)s/%(total)s phiếu (%(percent)s%%)", **progress)
        if progress["total"]
        else _("Đang đọc hồ sơ…"),
        **progress,
    )


@bp.get("/inspection/rounds/<int:round_id>/record.zip")
@allow(Role.INSPECTION)
def download_record(round_id: int) -> Response:
    """The record zip the latest verification ran on, byte for byte."""
    round_ = _round(round_id)
    run = audit.latest_run(get_session(), round_)
    if run is None:
        abort(404)
    path = audit.record_path(records_dir(), run)
    if not path.is_file():
        abort(404)
    if not audit.file_matches(path, run.record_sha256):
        flash(
            _("Tệp hồ sơ đã bị thay đổi sau khi xuất: không tải về. Hãy kiểm tra lại vòng bầu."),
            "error",
        )
        return redirect(url_for(".index", _anchor=f"round-{round_.id}"))
    return send_file(
        path,
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"ho-so-bau-cu-vong-{round_.id}-{run.record_sha256.hex()[:16]}.zip",
        max_age=0,
    )


def _checks(run: VerificationRun, lang: Any) -> list[dict[str, Any]]:
    """The run's checks worded in ``lang`` (the stored report holds codes)."""
    out = []
    for check in (run.report or {}).get("checks", []):
        failures = [
            {**f, "text": message(f["code"], lang, f["params"])}
            for f in [*check["failures"], *check["skipped"]]
        ]
        out.append(
            {
                **check,
                "title": title(check["id"], lang),
                "unit_text": unit_text(check["unit"], lang),
                "problems": failures,
                "hidden": check["failure_count"]
                + check["skipped_count"]
                - len(check["failures"])
                - len(check["skipped"]),
            }
        )
    return out


def _verdict_context(round_: Round, lang: Any) -> dict[str, Any]:
    run = audit.latest_run(get_session(), round_)
    if run is not None and run.report is None:
        run = None
    starter = _users({run.started_by_id}).get(run.started_by_id or 0) if run else None
    return {
        "congress": round_.contest.congress,
        "round": round_,
        "run": run,
        "checks": _checks(run, lang) if run is not None else [],
        "starter": starter,
        "log_report": _log_report(),
        "describe_log": texts.describe_log,
        "audit_label": lambda state: str(texts.AUDIT_STATES.get(state, state)),
        "today": _now().date(),
    }


@bp.get("/inspection/rounds/<int:round_id>/verdict")
@allow(Role.INSPECTION)
def verdict(round_id: int) -> str:
    """The verdict (biên bản kiểm tra) of the round's latest finished verification."""
    round_ = _round(round_id)
    context = _verdict_context(round_, _lang())
    return render_template("inspection/verdict.html", for_pdf=False, **context)


@bp.get("/inspection/rounds/<int:round_id>/verdict.pdf")
@allow(Role.INSPECTION)
def verdict_pdf(round_id: int) -> Response:
    """The same verdict as a PDF, always in Vietnamese: it is a document of record."""
    from election.paths import STATIC_DIR
    from election.pdf import PDF_STYLESHEET, render_pdf

    round_ = _round(round_id)
    with force_locale("vi"):
        context = _verdict_context(round_, "vi")
        if context["run"] is None:
            abort(404)
        html = render_template("inspection/verdict.html", for_pdf=True, **context)
    pdf = render_pdf(html, stylesheets=(PDF_STYLESHEET, STATIC_DIR / "css" / "verdict.css"))
    response = make_response(pdf)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = (
        f'inline; filename="bien-ban-kiem-tra-vong-{round_.id}.pdf"'
    )
    return response


# ------------------------------------------------------------------------------- spot checks


def _outcome_form(sampled: spot_check.Sampled) -> SpotCheckOutcomeForm:
    form = SpotCheckOutcomeForm(prefix=f"m{sampled.member_id}")
    form.outcome.choices = [
        SelectChoice(code, str(words)) for code, words in texts.SPOT_CHECK_OUTCOMES.items()
    ]
    return form


@bp.route("/inspection/rounds/<int:round_id>/spot-checks", methods=["GET", "POST"])
@allow(Role.INSPECTION)
def spot_checks(round_id: int) -> str | Response:
    """The round's spot-check drills (T-4.e), and a form to draw a new one."""
    db = get_session()
    round_ = _round(round_id)
    ballots = spot_check.ballots_on_board(db, round_)
    form = SpotCheckForm()
    if request.method == "POST":
        if not ballots:
            flash(_("Chưa có lá phiếu nào trên bảng công khai của vòng bầu này."), "error")
            return redirect(url_for(".spot_checks", round_id=round_.id))
        if not form.validate_on_submit() or form.size.data is None:
            flash(
                _(
                    "Số đại biểu chọn ngẫu nhiên phải từ 1 đến %(n)s (số lá phiếu trên bảng "
                    "công khai).",
                    n=ballots,
                ),
                "error",
            )
            return redirect(url_for(".spot_checks", round_id=round_.id))
        try:
            drill = spot_check.draw(
                db, acting_actor(Role.INSPECTION), round_, form.size.data, now=_now()
            )
        except DomainError as e:
            if isinstance(e, InvalidInput):
                flash(
                    _(
                        "Số đại biểu chọn ngẫu nhiên phải từ 1 đến %(n)s (số lá phiếu trên "
                        "bảng công khai).",
                        n=ballots,
                    ),
                    "error",
                )
            elif isinstance(e, InvalidState):
                flash(_("Chưa có lá phiếu nào trên bảng công khai của vòng bầu này."), "error")
            else:
                flash(describe_error(e), "error")
            return redirect(url_for(".spot_checks", round_id=round_.id))
        flash(_("Đã chọn ngẫu nhiên %(n)s đại biểu.", n=drill.size), "success")
        return redirect(url_for(".spot_check_drill", seq=drill.seq))
    if ballots and form.size.data and form.size.data > ballots:
        form.size.data = ballots
    return render_template(
        "inspection/spot_checks.html",
        congress=_congress(),
        round=round_,
        ballots=ballots,
        form=form,
        drills=spot_check.drills(db, round_),
        reconciliation=ballotbox.reconcile(db, round_),
    )


def _drill(seq: int) -> spot_check.Drill:
    try:
        return spot_check.load_drill(get_session(), _congress(), seq)
    except DomainError:
        abort(404)


@bp.get("/inspection/spot-checks/<int:seq>")
@allow(Role.INSPECTION)
def spot_check_drill(seq: int) -> str:
    """One drill: the sampled delegates with what the board holds for each, and their
    outcomes; a mismatch is flagged."""
    drill = _drill(seq)
    round_ = _round(drill.round_id)
    return render_template(
        "inspection/spot_check.html",
        congress=_congress(),
        round=round_,
        drill=drill,
        outcome_forms={s.member_id: _outcome_form(s) for s in drill.sample},
        outcome_text=lambda code: str(texts.SPOT_CHECK_OUTCOMES.get(code, code)),
    )


@bp.post("/inspection/spot-checks/<int:seq>/members/<int:member_id>")
@allow(Role.INSPECTION)
def spot_check_outcome(seq: int, member_id: int) -> Response:
    """Record what one sampled delegate's own receipt and badge showed."""
    drill = _drill(seq)
    back = url_for(".spot_check_drill", seq=drill.seq, _anchor=f"member-{member_id}")
    sampled = next((s for s in drill.sample if s.member_id == member_id), None)
    if sampled is None:
        flash(_("Đại biểu này không có trong danh sách được chọn của lần kiểm tra này."), "error")
        return redirect(url_for(".spot_check_drill", seq=drill.seq))
    form = _outcome_form(sampled)
    if not form.validate_on_submit():
        flash(
            _("Cần chọn kết quả đối chiếu (ghi chú không quá 1000 ký tự)."),
            "error",
        )
        return redirect(back)
    try:
        spot_check.record_outcome(
            get_session(),
            acting_actor(Role.INSPECTION),
            _congress(),
            drill.seq,
            member_id,
            form.outcome.data or "",
            note=form.note.data or "",
            now=_now(),
        )
    except DomainError as e:
        if isinstance(e, InvalidState):
            flash(_("Kết quả đối chiếu của đại biểu này đã được ghi, không sửa được."), "error")
        else:
            flash(describe_error(e), "error")
    else:
        if form.outcome.data == spot_check.MISMATCH:
            flash(
                _(
                    "Đã ghi: KHÔNG KHỚP với bảng công khai. Ủy ban Kiểm tra cần xem xét ngay và "
                    "báo Đoàn Chủ tịch."
                ),
                "error",
            )
        else:
            flash(_("Đã ghi kết quả đối chiếu."), "success")
    return redirect(back)


# ------------------------------------------------------------------------------- event log


@bp.get("/inspection/log")
@allow(Role.INSPECTION)
def event_log() -> str:
    """The event log, newest first, with the chain and the checkpoints checked."""
    db = get_session()
    report = _log_report()
    last = report.entries
    pages = max(1, -(-last // LOG_PAGE))
    page = min(max(1, request.args.get("page", 1, type=int) or 1), pages)
    top = last - (page - 1) * LOG_PAGE
    entries = list(
        db.scalars(
            sa.select(Event)
            .where(Event.seq <= top, Event.seq > top - LOG_PAGE)
            .order_by(Event.seq.desc())
        )
    )
    problem_at = report.problem.seq if report.problem is not None else None
    return render_template(
        "inspection/log.html",
        congress=_congress(),
        report=report,
        summary=texts.describe_log(report),
        entries=entries,
        page=page,
        pages=pages,
        problem_at=problem_at,
        checkpoint_seqs=report.checkpoint_seqs,
        interval=current_app.config["CHECKPOINT_INTERVAL"],
        trusted_key=public_key_bytes(server_key()),
        action_form=ActionForm(),
    )


@bp.post("/inspection/log/checkpoint")
@allow(Role.INSPECTION)
def checkpoint() -> Response:
    """Sign the log's head now."""
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        made = checkpoints.create_checkpoint(
            get_session(),
            acting_actor(Role.INSPECTION),
            _congress(),
            server_key(),
            now=_now(),
        )
    except DomainError as e:
        flash(describe_error(e), "error")
    else:
        flash(_("Đã ký điểm kiểm soát tại mục %(seq)s.", seq=made.seq), "success")
    return redirect(url_for(".event_log"))


# ------------------------------------------------------------------------------- cases


def _case_form(congress: Congress) -> CaseForm:
    db = get_session()
    form = CaseForm()
    form.category.choices = [
        SelectChoice(c.value, str(texts.CATEGORIES[c.value])) for c in CaseCategory
    ]
    members = roster(db, congress)
    form.member.choices = [SelectChoice(0, _("— Không nêu tên người cụ thể —"))] + [
        SelectChoice(m.id, f"{m.full_name} ({m.code})") for m in members
    ]
    earlier = inspection.list_cases(db, congress)
    form.repeat_of.choices = [SelectChoice(0, _("— Không —"))] + [
        SelectChoice(c.id, f"#{c.id} — {c.subject[:60]}") for c in earlier
    ]
    return form


def _received_at(day: date | None, now: datetime) -> datetime:
    """A letter received today is recorded now; one from an earlier day at that day's start
    in the congress's time zone."""
    period = _period()
    if day is None or day >= period.local_date(now):
        return now
    return datetime.combine(day, time(0, 0), tzinfo=period.tz).astimezone(UTC)


@bp.route("/inspection/cases", methods=["GET", "POST"])
@allow(Role.INSPECTION)
def cases() -> str | Response:
    """The register, and a form to record a new case."""
    db = get_session()
    congress = _congress()
    form = _case_form(congress)
    if form.validate_on_submit():
        now = _now()
        member = db.get(Member, form.member.data) if form.member.data else None
        repeat = db.get(InspectionCase, form.repeat_of.data) if form.repeat_of.data else None
        try:
            recorded = inspection.record_case(
                db,
                acting_actor(Role.INSPECTION),
                congress,
                subject=form.subject.data or "",
                category=CaseCategory(form.category.data),
                subject_member=member,
                anonymous=bool(form.anonymous.data),
                false_name=bool(form.false_name.data),
                signers=form.signers.data or 0,
                repeat_of=repeat,
                new_evidence=bool(form.new_evidence.data),
                outside_remit=bool(form.outside_remit.data),
                about_election=bool(form.about_election.data),
                received_at=_received_at(form.received_on.data, now),
                period=_period(),
                closed_on=form.closed_on.data,
                now=now,
            )
        except DomainError as e:
            flash(describe_error(e), "error")
        else:
            if recorded.status is CaseStatus.NOT_HANDLED:
                flash(
                    _("Đã ghi vào sổ: đơn thuộc diện không xem xét, giải quyết."),
                    "error",
                )
            else:
                flash(_("Đã ghi vào sổ."), "success")
            return redirect(url_for(".case", case_id=recorded.id))
    category = request.args.get("category") or None
    status = request.args.get("status") or None
    try:
        listed = inspection.list_cases(
            db,
            congress,
            category=CaseCategory(category) if category else None,
            status=CaseStatus(status) if status else None,
        )
    except ValueError:
        abort(400)
    return render_template(
        "inspection/cases.html",
        congress=congress,
        form=form,
        cases=listed,
        category=category,
        status=status,
        texts=texts,
        unsettled=inspection.UNSETTLED,
    )


@bp.get("/inspection/cases/<int:case_id>")
@allow(Role.INSPECTION)
def case(case_id: int) -> str:
    """One case: its facts, why it is not handled, its deadline and its outcome."""
    item = _case(case_id)
    close_form = CloseCaseForm()
    close_form.status.choices = [
        SelectChoice(s.value, str(texts.STATUSES[s.value]))
        for s in (CaseStatus.CONCLUDED, CaseStatus.REFERRED)
    ]
    return render_template(
        "inspection/case.html",
        congress=_congress(),
        case=item,
        texts=texts,
        close_form=close_form,
        action_form=ActionForm(),
        users=_users({item.recorded_by_id, item.proceed_by_id}),
        unsettled=inspection.UNSETTLED,
    )


@bp.post("/inspection/cases/<int:case_id>/review")
@allow(Role.INSPECTION)
def review_case(case_id: int) -> Response:
    item = _case(case_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        inspection.start_review(get_session(), acting_actor(Role.INSPECTION), item, now=_now())
    except DomainError as e:
        flash(describe_error(e), "error")
    else:
        flash(_("Đã chuyển sang xem xét, xác minh."), "success")
    return redirect(url_for(".case", case_id=item.id))


@bp.post("/inspection/cases/<int:case_id>/close")
@allow(Role.INSPECTION)
def close_case(case_id: int) -> Response:
    item = _case(case_id)
    form = CloseCaseForm()
    form.status.choices = [
        SelectChoice(s.value, s.value) for s in (CaseStatus.CONCLUDED, CaseStatus.REFERRED)
    ]
    if not form.validate_on_submit():
        flash(_("Cần ghi kết luận hoặc nội dung báo cáo."), "error")
        return redirect(url_for(".case", case_id=item.id))
    try:
        inspection.close_case(
            get_session(),
            acting_actor(Role.INSPECTION),
            item,
            outcome=form.outcome.data or "",
            status=CaseStatus(form.status.data),
            now=_now(),
        )
    except DomainError as e:
        flash(describe_error(e), "error")
    else:
        flash(_("Đã ghi kết luận."), "success")
    return redirect(url_for(".case", case_id=item.id))


# ------------------------------------------------------------------------------- lists


def _contests_naming(congress: Congress, cases: list[InspectionCase]) -> dict[int, list[str]]:
    """For each blocking case's person, the contests whose nominations name them."""
    from election.models import Nomination, NominationStatus, Position

    ids = {c.subject_member_id for c in cases if c.subject_member_id is not None}
    if not ids:
        return {}
    rows = get_session().execute(
        sa.select(Nomination.member_id, Position.title)
        .join(Contest, Contest.id == Nomination.contest_id)
        .join(Position, Position.id == Contest.position_id)
        .where(
            Contest.congress_id == congress.id,
            Nomination.member_id.in_(ids),
            Nomination.status == NominationStatus.PROPOSED,
        )
    )
    out: dict[int, list[str]] = {}
    for member_id, position_title in rows:
        out.setdefault(member_id, []).append(position_title)
    return out


@bp.get("/inspection/blocking")
@allow(Role.INSPECTION, Role.PRESIDIUM)
def blocking() -> str:
    """Unsettled cases about people: each holds back a list naming its person until the
    commission settles it or the presidium decides to proceed."""
    db = get_session()
    congress = _congress()
    found = inspection.blocking_cases(db, congress)
    decided = [
        c
        for c in db.scalars(
            sa.select(InspectionCase)
            .where(
                InspectionCase.congress_id == congress.id,
                InspectionCase.proceed_at.is_not(None),
            )
            .order_by(InspectionCase.proceed_at.desc())
        )
    ]
    return render_template(
        "inspection/blocking.html",
        congress=congress,
        cases=found,
        decided=decided,
        contests=_contests_naming(congress, found),
        case_forms={c.id: ProceedForm(prefix=f"case{c.id}") for c in found},
        texts=texts,
        presidium=Role.PRESIDIUM,
        users=_users({c.proceed_by_id for c in decided}),
    )


@bp.post("/inspection/cases/<int:case_id>/proceed")
@allow(Role.PRESIDIUM)
def proceed(case_id: int) -> Response:
    """The presidium's decision that the list may go ahead despite the case."""
    item = _case(case_id)
    form = ProceedForm(prefix=f"case{item.id}")
    if not form.validate_on_submit():
        flash(_("Cần ghi lý do quyết định tiếp tục."), "error")
        return redirect(url_for(".blocking"))
    try:
        inspection.record_proceed_decision(
            get_session(),
            acting_actor(Role.PRESIDIUM),
            item,
            reason=form.reason.data or "",
            now=_now(),
        )
    except DomainError as e:
        flash(describe_error(e), "error")
    else:
        flash(_("Đã ghi quyết định tiếp tục của Đoàn Chủ tịch."), "success")
    return redirect(url_for(".blocking"))

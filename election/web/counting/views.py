"""The counting board's pages and the JSON its members' devices talk to (issue 6).

Pages (``/counting/...``): the key ceremony (each member on their own browser), the
key-ceremony record (public, printable), counting a closed round and collecting the
members' decryption shares, the result of a round, the vote-count minutes (page and PDF)
and the page where members sign them.

API (``/api/counting/...``, JSON, CSRF token in ``X-CSRFToken``): what the guardian
script needs and posts. Every secret stays in the member's browser
(``election/static/js/guardian/``): the server receives public keys, commitments, sealed
share boxes, complaints, decryption shares and signatures, and checks each on arrival.

Views parse the request, call one service and render or answer JSON. A service's refusal
becomes a flashed sentence on a page (``labels.describe_error``) and
``{"error", "message"}`` with 403/404/409/422 in the API; nothing is stored on a refusal.

Results are public once announced (``hall.RELEASED``): before that only the counting board
and the presidium (to whom the board reports, R-COUNT-2 step 7) see them.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

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
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from election.db import get_session
from election.errors import (
    Conflict,
    DomainError,
    InvalidInput,
    InvalidState,
    NotFound,
    PermissionDenied,
)
from election.models import (
    CeremonyStatus,
    Congress,
    Contest,
    KeyCeremony,
    Role,
    Round,
    User,
)
from election.paths import STATIC_DIR
from election.pdf import PDF_STYLESHEET, render_pdf
from election.record import write_zip
from election.services import agenda, ceremony_relay, export, hall, minutes, rounds, tally
from election.services.base import Actor
from election.web.access import PUBLIC, acting_actor, allow, require_congress
from election.web.counting.forms import (
    ActionForm,
    AnnounceForm,
    CancelForm,
    StartCeremonyForm,
    seat_field,
)
from election.web.labels import describe_error

__all__ = ["bp", "minutes_pdf_bytes"]

bp = Blueprint("counting", __name__)

#: Who reads a result before it is announced (R-COUNT-2 step 7: the board reports to the
#: presidium, then announces it to the congress).
_EARLY_READERS = (Role.COUNTING, Role.PRESIDIUM)
MINUTES_CSS = STATIC_DIR / "css" / "minutes.css"
_HEX = re.compile(r"[0-9a-f]*")


def _now() -> datetime:
    return datetime.now(UTC)


def _actor() -> Actor:
    return acting_actor(Role.COUNTING)


def _round(round_id: int) -> Round:
    congress = require_congress()
    round_ = get_session().get(Round, round_id)
    if round_ is None or round_.contest.congress_id != congress.id:
        abort(404)
    return round_


def _rounds(congress: Congress) -> list[Round]:
    return list(
        get_session().scalars(
            sa.select(Round)
            .join(Contest, Contest.id == Round.contest_id)
            .where(Contest.congress_id == congress.id, Round.round_hash.is_not(None))
            .order_by(Round.opened_at, Round.id)
        )
    )


def _can_read_early() -> bool:
    return bool(current_user.is_authenticated and current_user.has_any(*_EARLY_READERS))


def _released(round_: Round) -> bool:
    return round_.state in hall.RELEASED


def _to_round(round_: Round) -> Response:
    return redirect(url_for(".round_page", round_id=round_.id))


# ------------------------------------------------------------------------------- JSON helpers

_STATUS: tuple[tuple[type[DomainError], int], ...] = (
    (NotFound, 404),
    (PermissionDenied, 403),
    (Conflict, 409),
    (InvalidState, 409),
    (InvalidInput, 422),
)


def _refusal(error: DomainError) -> ResponseReturnValue:
    status = next((code for kind, code in _STATUS if isinstance(error, kind)), 422)
    return jsonify(error=type(error).__name__, message=describe_error(error)), status


def _body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(400)
    return data


def _hex(value: Any, size: int, what: str) -> bytes:
    """``size`` bytes from lowercase hex, or ``InvalidInput`` naming ``what``."""
    if not isinstance(value, str) or len(value) != 2 * size or not _HEX.fullmatch(value):
        raise InvalidInput(f"{what} is not {size} bytes of lowercase hex")
    return bytes.fromhex(value)


def _api(action: Callable[[], ResponseReturnValue]) -> ResponseReturnValue:
    try:
        return action()
    except DomainError as e:
        return _refusal(e)


# ------------------------------------------------------------------------------- index


@bp.get("/counting/")
@allow(Role.COUNTING)
def index() -> str:
    """The board's work: the key ceremony, then every opened round and what it awaits."""
    congress = require_congress()
    db = get_session()
    ceremony = ceremony_relay.current_ceremony(db, congress)
    view = ceremony_relay.ceremony_view(db, ceremony) if ceremony is not None else None
    return render_template(
        "counting/index.html",
        congress=congress,
        ceremony=view,
        rounds=_rounds(congress),
        action_form=ActionForm(),
    )


# ------------------------------------------------------------------------------- ceremony


def _start_form(congress: Congress, *, submitted: bool) -> tuple[Any, list[Any]]:
    db = get_session()
    members = ceremony_relay.counting_board(db, congress)
    users = ceremony_relay.counting_users(db, congress)
    suspected = ceremony_relay.suspected_members(db, congress)

    class Form(StartCeremonyForm):
        pass

    for member in members:
        setattr(Form, f"seat_{member.id}", seat_field(member.full_name))
    form = Form() if submitted else Form(formdata=None)
    choices: list[tuple[int, str]] = [(0, _("Không tham gia"))]
    choices += [(u.id, f"{u.full_name} ({u.username})") for u in users]
    for member in members:
        field = getattr(form, f"seat_{member.id}")
        field.choices = choices
        if not submitted:
            same_name = [u.id for u in users if u.full_name == member.full_name]
            field.data = same_name[0] if same_name and member.id not in suspected else 0
    return form, members


@bp.get("/counting/ceremony")
@allow(Role.COUNTING)
def ceremony() -> str:
    """The key ceremony: start it, then each member runs their steps in their own browser."""
    congress = require_congress()
    db = get_session()
    current = ceremony_relay.current_ceremony(db, congress)
    view = ceremony_relay.ceremony_view(db, current) if current is not None else None
    start_form = None
    members: list[Any] = []
    if view is None or view.ceremony.status is CeremonyStatus.FAILED:
        start_form, members = _start_form(congress, submitted=False)
    seat = view.seat_of_user(current_user.user_id) if view is not None else None
    return render_template(
        "counting/ceremony.html",
        congress=congress,
        view=view,
        seat=seat,
        start_form=start_form,
        members=members,
        suspected=ceremony_relay.suspected_members(db, congress),
        cancel_form=CancelForm(prefix="cancel"),
    )


@bp.post("/counting/ceremony/start")
@allow(Role.COUNTING)
def start_ceremony() -> Response:
    """Start a run with the members given an account, in the board's order."""
    congress = require_congress()
    db = get_session()
    form, members = _start_form(congress, submitted=True)
    if not form.validate_on_submit():
        flash(_("Biểu mẫu chưa hợp lệ. Vui lòng chọn lại."), "error")
        return redirect(url_for(".ceremony"))
    seats = []
    for member in members:
        user_id = getattr(form, f"seat_{member.id}").data
        if user_id:
            seats.append((member, db.get(User, user_id)))
    try:
        ceremony_relay.start_ceremony(
            db, _actor(), congress, seats=seats, threshold=form.threshold.data, now=_now()
        )
    except DomainError as e:
        flash(describe_error(e), "error")
    else:
        flash(
            _("Đã bắt đầu lễ tạo khóa. Mỗi thành viên mở trang này trên máy của mình."), "success"
        )
    return redirect(url_for(".ceremony"))


@bp.post("/counting/ceremony/cancel")
@allow(Role.COUNTING)
def cancel_ceremony() -> Response:
    """Stop a pending run (a member cannot go on), so that a new one can start."""
    congress = require_congress()
    db = get_session()
    form = CancelForm(prefix="cancel")
    current = ceremony_relay.current_ceremony(db, congress)
    if current is None or not form.validate_on_submit():
        flash(_("Cần nêu lý do dừng lễ tạo khóa."), "error")
        return redirect(url_for(".ceremony"))
    try:
        ceremony_relay.cancel_ceremony(
            db, _actor(), current, reason=form.reason.data or "", now=_now()
        )
    except DomainError as e:
        flash(describe_error(e), "error")
    else:
        flash(_("Đã dừng lễ tạo khóa. Có thể bắt đầu lại."), "success")
    return redirect(url_for(".ceremony"))


@bp.get("/counting/ceremony/record")
@allow(PUBLIC)
def ceremony_record() -> str:
    """The key ceremony's public record (printable): members, threshold, joint key and its
    fingerprint, which members compare with what their own devices show."""
    congress = require_congress()
    db = get_session()
    current = ceremony_relay.current_ceremony(db, congress)
    if current is None or current.status is not CeremonyStatus.COMPLETED:
        abort(404)
    return render_template(
        "counting/ceremony_record.html",
        congress=congress,
        congress_title=export.congress_name(congress),
        view=ceremony_relay.ceremony_view(db, current),
    )


def _pending_ceremony() -> KeyCeremony:
    congress = require_congress()
    current = ceremony_relay.current_ceremony(get_session(), congress)
    if current is None:
        raise NotFound("no key ceremony has been started")
    return current


def _ceremony_json(ceremony: KeyCeremony) -> dict[str, Any]:
    db = get_session()
    view = ceremony_relay.ceremony_view(db, ceremony)
    seat = view.seat_of_user(current_user.user_id)
    members = []
    for g in sorted(ceremony.members, key=lambda g: g.guardian_index):
        members.append(
            {
                "index": g.guardian_index,
                "name": g.member.full_name,
                "communication_key": g.communication_key.hex() if g.communication_key else None,
                "signing_key": g.signing_key.hex() if g.signing_key else None,
                "commitments": g.commitments,
                "status": g.status.value,
            }
        )
    received = []
    if seat is not None:
        received = [
            {"from": r.dealer, "box": r.box}
            for r in ceremony_relay.received_boxes(db, ceremony, seat.index)
        ]
    return {
        "congress": ceremony.congress.public_id,
        "ceremony": ceremony.id,
        "status": ceremony.status.value,
        "phase": view.phase.value,
        "guardians": ceremony.guardians,
        "threshold": ceremony.threshold,
        "me": None if seat is None else seat.index,
        "members": members,
        "received": received,
        "joint_key": ceremony.joint_key.hex() if ceremony.joint_key else None,
        "public_shares": ceremony.public_shares,
        "fingerprint": view.fingerprint,
        "complaints": [
            {"by": c.complainant_index, "against": c.dealer_index, "reason": c.reason}
            for c in view.complaints
        ],
    }


@bp.get("/api/counting/ceremony")
@allow(Role.COUNTING)
def api_ceremony() -> ResponseReturnValue:
    """The run's public state and the boxes addressed to the signed-in member."""
    return _api(lambda: jsonify(_ceremony_json(_pending_ceremony())))


@bp.post("/api/counting/ceremony/keys")
@allow(Role.COUNTING)
def api_keys() -> ResponseReturnValue:
    """Step 2: ``{"communication_key", "signing_key", "commitments"}``."""

    def act() -> ResponseReturnValue:
        body = _body()
        current = _pending_ceremony()
        commitments = body.get("commitments")
        if not isinstance(commitments, dict):
            raise InvalidInput("commitments is an object")
        ceremony_relay.publish_keys(
            get_session(),
            _actor(),
            current,
            communication_key=_hex(body.get("communication_key"), 32, "communication_key"),
            signing_key=_hex(body.get("signing_key"), 32, "signing_key"),
            commitments=commitments,
            now=_now(),
        )
        return jsonify(_ceremony_json(current))

    return _api(act)


@bp.post("/api/counting/ceremony/boxes")
@allow(Role.COUNTING)
def api_boxes() -> ResponseReturnValue:
    """Step 3: ``{"boxes": {"<j>": {"E", "nonce", "ct"}, ...}}``, one for every other member."""

    def act() -> ResponseReturnValue:
        body = _body()
        boxes = body.get("boxes")
        if not isinstance(boxes, dict) or not all(
            isinstance(k, str) and k.isdigit() and len(k) <= 2 for k in boxes
        ):
            raise InvalidInput("boxes maps member numbers to boxes")
        current = _pending_ceremony()
        ceremony_relay.post_boxes(
            get_session(), _actor(), current, {int(k): v for k, v in boxes.items()}, now=_now()
        )
        return jsonify(_ceremony_json(current))

    return _api(act)


@bp.post("/api/counting/ceremony/confirm")
@allow(Role.COUNTING)
def api_confirm() -> ResponseReturnValue:
    """Step 4: every received share checked out."""

    def act() -> ResponseReturnValue:
        current = _pending_ceremony()
        ceremony_relay.confirm_shares(get_session(), _actor(), current, now=_now())
        return jsonify(_ceremony_json(current))

    return _api(act)


@bp.post("/api/counting/ceremony/complaints")
@allow(Role.COUNTING)
def api_complain() -> ResponseReturnValue:
    """Step 4, a failed share: ``{"against": i, "reason": text}``; the run stops."""

    def act() -> ResponseReturnValue:
        body = _body()
        against = body.get("against")
        if isinstance(against, bool) or not isinstance(against, int):
            raise InvalidInput("against is a member number")
        current = _pending_ceremony()
        ceremony_relay.complain(
            get_session(),
            _actor(),
            current,
            dealer=against,
            reason=str(body.get("reason") or ""),
            now=_now(),
        )
        return jsonify(_ceremony_json(current))

    return _api(act)


# ------------------------------------------------------------------------------- counting


@bp.post("/counting/rounds/<int:round_id>/tally")
@allow(Role.COUNTING)
def tally_round(round_id: int) -> Response:
    """Sum the closed round's board (the server does it; members then decrypt the sums)."""
    round_ = _round(round_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        tally.compute_tally(get_session(), _actor(), round_, now=_now())
    except DomainError as e:
        flash(describe_error(e), "error")
    else:
        flash(
            _("Đã cộng các lá phiếu mã hóa. Các thành viên gửi phần giải mã của mình."), "success"
        )
    return _to_round(round_)


@bp.get("/counting/rounds/<int:round_id>")
@allow(Role.COUNTING)
def round_page(round_id: int) -> str:
    """A round's count: its tally, the members' shares (t of n) and the next step."""
    round_ = _round(round_id)
    db = get_session()
    return render_template(
        "counting/round.html",
        round=round_,
        counters=tally.recorded_tally(db, round_),
        progress=tally.progress(db, round_),
        cast=agenda.ballots_cast(db, round_),
        action_form=ActionForm(),
    )


@bp.get("/api/counting/rounds/<int:round_id>/tally")
@allow(Role.COUNTING)
def api_tally(round_id: int) -> ResponseReturnValue:
    """What a member's device decrypts: ``h_R``, the recorded sums, its own ``K_j``, and the
    round manifest, which the device hashes to ``h_R`` and whose joint key it compares with
    the one in its key file before computing a share (ATTACKS.md T-3.c)."""

    def act() -> ResponseReturnValue:
        round_ = _round(round_id)
        db = get_session()
        progress = tally.progress(db, round_)
        me = next((g for g in progress.guardians if g.user_id == current_user.user_id), None)
        ceremony = ceremony_relay.current_ceremony(db, round_.contest.congress)
        shares = (ceremony.public_shares or {}) if ceremony else {}
        return jsonify(
            round=round_.id,
            congress=round_.contest.congress.public_id,
            round_hash=(round_.round_hash or b"").hex(),
            manifest=round_.manifest,
            state=round_.state.value,
            counters=[c.to_json() for c in tally.recorded_tally(db, round_)],
            me=None if me is None else me.index,
            public_share=None if me is None else shares.get(str(me.index)),
            progress=progress.to_json(),
        )

    return _api(act)


@bp.get("/api/counting/rounds/<int:round_id>/progress")
@allow(Role.COUNTING)
def api_progress(round_id: int) -> ResponseReturnValue:
    """Which members have submitted their share (polled by the decryption page)."""
    return _api(lambda: jsonify(tally.progress(get_session(), _round(round_id)).to_json()))


@bp.post("/api/counting/rounds/<int:round_id>/shares")
@allow(Role.COUNTING)
def api_share(round_id: int) -> ResponseReturnValue:
    """The signed-in member's decryption share (JSON, checked against ``K_j``)."""

    def act() -> ResponseReturnValue:
        round_ = _round(round_id)
        payload = request.get_data(cache=False)
        if len(payload) > tally.MAX_SHARE_BYTES:
            abort(413)
        result = tally.submit_share(get_session(), _actor(), round_, payload, now=_now())
        return jsonify(result.to_json())

    return _api(act)


@bp.post("/counting/rounds/<int:round_id>/announce")
@allow(Role.COUNTING)
def announce(round_id: int) -> Response:
    """The board announces the decrypted result to the congress (R-COUNT-2 step 7)."""
    round_ = _round(round_id)
    form = AnnounceForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        rounds.announce_result(
            get_session(),
            _actor(),
            round_,
            now=_now(),
            min_ballots=current_app.config["SMALL_GROUP_MIN_BALLOTS"],
            release_reason=form.reason.data or None,
        )
    except DomainError as e:
        flash(describe_error(e), "error")
    else:
        flash(_("Đã công bố kết quả bầu cử."), "success")
    return redirect(url_for(".result", round_id=round_.id))


# ------------------------------------------------------------------------------- results


@bp.get("/counting/rounds/<int:round_id>/result")
@allow(PUBLIC)
def result(round_id: int) -> str:
    """A round's result by the rules: public once announced; before that, the board's and
    the presidium's (anyone else gets 404, so that nothing tells the result exists)."""
    round_ = _round(round_id)
    if round_.result is None or not (_released(round_) or _can_read_early()):
        abort(404)
    minimum = current_app.config["SMALL_GROUP_MIN_BALLOTS"]
    return render_template(
        "counting/result.html",
        view=tally.result_view(round_),
        released=_released(round_),
        action_form=ActionForm(),
        announce_form=AnnounceForm(),
        small_group_minimum=minimum,
        needs_decision=rounds.needs_release_decision(round_.result.cast_ballots, minimum),
        is_counting=current_user.is_authenticated and current_user.has_any(Role.COUNTING),
        is_presidium=current_user.is_authenticated and current_user.has_any(Role.PRESIDIUM),
    )


@bp.get("/counting/rounds/<int:round_id>/record.zip")
@allow(PUBLIC)
def record_zip(round_id: int) -> Response:
    """The round's election record (docs/record-format.md), once the result is announced."""
    round_ = _round(round_id)
    if not _released(round_):
        abort(404)
    try:
        record = export.round_record(get_session(), round_)
    except export.ExportError:
        abort(404)
    data = _zip_bytes(record)
    response = make_response(data)
    response.headers["Content-Type"] = "application/zip"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="ho-so-{export.round_id_of(round_)}.zip"'
    )
    return response


def _zip_bytes(record: Any) -> bytes:
    # The record's writer fixes every byte of the zip (sorted members, fixed times); it
    # writes to a path, so the zip is built in a temporary folder and read back.
    with tempfile.TemporaryDirectory() as tmp:
        path = write_zip(record, Path(tmp) / "record.zip")
        return path.read_bytes()


# ------------------------------------------------------------------------------- minutes


def _minutes(round_: Round) -> minutes.MinutesView:
    try:
        return minutes.minutes_view(get_session(), round_)
    except InvalidState:
        abort(404)


@bp.get("/counting/rounds/<int:round_id>/minutes")
@allow(Role.COUNTING, Role.PRESIDIUM, Role.INSPECTION)
def minutes_page(round_id: int) -> str:
    """The vote-count minutes (biên bản kiểm phiếu) of a round, with who has signed."""
    round_ = _round(round_id)
    return render_template(
        "minutes/minutes.html",
        view=_minutes(round_),
        for_pdf=False,
        can_sign=current_user.has_any(Role.COUNTING),
    )


def minutes_pdf_bytes(view: minutes.MinutesView) -> bytes:
    """The minutes as a PDF (always Vietnamese: a document of record). Needs an app (or
    request) context for the templates; the end-to-end test calls it directly."""
    with force_locale("vi"):
        html = render_template("minutes/minutes.html", view=view, for_pdf=True)
    return render_pdf(html, stylesheets=(PDF_STYLESHEET, MINUTES_CSS))


@bp.get("/counting/rounds/<int:round_id>/minutes.pdf")
@allow(Role.COUNTING, Role.PRESIDIUM, Role.INSPECTION)
def minutes_pdf(round_id: int) -> Response:
    round_ = _round(round_id)
    response = make_response(minutes_pdf_bytes(_minutes(round_)))
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = (
        f'inline; filename="bien-ban-kiem-phieu-{export.round_id_of(round_)}.pdf"'
    )
    return response


@bp.get("/counting/rounds/<int:round_id>/sign")
@allow(Role.COUNTING)
def sign_page(round_id: int) -> str:
    """Where a member signs the minutes with the key kept in their key file."""
    round_ = _round(round_id)
    return render_template("counting/sign.html", view=_minutes(round_))


@bp.get("/api/counting/rounds/<int:round_id>/minutes")
@allow(Role.COUNTING)
def api_minutes(round_id: int) -> ResponseReturnValue:
    """The minutes' canonical data the member signs, and who has signed."""

    def act() -> ResponseReturnValue:
        view = minutes.minutes_view(get_session(), _round(round_id))
        progress = tally.progress(get_session(), view.round)
        me = next((g for g in progress.guardians if g.user_id == current_user.user_id), None)
        return jsonify(
            round=view.round.id,
            congress=view.round.contest.congress.public_id,
            data=view.data,
            message=view.message.hex(),
            me=None if me is None else me.index,
            signatures=[
                {
                    "index": s.index,
                    "name": s.name,
                    "signed": s.signed_at is not None,
                    "valid": s.valid,
                }
                for s in view.signatures
            ],
            threshold=view.threshold_signatures,
        )

    return _api(act)


@bp.post("/api/counting/rounds/<int:round_id>/minutes/signatures")
@allow(Role.COUNTING)
def api_sign(round_id: int) -> ResponseReturnValue:
    """``{"signature": hex}``: the member's Ed25519 signature over the minutes' message."""

    def act() -> ResponseReturnValue:
        round_ = _round(round_id)
        signature = _hex(_body().get("signature"), 64, "signature")
        line = minutes.sign_minutes(get_session(), _actor(), round_, signature, now=_now())
        return jsonify(index=line.index, valid=line.valid)

    return _api(act)

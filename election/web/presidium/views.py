"""The presidium's console: the agenda, the quorum, open votes and the rounds' controls.

Every view parses its form, calls one service and renders or redirects (POST, then a
redirect, so a reload never repeats an action). A service's refusal becomes a flashed
sentence (``election.web.labels.describe_error``); opening a round that cannot open
explains each known reason (``agenda.open_blockers``) instead of the service's text.
Results are shown only once the counting board has announced them (ATTACKS.md 9).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from election.db import get_session
from election.errors import DomainError
from election.models import (
    CandidateSource,
    Congress,
    CongressSession,
    Contest,
    Matter,
    Member,
    Motion,
    Nomination,
    NominationStatus,
    OpenVote,
    Role,
    Round,
    RoundOutcome,
    RoundState,
)
from election.services import (
    agenda,
    candidates,
    credentials,
    hall,
    open_votes,
    rounds,
    sittings,
)
from election.services.candidates import standing_nominations
from election.services.congress import congress_profile, roster
from election.web.access import acting_actor, allow, current_congress
from election.web.labels import describe_error, label
from election.web.presidium.forms import (
    CONTEST_MATTERS,
    GENERAL_MATTERS,
    ActionForm,
    AnnulForm,
    ContestVoteForm,
    FurtherRoundForm,
    NominationForm,
    OpenVoteForm,
    OpinionForm,
    ReissueDecisionForm,
    WithdrawalForm,
)

__all__ = ["bp"]

bp = Blueprint("presidium", __name__, url_prefix="/presidium")

T = TypeVar("T")


def _now() -> datetime:
    return datetime.now(UTC)


def _congress() -> Congress:
    congress = current_congress()
    if congress is None:
        abort(404)
    return congress


def _congress_of(obj: Any) -> int:
    if isinstance(obj, Round):
        return obj.contest.congress_id
    if isinstance(obj, Nomination):
        return obj.contest.congress_id
    congress_id: int = obj.congress_id
    return congress_id


def _load(model: type[T], ident: int | None, congress: Congress) -> T:
    """``model`` ``ident`` of this congress, or 404 (another congress's ids do not exist)."""
    obj = get_session().get(model, ident) if ident is not None else None
    if obj is None or _congress_of(obj) != congress.id:
        abort(404)
    return obj


def _actor() -> Any:
    return acting_actor(Role.PRESIDIUM)


def _fill_counts(
    form: Any, congress: Congress, *, contest: Contest | None = None, default: bool = True
) -> CongressSession | None:
    """Give a counts form its sitting choices and, on a fresh form, the sitting in progress
    and the number of people in N present at it."""
    db = get_session()
    sittings = agenda.sittings(db, congress)
    form.sitting.choices = [SelectChoice(s.id, f"{s.number}. {s.title}") for s in sittings]
    current = agenda.current_sitting(db, congress)
    if contest is not None and contest.electorate_id is not None:
        # A committee's contest is voted in that committee's session.
        current = next((s for s in sittings if s.body_id == contest.electorate_id), current)
    if default and request.method == "GET" and current is not None:
        form.sitting.data = current.id
        state = agenda.quorum(db, congress, current, contest)
        if state is not None:
            form.present.data = state.present
    return current


def _flash_vote(vote: OpenVote) -> None:
    values = {
        "agree": vote.agree,
        "n": vote.base_n,
        "needed": vote.base_n // 2 + 1,
    }
    if vote.carried:
        flash(
            _(
                "Đã ghi biểu quyết: THÔNG QUA — %(agree)s tán thành trên N = %(n)s "
                "(cần ít nhất %(needed)s).",
                **values,
            ),
            "success",
        )
    else:
        flash(
            _(
                "Đã ghi biểu quyết: KHÔNG THÔNG QUA — %(agree)s tán thành trên N = %(n)s "
                "(cần ít nhất %(needed)s).",
                **values,
            ),
            "error",
        )


# ------------------------------------------------------------------------------- console


@bp.get("/")
@allow(Role.PRESIDIUM)
def console() -> str:
    """The agenda in order with each round's state, the quorum and the latest open votes."""
    db = get_session()
    congress = _congress()
    sittings = agenda.sittings(db, congress)
    chosen = request.args.get("sitting", type=int)
    sitting = next((s for s in sittings if s.id == chosen), None) or agenda.current_sitting(
        db, congress
    )
    items = agenda.agenda(db, congress)
    open_round = agenda.open_round_of(db, congress)
    return render_template(
        "presidium/console.html",
        congress=congress,
        sittings=sittings,
        sitting=sitting,
        quorum=agenda.quorum(db, congress, sitting) if sitting is not None else None,
        items=items,
        out_of_order=agenda.chain_warnings(items),
        open_round=open_round,
        cast=agenda.ballots_cast(db, open_round) if open_round is not None else None,
        votes=agenda.recent_votes(db, congress, 8),
        action_form=ActionForm(),
        reissue_form=_reissue_form(congress) if open_round is not None else None,
    )


def _reissue_form(congress: Congress) -> ReissueDecisionForm:
    form = ReissueDecisionForm(prefix="reissue")
    form.member.choices = [
        SelectChoice(m.id, f"{m.full_name} ({m.code})")
        for m in credentials.members_with_active_credential(get_session(), congress)
    ]
    return form


@bp.post("/reissue-decisions")
@allow(Role.PRESIDIUM)
def reissue_decision() -> Response:
    """Allow the credentials board to re-issue one badge while a round is open (T-17.b)."""
    congress = _congress()
    form = _reissue_form(congress)
    if not form.validate_on_submit():
        flash(_("Cần chọn đại biểu và ghi lý do (không quá 500 ký tự)."), "error")
        return redirect(url_for("presidium.console"))
    member = _load(Member, form.member.data, congress)
    try:
        decision = credentials.authorise_reissue(
            get_session(), _actor(), member, reason=form.reason.data, now=_now()
        )
    except DomainError as e:
        flash(describe_error(e), "error")
    else:
        flash(
            _(
                "Đã ghi quyết định (nhật ký mục %(seq)s): Ban Thẩm tra tư cách được cấp lại thẻ "
                "một lần cho đồng chí %(name)s. Việc cấp lại sẽ được công bố trên bảng công khai.",
                seq=decision.seq,
                name=member.full_name,
            ),
            "success",
        )
    return redirect(url_for("presidium.console"))


@bp.post("/sessions/<int:session_id>/open")
@allow(Role.PRESIDIUM)
def open_session(session_id: int) -> Response:
    """Open a session of the congress (khai mạc)."""
    return _session_action(session_id, sittings.open_session, _("Đã khai mạc phiên %(n)s."))


@bp.post("/sessions/<int:session_id>/close")
@allow(Role.PRESIDIUM)
def close_session(session_id: int) -> Response:
    """Close a session of the congress (bế mạc)."""
    return _session_action(session_id, sittings.close_session, _("Đã bế mạc phiên %(n)s."))


def _session_action(session_id: int, action: Callable[..., CongressSession], done: str) -> Response:
    sitting = _load(CongressSession, session_id, _congress())
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        action(get_session(), _actor(), sitting, now=_now())
    except DomainError as e:
        flash(describe_error(e), "error")
    else:
        flash(done % {"n": sitting.number}, "success")
    return redirect(url_for(".console", _anchor="phien-hop"))


# ------------------------------------------------------------------------------- open votes


@bp.route("/votes", methods=["GET", "POST"])
@allow(Role.PRESIDIUM)
def votes() -> tuple[str, int] | Response:
    """Open votes on matters of the whole congress: organs, credentials report, procedure."""
    db = get_session()
    congress = _congress()
    form = OpenVoteForm()
    form.subject.choices = [SelectChoice(m.value, label("matter", m)) for m in GENERAL_MATTERS]
    _fill_counts(form, congress)
    if form.validate_on_submit():
        sitting = _load(CongressSession, form.sitting.data, congress)
        try:
            vote = open_votes.put_to_vote(
                db,
                _actor(),
                congress,
                subject=Matter(form.subject.data),
                question=form.question.data or "",
                sitting=sitting,
                present=form.present.data,
                agree=form.agree.data,
                disagree=form.disagree.data,
                abstain=form.abstain.data,
                now=_now(),
            )
        except DomainError as e:
            flash(describe_error(e), "error")
        else:
            _flash_vote(vote)
            return redirect(url_for(".votes"))
    status = 400 if form.errors else 200
    return render_template(
        "presidium/votes.html",
        congress=congress,
        form=form,
        votes=agenda.recent_votes(db, congress, 100),
    ), status


# ------------------------------------------------------------------------------- contests


def _further_allowed(round_: Round, latest: Round | None) -> bool:
    if latest is None or round_.id != latest.id:
        return False
    if round_.state is RoundState.ANNULLED:
        return True
    result = round_.result
    return (
        round_.state is RoundState.APPROVED
        and result is not None
        and result.outcome is not RoundOutcome.ALL_SEATS_FILLED
    )


def _render_contest(contest: Contest, status: int = 200, **forms: Any) -> tuple[str, int]:
    db = get_session()
    congress = contest.congress
    vote_form = forms.get("vote_form") or ContestVoteForm(prefix="vote")
    vote_form.subject.choices = [SelectChoice(m.value, label("matter", m)) for m in CONTEST_MATTERS]
    _fill_counts(vote_form, congress, contest=contest, default="vote_form" not in forms)
    withdrawal_form = forms.get("withdrawal_form") or WithdrawalForm(prefix="wd")
    standing = standing_nominations(db, contest)
    withdrawal_form.nomination.choices = [SelectChoice(n.id, n.member.full_name) for n in standing]
    _fill_counts(withdrawal_form, congress, contest=contest, default="withdrawal_form" not in forms)
    further_form = forms.get("further_form") or FurtherRoundForm(prefix="further")
    further_form.motion.choices = [SelectChoice(m.value, label("motion", m)) for m in Motion]
    _fill_counts(further_form, congress, contest=contest, default="further_form" not in forms)
    annul_form = forms.get("annul_form") or AnnulForm(prefix="annul")
    nomination_form = forms.get("nomination_form") or NominationForm(prefix="nom")
    _fill_nomination(nomination_form, contest)
    opinion_form = forms.get("opinion_form") or OpinionForm(prefix="op")
    _fill_opinion(opinion_form, contest)

    contest_rounds = list(contest.rounds)
    latest = contest_rounds[-1] if contest_rounds else None
    views = []
    for round_ in contest_rounds:
        views.append(
            {
                "round": round_,
                "blockers": agenda.open_blockers(db, round_)
                if round_.state is RoundState.DRAFT
                else [],
                "cast": agenda.ballots_cast(db, round_)
                if round_.state is not RoundState.DRAFT
                else None,
                "result": hall.released_result(db, round_),
                "further": _further_allowed(round_, latest),
                "annullable": RoundState.ANNULLED in rounds.TRANSITIONS[round_.state],
            }
        )
    nominations = sorted(
        contest_nominations(contest), key=lambda n: (n.status is NominationStatus.WITHDRAWN, n.id)
    )
    body = render_template(
        "presidium/contest.html",
        congress=congress,
        contest=contest,
        rounds=views,
        nominations=nominations,
        votes=agenda.contest_votes(db, contest),
        percent=congress_profile(congress).percent,
        vote_form=vote_form,
        withdrawal_form=withdrawal_form,
        further_form=further_form,
        annul_form=annul_form,
        nomination_form=nomination_form,
        opinion_form=opinion_form,
        can_nominate=_list_open(contest),
        # R-LIST-3's share of those attending, from the rules profile (3/10 in both).
        floor_share=congress_profile(congress).lists.floor_nominee_min_agreement,
        action_form=ActionForm(),
    )
    return body, status


def _list_open(contest: Contest) -> bool:
    """Names may still be put forward: no round has opened (the list is rebuilt from the
    nominations while the first round is a draft, candidates.build_candidate_list)."""
    return all(r.number == 1 and r.state is RoundState.DRAFT for r in contest.rounds)


def _fill_nomination(form: NominationForm, contest: Contest) -> None:
    taken = {n.member_id for n in contest_nominations(contest)}
    people = roster(get_session(), contest.congress)
    form.member.choices = [
        SelectChoice(m.id, f"{m.full_name} ({m.code})") for m in people if m.id not in taken
    ]
    form.nominator.choices = [SelectChoice(0, "—")] + [
        SelectChoice(m.id, m.full_name) for m in people
    ]


def _fill_opinion(form: OpinionForm, contest: Contest) -> None:
    form.nomination.choices = [
        SelectChoice(n.id, n.member.full_name)
        for n in standing_nominations(get_session(), contest)
        if n.source is not CandidateSource.OFFICIAL
    ]


def contest_nominations(contest: Contest) -> list[Nomination]:
    """Every nomination of ``contest``, standing or withdrawn."""
    return list(
        get_session().scalars(sa.select(Nomination).where(Nomination.contest_id == contest.id))
    )


@bp.get("/contests/<int:contest_id>")
@allow(Role.PRESIDIUM)
def contest(contest_id: int) -> tuple[str, int]:
    """One contest: its list and withdrawals, the open votes on it, its rounds' controls."""
    return _render_contest(_load(Contest, contest_id, _congress()))


def _to_contest(contest: Contest, anchor: str = "") -> Response:
    return redirect(url_for(".contest", contest_id=contest.id, _anchor=anchor or None))


@bp.post("/contests/<int:contest_id>/votes")
@allow(Role.PRESIDIUM)
def contest_vote(contest_id: int) -> Response | tuple[str, int]:
    """Record the congress's open vote on the contest's number of seats or its list."""
    congress = _congress()
    item = _load(Contest, contest_id, congress)
    form = ContestVoteForm(prefix="vote")
    form.subject.choices = [SelectChoice(m.value, label("matter", m)) for m in CONTEST_MATTERS]
    _fill_counts(form, congress, contest=item, default=False)
    if not form.validate_on_submit():
        return _render_contest(item, 400, vote_form=form)
    try:
        vote = open_votes.put_to_vote(
            get_session(),
            _actor(),
            congress,
            subject=Matter(form.subject.data),
            question=form.question.data or "",
            sitting=_load(CongressSession, form.sitting.data, congress),
            present=form.present.data,
            agree=form.agree.data,
            disagree=form.disagree.data,
            abstain=form.abstain.data,
            now=_now(),
            about=item,
            contest=item,
        )
    except DomainError as e:
        flash(describe_error(e), "error")
    else:
        _flash_vote(vote)
    return _to_contest(item, "bieu-quyet")


@bp.post("/contests/<int:contest_id>/withdrawals")
@allow(Role.PRESIDIUM)
def withdrawal(contest_id: int) -> Response | tuple[str, int]:
    """Record a withdrawal request, with its reason, and the congress's vote on it."""
    congress = _congress()
    item = _load(Contest, contest_id, congress)
    form = WithdrawalForm(prefix="wd")
    form.nomination.choices = [
        SelectChoice(n.id, n.member.full_name) for n in standing_nominations(get_session(), item)
    ]
    _fill_counts(form, congress, contest=item, default=False)
    if not form.validate_on_submit():
        return _render_contest(item, 400, withdrawal_form=form)
    nomination = _load(Nomination, form.nomination.data, congress)
    if nomination.contest_id != item.id:
        abort(404)
    try:
        result = open_votes.decide_withdrawal(
            get_session(),
            _actor(),
            nomination,
            reason=form.reason.data or "",
            question=form.question.data or "",
            sitting=_load(CongressSession, form.sitting.data, congress),
            present=form.present.data,
            agree=form.agree.data,
            disagree=form.disagree.data,
            abstain=form.abstain.data,
            now=_now(),
        )
    except DomainError as e:
        flash(describe_error(e), "error")
    else:
        _flash_vote(result.decision)
        if result.allowed:
            flash(
                _(
                    "Đồng chí %(name)s đã được rút khỏi danh sách.",
                    name=nomination.member.full_name,
                ),
                "success",
            )
    return _to_contest(item, "danh-sach")


@bp.post("/contests/<int:contest_id>/nominations")
@allow(Role.PRESIDIUM)
def nominate(contest_id: int) -> Response | tuple[str, int]:
    """A name put forward at the congress, from the floor or by self-nomination (R-LIST-3)."""
    congress = _congress()
    item = _load(Contest, contest_id, congress)
    form = NominationForm(prefix="nom")
    _fill_nomination(form, item)
    if not form.validate_on_submit():
        return _render_contest(item, 400, nomination_form=form)
    if not _list_open(item):
        flash(_("Danh sách đã chốt: vòng bầu đầu tiên đã mở."), "error")
        return _to_contest(item, "danh-sach")
    member = _load(Member, form.member.data, congress)
    nominator = _load(Member, form.nominator.data, congress) if form.nominator.data else None
    try:
        candidates.nominate(
            get_session(),
            _actor(),
            item,
            member,
            now=_now(),
            source=CandidateSource(form.source.data),
            nominator=nominator,
        )
    except DomainError as e:
        flash(describe_error(e), "error")
    else:
        flash(
            _(
                "Đã ghi đồng chí %(name)s vào danh sách giới thiệu; cần lấy phiếu xin ý kiến "
                "(R-LIST-3), rồi lập lại danh sách bầu cử.",
                name=member.full_name,
            ),
            "success",
        )
    return _to_contest(item, "danh-sach")


@bp.post("/contests/<int:contest_id>/opinions")
@allow(Role.PRESIDIUM)
def opinion(contest_id: int) -> Response | tuple[str, int]:
    """The opinion ballot's count on a floor or self nominee (R-LIST-3)."""
    congress = _congress()
    item = _load(Contest, contest_id, congress)
    form = OpinionForm(prefix="op")
    _fill_opinion(form, item)
    if not form.validate_on_submit():
        return _render_contest(item, 400, opinion_form=form)
    nomination = _load(Nomination, form.nomination.data, congress)
    if nomination.contest_id != item.id:
        abort(404)
    try:
        candidates.record_opinion_ballot(
            get_session(),
            _actor(),
            nomination,
            agree=form.agree.data,
            attending=form.attending.data,
            now=_now(),
        )
    except DomainError as e:
        flash(describe_error(e), "error")
    else:
        flash(
            _("Đã ghi phiếu xin ý kiến về đồng chí %(name)s.", name=nomination.member.full_name),
            "success",
        )
    return _to_contest(item, "danh-sach")


# ------------------------------------------------------------------------------- rounds


def _round_action(round_id: int) -> Round:
    return _load(Round, round_id, _congress())


@bp.post("/rounds/<int:round_id>/open")
@allow(Role.PRESIDIUM)
def open_round(round_id: int) -> Response:
    """Open a draft round: the eligible list is frozen and ballots are accepted."""
    round_ = _round_action(round_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    db = get_session()
    try:
        rounds.open_round(db, _actor(), round_, now=_now())
    except DomainError as e:
        # The service rolled its transaction back; say why in the congress's words.
        blockers = agenda.open_blockers(db, round_)
        reasons = [label("blocker", b) for b in blockers] or [describe_error(e)]
        for reason in reasons:
            flash(_("Chưa thể mở vòng bầu: %(reason)s", reason=reason), "error")
    else:
        flash(_("Đã mở vòng bầu. Đại biểu có thể bỏ phiếu."), "success")
    return _to_contest(round_.contest, f"vong-{round_.number}")


def _transition(round_id: int, move: Callable[..., object], done: str) -> Response:
    """Run one plain round transition (close, approve) from a CSRF-checked POST."""
    round_ = _round_action(round_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        move(get_session(), _actor(), round_, now=_now())
    except DomainError as e:
        flash(describe_error(e), "error")
    else:
        flash(done, "success")
    return _to_contest(round_.contest, f"vong-{round_.number}")


@bp.post("/rounds/<int:round_id>/close")
@allow(Role.PRESIDIUM)
def close_round(round_id: int) -> Response:
    """Close an open round: no ballot is accepted after this."""
    return _transition(
        round_id,
        rounds.close_round,
        _("Đã kết thúc bỏ phiếu. Chuyển cho Ban Kiểm phiếu kiểm phiếu."),
    )


@bp.post("/rounds/<int:round_id>/approve")
@allow(Role.PRESIDIUM)
def approve_round(round_id: int) -> Response:
    """Confirm the announced result; the elected take their seats."""
    return _transition(round_id, rounds.approve_round, _("Đã xác nhận kết quả bầu cử."))


@bp.post("/rounds/<int:round_id>/annul")
@allow(Role.PRESIDIUM)
def annul_round(round_id: int) -> Response | tuple[str, int]:
    """Annul a round, with the reason."""
    round_ = _round_action(round_id)
    form = AnnulForm(prefix="annul")
    if not form.validate_on_submit():
        return _render_contest(round_.contest, 400, annul_form=form)
    try:
        rounds.annul_round(
            get_session(), _actor(), round_, reason=form.reason.data or "", now=_now()
        )
    except DomainError as e:
        flash(describe_error(e), "error")
    else:
        flash(_("Đã hủy vòng bầu."), "success")
    return _to_contest(round_.contest, f"vong-{round_.number}")


@bp.post("/rounds/<int:round_id>/further")
@allow(Role.PRESIDIUM)
def further_round(round_id: int) -> Response | tuple[str, int]:
    """Record the vote after a round and, when carried, create the next round's draft."""
    congress = _congress()
    round_ = _load(Round, round_id, congress)
    form = FurtherRoundForm(prefix="further")
    form.motion.choices = [SelectChoice(m.value, label("motion", m)) for m in Motion]
    _fill_counts(form, congress, contest=round_.contest, default=False)
    if not form.validate_on_submit():
        return _render_contest(round_.contest, 400, further_form=form)
    try:
        decision = open_votes.decide_further_round(
            get_session(),
            _actor(),
            round_,
            motion=Motion(form.motion.data),
            question=form.question.data or "",
            sitting=_load(CongressSession, form.sitting.data, congress),
            present=form.present.data,
            agree=form.agree.data,
            disagree=form.disagree.data,
            abstain=form.abstain.data,
            now=_now(),
        )
    except DomainError as e:
        flash(describe_error(e), "error")
        return _to_contest(round_.contest, f"vong-{round_.number}")
    _flash_vote(decision.vote)
    if decision.round is not None:
        flash(_("Đã lập dự thảo vòng bầu lần %(number)s.", number=decision.round.number), "success")
        return _to_contest(round_.contest, f"vong-{decision.round.number}")
    return _to_contest(round_.contest, f"vong-{round_.number}")

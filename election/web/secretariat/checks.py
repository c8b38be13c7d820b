"""A list review (``election.services.list_review``) in words, for the page and its JSON.

The same dictionaries feed the server-rendered panel and the JSON the page's script
fetches when the secretariat ticks names, so both always say the same thing. ``status``
is ``"ok"``, ``"fail"`` or ``"warn"`` (the 10-15 % band is advice, never a refusal).
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from election.models import CandidateSource
from election.services.list_review import EntryCheck, ListReview
from election.web.formatting import format_number, format_percent
from election.web.labels import RULE_TEXT, label

__all__ = ["check_items", "entry_items", "review_json"]


def _status(ok: bool) -> str:
    return "ok" if ok else "fail"


def _entry_notes(entry: EntryCheck) -> list[str]:
    notes = []
    if not entry.official:
        notes.append(
            _(
                "Không phải đảng viên chính thức (%(kind)s).",
                kind=label("membership", entry.member.membership),
            )
        )
    for bar in entry.bars:
        notes.append(_("Không đủ điều kiện ứng cử: %(reason)s.", reason=bar))
    if entry.in_pool is False:
        notes.append(_("Không thuộc cơ quan mà chức danh này được bầu từ đó (R-DIRECT-2)."))
    if not entry.delegate_ok:
        notes.append(_("Không phải đại biểu chính thức của đại hội (R-LIST-4, R-LIST-7)."))
    if entry.owner_conflict:
        notes.append(
            _(
                "Là thành viên cấp ủy triệu tập nên chỉ được ứng cử trong danh sách "
                "của cấp ủy (R-LIST-5)."
            )
        )
    if entry.source is not CandidateSource.OFFICIAL:
        if entry.opinion is None:
            notes.append(_("Chưa có kết quả phiếu xin ý kiến (R-LIST-3)."))
        else:
            share = format_percent(entry.opinion.agree, entry.opinion.attending)
            values = {
                "agree": format_number(entry.opinion.agree),
                "attending": format_number(entry.opinion.attending),
                "share": share,
            }
            if entry.opinion.passes:
                notes.append(
                    _(
                        "Phiếu xin ý kiến: %(agree)s/%(attending)s đồng ý (%(share)s), trên 30%%.",
                        **values,
                    )
                )
            else:
                notes.append(
                    _(
                        "Phiếu xin ý kiến: %(agree)s/%(attending)s đồng ý (%(share)s), "
                        "không quá 30%% (R-LIST-3).",
                        **values,
                    )
                )
    if entry.proposed:
        notes.append(_("Đang xem thử, chưa lưu."))
    return notes


def entry_items(review: ListReview) -> list[dict[str, Any]]:
    """Each name in ballot (A-B-C) order with its status and notes."""
    return [
        {
            "member_id": e.member.id,
            "name": e.member.full_name,
            "code": e.member.code,
            "birth_year": e.member.birth_year,
            "source_text": label("source", e.source),
            "proposed": e.proposed,
            "status": _status(e.ok),
            "notes": _entry_notes(e),
        }
        for e in review.entries
    ]


def check_items(review: ListReview) -> list[dict[str, Any]]:
    """The checks of the list as a whole, each with a title and an explanation."""
    s = review.surplus
    items: list[dict[str, Any]] = []
    counts = {"names": format_number(s.names), "seats": format_number(s.seats)}
    if s.required:
        items.append(
            {
                "id": "surplus",
                "status": _status(s.enough_names and s.within_ceiling),
                "title": _("Số dư không quá 30% (R-LIST-1)"),
                "detail": _(
                    "%(names)s người cho %(seats)s chỗ: số dư %(surplus)s; được dư từ 1 đến "
                    "%(max)s người.",
                    surplus=format_number(s.surplus),
                    max=format_number(s.max_surplus),
                    **counts,
                ),
            }
        )
        items.append(
            {
                "id": "band",
                "status": "ok" if s.in_band else "warn",
                "title": _("Đề án của cấp ủy dư 10–15% (R-LIST-1, khuyến nghị)"),
                "detail": _(
                    "Cấp ủy giới thiệu dư %(official)s người; 10–15%% của %(seats)s chỗ là "
                    "%(low)s–%(high)s người, nên dư %(recommended)s.",
                    official=format_number(s.official_surplus),
                    seats=format_number(s.seats),
                    low=format_number(s.band_low, 2, trim=True),
                    high=format_number(s.band_high, 2, trim=True),
                    recommended=_(" hoặc ").join(format_number(n) for n in s.recommended),
                ),
            }
        )
    else:
        items.append(
            {
                "id": "surplus",
                "status": _status(s.enough_names),
                "title": _("Đủ số người cho số lượng bầu (R-LIST-9)"),
                "detail": _(
                    "%(names)s người cho %(seats)s chỗ; chức danh này không bắt buộc có số dư.",
                    **counts,
                ),
            }
        )
    ineligible = [e for e in review.entries if not e.eligible]
    items.append(
        {
            "id": "eligibility",
            "status": _status(not ineligible),
            "title": _("Điều kiện ứng cử (R-LIST-6, R-DIRECT-2)"),
            "detail": _("Mọi người trong danh sách đủ điều kiện ứng cử.")
            if not ineligible
            else _(
                "Không đủ điều kiện: %(names)s.",
                names=", ".join(e.member.full_name for e in ineligible),
            ),
        }
    )
    floor = [e for e in review.entries if e.source is not CandidateSource.OFFICIAL]
    failing = [e for e in floor if e.opinion is None or not e.opinion.passes]
    items.append(
        {
            "id": "opinion",
            "status": _status(not failing),
            "title": _("Người do đại hội giới thiệu, tự ứng cử: trên 30% đồng ý (R-LIST-3)"),
            "detail": _("Không có người do đại hội giới thiệu hoặc tự ứng cử.")
            if not floor
            else _("Đạt: %(ok)s/%(all)s người.", ok=len(floor) - len(failing), all=len(floor)),
        }
    )
    conflicts = [e for e in review.entries if e.owner_conflict]
    if conflicts:
        items.append(
            {
                "id": "owner",
                "status": "fail",
                "title": _("Thành viên cấp ủy triệu tập ứng cử ngoài danh sách (R-LIST-5)"),
                "detail": ", ".join(e.member.full_name for e in conflicts),
            }
        )
    items.append(
        {
            "id": "order",
            "status": _status(review.abc_ok),
            "title": _("Xếp theo vần A, B, C (R-LIST-10)"),
            "detail": _("Theo tên, rồi họ, rồi tên đệm; đây là thứ tự in trên phiếu bầu.")
            if review.abc_ok
            else str(RULE_TEXT["R-LIST-10"]),
        }
    )
    return items


def verdict(review: ListReview) -> dict[str, Any]:
    """The rules engine's decision on the whole list."""
    if review.ok:
        return {"status": "ok", "text": _("Danh sách hợp lệ theo quy chế bầu cử."), "detail": ""}
    rule = review.verdict_rule or ""
    text = RULE_TEXT.get(rule)
    return {
        "status": "fail",
        "text": str(text)
        if text is not None
        else _("Danh sách chưa hợp lệ (%(rule)s).", rule=rule),
        "detail": review.verdict_detail or "",
    }


def review_json(review: ListReview) -> dict[str, Any]:
    """Everything the page's script needs to redraw the checks and the names."""
    return {
        "ok": review.ok,
        "verdict": verdict(review),
        "checks": check_items(review),
        "entries": entry_items(review),
        "names": review.surplus.names,
        "seats": review.surplus.seats,
    }

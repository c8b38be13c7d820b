"""Vietnamese words for the domain's codes, and service errors turned into sentences.

Services and the rules engine speak in codes (``RoundState.OPEN``, ``"R-LIST-1"``) and raise
errors whose text is for developers (docs/i18n.md: services never translate). The operator
screens show these words instead; each is a ``lazy_gettext`` message with a Vietnamese
msgid, so the English catalogue translates it. Templates reach them through the
``label(kind, value)`` global that ``init_app`` registers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from election.errors import (
    Conflict,
    DomainError,
    IllegalTransition,
    InvalidInput,
    InvalidState,
    NotFound,
    PermissionDenied,
    ReleaseNeedsDecision,
    RuleViolation,
)
from election.web.formatting import format_number

__all__ = ["LABELS", "RULE_TEXT", "describe_error", "init_app", "label"]

LABELS: Mapping[str, Mapping[str, Any]] = {
    "round_state": {
        "draft": _l("Dự thảo"),
        "open": _l("Đang bỏ phiếu"),
        "closed": _l("Đã kết thúc bỏ phiếu"),
        "tallied": _l("Đã cộng phiếu mã hóa"),
        "decrypted": _l("Đã giải mã kết quả"),
        "announced": _l("Đã công bố kết quả"),
        "approved": _l("Đã xác nhận kết quả"),
        "annulled": _l("Đã hủy"),
    },
    "round_kind": {
        "first": _l("Bầu lần đầu"),
        "tie_break": _l("Bầu lại những người bằng phiếu"),
        "further": _l("Bầu tiếp cho số còn thiếu"),
    },
    "matter": {
        "congress_organs": _l("Cơ quan điều hành và giúp việc đại hội"),
        "number_of_seats": _l("Số lượng bầu"),
        "candidate_list": _l("Danh sách bầu cử"),
        "withdrawal": _l("Xin rút khỏi danh sách bầu cử"),
        "procedure": _l("Thủ tục bầu cử"),
        "credentials_report": _l("Báo cáo thẩm tra tư cách đại biểu"),
    },
    "motion": {
        "further_round": _l("Bầu tiếp trong số những người chưa trúng cử"),
        "further_round_new_names": _l("Bầu tiếp, được giới thiệu thêm người mới"),
        "stop": _l("Dừng bầu, để khuyết số còn thiếu"),
    },
    "source": {
        "official": _l("Cấp ủy giới thiệu"),
        "floor": _l("Đại hội giới thiệu"),
        "self": _l("Tự ứng cử"),
    },
    "nomination_status": {
        "proposed": _l("Trong danh sách"),
        "withdrawn": _l("Đã rút"),
    },
    "outcome": {
        "elected": _l("Trúng cử"),
        "tied": _l("Bằng phiếu"),
        "ranked_out": _l("Đủ quá bán nhưng ngoài số lượng"),
        "no_majority": _l("Không đủ quá bán"),
    },
    "round_outcome": {
        "all_seats_filled": _l("Đã bầu đủ số lượng"),
        "tie_for_last_seat": _l("Bằng phiếu ở vị trí cuối"),
        "elected_fewer_than_planned": _l("Bầu chưa đủ số lượng"),
        "referred_to_higher_committee": _l("Báo cáo cấp ủy cấp trên"),
    },
    "congress_kind": {
        "members_congress": _l("Đại hội đảng viên"),
        "delegates_congress": _l("Đại hội đại biểu"),
    },
    "rules_profile": {
        "QD244_2014": _l("Quy chế bầu cử trong Đảng 244-QĐ/TW (2014)"),
        "QD190_2024": _l("Quy chế bầu cử trong Đảng 190-QĐ/TW (2024)"),
    },
    "session_kind": {
        "plenary": _l("Phiên toàn thể đại hội"),
        "committee_session": _l("Hội nghị của cơ quan"),
    },
    "body_kind": {
        "convening_committee": _l("Cấp ủy triệu tập đại hội"),
        "executive_committee": _l("Ban Chấp hành"),
        "standing_committee": _l("Ban Thường vụ"),
        "inspection_commission": _l("Ủy ban Kiểm tra"),
        "presidium": _l("Đoàn Chủ tịch"),
        "secretariat": _l("Đoàn Thư ký"),
        "credentials_board": _l("Ban Thẩm tra tư cách đại biểu"),
        "counting_board": _l("Ban Kiểm phiếu"),
        "delegation": _l("Đoàn đại biểu dự đại hội cấp trên"),
        "alternate_delegation": _l("Đại biểu dự khuyết dự đại hội cấp trên"),
    },
    "body_role": {
        "member": _l("Thành viên"),
        "head": _l("Người đứng đầu"),
        "deputy": _l("Cấp phó"),
    },
    "post": {
        "committee": _l("Ban Chấp hành"),
        "standing_committee": _l("Ban Thường vụ"),
        "secretary": _l("Bí thư"),
        "deputy_secretary": _l("Phó Bí thư"),
        "inspection_commission": _l("Ủy ban Kiểm tra"),
        "inspection_chair": _l("Chủ nhiệm Ủy ban Kiểm tra"),
        "inspection_deputy_chair": _l("Phó Chủ nhiệm Ủy ban Kiểm tra"),
        "official_delegates": _l("Đại biểu chính thức dự đại hội cấp trên"),
        "alternate_delegates": _l("Đại biểu dự khuyết dự đại hội cấp trên"),
    },
    "membership": {
        "official": _l("Đảng viên chính thức"),
        "probationary": _l("Đảng viên dự bị"),
        "attached": _l("Sinh hoạt tạm thời"),
    },
    "exclusion": {
        "status_not_recognised": _l("Không được công nhận tư cách đại biểu"),
        "temporary_activity_elsewhere": _l("Giới thiệu sinh hoạt tạm thời nơi khác"),
        "suspended": _l("Bị đình chỉ sinh hoạt"),
        "prosecuted": _l("Bị khởi tố, truy tố hoặc tạm giam"),
        "exempted_not_present": _l("Miễn sinh hoạt và không có mặt"),
        "absent_whole_congress_excused": _l("Vắng mặt cả đại hội có lý do"),
        "ex_officio_absent_whole_congress": _l("Đại biểu đương nhiên vắng mặt cả đại hội"),
        "delegate_absent_whole_congress": _l("Đại biểu vắng mặt cả đại hội, không có người thay"),
    },
    "blocker": {
        "not_draft": _l("Vòng bầu này không còn ở trạng thái dự thảo."),
        "no_ceremony": _l(
            "Ban kiểm phiếu chưa hoàn thành lễ tạo khóa: chưa có khóa chung để mã hóa lá phiếu."
        ),
        "other_round_open": _l("Đang có một vòng bầu khác mở: cần kết thúc vòng đó trước."),
        "earlier_rounds": _l("Vòng bầu trước của cuộc bầu này chưa được xác nhận hoặc hủy."),
        "no_candidates": _l("Vòng bầu chưa có người trong danh sách."),
        "counting_board_on_list": _l(
            "Ban kiểm phiếu có thành viên nằm trong danh sách bầu cử hoặc không phải đảng viên "
            "chính thức: cần thay trước khi bỏ phiếu (R-COUNT-1)."
        ),
        "no_base": _l(
            "Chưa tính được tổng số đại biểu (đảng viên) được triệu tập: chưa có ai trong "
            "danh sách hoặc chưa ghi nhận có mặt."
        ),
        "no_quorum": _l("Số người có mặt chưa đủ túc số theo quy định (R-QUORUM-1)."),
        "nobody_eligible": _l(
            "Chưa có người nào có mặt được cấp thẻ biểu quyết hợp lệ: chưa ai có thể bỏ phiếu."
        ),
    },
}

#: A sentence for each rule the services or the rules engine may name when refusing.
RULE_TEXT: Mapping[str, Any] = {
    "R-LIST-1": _l(
        "Số dư không đúng quy định: danh sách Ban Chấp hành, Ban Thường vụ phải nhiều hơn số "
        "lượng bầu, nhưng số dư không quá 30% (R-LIST-1)."
    ),
    "R-LIST-2": _l("Danh sách bầu cử trống hoặc có người xuất hiện hai lần (R-LIST-2)."),
    "R-LIST-3": _l(
        "Người do đại hội giới thiệu hoặc tự ứng cử phải được trên 30% người có mặt "
        "đồng ý qua phiếu xin ý kiến (R-LIST-3)."
    ),
    "R-LIST-4": _l("Người giới thiệu hoặc người được giới thiệu không đúng đối tượng (R-LIST-4)."),
    "R-LIST-5": _l(
        "Thành viên cấp ủy triệu tập không được giới thiệu hoặc ứng cử ngoài danh sách của "
        "cấp ủy (R-LIST-5)."
    ),
    "R-LIST-6": _l(
        "Có người không đủ điều kiện ứng cử: chỉ đảng viên chính thức, không bị đình chỉ "
        "sinh hoạt, khởi tố hay đang sinh hoạt tạm thời nơi khác (R-LIST-6)."
    ),
    "R-LIST-7": _l("Người không phải đại biểu ứng cử phải có hồ sơ ứng cử (R-LIST-7)."),
    "R-LIST-9": _l("Số người trong danh sách ít hơn số lượng bầu (R-LIST-9)."),
    "R-LIST-10": _l(
        "Hai người trùng họ tên và không có thông tin phân biệt trên phiếu bầu (R-LIST-10)."
    ),
    "R-DIRECT-2": _l(
        "Có người không thuộc cơ quan mà chức danh này được bầu từ đó, hoặc cơ quan đó chưa "
        "được bầu (R-DIRECT-2)."
    ),
    "R-QUORUM-1": _l("Số người có mặt chưa đủ túc số theo quy định (R-QUORUM-1)."),
    "R-COUNT-1": _l(
        "Thành viên ban kiểm phiếu không được có tên trong danh sách bầu cử và phải là đảng "
        "viên chính thức (R-COUNT-1)."
    ),
    "R-COUNT-3": _l("Số phiếu không khớp: phải tổ chức bỏ phiếu lại (R-COUNT-3)."),
    "R-FORM-2": _l("Đại hội chưa biểu quyết đồng ý bầu tiếp (R-FORM-2)."),
    "R-RESULT-7": _l("Không thể tổ chức vòng bầu lại những người bằng phiếu (R-RESULT-7)."),
    "R-RESULT-8": _l("Không thể tổ chức vòng bầu tiếp (R-RESULT-8)."),
}


def label(kind: str, value: Any) -> str:
    """The word for ``value`` (an enum or its string value) of ``kind``; the raw value if
    none is known, so a new code shows up instead of vanishing."""
    key = getattr(value, "value", value)
    text = LABELS.get(kind, {}).get(str(key))
    return str(text) if text is not None else str(key)


def describe_error(error: DomainError) -> str:
    """A Vietnamese (or English) sentence for a service's refusal.

    Known rules get their own sentence; otherwise the error's class decides the sentence
    and the service's own words follow as a technical detail, so the operator can still
    report exactly what happened.
    """
    if isinstance(error, RuleViolation):
        text = RULE_TEXT.get(error.rule_id)
        if text is not None:
            return str(text)
        return _(
            "Vi phạm quy định bầu cử (%(rule)s). Chi tiết: %(detail)s",
            rule=error.rule_id or "?",
            detail=str(error),
        )
    if isinstance(error, IllegalTransition):
        return _(
            "Không thể chuyển vòng bầu từ “%(current)s” sang “%(target)s”.",
            current=label("round_state", error.current),
            target=label("round_state", error.target),
        )
    if isinstance(error, PermissionDenied):
        return _("Tài khoản của bạn không có vai trò được phép làm việc này.")
    if isinstance(error, NotFound):
        return _("Không tìm thấy đối tượng được yêu cầu. Chi tiết: %(detail)s", detail=str(error))
    if isinstance(error, Conflict):
        return _("Đã có bản ghi trùng. Chi tiết: %(detail)s", detail=str(error))
    if isinstance(error, ReleaseNeedsDecision):
        return _(
            "Chưa công bố: chỉ có %(cast)s phiếu được bỏ, ít hơn %(minimum)s. Với số phiếu ít "
            "như vậy, kết quả có thể cho biết từng người đã bầu thế nào; hãy ghi quyết định "
            "công bố và lý do rồi công bố lại.",
            cast=format_number(error.cast),
            minimum=format_number(error.minimum),
        )
    if isinstance(error, InvalidState):
        return _(
            "Không thể thực hiện ở trạng thái hiện tại. Chi tiết: %(detail)s", detail=str(error)
        )
    if isinstance(error, InvalidInput):
        return _("Dữ liệu không hợp lệ. Chi tiết: %(detail)s", detail=str(error))
    return _("Không thể thực hiện thao tác. Chi tiết: %(detail)s", detail=str(error))


def init_app(app: Flask) -> None:
    """Expose ``label`` to templates."""
    app.add_template_global(label, "label")

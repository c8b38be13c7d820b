"""The inspection commission's words: codes of the services turned into sentences.

Each is a ``lazy_gettext`` message with a Vietnamese msgid (docs/i18n.md). The event log's
problems repeat the Vietnamese of ``election.services.checkpoints.VIETNAMESE`` (what
``dhvote verify-log`` prints) so that the English catalogue can translate them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from election.services.checkpoints import LogProblem, LogReport
from election.services.inspection import REASONS

__all__ = [
    "AUDIT_STATES",
    "CATEGORIES",
    "SPOT_CHECK_OUTCOMES",
    "STATUSES",
    "describe_log",
    "describe_problem",
    "reason_text",
]

CATEGORIES: Mapping[str, Any] = {
    "vetting": _l("Thẩm tra, xác minh nhân sự"),
    "complaint": _l("Khiếu nại"),
    "denunciation": _l("Tố cáo"),
    "petition": _l("Kiến nghị, phản ánh"),
}

STATUSES: Mapping[str, Any] = {
    "received": _l("Đã tiếp nhận"),
    "not_handled": _l("Không xem xét, giải quyết"),
    "under_review": _l("Đang xem xét, xác minh"),
    "concluded": _l("Đã kết luận"),
    "referred": _l("Đã báo cáo cấp ủy cấp trên"),
}

REASON_TEXT: Mapping[str, Any] = {
    "anonymous": _l("Đơn nặc danh"),
    "false_name": _l("Đơn mạo tên, không rõ địa chỉ"),
    "jointly_signed": _l("Đơn có từ hai người trở lên cùng ký tên"),
    "repeated": _l("Đơn gửi lại nội dung đã được kết luận, không có tình tiết mới"),
    "outside_remit": _l("Không thuộc thẩm quyền giải quyết của Ủy ban Kiểm tra"),
    "out_of_time": _l("Quá thời hạn nhận khiếu nại về bầu cử sau đại hội"),
    "after_cutoff": _l(
        "Nhận sau thời điểm dừng xem xét trước đại hội (R-INSP-3): chuyển xem xét sau đại hội"
    ),
}

AUDIT_STATES: Mapping[str, Any] = {
    "no_record": _l("Chưa có kết quả, chưa có hồ sơ"),
    "not_verified": _l("Chưa kiểm tra"),
    "running": _l("Đang kiểm tra"),
    "interrupted": _l("Bị gián đoạn"),
    "passed": _l("Đạt"),
    "failed": _l("Không đạt"),
    "error": _l("Không kiểm tra được"),
}

#: Outcomes of a sampled delegate in a spot-check drill (``services.spot_check``).
SPOT_CHECK_OUTCOMES: Mapping[str, Any] = {
    "confirmed": _l("Khớp"),
    "mismatch": _l("Không khớp"),
    "not_reached": _l("Không gặp được đại biểu"),
}

_PROBLEMS: Mapping[str, Any] = {
    "gap": _l("Mục %(seq)s bị xóa: nhật ký nhảy từ mục %(before)s sang mục %(after)s."),
    "broken": _l(
        "Chuỗi băm đứt tại mục %(seq)s: mục %(seq)s trỏ tới một mục không còn trong nhật ký — "
        "mục đứng trước nó đã bị xóa hoặc bị sửa."
    ),
    "reordered": _l(
        "Thứ tự nhật ký bị đảo tại mục %(seq)s: mục này trỏ tới mục đang ở vị trí %(points_to)s."
    ),
    "altered": _l("Mục %(seq)s bị sửa: nội dung không khớp với mã băm đã ghi."),
    "unreadable": _l("Mục %(seq)s bị sửa: dữ liệu không đọc được."),
    "bad_seq": _l("Có một dòng mang số thứ tự không hợp lệ (%(seq)s): nhật ký bị sửa."),
    "forged_checkpoint": _l(
        "Điểm kiểm soát tại mục %(seq)s bị giả mạo: chữ ký không hợp lệ với khóa của máy chủ."
    ),
    "rewritten": _l(
        "Nhật ký bị viết lại: điểm kiểm soát đã ký tại mục %(seq)s không khớp — một mục từ "
        "%(since)s đến %(seq)s đã bị sửa, xóa hoặc chèn và chuỗi băm được tính lại."
    ),
    "missing_checkpoint": _l(
        "Thiếu điểm kiểm soát tại mục %(seq)s (cứ %(interval)s mục có một): điểm kiểm soát bị "
        "xóa hoặc nhật ký bị viết lại từ đó."
    ),
    "truncated": _l(
        "Nhật ký bị cắt: có điểm kiểm soát đã ký tại mục %(signed)s nhưng nhật ký chỉ còn đến "
        "mục %(last)s — các mục từ %(seq)s đến %(signed)s bị xóa."
    ),
    "bad_checkpoint": _l(
        "Một điểm kiểm soát (dòng %(row)s của bảng) không đọc được: bảng điểm kiểm soát bị sửa."
    ),
}


def reason_text(code: str) -> str:
    """A not-handled reason with its rule, e.g. "Đơn nặc danh (R-INSP-2)"."""
    rule = REASONS.get(code, ("?", ""))[0]
    words = REASON_TEXT.get(code, code)
    return f"{words} ({rule})"


def describe_problem(problem: LogProblem) -> str:
    template = _PROBLEMS.get(problem.code)
    if template is None:
        return str(problem)
    return str(template) % {"seq": problem.seq, **problem.params}


def describe_log(report: LogReport) -> str:
    """One sentence for the whole log: its first problem, or that it verifies."""
    if report.problem is not None:
        return describe_problem(report.problem)
    if report.last_checkpoint:
        return _(
            "Nhật ký hợp lệ: %(entries)s mục, chuỗi băm liền mạch, %(checkpoints)s điểm kiểm "
            "soát có chữ ký hợp lệ (điểm cuối tại mục %(last)s).",
            entries=report.entries,
            checkpoints=report.checkpoints,
            last=report.last_checkpoint,
        )
    return _(
        "Nhật ký hợp lệ: %(entries)s mục, chuỗi băm liền mạch; chưa có điểm kiểm soát nào.",
        entries=report.entries,
    )

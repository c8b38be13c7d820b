"""Forms of the inspection commission's pages (Flask-WTF: every form carries a CSRF token).

Choices that depend on the congress (its roster, its earlier cases) are filled in by the
view before validation.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

__all__ = [
    "ActionForm",
    "CaseForm",
    "CloseCaseForm",
    "ProceedForm",
    "SpotCheckForm",
    "SpotCheckOutcomeForm",
]


class ActionForm(FlaskForm):
    """A button that changes something: only its CSRF token is checked."""

    submit = SubmitField(_l("Thực hiện"))


class CaseForm(FlaskForm):
    """A new case in the register, with the facts R-INSP-1/2/4 decide on."""

    category = SelectField(_l("Loại việc"), validators=[InputRequired()])
    subject = TextAreaField(_l("Nội dung (tóm tắt)"), validators=[DataRequired(), Length(max=4000)])
    member = SelectField(_l("Người bị khiếu nại, tố cáo hoặc được thẩm tra"), coerce=int, default=0)
    received_on = DateField(_l("Ngày nhận đơn"), validators=[Optional()])
    signers = IntegerField(
        _l("Số người ký tên"),
        default=1,
        validators=[InputRequired(), NumberRange(min=0, max=10_000)],
    )
    anonymous = BooleanField(_l("Đơn nặc danh"))
    false_name = BooleanField(_l("Đơn mạo tên, không rõ địa chỉ"))
    repeat_of = SelectField(_l("Gửi lại nội dung của đơn trước"), coerce=int, default=0)
    new_evidence = BooleanField(_l("Có tình tiết, chứng cứ mới"))
    outside_remit = BooleanField(_l("Không thuộc thẩm quyền của Ủy ban Kiểm tra"))
    about_election = BooleanField(_l("Khiếu nại về bầu cử (sau đại hội)"))
    closed_on = DateField(
        _l("Ngày bế mạc đại hội (để trống: theo phiên họp cuối)"), validators=[Optional()]
    )
    submit = SubmitField(_l("Ghi vào sổ"))


class CloseCaseForm(FlaskForm):
    status = SelectField(_l("Kết thúc"), validators=[InputRequired()])
    outcome = TextAreaField(
        _l("Kết luận hoặc nội dung báo cáo"), validators=[DataRequired(), Length(max=4000)]
    )
    submit = SubmitField(_l("Ghi kết luận"))


class ProceedForm(FlaskForm):
    reason = TextAreaField(
        _l("Lý do Đoàn Chủ tịch quyết định tiếp tục"),
        validators=[DataRequired(), Length(max=2000)],
    )
    submit = SubmitField(_l("Ghi quyết định tiếp tục"))


class SpotCheckForm(FlaskForm):
    """A random spot-check drill (ATTACKS.md T-4.e): how many delegates to draw. The upper
    bound, the ballots on the board, is the service's to check."""

    size = IntegerField(
        _l("Số đại biểu chọn ngẫu nhiên"),
        default=5,
        validators=[InputRequired(), NumberRange(min=1, max=100_000)],
    )
    submit = SubmitField(_l("Chọn ngẫu nhiên"))


class SpotCheckOutcomeForm(FlaskForm):
    """What one sampled delegate's own receipt and badge showed. Choices are set by the
    view (``texts.SPOT_CHECK_OUTCOMES``)."""

    outcome = RadioField(_l("Kết quả đối chiếu"), validators=[InputRequired()])
    note = TextAreaField(_l("Ghi chú (không bắt buộc)"), validators=[Optional(), Length(max=1000)])
    submit = SubmitField(_l("Ghi kết quả"))

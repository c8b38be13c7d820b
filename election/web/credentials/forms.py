"""Forms of the credentials board's pages (Flask-WTF: each carries a CSRF token).

The badge itself has no form: the desk's script generates the code in the browser and
posts only the public key as JSON (``views.api_register``), with the CSRF token in the
``X-CSRFToken`` header.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

__all__ = [
    "ReplacementForm",
    "AdoptReportForm",
    "ApprovalForm",
    "AttendanceForm",
    "RecognisePendingForm",
    "ReviewForm",
    "RevokeForm",
    "ReviewFilterForm",
]

_REASON_MAX = 2000


class ReviewFilterForm(FlaskForm):
    """The filters above the review list (a GET form: no CSRF token needed)."""

    class Meta:
        csrf = False

    q = StringField(_l("Tìm theo tên hoặc mã"), validators=[Optional(), Length(max=100)])
    cell = SelectField(_l("Chi bộ"), choices=[], validate_choice=False)
    status = SelectField(_l("Tình trạng thẩm tra"), choices=[], validate_choice=False)


class ReviewForm(FlaskForm):
    """Recognise a person, or not with a reason. The list's filters ride along as hidden
    fields so that the page comes back as it was."""

    recognised = HiddenField(validators=[DataRequired()])
    reason = TextAreaField(_l("Lý do không công nhận"), validators=[Length(max=_REASON_MAX)])
    q = HiddenField()
    cell = HiddenField()
    status = HiddenField()

    def validate(self, extra_validators: Any = None) -> bool:
        if not super().validate(extra_validators):
            return False
        if self.recognised.data not in ("1", "0"):
            self.recognised.errors = [_l("Quyết định không hợp lệ.")]
            return False
        if self.recognised.data == "0" and not (self.reason.data or "").strip():
            self.reason.errors = [_l("Cần ghi lý do không công nhận.")]
            return False
        return True


class RecognisePendingForm(FlaskForm):
    """Recognise everyone not yet reviewed (in one party cell, if the list is filtered)."""

    cell = HiddenField()
    submit = SubmitField(_l("Công nhận tất cả người chưa thẩm tra"))


class AttendanceForm(FlaskForm):
    """Check a person in at a session, or record them absent with a reason."""

    member_id = IntegerField(validators=[InputRequired(), NumberRange(min=1)])
    session = IntegerField(validators=[InputRequired(), NumberRange(min=1)])
    present = HiddenField(validators=[DataRequired()])
    reason = TextAreaField(_l("Lý do vắng mặt"), validators=[Length(max=_REASON_MAX)])

    def validate(self, extra_validators: Any = None) -> bool:
        if not super().validate(extra_validators):
            return False
        if self.present.data not in ("1", "0"):
            self.present.errors = [_l("Quyết định không hợp lệ.")]
            return False
        if self.present.data == "0" and not (self.reason.data or "").strip():
            self.reason.errors = [_l("Cần ghi lý do vắng mặt.")]
            return False
        return True


class RevokeForm(FlaskForm):
    """Revoke a badge (lost, damaged, person no longer recognised) with a reason."""

    session = HiddenField()
    reason = TextAreaField(
        _l("Lý do thu hồi"), validators=[DataRequired(), Length(max=_REASON_MAX)]
    )
    submit = SubmitField(_l("Thu hồi thẻ"))


class AdoptReportForm(FlaskForm):
    """The credentials board adopts the report with its conclusion."""

    session = HiddenField(validators=[DataRequired()])
    conclusion = TextAreaField(
        _l("Kết luận của Ban Thẩm tra tư cách"),
        validators=[DataRequired(), Length(max=10_000)],
    )
    submit = SubmitField(_l("Thông qua báo cáo trong Ban"))


class ApprovalForm(FlaskForm):
    """The result of the congress's open vote on the report (counts only, R-FORM-2)."""

    present = IntegerField(
        _l("Số người có mặt khi biểu quyết"), validators=[InputRequired(), NumberRange(min=1)]
    )
    agree = IntegerField(_l("Tán thành"), validators=[InputRequired(), NumberRange(min=0)])
    disagree = IntegerField(_l("Không tán thành"), validators=[InputRequired(), NumberRange(min=0)])
    abstain = IntegerField(_l("Không biểu quyết"), validators=[InputRequired(), NumberRange(min=0)])
    submit = SubmitField(_l("Ghi nhận kết quả biểu quyết"))


class ReplacementForm(FlaskForm):
    """An alternate seated in place of an absent official delegate (R-DELEG-1, R-HIGHER-4);
    the choices are filled in by the view."""

    official = SelectField(
        _l("Đại biểu chính thức vắng mặt"), coerce=int, validators=[InputRequired()]
    )
    alternate = SelectField(
        _l("Đại biểu dự khuyết thay thế"), coerce=int, validators=[InputRequired()]
    )
    decision = TextAreaField(
        _l("Quyết định (cơ quan, số, ngày) và lý do"),
        validators=[DataRequired(), Length(max=1000)],
    )
    submit = SubmitField(_l("Ghi việc thay thế"))

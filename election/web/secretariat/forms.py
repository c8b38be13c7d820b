"""Forms of the secretariat's pages (Flask-WTF: every form carries a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired, FileSize
from wtforms import HiddenField, SelectField, SelectMultipleField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length

__all__ = ["ROSTER_MAX_BYTES", "BuildListForm", "NominateForm", "RosterConfirmForm", "RosterForm"]

#: The largest roster file accepted: two thousand delegates fit in a few hundred kilobytes.
ROSTER_MAX_BYTES = 2 * 1024 * 1024


class RosterForm(FlaskForm):
    """Upload a roster file; nothing is saved until the preview is confirmed."""

    file = FileField(
        _l("Tệp danh sách (.csv hoặc .xlsx)"),
        validators=[
            FileRequired(_l("Chọn một tệp danh sách.")),
            FileAllowed(["csv", "xlsx"], _l("Chỉ nhận tệp .csv hoặc .xlsx.")),
            FileSize(
                max_size=ROSTER_MAX_BYTES,
                message=_l("Tệp lớn hơn giới hạn %(size)s MB.", size=ROSTER_MAX_BYTES // 2**20),
            ),
        ],
    )
    submit = SubmitField(_l("Xem trước"))


class RosterConfirmForm(FlaskForm):
    """Confirm a previewed roster: the signed token carries the very bytes that were shown."""

    token = HiddenField(validators=[DataRequired(), Length(max=8 * ROSTER_MAX_BYTES)])
    submit = SubmitField(_l("Xác nhận nhập danh sách"))


class NominateForm(FlaskForm):
    """Put roster members on the convening committee's list for one contest."""

    members = SelectMultipleField(_l("Người được giới thiệu thêm"), coerce=int)
    submit = SubmitField(_l("Đưa vào danh sách của cấp ủy"))


class BuildListForm(FlaskForm):
    """Check the list and store it, in ballot order, as the draft of the first round."""

    sitting = SelectField(_l("Phiên bầu cử"), coerce=int, validators=[InputRequired()])
    submit = SubmitField(_l("Lập danh sách bầu cử (vòng 1)"))

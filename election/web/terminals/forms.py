"""The terminal enrolment form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

__all__ = ["EnrolForm"]


class EnrolForm(FlaskForm):
    name = StringField(_l("Tên máy (ví dụ: Buồng 3)"), validators=[DataRequired(), Length(max=64)])
    submit = SubmitField(_l("Ghi danh máy bỏ phiếu"))

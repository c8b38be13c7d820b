"""Forms of the counting board's pages (Flask-WTF: every form carries a CSRF token).

The ceremony's start form has one account choice per counting-board member; the view adds
those fields before validation, since the board's size is the congress's. Everything a
member's device computes (keys, shares, signatures) travels as JSON through the API, not
through these forms.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

__all__ = ["ActionForm", "AnnounceForm", "CancelForm", "StartCeremonyForm", "seat_field"]


class ActionForm(FlaskForm):
    """A button that posts (tally, announce): the CSRF token only."""


class AnnounceForm(FlaskForm):
    """Announce a result; ``reason`` is the small-group release decision (ATTACKS.md T-9.c),
    asked for only when fewer ballots than ``SMALL_GROUP_MIN_BALLOTS`` were cast."""

    reason = TextAreaField(
        _l("Quyết định công bố và lý do"), validators=[Optional(), Length(max=500)]
    )


class CancelForm(FlaskForm):
    reason = StringField(_l("Lý do dừng lễ tạo khóa"), validators=[DataRequired(), Length(max=500)])
    submit = SubmitField(_l("Dừng lễ tạo khóa"))


class StartCeremonyForm(FlaskForm):
    """The threshold; the seats (``seat_<member id>``) are added by ``seat_field``."""

    threshold = IntegerField(
        _l("Số thành viên tối thiểu để giải mã (ngưỡng t)"),
        validators=[Optional(), NumberRange(min=1, max=64)],
    )
    submit = SubmitField(_l("Bắt đầu lễ tạo khóa"))


def seat_field(label: str) -> SelectField:
    """One member's seat: the account they will work from, or "not taking part"."""
    return SelectField(label, coerce=int, validators=[InputRequired()])

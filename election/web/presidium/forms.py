"""Forms of the presidium's console (Flask-WTF: every form carries a CSRF token).

The counts of an open vote are typed by the presidium as the hands are counted; the
majority base N is never typed: the service takes it from the attendance record. Choices
that depend on the congress (its sittings, contests, nominations) are filled in by the
view before validation.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError

from election.models import Matter, Motion

__all__ = [
    "ActionForm",
    "AnnulForm",
    "ContestVoteForm",
    "FurtherRoundForm",
    "NominationForm",
    "OpenVoteForm",
    "OpinionForm",
    "WithdrawalForm",
]

#: The matters the console puts to an open vote without a contest of their own. The
#: credentials report is voted on from the credentials board's report page, which also
#: records that the report was adopted.
GENERAL_MATTERS = (Matter.CONGRESS_ORGANS, Matter.PROCEDURE)
#: The matters put to an open vote about one contest.
CONTEST_MATTERS = (Matter.NUMBER_OF_SEATS, Matter.CANDIDATE_LIST)

_COUNT = [InputRequired(), NumberRange(min=0, max=100_000)]


class _Counts(FlaskForm):
    """The sitting and the counts of one show of hands."""

    sitting = SelectField(_l("Phiên họp"), coerce=int, validators=[InputRequired()])
    question = TextAreaField(
        _l("Nội dung biểu quyết"), validators=[DataRequired(), Length(max=1000)]
    )
    present = IntegerField(
        _l("Số người có mặt biểu quyết"),
        validators=[InputRequired(), NumberRange(min=1, max=100_000)],
    )
    agree = IntegerField(_l("Tán thành"), validators=_COUNT)
    disagree = IntegerField(_l("Không tán thành"), validators=_COUNT)
    abstain = IntegerField(_l("Không biểu quyết"), validators=_COUNT)

    def validate_abstain(self, field: Any) -> None:
        counts = (self.agree.data, self.disagree.data, field.data)
        if None in counts or self.present.data is None:
            return
        if sum(counts) > self.present.data:
            raise ValidationError(
                _l("Tổng số tán thành, không tán thành và không biểu quyết vượt quá số có mặt.")
            )


class OpenVoteForm(_Counts):
    """An open vote on a matter of the whole congress (organs, credentials, procedure)."""

    subject = SelectField(
        _l("Vấn đề biểu quyết"),
        choices=[SelectChoice(m.value) for m in GENERAL_MATTERS],
        validators=[InputRequired()],
    )
    submit = SubmitField(_l("Ghi kết quả biểu quyết"))


class ContestVoteForm(_Counts):
    """An open vote on a contest: its number of seats or its candidate list."""

    subject = SelectField(
        _l("Vấn đề biểu quyết"),
        choices=[SelectChoice(m.value) for m in CONTEST_MATTERS],
        validators=[InputRequired()],
    )
    submit = SubmitField(_l("Ghi kết quả biểu quyết"))


class WithdrawalForm(_Counts):
    """A nominee's request to leave the list and the congress's vote on it (R-LIST-8)."""

    nomination = SelectField(_l("Người xin rút"), coerce=int, validators=[InputRequired()])
    reason = TextAreaField(_l("Lý do xin rút"), validators=[DataRequired(), Length(max=1000)])
    submit = SubmitField(_l("Ghi biểu quyết cho rút"))


class FurtherRoundForm(_Counts):
    """The procedural vote after a round: vote again (with or without new names) or stop."""

    motion = SelectField(
        _l("Đề nghị"), choices=[SelectChoice(m.value) for m in Motion], validators=[InputRequired()]
    )
    submit = SubmitField(_l("Ghi biểu quyết"))


class NominationForm(FlaskForm):
    """A name put forward at the congress: from the floor, or by the person themself
    (R-LIST-3). The member and nominator choices are the congress's roster; nominator 0
    means none (a self-nomination)."""

    member = SelectField(_l("Người được giới thiệu"), coerce=int, validators=[InputRequired()])
    source = SelectField(
        _l("Hình thức"),
        choices=[
            SelectChoice("floor", _l("Đại hội giới thiệu")),
            SelectChoice("self", _l("Tự ứng cử")),
        ],
        validators=[InputRequired()],
    )
    nominator = SelectField(
        _l("Người giới thiệu (khi đại hội giới thiệu)"), coerce=int, validators=[InputRequired()]
    )
    submit = SubmitField(_l("Ghi người được giới thiệu"))

    def validate_nominator(self, field: Any) -> None:
        if self.source.data == "floor" and not field.data:
            raise ValidationError(_l("Người được đại hội giới thiệu cần có người giới thiệu."))
        if self.source.data == "self" and field.data:
            raise ValidationError(_l("Người tự ứng cử không có người giới thiệu."))


class OpinionForm(FlaskForm):
    """The opinion ballot on a floor or self nominee (R-LIST-3): how many of those attending
    agreed to put the name on the list."""

    nomination = SelectField(_l("Người được lấy ý kiến"), coerce=int, validators=[InputRequired()])
    attending = IntegerField(
        _l("Số đại biểu dự (phát ra phiếu xin ý kiến)"),
        validators=[InputRequired(), NumberRange(min=1, max=100_000)],
    )
    agree = IntegerField(
        _l("Số phiếu đồng ý đưa vào danh sách"),
        validators=[InputRequired(), NumberRange(min=0, max=100_000)],
    )
    submit = SubmitField(_l("Ghi kết quả phiếu xin ý kiến"))

    def validate_agree(self, field: Any) -> None:
        if self.attending.data is not None and field.data is not None:
            if field.data > self.attending.data:
                raise ValidationError(_l("Số phiếu đồng ý không thể lớn hơn số đại biểu dự."))


class AnnulForm(FlaskForm):
    """Annul a round, with the reason written into the record (R-COUNT-3, R-INSP-4)."""

    reason = StringField(_l("Lý do hủy"), validators=[DataRequired(), Length(max=500)])
    submit = SubmitField(_l("Hủy vòng bầu"))


class ActionForm(FlaskForm):
    """A button that changes state: nothing but the CSRF token."""


class ReissueDecisionForm(FlaskForm):
    """The presidium's decision that the credentials board may re-issue one delegate's
    badge while a round is open (ATTACKS.md T-17.b). The choices are the members holding an
    active badge."""

    member = SelectField(_l("Đại biểu cần cấp lại thẻ"), coerce=int, validators=[InputRequired()])
    reason = StringField(
        _l("Lý do (ghi vào nhật ký)"), validators=[DataRequired(), Length(max=500)]
    )
    submit = SubmitField(_l("Cho phép cấp lại thẻ"))

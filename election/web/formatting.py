"""Numbers, dates, percentages and hashes as the reader of each language writes them.

Vietnamese is the first language (docs/i18n.md): ``1.234.567`` with a dot between
thousands and a decimal comma, dates as ``28/11/2026 14:05`` in the congress's time zone
(``BABEL_DEFAULT_TIMEZONE``, Asia/Ho_Chi_Minh). English (``?lang=en``) gets ``1,234,567``,
a decimal point and ``28 Nov 2026, 14:05``. Percentages of the majority base N come from
the rules engine (``format_percent_vi`` / ``format_percent_en``, R-RESULT-9) so that the
screens show exactly what the minutes print, rounding included.

The grouping is written here rather than taken from Babel's locale data: a projector in
the hall and the printed minutes must agree to the character, and CLDR's data changes
between Babel releases (its Vietnamese patterns did).

``init_app`` registers every function as a Jinja filter of the same name; the JSON views
call them directly, so the hall screen's script only sets text it is given.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from flask import Flask
from flask_babel import get_locale, to_user_timezone

from election import rules

__all__ = [
    "format_date",
    "format_datetime",
    "format_hash",
    "format_number",
    "format_percent",
    "format_roman",
    "format_time",
    "init_app",
    "is_english",
]

_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def is_english() -> bool:
    """Whether the current request reads English; anything else reads Vietnamese."""
    locale = get_locale()
    return locale is not None and locale.language == "en"


def _marks() -> tuple[str, str]:
    """(thousands separator, decimal mark) of the current language."""
    return (",", ".") if is_english() else (".", ",")


def format_number(
    value: int | float | Decimal | Fraction | None, decimals: int = 0, trim: bool = False
) -> str:
    """``1234567`` → ``"1.234.567"`` (Vietnamese) or ``"1,234,567"`` (English).

    ``decimals`` digits are kept after the mark, rounded half up (``trim`` drops trailing
    zeros: 0,50 → 0,5); ``None`` renders as an em dash so that a missing count never looks
    like zero.
    """
    if value is None:
        return "—"
    if isinstance(value, bool):
        raise TypeError("a boolean is not a number to display")
    if isinstance(value, Fraction):
        exact = Decimal(value.numerator) / Decimal(value.denominator)
    else:
        exact = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    quantum = Decimal(1).scaleb(-decimals)
    rounded = exact.quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    whole, _, frac = f"{abs(rounded):f}".partition(".")
    group, mark = _marks()
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = sign + group.join(groups)
    if trim:
        frac = frac.rstrip("0")
    return f"{text}{mark}{frac}" if frac else text


def _local(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("naive datetime: the database returns aware UTC times")
    local: datetime = to_user_timezone(value)
    return local


def format_datetime(value: datetime | None) -> str:
    """``"28/11/2026 14:05"`` (Vietnamese) or ``"28 Nov 2026, 14:05"`` (English), local time."""
    if value is None:
        return "—"
    local = _local(value)
    if is_english():
        return f"{local.day} {_MONTHS_EN[local.month - 1]} {local.year}, {local:%H:%M}"
    return f"{local:%d/%m/%Y %H:%M}"


def format_date(value: date | datetime | None) -> str:
    """``"28/11/2026"`` or ``"28 Nov 2026"``; a datetime is first moved to local time."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = _local(value)
    if is_english():
        return f"{value.day} {_MONTHS_EN[value.month - 1]} {value.year}"
    return f"{value:%d/%m/%Y}"


def format_time(value: datetime | None, seconds: bool = False) -> str:
    """``"14:05"`` (or ``"14:05:09"``) in local time; both languages use the 24-hour clock."""
    if value is None:
        return "—"
    return f"{_local(value):%H:%M:%S}" if seconds else f"{_local(value):%H:%M}"


def format_percent(votes: int, base: int, display: rules.PercentDisplay | None = None) -> str:
    """``votes`` as a percentage of the majority base ``base`` (R-RESULT-9): ``"92,68%"``.

    The rules engine renders it, with the congress profile's display rule (truncation to
    two decimals unless the congress set otherwise), so the screen matches the minutes.
    """
    display = display or rules.PercentDisplay()
    if is_english():
        return rules.format_percent_en(votes, base, display)
    return rules.format_percent_vi(votes, base, display)


def format_hash(value: bytes | str | None, groups: int = 4, size: int = 4) -> str:
    """The first ``groups`` x ``size`` hex digits of a hash, grouped: ``"3f2a 9c1b 77d0 e412"``.

    Short enough to read aloud from the back of the hall, long enough that two boards
    which differ would be noticed; the full value is on the public board.
    """
    if value is None:
        return "—"
    text = value.hex() if isinstance(value, bytes) else value.lower()
    text = text[: groups * size]
    return " ".join(text[i : i + size] for i in range(0, len(text), size))


_ROMAN = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


def format_roman(value: int) -> str:
    """A congress's ordinal as Party documents write it: 13 → ``"XIII"`` (lần thứ XIII)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 4000:
        return str(value)
    out = []
    for amount, numeral in _ROMAN:
        count, value = divmod(value, amount)
        out.append(numeral * count)
    return "".join(out)


def init_app(app: Flask) -> None:
    """Register the formatters as Jinja filters (``{{ n|number }}``, ``{{ t|datetime }}``...)."""
    app.add_template_filter(format_number, "number")
    app.add_template_filter(format_datetime, "datetime")
    app.add_template_filter(format_date, "date")
    app.add_template_filter(format_time, "time")
    app.add_template_filter(format_percent, "percent")
    app.add_template_filter(format_hash, "hash_short")
    app.add_template_filter(format_roman, "roman")

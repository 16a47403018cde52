"""Jinja filters and globals shared by every screen."""

from __future__ import annotations

from datetime import date

from babel.dates import format_skeleton
from flask import Flask
from flask_babel import format_datetime, format_decimal, get_locale

from yks_web import clock, qr
from yks_web.i18n import DEFAULT_LOCALE, gettext
from yks_web.i18n_setup import current_language
from yks_web.models.people import ID_TYPES
from yks_web.privacy import mask_id, mask_name, mask_phone
from yks_web.template_format import format_filter


def month_day(day: date) -> str:
    """3月21日, as the guide's tabs and buttons write a date; in another language its own month and day
    ("Nov 21", 11月21日), issue 15."""
    if current_language() == DEFAULT_LOCALE:
        return f"{day.month}月{day.day}日"  # i18n: data (the guide's format, the msgid language's own)
    return format_skeleton("MMMd", day, locale=get_locale())


def yes_no(value: bool | None) -> str:
    return "" if value is None else (gettext("是") if value else gettext("否"))


def local_time(moment) -> str:
    """A naive-UTC database timestamp shown in Shanghai time: 2026-11-20 09:00:00 as always in 简体中文, the
    locale's medium format in the others (Flask-Babel's clock is BABEL_DEFAULT_TIMEZONE, Asia/Shanghai)."""
    if moment is None:
        return ""
    if current_language() != DEFAULT_LOCALE:
        return format_datetime(moment, "medium")
    return _shanghai(moment).strftime("%Y-%m-%d %H:%M:%S")


def _shanghai(moment):
    from zoneinfo import ZoneInfo

    return moment.replace(tzinfo=ZoneInfo("UTC")).astimezone(clock.TZ)


def local_minute(moment) -> str:
    """local_time to the minute: 2026-11-20 09:00 in 简体中文 (what `(t | local_time)[:16]` showed), the locale's
    date and the 24-hour time in the others (Nov 20, 2026 09:00; 2026年11月20日 09:00)."""
    if moment is None:
        return ""
    if current_language() == DEFAULT_LOCALE:
        return local_time(moment)[:16]
    shanghai = _shanghai(moment)
    return f"{format_skeleton('yMMMd', shanghai, locale=get_locale())} {shanghai:%H:%M}"


def local_date(moment) -> str:
    """The Shanghai day of a timestamp: 2026-11-20 in 简体中文, the locale's medium date in the others."""
    if moment is None:
        return ""
    if current_language() == DEFAULT_LOCALE:
        return local_time(moment)[:10]
    return format_skeleton("yMMMd", _shanghai(moment), locale=get_locale())


def temperature(value) -> str:
    """36.5℃: the number as the reader's language writes it (format_decimal), one decimal."""
    if current_language() == DEFAULT_LOCALE:
        return f"{value}℃"
    return format_decimal(value, "0.0") + "℃"


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        mask_id=mask_id, mask_name=mask_name, mask_phone=mask_phone, md=month_day, yesno=yes_no, local_time=local_time,
        local_minute=local_minute, local_date=local_date, temperature=temperature,
        format=format_filter,  # Jinja's, cheaper per row for a translated pattern (template_format.py)
    )
    # qr_data_uri(link): a small QR as a data: image, drawn once per link (entry codes, a member's bind link)
    app.jinja_env.globals.update(ID_TYPES=ID_TYPES, qr_data_uri=qr.png_data_uri)

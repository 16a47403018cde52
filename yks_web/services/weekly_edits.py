"""修改信息 at most once per natural week (Monday–Sunday, Asia/Shanghai): 公共场所 FAQ 6, 组织机构 FAQ (三) 2."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date
from flask_babel import get_locale

from yks_web.clock import TZ
from yks_web.i18n import DEFAULT_LOCALE, LANGUAGES, gettext

_UTC = ZoneInfo("UTC")


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def next_edit_day(edited_at_utc: datetime | None, local_now: datetime) -> date | None:
    """None when an edit is allowed now; else the Monday it opens again (edited_at is naive UTC)."""
    if edited_at_utc is None:
        return None
    edited_local = edited_at_utc.replace(tzinfo=_UTC).astimezone(TZ).date()
    this_week = week_start(local_now.astimezone(TZ).date())
    if edited_local < this_week:
        return None
    return week_start(edited_local) + timedelta(days=7)


def refusal(opens: date) -> str:
    """The refusal in the reader's language, the date as the guide writes it (2026年11月23日) or in that language's
    long form (November 23, 2026)."""
    return gettext("每周仅可修改一次，下周一（%(day)s）起可再次修改", day=_long_date(opens))


def _long_date(day: date) -> str:
    locale = get_locale()
    language = str(locale) if locale is not None and str(locale) in LANGUAGES else DEFAULT_LOCALE
    if language == DEFAULT_LOCALE:
        return f"{day.year}年{day.month}月{day.day}日"  # i18n: data (the guide's format, the msgid language's own)
    return format_date(day, "long", locale=language)

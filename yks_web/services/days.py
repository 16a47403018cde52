"""A day asked for by `?day=YYYY-MM-DD` on screens that show any past day and never an error page for a bad one
(数据统计 of a place, an institution's 看板). converters.parse_day is the strict one (404) for URLs that name
a day as part of the object they show (申报详情 of a day)."""

from __future__ import annotations

from datetime import date

from yks_web.i18n import N_, gettext

# N_ (issue 15): chosen_day says them in the reader's language.
BAD_DAY = N_("日期格式不正确，已显示今日数据")
FUTURE_DAY = N_("不能查看未来日期的数据，已显示今日数据")


def chosen_day(raw: str | None, today: date) -> tuple[date, str]:
    """(the day, "") for a past day or today; (today, a message saying why) for a bad or future one; missing is
    today. Only the ISO form YYYY-MM-DD is a day (not 20261119, not a week date, not a time)."""
    if not raw:
        return today, ""
    raw = raw.strip()
    try:
        day = date.fromisoformat(raw) if raw.isascii() and len(raw) == 10 and raw[4] == raw[7] == "-" else None
    except ValueError:
        day = None
    if day is None:
        return today, gettext(BAD_DAY)
    if day > today:
        return today, gettext(FUTURE_DAY)
    return day, ""

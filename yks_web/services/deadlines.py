"""Which days are still open, for members and for the collector (SPEC S8, W9)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from yks_web.clock import TZ
from yks_web.i18n import N_, gettext

YESTERDAY_DEADLINE = time(11, 30)

# The refusals are N_ (issue 15): member_day_closed says them in the reader's language; report_day_closed returns
# them as they are (org_day.collector_closed compares them), translated where shown (gettext(…)).
REPORT_SUBMITTED = N_(
    "采集员已提交该日数据至管理员处，当日不能再申报。"
    "如有特殊情况需更新个人健康申报数据，请联系采集员说明变动情况。"
)
YESTERDAY_CLOSED = N_("每天上午11:30前才可补提交昨日数据，现已超时，不可提交。")
DAY_NOT_OPEN = N_("只能申报今日或补提交昨日数据。")
REPORT_ALREADY_SUBMITTED = N_("该日数据已提交，提交后不可修改。")
REPORT_YESTERDAY_CLOSED = N_("每天上午11:30前可提交前一天的数据，现已超时，不可提交。")


def _shanghai(now: datetime) -> datetime:
    return now.astimezone(TZ) if now.tzinfo else now


def yesterday_still_open(now: datetime) -> bool:
    """Yesterday can be completed until 11:30 today (Shanghai time)."""
    return _shanghai(now).time() < YESTERDAY_DEADLINE


def member_day_closed(day: date, now: datetime, report_submitted: bool) -> str | None:
    """Why a member may not declare for `day` now (in the reader's language), or None when they may."""
    today = _shanghai(now).date()
    if day not in (today, today - timedelta(days=1)):
        return gettext(DAY_NOT_OPEN)
    if report_submitted:
        return gettext(REPORT_SUBMITTED)
    if day < today and not yesterday_still_open(now):
        return gettext(YESTERDAY_CLOSED)
    return None


def report_day_closed(day: date, now: datetime, already_submitted: bool) -> str | None:
    """Why the collector may not submit the report of `day` now (a constant, N_: gettext it to show it), or None."""
    today = _shanghai(now).date()
    if already_submitted:
        return REPORT_ALREADY_SUBMITTED
    if day == today:
        return None
    if day == today - timedelta(days=1):
        return None if yesterday_still_open(now) else REPORT_YESTERDAY_CLOSED
    return DAY_NOT_OPEN

"""修改信息 at most once per natural week (Monday–Sunday, Asia/Shanghai): 公共场所 FAQ 6, 组织机构 FAQ (三) 2."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from yks_web.clock import TZ

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
    return f"每周仅可修改一次，下周一（{opens.year}年{opens.month}月{opens.day}日）起可再次修改"

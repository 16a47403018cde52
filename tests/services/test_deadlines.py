"""Which days are open, for members and for the collector's report (SPEC S8, W9, P5). Pure, no db."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from yks_web.clock import TZ
from yks_web.services.deadlines import (
    DAY_NOT_OPEN,
    REPORT_SUBMITTED,
    REPORT_YESTERDAY_CLOSED,
    YESTERDAY_CLOSED,
    member_day_closed,
    report_day_closed,
    yesterday_still_open,
)

TODAY = date(2026, 11, 20)
YESTERDAY = TODAY - timedelta(days=1)


def at(hour: int, minute: int = 0, second: int = 0, day: date = TODAY) -> datetime:
    """A moment in Asia/Shanghai."""
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=TZ)


# --- S8: members ---------------------------------------------------------------------------


@pytest.mark.parametrize("now", [at(0, 0), at(9, 0), at(11, 30), at(15, 0), at(23, 59, 59)])
def test_s8_today_open_all_day(now):
    assert member_day_closed(TODAY, now, report_submitted=False) is None


@pytest.mark.parametrize("now", [at(0, 1), at(9, 0), at(11, 29, 59)])
def test_s8_yesterday_open_before_1130(now):
    assert member_day_closed(YESTERDAY, now, report_submitted=False) is None


@pytest.mark.parametrize("now", [at(11, 30), at(11, 30, 1), at(15, 0), at(23, 59)])
def test_s8_yesterday_closed_from_1130(now):
    assert member_day_closed(YESTERDAY, now, report_submitted=False) == YESTERDAY_CLOSED


@pytest.mark.parametrize("day", [TODAY - timedelta(days=2), TODAY - timedelta(days=30), TODAY + timedelta(days=1)])
@pytest.mark.parametrize("now", [at(9, 0), at(15, 0)])
def test_s8_older_or_future_days_never_open(day, now):
    assert member_day_closed(day, now, report_submitted=False) == DAY_NOT_OPEN


@pytest.mark.parametrize("now", [at(9, 0), at(15, 0)])
def test_s8_today_closed_once_report_submitted(now):
    assert member_day_closed(TODAY, now, report_submitted=True) == REPORT_SUBMITTED


def test_s8_yesterday_closed_once_report_submitted_even_before_1130():
    assert member_day_closed(YESTERDAY, at(9, 0), report_submitted=True) == REPORT_SUBMITTED


def test_s8_report_message_is_the_guides():
    assert "采集员已提交该日数据至管理员处，当日不能再申报" in REPORT_SUBMITTED


def test_s8_yesterday_across_month_and_year():
    new_year = date(2027, 1, 1)
    assert member_day_closed(date(2026, 12, 31), at(10, 0, day=new_year), False) is None
    assert member_day_closed(date(2026, 12, 31), at(12, 0, day=new_year), False) == YESTERDAY_CLOSED
    march_first = date(2028, 3, 1)  # 2028 is a leap year
    assert member_day_closed(date(2028, 2, 29), at(8, 0, day=march_first), False) is None


def test_yesterday_still_open_boundary():
    assert yesterday_still_open(at(11, 29, 59))
    assert not yesterday_still_open(at(11, 30))


# --- W9: the collector's report --------------------------------------------------------------


@pytest.mark.parametrize("now", [at(0, 0), at(11, 30), at(23, 59)])
def test_w9_report_today_open(now):
    assert report_day_closed(TODAY, now, already_submitted=False) is None


def test_w9_report_yesterday_open_until_1130():
    assert report_day_closed(YESTERDAY, at(11, 29, 59), already_submitted=False) is None
    assert report_day_closed(YESTERDAY, at(11, 30), already_submitted=False) == REPORT_YESTERDAY_CLOSED
    assert report_day_closed(YESTERDAY, at(18, 0), already_submitted=False) == REPORT_YESTERDAY_CLOSED


@pytest.mark.parametrize("day", [TODAY, YESTERDAY])
def test_w9_submitted_day_is_immutable(day):
    assert report_day_closed(day, at(9, 0), already_submitted=True) == "该日数据已提交，提交后不可修改。"


@pytest.mark.parametrize("day", [TODAY - timedelta(days=2), TODAY + timedelta(days=1)])
def test_w9_report_other_days_not_open(day):
    assert report_day_closed(day, at(9, 0), already_submitted=False) == DAY_NOT_OPEN

"""Jinja filters and globals shared by every screen."""

from __future__ import annotations

from datetime import date

from flask import Flask

from yks_web import clock, qr
from yks_web.models.people import ID_TYPES
from yks_web.privacy import mask_id, mask_name, mask_phone


def month_day(day: date) -> str:
    """3月21日, as the guide's tabs and buttons write a date."""
    return f"{day.month}月{day.day}日"


def yes_no(value: bool | None) -> str:
    return "" if value is None else ("是" if value else "否")


def local_time(moment) -> str:
    """A naive-UTC database timestamp shown in Shanghai time."""
    if moment is None:
        return ""
    from zoneinfo import ZoneInfo

    return moment.replace(tzinfo=ZoneInfo("UTC")).astimezone(clock.TZ).strftime("%Y-%m-%d %H:%M:%S")


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        mask_id=mask_id, mask_name=mask_name, mask_phone=mask_phone, md=month_day, yesno=yes_no, local_time=local_time
    )
    # qr_data_uri(link): a small QR as a data: image, drawn once per link (entry codes, a member's bind link)
    app.jinja_env.globals.update(ID_TYPES=ID_TYPES, qr_data_uri=qr.png_data_uri)

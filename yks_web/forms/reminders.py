"""每日提醒时间 (issue 16 item 4): 每天定时提醒 at HH:MM, or 不提醒."""

from __future__ import annotations

import re
import unicodedata
from datetime import time

from wtforms import RadioField, StringField, ValidationError
from wtforms.validators import InputRequired

from yks_web.forms.base import Form
from yks_web.i18n import gettext, lazy_gettext
from yks_web.services.reminders import EARLIEST, LATEST

_HH_MM = re.compile(r"([0-9]{1,2})[:.]([0-9]{2})(?::[0-9]{2})?", re.ASCII)  # a browser's time input may add :00
RANGE = f"{EARLIEST:%H:%M}–{LATEST:%H:%M}"


def parse_time(raw: str | None) -> time | None:
    """10:30, 9:05, 10：30 (full-width) or 10.30 → a time; anything else None."""
    match = _HH_MM.fullmatch(unicodedata.normalize("NFKC", raw or "").strip())
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    return time(hour, minute) if hour < 24 and minute < 60 else None


class DailyReminderForm(Form):
    daily = RadioField(lazy_gettext("每日提醒"), choices=[("on", lazy_gettext("每天定时提醒")),
                                                          ("off", lazy_gettext("不提醒"))],
                       validators=[InputRequired(lazy_gettext("请选择是否每天提醒"))])
    remind_at = StringField(lazy_gettext("每日提醒时间"), render_kw={"type": "time", "min": f"{EARLIEST:%H:%M}",
                                                     "max": f"{LATEST:%H:%M}"})

    def validate_remind_at(self, field) -> None:
        if self.daily.data != "on":
            return
        if not (field.data or "").strip():
            raise ValidationError(gettext("请填写每日提醒时间，如 10:30"))
        moment = parse_time(field.data)
        if moment is None:
            raise ValidationError(gettext("请按“时:分”填写，如 10:30"))
        if not EARLIEST <= moment <= LATEST:
            raise ValidationError(gettext("提醒时间请设在%(range)s之间，避免夜间打扰成员", range=RANGE))

    @property
    def chosen(self) -> time | None:
        """The time to save: None for 不提醒 (call after validate)."""
        return parse_time(self.remind_at.data) if self.daily.data == "on" else None

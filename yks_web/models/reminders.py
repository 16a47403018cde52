"""Reminders to members who have not declared today (issue 16 item 4): the collector's 每日提醒时间 and a log
of every reminder sent, whose unique key is what makes "at most once" hold across app nodes."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from yks_web.clock import utcnow
from yks_web.extensions import db

DAILY = "daily"  # the slot of the daily reminder: one a day


def hour_slot(hour: int) -> str:
    """The slot of a 一键提醒 in this hour of the Shanghai clock ("h10"): one an hour."""
    return f"h{hour:02d}"


class ReminderSetting(db.Model):
    """每日提醒时间: an organisation's daily reminder, sent by `flask yks reminders`; no row is 不提醒.

    `starts_on` is the first day it is sent: the day it was set, or the next day when it was set after that
    day's time had passed (10:30 saved at 15:00 does not text everyone on the next cron run)."""

    __tablename__ = "reminder_setting"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), unique=True)
    remind_at: Mapped[time]  # Asia/Shanghai wall-clock time
    starts_on: Mapped[date]  # Asia/Shanghai day
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReminderLog(db.Model):
    """One member reminded on one day in one slot (DAILY, or the hour of a 一键提醒: hour_slot).

    The unique key (organisation, person, day, slot) is the guarantee: a sender claims its members by
    INSERT … ON CONFLICT DO NOTHING and sends only to the rows it inserted, so a second node (or a second
    click) at the same moment sends nothing twice. `messages` counts the SMS sent for this member (to them and
    to each 代填人 with a phone): claimed as the number to send, then what the sender actually sent (0: nothing
    reached them; a 一键提醒 deletes such a row so that the collector may try again). `sent_by_id` is the
    collector of a 一键提醒, None for the daily command.
    """

    __tablename__ = "reminder_log"
    __table_args__ = (UniqueConstraint("organisation_id", "person_id", "day", "slot"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    day: Mapped[date]
    slot: Mapped[str] = mapped_column(String(8))
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), nullable=True)
    messages: Mapped[int] = mapped_column(default=0)

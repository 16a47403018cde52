"""一键提醒未填报成员 and 每日提醒时间 (issue 16 item 4): the 工作台's reminders (services/reminders.py)."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import current_user

from yks_web import clock
from yks_web.blueprints.workbench import bp, my_org, to_home
from yks_web.extensions import db
from yks_web.forms.reminders import RANGE, DailyReminderForm
from yks_web.i18n import gettext
from yks_web.rendering import render_screen
from yks_web.services import reminders
from yks_web.sms_setup import sender


@bp.post("/remind")
def remind_post():
    """【一键提醒未填报成员】: an SMS to each member who has not declared today and to their 代填人, at most one a
    member an hour, from 07:00 to 22:00; the flash says how many, and how many failed (PRG back to the 工作台).
    The sending is bounded (reminders.SEND_SECONDS): those not reached are asked to be tapped for again."""
    org = my_org()
    sent = reminders.send_now(db.session, sender(), org, current_user.id, clock.now())
    flash(sent.summary(), "error" if sent.trouble or sent.quiet else "success" if sent.reminded else "info")
    return to_home()


def _daily_screen(org, form: DailyReminderForm, current: reminders.Daily | None):
    today = clock.today()
    starts = reminders.month_day(current.starts_on) if current and current.starts_on > today else None
    return render_screen("workbench/_daily_reminder.html", title=gettext("每日提醒时间"), org=org, form=form,
                         range=RANGE, starts=starts)


@bp.get("/remind/daily")
def daily_reminder():
    """每日提醒时间: 每天定时提醒 at HH:MM (sent by `flask yks reminders` from cron), or 不提醒."""
    org = my_org()
    form = DailyReminderForm()
    current = reminders.daily_setting(db.session, org.id)
    form.daily.data = "on" if current else "off"
    form.remind_at.data = f"{current.remind_at:%H:%M}" if current else ""
    return _daily_screen(org, form, current)


@bp.post("/remind/daily")
def daily_reminder_post():
    org = my_org()
    form = DailyReminderForm()
    if not form.validate():
        # What was typed stays, the message beside the field.
        return _daily_screen(org, form, reminders.daily_setting(db.session, org.id))
    now = clock.now()
    saved = reminders.set_daily_time(db.session, org.id, form.chosen, now)  # a time passed today: from tomorrow
    db.session.commit()
    flash(reminders.saved_text(saved, now), "success")
    return redirect(url_for("workbench.index"), code=303)

"""The declaration form screen, shared by 本人填报, 代他人填报 and the collector's 代填报 (S3, S4, W7)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from flask import redirect, request
from flask_login import current_user

from yks_web import clock
from yks_web.extensions import db
from yks_web.forms.declaration import DeclarationForm
from yks_web.models import Organisation, Person
from yks_web.rendering import render_screen
from yks_web.services import declarations, form_days
from yks_web.template_helpers import month_day

LABELS = {"today": "提交本日数据（{}）", "yesterday": "补提交昨日数据（{}）", "day": "提交{}数据"}


def day_choices(org_id: int, fixed_day: date | None = None, *, is_member: bool = True) -> form_days.FormDays:
    """The buttons of 【提交当日数据】 (提交本日数据 / 补提交昨日数据, or the one day the collector is on), each
    closed one with its reason, and what blocks the whole form (issue 9 item 4)."""
    now = clock.now()
    days = [day for _, day in form_days.offered(now, fixed_day)]
    return form_days.form_days(now, submitted=declarations.submitted_days(db.session, org_id, days),
                               is_member=is_member, fixed_day=fixed_day)


def show_form(
    org: Organisation, person: Person, *, name: str, action: str, back: str, form: DeclarationForm | None = None,
    error: str | None = None, retry: bool = False, fixed_day: date | None = None, prefill: bool = True,
    is_member: bool = True,
):
    """The form, fresh (prefilled from the last declaration, when allowed) or as submitted.

    `name` is the declarant as the one filling in knows them: their own name, or the name on the
    proxy's binding or the collector's membership (issue 8 item 1), never another party's claim.
    A day that can no longer be declared says so at the top, before anything is typed (issue 9 item 4).
    """
    if form is None:
        form = DeclarationForm(formdata=None)
        form.form_key.data = uuid.uuid4().hex
        previous = declarations.previous_declaration(db.session, org.id, person.id) if prefill else None
        if previous is not None:
            form.fill_from(previous.answers())
        else:
            form.nationality.data = "中国"
    days = day_choices(org.id, fixed_day, is_member=is_member)
    choices = [
        {"value": c.value, "day": c.day, "label": LABELS[c.value].format(month_day(c.day)), "closed": c.closed}
        for c in days.choices
    ]
    shown = set(days.blocked) | {c["closed"] for c in choices}
    return render_screen(
        "declare/_form.html", title="学生/教职工个人健康申报",
        org=org, person=person, name=name, form=form, action=action, back=back, retry=retry,
        # A refusal the notice at the top already gives is said once; on the collector's one-day form a closed
        # day's notice (in the collector's words) stands for the member-worded refusal of the POST.
        error=None if error in shown or (fixed_day is not None and days.blocked) else error,
        choices=choices, blocked=days.blocked,
    )


def handle_post(
    org: Organisation, person: Person, *, name: str, source: str, action: str, back: str, done,
    fixed_day: date | None = None,
):
    """Validate and submit; on any failure the same form again with 【重新提交】, nothing lost (P4)."""
    form = DeclarationForm()
    again = {"name": name, "action": action, "back": back, "form": form, "retry": True, "fixed_day": fixed_day}
    if not form.validate():
        return show_form(org, person, **again)
    if not form.form_key.data or len(form.form_key.data) > 64:
        form.form_key.data = uuid.uuid4().hex
    now = clock.now()
    if fixed_day is not None:  # the collector's screen is about one day, whatever was posted
        day = fixed_day
    else:
        days = {"today": now.date(), "yesterday": now.date() - timedelta(days=1)}
        day = days.get(request.form.get("day", "today"))
    if day is None:
        return show_form(org, person, error="请选择提交日期", **again)
    try:
        declaration = declarations.submit(
            db.session, org_id=org.id, person_id=person.id, actor_id=current_user.id, day=day,
            answers=form.to_answers(), source=source, form_key=form.form_key.data,
            now=now, utc_now=clock.utcnow(),
        )
    except declarations.DeclarationRefused as refused:
        db.session.rollback()
        return show_form(org, person, error=refused.message, is_member=refused.message != declarations.NOT_MEMBER,
                         **again)
    where = done(declaration)  # before the commit, which would expire the row and read it again
    db.session.commit()
    return redirect(where, code=303)

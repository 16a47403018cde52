"""The declaration form screen, shared by 本人填报, 代他人填报 and the collector's 代填报 (S3, S4, W7)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, timedelta

from flask import abort, redirect, request
from flask_login import current_user

from yks_web import clock
from yks_web.extensions import db
from yks_web.forms.declaration import DeclarationForm
from yks_web.i18n import N_, gettext
from yks_web.models import Organisation, Person
from yks_web.rendering import render_screen
from yks_web.services import declarations, form_days
from yks_web.template_helpers import month_day

LABELS = {
    "today": N_("提交本日数据（%(day)s）"), "yesterday": N_("补提交昨日数据（%(day)s）"), "day": N_("提交%(day)s数据"),
}


def day_choices(
    org_id: int, fixed_day: date | None = None, *, is_member: bool = True, submitted: set[date] | None = None
) -> form_days.FormDays:
    """The buttons of 【提交当日数据】 (提交本日数据 / 补提交昨日数据, or the one day the collector is on), each
    closed one with its reason, and what blocks the whole form (issue 9 item 4). `submitted`: the days with a
    report, when the caller has read them already."""
    now = clock.now()
    if submitted is None:
        days = [day for _, day in form_days.offered(now, fixed_day)]
        submitted = declarations.submitted_days(db.session, org_id, days)
    return form_days.form_days(now, submitted=submitted, is_member=is_member, fixed_day=fixed_day)


def _previous_answers(org_id: int, person_id: int) -> dict | None:
    previous = declarations.previous_declaration(db.session, org_id, person_id)
    return None if previous is None else previous.answers()


def show_form(
    org: Organisation, person: Person, *, name: str, action: str, back: str, form: DeclarationForm | None = None,
    error: str | None = None, retry: bool = False, fixed_day: date | None = None, prefill: bool = True,
    is_member: bool = True, read: form_days.FormState | None = None,
):
    """The form, fresh (prefilled from the last declaration, when allowed) or as submitted.

    `read`: the member's form state (form_days.form_state), whose previous answers and reports are then not read
    again.

    `name` is the declarant as the one filling in knows them: their own name, or the name on the
    proxy's binding or the collector's membership (issue 8 item 1), never another party's claim.
    A day that can no longer be declared says so at the top, before anything is typed (issue 9 item 4).
    """
    if form is None:
        form = DeclarationForm(formdata=None)
        form.form_key.data = uuid.uuid4().hex
        previous = (read.previous if read else _previous_answers(org.id, person.id)) if prefill else None
        if previous is not None:
            form.fill_from(previous)
        else:
            form.nationality.data = gettext("中国")  # the usual answer, in the reader's words (they may change it)
    days = day_choices(org.id, fixed_day, is_member=is_member, submitted=read.submitted if read else None)
    choices = [
        {"value": c.value, "day": c.day, "label": gettext(LABELS[c.value], day=month_day(c.day)), "closed": c.closed}
        for c in days.choices
    ]
    shown = set(days.blocked) | {c["closed"] for c in choices}
    return render_screen(
        "declare/_form.html", title=gettext("学生/教职工个人健康申报"),
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
    """The POST of a form whose organisation and person the caller's loader has already checked and loaded (the
    collector's 代填报, W7)."""

    def again(**shown):
        return show_form(org, person, name=name, action=action, back=back, fixed_day=fixed_day, **shown)

    return post_form(org.id, person.id, source=source, done=done, again=again, fixed_day=fixed_day)


def post_form(
    org_id: int, person_id: int, *, source: str, done: Callable[[int], str], again: Callable[..., object],
    fixed_day: date | None = None,
):
    """Validate and submit; on any failure the same form again with 【重新提交】, nothing lost (P4).

    `again(**shown)` renders the form again (and may answer 404 for who may not see it); `done(declaration_id)` is
    where the 303 goes. Who may declare is decided by declarations.submit's own statement (NotYours: 404), so a
    valid POST reads nothing before it (issue 14 item 2).
    """
    form = DeclarationForm()
    if not form.validate():
        return again(form=form, retry=True)
    if not form.form_key.data or len(form.form_key.data) > 64:
        form.form_key.data = uuid.uuid4().hex
    now = clock.now()
    if fixed_day is not None:  # the collector's screen is about one day, whatever was posted
        day = fixed_day
    else:
        days = {"today": now.date(), "yesterday": now.date() - timedelta(days=1)}
        day = days.get(request.form.get("day", "today"))
    if day is None:
        return again(form=form, retry=True, error=gettext("请选择提交日期"))
    try:
        declaration_id = declarations.submit(
            db.session, org_id=org_id, person_id=person_id, actor_id=current_user.id, day=day,
            answers=form.to_answers(), source=source, form_key=form.form_key.data,
            now=now, utc_now=clock.utcnow(),
        )
    except declarations.NotYours:
        db.session.rollback()
        abort(404)
    except declarations.DeclarationRefused as refused:
        db.session.rollback()
        return again(form=form, retry=True, error=refused.message,
                     is_member=refused.reason != declarations.NOT_MEMBER)
    db.session.commit()
    return redirect(done(declaration_id), code=303)

"""The declaration form screen, shared by 本人填报, 代他人填报 and the collector's 代填报 (S3, S4, W7)."""

from __future__ import annotations

import uuid
from datetime import timedelta

from flask import redirect, request
from flask_login import current_user

from yks_web import clock
from yks_web.extensions import db
from yks_web.forms.declaration import DeclarationForm
from yks_web.models import Organisation, Person
from yks_web.rendering import render_screen
from yks_web.services import declarations
from yks_web.services.deadlines import member_day_closed


def _day_choices(org_id: int) -> dict:
    now = clock.now()
    today = now.date()
    yesterday = today - timedelta(days=1)
    return {
        "today": today,
        "yesterday": yesterday,
        "today_closed": member_day_closed(today, now, declarations.report_submitted(db.session, org_id, today)),
        "yesterday_closed": member_day_closed(
            yesterday, now, declarations.report_submitted(db.session, org_id, yesterday)
        ),
    }


def show_form(
    org: Organisation, person: Person, *, action: str, back: str, form: DeclarationForm | None = None,
    error: str | None = None, retry: bool = False, status: int = 200,
):
    """The form, fresh (prefilled from the last declaration) or as submitted."""
    if form is None:
        form = DeclarationForm(formdata=None)
        form.form_key.data = uuid.uuid4().hex
        previous = declarations.previous_declaration(db.session, org.id, person.id)
        if previous is not None:
            form.fill_from(previous.answers())
        else:
            form.nationality.data = "中国"
    return render_screen(
        "declare/_form.html", title="学生/教职工个人健康申报", status=status,
        org=org, person=person, form=form, action=action, back=back,
        error=error, retry=retry, **_day_choices(org.id),
    )


def handle_post(org: Organisation, person: Person, *, source: str, action: str, back: str, done):
    """Validate and submit; on any failure the same form again with 【重新提交】, nothing lost (P4)."""
    form = DeclarationForm()

    choice = request.form.get("day", "today")
    if not form.validate():
        return show_form(org, person, action=action, back=back, form=form, retry=True)
    if not form.form_key.data or len(form.form_key.data) > 64:
        form.form_key.data = uuid.uuid4().hex
    now = clock.now()
    day = now.date() - timedelta(days=1) if choice == "yesterday" else now.date()
    try:
        declaration = declarations.submit(
            db.session, org_id=org.id, person_id=person.id, actor_id=current_user.id, day=day,
            answers=form.to_answers(), source=source, form_key=form.form_key.data,
            now=now, utc_now=clock.utcnow(),
        )
    except declarations.DeclarationRefused as refused:
        db.session.rollback()
        return show_form(org, person, action=action, back=back, form=form, error=refused.message, retry=True)
    db.session.commit()
    return redirect(done(declaration), code=303)

"""申报详情 of a day: who declared, 数据有变动, 代填报, 代他人申报, 快速填充未报数据 (W6–W8)."""

from __future__ import annotations

import re
import uuid

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user

from yks_web import clock
from yks_web.blueprints import declaration_form
from yks_web.blueprints.access_log import audited
from yks_web.blueprints.auth import client_ip
from yks_web.blueprints.workbench import bp, my_org
from yks_web.converters import parse_day
from yks_web.extensions import db
from yks_web.forms.identity import IdentityForm
from yks_web.i18n import gettext, ngettext
from yks_web.models import Membership
from yks_web.rendering import render_screen
from yks_web.services import day_list, declarations, membership, org_day
from yks_web.services.identity import IdentityMismatch, make_identity
from yks_web.services.rate_limits import RateLimited


@bp.get("/day/<day>")
def day_detail(day: str):
    """查看申报情况 → 申报详情: 未填报成员 and 已填报成员 of the organisation's day (W6, issue 9 item 1); each
    declared member's read is audited (P6)."""
    org = my_org()
    the_day = day_list.of_organisation(db.session, org, parse_day(day))
    return audited(render_screen(
        "workbench/_day.html", title=gettext("申报详情"), org=org, day=the_day.day, the_day=the_day,
        closed=org_day.collector_closed(the_day.day, clock.now(), the_day.submitted), quickfill_key=uuid.uuid4().hex,
    ), role="collector", action="view_day", subject_ids=[m.person_id for m in the_day.declared],
        organisation_id=org.id, context=org.name)


def _member_of_org(org_id: int, person_id: int) -> Membership:
    """The member's joined row in the collector's organisation (its person and the collector's name), else 404."""
    row = membership.active_membership(db.session, org_id, person_id)
    if row is None:
        abort(404)
    return row


@bp.get("/day/<day>/member/<int:person_id>")
def member_detail(day: str, person_id: int):
    """A member of the day and their declaration, read-only (404 for who is not a member that day: issue 9
    item 1); every read is audited (W6, P6)."""
    org = my_org()
    the_day = parse_day(day)
    report, member = org_day.member(db.session, org.id, the_day, person_id)
    if member is None:
        abort(404)
    return audited(render_screen(
        "workbench/_member_detail.html", title=gettext("学生/教职工个人健康信息"), org=org, day=the_day,
        member=member, person=member.person, name=member.name, declaration=member.declaration,
        closed=org_day.collector_closed(the_day, clock.now(), report is not None),
    ), role="collector", action="view_declaration", subject_ids=[person_id], organisation_id=org.id,
        context=org.name)


def _fill_target(day: str, person_id: int):
    org = my_org()
    the_day = parse_day(day, open_only=True)
    member = _member_of_org(org.id, person_id)
    person = member.person
    return org, the_day, person, {
        "name": member.shown_name,
        "action": url_for("workbench.proxy_fill", day=the_day.isoformat(), person_id=person.id),
        "back": url_for("workbench.day_detail", day=the_day.isoformat()),
        "fixed_day": the_day,
    }


@bp.get("/day/<day>/member/<int:person_id>/fill")
def proxy_fill(day: str, person_id: int):
    """【代填报】 for a joined member who has not declared that day (W7). Never their answers (W6); audited (P6)."""
    org, the_day, person, where = _fill_target(day, person_id)
    refused = declarations.collector_fill_refused(db.session, org.id, person.id, the_day, current_user.id)
    if refused:
        flash(refused, "error")
        return redirect(where["back"], code=303)
    return audited(declaration_form.show_form(org, person, prefill=False, **where), role="collector",
                   action="proxy_fill", subject_ids=[person.id], organisation_id=org.id, context=org.name)


@bp.post("/day/<day>/member/<int:person_id>/fill")
def proxy_fill_post(day: str, person_id: int):
    org, the_day, person, where = _fill_target(day, person_id)
    return declaration_form.handle_post(
        org, person, source="collector", done=lambda d: where["back"], **where,
    )


def _proxy_new_screen(org, the_day, form: IdentityForm):
    return render_screen("workbench/_proxy_new.html", title=gettext("代他人申报"), org=org, day=the_day, form=form)


@bp.get("/day/<day>/proxy-new")
def proxy_new(day: str):
    """【代他人申报】: someone not yet joined → join → the form (W7)."""
    return _proxy_new_screen(my_org(), parse_day(day, open_only=True), IdentityForm())


@bp.post("/day/<day>/proxy-new")
def proxy_new_post(day: str):
    org = my_org()
    the_day = parse_day(day, open_only=True)
    form = IdentityForm()
    if not form.validate():
        return _proxy_new_screen(org, the_day, form)
    identity = make_identity(form.name.data, form.id_type.data, form.id_number.data)
    try:
        joined = membership.claim_member(db.session, org, current_user.id, identity, "collector",
                                         utc_now=clock.utcnow(), ip=client_ip())
    except RateLimited as exc:
        db.session.rollback()
        form.id_number.errors.append(exc.message)
        return _proxy_new_screen(org, the_day, form)
    except IdentityMismatch as exc:
        db.session.commit()  # the refused look-up still counts (issue 8 item 3); no person is written
        form.id_number.errors.append(exc.message)
        return _proxy_new_screen(org, the_day, form)
    db.session.commit()
    return redirect(url_for("workbench.proxy_fill", day=the_day.isoformat(), person_id=joined.person_id),
                    code=303)


@bp.post("/day/<day>/quickfill")
def quick_fill(day: str):
    """【快速填充未报数据】: copy each silent member's most recent declaration (W8)."""
    org = my_org()
    the_day = parse_day(day, open_only=True)
    key = request.form.get("key", "")
    if not re.fullmatch(r"[0-9a-f]{32}", key):
        key = uuid.uuid4().hex
    try:
        count = declarations.quick_fill(
            db.session, org_id=org.id, member_ids=membership.member_ids(db.session, org.id),
            actor_id=current_user.id, day=the_day, now=clock.now(), utc_now=clock.utcnow(),
            key_prefix=f"quickfill:{key}",
        )
    except declarations.DeclarationRefused:
        db.session.rollback()  # the day closed meanwhile: 申报详情 says why, once (issue 9 item 7)
    else:
        db.session.commit()
        flash(ngettext("已为%(num)d名未填报成员快速填充最近一次提交的数据",
                       "已为%(num)d名未填报成员快速填充最近一次提交的数据", count)
              if count else gettext("没有可快速填充的成员"), "success")
    return redirect(url_for("workbench.day_detail", day=the_day.isoformat()), code=303)

"""健康申报工作台 home and 创建我的组织 (W2, W4)."""

from __future__ import annotations

from datetime import timedelta

from flask import redirect, request, url_for

from yks_web import clock
from yks_web.blueprints.workbench import bp, current_collector, find_my_org, to_home
from yks_web.extensions import db
from yks_web.forms.workbench import CreateOrganisationForm
from yks_web.i18n import gettext
from yks_web.models import Organisation
from yks_web.rendering import render_screen
from yks_web.services import org_day, reminders


@bp.get("/")
def index():
    """健康申报工作台: 今日数据统计 (the 申报状态 tabs and the day's counts, from org_day: issue 9 item 1) and
    我的校内组织 (W4; the FAQ's module names, issue 9)."""
    org = find_my_org()
    if org is None:
        if current_collector() is None:
            return render_screen("workbench/_no_school.html", title=gettext("学校采集员工作台"))
        return redirect(url_for("workbench.create"), code=303)
    today = clock.today()
    tab = "yesterday" if request.args.get("day") == "yesterday" else "today"
    the_day = org_day.of_organisation(db.session, org.id, today - timedelta(days=1) if tab == "yesterday" else today)
    return render_screen(
        "workbench/_home.html", title=gettext("健康申报工作台"), org=org, tab=tab, day=the_day.day, the_day=the_day,
        today=today, yesterday=today - timedelta(days=1),
        closed=org_day.collector_closed(the_day.day, clock.now(), the_day.submitted),
        reminder=reminders.workbench_panel(db.session, org, clock.now()),  # 提醒 and the 11:30 countdown (issue 16)
    )


def _creating():
    """The collector still without an organisation, or a response to send instead."""
    collector = current_collector()
    if collector is None:
        return None, render_screen("workbench/_no_school.html", title=gettext("学校采集员工作台"))
    if find_my_org() is not None:  # one organisation per collector (W2)
        return None, to_home()
    return collector, None


def _create_screen(form: CreateOrganisationForm, collector):
    return render_screen("workbench/_create.html", title=gettext("健康申报工作台"), form=form, school=collector.school)


@bp.get("/create")
def create():
    """第二步：创建我的组织 → 【开始采集成员信息】 (W2). One organisation per collector."""
    collector, instead = _creating()
    if instead is not None:
        return instead
    form = CreateOrganisationForm()
    form.school_type.data = collector.school.school_type
    return _create_screen(form, collector)


@bp.post("/create")
def create_post():
    collector, instead = _creating()
    if instead is not None:
        return instead
    form = CreateOrganisationForm()
    if not form.validate():
        return _create_screen(form, collector)
    db.session.add(
        Organisation(
            school_id=collector.school_id, collector_id=collector.id, target=form.target.data,
            school_type=form.school_type.data, major=form.major.data or "", name=form.name.data,
            size=form.size.data,
        )
    )
    db.session.commit()  # a double tap's twin fails the unique collector_id: errors.duplicate
    return to_home()

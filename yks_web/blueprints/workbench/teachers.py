"""外籍教师申报 on the workbench (SPEC W10): 添加外籍教师 → 确认并添加 → 修改信息 → 提交."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select

from yks_web import clock
from yks_web.blueprints.workbench import bp, my_org
from yks_web.converters import parse_id
from yks_web.extensions import db
from yks_web.i18n import gettext, ngettext
from yks_web.models import ForeignTeacher, TeacherAssignment
from yks_web.rendering import render_screen
from yks_web.services import teachers


@bp.get("/teachers")
def teacher_list():
    """外籍教师申报: 外籍教师列表, or 暂无成员，请先添加."""
    org = my_org()
    return render_screen("workbench/_teachers.html", title=gettext("外籍教师申报"), org=org,
                         rows=teachers.assigned(db.session, org.id))


@bp.get("/teachers/add")
def teacher_add():
    """添加外籍教师: tick the school's teachers whose situation changed."""
    org = my_org()
    on_list = {a.teacher_id for a in teachers.assigned(db.session, org.id)}
    choices = [t for t in teachers.school_list(db.session, org.school_id) if t.id not in on_list]
    return render_screen("workbench/_teachers_add.html", title=gettext("外籍教师申报"), org=org, choices=choices)


@bp.post("/teachers/add")
def teacher_add_post():
    """【确认并添加】."""
    org = my_org()
    chosen = {parse_id(v) for v in request.form.getlist("teacher")}
    if None in chosen:
        abort(404)
    if not chosen:
        flash(gettext("请勾选需要申报的外籍教师"), "error")
        return redirect(url_for("workbench.teacher_add"), code=303)
    try:
        added = teachers.assign(db.session, org.id, org.school_id, chosen, clock.utcnow())
    except teachers.TeacherError:
        abort(404)
    db.session.commit()
    flash(ngettext("已添加%(num)d名外籍教师，请为其修改已变动的信息",
                   "已添加%(num)d名外籍教师，请为其修改已变动的信息", added), "success")
    return redirect(url_for("workbench.teacher_list"), code=303)


def _my_teacher(teacher_id: int):
    org = my_org()
    on_list = db.session.scalar(select(TeacherAssignment.id).where(
        TeacherAssignment.organisation_id == org.id, TeacherAssignment.teacher_id == teacher_id))
    teacher = db.session.get(ForeignTeacher, teacher_id) if on_list else None
    if teacher is None:
        abort(404)
    return org, teacher


def _edit_screen(org, teacher, values, errors=None, notice=None):
    return render_screen("workbench/_teacher_edit.html", title=gettext("修改信息"), org=org, teacher=teacher,
                         values=values, errors=errors or {}, notice=notice, fields=teachers.FIELDS)


@bp.get("/teachers/<int:teacher_id>")
def teacher_edit(teacher_id: int):
    """修改信息: every field of the guide's form, prefilled; change only what changed."""
    org, teacher = _my_teacher(teacher_id)
    return _edit_screen(org, teacher, teachers.shown(teacher))


@bp.post("/teachers/<int:teacher_id>")
def teacher_edit_post(teacher_id: int):
    """【提交】: a declaration of the changed fields only; no change is not declared."""
    org, teacher = _my_teacher(teacher_id)
    typed = {name: request.form.get(name, "") for name in teachers.FIELDS}
    values, errors = teachers.clean(typed, today=clock.today())
    if errors:
        return _edit_screen(org, teacher, typed, errors)
    try:
        declaration = teachers.declare_changes(db.session, org_id=org.id, teacher=teacher, actor_id=current_user.id,
                                               values=values, utc_now=clock.utcnow())
    except teachers.TeacherError as refused:
        db.session.rollback()
        return _edit_screen(org, teacher, typed, notice=refused.message)
    db.session.commit()
    changed = gettext("、").join(gettext(teachers.LABELS[name]) for name in declaration.changes)
    flash(gettext("已提交%(name)s的信息变动：%(fields)s", name=teacher.name, fields=changed), "success")
    return redirect(url_for("workbench.teacher_list"), code=303)

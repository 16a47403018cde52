"""外籍教师名单 for the school admin (SPEC W10): add one by one or import CSV/XLSX, see the changes."""

from __future__ import annotations

from flask import Response, flash, redirect, request, url_for

from yks_web import clock
from yks_web.blueprints.school import admin_school, bp
from yks_web.extensions import db
from yks_web.rendering import render_screen
from yks_web.services import teachers


@bp.get("/<int:school_id>/teachers")
def teachers_index(school_id: int):
    """外籍教师名单, the import, and 信息变动 declared by collectors."""
    school = admin_school(school_id)
    return render_screen(
        "school/_teachers.html", title="外籍教师", school=school,
        rows=teachers.school_list(db.session, school.id), changes=teachers.recent_changes(db.session, school.id),
        labels=teachers.LABELS,
    )


def _add_screen(school, values, errors=None, notice=None):
    return render_screen("school/_teacher_add.html", title="添加外籍教师", school=school, values=values,
                         errors=errors or {}, notice=notice, fields=teachers.FIELDS)


@bp.get("/<int:school_id>/teachers/add")
def teacher_new(school_id: int):
    return _add_screen(admin_school(school_id), {"lives_on_campus": "否", "covid_status": "无"})


@bp.post("/<int:school_id>/teachers/add")
def teacher_new_post(school_id: int):
    school = admin_school(school_id)
    typed = {name: request.form.get(name, "") for name in teachers.FIELDS}
    values, errors = teachers.clean(typed)
    if errors:
        return _add_screen(school, typed, errors)
    try:
        teacher = teachers.add(db.session, school.id, values, clock.utcnow())
    except teachers.TeacherError as refused:
        db.session.rollback()
        return _add_screen(school, typed, notice=refused.message)
    db.session.commit()
    flash(f"已添加外籍教师{teacher.name}", "success")
    return redirect(url_for("school.teachers_index", school_id=school.id), code=303)


@bp.post("/<int:school_id>/teachers/import")
def teacher_import(school_id: int):
    """导入: every valid row is added; every other row is reported by its number."""
    school = admin_school(school_id)
    upload = request.files.get("file")
    result, problem = None, None
    if upload is None or not upload.filename:
        problem = "请选择要导入的CSV或Excel文件"
    else:
        try:
            rows = teachers.read_table(upload.filename, upload.read())
            result = teachers.import_rows(db.session, school.id, rows, clock.utcnow())
            db.session.commit()
        except teachers.TeacherError as refused:
            db.session.rollback()
            problem = refused.message
    return render_screen("school/_teacher_import.html", title="导入外籍教师", school=school, result=result,
                         problem=problem)


@bp.get("/<int:school_id>/teachers/template.csv")
def teacher_template(school_id: int):
    admin_school(school_id)
    header = ",".join(teachers.LABELS.values())
    sample = "Dorian Lam,高校,美国,北美洲,广东省内,否,无,,2020-03-13,19:56,飞机 CZ328"
    response = Response(("\ufeff" + header + "\n" + sample + "\n").encode("utf-8"), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="foreign-teachers-template.csv"'
    return response

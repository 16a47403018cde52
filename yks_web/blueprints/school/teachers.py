"""外籍教师名单 for the school admin (SPEC W10): add one by one or import CSV/XLSX, see the changes."""

from __future__ import annotations

from flask import Response, flash, redirect, request, session, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.exceptions import RequestEntityTooLarge

from yks_web import clock
from yks_web.blueprints.school import admin_school, bp
from yks_web.errors import MESSAGES
from yks_web.extensions import db
from yks_web.i18n import gettext
from yks_web.models import School, SchoolAdmin
from yks_web.rendering import render_screen
from yks_web.services import teacher_imports, teachers


def _index_screen(school, file_error: str | None = None):
    return render_screen(
        "school/_teachers.html", title=gettext("外籍教师"), school=school,
        rows=teachers.school_list(db.session, school.id), changes=teachers.recent_changes(db.session, school.id),
        labels=teachers.LABELS, file_error=file_error, max_rows=teachers.MAX_ROWS,
    )


@bp.get("/<int:school_id>/teachers")
def teachers_index(school_id: int):
    """外籍教师名单, the import, and 信息变动 declared by collectors."""
    return _index_screen(admin_school(school_id))


@bp.errorhandler(RequestEntityTooLarge)
def upload_too_large(error: RequestEntityTooLarge):
    """An import over MAX_CONTENT_LENGTH: the list again with the message beside the file field (issue 8
    item 10), not a bare 413 page. Raised while the form is read (CSRF, NUL check), before the view runs."""
    school_id = (request.view_args or {}).get("school_id")
    admin = request.endpoint == "school.teacher_import_post" and db.session.scalar(
        select(SchoolAdmin.id).where(SchoolAdmin.school_id == school_id, SchoolAdmin.person_id == current_user.id)
    ) if current_user.is_authenticated else None
    if not admin:
        title, message = MESSAGES[413]
        return render_screen("_error.html", title=title, status=413, message=message)
    return _index_screen(db.session.get(School, school_id), gettext(teachers.FILE_TOO_LARGE))


def _add_screen(school, values, errors=None, notice=None):
    return render_screen("school/_teacher_add.html", title=gettext("添加外籍教师"), school=school, values=values,
                         errors=errors or {}, notice=notice, fields=teachers.FIELDS)


@bp.get("/<int:school_id>/teachers/add")
def teacher_new(school_id: int):
    defaults = {"lives_on_campus": "否", "covid_status": "无"}  # i18n: data (the choices' stored values)
    return _add_screen(admin_school(school_id), defaults)


@bp.post("/<int:school_id>/teachers/add")
def teacher_new_post(school_id: int):
    school = admin_school(school_id)
    typed = {name: request.form.get(name, "") for name in teachers.FIELDS}
    values, errors = teachers.clean(typed, today=clock.today())
    if errors:
        return _add_screen(school, typed, errors)
    try:
        teacher = teachers.add(db.session, school.id, values, clock.utcnow())
    except teachers.TeacherError as refused:
        db.session.rollback()
        return _add_screen(school, typed, notice=refused.message)
    db.session.commit()
    flash(gettext("已添加外籍教师%(name)s", name=teacher.name), "success")
    return redirect(url_for("school.teachers_index", school_id=school.id), code=303)


IMPORT_REPORT = "teacher_import"  # the session key holding the id of the last 导入's report


@bp.post("/<int:school_id>/teachers/import")
def teacher_import_post(school_id: int):
    """导入: every valid row is added; every other row is reported by its number, on the result page this
    redirects to (PRG, issue 9 item 2). A file refused as a whole (kind, size, rows, unpacked size: issue 8
    item 10) gets its message beside the file field, re-rendered here: this URL answers GET too."""
    school = admin_school(school_id)
    session.pop(IMPORT_REPORT, None)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _index_screen(school, gettext("请选择要导入的CSV或Excel文件"))
    try:
        rows = teachers.read_table(upload.filename, upload.read())
        result = teachers.import_rows(db.session, school.id, rows, clock.utcnow(), today=clock.today())
    except teachers.TeacherError as refused:
        db.session.rollback()
        return _index_screen(school, refused.message)
    session[IMPORT_REPORT] = teacher_imports.save(db.session, school.id, current_user.id, result, clock.utcnow())
    db.session.commit()
    return redirect(url_for("school.teacher_import", school_id=school.id), code=303)


@bp.get("/<int:school_id>/teachers/import")
def teacher_import(school_id: int):
    """导入外籍教师: the last import's result (成功导入N名, 未导入的行); without one, the 外籍教师 screen."""
    school = admin_school(school_id)
    result = teacher_imports.load(db.session, session.get(IMPORT_REPORT), school.id, current_user.id,
                                  clock.utcnow())
    if result is None:
        return redirect(url_for("school.teachers_index", school_id=school.id), code=303)
    return render_screen("school/_teacher_import.html", title=gettext("导入外籍教师"), school=school, result=result)


# The template's example row, in FIELDS' order (the guide's text; choices are translated, CHOSEN).
SAMPLE = (
    "Dorian Lam", "高校", "美国", "北美洲", "广东省内", "否", "无",  # i18n: data
    "", "2020-03-13", "19:56", "飞机 CZ328",  # i18n: data
)
CHOSEN = {name for name, spec in teachers.FIELDS.items() if spec[1]}


@bp.get("/<int:school_id>/teachers/template.csv")
def teacher_template(school_id: int):
    admin_school(school_id)
    header = ",".join(gettext(label) for label in teachers.LABELS.values())  # the reader's language (issue 15)
    # The sample row: its choices in the reader's language (the import takes them back), typed cells as typed.
    cells = zip(teachers.FIELDS, SAMPLE, strict=True)
    sample = ",".join(gettext(cell) if name in CHOSEN else cell for name, cell in cells)
    response = Response(("\ufeff" + header + "\n" + sample + "\n").encode("utf-8"), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="foreign-teachers-template.csv"'
    return response

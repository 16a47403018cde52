"""医护人员管理 for the operator (SPEC O7, H2; issue 11 items 4–6): the enabled staff, 开通 one or 导入 表5-2
(CSV/XLSX, a per-row report on a GET page of its own), 撤销 (a confirm screen), the 开通/撤销 log, the daily-cap
alerts; and a person's 医学观察 in the built-in health data.

Its routes live on the operator blueprint (endpoints operator.medical*), so the access gate answers 404 to
everyone but operators before any view runs, as for operator_health and operator_realname.
"""

from __future__ import annotations

from flask import Response, abort, flash, redirect, request, session, url_for
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from yks_web import clock
from yks_web.blueprints.access_log import audited
from yks_web.blueprints.operator import bp
from yks_web.errors import MESSAGES
from yks_web.extensions import db
from yks_web.forms.base import Form, strip
from yks_web.health_setup import provider
from yks_web.i18n import N_, gettext, lazy_gettext
from yks_web.models.medical import OBSERVATION_REASONS, VIA_LABELS, VIA_PAGE, MedicalStaff
from yks_web.models.people import Person
from yks_web.rendering import render_screen
from yks_web.services import medical_notices, medical_staff, observations, teachers

IMPORT_REPORT = "medical_import"  # the session key holding the id of the last 导入's report


class EnableForm(Form):
    name = StringField(lazy_gettext("姓名"), filters=[strip], validators=[DataRequired(lazy_gettext("请填写姓名"))])
    phone = StringField(lazy_gettext("联系电话"), filters=[strip],
                        validators=[DataRequired(lazy_gettext("请填写联系电话"))],
                        render_kw={"inputmode": "tel", "autocomplete": "off"})
    unit = StringField(lazy_gettext("单位名称"), filters=[strip],
                       validators=[DataRequired(lazy_gettext("请填写单位名称"))])
    position = StringField(lazy_gettext("职位"), filters=[strip], validators=[DataRequired(lazy_gettext("请填写职位"))])


def _page(form: EnableForm | None = None, file_error: str | None = None):
    rows, total = medical_staff.active_staff(db.session)
    return render_screen(
        "operator/_medical.html", title=gettext("医护人员管理"), form=form or EnableForm(formdata=None), rows=rows,
        total=total, events=medical_staff.recent_events(db.session), via_labels=VIA_LABELS,
        alerts=medical_notices.recent_alerts(db.session, clock.today()), file_error=file_error,
        header=medical_staff.HEADER, max_rows=teachers.MAX_ROWS,
    )


@bp.get("/medical")
def medical():
    """医护人员管理: 提醒 (daily cap reached), 开通医护人员, 批量导入, 已开通的医护人员 (【撤销】), 开通/撤销记录."""
    return _page()


@bp.post("/medical")
def medical_post():
    """开通 one: 姓名, 联系电话, 单位名称, 职位 (表5-2's columns)."""
    form = EnableForm()
    if not form.validate():
        return _page(form)
    values, errors = medical_staff.clean(
        {"name": form.name.data, "phone": form.phone.data, "unit": form.unit.data, "position": form.position.data})
    if values is None:
        for name, message in errors.items():
            getattr(form, name).errors = [message]
        return _page(form)
    try:
        staff = medical_staff.enable(db.session, values, actor_id=current_user.id, via=VIA_PAGE,
                                     utc_now=clock.utcnow())
    except medical_staff.StaffError as refused:
        db.session.rollback()
        form.phone.errors = [refused.message]
        return _page(form)
    db.session.commit()
    flash(gettext("已开通医护人员权限：%(name)s（%(unit)s）", name=staff.name, unit=staff.unit), "success")
    return redirect(url_for("operator.medical"), code=303)


@bp.errorhandler(RequestEntityTooLarge)
def upload_too_large(error: RequestEntityTooLarge):
    """An import over MAX_CONTENT_LENGTH: the page again with the message beside the file field, not a bare 413."""
    if request.endpoint == "operator.medical_import_post" and getattr(current_user, "is_operator", False):
        return _page(file_error=teachers.FILE_TOO_LARGE)
    title, message = MESSAGES[413]
    return render_screen("_error.html", title=title, status=413, message=message)


@bp.post("/medical/import")
def medical_import_post():
    """导入 表5-2: every valid row is enabled, every other one reported by its number on the page this redirects
    to (PRG). A file refused as a whole gets its message beside the file field, re-rendered here."""
    session.pop(IMPORT_REPORT, None)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _page(file_error=gettext("请选择要导入的CSV或Excel文件"))
    try:
        rows = medical_staff.read_table(upload.filename, upload.read())
        result = medical_staff.import_rows(db.session, rows, actor_id=current_user.id, via="import",
                                           utc_now=clock.utcnow())
    except medical_staff.StaffError as refused:
        db.session.rollback()
        return _page(file_error=refused.message)
    session[IMPORT_REPORT] = medical_staff.save_report(db.session, current_user.id, result, clock.utcnow())
    db.session.commit()
    return redirect(url_for("operator.medical_import"), code=303)


@bp.get("/medical/import")
def medical_import():
    """导入医护人员: the last import's result (成功开通N人, 未导入的行); without one, the 医护人员管理 page."""
    result = medical_staff.load_report(db.session, session.get(IMPORT_REPORT), current_user.id, clock.utcnow())
    if result is None:
        return redirect(url_for("operator.medical"), code=303)
    return render_screen("operator/_medical_import.html", title=gettext("导入医护人员"), result=result)


@bp.get("/medical/template.csv")
def medical_template():
    """表5-2 人员名单上报格式, as a CSV to fill in."""
    # The header the import reads and an example row, in Simplified whatever the operator's language (data).
    body = ",".join(medical_staff.HEADER) + "\n1,张医生,13800000000,广州市越秀区人民医院,主治医师\n"  # i18n: data
    response = Response(("\ufeff" + body).encode("utf-8"), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="medical-staff-template.csv"'
    return response


def _staff(staff_id: int) -> MedicalStaff:
    staff = db.session.get(MedicalStaff, staff_id)
    if staff is None or staff.revoked_at is not None:
        abort(404)
    return staff


@bp.get("/medical/<int:staff_id>/revoke")
def medical_revoke(staff_id: int):
    """撤销 → 确定撤销？ → 【确定】 / 【取消】 (never one tap)."""
    staff = _staff(staff_id)
    return render_screen(
        "_confirm.html", title=gettext("撤销医护人员权限"),
        question=gettext("确定撤销%(name)s（%(unit)s）的医护人员权限？", name=staff.name, unit=staff.unit),
        hint=gettext("撤销后该人员不能再扫码出具解除医学观察电子告知书；已出具的告知书仍然有效。如需恢复，可重新开通。"),
        action=url_for("operator.medical_revoke_post", staff_id=staff.id), cancel=url_for("operator.medical"),
    )


@bp.post("/medical/<int:staff_id>/revoke")
def medical_revoke_post(staff_id: int):
    staff = _staff(staff_id)
    medical_staff.revoke(db.session, staff, actor_id=current_user.id, via=VIA_PAGE, utc_now=clock.utcnow())
    db.session.commit()
    flash(gettext("已撤销%(name)s的医护人员权限", name=staff.name), "info")
    return redirect(url_for("operator.medical"), code=303)


# -- a person's 医学观察 (the built-in health data, H2) -------------------------------------------------------------


class ObservationForm(Form):
    reason = StringField(lazy_gettext("医学观察原因"), filters=[strip],
                         validators=[DataRequired(lazy_gettext("请填写医学观察原因")),
                                     Length(max=50, message=lazy_gettext("不能超过%(max)d个字"))])
    started_on = DateField(lazy_gettext("开始日期"), validators=[InputRequired(lazy_gettext("请填写开始日期"))])
    unit = StringField(lazy_gettext("观察地点/单位"), filters=[strip],
                       validators=[Optional(), Length(max=100, message=lazy_gettext("不能超过%(max)d个字"))])
    colour = SelectField(lazy_gettext("健康码"), choices=[
        ("red", lazy_gettext("同时赋红码（原因为医学观察原因）")),
        ("yellow", lazy_gettext("同时赋黄码（原因为医学观察原因）")),
        ("", lazy_gettext("不改变健康码")),
    ])


def _person(person_id: int) -> Person:
    person = db.session.get(Person, person_id)
    if person is None:
        abort(404)
    return person


def _observations_screen(person: Person, form: ObservationForm, error: str | None = None):
    return audited(render_screen(
        "operator/_medical_observations.html", title=gettext("医学观察"), person=person, form=form, error=error,
        rows=observations.all_of(db.session, person.id), reasons=OBSERVATION_REASONS,
        code_status=provider().statuses([person.id])[person.id],
    ), role="operator", action="view_health", subject_ids=[person.id], context=N_("健康数据管理"))


@bp.get("/health/<int:person_id>/observations")
def medical_observations(person_id: int):
    """医学观察: the person's observations (open and released, with the notice that released each) and 添加."""
    form = ObservationForm(formdata=None, data={"started_on": clock.today(), "colour": "red"})
    return _observations_screen(_person(person_id), form)


@bp.post("/health/<int:person_id>/observations")
def medical_observations_post(person_id: int):
    person = _person(person_id)
    form = ObservationForm()
    if not form.validate():
        return _observations_screen(person, form)
    try:
        observations.add(db.session, person.id, reason=form.reason.data, started_on=form.started_on.data,
                         unit=form.unit.data or "", created_by_id=current_user.id, utc_now=clock.utcnow(),
                         today=clock.today(), colour=form.colour.data or "")
    except observations.ObservationError as refused:
        db.session.rollback()
        return _observations_screen(person, form, refused.message)
    db.session.commit()
    flash(gettext("已添加医学观察"), "success")
    return redirect(url_for("operator.medical_observations", person_id=person.id), code=303)

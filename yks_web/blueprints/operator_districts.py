"""区划管理员 at city level, for the operator (SPEC O6; issue 12 item 1): the list, 任命 (姓名 + 证件号码 of a
verified person, 所在城市) and 撤销 (a confirm screen). The levels below are appointed by these on /grid/district.

Its routes live on the operator blueprint (endpoints operator.districts*), so the access gate answers 404 to
everyone but operators before any view runs, as for operator_medical.
"""

from __future__ import annotations

from flask import abort, flash, redirect, url_for

from yks_web import clock
from yks_web.blueprints.operator import bp
from yks_web.extensions import db
from yks_web.forms.grid import CityAppointForm
from yks_web.i18n import gettext
from yks_web.models.grid import DistrictAdmin
from yks_web.rendering import render_screen
from yks_web.services import areas, district_admins
from yks_web.services.errors import DomainError


def _page(form: CityAppointForm | None = None, error: str | None = None):
    form = form or CityAppointForm(formdata=None)
    form.area.choices = [("", gettext("请选择城市"))] + [(a.code, a.name) for a in areas.cities()]
    return render_screen("operator/_districts.html", title=gettext("区划管理员管理"), form=form, error=error,
                         rows=district_admins.city_level(db.session), full_name=areas.full_name)


@bp.get("/districts")
def districts():
    """区划管理员管理: 市级区划管理员 (【撤销】) and 任命."""
    return _page()


@bp.post("/districts")
def districts_post():
    form = CityAppointForm()
    if not form.validate():
        return _page(form)
    try:
        person = district_admins.find_verified(db.session, form.name.data, form.id_number.data,
                                                form.id_type.data)
        row = district_admins.appoint(db.session, person, form.area.data, appointed_by_id=None,
                                      utc_now=clock.utcnow())
    except DomainError as refused:
        db.session.rollback()
        return _page(form, refused.message)
    db.session.commit()
    flash(gettext("已任命市级区划管理员：%(area)s", area=areas.full_name(row.area_code)), "success")
    return redirect(url_for("operator.districts"), code=303)


def _row(appointment_id: int) -> DistrictAdmin:
    row = district_admins.appointment_of(db.session, appointment_id, None)
    if row is None:
        abort(404)
    return row


@bp.get("/districts/<int:appointment_id>/revoke")
def districts_revoke(appointment_id: int):
    row = _row(appointment_id)
    return render_screen(
        "_confirm.html", title=gettext("撤销区划管理员"),
        question=gettext("确定撤销%(area)s的市级区划管理员吗？", area=areas.full_name(row.area_code)),
        hint=gettext("撤销后该用户不能再确认网格，也不能再任命下级区划管理员；其已任命的下级不受影响。"),
        action=url_for("operator.districts_revoke_post", appointment_id=row.id), cancel=url_for("operator.districts"),
    )


@bp.post("/districts/<int:appointment_id>/revoke")
def districts_revoke_post(appointment_id: int):
    district_admins.revoke(db.session, _row(appointment_id), clock.utcnow())
    db.session.commit()
    flash(gettext("已撤销该市级区划管理员"), "info")
    return redirect(url_for("operator.districts"), code=303)

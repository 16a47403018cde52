"""区划管理员 (SPEC O6; guide 二 (三) (1) 2), FAQ (四) 6): the grids of their area to 确认 or 不通过, and 任命 /
撤销 of the 区划管理员 one level below inside their own area. There is no screen to authorise a 网格员 here:
only the grid's own admin does that (FAQ 6)."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user

from yks_web import clock
from yks_web.blueprints.grid import bp, grid_for
from yks_web.extensions import db
from yks_web.forms.grid import AppointForm, RejectForm
from yks_web.i18n import gettext
from yks_web.models.grid import DistrictAdmin, Grid
from yks_web.rendering import render_screen
from yks_web.services import areas, district_admins, grids, identity
from yks_web.services.errors import DomainError


def _require_district_admin() -> list[DistrictAdmin]:
    rows = district_admins.active_rows(db.session, current_user.id)
    if not rows:
        abort(404)
    return rows


def _page(form: AppointForm | None = None, error: str | None = None):
    rows = _require_district_admin()
    form = form or AppointForm(formdata=None)
    below = district_admins.appointable_areas(db.session, current_user.id)
    choices = [(a.code, areas.full_name(a.code)) for a in below]
    form.area.choices = [("", gettext("请选择所辖区域"))] + choices
    return render_screen(
        "grid/_district.html", title=gettext("区划管理员"), rows=rows, full_name=areas.full_name,
        level_label=district_admins.level_label, pending=district_admins.grids_of_area(db.session, current_user.id),
        appointed=district_admins.appointed_by(db.session, current_user.id), form=form, can_appoint=bool(choices),
        error=error,
    )


def _back():
    return redirect(url_for("grid.district"), code=303)


@bp.get("/district")
def district():
    """区划管理员: 待确认的网格 (of the user's areas), 任命下级区划管理员, 已任命的区划管理员 (【撤销】)."""
    return _page()


@bp.post("/district")
def district_appoint_post():
    """任命 a 区划管理员 one level below, inside the user's area: 姓名 + 证件号码 of a verified person."""
    _require_district_admin()
    form = AppointForm()
    if not form.validate():
        return _page(form)
    try:
        identity.count_lookup(db.session, actor_id=current_user.id, ip=request.remote_addr or "",
                              utc_now=clock.utcnow())
        person = district_admins.find_verified(db.session, form.name.data, form.id_number.data,
                                                form.id_type.data)
        row = district_admins.appoint(db.session, person, form.area.data, appointed_by_id=current_user.id,
                                      utc_now=clock.utcnow())
    except DomainError as refused:
        db.session.rollback()
        return _page(form, refused.message)
    db.session.commit()
    level = district_admins.level_label(row.area_code)  # "" for a code of no level: gettext("") is the header
    flash(gettext("已任命%(level)s区划管理员：%(area)s", level=gettext(level) if level else "",
                  area=areas.full_name(row.area_code)), "success")
    return _back()


def _appointment(appointment_id: int) -> DistrictAdmin:
    _require_district_admin()
    row = district_admins.appointment_of(db.session, appointment_id, current_user.id)
    if row is None:
        abort(404)
    return row


@bp.get("/district/appointed/<int:appointment_id>/revoke")
def district_revoke(appointment_id: int):
    """撤销 → 确定撤销？ → 【确定】 / 【取消】."""
    row = _appointment(appointment_id)
    return render_screen(
        "_confirm.html", title=gettext("撤销区划管理员"),
        question=gettext("确定撤销%(area)s的区划管理员吗？", area=areas.full_name(row.area_code)),
        hint=gettext("撤销后该用户不能再确认该区域的网格。"),
        action=url_for("grid.district_revoke_post", appointment_id=row.id), cancel=url_for("grid.district"),
    )


@bp.post("/district/appointed/<int:appointment_id>/revoke")
def district_revoke_post(appointment_id: int):
    row = _appointment(appointment_id)
    district_admins.revoke(db.session, row, clock.utcnow())
    db.session.commit()
    flash(gettext("已撤销该区划管理员"), "info")
    return _back()


def _grid_screen(grid: Grid, form: RejectForm | None = None, error: str | None = None):
    return render_screen(
        "grid/_district_grid.html", title=gettext("网格确认"), grid=grid, area=areas.full_name(grid.area_code),
        form=form or RejectForm(formdata=None), error=error,
        may_decide=district_admins.may_decide(db.session, current_user.id, grid),
    )


def _pending_grid(grid_id: int) -> Grid:
    """A pending grid of the user's area; 404 for any other (another area's, or one already decided)."""
    grid = grid_for(grid_id, "district_admin")
    if grid.status != "pending":
        abort(404)
    return grid


@bp.get("/district/grids/<int:grid_id>")
def district_grid(grid_id: int):
    """网格确认: the grid (名称, 所在区域, 网格管理员 masked) → 【确认】, or 不通过 with the reason."""
    return _grid_screen(_pending_grid(grid_id))


@bp.post("/district/grids/<int:grid_id>/confirm")
def district_confirm_post(grid_id: int):
    grid = _pending_grid(grid_id)
    try:
        grids.confirm(db.session, grid, current_user.id, clock.utcnow())
    except DomainError as refused:
        db.session.rollback()
        flash(refused.message, "error")
        return _back()
    db.session.commit()
    flash(gettext("已确认网格“%(name)s”，该网格已生效", name=grid.name), "success")
    return _back()


@bp.post("/district/grids/<int:grid_id>")
def district_reject_post(grid_id: int):
    grid = _pending_grid(grid_id)
    form = RejectForm()
    if not form.validate():
        return _grid_screen(grid, form)
    try:
        grids.reject(db.session, grid, current_user.id, form.reason.data, clock.utcnow())
    except DomainError as refused:
        db.session.rollback()
        return _grid_screen(grid, form, refused.message)
    db.session.commit()
    flash(gettext("网格“%(name)s”未通过确认", name=grid.name), "info")
    return _back()

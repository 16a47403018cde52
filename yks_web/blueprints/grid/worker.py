"""网格员 (SPEC O6, O8; guide 二 (三) (2); FAQ (四)): 查看我的网格组织, 新增绑定, 设为当前组织, 解绑;
and the grid admin's 网格成员管理 (授权 / 取消授权 / 解绑). Rules: services/grid_staff."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_login import current_user

from yks_web import clock
from yks_web.blueprints.auth import client_ip
from yks_web.blueprints.grid import bp, grid_for, own_binding
from yks_web.extensions import db
from yks_web.forms.grid import GridBindForm
from yks_web.i18n import N_, gettext
from yks_web.models.grid import Grid, GridStaff
from yks_web.privacy import mask_name
from yks_web.rendering import render_screen
from yks_web.services import areas, grid_staff, grid_visits, messages
from yks_web.services.errors import DomainError


def _worker_screen(form: GridBindForm):
    staff = grid_staff.active_grids(db.session, current_user.id)
    # 开始信息采集 with 今日登记次数 / 累计登记次数 of the 当前组织 (listed first; issue 12 item 5)
    today, total = grid_visits.counts(db.session, current_user.id, staff[0].grid_id, clock.today()) if staff else (0, 0)
    return render_screen("grid/_worker.html", title=gettext("查看我的网格组织"),
                         staff=staff, area_name=areas.full_name, today=today, total=total,
                         form=form, messages=messages.unread(db.session, current_user.id))


@bp.get("/worker")
def worker():
    """网格员: 查看我的网格组织 (name, area, 当前组织, 已授权/未授权) and 新增绑定."""
    return _worker_screen(GridBindForm(formdata=None))


@bp.post("/worker")
def worker_bind_post():
    form = GridBindForm()
    if not form.validate():
        return _worker_screen(form)
    try:
        staff = grid_staff.bind_by_code(db.session, current_user.id, form.code.data, address=client_ip(),
                                        utc_now=clock.utcnow())
    except DomainError as refused:  # wrong kind, unknown, not confirmed, too many, or RateLimited
        db.session.commit()  # the attempt counts, whatever the answer (O8)
        form.code.errors = [refused.message]
        return _worker_screen(form)
    db.session.commit()
    flash(gettext("已绑定网格：%(name)s", name=staff.grid.name), "success")
    return redirect(url_for("grid.worker"), code=303)


@bp.post("/worker/messages/read")
def worker_messages_read_post():
    """知道了: the user's messages (e.g. 网格已解散) are read and leave the page."""
    messages.mark_read(db.session, current_user.id, clock.utcnow())
    db.session.commit()
    return redirect(url_for("grid.worker"), code=303)


@bp.post("/<int:grid_id>/current")
def worker_current_post(grid_id: int):
    """设为当前组织."""
    grid = grid_for(grid_id, "grid_worker")
    grid_staff.set_current(db.session, own_binding(grid))
    db.session.commit()
    flash(gettext("已将%(name)s设为当前组织", name=grid.name), "success")
    return redirect(url_for("grid.worker"), code=303)


@bp.get("/<int:grid_id>/leave")
def worker_leave(grid_id: int):
    """解绑 → 确定解绑？ → 【确定】 / 【取消】."""
    grid = grid_for(grid_id, "grid_worker")
    return render_screen(
        "_confirm.html", title=gettext("解绑"), question=gettext("确定解绑%(name)s？", name=grid.name),
        hint=gettext("解绑后将不能再为该网格采集居民健康情况；如需恢复，可再次输入网格申报码绑定，并由网格管理员重新授权。"),
        action=url_for("grid.worker_leave_post", grid_id=grid.id), cancel=url_for("grid.worker"),
    )


@bp.post("/<int:grid_id>/leave")
def worker_leave_post(grid_id: int):
    grid = grid_for(grid_id, "grid_worker")
    grid_staff.unbind(db.session, own_binding(grid), clock.utcnow())
    db.session.commit()
    flash(gettext("已解绑%(name)s", name=grid.name), "info")
    return redirect(url_for("grid.worker"), code=303)


# -- 网格成员管理 (the grid admin) --------------------------------------------------------------------------------


def _member(grid: Grid, staff_id: int) -> GridStaff:
    staff = db.session.get(GridStaff, staff_id)
    if staff is None or staff.grid_id != grid.id or not staff.active:
        abort(404)
    return staff


@bp.get("/<int:grid_id>/members")
def members(grid_id: int):
    """网格成员管理: the grid's workers (masked names, bound date, 已授权/未授权), 授权 / 取消授权 / 解绑."""
    grid = grid_for(grid_id, "grid_admin")
    return render_screen("grid/_members.html", title=gettext("网格成员管理"), grid=grid,
                         staff=grid_staff.members(db.session, grid.id), mask_name=mask_name,
                         local_date=grid_visits.local_day)


def _authorise(grid_id: int, staff_id: int, authorised: bool, done: str, category: str):
    """授权 / 取消授权: the one change, then back to 网格成员管理 saying what was done (`done`: an N_ message
    with %(name)s)."""
    grid = grid_for(grid_id, "grid_admin")
    staff = _member(grid, staff_id)
    grid_staff.set_authorised(db.session, staff, authorised)
    db.session.commit()
    flash(gettext(done, name=mask_name(staff.person.name)), category)
    return redirect(url_for("grid.members", grid_id=grid.id), code=303)


@bp.post("/<int:grid_id>/members/<int:staff_id>/authorise")
def member_authorise_post(grid_id: int, staff_id: int):
    return _authorise(grid_id, staff_id, True, N_("已授权%(name)s"), "success")


@bp.post("/<int:grid_id>/members/<int:staff_id>/deauthorise")
def member_deauthorise_post(grid_id: int, staff_id: int):
    return _authorise(grid_id, staff_id, False, N_("已取消授权%(name)s"), "info")


@bp.get("/<int:grid_id>/members/<int:staff_id>/unbind")
def member_unbind(grid_id: int, staff_id: int):
    grid = grid_for(grid_id, "grid_admin")
    staff = _member(grid, staff_id)
    return render_screen(
        "_confirm.html", title=gettext("解绑"),
        question=gettext("确定解绑网格员%(name)s？", name=mask_name(staff.person.name)),
        hint=gettext("解绑后该网格员将不能再为本网格采集居民健康情况。"),
        action=url_for("grid.member_unbind_post", grid_id=grid.id, staff_id=staff.id),
        cancel=url_for("grid.members", grid_id=grid.id),
    )


@bp.post("/<int:grid_id>/members/<int:staff_id>/unbind")
def member_unbind_post(grid_id: int, staff_id: int):
    grid = grid_for(grid_id, "grid_admin")
    staff = _member(grid, staff_id)
    grid_staff.unbind(db.session, staff, clock.utcnow())
    db.session.commit()
    flash(gettext("已解绑网格员%(name)s", name=mask_name(staff.person.name)), "info")
    return redirect(url_for("grid.members", grid_id=grid.id), code=303)

"""网格管理员 (SPEC O6; guide 二 (三) (1) 1)–3), 5); FAQ (四) 2, 6, 7): 创建网格, 我的网格, 解散网格."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import force_locale
from flask_login import current_user

from yks_web import clock
from yks_web.blueprints.grid import bp, grid_for
from yks_web.extensions import db
from yks_web.forms.areas import PICK
from yks_web.forms.grid import DissolveForm, GridForm
from yks_web.i18n import DEFAULT_LOCALE, gettext
from yks_web.models.grid import Grid
from yks_web.rendering import render_screen
from yks_web.services import areas, grid_stats, grids, messages
from yks_web.services.errors import DomainError


def _home():
    return redirect(url_for("grid.admin_home"), code=303)


@bp.get("/admin")
def admin_home():
    """我的网格: name, area, status (with the reason), the 网格申报码 with 【复制】, 绑定网格员 / 今日登记 /
    累计登记 with 【查看数据统计】; 创建网格 while there is none."""
    grid = grids.admin_grid(db.session, current_user.id)
    if grid is None:
        return redirect(url_for("grid.create"), code=303)
    return render_screen("grid/_admin_home.html", title=gettext("我的网格"), grid=grid,
                         area=areas.full_name(grid.area_code),
                         binds_nobody=grids.binds_nobody_reason(grid),
                         figures=grid_stats.summary(db.session, grid.id, clock.today()))  # 查看申报数据


def _create_screen(form: GridForm, error: str | None = None):
    form.confirmed.data = ""  # the form always goes through the confirm step again (【返回修改】 included)
    return render_screen("grid/_create.html", title=gettext("创建网格"), form=form, error=error)


@bp.get("/admin/create")
def create():
    """创建网格: 所在区域 (to 乡镇街道), 网格名称 → 【下一步】 → the confirm step → 【确认创建】."""
    if grids.admin_grid(db.session, current_user.id) is not None:
        return _home()
    form = GridForm(formdata=None)
    form.set_area_choices()
    return _create_screen(form)


@bp.post("/admin/create")
def create_post():
    if grids.admin_grid(db.session, current_user.id) is not None:
        return _home()
    form = GridForm()
    form.set_area_choices()
    if PICK in request.form or not form.validate():
        return _create_screen(form)
    if "back" in request.form:  # 【返回修改】 on the confirm step: the form, everything kept
        return _create_screen(form)
    if form.confirmed.data != "1":  # 【下一步】: what will be created, and that it cannot be deleted
        return render_screen("grid/_create_confirm.html", title=gettext("确认创建网格"), form=form,
                             area=areas.full_name(form.area_code))
    try:
        grids.create(db.session, current_user.id, form.area_code, form.name.data, clock.utcnow())
    except grids.AlreadyAdmin:  # a double tap: its twin created the grid
        db.session.rollback()
        return _home()
    except DomainError as refused:
        db.session.rollback()
        return _create_screen(form, refused.message)
    db.session.commit()
    flash(gettext("网格创建成功，请联系直属上级区划管理员确认，确认后网格申报码方可使用"), "success")
    return _home()


def _tell_dissolved(workers: list, name: str) -> None:
    """The 站内消息 to the grid's workers, each in their account's language (the source language when they never
    chose one): a message is stored text, read later on another phone."""
    by_language: dict[str, list[int]] = {}
    for person in workers:
        by_language.setdefault(person.language or DEFAULT_LOCALE, []).append(person.id)
    for language, ids in by_language.items():
        with force_locale(language):
            text = gettext("您绑定的网格“%(name)s”已被网格管理员解散，该网格的数据已清空，您无需再为该网格采集",
                           name=name)
        messages.send(db.session, ids, "grid_dissolved", text, clock.utcnow())


def _dissolve_screen(grid: Grid, form: DissolveForm, error: str | None = None):
    return render_screen("grid/_dissolve.html", title=gettext("解散网格"), grid=grid, form=form, error=error)


@bp.get("/<int:grid_id>/dissolve")
def dissolve(grid_id: int):
    """解散网格: the admin types the grid's name to confirm (no JavaScript needed)."""
    return _dissolve_screen(grid_for(grid_id, "grid_admin"), DissolveForm(formdata=None))


@bp.post("/<int:grid_id>/dissolve")
def dissolve_post(grid_id: int):
    grid = grid_for(grid_id, "grid_admin")
    form = DissolveForm()
    if not form.validate():
        return _dissolve_screen(grid, form)
    name = grid.name
    try:
        workers = grids.dissolve(db.session, grid, current_user.id, form.name.data)
    except DomainError as refused:
        db.session.rollback()
        form.name.errors = [refused.message]
        return _dissolve_screen(db.session.get(Grid, grid_id) or grid, form)
    _tell_dissolved([p for p in workers if p.id != current_user.id], name)
    db.session.commit()
    flash(gettext("网格“%(name)s”已解散，网格数据已清空", name=name), "info")
    return redirect(url_for("grid.index"), code=303)

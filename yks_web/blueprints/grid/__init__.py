"""网格居民健康情况采集 (SPEC O6, O8; issue 12): one module per part of the guide 二 (三).

admin.py     网格管理员: 创建网格 (确认后创建), 我的网格 (网格申报码 with 【复制】), 解散网格
district.py  区划管理员: grids of their area to 确认 / 不通过, 任命 and 撤销 the level below
worker.py    网格员: 查看我的网格组织, 新增绑定, 设为当前组织, 解绑; the admin's 网格成员管理 (授权 / 取消授权 / 解绑)
The operator's city-level 区划管理员 are blueprints/operator_districts.py.
"""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user

from yks_web.extensions import db
from yks_web.i18n import gettext
from yks_web.models.grid import Grid, GridStaff
from yks_web.rendering import render_screen
from yks_web.services import access, district_admins, grid_staff

bp = Blueprint("grid", __name__, url_prefix="/grid")


def grid_for(grid_id: int, *roles: str) -> Grid:
    """The loader (P7): the grid, when the user holds one of `roles` on it; else 404.

    "district_admin" holds on a grid of the user's area (the grid's town within one of their areas);
    "grid_authorised" on a grid where the user's active binding is 已授权 (a plain "grid_worker" is any binding)."""
    grid = db.session.get(Grid, grid_id)
    if grid is None:
        abort(404)
    if "grid_admin" in roles and grid.admin_id == current_user.id:  # no query: the row says it
        return grid
    if "district_admin" in roles and access.holds(db.session, current_user, "district_admin", grid.area_code):
        return grid
    if "grid_worker" in roles and access.holds(db.session, current_user, "grid_worker", grid.id):
        return grid
    if "grid_authorised" in roles and access.holds(db.session, current_user, "grid_authorised", grid.id):
        return grid
    abort(404)


def own_binding(grid: Grid) -> GridStaff:
    """The user's active binding to `grid` (grid_for checked it; a race with 解绑 is a 404)."""
    staff = grid_staff.binding(db.session, grid.id, current_user.id)
    if staff is None:
        abort(404)
    return staff


@bp.get("/")
def index():
    """网格居民健康情况采集: choose 网格管理员, 网格员, or 区划管理员 when the user is one."""
    return render_screen("grid/_index.html", title=gettext("网格居民健康情况采集"),
                         district=district_admins.is_district_admin(db.session, current_user.id))


from yks_web.blueprints.grid import (  # noqa: E402,F401
    admin,
    collect,
    district,
    handover,
    key_people,
    offline,
    stats,
    worker,
)

"""查看数据统计 (SPEC O6; issue 12 item 2; guide 二 (三) (1) 查看申报数据; FAQ (四) 5): the grid admin's
每日排查结果 and 网格员工作统计. Counts only, no resident's name (rules: services/grid_stats); workers' names masked."""

from __future__ import annotations

from yks_web import clock
from yks_web.blueprints.grid import bp, grid_for
from yks_web.extensions import db
from yks_web.i18n import gettext
from yks_web.rendering import render_screen
from yks_web.services import grid_stats


@bp.get("/<int:grid_id>/stats")
def stats(grid_id: int):
    """查看数据统计: 每日排查结果 (the last 30 days with records, newest first) and 网格员工作统计."""
    grid = grid_for(grid_id, "grid_admin")
    today = clock.today()
    return render_screen("grid/_stats.html", title=gettext("查看数据统计"), grid=grid, today=today,
                         days=grid_stats.daily(db.session, grid.id),
                         workers=grid_stats.workers(db.session, grid.id, today), days_shown=grid_stats.DAYS_SHOWN)

"""重点管控人员 (SPEC O6; issue 12 item 6; guide 二 (三) (2) 3)): "被授权后的网格员可查看……所属网格的重点管控人员名单及
详细信息". Rules: services/grid_key_people; every screen that shows people writes one audit row per person.

An active 网格员 of the grid who is not (or no longer) authorised gets a page saying what it takes rather than a
404: the grid is theirs, only the list is not yet (a link kept from before a 取消授权 lands here). Anyone else,
the grid admin included (FAQ (四) 5: the admin sees counts only), gets 404. The details are for 已授权网格员 only.
"""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from yks_web.blueprints.access_log import audited
from yks_web.blueprints.grid import bp, grid_for
from yks_web.extensions import db
from yks_web.health_setup import provider
from yks_web.i18n import N_, gettext
from yks_web.rendering import render_screen
from yks_web.services import access, grid_key_people

AUTHORISED = "grid_authorised"
LOCKED = N_("经网格管理员授权后可查看本网格重点管控人员名单")  # gettext where shown


@bp.get("/<int:grid_id>/key-people")
def key_people(grid_id: int):
    """重点管控人员: the grid's people whose code is red or yellow or who are under 医学观察 (masked names)."""
    grid = grid_for(grid_id, "grid_worker")
    if not access.holds(db.session, current_user, AUTHORISED, grid.id):
        return render_screen("grid/_key_people_locked.html", title=gettext("重点管控人员"), grid=grid,
                             message=gettext(LOCKED))
    people = grid_key_people.key_people(db.session, provider(), grid.id)
    screen = render_screen("grid/_key_people.html", title=gettext("重点管控人员"), grid=grid, people=people)
    return audited(screen, role=AUTHORISED, action="view_key_people", subject_ids=[k.person.id for k in people],
                   context=grid.name)


@bp.get("/<int:grid_id>/key-people/<int:person_id>")
def key_person(grid_id: int, person_id: int):
    """重点管控人员详细信息: 健康码, 医学观察, every 个人健康申报, this grid's visits; someone not on the list: 404."""
    grid = grid_for(grid_id, AUTHORISED)
    detail = grid_key_people.key_person(db.session, provider(), grid.id, person_id)
    if detail is None:
        abort(404)
    screen = render_screen("grid/_key_people_person.html", title=gettext("重点管控人员详细信息"), grid=grid,
                           detail=detail)
    return audited(screen, role=AUTHORISED, action="view_key_person", subject_ids=[detail.person.id], context=grid.name)

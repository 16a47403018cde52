"""公共场所人员健康情况采集 (SPEC O2–O5): 公共场所管理员 and 公共场所检测员, one module per part of the guide.

admin.py      创建场所, 我的场所, 修改信息, 管理员同时绑定成为检测员, 重新生成葵花码
members.py    成员管理 (解除绑定, 更换绑定 and the recipient's 接受/拒绝)
inspector.py  绑定场所, 我的场所, 管理, 体温检测 (扫描粤康码 → 正常/发热 → 提交)
posters.py    体温正常快速打卡 葵花码: the page, its PNG and the printable A4 PDF
stats.py      数据统计 of the place admin, and the inspector's own counts
The citizen's side of the 葵花码 (/p/<token>) is blueprints/checkin.py.
"""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user

from yks_web import clock
from yks_web.extensions import db
from yks_web.i18n import gettext
from yks_web.models.place import Place
from yks_web.rendering import render_screen
from yks_web.services import access, places

bp = Blueprint("places", __name__, url_prefix="/places")


def place_for(place_id: int, *roles: str) -> Place:
    """The loader (P7, as flaskr's get_post): the place, when the user holds one of `roles` on it; else 404."""
    place = db.session.get(Place, place_id)
    if place is None:
        abort(404)
    if "place_admin" in roles and place.admin_id == current_user.id:  # no query: the row says it
        return place
    if any(access.holds(db.session, current_user, role, place.id) for role in roles if role != "place_admin"):
        return place
    abort(404)


@bp.get("/")
def index():
    """公共场所人员健康情况采集: choose 公共场所管理员 or 公共场所检测员 (the guide's two entries, 图3-1, 图3-2)."""
    # 更换绑定 offers made to the user: accepting one is how they become the place's admin (FAQ 7).
    offers = places.offers_for(db.session, current_user.id, clock.utcnow())
    return render_screen("places/_index.html", title=gettext("公共场所人员健康情况采集"), offers=offers)


from yks_web.blueprints.places import admin, inspector, members, posters, stats  # noqa: E402,F401

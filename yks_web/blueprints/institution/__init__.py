"""组织机构成员健康情况采集 (SPEC O1, O8; guide 二 (一)): 组织机构管理员 and 组织机构成员, one module each.

admin.py   绑定组织机构, 组织机构 (申报码【复制】, counts), 绑定人信息 → 修改信息, 看板 of a day, 导出
member.py  绑定组织机构 by 申报码, 绑定组织机构管理 (the list, 解绑), 成员申报 → 提交成功
"""

from __future__ import annotations

from flask import Blueprint, abort, url_for
from flask_login import current_user

from yks_web.extensions import db
from yks_web.i18n import gettext
from yks_web.models.institution import Institution
from yks_web.rendering import render_screen
from yks_web.services import access

bp = Blueprint("institution", __name__, url_prefix="/institution")


def institution_for(institution_id: int, *roles: str) -> Institution:
    """The loader (P7, as flaskr's get_post): the institution, when the user holds one of `roles` on it; else 404."""
    institution = db.session.get(Institution, institution_id)
    if institution is None:
        abort(404)
    if "institution_admin" in roles and institution.admin_id == current_user.id:  # no query: the row says it
        return institution
    if any(access.holds(db.session, current_user, role, institution.id) for role in roles
           if role != "institution_admin"):
        return institution
    abort(404)


@bp.get("/")
def index():
    """组织机构成员健康情况采集: choose 组织机构管理员 or 组织机构成员 (the guide's two entries, 图2-2, 图2-5)."""
    return render_screen("institution/_index.html", title=gettext("组织机构成员健康情况采集"))


@bp.get("/entry")
def entry_codes():
    """入口二维码 to print (图2-2 “管理员”, 图2-5 “普通成员”): scanning one opens that side (实名认证 first)."""
    return render_screen(
        "institution/_entry_codes.html", title=gettext("入口二维码"),
        admin_link=url_for("institution.admin_home", _external=True),
        member_link=url_for("institution.member_home", _external=True),
    )


from yks_web.blueprints.institution import admin, member  # noqa: E402,F401

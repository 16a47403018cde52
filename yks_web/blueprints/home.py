"""粤康码 home (the start page) and 个人中心 (SPEC S1, I4)."""

from __future__ import annotations

from flask import Blueprint
from flask_login import current_user, login_required
from sqlalchemy import select

from yks_web.extensions import db
from yks_web.models import Collector, SchoolAdmin
from yks_web.rendering import render_screen

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    """粤康码: 健康情况申报 and 防疫工作台 entries."""
    roles = {"collector": False, "admin": False}
    if current_user.is_authenticated:
        roles["collector"] = db.session.scalar(
            select(Collector.id).where(Collector.person_id == current_user.id).limit(1)
        ) is not None
        roles["admin"] = db.session.scalar(
            select(SchoolAdmin.id).where(SchoolAdmin.person_id == current_user.id).limit(1)
        ) is not None
    return render_screen("home/_index.html", title="粤康码", roles=roles)


@bp.get("/me")
@login_required
def me():
    """个人中心: who is logged in, and 退出登录."""
    return render_screen("home/_me.html", title="个人中心")

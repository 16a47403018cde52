"""Invite cards opened from a chat (SPEC S1–S2, W1–W2): 填报方式, 加入学校, 学校管理员."""

from __future__ import annotations

from flask import Blueprint, redirect, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from yks_web import clock
from yks_web.blueprints.declare import load_org
from yks_web.extensions import db
from yks_web.models import Collector, Organisation, ProxyBinding, SchoolAdmin
from yks_web.rendering import render_screen
from yks_web.services import invites

bp = Blueprint("invite", __name__, url_prefix="/invite")


def _invalid():
    return render_screen("invite/_invalid.html", title="邀请已失效", status=404, message=invites.INVALID)


@bp.route("/<token>", methods=["GET", "POST"])
@login_required
def open(token: str):
    """The screen an invite card opens, by its kind."""
    try:
        invite = invites.resolve(db.session, token, None, clock.utcnow())
    except invites.InviteInvalid:
        return _invalid()
    if invite.kind == "member":
        return choose_mode(invite, token)
    if invite.kind == "collector":
        return join_school(invite, token)
    return accept_admin(invite, token)


def choose_mode(invite, token: str):
    """填报方式: 【本人填报】 or 【代他人填报】 (S2)."""
    org = load_org(invite.organisation_id)
    has_declarants = db.session.scalar(
        select(ProxyBinding.id).where(
            ProxyBinding.proxy_id == current_user.id,
            ProxyBinding.organisation_id == org.id,
            ProxyBinding.active.is_(True),
        ).limit(1)
    )
    proxy_url = (
        url_for("declare.declarants", org_id=org.id, t=token)
        if has_declarants
        else url_for("declare.proxy_identity", org_id=org.id, t=token)
    )
    return render_screen("invite/_mode.html", title="填报方式", org=org, token=token, proxy_url=proxy_url)


def join_school(invite, token: str):
    """加入学校: confirm the school → 【下一步】 → 创建我的组织 (W2)."""
    collector = db.session.scalar(
        select(Collector).where(Collector.person_id == current_user.id, Collector.school_id == invite.school_id)
    )
    if request.method == "POST":
        if collector is None:
            db.session.add(Collector(school_id=invite.school_id, person_id=current_user.id))
            db.session.commit()
        return redirect(url_for("workbench.index"), code=303)
    has_org = collector is not None and db.session.scalar(
        select(Organisation.id).where(Organisation.collector_id == collector.id)
    )
    return render_screen(
        "invite/_join_school.html", title="学校采集员工作台", school=invite.school, has_org=has_org
    )


def accept_admin(invite, token: str):
    """The operator's invite: become this school's admin (W1)."""
    if request.method == "POST":
        exists = db.session.scalar(
            select(SchoolAdmin).where(
                SchoolAdmin.school_id == invite.school_id, SchoolAdmin.person_id == current_user.id
            )
        )
        if exists is None:
            db.session.add(SchoolAdmin(school_id=invite.school_id, person_id=current_user.id))
            db.session.commit()
        return redirect(url_for("school.index"), code=303)
    return render_screen("invite/_admin.html", title="学校管理员", school=invite.school)

"""Invite cards opened from a chat (SPEC S1–S2, W1–W2): 填报方式, 加入学校, 学校管理员."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, url_for
from flask_login import current_user
from sqlalchemy import select

from yks_web import clock
from yks_web.blueprints.declare import load_org
from yks_web.extensions import db
from yks_web.i18n import gettext
from yks_web.models import Collector, ProxyBinding, SchoolAdmin
from yks_web.rendering import render_screen
from yks_web.services import invites

bp = Blueprint("invite", __name__, url_prefix="/invite")


def _live(token: str):
    try:
        return invites.resolve(db.session, token, None, clock.utcnow())
    except invites.InviteInvalid:
        return None


def _invalid():
    return render_screen("invite/_invalid.html", title=gettext("邀请已失效"), status=404,
                         message=gettext(invites.INVALID))


@bp.get("/<token>")
def open(token: str):
    """The screen an invite card opens, by its kind."""
    invite = _live(token)
    if invite is None:
        return _invalid()
    if invite.kind == "member":
        return choose_mode(invite, token)
    if invite.kind == "collector":
        return join_school(invite)
    return render_screen("invite/_admin.html", title=gettext("学校管理员"), school=invite.school)


@bp.post("/<token>")
def accept(token: str):
    """【下一步】 on 加入学校, or 确认加入 as school admin."""
    invite = _live(token)
    if invite is None:
        return _invalid()
    if invite.kind == "collector":
        return join_school_post(invite)
    if invite.kind == "school_admin":
        return accept_admin_post(invite)
    abort(405)


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
    self_url = url_for("declare.confirm_self", org_id=org.id, t=token)
    return render_screen(
        "declare/_mode.html", title=gettext("填报方式"), org=org, self_url=self_url, proxy_url=proxy_url,
        back=url_for("home.index"),
    )


def _my_collector() -> Collector | None:
    return db.session.scalar(select(Collector).where(Collector.person_id == current_user.id))


def join_school(invite):
    """加入学校: confirm the school → 【下一步】 → 创建我的组织 (W2)."""
    collector = _my_collector()
    if collector is not None and collector.school_id == invite.school_id:
        return redirect(url_for("workbench.index"))
    return render_screen(
        "invite/_join_school.html", title=gettext("学校采集员工作台"), school=invite.school,
        other_school=collector.school if collector is not None else None,
    )


def join_school_post(invite):
    collector = _my_collector()
    if collector is None:
        db.session.add(Collector(school_id=invite.school_id, person_id=current_user.id))
        db.session.commit()
    elif collector.school_id != invite.school_id:  # one collector, one organisation (FAQ 3, 4)
        return join_school(invite)
    return redirect(url_for("workbench.index"), code=303)


def accept_admin_post(invite):
    """The operator's invite: become this school's admin (W1); the link is then spent."""
    exists = db.session.scalar(
        select(SchoolAdmin.id).where(
            SchoolAdmin.school_id == invite.school_id, SchoolAdmin.person_id == current_user.id
        )
    )
    if exists is None:
        db.session.add(SchoolAdmin(school_id=invite.school_id, person_id=current_user.id))
    invites.use(invite, clock.utcnow())
    db.session.commit()
    return redirect(url_for("school.dashboard", school_id=invite.school_id), code=303)

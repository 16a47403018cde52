"""谁可以代我操作 and 代申报通知 (SPEC P10, I7; issue 8 item 2): one's own account, nobody else's."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask_login import current_user, login_required

from yks_web import clock
from yks_web.extensions import db
from yks_web.i18n import gettext
from yks_web.models.people import Person
from yks_web.privacy import mask_name
from yks_web.rendering import render_screen
from yks_web.services import consent, notices

bp = Blueprint("delegates", __name__, url_prefix="/delegates")


@bp.before_request
@login_required
def _require_login():
    return None


@bp.app_template_global()
def delegate_attention() -> consent.Attention:
    """Unread 代申报通知 and waiting 添加请求, for 个人中心 and its card on the home page (one statement,
    run only by the templates that show it)."""
    if not current_user.is_authenticated:
        return consent.Attention(0, 0)
    return consent.attention(db.session, current_user.id)


@bp.get("/")
def index():
    """谁可以代我操作: 添加请求 to answer, 家庭成员 owners and 代填人, each removable."""
    return render_screen(
        "delegates/_index.html", title=gettext("谁可以代我操作"),
        requests=consent.requests_for(db.session, current_user.id),
        delegates=consent.delegates(db.session, current_user.id),
    )


@bp.post("/requests/<int:link_id>/accept")
def accept(link_id: int):
    """【同意】 a 添加家庭成员 request on one's own login (I7)."""
    row = consent.accept(db.session, current_user.id, link_id, clock.utcnow())
    if row is None:
        abort(404)
    db.session.commit()
    flash(gettext("已同意%(name)s将您添加为家庭成员", name=mask_name(row.owner.name)), "success")
    return redirect(url_for("delegates.index"), code=303)


@bp.post("/requests/<int:link_id>/refuse")
def refuse(link_id: int):
    """【拒绝】: nothing is shared."""
    row = consent.refuse(db.session, current_user.id, link_id)
    if row is None:
        abort(404)
    db.session.commit()
    flash(gettext("已拒绝%(name)s的添加请求", name=mask_name(row.owner.name)), "info")
    return redirect(url_for("delegates.index"), code=303)


def _family_owner(link_id: int):
    row = consent.family_owner(db.session, current_user.id, link_id)
    if row is None:
        abort(404)
    return row


def _proxy(binding_id: int):
    row = consent.proxy_binding(db.session, current_user.id, binding_id)
    if row is None:
        abort(404)
    return row


@bp.get("/family/<int:link_id>/remove")
def remove_family(link_id: int):
    """确认移除 a 家庭成员 owner: a page of its own, so it works without JavaScript."""
    row = _family_owner(link_id)
    return render_screen(
        "delegates/_remove.html", title=gettext("确认移除"), who=row.owner.name, role=gettext("家庭成员"),
        can=gettext("出示您的粤康码、查看您的粤康码信息并为您进行健康申报"),
        action=url_for("delegates.remove_family_post", link_id=row.id),
    )


@bp.post("/family/<int:link_id>/remove")
def remove_family_post(link_id: int):
    row = consent.remove_family_owner(db.session, current_user.id, link_id)
    if row is None:
        abort(404)
    db.session.commit()
    flash(gettext("已移除%(name)s，其不能再出示您的粤康码或为您申报", name=mask_name(row.owner.name)), "success")
    return redirect(url_for("delegates.index"), code=303)


@bp.get("/proxy/<int:binding_id>/remove")
def remove_proxy(binding_id: int):
    """确认移除 a 代填人."""
    row = _proxy(binding_id)
    proxy = db.session.get(Person, row.proxy_id)
    org = row.organisation
    return render_screen(
        "delegates/_remove.html", title=gettext("确认移除"), who=proxy.name, role=gettext("代填人"),
        can=gettext("在“%(organisation)s”为您填报学生/教职工个人健康申报",
                    organisation=f"{org.school.name} {org.name}"),
        action=url_for("delegates.remove_proxy_post", binding_id=row.id),
    )


@bp.post("/proxy/<int:binding_id>/remove")
def remove_proxy_post(binding_id: int):
    row = consent.remove_proxy(db.session, current_user.id, binding_id, clock.utcnow())
    if row is None:
        abort(404)
    db.session.commit()
    flash(gettext("已移除代填人，其不能再为您在%(organisation)s填报，也不能通过邀请卡片重新添加您",
                  organisation=row.organisation.name), "success")
    return redirect(url_for("delegates.index"), code=303)


@bp.get("/proxy/<int:binding_id>/allow")
def allow_proxy(binding_id: int):
    """确认重新允许 a removed 代填人: a page of its own, so it works without JavaScript (P10)."""
    row = consent.removed_proxy(db.session, current_user.id, binding_id)
    if row is None:
        abort(404)
    return render_screen(
        "delegates/_allow.html", title=gettext("确认重新允许"), who=db.session.get(Person, row.proxy_id).name,
        action=url_for("delegates.allow_proxy_post", binding_id=row.id),
    )


@bp.post("/proxy/<int:binding_id>/allow")
def allow_proxy_post(binding_id: int):
    """【重新允许】: the removed 代填人 may add me again through an invite card (S4); nothing is bound yet."""
    row = consent.allow_proxy_again(db.session, current_user.id, binding_id)
    if row is None:
        abort(404)
    db.session.commit()
    flash(gettext("已重新允许%(name)s，对方可通过邀请卡片再次为您代填报",
                  name=mask_name(db.session.get(Person, row.proxy_id).name)), "success")
    return redirect(url_for("delegates.index"), code=303)


@bp.get("/notices")
def notice_list():
    """代申报通知: each declaration someone else submitted in my name, newest first."""
    return render_screen(
        "delegates/_notices.html", title=gettext("代申报通知"), rows=notices.latest(db.session, current_user.id),
    )


@bp.post("/notices/read")
def notices_read():
    """【全部标为已读】."""
    notices.mark_read(db.session, current_user.id, clock.utcnow())
    db.session.commit()
    return redirect(url_for("delegates.notice_list"), code=303)

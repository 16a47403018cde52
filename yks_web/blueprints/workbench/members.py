"""邀请成员, 手动添加, 编辑组织信息 and 成员管理 (W3, W5)."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload

from yks_web import clock, qr
from yks_web.blueprints.auth import client_ip
from yks_web.blueprints.workbench import bp, my_org
from yks_web.converters import parse_id
from yks_web.extensions import db
from yks_web.forms.identity import IdentityForm
from yks_web.forms.workbench import OrganisationInfoForm
from yks_web.i18n import gettext, ngettext
from yks_web.models import Membership
from yks_web.rendering import render_screen
from yks_web.services import invites, membership
from yks_web.services.identity import IdentityMismatch, make_identity
from yks_web.services.rate_limits import RateLimited


def member_invite_url(org) -> str:
    invite = invites.member_invite(
        db.session, org_id=org.id, school_id=org.school_id, creator_id=current_user.id,
        utc_now=clock.utcnow(),
    )
    db.session.commit()
    return url_for("invite.open", token=invite.token, _external=True)


@bp.get("/invite/card")
def invite_card():
    """【微信发送邀请】: the invite card with link, copy, QR and share (W3)."""
    org = my_org()
    return render_screen("workbench/_invite_card.html", title=gettext("邀请卡片"), org=org, link=member_invite_url(org))


@bp.get("/invite/qr.<any(png, svg):fmt>")
def invite_qr(fmt: str):
    org = my_org()
    return qr.response(member_invite_url(org), fmt, f"invite-{org.id}")


@bp.get("/guide")
def guide():
    """操作指引: how a collector invites members."""
    return render_screen("workbench/_guide.html", title=gettext("操作指引"))


def _add_member_screen(org, form: IdentityForm):
    return render_screen("workbench/_add_member.html", title=gettext("手动添加"), org=org, form=form)


@bp.get("/members/add")
def add_member():
    """【手动添加】: the collector enters a member's identity; they join without an invite (W3)."""
    return _add_member_screen(my_org(), IdentityForm())


@bp.post("/members/add")
def add_member_post():
    org = my_org()
    form = IdentityForm()
    if not form.validate():
        return _add_member_screen(org, form)
    identity = make_identity(form.name.data, form.id_type.data, form.id_number.data)
    try:
        membership.claim_member(db.session, org, current_user.id, identity, "manual", utc_now=clock.utcnow(),
                                ip=client_ip())
    except RateLimited as exc:
        db.session.rollback()
        form.id_number.errors.append(exc.message)
        return _add_member_screen(org, form)
    except IdentityMismatch as exc:
        db.session.commit()  # the refused look-up still counts (issue 8 item 3); no person is written
        form.id_number.errors.append(exc.message)
        return _add_member_screen(org, form)
    db.session.commit()
    flash(gettext("已添加成员%(name)s", name=identity.name), "success")
    return redirect(url_for("workbench.add_member"), code=303)


@bp.get("/org")
def org_menu():
    """编辑组织信息: 【修改组织信息】 or 【成员管理】 (W5)."""
    return render_screen("workbench/_org_menu.html", title=gettext("编辑组织信息"), org=my_org())


@bp.get("/org/modify")
def modify_org():
    """修改组织信息 → 【确认修改】 (W5)."""
    org = my_org()
    return render_screen("workbench/_modify_org.html", title=gettext("修改组织信息"), org=org,
                         form=OrganisationInfoForm(obj=org))


@bp.post("/org/modify")
def modify_org_post():
    org = my_org()
    form = OrganisationInfoForm()
    if not form.validate():
        return render_screen("workbench/_modify_org.html", title=gettext("修改组织信息"), org=org, form=form)
    org.name = form.name.data
    org.size = form.size.data
    db.session.commit()
    flash(gettext("组织信息已修改"), "success")
    return redirect(url_for("workbench.index"), code=303)


@bp.get("/members")
def manage_members():
    """成员管理 → 【删除成员】 → select → 【确认删除】 → 确定删除？ → 【确定】 (W5, issue 9 item 3)."""
    org = my_org()
    return render_screen(
        "workbench/_members.html", title=gettext("成员管理"), org=org,
        members=membership.members(db.session, org.id), selecting=request.args.get("select") == "1", chosen=None,
    )


@bp.post("/members")
def delete_members():
    """Two steps on one URL (GET shows the list, so a reload never ends on a 405): 【确认删除】 posts the chosen
    members and gets 确定删除？ with their names, nothing changed; its 【确定】 posts them again with `confirmed`,
    and only then they leave the organisation; their records stay (W5). A POST, not a link: a large class's
    ids do not fit in a URL."""
    org = my_org()
    chosen = {parse_id(v) for v in request.form.getlist("person")}
    if None in chosen:
        abort(404)
    if not chosen:
        flash(gettext("请选择需要删除的成员"), "error")
        return redirect(url_for("workbench.manage_members", select=1), code=303)
    rows = db.session.scalars(
        membership.select_active(org.id).options(joinedload(Membership.person))
        .where(Membership.person_id.in_(chosen)).order_by(Membership.id)
    ).all()
    if len(rows) != len(chosen):
        abort(404)
    if request.form.get("confirmed") != "1":
        return render_screen("workbench/_members.html", title=gettext("删除成员"), org=org, members=[], selecting=False,
                             chosen=rows)
    for row in rows:
        membership.leave(db.session, row, clock.utcnow())
    db.session.commit()
    flash(ngettext("已删除%(num)d名成员", "已删除%(num)d名成员", len(rows)), "success")
    return redirect(url_for("workbench.manage_members"), code=303)

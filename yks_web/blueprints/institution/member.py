"""组织机构成员 (SPEC O1, O8; guide 二 (一) 2): 绑定组织机构 by 申报码, 绑定组织机构管理 (list, 解绑), 成员申报."""

from __future__ import annotations

import uuid

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user

from yks_web import clock
from yks_web.blueprints.auth import client_ip
from yks_web.blueprints.institution import bp, institution_for
from yks_web.extensions import db
from yks_web.forms.institution import InstitutionCodeForm, MemberDeclarationForm
from yks_web.i18n import gettext
from yks_web.models.institution import Institution
from yks_web.rendering import render_screen
from yks_web.services import institution_members
from yks_web.services.errors import DomainError

ROLE = "institution_member"


def _to_list():
    return redirect(url_for("institution.member_home"), code=303)


@bp.get("/member")
def member_home():
    """绑定组织机构管理 (图2-8): the institutions the user bound, today's 已申报/未申报, 申报 and 解绑 each
    (the 普通成员 小程序码 lands here)."""
    bound = institution_members.bound_institutions(db.session, current_user.id, clock.today())
    return render_screen("institution/_member_home.html", title=gettext("组织机构成员健康申报"), bound=bound)


def _bind_screen(form: InstitutionCodeForm):
    return render_screen("institution/_member_bind.html", title=gettext("绑定组织机构"), form=form)


@bp.get("/member/bind")
def member_bind():
    """成员绑定组织机构 (图2-6): enter the 组织机构申报码 (a shared link may carry it in ?code=)."""
    form = InstitutionCodeForm(formdata=None)
    form.code.data = (request.args.get("code") or "")[:40]
    return _bind_screen(form)


@bp.post("/member/bind")
def member_bind_post():
    form = InstitutionCodeForm()
    if not form.validate():
        return _bind_screen(form)
    try:
        member = institution_members.bind_by_code(
            db.session, current_user.id, form.code.data, address=client_ip(), utc_now=clock.utcnow()
        )
    except DomainError as refused:
        db.session.commit()  # the attempt counts (O8: codes are not guessable in a few tries)
        form.code.errors = [refused.message]
        return _bind_screen(form)
    name = member.institution.name
    db.session.commit()
    flash(gettext("绑定成功：%(name)s", name=name), "success")
    return _to_list()


def _declare_screen(institution: Institution, form: MemberDeclarationForm, error: str | None = None):
    return render_screen("institution/_declare.html", title=gettext("成员申报"), institution=institution, form=form,
                         error=error)


@bp.get("/<int:institution_id>/declare")
def declare(institution_id: int):
    """成员申报 (图2-7): the personal health declaration and the institution's other fields → 【提交】."""
    institution = institution_for(institution_id, ROLE)
    form = MemberDeclarationForm(formdata=None)
    form.form_key.data = uuid.uuid4().hex
    return _declare_screen(institution, form)


@bp.post("/<int:institution_id>/declare")
def declare_post(institution_id: int):
    institution = institution_for(institution_id, ROLE)
    form = MemberDeclarationForm()
    if not form.validate():
        return _declare_screen(institution, form)
    key = form.form_key.data if form.form_key.data and len(form.form_key.data) <= 64 else uuid.uuid4().hex
    try:
        row = institution_members.declare(
            db.session, institution_id=institution.id, person_id=current_user.id, answers=form.to_answers(),
            on_duty=form.on_duty.data == "yes", work_place=form.work_place.data or "", form_key=key,
            day=clock.today(), utc_now=clock.utcnow(),
        )
    except DomainError as refused:
        db.session.rollback()
        return _declare_screen(institution, form, refused.message)
    declaration_id = row.id
    db.session.commit()
    return redirect(url_for("institution.done", institution_id=institution.id, declaration_id=declaration_id),
                    code=303)


@bp.get("/<int:institution_id>/done/<int:declaration_id>")
def done(institution_id: int, declaration_id: int):
    """提交成功: what was declared, for which institution."""
    institution = institution_for(institution_id, ROLE)
    row = institution_members.own_declaration(db.session, institution.id, current_user.id, declaration_id)
    if row is None:
        abort(404)
    return render_screen("institution/_done.html", title=gettext("提交成功"), institution=institution, row=row,
                         personal=row.personal)


@bp.get("/<int:institution_id>/leave")
def leave(institution_id: int):
    """解绑: 确定解绑该组织机构？ → 【确定】 (a page of its own: works without JavaScript)."""
    institution = institution_for(institution_id, ROLE)
    return render_screen("institution/_leave.html", title=gettext("解绑组织机构"), institution=institution)


@bp.post("/<int:institution_id>/leave")
def leave_post(institution_id: int):
    institution = institution_for(institution_id, ROLE)
    member = institution_members.binding(db.session, institution.id, current_user.id)
    if member is None:  # unbound in another tab meanwhile
        return _to_list()
    institution_members.unbind(db.session, member, clock.utcnow())
    name = institution.name
    db.session.commit()
    flash(gettext("已解绑：%(name)s", name=name), "success")
    return _to_list()

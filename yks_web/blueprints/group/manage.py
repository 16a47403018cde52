"""团体码 for its creator and admins (SPEC G1, G3, G5; issue 13 items 2, 4, 6): 创建团体 (创建成功 / 创建失败 →
重新创建), 我管理的团体 (数据统计, 【刷新数据】, 团体管理), 修改团体信息, 允许新成员加入, 邀请成员.

The rules are services/groups, group_members, group_data and phone_codes; each view parses, calls one of them,
and renders or redirects (303). 【获取验证码】 and the area picker's 【选择】 are submit buttons of the create form,
so it works without JavaScript and keeps everything typed.
"""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import format_time
from flask_login import current_user

from yks_web import clock, qr
from yks_web.blueprints.group import bp, group_for, send_phone_code
from yks_web.extensions import db
from yks_web.forms.areas import PICK
from yks_web.forms.group import SEND_CODE, CreateGroupForm, EditGroupForm
from yks_web.health_setup import provider
from yks_web.i18n import DEFAULT_LOCALE, N_, gettext
from yks_web.i18n_setup import current_language
from yks_web.models.group import SHARED, Group, GroupInvite
from yks_web.rendering import render_screen
from yks_web.services import areas, group_data, group_members, groups, phone_codes
from yks_web.services.sms import SmsError
from yks_web.template_helpers import local_time

PURPOSE = N_("创建团体")


def _hh_mm(utc_moment) -> str:
    """A moment's hour and minute in Shanghai time: 09:30 in 简体中文, the locale's short time in the others."""
    if current_language() == DEFAULT_LOCALE:
        return local_time(utc_moment)[11:16]
    return format_time(utc_moment, "short")


# -- 创建团体 ------------------------------------------------------------------------------------------------------


def _create_screen(form: CreateGroupForm):
    return render_screen("group/_create.html", title=gettext("创建团体"), form=form, shared=SHARED)


@bp.get("/create")
def create():
    """创建团体: 创建人信息 (from 实名认证), 手机号 + 手机验证码, 团体信息 (名称, 类型, 地址)."""
    form = CreateGroupForm(formdata=None)
    form.phone.data = current_user.phone or ""
    form.set_area_choices()
    return _create_screen(form)


@bp.post("/create")
def create_post():
    form = CreateGroupForm()
    form.set_area_choices()
    if PICK in request.form or "again" in request.form:  # 【选择】 without JS, or 重新创建: the form as typed
        return _create_screen(form)
    if SEND_CODE in request.form:
        return _send_code(form)
    if not form.validate():
        return _create_screen(form)
    try:
        phone = phone_codes.check(db.session, current_user, form.phone.data, form.challenge.data, form.code.data,
                                  clock.utcnow())
    except SmsError as refused:
        db.session.commit()  # a wrong code still counts as a try
        form.code.errors = [refused.message]
        return _create_screen(form)
    try:
        group = groups.create(db.session, current_user.id, form.info(), phone=phone, utc_now=clock.utcnow())
    except groups.GroupRefused as refused:
        db.session.commit()  # nothing was made; the code is spent
        return render_screen("group/_create_failed.html", title=gettext("创建团体"), form=form, reason=refused.message)
    creator = group_members.membership(db.session, group.id, current_user.id)
    group_data.snapshot_people(db.session, {creator.id: current_user.id}, provider(), clock.utcnow())
    db.session.commit()
    return redirect(url_for("group.created", group_id=group.id), code=303)


def _send_code(form: CreateGroupForm):
    send_phone_code(form, PURPOSE)
    return _create_screen(form)


@bp.get("/<int:group_id>/created")
def created(group_id: int):
    """创建成功: 您的团体组织已创建成功 … 【邀请成员】, 【返回团体码首页】."""
    group = group_for(group_id, "group_creator")
    return render_screen("group/_created.html", title=gettext("创建团体"), group=group)


# -- 我管理的团体 ----------------------------------------------------------------------------------------------------


@bp.get("/<int:group_id>")
def manage(group_id: int):
    """我管理的团体: 数据统计 (each count opens 成员管理 with that filter), 【刷新数据】, 团体管理."""
    group = group_for(group_id, "group_admin")
    allowed_at = group_data.refresh_allowed_at(group, clock.utcnow())
    return render_screen(
        "group/_manage.html", title=gettext("团体码"), group=group, stats=group_data.stats(db.session, group.id),
        is_creator=group.creator_id == current_user.id, max_people=groups.MAX_PEOPLE,
        allowed_at=_hh_mm(allowed_at) if allowed_at else None,  # 刷新数据（09:30后可再次刷新）
        code_choices=group_data.CODE_CHOICES, test_choices=group_data.TEST_CHOICES,
        vaccine_choices=group_data.VACCINE_CHOICES,
    )


@bp.post("/<int:group_id>/refresh")
def refresh_post(group_id: int):
    """【刷新数据】: every member's data from the provider now, at most once per 30 minutes per group."""
    group = group_for(group_id, "group_admin")
    try:
        group_data.refresh(db.session, group.id, provider(), clock.utcnow())
    except group_data.RefreshRefused as refused:
        db.session.rollback()
        flash(gettext("30分钟内不可重复刷新，请于%(time)s后再试", time=_hh_mm(refused.allowed_at)), "error")
    else:
        db.session.commit()
        flash(gettext("数据已刷新"), "success")
    return redirect(url_for("group.manage", group_id=group.id), code=303)


@bp.post("/<int:group_id>/allow-join")
def allow_join_post(group_id: int):
    """允许新成员加入 on or off (the switch is a plain form button: `allow` is 1 or 0)."""
    group = group_for(group_id, "group_admin")
    allow = request.form.get("allow")
    if allow in ("0", "1"):  # anything else (a hand-made post) changes nothing
        groups.set_allow_join(db.session, group, allow == "1", clock.utcnow())
        db.session.commit()
        flash(gettext("已允许新成员加入") if allow == "1" else gettext("已关闭新成员加入，邀请链接将无法加入团体"),
              "success")
    back = "group.invite" if request.form.get("back") == "invite" else "group.manage"
    return redirect(url_for(back, group_id=group.id), code=303)


# -- 修改团体信息 (creator only) ---------------------------------------------------------------------------------------


def _edit_screen(group: Group, form: EditGroupForm, error: str | None = None):
    return render_screen("group/_edit.html", title=gettext("修改团体信息"), group=group, form=form, error=error)


@bp.get("/<int:group_id>/edit")
def edit(group_id: int):
    """修改团体信息: 团体名称, 团体类型, 团体地址 (the creator only; an admin gets 404)."""
    group = group_for(group_id, "group_creator")
    form = EditGroupForm(formdata=None)
    form.fill(group)
    return _edit_screen(group, form)


@bp.post("/<int:group_id>/edit")
def edit_post(group_id: int):
    group = group_for(group_id, "group_creator")
    form = EditGroupForm()
    form.set_area_choices()
    if PICK in request.form or not form.validate():
        return _edit_screen(group, form)
    try:
        groups.edit(db.session, group, current_user.id, form.info(), clock.utcnow())
    except groups.GroupRefused as refused:
        db.session.rollback()
        return _edit_screen(group, form, refused.message)
    db.session.commit()
    flash(gettext("团体信息已修改"), "success")
    return redirect(url_for("group.manage", group_id=group.id), code=303)


# -- 邀请成员 -------------------------------------------------------------------------------------------------------


def join_url(token: str) -> str:
    """The absolute link a member opens (behind the proxy, ProxyFix gives the scheme; the host is the request's)."""
    return url_for("group.join", token=token, _external=True)


@bp.get("/<int:group_id>/invite")
def invite(group_id: int):
    """邀请成员: 邀请新成员加入团体, 允许新成员加入, 流程指引, 【保存图片并分享】 / 【分享邀请链接】."""
    group = group_for(group_id, "group_admin")
    return render_screen("group/_invite.html", title=gettext("团体码"), group=group)


@bp.post("/<int:group_id>/invite")
def invite_post(group_id: int):
    """Each share is a new invitation, valid 24 hours from now."""
    group = group_for(group_id, "group_admin")
    row = group_members.invite(db.session, group, current_user.id, clock.utcnow())
    db.session.commit()
    return redirect(url_for("group.invite_link", group_id=group.id, invite_id=row.id), code=303)


def _invite_of(group: Group, invite_id: int) -> GroupInvite:
    row = db.session.get(GroupInvite, invite_id)
    if row is None or row.group_id != group.id:
        abort(404)
    return row


@bp.get("/<int:group_id>/invite/<int:invite_id>")
def invite_link(group_id: int, invite_id: int):
    """The invitation to share: its QR and link with 【复制】, valid until 24 hours after it was made."""
    group = group_for(group_id, "group_admin")
    row = _invite_of(group, invite_id)
    return render_screen("group/_invite_link.html", title=gettext("邀请成员"), group=group, invite=row,
                         link=join_url(row.token), expired=clock.utcnow() >= row.expires_at,
                         area=areas.full_name(group.area_code))


@bp.get("/<int:group_id>/invite/<int:invite_id>/qr.<any(png, svg):fmt>")
def invite_qr(group_id: int, invite_id: int, fmt: str):
    """The invitation's QR as an image to save (保存图片并分享)."""
    group = group_for(group_id, "group_admin")
    row = _invite_of(group, invite_id)
    if clock.utcnow() >= row.expires_at:
        abort(404)
    return qr.response(join_url(row.token), fmt, "group-invite")

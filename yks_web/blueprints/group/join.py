"""团体码, the member's side (SPEC G3, G6; issue 13 items 4 and 5; the guide 四 (四), 图8, 图9, FAQ 1–2).

- group.join: the invitation a share link / QR opens, public (an anonymous visitor sees whom it is from and what
  the group's admins would see; 【立即加入】 leads through 实名认证 and back: the login's `next` carries the token).
  An expired link is a page saying so (200); an unknown one the same page as 404.
- group.authorise (GET) / authorise_post: the authorisation page: exactly what the admins will see (models.group
  .SHARED), 手机号 + 手机验证码 (services/phone_codes, purpose "加入团体", 【获取验证码】 without JavaScript), 我的备注,
  the agreement → services/group_members.join (the consent row) → the joiner's snapshot → 加入成功 (group.welcome).
- group.joined: 我加入的团体 (图9), 查阅记录, 撤回授权 (beyond the guide: a confirm page, then group_members.withdraw).
- group.consents: 我的授权记录, every consent with what was shared, when, and how it ended.
- group.agreement: what 《用户服务协议》及《个人信息保护政策》 say about 团体码 (what is shared, with whom, how to
  withdraw).
"""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import current_user

from yks_web import clock
from yks_web.blueprints.group import bp, group_for, send_phone_code
from yks_web.extensions import db
from yks_web.forms.group_join import JoinForm
from yks_web.health_setup import provider
from yks_web.i18n import N_, gettext
from yks_web.models.group import CREATOR, SHARED, Group, GroupInvite
from yks_web.rendering import render_screen
from yks_web.services import areas, group_data, group_members, groups, phone_codes
from yks_web.services.sms import SmsError

INVITE_TITLE = N_("邀请您加入团体")
TITLE = N_("团体码")
PURPOSE = N_("加入团体")


def _open(token: str) -> tuple[GroupInvite | None, object]:
    """The live invitation, or (None, the page saying it is unknown (404) or expired (200))."""
    try:
        return group_members.open_invite(db.session, token, clock.utcnow()), None
    except group_members.MemberRefused as refused:
        status = 404 if refused.reason == group_members.INVITE_UNKNOWN else 200
        return None, render_screen("group/_join_invalid.html", title=gettext(INVITE_TITLE), status=status,
                                   message=refused.message)


def _member_of(group: Group):
    return (group_members.membership(db.session, group.id, current_user.id)
            if current_user.is_authenticated else None)


@bp.get("/join/<token>")
def join(token: str):
    """The invitation: 张*三 邀请您加入【…】, 团体信息, what the admins will see, 【立即加入】 (or why not)."""
    invite, page = _open(token)
    if invite is None:
        return page
    group = invite.group
    authorise = url_for("group.authorise", token=token)
    return render_screen(
        "group/_join.html", title=gettext(INVITE_TITLE), invite=invite, group=group, shared=SHARED,
        member=_member_of(group), full=group.people >= groups.MAX_PEOPLE, max_people=groups.MAX_PEOPLE,
        joins_off=group_members.said(group_members.JOINS_OFF), group_full=group_members.said(group_members.GROUP_FULL),
        next_url=authorise if current_user.is_authenticated else url_for("auth.login", next=authorise),
    )


def _authorise_screen(invite: GroupInvite, form: JoinForm, error: str | None = None):
    group = invite.group
    inviter = group_members.membership(db.session, group.id, invite.created_by_id)
    return render_screen(
        "group/_join_authorise.html", title=gettext(INVITE_TITLE), invite=invite, group=group, form=form,
        shared=SHARED, error=error, inviter=invite.created_by,
        inviter_phone=(inviter.phone if inviter is not None else None) or invite.created_by.phone or "",
        refusal=(group_members.said(group_members.JOINS_OFF) if not group.allow_join else
                 group_members.said(group_members.GROUP_FULL) if group.people >= groups.MAX_PEOPLE else None),
    )


def _already(group: Group):
    flash(gettext("您已是团体【%(name)s】的成员", name=group.name), "info")
    return redirect(url_for("group.joined", group_id=group.id), code=303)


@bp.get("/join/<token>/authorise")
def authorise(token: str):
    """The authorisation page (logged in): 您将加入到【…】, 团体信息, 我的信息, the agreement, 【授权并加入团体】;
    already in the group: straight to 我加入的团体."""
    invite, page = _open(token)
    if invite is None:
        return page
    if _member_of(invite.group) is not None:
        return _already(invite.group)
    return _authorise_screen(invite, JoinForm(formdata=None))


@bp.post("/join/<token>/authorise")
def authorise_post(token: str):
    """【获取验证码】 (the phone only, the rest kept) or 【授权并加入团体】 → 加入成功 (PRG)."""
    invite, page = _open(token)
    if invite is None:
        return page
    group = invite.group
    if _member_of(group) is not None:
        return _already(group)
    form = JoinForm()
    now = clock.utcnow()
    if form.send_code.data:
        send_phone_code(form, PURPOSE)
        return _authorise_screen(invite, form)
    if not form.validate():
        return _authorise_screen(invite, form)
    try:
        phone = phone_codes.check(db.session, current_user, form.phone.data, form.challenge.data, form.code.data,
                                  now)
    except SmsError as refused:
        db.session.commit()  # a failed try counts, as at login
        (form.phone if refused.reason == phone_codes.OTHER_PHONE else form.code).errors = [refused.message]
        return _authorise_screen(invite, form)
    try:
        member, joined_now = group_members.join(db.session, token, current_user.id, remark=form.remark.data or "",
                                                phone=phone, utc_now=now)
    except group_members.MemberRefused as refused:  # switched off, full (the FAQ's advice), expired meanwhile
        db.session.rollback()
        return _authorise_screen(invite, form, error=refused.message)
    if not joined_now:
        db.session.rollback()
        return _already(group)
    group_data.snapshot_people(db.session, {member.id: current_user.id}, provider(), now)
    db.session.commit()
    return redirect(url_for("group.welcome", group_id=group.id), code=303)


@bp.get("/<int:group_id>/welcome")
def welcome(group_id: int):
    """加入成功: 您已成功加入团体【…】，可在团体首页查看相关信息; 【返回团体码首页】."""
    return render_screen("group/_welcome.html", title=gettext(TITLE), group=group_for(group_id, "group_member"))


# -- 我加入的团体, 撤回授权 -------------------------------------------------------------------------------------------


@bp.get("/<int:group_id>/joined")
def joined(group_id: int):
    """我加入的团体 (图9): 团体类型, 团体地址, 创建人, 证件号码, 手机号码 (masked); 查阅记录; 撤回授权."""
    group = group_for(group_id, "group_member")
    me = group_members.membership(db.session, group.id, current_user.id)
    creator = group_members.membership(db.session, group.id, group.creator_id)
    return render_screen(
        "group/_joined.html", title=gettext(TITLE), group=group, me=me, area=areas.full_name(group.area_code),
        creator=group.creator, creator_phone=(creator.phone if creator is not None else None)
        or group.creator.phone or "", shared=SHARED,
    )


@bp.get("/<int:group_id>/withdraw")
def withdraw(group_id: int):
    """撤回授权 → the confirm page: it removes the person from the group (the creator is told they cannot)."""
    group = group_for(group_id, "group_member")
    me = group_members.membership(db.session, group.id, current_user.id)
    return render_screen("group/_joined_withdraw.html", title=gettext("撤回授权"), group=group, me=me, shared=SHARED,
                         creator_stays=group_members.said(group_members.CREATOR_STAYS), is_creator=me.role == CREATOR)


@bp.post("/<int:group_id>/withdraw")
def withdraw_post(group_id: int):
    """【确定撤回】: the consent ends ("已撤回"), the person leaves the group → 团体码 with a message."""
    group = group_for(group_id, "group_member")
    try:
        group_members.withdraw(db.session, group, current_user.id, clock.utcnow())
    except group_members.MemberRefused as refused:  # the creator stays
        db.session.rollback()
        flash(refused.message, "error")
        return redirect(url_for("group.joined", group_id=group_id), code=303)
    name = group.name
    db.session.commit()
    flash(gettext("已撤回授权，您已退出团体【%(name)s】", name=name), "success")
    return redirect(url_for("group.index"), code=303)


@bp.get("/consents")
def consents():
    """我的授权记录: every consent (current and ended) with the group, what was shared, when, and how it ended."""
    return render_screen("group/_consents.html", title=gettext("我的授权记录"),
                         consents=group_members.consents_of(db.session, current_user.id),
                         withdrawn=group_members.WITHDRAWN, removed=group_members.REMOVED)


@bp.get("/agreement")
def agreement():
    """《用户服务协议》及《个人信息保护政策》 as far as 团体码 goes: what is shared, with whom, how to withdraw."""
    return render_screen("group/_join_agreement.html", title=gettext("用户服务协议及个人信息保护政策"), shared=SHARED,
                         max_people=groups.MAX_PEOPLE)

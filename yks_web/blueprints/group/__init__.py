"""团体码 (SPEC G1–G6; issue 13; the 团体码操作指引 guide): one module per part of the guide.

manage.py    创建团体 (创建成功 / 创建失败 → 重新创建), 我管理的团体 (数据统计, 【刷新数据】 and 团体管理),
             修改团体信息, 允许新成员加入, 邀请成员 (保存图片并分享, 分享邀请链接)
join.py      the invitation (立即加入 → the authorisation page → 授权并加入团体 → 加入成功), 我加入的团体,
             撤回授权 (beyond the guide), 我的授权记录
members.py   成员管理 (233/500, keyword, 健康码 / 核酸 / 疫苗 filters as a real URL), 成员信息, 设为管理员 /
             解除管理员 / 删除成员, and the member's view of who in the group read them
Rules: services/groups.py, group_members.py, group_data.py. Roles: services/access (group_creator, group_admin,
group_member).
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash
from flask_login import current_user

from yks_web import clock
from yks_web.blueprints.auth import client_ip
from yks_web.extensions import db
from yks_web.i18n import gettext
from yks_web.models.group import Group
from yks_web.privacy import mask_phone
from yks_web.rendering import render_screen
from yks_web.services import access, groups, phone_codes
from yks_web.services.sms import SmsError
from yks_web.sms_setup import sender

bp = Blueprint("group", __name__, url_prefix="/group")


def group_for(group_id: int, *roles: str) -> Group:
    """The loader (P7): the group, when the user holds one of `roles` on it (group_creator, group_admin,
    group_member); else 404."""
    group = db.session.get(Group, group_id)
    if group is None or not any(access.holds(db.session, current_user, role, group.id) for role in roles):
        abort(404)
    return group


def send_phone_code(form, purpose: str) -> None:
    """【获取验证码】 without JavaScript (创建团体, 授权并加入团体): only the phone is checked; the code goes out, its
    challenge id into the form, and the page says so — in development it shows the code, as the login does. The
    form comes back as typed (the caller renders it). `purpose` is an N_ constant (phone_codes translates it)."""
    form.code.data = ""
    if not form.phone_only():
        return
    try:
        challenge, code = phone_codes.send(db.session, sender(), current_user, form.phone.data, purpose=purpose,
                                           ip=client_ip(), utc_now=clock.utcnow())
    except SmsError as refused:
        db.session.rollback()
        form.phone.errors = [refused.message]
        return
    db.session.commit()
    form.challenge.data = str(challenge.id)
    flash(gettext("验证码已发送至%(phone)s", phone=mask_phone(form.phone.data)), "info")
    if current_app.config["SHOW_SMS_CODE"]:
        flash(gettext("开发环境：验证码 %(code)s", code=code), "dev")


@bp.get("/")
def index():
    """团体码: 功能介绍, 操作指引, 我管理的团体, 我加入的团体, 创建团体."""
    return render_screen("group/_index.html", title=gettext("团体码"),
                         managed=groups.managed(db.session, current_user.id),
                         joined=groups.joined(db.session, current_user.id),
                         may_create=groups.created_count(db.session, current_user.id) < groups.MAX_GROUPS,
                         max_groups=groups.MAX_GROUPS)


from yks_web.blueprints.group import join, manage, members  # noqa: E402,F401

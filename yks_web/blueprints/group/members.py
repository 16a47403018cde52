"""成员管理 and 成员信息 (SPEC G2, G4; issue 13 items 3 and 5; the guide's 图6).

- 成员管理 (creator and admins): N/500, 【邀请成员】, 数据更新时间 (the last 【刷新数据】: the list is that
  snapshot), the keyword (姓名 or 备注) and the 健康码 / 核酸 / 疫苗 filters combined. The filter form is a GET
  form: the URL carries the filter, so reload, back and a link from 数据统计 keep it; with htmx it swaps the list
  in place (hx-select against the screen's own URL) and pushes that URL. PAGE_SIZE members a page (下一页 keeps
  the filter), each page one query whatever the group's size.
- 成员信息: 基本信息 (证件号码 and 手机号码 masked), 健康码, 最新核酸检测, 新冠疫苗接种记录 from the member's snapshot,
  and at the bottom what the viewer may do (services/group_members.refusal): the creator 设为管理员 / 解除管理员 /
  删除成员 (an admin: 解除管理员 first), an admin 删除成员 of members only, nobody the creator. Each action is a
  confirm page (GET, no JavaScript needed) and a POST that redirects (PRG) with a flash; a refusal (the sixth
  admin …) is that flash, or the confirm page saying why. A member of another group or an unknown id: 404.

Audit (SPEC P6, P10): every view of 成员信息 writes one row for the member (action view_group_member, role
group_creator or group_admin as the viewer is, context the group's name), shown in the member's 查阅记录.
The list is audited too, as the institution/place boards and the school's organisation day are
(services/audit.py: "a list screen writes one row per person shown in a single INSERT"): each row shows a
member's name, 备注 and their 健康码 colour, 核酸 and 疫苗 — health data read by someone else — so each page shown
writes one row per member on it (view_group_members), in one INSERT: the count of statements stays constant,
and a member sees that an admin looked at the group's list with them on it, not only at their own page.
"""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, undefer

from yks_web import clock
from yks_web.blueprints.access_log import audited
from yks_web.blueprints.group import bp, group_for
from yks_web.converters import parse_id
from yks_web.extensions import db
from yks_web.i18n import N_, gettext
from yks_web.models.group import Group, GroupMember
from yks_web.privacy import mask_name
from yks_web.rendering import render_screen
from yks_web.services import group_data, group_members
from yks_web.services.errors import DomainError
from yks_web.services.groups import MAX_PEOPLE

PAGE_SIZE = 100
MAX_PAGE = 5  # 500 people at most: a bigger page number is an empty page 5 at most
ADMINS = ("group_admin",)
CREATOR = ("group_creator",)


def _viewer_role(group: Group) -> str:
    """The reader's role as 查阅记录 names it: 团体创建人 or 团体管理员."""
    return "group_creator" if group.creator_id == current_user.id else "group_admin"


def _member(group: Group, member_id: int) -> GroupMember:
    """A member of `group` with their person and the phone they gave at join; another group's or unknown: 404."""
    member = db.session.scalar(
        select(GroupMember).options(joinedload(GroupMember.person), undefer(GroupMember.phone))
        .where(GroupMember.id == member_id, GroupMember.group_id == group.id))
    if member is None:
        abort(404)
    return member


def _page() -> int:
    page = parse_id(request.args.get("page", "1"))
    return min(max(page, 1), MAX_PAGE) if page is not None else 1


@bp.get("/<int:group_id>/members")
def members(group_id: int):
    """成员管理: N/500, 邀请成员, 数据更新时间, keyword and the 健康码/核酸/疫苗 filters; a row opens 成员信息."""
    group = group_for(group_id, *ADMINS)
    filters = group_data.Filters.parse(request.args)
    page = _page()
    rows = group_data.members(db.session, group.id, filters, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
    shown, more = rows[:PAGE_SIZE], len(rows) > PAGE_SIZE
    screen = render_screen(
        "group/_members.html", title=gettext("成员管理"), group=group, filters=filters, rows=shown, page=page,
        more=more, max_people=MAX_PEOPLE, codes=group_data.CODE_CHOICES, tests=group_data.TEST_CHOICES,
        vaccines=group_data.VACCINE_CHOICES,
    )
    return audited(screen, role=_viewer_role(group), action="view_group_members",
                   subject_ids=[m.person_id for m in shown], context=group.name)


@bp.get("/<int:group_id>/members/<int:member_id>")
def member(group_id: int, member_id: int):
    """成员信息: 基本信息, 健康码, 最新核酸检测, 新冠疫苗接种记录; 设为管理员 / 解除管理员 / 删除成员 per the rules."""
    group = group_for(group_id, *ADMINS)
    row = _member(group, member_id)
    refusals = {action: group_members.refusal(group, current_user.id, row, action)
                for action in (group_members.SET_ADMIN, group_members.REVOKE_ADMIN, group_members.REMOVE)}
    screen = render_screen(
        "group/_member.html", title=gettext("成员信息"), group=group, member=row, person=row.person, refusals=refusals,
        back_args=group_data.Filters.parse(request.args).query_args(), viewer_is_creator=group.creator_id ==
        current_user.id,
    )
    return audited(screen, role=_viewer_role(group), action="view_group_member", subject_ids=[row.person_id],
                   context=group.name)


# -- 设为管理员 / 解除管理员 / 删除成员: a confirm page, then the POST ------------------------------------------------

# Each action's words (N_, said with gettext where shown; %(name)s is the member's masked name).
ACTIONS = {
    group_members.SET_ADMIN: {
        "title": N_("设为管理员"), "question": N_("确定将%(name)s设为管理员？"),
        "hint": N_("管理员可邀请成员、查看成员信息和数据统计、删除成员；每个团体最多可设置5名管理员。"),
        "done": N_("已将%(name)s设为管理员"), "post": "group.member_admin_post",
    },
    group_members.REVOKE_ADMIN: {
        "title": N_("解除管理员"), "question": N_("确定解除%(name)s的管理员权限？"),
        "hint": N_("解除后该成员仍在团体中，不能再管理团体。"), "done": N_("已解除%(name)s的管理员权限"),
        "post": "group.member_unadmin_post",
    },
    group_members.REMOVE: {
        "title": N_("删除成员"), "question": N_("确定将%(name)s从团体中删除？"),
        "hint": N_("删除后管理员将不能再查看该成员的健康码、核酸检测和疫苗接种信息；如需再次加入，需重新邀请。"),
        "done": N_("已删除成员%(name)s"), "post": "group.member_remove_post",
    },
}


def _confirm(group: Group, row: GroupMember, action: str):
    words = ACTIONS[action]
    title, question, hint = words["title"], words["question"], words["hint"]  # N_ constants
    name = mask_name(row.person.name)
    refusal = group_members.refusal(group, current_user.id, row, action)
    return render_screen(
        "group/_member_confirm.html", title=gettext(title), group=group, member=row,
        question=gettext(question, name=name), hint=gettext(hint),
        refusal=group_members.said(refusal) if refusal else None,
        action=url_for(words["post"], group_id=group.id, member_id=row.id),
        cancel=url_for("group.member", group_id=group.id, member_id=row.id),
    )


def _act(group: Group, row: GroupMember, action: str):
    """Do `action` (the rules in services/group_members), then PRG: back to 成员信息, or to 成员管理 after 删除成员;
    a refusal is flashed there, never a 500."""
    back = url_for("group.member", group_id=group.id, member_id=row.id)
    name = mask_name(row.person.name)
    refused = group_members.refusal(group, current_user.id, row, action)
    if refused is not None:
        refused = group_members.said(refused)
    else:
        try:
            if action == group_members.SET_ADMIN:
                group_members.set_admin(db.session, group, current_user.id, row)
            elif action == group_members.REVOKE_ADMIN:
                group_members.revoke_admin(db.session, group, current_user.id, row)
            else:
                group_members.remove(db.session, group, current_user.id, row, clock.utcnow())
        except DomainError as error:
            refused = error.message
    if refused is not None:
        db.session.rollback()
        flash(refused, "error")
        return redirect(back, code=303)
    db.session.commit()
    done = ACTIONS[action]["done"]  # an N_ constant
    flash(gettext(done, name=name), "success")
    return redirect(url_for("group.members", group_id=group.id) if action == group_members.REMOVE else back, code=303)


@bp.get("/<int:group_id>/members/<int:member_id>/admin")
def member_admin(group_id: int, member_id: int):
    """设为管理员: 确定将…设为管理员？ (the creator only)."""
    group = group_for(group_id, *CREATOR)
    return _confirm(group, _member(group, member_id), group_members.SET_ADMIN)


@bp.post("/<int:group_id>/members/<int:member_id>/admin")
def member_admin_post(group_id: int, member_id: int):
    group = group_for(group_id, *CREATOR)
    return _act(group, _member(group, member_id), group_members.SET_ADMIN)


@bp.get("/<int:group_id>/members/<int:member_id>/unadmin")
def member_unadmin(group_id: int, member_id: int):
    """解除管理员: 确定解除…的管理员权限？ (the creator only)."""
    group = group_for(group_id, *CREATOR)
    return _confirm(group, _member(group, member_id), group_members.REVOKE_ADMIN)


@bp.post("/<int:group_id>/members/<int:member_id>/unadmin")
def member_unadmin_post(group_id: int, member_id: int):
    group = group_for(group_id, *CREATOR)
    return _act(group, _member(group, member_id), group_members.REVOKE_ADMIN)


@bp.get("/<int:group_id>/members/<int:member_id>/remove")
def member_remove(group_id: int, member_id: int):
    """删除成员: 确定将…从团体中删除？ (the creator, or an admin for a member)."""
    group = group_for(group_id, *ADMINS)
    return _confirm(group, _member(group, member_id), group_members.REMOVE)


@bp.post("/<int:group_id>/members/<int:member_id>/remove")
def member_remove_post(group_id: int, member_id: int):
    group = group_for(group_id, *ADMINS)
    return _act(group, _member(group, member_id), group_members.REMOVE)

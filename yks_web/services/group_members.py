"""团体码 members (SPEC G2, G3; issue 13 items 3–4): 邀请成员, 加入团体 with consent, 管理员, 删除成员, withdrawal.

- An invitation (分享邀请链接 / 保存图片并分享) admits joins for INVITE_TTL from when it was made: live up to,
  not including, its `expires_at`.
- Joining locks the group's row: the 500-person cap (creator and admins included) and the 允许新成员加入
  switch are read under the lock, so two joins at once cannot make 501. Each join records the consent: what
  is shared (models.group.SHARED), with which group (its name then), when, under which agreement.
- Roles (guide 四 (二) 3, (三) 2): the creator sets up to MAX_ADMINS admins from the members and revokes them;
  an admin must be revoked before being deleted; admins delete members only (never admins or the creator).
- A member leaves only through an admin (我加入的团体 says so); beyond the guide a member may withdraw their
  consent, which removes them (their consent row records how it ended).
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, joinedload

from yks_web.i18n import N_, gettext
from yks_web.models.group import ADMIN, CREATOR, MEMBER, SHARED, Group, GroupConsent, GroupInvite, GroupMember
from yks_web.services.errors import DomainError
from yks_web.services.groups import AGREEMENT_VERSION, MAX_ADMINS, MAX_PEOPLE
from yks_web.services.locks import lock_row

INVITE_TTL = timedelta(hours=24)
REMARK_MAX = 50

# The refusals (N_, issue 15): compared as they are (MemberRefused.reason, refusal()), said in the reader's language
# (MemberRefused.message, said()). GROUP_FULL and TOO_MANY_ADMINS are the 简体中文 with the limit in it; their msgids
# (…_TEXT) take it as %(max)d.
INVITE_UNKNOWN = N_("邀请链接无效，请联系团体管理员重新分享")
INVITE_EXPIRED = N_("该邀请已失效（邀请链接24小时内有效），请联系团体管理员重新邀请")
JOINS_OFF = N_("该团体暂不允许新成员加入，请联系团体管理员")
INVITER_GONE = N_("该邀请已失效（邀请人已不是团体管理员），请联系团体管理员重新邀请")
GROUP_FULL_TEXT = N_("该团体人数已达上限%(max)d人（含创建人、管理员），无法加入。"
                     "如需继续邀请，可由创建人新建一个团体，用团体名称区分，如广州塔-1、广州塔-2")
GROUP_FULL = GROUP_FULL_TEXT % {"max": MAX_PEOPLE}
TOO_MANY_ADMINS_TEXT = N_("每个团体最多可设置%(max)d名管理员")
TOO_MANY_ADMINS = TOO_MANY_ADMINS_TEXT % {"max": MAX_ADMINS}
REVOKE_FIRST = N_("该成员是管理员，请先解除管理员权限后再删除")
NOT_THE_CREATOR = N_("不可删除团体创建人")
ADMINS_STAY = N_("管理员不可删除管理员和创建人")
CREATOR_ONLY = N_("只有团体创建人可以设置或解除管理员")
CREATOR_STAYS = N_("团体创建人不能退出自己创建的团体")
WITHDRAWN, REMOVED = "withdrawn", "removed"
MEMBER_GONE = N_("该成员已不在团体中")
LIMITS = {GROUP_FULL: (GROUP_FULL_TEXT, MAX_PEOPLE), TOO_MANY_ADMINS: (TOO_MANY_ADMINS_TEXT, MAX_ADMINS)}


def said(reason: str) -> str:
    """A refusal constant in the reader's language, its limit filled in."""
    if reason in LIMITS:
        text, limit = LIMITS[reason]
        return gettext(text, max=limit)
    return gettext(reason)


class MemberRefused(DomainError):
    """`reason`: the constant (compared); `message`: it in the reader's language, `params` filled in."""

    def __init__(self, reason: str, **params):
        super().__init__(gettext(reason, **params) if params else said(reason))
        self.reason = reason


# -- 邀请成员 ------------------------------------------------------------------------------------------------------


def invite(session: Session, group: Group, actor_id: int, utc_now: datetime) -> GroupInvite:
    """A new link/QR token, valid INVITE_TTL from now; the caller commits."""
    row = GroupInvite(group_id=group.id, token=secrets.token_urlsafe(24), created_by_id=actor_id,
                      created_at=utc_now, expires_at=utc_now + INVITE_TTL)
    session.add(row)
    session.flush()
    return row


def open_invite(session: Session, token: str, utc_now: datetime) -> GroupInvite:
    """The live invitation with its group and inviter, made by someone who is still the group's creator or an admin;
    MemberRefused (unknown, expired, or the inviter no longer an admin) for anything else."""
    if not isinstance(token, str) or not 20 <= len(token) <= 64:
        raise MemberRefused(INVITE_UNKNOWN)
    row = session.scalar(select(GroupInvite).options(joinedload(GroupInvite.group), joinedload(GroupInvite.created_by))
                         .where(GroupInvite.token == token))
    if row is None:
        raise MemberRefused(INVITE_UNKNOWN)
    if utc_now >= row.expires_at:
        raise MemberRefused(INVITE_EXPIRED)
    inviter = session.scalar(select(GroupMember.role).where(GroupMember.group_id == row.group_id,
                                                            GroupMember.person_id == row.created_by_id))
    if inviter not in (CREATOR, ADMIN):  # an admin revoked or removed since: their links admit nobody
        raise MemberRefused(INVITER_GONE)
    return row


# -- 加入团体 ------------------------------------------------------------------------------------------------------


def membership(session: Session, group_id: int, person_id: int) -> GroupMember | None:
    return session.scalar(select(GroupMember).where(GroupMember.group_id == group_id,
                                                    GroupMember.person_id == person_id))


def join(session: Session, token: str, person_id: int, *, remark: str, phone: str, utc_now: datetime
         ) -> tuple[GroupMember, bool]:
    """授权并加入团体 (the phone was verified by SMS before); returns (the membership, joined now).

    Already in the group: (the membership, False), nothing changes. The caller commits.
    """
    remark = (remark or "").strip()
    if len(remark) > REMARK_MAX or any(not ch.isprintable() for ch in remark):
        if len(remark) > REMARK_MAX:
            raise MemberRefused(N_("备注不能超过%(max)d个字"), max=REMARK_MAX)
        raise MemberRefused(N_("备注不能包含不可见字符"))
    row = open_invite(session, token, utc_now)
    lock_row(session, Group, row.group_id)
    group = session.get(Group, row.group_id, populate_existing=True)
    existing = membership(session, group.id, person_id)
    if existing is not None:
        return existing, False
    if not group.allow_join:
        raise MemberRefused(JOINS_OFF)
    if group.people >= MAX_PEOPLE:
        raise MemberRefused(GROUP_FULL)
    member = GroupMember(group_id=group.id, person_id=person_id, role=MEMBER, remark=remark, phone=phone,
                         invited_by_id=row.created_by_id, joined_at=utc_now)
    session.add(member)
    session.add(GroupConsent(group_id=group.id, person_id=person_id, group_name=group.name, scope=list(SHARED),
                             agreement_version=AGREEMENT_VERSION, granted_at=utc_now))
    group.people += 1
    session.flush()
    return member, True


# -- 管理员 --------------------------------------------------------------------------------------------------------


def admin_count(session: Session, group_id: int) -> int:
    return session.scalar(select(func.count()).select_from(GroupMember)
                          .where(GroupMember.group_id == group_id, GroupMember.role == ADMIN))


def _locked(session: Session, group: Group, member_id: int) -> GroupMember:
    """The member as it is under the group's lock: another admin's 删除成员 or 设为管理员 a moment ago counts."""
    lock_row(session, Group, group.id)
    member = session.get(GroupMember, member_id, populate_existing=True)
    if member is None or member.group_id != group.id:
        raise MemberRefused(MEMBER_GONE)
    return member


def set_admin(session: Session, group: Group, actor_id: int, member: GroupMember) -> None:
    """设为管理员: the creator makes a member an admin (at most MAX_ADMINS, counted under the group's lock, so two
    taps on two members at once cannot make a sixth). The caller commits."""
    member = _locked(session, group, member.id)
    reason = refusal(group, actor_id, member, SET_ADMIN)
    if reason == ALREADY_ADMIN:
        return
    if reason:
        raise MemberRefused(reason)
    if admin_count(session, group.id) >= MAX_ADMINS:
        raise MemberRefused(TOO_MANY_ADMINS)
    member.role = ADMIN


def revoke_admin(session: Session, group: Group, actor_id: int, member: GroupMember) -> None:
    """解除管理员: the creator makes an admin a member again. The caller commits."""
    member = _locked(session, group, member.id)
    reason = refusal(group, actor_id, member, REVOKE_ADMIN)
    if reason == NOT_AN_ADMIN:
        return
    if reason:
        raise MemberRefused(reason)
    member.role = MEMBER


SET_ADMIN, REVOKE_ADMIN, REMOVE = "set_admin", "revoke_admin", "remove"
ALREADY_ADMIN = N_("该成员已是管理员")
NOT_AN_ADMIN = N_("该成员不是管理员")
CREATOR_NOT_ADMIN = N_("团体创建人无需设为管理员")


def refusal(group: Group, actor_id: int, member: GroupMember, action: str) -> str | None:
    """Why `actor_id` (the creator or an admin) may not do `action` (SET_ADMIN / REVOKE_ADMIN / REMOVE) to `member`
    as things stand, or None: what 成员信息 offers at its bottom and what its confirm pages say. The reason is a
    constant (said() words it in the reader's language). The 5-admin cap is counted by set_admin itself, under the
    group's lock."""
    creator = group.creator_id == actor_id
    if action == REMOVE:
        if member.role == CREATOR:
            return NOT_THE_CREATOR
        return (REVOKE_FIRST if creator else ADMINS_STAY) if member.role == ADMIN else None
    if not creator:
        return CREATOR_ONLY
    if action == SET_ADMIN:
        return {CREATOR: CREATOR_NOT_ADMIN, ADMIN: ALREADY_ADMIN}.get(member.role)
    return None if member.role == ADMIN else NOT_AN_ADMIN


# -- leaving -------------------------------------------------------------------------------------------------------


def _leave(session: Session, group: Group, member: GroupMember, how: str, utc_now: datetime) -> None:
    """Under the group's lock (the caller took it): the row goes, once; the consent ends; the count follows."""
    gone = session.execute(delete(GroupMember).where(GroupMember.id == member.id)).rowcount
    if gone != 1:  # deleted by a twin request meanwhile: the count is not lowered twice
        raise MemberRefused(MEMBER_GONE)
    session.expunge(member)
    session.execute(update(GroupConsent).where(
        GroupConsent.group_id == group.id, GroupConsent.person_id == member.person_id,
        GroupConsent.ended_at.is_(None)).values(ended_at=utc_now, ended_reason=how))
    session.refresh(group)
    group.people = max(1, group.people - 1)


def remove(session: Session, group: Group, actor_id: int, member: GroupMember, utc_now: datetime) -> None:
    """删除成员 by the creator or an admin (the loader checked the actor is one), by the rules as they stand under
    the group's lock. The caller commits."""
    member = _locked(session, group, member.id)
    reason = refusal(group, actor_id, member, REMOVE)
    if reason:
        raise MemberRefused(reason)
    _leave(session, group, member, REMOVED, utc_now)


def withdraw(session: Session, group: Group, person_id: int, utc_now: datetime) -> None:
    """撤回授权: the member's consent ends and they leave the group (an admin's role goes with it)."""
    lock_row(session, Group, group.id)
    member = membership(session, group.id, person_id)
    if member is None:
        raise MemberRefused(N_("您不在该团体中"))
    if member.role == CREATOR:
        raise MemberRefused(CREATOR_STAYS)
    session.refresh(member)
    _leave(session, group, member, WITHDRAWN, utc_now)


def consents_of(session: Session, person_id: int) -> list[GroupConsent]:
    """The person's consents, current and ended, newest first (我的授权记录)."""
    return list(session.scalars(select(GroupConsent).where(GroupConsent.person_id == person_id)
                                .order_by(GroupConsent.granted_at.desc(), GroupConsent.id.desc())))

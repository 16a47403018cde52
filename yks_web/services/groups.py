"""团体码: 创建团体, 编辑团体信息, the creator's and an admin's groups (SPEC G1, G6; issue 13 items 1–2).

A creator makes at most MAX_GROUPS groups: counted under a lock on the creator's row, so two taps of 【创建团体】
at once cannot make a sixth. The creator is the group's first person (`Group.people` starts at 1) and agrees,
by creating it, that the group's admins see the same as any member's consent shares (models.group.SHARED): a
GroupConsent row says so, as for everyone who joins.
Only the creator edits 团体信息 (the guide lists it under 创建人); admins do everything else (services/group_members).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yks_web.i18n import N_, gettext
from yks_web.models.group import ADMIN, CREATOR, GROUP_TYPES, SHARED, Group, GroupConsent, GroupMember
from yks_web.models.people import Person
from yks_web.services import areas
from yks_web.services.errors import DomainError
from yks_web.services.locks import lock_row

MAX_GROUPS = 5
MAX_PEOPLE = 500
MAX_ADMINS = 5
NAME_MAX = 50
ADDRESS_MAX = 100
AGREEMENT_VERSION = "2022-05"

# N_: compared as they are; the refusal says them in the reader's language (GroupRefused, issue 15).
TOO_MANY_GROUPS = N_("一个创建人只可创建%(max)d个团体，您已创建%(max)d个团体")
NOT_CREATOR = N_("只有团体创建人可以修改团体信息")
AREA_LEVEL = N_("请选择团体所在区域，至少到县（区）一级")


class GroupRefused(DomainError):
    """创建失败 / 修改失败, with the reason the screen shows (and 重新创建): `reason` the constant (N_), `message` it
    in the reader's language with `params` filled in."""

    def __init__(self, reason: str, **params):
        super().__init__(gettext(reason, **params))
        self.reason = reason


@dataclass(frozen=True)
class GroupInfo:
    """What 创建团体 asks and 修改团体信息 may change."""

    name: str
    kind: str  # one of GROUP_TYPES
    area_code: str  # 团体地址's area: a district's 6 digits or a town's 9 (services/areas)
    address: str  # the street address


def _info_reasons(info: GroupInfo) -> dict[str, tuple[str, dict[str, int]]]:
    """Each field that is wrong, with its refusal: the N_ constant and what fills its placeholders."""
    reasons: dict[str, tuple[str, dict[str, int]]] = {}
    name = info.name.strip()
    if not name:
        reasons["name"] = (N_("请填写团体名称"), {})
    elif len(name) > NAME_MAX:
        reasons["name"] = (N_("团体名称不能超过%(max)d个字"), {"max": NAME_MAX})
    elif any(not ch.isprintable() for ch in name):
        reasons["name"] = (N_("团体名称不能包含不可见字符"), {})
    if info.kind not in GROUP_TYPES:
        reasons["kind"] = (N_("请选择团体类型"), {})
    area = areas.get(info.area_code)
    if area is None or len(area.code) < 6:
        reasons["area_code"] = (AREA_LEVEL, {})
    address = info.address.strip()
    if not address:
        reasons["address"] = (N_("请填写团体地址"), {})
    elif len(address) > ADDRESS_MAX:
        reasons["address"] = (N_("团体地址不能超过%(max)d个字"), {"max": ADDRESS_MAX})
    elif any(not ch.isprintable() for ch in address):
        reasons["address"] = (N_("团体地址不能包含不可见字符"), {})
    return reasons


def info_errors(info: GroupInfo) -> dict[str, str]:
    """The message beside each field that is wrong (empty when all are right): a plain rule, used by the form."""
    return {key: gettext(reason, **params) for key, (reason, params) in _info_reasons(info).items()}


def _checked(info: GroupInfo) -> GroupInfo:
    reasons = _info_reasons(info)
    if reasons:  # the first field's refusal, its constant kept as `reason`
        reason, params = next(iter(reasons.values()))
        raise GroupRefused(reason, **params)
    return GroupInfo(info.name.strip(), info.kind, info.area_code, info.address.strip())


# -- reading -----------------------------------------------------------------------------------------------------


def created_count(session: Session, person_id: int) -> int:
    return session.scalar(select(func.count()).select_from(Group).where(Group.creator_id == person_id))


def managed(session: Session, person_id: int) -> list[tuple[Group, str]]:
    """我管理的团体: the groups the person created or administers, with their role there (one query)."""
    rows = session.execute(
        select(Group, GroupMember.role).join(GroupMember, GroupMember.group_id == Group.id)
        .where(GroupMember.person_id == person_id, GroupMember.role.in_((CREATOR, ADMIN)))
        .order_by(Group.created_at, Group.id)
    )
    return [(group, role) for group, role in rows]


def joined(session: Session, person_id: int) -> list[Group]:
    """我加入的团体: the groups the person joined as a member (one query)."""
    return list(session.scalars(
        select(Group).join(GroupMember, GroupMember.group_id == Group.id)
        .where(GroupMember.person_id == person_id, GroupMember.role.not_in((CREATOR, ADMIN)))
        .order_by(GroupMember.joined_at, Group.id)
    ))


def role_of(session: Session, group_id: int, person_id: int) -> str | None:
    """The person's role in the group (creator / admin / member), or None."""
    return session.scalar(select(GroupMember.role).where(
        GroupMember.group_id == group_id, GroupMember.person_id == person_id))


# -- 创建团体, 修改团体信息 ----------------------------------------------------------------------------------------


def create(session: Session, creator_id: int, info: GroupInfo, *, phone: str, utc_now: datetime) -> Group:
    """创建团体 (the phone was verified by SMS before); the caller commits. GroupRefused: 创建失败 and why."""
    info = _checked(info)
    lock_row(session, Person, creator_id)  # two taps at once: the second counts the first
    if created_count(session, creator_id) >= MAX_GROUPS:
        raise GroupRefused(TOO_MANY_GROUPS, max=MAX_GROUPS)
    group = Group(name=info.name, kind=info.kind, area_code=info.area_code, address=info.address,
                  creator_id=creator_id, allow_join=True, people=1, created_at=utc_now, updated_at=utc_now)
    session.add(group)
    session.flush()
    session.add(GroupMember(group_id=group.id, person_id=creator_id, role=CREATOR, phone=phone, joined_at=utc_now))
    session.add(GroupConsent(group_id=group.id, person_id=creator_id, group_name=group.name, scope=list(SHARED),
                             agreement_version=AGREEMENT_VERSION, granted_at=utc_now))
    session.flush()
    return group


def edit(session: Session, group: Group, actor_id: int, info: GroupInfo, utc_now: datetime) -> None:
    """修改团体信息: the creator only; the caller commits."""
    if group.creator_id != actor_id:
        raise GroupRefused(NOT_CREATOR)
    info = _checked(info)
    group.name, group.kind, group.area_code, group.address = info.name, info.kind, info.area_code, info.address
    group.updated_at = utc_now


def set_allow_join(session: Session, group: Group, allow: bool, utc_now: datetime) -> None:
    """允许新成员加入 on or off (creator or admin; the loader checked). Off refuses joins with a message."""
    group.allow_join = bool(allow)
    group.updated_at = utc_now

"""Demo data of 团体码 (issue 13; SPEC G1–G6) for `make run`: one group, 天河示范科技有限公司, made by its 团体创建人,
with the school's parents and the yellow- and red-coded residents as members who joined through an invitation
(so each has a consent row), one of them an admin, and the snapshot of a 【刷新数据】 taken 40 minutes before
now (so 数据统计 shows every colour, and 刷新数据 is allowed at once).

Loaded once, beside the other demos (yks_web/demo.py); everything goes through the services, as the screens do.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from yks_web.models.group import Group
from yks_web.models.people import Person
from yks_web.services import group_data, group_members, groups, realname_table
from yks_web.services.health_data import TableHealthData
from yks_web.services.identity import build_id_card_number, make_identity

GROUP_NAME = "天河示范科技有限公司"  # i18n: data (the demo's records)
CREATOR = ("钟团长", build_id_card_number("440106", date(1983, 6, 6), 131), "13800000018")  # i18n: data
REFRESHED = timedelta(minutes=40)


def load(session: Session, *, person_factory, members: list[Person], today: date, utc_now: datetime) -> None:
    """The demo group, once: `members` join it (the first becomes an admin). `person_factory` is demo._person."""
    if session.scalar(select(Group.id).where(Group.name == GROUP_NAME)) is not None:
        return
    creator = person_factory(session, *CREATOR)
    realname_table.set_record(session, make_identity(creator.name, creator.id_type, creator.id_number),
                              utc_now=utc_now, today=today, phone=creator.phone)
    since = utc_now - REFRESHED
    info = groups.GroupInfo(GROUP_NAME, "企业", "440106006", "天河路385号")  # i18n: data (a stored type, an address)
    group = groups.create(session, creator.id, info, phone=CREATOR[2], utc_now=since - timedelta(days=3))
    invite = group_members.invite(session, group, creator.id, since - timedelta(days=2))
    joined = []
    for n, person in enumerate(dict.fromkeys(members)):
        if person.id == creator.id:
            continue
        remark = "市场部" if n % 2 else "研发部"  # i18n: data (what members type as 我的备注)
        member, _ = group_members.join(session, invite.token, person.id, remark=remark,
                                       phone=person.phone or "13900000000", utc_now=since - timedelta(days=2))
        joined.append(member)
    if joined:
        group_members.set_admin(session, group, creator.id, joined[0])
    group_data.refresh(session, group.id, TableHealthData(session), since)

"""团体码 data (SPEC G4, G5; issue 13 items 5–7): the members' snapshot, 【刷新数据】, 成员管理's filters, 数据统计.

The admins see each member's 健康码, 核酸 and 疫苗 as of the group's last 【刷新数据】 (a snapshot on the member's
row), never live: the statistics and the list agree with each other and say when the data was taken.
- refresh: at most once per REFRESH_EVERY per group. The cap is one conditional UPDATE of `refreshed_at`
  (… WHERE refreshed_at IS NULL OR refreshed_at <= now - 30 min): of two admins pressing at once, the second's
  UPDATE matches no row (PostgreSQL re-checks the condition after the first commits; SQLite writes one at a
  time), so the provider is asked once. Then one bulk call per kind of data for all members, and one
  executemany UPDATE: the statement count does not grow with the group.
- A member who joins gets their own snapshot at once (snapshot_people), so they are never blank in the list.
- 核酸 windows are counted back from the snapshot's time: 24小时 (a negative sampled within 24 hours), 48小时,
  72小时, 其他 (older, positive, none). 疫苗: 3剂次 (3 or more), 2剂次, 1剂次, 未接种.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, or_, select, update
from sqlalchemy.orm import Session, contains_eager

from yks_web.i18n import N_, gettext
from yks_web.models.group import Group, GroupMember
from yks_web.models.people import Person
from yks_web.services.errors import DomainError
from yks_web.services.health_data import HealthDataProvider, NucleicAcidRecord

REFRESH_EVERY = timedelta(minutes=30)
NEGATIVE = N_("阴性")  # the provider's result, compared; a screen translates it (| tr)
# The filters' and 数据统计's words (N_: a screen translates them with | tr, issue 15).
CODE_CHOICES = {"green": N_("绿码"), "yellow": N_("黄码"), "red": N_("红码")}
TEST_CHOICES = {"24": N_("24小时"), "48": N_("48小时"), "72": N_("72小时"), "other": N_("其他")}
VACCINE_CHOICES = {"3": N_("3剂次"), "2": N_("2剂次"), "1": N_("1剂次"), "0": N_("未接种")}
POSITIVE = N_("阳性")  # the other result the provider gives: marked so that screens can translate it (| tr)
KEYWORD_MAX = 20


class RefreshRefused(DomainError):
    """【刷新数据】 within 30 minutes of the last: `allowed_at` is when it is allowed again (UTC)."""

    def __init__(self, allowed_at: datetime):
        super().__init__(gettext("30分钟内不可重复刷新数据"))
        self.allowed_at = allowed_at


def test_window(test: NucleicAcidRecord | None, at: datetime) -> str:
    """The 核酸 bucket of a member's latest test as of `at` (UTC naive)."""
    if test is None or test.result != NEGATIVE:
        return "other"
    age = at - test.sampled_at
    for key, hours in (("24", 24), ("48", 48), ("72", 72)):
        if age <= timedelta(hours=hours):
            return key
    return "other"


# -- the snapshot ------------------------------------------------------------------------------------------------


def snapshot_people(session: Session, members: Mapping[int, int], provider: HealthDataProvider,
                    utc_now: datetime) -> None:
    """Take the snapshot of `members` ({GroupMember.id: person_id}) from the provider: one bulk call per kind
    and one executemany UPDATE. The caller commits."""
    if not members:
        return
    ids = list(dict.fromkeys(members.values()))
    statuses, tests, vaccines = provider.statuses(ids), provider.latest_tests(ids), provider.vaccinations(ids)
    rows = []
    for member_id, person_id in members.items():
        code, test, doses = statuses[person_id], tests.get(person_id), vaccines.get(person_id, [])
        rows.append({
            "id": member_id, "snapshot_at": utc_now,
            "code_colour": code.colour, "code_reason": code.reason, "code_decided_at": code.decided_at,
            "code_city": code.decided_city, "code_guidance": code.guidance,
            "test_result": test.result if test else "", "test_sampled_at": test.sampled_at if test else None,
            "test_tested_at": test.tested_at if test else None, "test_institution": test.institution if test else "",
            "test_source": test.source if test else "", "test_window": test_window(test, utc_now),
            "vaccine_doses": len(doses), "vaccine_last_on": doses[-1].vaccinated_on if doses else None,
            "vaccine_records": [{"dose": d.dose, "on": d.vaccinated_on.isoformat(), "manufacturer": d.manufacturer,
                                 "site": d.site} for d in doses],
        })
    session.execute(update(GroupMember), rows)


def refresh(session: Session, group_id: int, provider: HealthDataProvider, utc_now: datetime) -> None:
    """【刷新数据】: every member's snapshot now, unless the group was refreshed within REFRESH_EVERY
    (RefreshRefused with the time it is allowed again). The caller commits."""
    claimed = session.execute(
        update(Group).where(Group.id == group_id,
                            or_(Group.refreshed_at.is_(None), Group.refreshed_at <= utc_now - REFRESH_EVERY))
        .values(refreshed_at=utc_now).execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        last = session.scalar(select(Group.refreshed_at).where(Group.id == group_id))
        raise RefreshRefused((last or utc_now) + REFRESH_EVERY)
    members = dict(session.execute(select(GroupMember.id, GroupMember.person_id)
                                   .where(GroupMember.group_id == group_id)).all())
    snapshot_people(session, members, provider, utc_now)


def refresh_allowed_at(group: Group, utc_now: datetime) -> datetime | None:
    """When 【刷新数据】 is allowed again (UTC), or None when it is allowed now."""
    if group.refreshed_at is None or group.refreshed_at <= utc_now - REFRESH_EVERY:
        return None
    return group.refreshed_at + REFRESH_EVERY


# -- 成员管理: keyword and filters ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    keyword: str = ""
    code: str = ""
    test: str = ""
    vaccine: str = ""

    @classmethod
    def parse(cls, args: Mapping[str, str]) -> Filters:
        """From the query string; an unknown value is no filter (a hand-edited URL is never an error)."""
        keyword = " ".join((args.get("q") or "").split())[:KEYWORD_MAX]
        code, test, vaccine = args.get("code", ""), args.get("test", ""), args.get("vaccine", "")
        return cls(keyword, code if code in CODE_CHOICES else "", test if test in TEST_CHOICES else "",
                   vaccine if vaccine in VACCINE_CHOICES else "")

    def query_args(self) -> dict[str, str]:
        """What the URL carries (empty ones left out), so reload and back keep the filter."""
        return {k: v for k, v in (("q", self.keyword), ("code", self.code), ("test", self.test),
                                  ("vaccine", self.vaccine)) if v}

    @property
    def active(self) -> bool:
        return bool(self.query_args())


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def members(session: Session, group_id: int, filters: Filters, *, limit: int | None = None,
            offset: int = 0) -> list[GroupMember]:
    """成员管理's list (creator first, then admins, then by 加入时间) with each member's person: one query."""
    order = case((GroupMember.role == "creator", 0), (GroupMember.role == "admin", 1), else_=2)
    query = (select(GroupMember).join(Person, Person.id == GroupMember.person_id)
             .options(contains_eager(GroupMember.person))
             .where(GroupMember.group_id == group_id)
             .order_by(order, GroupMember.joined_at, GroupMember.id))
    if filters.keyword:
        pattern = _like(filters.keyword)
        query = query.where(or_(Person.name.like(pattern, escape="\\"), GroupMember.remark.like(pattern, escape="\\")))
    if filters.code:
        query = query.where(GroupMember.code_colour == filters.code)
    if filters.test:
        query = query.where(GroupMember.test_window == filters.test)
    if filters.vaccine:
        doses = int(filters.vaccine)
        query = query.where(GroupMember.vaccine_doses >= 3 if doses == 3 else GroupMember.vaccine_doses == doses)
    if limit is not None:
        query = query.limit(limit).offset(offset)
    return list(session.scalars(query))


# -- 数据统计 ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stats:
    code: dict[str, int]  # green / yellow / red
    test: dict[str, int]  # 24 / 48 / 72 / other
    vaccine: dict[str, int]  # 3 / 2 / 1 / 0


def stats(session: Session, group_id: int) -> Stats:
    """The counts of 数据统计 in one aggregate query."""
    def count(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    columns = (
        [count(GroupMember.code_colour == key) for key in CODE_CHOICES]
        + [count(GroupMember.test_window == key) for key in TEST_CHOICES]
        + [count(GroupMember.vaccine_doses >= 3)]
        + [count(GroupMember.vaccine_doses == n) for n in (2, 1, 0)]
    )
    row = session.execute(select(*columns).where(GroupMember.group_id == group_id)).one()
    values = list(row)
    code = dict(zip(CODE_CHOICES, values[0:3], strict=True))
    test = dict(zip(TEST_CHOICES, values[3:7], strict=True))
    vaccine = dict(zip(VACCINE_CHOICES, values[7:11], strict=True))
    return Stats(code, test, vaccine)

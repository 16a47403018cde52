"""An organisation's day: who is a member and who declared on day D — the one answer every screen shows
(issue 9 item 1; SPEC S8, W6, W9, W11).

- A day whose report is submitted: its members are exactly the report's entries and each one's declaration is
  the one the report counted (immutable, W9). Someone who left afterwards is still there; nobody joined since is.
- An open day: the joined (active) members and each one's latest declaration of the day (latest wins, S8).

申报详情, the report's supplement, summary, view and statistic drill-downs, the 工作台's counts, the school
admin's dashboard, organisation day, member day and exports all read it, so they cannot disagree. Members are
named as the organisation's side knows them (Membership.shown_name: its own claim until the person logs in,
issue 8 item 1). A constant number of queries, whatever the number of organisations or members.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import BindParameter, Select, and_, func, select
from sqlalchemy.orm import Session, aliased, joinedload
from sqlalchemy.orm.util import identity_key

from yks_web.i18n import N_, gettext
from yks_web.models import Collector, DailyReport, Declaration, Membership, Organisation, Person, ReportEntry
from yks_web.services import answers as answer_rules
from yks_web.services.deadlines import REPORT_YESTERDAY_CLOSED, report_day_closed

# What the collector is told when a day can no longer be filled or reported: the collector's own wording (the
# member's says "请联系采集员"), shown once on a screen (issue 9 item 7); N_, said in the reader's language by
# collector_closed (issue 15).
COLLECTOR_SUBMITTED = N_(
    "该日数据已提交至学校管理员，提交后不可修改，成员和采集员都不能再为该日申报。"
    "如成员情况有变动，请与学校管理员沟通。"
)
COLLECTOR_YESTERDAY_CLOSED = N_(
    "每天上午11:30前可为成员代填报并提交前一天的数据，现已超时，该日不能再代填报或提交。"
)
COLLECTOR_DAY_PAST = N_("该日已过申报时间，只能查看申报情况。")


@dataclass(frozen=True)
class Member:
    """One member of the day and the declaration that counts for them (None: 未填报)."""

    person: Person
    typed_name: str
    declaration: Declaration | None

    @property
    def person_id(self) -> int:
        return self.person.id

    @property
    def name(self) -> str:
        """The organisation's side's name for them (Membership.shown_name)."""
        return self.person.name_for(self.typed_name)[0]

    @property
    def masked_id(self) -> str:
        return self.person.masked_id

    @property
    def declared(self) -> bool:
        return self.declaration is not None


@dataclass(frozen=True)
class DayMembers:
    """An organisation's day and its members, whatever is loaded of each (a Member here; 申报详情's lean rows in
    services/day_list.py): what every screen counts the same way."""

    organisation: Organisation
    day: date
    report: DailyReport | None
    members: list
    joined: int  # members joined now (active), whatever the day: the organisation's 成员加入情况

    @property
    def submitted(self) -> bool:
        return self.report is not None

    @property
    def declared(self) -> list:
        return [m for m in self.members if m.declared]

    @property
    def missing(self) -> list:
        return [m for m in self.members if not m.declared]

    @property
    def member_ids(self) -> list[int]:
        return [m.person_id for m in self.members]

    @property
    def not_joined(self) -> int:
        """尚未加入组织人数 (never below zero: over_size says when more joined than the 组织人数)."""
        return max(self.organisation.size - self.joined, 0)

    @property
    def over_size(self) -> int:
        """How many more are joined now than the 组织人数 (issue 9 item 5); 0 when not over."""
        return max(self.joined - self.organisation.size, 0)

    @property
    def members_over_size(self) -> int:
        """How many more members the day has than the 组织人数 (a submitted day keeps its report's members)."""
        return max(len(self.members) - self.organisation.size, 0)


@dataclass(frozen=True)
class OrgDay(DayMembers):
    """The day with each member's Person and Declaration: what the report, statistics and exports read."""

    members: list[Member]

    @property
    def updated(self) -> datetime | None:
        """更新时间: when the newest declaration that counts was written."""
        return max((m.declaration.created_at for m in self.declared), default=None)

    def answers(self) -> dict[int, dict]:
        return {m.person_id: m.declaration.answers() for m in self.declared}

    def totals(self) -> dict[str, int]:
        """Every statistic of the day (已填报, 发热 …), from the members above (for a submitted day they are the
        report's own figures: the same entries and declarations)."""
        return answer_rules.totals(self.member_ids, self.answers())

    def behind(self, key: str) -> list[Member]:
        """The members counted in statistic `key` (the clickable totals of W9), in the day's order."""
        chosen = set(answer_rules.members_behind(key, self.member_ids, self.answers()))
        return [m for m in self.members if m.person_id in chosen]

    def member(self, person_id: int) -> Member | None:
        return next((m for m in self.members if m.person_id == person_id), None)


def days(session: Session, org_ids: Iterable[int], day: date) -> dict[int, OrgDay]:
    """Each organisation's day, by id (an id that names no organisation is left out)."""
    return {d.organisation.id: d for d in _days(session, _organisations(session, list(org_ids)), day, None)}


def of_organisation(session: Session, org_id: int, day: date) -> OrgDay:
    return days(session, [org_id], day)[org_id]


def member(session: Session, org_id: int, day: date, person_id: int) -> tuple[DailyReport | None, Member | None]:
    """The day's report (if any) and one member of the organisation's day (None: not a member that day), without
    loading the others."""
    found = _days(session, _organisations(session, [org_id]), day, person_id)
    return (found[0].report, found[0].member(person_id)) if found else (None, None)


def of_school(session: Session, school_id: int, day: date) -> list[OrgDay]:
    """Every organisation of the school, in creation order, with its collector (学校管理, W11)."""
    orgs = list(session.scalars(
        select(Organisation)
        .options(joinedload(Organisation.collector).joinedload(Collector.person))
        .where(Organisation.school_id == school_id)
        .order_by(Organisation.id)
    ))
    return _days(session, orgs, day, None)


@dataclass(frozen=True)
class OrgCount:
    """An organisation's day in figures only (学校管理's list): the same rules as OrgDay, counted in SQL, so a
    school of 100 classes × 500 members is a few grouped queries, not 50,000 rows."""

    organisation: Organisation
    day: date
    report: DailyReport | None
    members: int
    declared: int

    @property
    def submitted(self) -> bool:
        return self.report is not None

    @property
    def members_over_size(self) -> int:
        return max(self.members - self.organisation.size, 0)


def counts_of_school(session: Session, school_id: int, day: date) -> list[OrgCount]:
    """of_school's figures (members of the day, how many declared, the report) without loading the members:
    a submitted day counts its report's entries and the declarations it counted; an open day its joined
    members and those of them with a declaration of the day."""
    orgs = list(session.scalars(
        select(Organisation)
        .options(joinedload(Organisation.collector).joinedload(Collector.person))
        .where(Organisation.school_id == school_id)
        .order_by(Organisation.id)
    ))
    if not orgs:
        return []
    reports = {r.organisation_id: r for r in session.scalars(
        select(DailyReport).where(DailyReport.organisation_id.in_([o.id for o in orgs]), DailyReport.day == day))}
    figures: dict[int, tuple[int, int]] = {}
    if reports:
        figures.update({org_id: (members, declared) for org_id, members, declared in session.execute(
            select(DailyReport.organisation_id, func.count(ReportEntry.id), func.count(ReportEntry.declaration_id))
            .join(ReportEntry, ReportEntry.report_id == DailyReport.id)
            .where(DailyReport.id.in_([r.id for r in reports.values()]))
            .group_by(DailyReport.organisation_id)
        )})
    open_ids = [o.id for o in orgs if o.id not in reports]
    if open_ids:
        declared_today = (
            select(Declaration.organisation_id, Declaration.person_id)
            .where(Declaration.organisation_id.in_(open_ids), Declaration.day == day)
            .distinct()
            .subquery()
        )
        figures.update({org_id: (members, declared) for org_id, members, declared in session.execute(
            select(Membership.organisation_id, func.count(Membership.id), func.count(declared_today.c.person_id))
            .outerjoin(declared_today, and_(declared_today.c.organisation_id == Membership.organisation_id,
                                            declared_today.c.person_id == Membership.person_id))
            .where(Membership.organisation_id.in_(open_ids), Membership.active.is_(True))
            .group_by(Membership.organisation_id)
        )})
    return [OrgCount(o, day, reports.get(o.id), *figures.get(o.id, (0, 0))) for o in orgs]


def _organisations(session: Session, org_ids: list[int]) -> list[Organisation]:
    """The organisations, reusing the ones this request already loaded (a workbench screen's own organisation
    comes with its school and collector), so asking for the day costs no query for them."""
    present = {oid: session.identity_map.get(identity_key(Organisation, oid)) for oid in org_ids}
    absent = [oid for oid, org in present.items() if org is None]
    if absent:
        present.update({o.id: o for o in session.scalars(select(Organisation).where(Organisation.id.in_(absent)))})
    return [present[oid] for oid in org_ids if present.get(oid) is not None]


def _days(session: Session, orgs: list[Organisation], day: date, person_id: int | None) -> list[OrgDay]:
    if not orgs:
        return []
    reports = {r.organisation_id: r for r in session.scalars(
        select(DailyReport).where(DailyReport.organisation_id.in_([o.id for o in orgs]), DailyReport.day == day))}
    members: dict[int, list[Member]] = {o.id: [] for o in orgs}
    if reports:
        for org_id, person, typed_name, declaration in _reported(session, list(reports.values()), person_id):
            members[org_id].append(Member(person, typed_name or "", declaration))
    open_ids = [o.id for o in orgs if o.id not in reports]
    if open_ids:
        for org_id, person, typed_name, declaration in _joined(session, open_ids, day, person_id):
            members[org_id].append(Member(person, typed_name, declaration))
    joined = joined_counts(session, list(reports)) if reports and person_id is None else {}
    return [
        OrgDay(o, day, reports.get(o.id), members[o.id],
               joined.get(o.id, 0) if o.id in reports else len(members[o.id]))
        for o in orgs
    ]


def _reported(session: Session, reports: list[DailyReport], person_id: int | None):
    return session.execute(
        reported_select([r.id for r in reports], person_id, Person, Membership.typed_name, Declaration)
        .options(joinedload(Declaration.actor))
    ).all()


def reported_select(report_ids: list[int] | BindParameter, person_id: int | None, *columns) -> Select:
    """Submitted days: the report's entries and the declarations it counted, named by the membership (kept
    when the member leaves, S9). Selects the organisation's id, then `columns` of Person, Membership and
    Declaration (None for a member the report counted as 未填报). The ids may be an expanding bindparam, for a
    statement built once (services/day_list.py)."""
    query = (
        select(DailyReport.organisation_id, *columns)
        .join(ReportEntry, ReportEntry.report_id == DailyReport.id)
        .join(Person, Person.id == ReportEntry.person_id)
        .outerjoin(Membership, and_(Membership.organisation_id == DailyReport.organisation_id,
                                    Membership.person_id == ReportEntry.person_id))
        .outerjoin(Declaration, Declaration.id == ReportEntry.declaration_id)
        .where(DailyReport.id.in_(report_ids))
        .order_by(DailyReport.organisation_id, ReportEntry.id)
    )
    if person_id is not None:
        query = query.where(ReportEntry.person_id == person_id)
    return query


def _joined(session: Session, org_ids: list[int], day: date, person_id: int | None):
    return session.execute(
        joined_select(org_ids, day, person_id, Person, Membership.typed_name, Declaration)
        .options(joinedload(Declaration.actor))
    ).all()


def joined_select(
    org_ids: list[int] | BindParameter, day: date | BindParameter, person_id: int | None, *columns
) -> Select:
    """Open days: the members joined now and each one's latest declaration of the day. Selects the organisation's
    id, then `columns` of Person, Membership and Declaration (None for a member who has not declared). The ids
    and the day may be bindparams, for a statement built once (services/day_list.py).

    Each member is joined to their declaration of the day that no later one of the day supersedes (NOT EXISTS,
    issue 14 item 4). SQLite materialised the per-person maxima joined before and scanned them for every member:
    7.7 ms of CPU for 500 members (1.0 ms now), minutes for a school of 50,000 (its export; 2.6 s now).

    The NOT EXISTS names the member's columns, not the declaration's: it is then a check on each joined pair (one
    probe of the index (person, organisation, id)), never a set of its own that PostgreSQL may join under a nested
    loop. On tables not yet analysed (a new database, a new partition) PostgreSQL estimated one row per side and,
    with the declaration's columns there, rebuilt the day's anti-join for every member: 19.5 s for 500 members
    (6.8 ms now; 1.2 → 1.4 ms once analysed).
    """
    later = aliased(Declaration)
    superseded = (
        select(later.id)
        .where(later.organisation_id == Membership.organisation_id, later.person_id == Membership.person_id,
               later.day == day, later.id > Declaration.id)
        .exists()
    )
    query = (
        select(Membership.organisation_id, *columns)
        .join(Person, Person.id == Membership.person_id)
        .outerjoin(Declaration, and_(Declaration.organisation_id == Membership.organisation_id,
                                     Declaration.person_id == Membership.person_id, Declaration.day == day,
                                     ~superseded))
        .where(Membership.organisation_id.in_(org_ids), Membership.active.is_(True))
        .order_by(Membership.organisation_id, Membership.id)
    )
    if person_id is not None:
        query = query.where(Membership.person_id == person_id)
    return query


def joined_counts(session: Session, org_ids: list[int]) -> dict[int, int]:
    """Members joined now, for the organisations whose day is a report (an open day's members are they)."""
    return dict(session.execute(
        select(Membership.organisation_id, func.count())
        .where(Membership.organisation_id.in_(org_ids), Membership.active.is_(True))
        .group_by(Membership.organisation_id)
    ).all())


def collector_closed(day: date, now: datetime, submitted: bool) -> str | None:
    """Why the collector can no longer 代填报, 快速填充 or submit `day`, in the collector's words; None while open.

    Members' days and the report close together (deadlines.member_day_closed and report_day_closed agree), so one
    message says both. In the reader's language.
    """
    if submitted:
        return gettext(COLLECTOR_SUBMITTED)
    closed = report_day_closed(day, now, False)
    if closed is None:
        return None
    return gettext(COLLECTOR_YESTERDAY_CLOSED if closed == REPORT_YESTERDAY_CLOSED else COLLECTOR_DAY_PAST)

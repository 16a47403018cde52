"""An institution's day for its admin (SPEC O1; guide 二 (一) 1 (3)): the counts, the 看板 and its export.

Who counts on a day: the members bound now who had bound by the end of that day, and anyone who declared
for the institution that day (a member who has since 解绑 still shows with their declaration). A person's
day is their newest declaration of that day (a later one supersedes, both are kept). Everything is
grouped in SQL: the counts are one query, the 看板 two, whatever the number of members (SPEC Q3).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session, aliased

from yks_web.clock import TZ
from yks_web.i18n import N_, gettext
from yks_web.models.health import PersonalDeclaration
from yks_web.models.institution import InstitutionDeclaration, InstitutionMember
from yks_web.models.people import Person
from yks_web.privacy import mask_name
from yks_web.services import spreadsheets
from yks_web.services.answers import FEVER_AT, TEMPERATURE_BANDS, has_fever

# The bands has_fever calls fever, asked of the rule itself so the SQL below cannot drift from it.
FEVER_BANDS = [band for band in TEMPERATURE_BANDS if has_fever({"temperature": None, "temperature_band": band})]


def fever_clause():
    """has_fever (services/answers) over the stored columns: the exact temperature when given, else the band."""
    pd = PersonalDeclaration
    return or_(pd.temperature >= FEVER_AT, and_(pd.temperature.is_(None), pd.temperature_band.in_(FEVER_BANDS)))


def day_end_utc(day: date) -> datetime:
    """The first moment after `day` in Asia/Shanghai, as the naive UTC the database stores."""
    return datetime.combine(day + timedelta(days=1), time(), TZ).astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def _newest(institution_id: int, day: date, person_id):
    """InstitutionDeclaration is `person_id`'s newest declaration for the institution on `day` (a join condition).

    No later one of the day supersedes it: a NOT EXISTS that names `person_id` (the member's column, when joined
    to members), one index probe per row. Not a per-person MAX() grouped apart: on tables PostgreSQL had not
    analysed yet it joined that set under a nested loop and grouped the whole day again for every member, 1.7 s
    for 800 members and growing with their square (the same shape as org_day.joined_select's, issue 14).
    """
    later = aliased(InstitutionDeclaration)
    superseded = (
        select(later.id)
        .where(later.institution_id == institution_id, later.day == day, later.person_id == person_id,
               later.id > InstitutionDeclaration.id)
        .exists()
    )
    return and_(InstitutionDeclaration.institution_id == institution_id, InstitutionDeclaration.day == day,
                InstitutionDeclaration.person_id == person_id, ~superseded)


def _members(institution_id: int, day: date):
    return and_(
        InstitutionMember.institution_id == institution_id, InstitutionMember.active.is_(True),
        InstitutionMember.bound_at < day_end_utc(day),
    )


@dataclass(frozen=True)
class Counts:
    bound: int  # 绑定成员
    declared: int  # 已申报 (of the bound members)
    fever: int
    symptoms: int
    risk_travel: int
    contact_case: int

    @property
    def not_declared(self) -> int:
        return self.bound - self.declared


def counts(session: Session, institution_id: int, day: date) -> Counts:
    """绑定成员, 已申报/未申报, 发热 and the risk answers among the bound members' day: one query."""
    pd = PersonalDeclaration

    def total(condition):
        return func.coalesce(func.sum(case((and_(InstitutionDeclaration.id.is_not(None), condition), 1),
                                           else_=0)), 0)

    row = session.execute(
        select(
            func.count(InstitutionMember.id), func.count(InstitutionDeclaration.id), total(fever_clause()),
            total(pd.has_symptoms.is_(True)), total(pd.risk_travel.is_(True)), total(pd.contact_case.is_(True)),
        )
        .select_from(InstitutionMember)
        .outerjoin(InstitutionDeclaration, _newest(institution_id, day, InstitutionMember.person_id))
        .outerjoin(pd, pd.id == InstitutionDeclaration.personal_id)
        .where(_members(institution_id, day))
    ).one()
    return Counts(*(int(value) for value in row))


@dataclass(frozen=True)
class BoardRow:
    person_id: int
    name: str
    masked_id: str
    bound: bool  # False: declared that day, 解绑 since
    declaration: InstitutionDeclaration | None
    personal: PersonalDeclaration | None

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    @property
    def fever(self) -> bool:
        p = self.personal
        return p is not None and has_fever({"temperature": p.temperature, "temperature_band": p.temperature_band})


def board(session: Session, institution_id: int, day: date) -> list[BoardRow]:
    """看板: every member of the day with their declaration (None: 未申报); declared first, then by name.
    Two queries: the bound members (with their day), and those who declared but are no longer bound."""
    members = session.execute(
        select(Person, InstitutionDeclaration, PersonalDeclaration)
        .select_from(InstitutionMember)
        .join(Person, Person.id == InstitutionMember.person_id)
        .outerjoin(InstitutionDeclaration, _newest(institution_id, day, InstitutionMember.person_id))
        .outerjoin(PersonalDeclaration, PersonalDeclaration.id == InstitutionDeclaration.personal_id)
        .where(_members(institution_id, day))
    ).all()
    still = select(InstitutionMember.person_id).where(_members(institution_id, day))
    gone = session.execute(
        select(Person, InstitutionDeclaration, PersonalDeclaration)
        .select_from(InstitutionDeclaration)
        .join(PersonalDeclaration, PersonalDeclaration.id == InstitutionDeclaration.personal_id)
        .join(Person, Person.id == InstitutionDeclaration.person_id)
        .where(_newest(institution_id, day, InstitutionDeclaration.person_id),
               InstitutionDeclaration.person_id.not_in(still))
    ).all()
    rows = [BoardRow(p.id, p.name, p.masked_id, True, d, pd) for p, d, pd in members]
    rows += [BoardRow(p.id, p.name, p.masked_id, False, d, pd) for p, d, pd in gone]
    rows.sort(key=lambda r: (r.declaration is None, r.name, r.person_id))
    return rows


PAGE_SIZE = 100
SHOWS = {"all": N_("全部"), "missing": N_("未申报"), "fever": N_("发热")}  # shown with `| tr`


@dataclass(frozen=True)
class BoardPage:
    rows: list[BoardRow]  # the rows on this page
    show: str  # all / missing / fever
    number: int  # 1-based, within 1..pages
    pages: int
    matching: int  # rows the filter keeps, on every page


def page_of(rows: list[BoardRow], show: str | None, number: str | int | None, size: int = PAGE_SIZE) -> BoardPage:
    """One page of the 看板 (an institution may have thousands of members: the screen shows `size` at a time, the
    export all of them). `show` keeps 未申报 or 发热 members only; an unknown filter or page number is the first."""
    show = show if show in SHOWS else "all"
    kept = rows if show == "all" else [r for r in rows if (r.declaration is None if show == "missing" else r.fever)]
    pages = max(1, -(-len(kept) // size))
    try:
        number = min(max(1, int(number or 1)), pages)
    except (TypeError, ValueError):
        number = 1
    return BoardPage(kept[(number - 1) * size:number * size], show, number, pages, len(kept))


# The export's header, as the 简体 source; each file is written in the reader's language (headers(), gettext).
COLUMNS = [N_("姓名"), N_("证件号码"), N_("是否申报"), N_("申报时间"), N_("当前所在地"), N_("体温"), N_("是否发热"),
           N_("发热、咳嗽等症状"), N_("中高风险地区旅居史"), N_("接触确诊或疑似病例"), N_("当前是否在岗"),
           N_("工作地点"), N_("备注"), N_("绑定状态")]


def headers() -> list[str]:
    return [gettext(column) for column in COLUMNS]


def _yes(value: bool) -> str:
    return gettext("是") if value else gettext("否")


def _local(moment: datetime) -> str:
    return moment.replace(tzinfo=ZoneInfo("UTC")).astimezone(TZ).strftime("%Y-%m-%d %H:%M:%S")


def table(rows: list[BoardRow]) -> list[list[str]]:
    """The export's rows as typed: the member's name (the admin follows a fever up, as the school export lets
    it) and the masked ID (P6); each format keeps formula-like text plain (safe_row for CSV, text_cells for XLSX)."""
    out = []
    for row in rows:
        state = gettext("已绑定") if row.bound else gettext("已解绑")
        d, p = row.declaration, row.personal
        if d is None or p is None:
            out.append([row.name, row.masked_id, gettext("否")] + [""] * 10 + [state])
            continue
        band = gettext(p.temperature_band) if p.temperature_band else ""
        temperature = f"{p.temperature}℃" if p.temperature is not None else band
        out.append([
            row.name, row.masked_id, gettext("是"), _local(d.created_at), p.location_province + p.location_city,
            temperature, _yes(row.fever), _yes(p.has_symptoms), _yes(p.risk_travel), _yes(p.contact_case),
            _yes(d.on_duty), d.work_place, p.remarks, state,
        ])
    return out


def to_csv(rows: list[BoardRow]) -> bytes:
    return spreadsheets.csv_bytes(headers(), table(rows))


def to_xlsx(rows: list[BoardRow], title: str) -> bytes:
    return spreadsheets.xlsx_bytes(headers(), table(rows), title)

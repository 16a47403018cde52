"""数据统计 of a public place (SPEC O5; issue 10 items 6 and 7; guide "查看数据统计", FAQ (二) 5 and 9).

What is counted:

- The rows are the place's TemperatureCheck rows. A check is *effective* when no other check's
  `supersedes_id` points at it: a re-check corrects the earlier one (FAQ 12), and place_checks.record makes
  a person's later check at the same place on the same local day supersede the earlier one. So effective
  checks count each person once per place per day, with the latest result.
- Person figures count effective checks: 检测人数 of the chosen day and 累计 (every day so far, person-days),
  发热人数 of the chosen day and 累计 (effective checks whose result is 发热), and for the chosen day 男女比例
  (sex M / F / "" = 未知: documents other than the 内地居民身份证 say neither), 年龄分析 (age = the chosen day's
  year − birth year, in AGE_BANDS; no birth year, or one after that year, is 未知) and 每个时段的客流 (each
  local hour 0–23).
- Inspector figures count every registration the inspector made at the place, superseded or not (it was work
  done): 当日登记 / 累计登记 and their 发热 registrations 当日 / 累计. 体温正常快速打卡 check-ins have no
  inspector and are the row 葵花码打卡. Inspectors bound now but without a registration are listed with zeros;
  those unbound since keep their row, marked 已解绑.
- Only the columns written with each check are read (local_day, local_hour, result, sex, birth_year,
  inspector_id): no ID number is decrypted and no checked person's row is read (FAQ 9). The inspectors are
  named by privacy.mask_name (a deleted account's 已注销用户 whole: services/deleted_accounts).

Four statements whatever the number of checks, inspectors or days: the chosen day's grouped figures (through
the (place_id, local_day) index), the place's totals, the per-inspector counts, the inspectors' names; and
of_inspector is one statement.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, func, literal, literal_column, select
from sqlalchemy.orm import Session, aliased

from yks_web.i18n import N_
from yks_web.models.health import TemperatureCheck
from yks_web.models.people import Person
from yks_web.models.place import PlaceStaff
from yks_web.services import days, place_checks
from yks_web.services.deleted_accounts import shown_name

# The labels below are N_: the screens show them with `| tr`.
FEVER = place_checks.RESULTS[1]  # 发热, as TemperatureCheck.result stores it
CHECKIN_ROW = N_("葵花码打卡")
SEXES: tuple[tuple[str, str], ...] = (("M", N_("男")), ("F", N_("女")), ("", N_("未知")))
# (label, lowest age, highest age or None); AGE_UNKNOWN follows them.
AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    (N_("0–17岁"), 0, 17), (N_("18–34岁"), 18, 34), (N_("35–49岁"), 35, 49), (N_("50–64岁"), 50, 64),
    (N_("65岁及以上"), 65, None),
)
AGE_UNKNOWN = N_("未知")
HOURS = tuple(range(24))


@dataclass(frozen=True)
class InspectorRow:
    label: str  # the inspector's masked name, or 葵花码打卡
    today: int
    total: int
    fever_today: int
    fever_total: int
    unbound: bool = False  # registered here once, not bound any more


@dataclass(frozen=True)
class PlaceStats:
    day: date
    checked_today: int
    checked_total: int
    fever_today: int
    fever_total: int
    sexes: tuple[tuple[str, int], ...]  # (男/女/未知, people) of the day
    ages: tuple[tuple[str, int], ...]  # (band, people) of the day, 未知 last
    hours: tuple[int, ...]  # people of the day by local hour 0–23
    inspectors: tuple[InspectorRow, ...]  # inspectors, then 葵花码打卡


@dataclass(frozen=True)
class InspectorStats:
    """检测员 数据统计 (item 7): the registrations an inspector made, at one place and at all their places."""

    today: int
    total: int
    all_today: int
    all_total: int


def _effective(place_id: int, day: date | None = None):
    """No later check supersedes this one (FAQ 12). A check is only ever superseded by one of the same place and
    local day, so the superseded ids are gathered once, from the place's (and the day's) rows through the
    (place_id, local_day) index, into a set both SQLite and PostgreSQL hash: a correlated NOT EXISTS became a
    scan per row on SQLite once ANALYZE had seen a supersedes_id column that is nearly all NULL."""
    later = aliased(TemperatureCheck)
    superseded = select(later.supersedes_id).where(later.place_id == place_id, later.supersedes_id.is_not(None))
    if day is not None:
        superseded = superseded.where(later.local_day == day)
    return TemperatureCheck.id.not_in(superseded)


def _count_if(condition) -> object:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _age_band(year: int):
    """The index of the check's band in AGE_BANDS, or len(AGE_BANDS) for 未知."""
    born = TemperatureCheck.birth_year
    age = literal(year) - born
    whens = [(born.is_(None), len(AGE_BANDS)), (age < 0, len(AGE_BANDS))]
    whens += [(age <= high, i) for i, (_, _, high) in enumerate(AGE_BANDS) if high is not None]
    return case(*whens, else_=len(AGE_BANDS) - 1)


def of_place(session: Session, place_id: int, day: date) -> PlaceStats:
    """Every figure of the place's 数据统计 for `day` (the caller makes sure it is not in the future)."""
    is_fever = TemperatureCheck.result == FEVER
    # The day's people grouped by what the charts need (at most 3 × 6 × 24 × 2 rows); the band is computed in a
    # subquery so GROUP BY names a column, not a second copy of an expression with bound parameters (PostgreSQL).
    inner = (
        select(TemperatureCheck.sex.label("sex"), _age_band(day.year).label("band"),
               TemperatureCheck.local_hour.label("hour"), is_fever.label("fever"))
        .where(TemperatureCheck.place_id == place_id, TemperatureCheck.local_day == day, _effective(place_id, day))
        .subquery()
    )
    grouped = session.execute(
        select(inner.c.sex, inner.c.band, inner.c.hour, inner.c.fever, func.count())
        .group_by(inner.c.sex, inner.c.band, inner.c.hour, inner.c.fever)
    ).all()
    sexes = dict.fromkeys((code for code, _ in SEXES), 0)
    bands = [0] * (len(AGE_BANDS) + 1)
    hours = [0] * 24
    fever_today = 0
    for sex, band, hour, fever, n in grouped:
        sexes[sex if sex in sexes else ""] += n
        bands[band] += n
        if hour is not None and 0 <= hour < 24:
            hours[hour] += n
        if fever:
            fever_today += n
    checked_total, fever_total = session.execute(
        select(func.count(), _count_if(is_fever))
        .where(TemperatureCheck.place_id == place_id, _effective(place_id))
    ).one()
    return PlaceStats(
        day=day, checked_today=sum(bands), checked_total=checked_total,
        fever_today=fever_today, fever_total=fever_total,
        sexes=tuple((label, sexes[code]) for code, label in SEXES),
        ages=tuple(zip([label for label, _, _ in AGE_BANDS] + [AGE_UNKNOWN], bands, strict=True)),
        hours=tuple(hours), inspectors=_inspector_rows(session, place_id, day),
    )


def _inspector_rows(session: Session, place_id: int, day: date) -> tuple[InspectorRow, ...]:
    """Every registration at the place, by inspector (two statements: the counts, then the names)."""
    on_day, is_fever = TemperatureCheck.local_day == day, TemperatureCheck.result == FEVER
    # Grouped by an expression (0 for 快速打卡; ids start at 1), so no planner walks the (inspector_id, local_day)
    # index for its order and fetches the rows one by one: SQLite did, 5× slower, for a place holding most rows.
    inspector = func.coalesce(TemperatureCheck.inspector_id, literal_column("0"))
    counts = {
        inspector_id or None: (today, total, fever_today, fever_total)
        for inspector_id, today, total, fever_today, fever_total in session.execute(
            select(inspector, _count_if(on_day), func.count(), _count_if(and_(on_day, is_fever)), _count_if(is_fever))
            .where(TemperatureCheck.place_id == place_id)
            .group_by(inspector)
        )
    }
    bound_now = select(PlaceStaff.person_id).where(PlaceStaff.place_id == place_id, PlaceStaff.active.is_(True))
    registered = [i for i in counts if i is not None]
    people = session.execute(
        select(Person.id, Person.name, Person.id_type, Person.id.in_(bound_now).label("bound"))
        .where(Person.id.in_(registered) | Person.id.in_(bound_now))
    ).all()
    rows = [
        InspectorRow(shown_name(name, id_type), *counts.get(person_id, (0, 0, 0, 0)), unbound=not bound)
        for person_id, name, id_type, bound in people
    ]
    rows.sort(key=lambda r: (r.unbound, -r.today, -r.total, r.label))
    rows.append(InspectorRow(CHECKIN_ROW, *counts.get(None, (0, 0, 0, 0))))
    return tuple(rows)


def of_inspector(session: Session, inspector_id: int, place_id: int, day: date) -> InspectorStats:
    """The registrations `inspector_id` made on `day` and in all, at `place_id` and at every place (one statement,
    through the (inspector_id, local_day) index)."""
    on_day, here = TemperatureCheck.local_day == day, TemperatureCheck.place_id == place_id
    today, total, all_today, all_total = session.execute(
        select(_count_if(and_(here, on_day)), _count_if(here), _count_if(on_day), func.count())
        .where(TemperatureCheck.inspector_id == inspector_id)
    ).one()
    return InspectorStats(today=today, total=total, all_today=all_today, all_total=all_total)


# The day a statistics page shows: services/days (one rule with the institution's 看板).
BAD_DAY, FUTURE_DAY, chosen_day = days.BAD_DAY, days.FUTURE_DAY, days.chosen_day

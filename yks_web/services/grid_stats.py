"""查看数据统计 of a grid (SPEC O6; issue 12 item 2; guide 二 (三) (1) 查看申报数据; FAQ (四) 5).

The grid admin sees simple numbers only: how many 网格员 are bound and how many records there are (the admin's
home), 每日排查结果 (per Asia/Shanghai day: 登记次数 and how many of them had a fever, symptoms, travel or contact)
and 网格员工作统计 (each bound worker's 今日登记次数 and 累计登记次数). No resident's name: counts only. Every
function is one statement whatever the number of visits (SPEC Q3).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from yks_web.models.grid import GridStaff, GridVisit
from yks_web.models.people import Person

FEVER = Decimal("37.3")  # 发热: a measured temperature of 37.3℃ or more
DAYS_SHOWN = 30


@dataclass(frozen=True)
class Summary:
    """The admin's home: 绑定网格员 N人, 今日登记 N次, 累计登记 N次."""

    workers: int
    today: int
    total: int


@dataclass(frozen=True)
class DayRow:
    """每日排查结果: one day's records."""

    day: date
    visits: int
    fever: int
    symptoms: int
    travel: int
    contact: int


@dataclass(frozen=True)
class WorkerRow:
    """网格员工作统计: one bound worker (the name is masked on screen)."""

    staff_id: int
    name: str
    authorised: bool
    today: int
    total: int


def _count_if(condition):
    """How many rows of the group meet `condition` (0 for none)."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def summary(session: Session, grid_id: int, today: date) -> Summary:
    workers = (select(func.count()).select_from(GridStaff)
               .where(GridStaff.grid_id == grid_id, GridStaff.active.is_(True)).scalar_subquery())
    row = session.execute(
        select(workers, _count_if(GridVisit.local_day == today), func.count(GridVisit.id))
        .select_from(GridVisit).where(GridVisit.grid_id == grid_id)
    ).one()
    return Summary(workers=row[0] or 0, today=int(row[1] or 0), total=int(row[2] or 0))


def daily(session: Session, grid_id: int, limit: int = DAYS_SHOWN) -> list[DayRow]:
    """每日排查结果: the last `limit` days with records, newest first."""
    rows = session.execute(
        select(
            GridVisit.local_day, func.count(GridVisit.id), _count_if(GridVisit.temperature >= FEVER),
            _count_if(GridVisit.has_symptoms.is_(True)), _count_if(GridVisit.risk_travel.is_(True)),
            _count_if(GridVisit.contact_case.is_(True)),
        )
        .where(GridVisit.grid_id == grid_id)
        .group_by(GridVisit.local_day).order_by(GridVisit.local_day.desc()).limit(limit)
    ).all()
    return [DayRow(day, int(n), int(fever), int(symptoms), int(travel), int(contact))
            for day, n, fever, symptoms, travel, contact in rows]


def workers(session: Session, grid_id: int, today: date) -> list[WorkerRow]:
    """网格员工作统计: each bound worker with their records in this grid, the busiest today first."""
    counts = (
        select(GridVisit.worker_id.label("worker_id"), func.count(GridVisit.id).label("total"),
               _count_if(GridVisit.local_day == today).label("today"))
        .where(GridVisit.grid_id == grid_id).group_by(GridVisit.worker_id).subquery()
    )
    rows = session.execute(
        select(GridStaff.id, Person.name, GridStaff.authorised, counts.c.today, counts.c.total)
        .join(Person, Person.id == GridStaff.person_id)
        .outerjoin(counts, counts.c.worker_id == GridStaff.person_id)
        .where(GridStaff.grid_id == grid_id, GridStaff.active.is_(True))
        .order_by(GridStaff.bound_at, GridStaff.id)
    ).all()
    found = [WorkerRow(staff_id, name, authorised, int(n_today or 0), int(n_total or 0))
             for staff_id, name, authorised, n_today, n_total in rows]
    found.sort(key=lambda r: (-r.today, -r.total))
    return found

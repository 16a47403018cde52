"""查看数据统计 of a grid (SPEC O6, Q3; issue 12 item 2; guide 二 (三) (1) 查看申报数据; FAQ (四) 5): 每日排查结果 per
Asia/Shanghai day, 网格员工作统计 per bound worker, the admin home's numbers; each one statement."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.factories import make_grid, make_grid_staff
from tests.services.test_grid_key_people import T0, make_visit, statements
from yks_web.services import grid_staff, grid_stats
from yks_web.services.grid_stats import DayRow, Summary

TODAY = T0.date()


def test_o6_daily_counts_visits_fever_symptoms_travel_and_contact_per_local_day(db):
    """issue 12 item 2: 发热 is 37.3℃ or more (36.9 and no temperature are not); days newest first; a visit at
    23:30 Beijing time (15:30 UTC) counts for that Beijing day; another grid's visits are not counted."""
    grid = make_grid(db, status="active")
    other = make_grid(db, "林网管", "员村街道二社区网格", status="active")
    worker = make_grid_staff(db, grid, authorised=True).person_id
    make_visit(db, grid, worker, at=T0, temperature="37.3", symptoms=True)
    make_visit(db, grid, worker, at=T0, temperature="36.9", travel=True)
    make_visit(db, grid, worker, at=T0, temperature=None, contact=True)
    make_visit(db, grid, worker, at=datetime(2026, 11, 18, 23, 30), temperature="38.2", symptoms=True, travel=True,
               contact=True)
    make_visit(db, other, worker, at=T0, temperature="39.0")

    assert grid_stats.daily(db.session, grid.id) == [
        DayRow(TODAY, visits=3, fever=1, symptoms=1, travel=1, contact=1),
        DayRow(datetime(2026, 11, 18).date(), visits=1, fever=1, symptoms=1, travel=1, contact=1),
    ]


def test_o6_daily_shows_the_last_30_days_with_records(db):
    grid = make_grid(db, status="active")
    worker = make_grid_staff(db, grid).person_id
    for days in range(35):
        make_visit(db, grid, worker, at=T0 - timedelta(days=days * 2))
    days = grid_stats.daily(db.session, grid.id)
    assert len(days) == grid_stats.DAYS_SHOWN == 30
    assert days[0].day == TODAY and days[-1].day == TODAY - timedelta(days=58)


def test_o6_workers_are_each_bound_workers_today_and_total(db):
    """issue 12 item 2 (网格员工作统计): every active worker, one without records with 0; an unbound worker's rows
    stay in the daily counts but the worker is not listed; visits in another grid do not count here."""
    grid = make_grid(db, status="active")
    other = make_grid(db, "林网管", "员村街道二社区网格", status="active")
    busy = make_grid_staff(db, grid, "吴网格", authorised=True)
    idle = make_grid_staff(db, grid, "郑网格")
    gone = make_grid_staff(db, grid, "王网格", active=False)
    for at in (T0, T0, T0 - timedelta(days=1)):
        make_visit(db, grid, busy.person_id, at=at)
    make_visit(db, grid, gone.person_id, at=T0)
    make_visit(db, other, busy.person_id, at=T0)

    rows = grid_stats.workers(db.session, grid.id, TODAY)
    assert [(r.staff_id, r.name, r.authorised, r.today, r.total) for r in rows] == [
        (busy.id, "吴网格", True, 2, 3), (idle.id, "郑网格", False, 0, 0)]
    assert grid_stats.daily(db.session, grid.id)[0].visits == 3
    assert grid_stats.summary(db.session, grid.id, TODAY) == Summary(workers=2, today=3, total=4)


def test_o6_an_empty_grid_has_no_days_no_workers_and_zeros(db):
    grid = make_grid(db)
    assert grid_stats.daily(db.session, grid.id) == []
    assert grid_stats.workers(db.session, grid.id, TODAY) == []
    assert grid_stats.summary(db.session, grid.id, TODAY) == Summary(0, 0, 0)


def test_q3_each_figure_is_one_statement_whatever_the_number_of_visits(db):
    """SPEC Q3: summary, daily and workers each run one statement for 2 visits or 200."""
    counted = {}
    for size, name in ((2, "石牌街道一社区网格"), (200, "员村街道二社区网格")):
        grid = make_grid(db, f"{name}管理员", name, status="active")
        workers = [make_grid_staff(db, grid, f"{name}网格员{i}").person_id for i in range(3)]
        for i in range(size):
            make_visit(db, grid, workers[i % 3], at=T0 - timedelta(hours=i), temperature="37.5" if i % 4 else "36.5")
        db.session.commit()
        grid_id = grid.id
        db.session.expire_all()
        with statements(db) as seen:
            grid_stats.summary(db.session, grid_id, TODAY)
            grid_stats.daily(db.session, grid_id)
            found = grid_stats.workers(db.session, grid_id, TODAY)
        assert sum(r.total for r in found) == size
        assert [m.person_id for m in grid_staff.members(db.session, grid_id)]  # the members exist
        counted[size] = len(seen)
    assert counted[2] == counted[200] == 3

"""The demo's 网格 (issue 12 item 8; SPEC O6, O8): `make run` loads a confirmed grid with an authorised 网格员,
a pending grid for the town's 区划管理员 to 确认, the 区划管理员 chain down to 石牌街道, and prints the accounts and
the 网格申报码 — once, however often `yks demo` runs."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.blueprints.support import count, text
from yks_web import demo_grid
from yks_web.models import DistrictAdmin, Grid, GridStaff, GridVisit, Person
from yks_web.services import grids
from yks_web.services.identity import find_person, make_identity

GRID_CODE = re.compile(r"网格（石牌街道一社区网格）网格申报码：(6\d{9})（网格员绑定用）")
PEOPLE = (demo_grid.CITY_ADMIN, demo_grid.DISTRICT_ADMIN, demo_grid.TOWN_ADMIN, demo_grid.GRID_ADMIN,
          demo_grid.PENDING_ADMIN, demo_grid.WORKER)


@pytest.fixture
def runner(app, db):
    return app.test_cli_runner()


def person(db, who: tuple[str, str, str]) -> Person:
    name, number, _phone = who
    return find_person(db.session, make_identity(name, "id_card", number))


def test_item8_demo_prints_the_grid_accounts_and_the_grid_code(runner, db):
    """Every grid account (区划管理员 ×3, 网格管理员 ×2, 网格员) and the active grid's 网格申报码 are printed."""
    result = runner.invoke(args=["yks", "demo", "--base-url", "http://yks.test"])
    assert result.exit_code == 0, result.output
    printed = (("区划管理员（石牌街道）", demo_grid.TOWN_ADMIN), ("网格管理员（已生效）", demo_grid.GRID_ADMIN),
               ("网格管理员（待确认）", demo_grid.PENDING_ADMIN), ("网格员（已授权）", demo_grid.WORKER),
               ("区划管理员（广州市）", demo_grid.CITY_ADMIN), ("区划管理员（天河区）", demo_grid.DISTRICT_ADMIN))
    for role, who in printed:
        line = next(line for line in result.output.splitlines() if role in line)
        assert all(part in line for part in who), line
    code = GRID_CODE.search(result.output).group(1)
    grid = db.session.scalar(select(Grid).where(Grid.code == code))
    assert grid.name == demo_grid.GRID_NAME and grid.status == "active"


def test_item8_demo_grids_chain_confirmation_and_worker(runner, db):
    """The 区划管理员 chain 广州市 (operator) → 天河区 → 石牌街道; the town's confirmed the first grid, the second
    waits; the 网格员 is bound (当前组织) and 授权ed; a few visits of the last days are there."""
    assert runner.invoke(args=["yks", "demo"]).exit_code == 0
    city, district, town, admin, pending_admin, worker = (person(db, who) for who in PEOPLE)
    assert all(p is not None and p.name_verified_at is not None for p in (city, district, town, admin, worker))
    rows = {row.area_code: row for row in db.session.scalars(select(DistrictAdmin))}
    assert set(rows) == {"4401", "440106", "440106006"}
    assert (rows["4401"].person_id, rows["4401"].appointed_by_id) == (city.id, None)
    assert (rows["440106"].person_id, rows["440106"].appointed_by_id) == (district.id, city.id)
    assert (rows["440106006"].person_id, rows["440106006"].appointed_by_id) == (town.id, district.id)

    active = db.session.scalar(select(Grid).where(Grid.admin_id == admin.id))
    assert (active.name, active.area_code, active.status, active.decided_by_id) == (
        demo_grid.GRID_NAME, "440106006", "active", town.id)
    waiting = db.session.scalar(select(Grid).where(Grid.admin_id == pending_admin.id))
    assert (waiting.name, waiting.status, waiting.decided_by_id) == (demo_grid.PENDING_GRID_NAME, "pending", None)
    assert waiting.code.startswith("6") and active.code.startswith("6")

    staff = db.session.scalar(select(GridStaff).where(GridStaff.person_id == worker.id))
    assert (staff.grid_id, staff.active, staff.authorised, staff.is_current) == (active.id, True, True, True)
    visits = db.session.scalars(select(GridVisit)).all()
    assert len(visits) == len(demo_grid.HOUSEHOLDS)
    assert {v.grid_id for v in visits} == {active.id} and {v.worker_id for v in visits} == {worker.id}


def test_item8_demo_twice_adds_no_second_grid(runner, db):
    """Idempotent: the second `yks demo` prints the same 网格申报码 and adds no row."""
    first = runner.invoke(args=["yks", "demo"])
    models = (Grid, GridStaff, GridVisit, DistrictAdmin, Person)
    before = {model: count(db, model) for model in models}
    again = runner.invoke(args=["yks", "demo"])
    assert again.exit_code == 0, again.output
    db.session.expire_all()
    assert {model: count(db, model) for model in models} == before
    assert GRID_CODE.search(again.output).group(1) == GRID_CODE.search(first.output).group(1)


def test_item8_demo_grid_accounts_log_in_and_see_their_screens(runner, db, client, actions, sms):
    """The printed 区划管理员 logs in by 实名认证 and finds the pending grid with 确认; the grid admin sees the
    active grid and its 网格申报码; the 网格员 sees the grid 已授权 and 当前组织."""
    runner.invoke(args=["yks", "demo"])
    name, number, phone = demo_grid.TOWN_ADMIN
    response = actions.post("/auth/login", {"name": name, "id_type": "id_card", "id_number": number, "phone": phone})
    assert response.status_code == 303
    actions.post("/auth/verify", {"code": sms.last_code(phone)})
    assert "区划管理员" in text(client.get("/grid/"))
    district = text(client.get("/grid/district"))
    assert demo_grid.PENDING_GRID_NAME in district and "确认" in district
    assert demo_grid.GRID_NAME not in district  # already confirmed

    grid = db.session.scalar(select(Grid).where(Grid.name == demo_grid.GRID_NAME))
    actions.login(person(db, demo_grid.GRID_ADMIN))
    home = text(client.get("/grid/admin"))
    assert demo_grid.GRID_NAME in home and "已生效" in home and grid.code in home
    members = text(client.get(f"/grid/{grid.id}/members"))
    assert "已授权" in members and demo_grid.WORKER[0] not in members  # masked

    actions.login(person(db, demo_grid.WORKER))
    mine = text(client.get("/grid/worker"))
    assert demo_grid.GRID_NAME in mine and "当前组织" in mine and "已授权" in mine


def test_item8_demo_again_after_the_grid_was_dissolved_leaves_it_dissolved(runner, db):
    """What was done with the demo since stays: after 解散网格 the demo runs again, makes no new grid and prints
    no 网格申报码 (SPEC O6: dissolving deletes the grid for good)."""
    runner.invoke(args=["yks", "demo"])
    grid = db.session.scalar(select(Grid).where(Grid.name == demo_grid.GRID_NAME))
    grids.dissolve(db.session, grid, grid.admin_id, demo_grid.GRID_NAME)
    db.session.commit()
    again = runner.invoke(args=["yks", "demo"])
    assert again.exit_code == 0, again.output
    assert demo_grid.WORKER[1] in again.output and GRID_CODE.search(again.output) is None
    db.session.expire_all()
    assert count(db, Grid) == 1  # the pending one only
    assert count(db, GridStaff) == count(db, GridVisit) == 0

"""网格管理员 rules (SPEC O6, O8; issue 12 items 2–3): one grid per admin, codes start with 6, pending until the
direct superior confirms, rejection with a reason, 解散网格 deletes everything of the grid."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.factories import make_district_admin, make_grid, make_grid_staff, make_person
from yks_web.extensions import db as _db
from yks_web.models.grid import ACTIVE, PENDING, REJECTED, Grid, GridHandover, GridVisit
from yks_web.services import grids, share_codes

T0 = datetime(2026, 11, 20, 1, 0)
TOWN = "440106006"


def test_item2_a_grid_is_created_pending_with_a_code_starting_with_6(db):
    admin = make_person(db, "周网管")
    grid = grids.create(db.session, admin.id, TOWN, "  石牌一社区网格 ", T0)
    assert grid.status == PENDING and grid.name == "石牌一社区网格" and grid.created_at == T0
    assert grid.code.startswith("6") and len(grid.code) == 10 and share_codes.kind_of(grid.code) == "grid"
    assert "待区划管理员确认" in grids.binds_nobody_reason(grid)
    assert grids.admin_grid(db.session, admin.id) == grid


def test_item2_one_admin_one_grid(db):
    grid = make_grid(db)
    with pytest.raises(grids.AlreadyAdmin) as raised:
        grids.create(db.session, grid.admin_id, TOWN, "另一个网格", T0)
    assert raised.value.grid == grid


@pytest.mark.parametrize("area, name", [("440106", "网格"), ("4401", "网格"), ("", "网格"), (TOWN, ""),
                                        (TOWN, "格" * 51)])
def test_item2_an_area_to_the_town_and_a_name_up_to_50(db, area, name):
    with pytest.raises(grids.GridRefused):
        grids.create(db.session, make_person(db).id, area, name, T0)
    assert grids.create(db.session, make_person(db).id, TOWN, "格" * 50, T0).name == "格" * 50


def test_item1_the_direct_superior_confirms_and_the_code_then_binds(db):
    grid = make_grid(db)
    district = make_district_admin(db, "何区管", "440106")
    grids.confirm(db.session, grid, district.person_id, T0)
    assert (grid.status, grid.decided_by_id, grid.decided_at) == (ACTIVE, district.person_id, T0)
    assert grids.binds_nobody_reason(grid) is None
    with pytest.raises(grids.GridRefused, match="已处理"):
        grids.reject(db.session, grid, district.person_id, "重复", T0)


def test_item1_a_rejection_keeps_its_reason_and_only_the_superior_decides(db):
    grid = make_grid(db)
    city = make_district_admin(db, "冯市管", "4401")
    town = make_district_admin(db, "孔镇管", TOWN)
    with pytest.raises(grids.GridRefused, match="直属上级"):
        grids.confirm(db.session, grid, city.person_id, T0)
    with pytest.raises(grids.GridRefused, match="原因"):
        grids.reject(db.session, grid, town.person_id, "  ", T0)
    grids.reject(db.session, grid, town.person_id, "网格名称不规范", T0)
    assert (grid.status, grid.reject_reason) == (REJECTED, "网格名称不规范")
    assert "网格名称不规范" in grids.binds_nobody_reason(grid)


def test_item3_workers_to_tell_are_the_active_workers(db):
    grid = make_grid(db)
    worker = make_grid_staff(db, grid, "吴网格")
    make_grid_staff(db, grid, "郑已解", active=False)
    make_grid_staff(db, make_grid(db, "另网管", "另一网格"), "钱别格")
    assert grids.workers_to_tell(db.session, grid.id) == [worker.person]


def test_item3_dissolving_needs_the_exact_name_and_the_admin(db):
    grid = make_grid(db, name="石牌一社区网格")
    with pytest.raises(grids.GridRefused, match="不一致"):
        grids.dissolve(db.session, grid, grid.admin_id, "石牌一社区")
    with pytest.raises(grids.GridRefused):
        grids.dissolve(db.session, grid, make_person(db).id, "石牌一社区网格")
    assert db.session.get(Grid, grid.id) is not None


def _fill(db, grid: Grid, tag: str) -> None:
    """One row of every grid table for `grid`: two workers, a hand-over, a visit."""
    worker = make_grid_staff(db, grid, f"{tag}网格员", authorised=True).person
    make_grid_staff(db, grid, f"{tag}二网格员")
    db.session.add(GridHandover(grid_id=grid.id, from_id=grid.admin_id, successor_name=f"{tag}继任",
                                successor_id_hash=f"{tag}hash", token=f"{tag}token", created_at=T0,
                                expires_at=T0 + timedelta(hours=24)))
    db.session.add(GridVisit(grid_id=grid.id, worker_id=worker.id, person_id=None, name=f"{tag}居民",
                             id_type="id_card", id_number="440106200001010011", id_hash=f"{tag}visit", phone=None,
                             address="一栋101", temperature=Decimal("36.5"), client_key=f"{tag}key",
                             recorded_at=T0, created_at=T0, local_day=date(2026, 11, 20)))
    db.session.flush()


def _grid_rows(db) -> dict[str, list[tuple]]:
    """Every row of every table holding a grid_id (or the grid table itself), as (table, grid id) pairs."""
    out: dict[str, list] = {}
    for table in _db.metadata.sorted_tables:
        if table.name == "grid":
            out[table.name] = sorted(db.session.execute(select(table.c.id)).scalars())
        elif "grid_id" in table.c:
            out[table.name] = sorted(db.session.execute(select(table.c.grid_id)).scalars())
    return out


def test_item3_dissolving_deletes_every_row_of_the_grid_and_only_of_it(db):
    gone = make_grid(db, "周网管", "甲网格")
    kept = make_grid(db, "陈网管", "乙网格")
    _fill(db, gone, "甲")
    _fill(db, kept, "乙")
    before = _grid_rows(db)
    assert set(before) >= {"grid", "grid_staff", "grid_handover", "grid_visit"}
    assert all(gone.id in ids and kept.id in ids for ids in before.values())
    told = grids.dissolve(db.session, gone, gone.admin_id, "甲网格")
    db.session.commit()
    assert {p.name for p in told} == {"甲网格员", "甲二网格员"}
    after = _grid_rows(db)
    assert all(gone.id not in ids for ids in after.values()), after
    assert after == {name: [i for i in ids if i != gone.id] for name, ids in before.items()}
    assert grids.admin_grid(db.session, told[0].id) is None
    assert db.session.get(Grid, kept.id) is not None

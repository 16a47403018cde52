"""网格员 bindings (issue 12 item 5, SPEC O6, O8): services/grid_staff."""

from __future__ import annotations

import pytest

from tests.factories import make_grid, make_person
from yks_web import clock
from yks_web.services import grid_staff, grids, share_codes
from yks_web.services.errors import DomainError


def _bind(db, person, typed):
    return grid_staff.bind_by_code(db.session, person.id, typed, address="10.0.0.1", utc_now=clock.utcnow())


def test_item5_the_first_grid_bound_is_current_and_set_current_moves_it(db):
    worker = make_person(db, "吴网格")
    first = make_grid(db, "周网管", "一社区网格", status="active")
    second = make_grid(db, "郑网管", "二社区网格", status="active")
    a = _bind(db, worker, first.code)
    b = _bind(db, worker, second.code)
    assert a.is_current and not b.is_current and not a.authorised
    grid_staff.set_current(db.session, b)
    assert [s.grid.name for s in grid_staff.active_grids(db.session, worker.id)] == ["二社区网格", "一社区网格"]
    assert b.is_current and not a.is_current
    assert _bind(db, worker, second.code).id == b.id  # binding twice is one binding


def test_item5_a_grid_not_yet_confirmed_binds_nobody_with_the_reason(db):
    worker = make_person(db, "吴网格")
    pending = make_grid(db, "周网管", "一社区网格")
    rejected = make_grid(db, "郑网管", "二社区网格", status="rejected", reason="名称不规范")
    for grid in (pending, rejected):
        with pytest.raises(grid_staff.BindRefused) as refused:
            _bind(db, worker, grid.code)
        assert refused.value.message == grids.binds_nobody_reason(grid)
    assert grid_staff.active_grids(db.session, worker.id) == []


def test_item5_wrong_and_unknown_codes_are_refused_clearly(db):
    worker = make_person(db, "吴网格")
    with pytest.raises(grid_staff.BindRefused) as refused:
        _bind(db, worker, "1000000001")
    assert refused.value.message.startswith("以1开头的不是用于网格采集")
    with pytest.raises(grid_staff.BindRefused) as refused:
        _bind(db, worker, "6999999999")
    assert refused.value.message == grid_staff.UNKNOWN_CODE


def test_item5_tries_are_rate_limited(db):
    worker = make_person(db, "吴网格")
    grid = make_grid(db, "周网管", status="active")
    for i in range(share_codes.BIND_PER_ACCOUNT.count):
        with pytest.raises(grid_staff.BindRefused):
            _bind(db, worker, f"69999999{i:02d}")
    with pytest.raises(DomainError) as refused:
        _bind(db, worker, grid.code)
    assert refused.value.message == share_codes.BIND_PER_ACCOUNT.message


def test_item5_unbinding_the_current_grid_makes_the_oldest_other_current(db):
    worker = make_person(db, "吴网格")
    first = make_grid(db, "周网管", "一社区网格", status="active")
    second = make_grid(db, "郑网管", "二社区网格", status="active")
    a, b = _bind(db, worker, first.code), _bind(db, worker, second.code)
    grid_staff.set_authorised(db.session, a, True)
    grid_staff.unbind(db.session, a, clock.utcnow())
    assert not a.active and not a.is_current and not a.authorised and b.is_current
    again = _bind(db, worker, first.code)  # binding again: a fresh, unauthorised, not current binding
    assert again.id == a.id and again.active and not again.authorised and not again.is_current
    assert [s.id for s in grid_staff.members(db.session, first.id)] == [a.id]


def test_item5_a_worker_of_an_active_grid_scans_codes_one_of_a_pending_grid_does_not(db):
    from tests.factories import make_grid_staff
    from yks_web.services import access

    pending_worker, active_worker = make_person(db, "吴网格"), make_person(db, "郑网格")
    make_grid_staff(db, make_grid(db, "周网管", "一社区网格"), pending_worker)
    make_grid_staff(db, make_grid(db, "郑网管", "二社区网格", status="active"), active_worker)
    assert access.scanning_role(db.session, pending_worker) is None
    assert access.scanning_role(db.session, active_worker) == "grid_worker"


def test_item5_each_list_is_one_query_whatever_its_length(db):
    from sqlalchemy import event

    from tests.factories import make_grid_staff

    worker = make_person(db, "吴网格")
    grid = make_grid(db, "周网管", "一社区网格", status="active")
    for i in range(3):
        make_grid_staff(db, make_grid(db, f"网管{i}", f"{i}社区网格", status="active"), worker)
        make_grid_staff(db, grid, f"网格员{i}")
    db.session.commit()
    worker_id, grid_id = worker.id, grid.id
    statements = []

    def listener(*args):
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        db.session.expire_all()
        names = [s.grid.name for s in grid_staff.active_grids(db.session, worker_id)]
        people = [s.person.name for s in grid_staff.members(db.session, grid_id)]
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert len(names) == 3 and len(people) == 3
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 2, [s[:90] for s in statements]

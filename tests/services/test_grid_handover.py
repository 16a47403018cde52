"""管理员变更 rules (SPEC O6; issue 12 item 4; guide 二 (三) (1) 6), FAQ (四) 8): a one-time identity link valid
24 hours, accepted only by the person whose 实名认证 matches the typed 姓名 and 身份证号码; the old admin loses the
role at once; workers and records stay with the grid. And 解散网格 (issue 12 item 3): nothing of the grid is left in
any table."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.factories import id_number, make_grid, make_grid_staff, make_person
from yks_web.extensions import db as _db
from yks_web.models.grid import Grid, GridHandover, GridStaff, GridVisit
from yks_web.models.people import Person
from yks_web.services import grid_handover, grid_visits, grids
from yks_web.services.identity import make_identity
from yks_web.services.rate_limits import RateLimited

T0 = datetime(2026, 11, 20, 1, 0)  # naive UTC (09:00 in Shanghai)


def _successor(db, name: str = "陈继任", **kw) -> tuple[Person, str]:
    number = id_number()
    return make_person(db, name, number, **kw), number


def _offer(db, grid: Grid, name: str, number: str, at: datetime = T0) -> GridHandover:
    return grid_handover.start(db.session, grid, grid.admin_id, name, number, at)


def _visit(db, grid: Grid, worker: Person, key: str, at: datetime = T0) -> GridVisit:
    visit = GridVisit(grid_id=grid.id, worker_id=worker.id, person_id=None, name="王居民", id_type="id_card",
                      id_number=id_number(), id_hash=f"h-{key}", phone=None, address="一栋101",
                      temperature=Decimal("36.5"), client_key=key, recorded_at=at, created_at=at,
                      local_day=date(2026, 11, 20))
    db.session.add(visit)
    db.session.flush()
    return visit


# -- 发起 (start) ----------------------------------------------------------------------------------------------


def test_item4_start_makes_a_random_token_valid_24_hours_with_the_ids_hash_not_the_number(db):
    """O6: name + 身份证 → one-time link; the hash is Person.id_hash's; the number itself is kept nowhere."""
    grid = make_grid(db)
    successor, number = _successor(db)
    offer = _offer(db, grid, " 陈继任 ", number.lower())  # typed with spaces; x typed lower case
    assert len(offer.token) >= 43
    assert offer.expires_at == T0 + timedelta(hours=24) and offer.created_at == T0
    assert offer.successor_name == "陈继任"
    assert offer.successor_id_hash == successor.id_hash == make_identity("陈继任", "id_card", number).hash
    assert offer.from_id == grid.admin_id and offer.accepted_at is None
    row = db.session.execute(select(GridHandover.__table__).where(GridHandover.id == offer.id)).one()
    assert number not in " ".join(str(value) for value in row)
    assert _offer(db, grid, "陈继任", number).token != offer.token  # random, never derived from the identity


@pytest.mark.parametrize(("name", "number", "field", "message"), [
    ("", "VALID", "name", grid_handover.NAME_EMPTY),
    ("陈继任", "", "id_number", grid_handover.ID_EMPTY),
    ("陈\u202e继任", "VALID", "name", "姓名不能包含控制字符或不可见字符"),
    ("陈继任", "44010620000101001", "id_number", "身份证号码应为18位"),
    ("陈继任", "440106200001010010", "id_number", "身份证号码校验位不正确，请核对"),
])
def test_item4_start_checks_the_name_and_the_id_and_says_which_field(db, name, number, field, message):
    grid = make_grid(db)
    number = id_number() if number == "VALID" else number
    with pytest.raises(grid_handover.HandoverRefused) as refused:
        _offer(db, grid, name, number)
    assert (refused.value.field, refused.value.message) == (field, message)
    assert db.session.scalar(select(func.count()).select_from(GridHandover)) == 0


def test_item4_only_the_current_admin_starts_and_nobody_hands_to_themselves(db):
    admin_number = id_number()
    admin = make_person(db, "周网管", admin_number)
    grid = make_grid(db, admin)
    worker = make_grid_staff(db, grid, "吴网格", authorised=True).person
    for someone in (worker, make_person(db, "路人")):
        with pytest.raises(grid_handover.NotAdmin):
            grid_handover.start(db.session, grid, someone.id, "陈继任", id_number(), T0)
        with pytest.raises(grid_handover.NotAdmin):
            grid_handover.cancel(db.session, grid, someone.id, T0)
    with pytest.raises(grid_handover.HandoverRefused) as refused:
        _offer(db, grid, "周网管", admin_number)
    assert refused.value.field == "id_number" and refused.value.message == grid_handover.SELF


def test_item4_a_new_start_ends_the_earlier_open_link(db):
    grid = make_grid(db)
    first_person, first_number = _successor(db, "陈继任")
    first = _offer(db, grid, "陈继任", first_number)
    second = _offer(db, grid, "林继任", id_number(), T0 + timedelta(hours=1))
    assert grid_handover.pending(db.session, grid.id, T0 + timedelta(hours=1)) == second
    assert grid_handover.open_offer(db.session, first.token, T0 + timedelta(hours=1)) is None
    assert first.expires_at == T0 + timedelta(hours=1)  # ended, the row kept
    with pytest.raises(grid_handover.HandoverGone):
        grid_handover.accept(db.session, first.token, first_person, T0 + timedelta(hours=2))
    assert grid.admin_id != first_person.id


def test_item4_cancel_撤销变更_ends_the_link(db):
    grid = make_grid(db)
    successor, number = _successor(db)
    offer = _offer(db, grid, "陈继任", number)
    assert grid_handover.cancel(db.session, grid, grid.admin_id, T0 + timedelta(minutes=5)) is True
    assert grid_handover.pending(db.session, grid.id, T0 + timedelta(minutes=5)) is None
    assert grid_handover.open_offer(db.session, offer.token, T0 + timedelta(minutes=5)) is None
    with pytest.raises(grid_handover.HandoverGone):
        grid_handover.accept(db.session, offer.token, successor, T0 + timedelta(minutes=6))
    assert grid_handover.cancel(db.session, grid, grid.admin_id, T0 + timedelta(minutes=7)) is False  # none open
    assert grid.admin_id != successor.id


# -- 接任 (accept) ---------------------------------------------------------------------------------------------


def test_item4_only_the_person_whose_realname_matches_accepts_and_is_told_no_detail(db):
    """O6: a verified stranger, the right ID under another verified name, and the right person unverified are all
    refused; the refusal names neither the expected name nor the ID."""
    grid = make_grid(db)
    old_admin = grid.admin_id
    successor, number = _successor(db, "陈继任")
    stranger = make_person(db, "陈继任")  # the same name, another ID
    offer = _offer(db, grid, "陈继任", number)
    with pytest.raises(grid_handover.HandoverRefused) as refused:
        grid_handover.accept(db.session, offer.token, stranger, T0 + timedelta(hours=1))
    assert refused.value.message == grid_handover.MISMATCH
    assert "陈" not in refused.value.message and number[-4:] not in refused.value.message
    renamed = _offer(db, grid, "陈继仁", number)  # the admin typed the ID right and the name wrong
    with pytest.raises(grid_handover.HandoverRefused, match=grid_handover.MISMATCH):
        grid_handover.accept(db.session, renamed.token, successor, T0 + timedelta(hours=1))
    right = _offer(db, grid, "陈继任", number)
    successor.name_verified_at = None  # their name is only what someone typed: not 实名认证
    with pytest.raises(grid_handover.HandoverRefused, match=grid_handover.NOT_VERIFIED):
        grid_handover.accept(db.session, right.token, successor, T0 + timedelta(hours=1))
    assert grid.admin_id == old_admin and grid_handover.open_offer(db.session, right.token, T0) is not None
    successor.name_verified_at = T0
    assert grid_handover.accept(db.session, right.token, successor, T0 + timedelta(hours=2)) == grid
    assert grid.admin_id == successor.id
    assert (right.accepted_at, right.accepted_by_id) == (T0 + timedelta(hours=2), successor.id)


@pytest.mark.parametrize(("after", "accepted"), [(timedelta(hours=23, minutes=59), True),
                                                  (timedelta(hours=24), False),
                                                  (timedelta(hours=24, minutes=1), False)])
def test_item4_the_link_holds_24_hours(db, after, accepted):
    """23:59 after it was made it is accepted; at 24:00 and 24:01 it has expired (the page says so)."""
    grid = make_grid(db)
    successor, number = _successor(db)
    offer = _offer(db, grid, "陈继任", number)
    now = T0 + after
    assert (grid_handover.open_offer(db.session, offer.token, now) is not None) is accepted
    if accepted:
        grid_handover.accept(db.session, offer.token, successor, now)
        assert grid.admin_id == successor.id
    else:
        with pytest.raises(grid_handover.HandoverGone):
            grid_handover.accept(db.session, offer.token, successor, now)
        assert grid.admin_id != successor.id


def test_item4_a_link_is_single_use(db):
    grid = make_grid(db)
    successor, number = _successor(db)
    offer = _offer(db, grid, "陈继任", number)
    grid_handover.accept(db.session, offer.token, successor, T0 + timedelta(hours=1))
    assert grid_handover.open_offer(db.session, offer.token, T0 + timedelta(hours=1)) is None
    # the successor's double tap is answered with their grid, nothing recorded twice
    assert grid_handover.accept(db.session, offer.token, successor, T0 + timedelta(hours=2)) == grid
    assert offer.accepted_at == T0 + timedelta(hours=1)
    for someone in (make_person(db, "路人"), db.session.get(Person, offer.from_id)):
        with pytest.raises(grid_handover.HandoverGone):
            grid_handover.accept(db.session, offer.token, someone, T0 + timedelta(hours=2))
    assert grid.admin_id == successor.id
    for token in ("", "x" * 500, None, "no-such-token"):
        assert grid_handover.open_offer(db.session, token, T0) is None


def test_item4_a_successor_who_administers_another_grid_is_refused_clearly(db):
    grid = make_grid(db, "周网管", "甲网格")
    successor, number = _successor(db)
    theirs = make_grid(db, successor, "乙网格")
    offer = _offer(db, grid, "陈继任", number)
    with pytest.raises(grid_handover.HandoverRefused) as refused:
        grid_handover.accept(db.session, offer.token, successor, T0 + timedelta(hours=1))
    assert refused.value.message == grid_handover.ALREADY_ADMIN
    assert "一个管理员只能管理一个网格" in refused.value.message
    assert grids.admin_grid(db.session, successor.id) == theirs and grid.admin.name == "周网管"
    assert grid_handover.open_offer(db.session, offer.token, T0 + timedelta(hours=1)) is not None  # still usable


def test_item4_the_old_admin_loses_the_role_at_once_and_the_successor_holds_it(db):
    grid = make_grid(db, "周网管")
    old = grid.admin
    successor, number = _successor(db)
    grid_handover.accept(db.session, _offer(db, grid, "陈继任", number).token, successor, T0 + timedelta(hours=1))
    db.session.commit()
    assert grids.admin_grid(db.session, old.id) is None and grids.admin_grid(db.session, successor.id) == grid
    with pytest.raises(grid_handover.NotAdmin):
        grid_handover.start(db.session, grid, old.id, "林继任", id_number(), T0 + timedelta(hours=2))
    with pytest.raises(grid_handover.NotAdmin):
        grid_handover.cancel(db.session, grid, old.id, T0 + timedelta(hours=2))
    with pytest.raises(grids.GridRefused):
        grids.dissolve(db.session, grid, old.id, grid.name)
    db.session.rollback()
    assert db.session.get(Grid, grid.id).admin_id == successor.id


def test_item4_workers_and_records_stay_with_the_grid_and_a_workers_later_record_is_stored(db):
    """Nobody's records are lost by a hand-over (SORMAS #403): GridStaff rows (授权 included) and GridVisit rows are
    untouched; the successor, a worker of the grid, keeps that binding; the old admin is made no worker; a record
    a worker made before the hand-over and sends after it (queued offline) is stored by services/grid_visits.record,
    and sent twice still once."""
    grid = make_grid(db, "周网管")
    grid.status = "active"
    old = grid.admin
    worker = make_grid_staff(db, grid, "吴网格", authorised=True)
    successor, number = _successor(db)
    successor_binding = make_grid_staff(db, grid, successor, authorised=True)
    _visit(db, grid, worker.person, "before-1")
    _visit(db, grid, successor, "before-2")
    staff_before = sorted((s.id, s.person_id, s.authorised, s.active, s.is_current) for s in
                          db.session.scalars(select(GridStaff)))
    visits_before = sorted(db.session.scalars(select(GridVisit.client_key)))
    grid_handover.accept(db.session, _offer(db, grid, "陈继任", number).token, successor, T0 + timedelta(hours=1))
    db.session.commit()
    db.session.expire_all()
    assert sorted((s.id, s.person_id, s.authorised, s.active, s.is_current) for s in
                  db.session.scalars(select(GridStaff))) == staff_before
    assert db.session.get(GridStaff, successor_binding.id).active  # admin and worker now
    assert db.session.scalar(select(GridStaff).where(GridStaff.person_id == old.id)) is None
    assert sorted(db.session.scalars(select(GridVisit.client_key))) == visits_before
    answers, errors = grid_visits.validate_entry({
        "name": "王居民", "id_type": "id_card", "id_number": id_number(), "phone": "", "address": "二栋202",
        "temperature": "36.6", "symptoms": "no", "travel": "no", "contact": "no", "remarks": ""})
    assert not errors
    for _ in range(2):  # recorded offline before the hand-over, sent after it (twice: the network dropped)
        stored = grid_visits.record(db.session, grid_id=grid.id, worker_id=worker.person_id, answers=answers,
                                    client_key="queued-before-handover", recorded_at=T0 + timedelta(minutes=30),
                                    utc_now=T0 + timedelta(hours=2), method="manual")
        db.session.commit()
    assert stored.repeated and stored.visit.recorded_at == T0 + timedelta(minutes=30)
    assert db.session.scalar(select(func.count()).select_from(GridVisit).where(GridVisit.grid_id == grid.id)) == 3


def test_item4_a_dissolved_grids_link_is_gone(db):
    grid = make_grid(db, "周网管", "甲网格")
    successor, number = _successor(db)
    offer = _offer(db, grid, "陈继任", number)
    token = offer.token
    grids.dissolve(db.session, grid, grid.admin_id, "甲网格")
    db.session.commit()
    assert grid_handover.open_offer(db.session, token, T0) is None
    with pytest.raises(grid_handover.HandoverGone):
        grid_handover.accept(db.session, token, successor, T0)


def test_item4_accept_attempts_are_counted_per_account(db):
    """The link is no oracle: after 10 attempts in an hour the account is refused, whatever it would match."""
    grid = make_grid(db)
    successor, number = _successor(db)
    guesser = make_person(db, "路人")
    offer = _offer(db, grid, "陈继任", number)
    for _ in range(grid_handover.ACCEPTS_PER_ACCOUNT.count):
        with pytest.raises(grid_handover.HandoverRefused):
            grid_handover.accept(db.session, offer.token, guesser, T0 + timedelta(minutes=1))
    with pytest.raises(RateLimited):
        grid_handover.accept(db.session, offer.token, guesser, T0 + timedelta(minutes=2))
    assert grid_handover.accept(db.session, offer.token, successor, T0 + timedelta(minutes=3)) == grid  # theirs
    later = T0 + timedelta(minutes=2) + grid_handover.ACCEPTS_PER_ACCOUNT.window
    with pytest.raises(grid_handover.HandoverGone):  # counted again after the hour (and the link is used now)
        grid_handover.accept(db.session, offer.token, guesser, later)


# -- two at once --------------------------------------------------------------------------------------------------


def _race(app, calls) -> list[str]:
    gate = threading.Barrier(len(calls))

    def run(call):
        with app.app_context():
            try:
                gate.wait(timeout=10)
                result = call(_db.session)
                _db.session.commit()
                return f"ok:{result}"
            except grid_handover.HandoverRefused as refused:
                _db.session.rollback()
                return refused.message
            finally:
                _db.session.remove()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def _accept_call(token: str, person_id: int):
    return lambda session: grid_handover.accept(session, token, session.get(Person, person_id), T0).id


def test_item4_two_accepts_of_one_link_at_once_make_one_admin(app, db):
    """The successor's two devices (or a double tap) at the same moment: one admin, the link used once."""
    grid = make_grid(db, "周网管", "甲网格")
    successor, number = _successor(db)
    offer = _offer(db, grid, "陈继任", number, T0 - timedelta(hours=1))
    grid_id, offer_id, successor_id, token = grid.id, offer.id, successor.id, offer.token
    db.session.commit()
    results = _race(app, [_accept_call(token, successor_id) for _ in range(4)])
    assert results == [f"ok:{grid_id}"] * 4
    db.session.expire_all()
    assert db.session.get(Grid, grid_id).admin_id == successor_id
    assert db.session.get(GridHandover, offer_id).accepted_by_id == successor_id


def test_item4_two_grids_handed_to_one_person_at_once_give_them_one(app, db):
    """Grid.admin_id is unique and the person's row is locked: accepting two links at once makes them the admin
    of exactly one grid; the other is refused with the clear message and keeps its admin."""
    one = make_grid(db, "周网管", "甲网格")
    other = make_grid(db, "郑网管", "乙网格")
    successor, number = _successor(db)
    tokens = [_offer(db, grid, "陈继任", number, T0 - timedelta(hours=1)).token for grid in (one, other)]
    admins = {one.id: one.admin_id, other.id: other.admin_id}
    successor_id = successor.id
    db.session.commit()
    results = _race(app, [_accept_call(token, successor_id) for token in tokens])
    assert sorted(results) == sorted([f"ok:{one.id}", grid_handover.ALREADY_ADMIN]) or \
        sorted(results) == sorted([f"ok:{other.id}", grid_handover.ALREADY_ADMIN]), results
    db.session.expire_all()
    held = [grid_id for grid_id in admins if db.session.get(Grid, grid_id).admin_id == successor_id]
    assert len(held) == 1
    (kept,) = set(admins) - set(held)
    assert db.session.get(Grid, kept).admin_id == admins[kept]


# -- 解散网格: nothing of the grid is left --------------------------------------------------------------------------


def _references(db, grid_id: int) -> dict[str, int]:
    """For every table: rows naming `grid_id` in a column with a foreign key to grid.id, or in a grid_id column,
    or (the grid table) the row itself."""
    found: dict[str, int] = {}
    for table in _db.metadata.sorted_tables:
        columns = {fk.parent for fk in table.foreign_keys if fk.column.table.name == "grid"}
        if "grid_id" in table.c:
            columns.add(table.c.grid_id)
        if table.name == "grid":
            columns.add(table.c.id)
        for column in columns:
            rows = db.session.scalar(select(func.count()).select_from(table).where(column == grid_id))
            if rows:
                found[f"{table.name}.{column.name}"] = rows
    return found


def test_item3_dissolving_leaves_nothing_of_the_grid_in_any_table(db):
    """Every table of the metadata (whatever later work adds) is walked: no row of any table references the
    dissolved grid through a foreign key to grid or a grid_id column; the other grid keeps all of its rows."""
    gone = make_grid(db, "周网管", "甲网格")
    kept = make_grid(db, "陈网管", "乙网格")
    for grid, tag in ((gone, "甲"), (kept, "乙")):
        worker = make_grid_staff(db, grid, f"{tag}网格员", authorised=True).person
        make_grid_staff(db, grid, f"{tag}二网格员", active=False)
        _offer(db, grid, f"{tag}继任", id_number())
        _visit(db, grid, worker, f"{tag}-visit")
    referencing = [t.name for t in _db.metadata.sorted_tables
                   if any(fk.column.table.name == "grid" for fk in t.foreign_keys)]
    assert {"grid_staff", "grid_handover", "grid_visit"} <= set(referencing)
    before_kept = _references(db, kept.id)
    assert set(_references(db, gone.id)) == set(before_kept) >= {"grid.id", "grid_staff.grid_id",
                                                                   "grid_handover.grid_id", "grid_visit.grid_id"}
    gone_id = gone.id
    grids.dissolve(db.session, gone, gone.admin_id, "甲网格")
    db.session.commit()
    assert _references(db, gone_id) == {}
    assert _references(db, kept.id) == before_kept

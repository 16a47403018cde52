"""重点管控人员 of a grid (SPEC O6, H2, Q3; issue 12 item 6): the grid's people whose code is red or yellow or who are
under 医学观察, in a constant number of statements; and the provider's bulk observations_of."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from tests.factories import (
    answers,
    make_grid,
    make_grid_staff,
    make_grid_visit,
    make_observation,
    make_person,
    student_name,
)
from tests.services.test_health_data import statements
from yks_web import clock
from yks_web.health_setup import provider
from yks_web.models.grid import GridVisit
from yks_web.services import health_data, personal
from yks_web.services.grid_key_people import key_people, key_person

T0 = datetime(2026, 11, 20, 9, 0)  # tests/conftest.py's DEFAULT_NOW, Asia/Shanghai


def make_visit(db, grid, worker_id: int, person=None, *, at: datetime | None = None, name: str = "黄小明",
               address: str = "石牌街道一社区1栋101", temperature: str | None = "36.5", symptoms: bool = False,
               travel: bool = False, contact: bool = False, remarks: str = "") -> GridVisit:
    """tests/factories.make_grid_visit with the door-to-door answers by short names (`at`: Asia/Shanghai time)."""
    return make_grid_visit(
        db, grid, worker_id, person, name=name, address=address, at=at, method="manual" if person is None else "scan",
        temperature=Decimal(temperature) if temperature is not None else None, has_symptoms=symptoms,
        risk_travel=travel, contact_case=contact, remarks=remarks,
    )


def set_code(db, person, colour: str, reason: str = "") -> None:
    health_data.set_status(db.session, person.id, colour=colour, reason=reason or f"{colour}原因", city="广州市",
                           guidance="", utc_now=clock.utcnow())


def grid_with_worker(db, name: str = "石牌街道一社区网格", admin: str = "周网管"):
    grid = make_grid(db, admin, name, status="active")
    worker = make_grid_staff(db, grid, f"{admin}的网格员", authorised=True)
    return grid, worker.person_id


def test_o6_key_people_are_the_grids_red_yellow_and_observed_people(db):
    """issue 12 item 6: red, yellow and under 医学观察 are in (with why); green, never met here, or met only in
    another grid are out; a visit without an identified person (person_id None) names nobody."""
    grid, worker = grid_with_worker(db)
    other, other_worker = grid_with_worker(db, "员村街道二社区网格", "林网管")
    red, yellow, observed, green = (make_person(db, n) for n in ("红一", "黄二", "观三", "绿四"))
    elsewhere, never = make_person(db, "别五"), make_person(db, "未六")
    set_code(db, red, "red", "密切接触者")
    set_code(db, yellow, "yellow", "14日内有中高风险地区旅居史")
    make_observation(db, observed, reason="入境人员", colour="")  # observed, code still green
    set_code(db, elsewhere, "red")
    set_code(db, never, "red")
    for person in (red, yellow, observed, green):
        make_visit(db, grid, worker, person)
    make_visit(db, grid, worker)  # typed, not identified
    make_visit(db, other, other_worker, elsewhere)
    db.session.commit()

    found = key_people(db.session, provider(), grid.id)

    assert [k.person.name for k in found] == ["红一", "黄二", "观三"]  # 红码, then 黄码, then observation only
    assert [k.code.label for k in found] == ["红码", "黄码", "绿码"]
    assert found[0].reasons == ["红码：密切接触者"]
    assert found[1].reasons == ["黄码：14日内有中高风险地区旅居史"]
    assert found[2].reasons == ["医学观察：入境人员"]
    assert [o.reason for o in found[2].observations] == ["入境人员"]
    assert [k.person.name for k in key_people(db.session, provider(), other.id)] == ["别五"]


def test_o6_a_released_observation_or_a_green_code_leaves_the_list(db):
    """issue 12 item 6: the list follows the provider — a person whose observation was released (and code turned
    green) is no longer a key person."""
    grid, worker = grid_with_worker(db)
    person = make_person(db, "观七")
    observation = make_observation(db, person)  # red for 密切接触者
    make_visit(db, grid, worker, person)
    assert [k.reasons for k in key_people(db.session, provider(), grid.id)] == [["红码：密切接触者",
                                                                                "医学观察：密切接触者"]]
    provider().release_observation(person.id, observation.id, notice_id=None, utc_now=clock.utcnow())
    assert key_people(db.session, provider(), grid.id) == []
    assert key_person(db.session, provider(), grid.id, person.id) is None


def test_o6_each_entry_carries_the_latest_visit_in_this_grid(db):
    """issue 12 item 6: the day, address, temperature and answers of the newest visit of the person here (a visit
    in another grid does not count)."""
    grid, worker = grid_with_worker(db)
    other, other_worker = grid_with_worker(db, "员村街道二社区网格", "林网管")
    person = make_person(db, "红八")
    set_code(db, person, "red")
    make_visit(db, grid, worker, person, at=T0 - timedelta(days=3), address="旧地址")
    make_visit(db, grid, worker, person, at=T0 - timedelta(days=1), address="新地址", temperature="37.8",
               symptoms=True)
    make_visit(db, other, other_worker, person, at=T0, address="别的网格")
    [entry] = key_people(db.session, provider(), grid.id)
    visit = entry.latest_visit
    assert (visit.address, visit.local_day, visit.temperature, visit.has_symptoms) == (
        "新地址", (T0 - timedelta(days=1)).date(), Decimal("37.8"), True)


def test_o6_newest_visit_first_within_a_colour(db):
    grid, worker = grid_with_worker(db)
    first, second = make_person(db, "红甲"), make_person(db, "红乙")
    for person in (first, second):
        set_code(db, person, "red")
    make_visit(db, grid, worker, first, at=T0 - timedelta(hours=5))
    make_visit(db, grid, worker, second, at=T0 - timedelta(hours=1))
    assert [k.person.name for k in key_people(db.session, provider(), grid.id)] == ["红乙", "红甲"]


def build(db, grid, worker, size: int) -> None:
    """`size` people met in the grid, two visits each: a third red, a third observed, a third green."""
    for i in range(size):
        person = make_person(db, student_name(i))
        if i % 3 == 0:
            set_code(db, person, "red")
        elif i % 3 == 1:
            make_observation(db, person, colour="")
        for days in (2, 1):
            make_visit(db, grid, worker, person, at=T0 - timedelta(days=days))


def test_q3_the_list_takes_the_same_statements_for_3_or_60_people(db):
    """issue 12 item 6 (SPEC Q3): the grid's people, their codes, their observations, the latest visits with the
    people — four statements however many visits and people."""
    small, small_worker = grid_with_worker(db)
    large, large_worker = grid_with_worker(db, "员村街道二社区网格", "林网管")
    build(db, small, small_worker, 3)
    build(db, large, large_worker, 60)
    db.session.commit()
    counted = []
    for grid_id, expected in ((small.id, 2), (large.id, 40)):
        db.session.expire_all()
        with statements(db) as seen:
            found = key_people(db.session, provider(), grid_id)
            assert [k.latest_visit.address for k in found]  # what the screen reads is loaded
            assert all(k.person.name for k in found)
        assert len(found) == expected
        counted.append(len(seen))
    assert counted[0] == counted[1] == 4


def test_q3_beyond_a_batch_the_provider_is_asked_in_bounded_lists(db, monkeypatch):
    """The ids go to the provider in lists of at most BATCH (bound-parameter caps), and the answer is the same."""
    grid, worker = grid_with_worker(db)
    build(db, grid, worker, 60)
    db.session.commit()
    whole = [k.person.id for k in key_people(db.session, provider(), grid.id)]
    monkeypatch.setattr("yks_web.services.grid_key_people.BATCH", 7)
    asked: list[int] = []
    data = provider()
    statuses = data.statuses

    def counting(ids):
        ids = list(ids)
        asked.append(len(ids))
        return statuses(ids)

    monkeypatch.setattr(data, "statuses", counting)
    assert [k.person.id for k in key_people(db.session, data, grid.id)] == whole
    assert max(asked) == 7 and sum(asked) == len(set(v.person_id for v in db.session.scalars(
        select(GridVisit).where(GridVisit.grid_id == grid.id, GridVisit.person_id.is_not(None)))))


def test_q3_an_empty_grid_takes_one_statement(db):
    grid, _ = grid_with_worker(db)
    with statements(db) as seen:
        assert key_people(db.session, provider(), grid.id) == []
    assert len(seen) == 1


def test_o6_key_person_details_are_the_persons_declarations_and_this_grids_visits(db):
    """issue 12 item 6: all of the person's 个人健康申报 (not just the latest), their code with its 判定时间,
    their observations, and this grid's visits of them, newest first; someone not on the list: None."""
    grid, worker = grid_with_worker(db)
    other, other_worker = grid_with_worker(db, "员村街道二社区网格", "林网管")
    person = make_person(db, "红九", phone="13800000099")
    set_code(db, person, "red", "密切接触者")
    make_observation(db, person, reason="入境人员", colour="")
    for i in range(3):
        personal.submit(db.session, person_id=person.id, actor_id=person.id, answers=answers(),
                        form_key=f"key-{i}", utc_now=clock.utcnow() - timedelta(days=i))
    make_visit(db, grid, worker, person, at=T0 - timedelta(days=2), address="旧地址")
    make_visit(db, grid, worker, person, at=T0 - timedelta(days=1), address="新地址")
    make_visit(db, other, other_worker, person, address="别的网格")
    green, stranger = make_person(db, "绿十"), make_person(db, "红外")
    set_code(db, stranger, "red")
    make_visit(db, grid, worker, green)
    db.session.commit()

    detail = key_person(db.session, provider(), grid.id, person.id)
    assert detail.person.id == person.id and detail.person.phone == "13800000099"
    assert (detail.code.label, detail.code.reason, detail.code.decided_at) == ("红码", "密切接触者", clock.utcnow())
    assert [o.reason for o in detail.observations] == ["入境人员"]
    assert len(detail.declarations) == 3
    assert [v.address for v in detail.visits] == ["新地址", "旧地址"]
    assert detail.reasons == ["红码：密切接触者", "医学观察：入境人员"]
    assert key_person(db.session, provider(), grid.id, green.id) is None  # met here, but green
    assert key_person(db.session, provider(), grid.id, stranger.id) is None  # red, but never met here
    assert key_person(db.session, provider(), other.id, person.id).visits[0].address == "别的网格"


def test_h2_observations_of_many_people_is_one_query(db):
    """The provider's bulk form of observations(): open ones only, oldest first, [] for someone without (issue 12
    item 6 reads a whole grid's people at once)."""
    first, second, none = make_person(db, "观甲"), make_person(db, "观乙"), make_person(db, "无观察")
    released = make_observation(db, first, reason="密切接触者", colour="")
    make_observation(db, first, reason="入境人员", colour="")
    make_observation(db, second, reason="次密切接触者", colour="")
    provider().release_observation(first.id, released.id, notice_id=None, utc_now=clock.utcnow())
    ids = first.id, second.id, none.id
    db.session.commit()
    data = provider()
    with statements(db) as seen:
        found = data.observations_of(ids)
    assert len(seen) == 1
    assert {pid: [o.reason for o in found[pid]] for pid in found} == {
        ids[0]: ["入境人员"], ids[1]: ["次密切接触者"], ids[2]: []}
    assert found[ids[0]] == data.observations(ids[0])
    assert data.observations_of([]) == {}

"""区划管理员 rules (SPEC O6; issue 12 item 1; FAQ (四) 6): levels, appointing the level below, the direct superior."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.factories import id_number, make_district_admin, make_grid, make_person
from yks_web.services import district_admins, grids

T0 = datetime(2026, 11, 20, 1, 0)
CITY, DISTRICT, TOWN, OTHER_TOWN = "4401", "440106", "440106006", "440106001"  # 广州市天河区石牌街道 / 五山街道


def test_item1_levels_are_named_by_the_code_length():
    assert [district_admins.level_label(c) for c in (CITY, DISTRICT, TOWN)] == ["市级", "县（区）级", "镇（街）级"]


def test_item1_the_operator_appoints_city_level_only(db):
    person = make_person(db, "冯市管")
    row = district_admins.appoint(db.session, person, CITY, appointed_by_id=None, utc_now=T0)
    assert (row.area_code, row.appointed_by_id, row.appointed_at) == (CITY, None, T0)
    for area in (DISTRICT, TOWN, "9999", ""):
        with pytest.raises(district_admins.AppointRefused):
            district_admins.appoint(db.session, make_person(db, "何区管"), area, appointed_by_id=None, utc_now=T0)
    with pytest.raises(district_admins.AppointRefused, match="已是该区域"):
        district_admins.appoint(db.session, person, CITY, appointed_by_id=None, utc_now=T0)


def test_item1_a_level_appoints_only_the_level_directly_below_inside_its_area(db):
    city = make_district_admin(db, "冯市管", CITY)
    district = district_admins.appoint(db.session, make_person(db, "何区管"), DISTRICT,
                                       appointed_by_id=city.person_id, utc_now=T0)
    assert district.appointed_by_id == city.person_id
    refused = [
        (city.person_id, TOWN),  # two levels down
        (city.person_id, "440304"),  # 深圳's 福田区: not inside 广州
        (city.person_id, "4403"),  # a city: only the operator
        (district.person_id, "440304001"),  # a town of another district
    ]
    for appointer, area in refused:
        with pytest.raises(district_admins.AppointRefused, match="下一级"):
            district_admins.appoint(db.session, make_person(db, "许镇管"), area, appointed_by_id=appointer,
                                    utc_now=T0)
    town = district_admins.appoint(db.session, make_person(db, "许镇管"), TOWN, appointed_by_id=district.person_id,
                                   utc_now=T0)
    assert district_admins.appointable_areas(db.session, town.person_id) == []  # a town appoints nobody
    assert {a.code for a in district_admins.appointable_areas(db.session, district.person_id)} >= {TOWN, OTHER_TOWN}
    assert [r.id for r in district_admins.appointed_by(db.session, district.person_id)] == [town.id]


def test_item1_a_revoked_admin_appoints_and_covers_nothing(db):
    district = make_district_admin(db, "何区管", DISTRICT)
    assert district_admins.covers(db.session, district.person_id, TOWN)
    district_admins.revoke(db.session, district, T0)
    assert not district_admins.is_district_admin(db.session, district.person_id)
    assert not district_admins.covers(db.session, district.person_id, TOWN)
    with pytest.raises(district_admins.AppointRefused):
        district_admins.appoint(db.session, make_person(db, "许镇管"), TOWN, appointed_by_id=district.person_id,
                                utc_now=T0)
    assert district_admins.appointment_of(db.session, district.id, None) is None


def test_item1_only_a_verified_person_with_that_name_and_number_is_found(db):
    number = id_number()
    person = make_person(db, "郑街管", number)
    assert district_admins.find_verified(db.session, "郑街管", number) == person
    unverified_number = id_number()
    make_person(db, "王未认", unverified_number, verified=False)
    for name, typed in (("郑街", number), ("郑街管", id_number()), ("王未认", unverified_number), ("郑街管", "123")):
        with pytest.raises(district_admins.AppointRefused, match="未找到"):
            district_admins.find_verified(db.session, name, typed)


def test_item1_the_direct_superior_is_the_town_else_the_nearest_staffed_level_above(db):
    grid = make_grid(db)  # in 石牌街道
    assert district_admins.direct_superior_area(db.session, grid.area_code) is None
    city = make_district_admin(db, "冯市管", CITY)
    assert district_admins.direct_superior_area(db.session, grid.area_code) == CITY
    district = make_district_admin(db, "何区管", DISTRICT)
    other_town = make_district_admin(db, "许镇管", OTHER_TOWN)
    assert district_admins.direct_superior_area(db.session, grid.area_code) == DISTRICT
    assert district_admins.may_decide(db.session, district.person_id, grid)
    assert not district_admins.may_decide(db.session, city.person_id, grid)  # a level below is staffed
    assert not district_admins.may_decide(db.session, other_town.person_id, grid)
    town = make_district_admin(db, "孔镇管", TOWN)
    assert district_admins.may_decide(db.session, town.person_id, grid)
    assert not district_admins.may_decide(db.session, district.person_id, grid)
    # the city sees it pending (not theirs to decide), the town decides it, the other town does not see it
    assert district_admins.grids_of_area(db.session, city.person_id) == [(grid, False)]
    assert district_admins.grids_of_area(db.session, town.person_id) == [(grid, True)]
    assert district_admins.grids_of_area(db.session, other_town.person_id) == []
    grids.confirm(db.session, grid, town.person_id, T0)
    assert district_admins.grids_of_area(db.session, city.person_id) == []  # decided: no longer pending


def test_item1_the_grid_list_costs_the_same_queries_for_many_grids(db, app):
    from sqlalchemy import event

    town = make_district_admin(db, "孔镇管", TOWN)
    make_grid(db, "网管一", "一网格")

    def counted() -> int:
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            district_admins.grids_of_area(db.session, town.person_id)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    one = counted()
    for i in range(5):
        make_grid(db, f"网管{i}二", f"{i}号网格")
    assert counted() == one

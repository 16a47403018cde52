"""区划管理员 screens (SPEC O6; issue 12 item 1; FAQ (四) 6): the operator's city-level ones (page and CLI), a level
appointing and revoking the level below, confirming or rejecting the grids of their area only."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.blueprints.support import count, location, text
from tests.factories import id_number, make_district_admin, make_grid, make_person
from yks_web.models.grid import DistrictAdmin, Grid
from yks_web.services import access


def who(name: str, number: str) -> dict:
    return {"name": name, "id_type": "id_card", "id_number": number}


@pytest.fixture
def operator(db, actions):
    person = make_person(db, "孙运营", is_operator=True)
    db.session.commit()
    actions.login(person)
    return person


def test_item1_the_operator_appoints_and_revokes_a_city_level_admin(client, db, actions, operator):
    number = id_number()
    make_person(db, "冯市管", number)
    db.session.commit()
    page = text(client.get("/operator/districts"))
    assert "任命市级区划管理员" in page and "广州市" in page
    assert "/operator/districts" in text(client.get("/operator/"))
    nobody = actions.post("/operator/districts", {**who("冯市", number), "area": "4401"})
    assert nobody.status_code == 200 and "未找到该姓名和证件号码对应的已实名认证用户" in text(nobody)
    bad = actions.post("/operator/districts", {**who("冯市管", "123"), "area": "4401"})
    assert bad.status_code == 200 and "身份证号码应为18位" in text(bad)
    town = actions.post("/operator/districts", {**who("冯市管", number), "area": "440106"})
    assert town.status_code == 200 and "请选择所在城市" in text(town)
    done = actions.post("/operator/districts", {**who("冯市管", number), "area": "4401"})
    assert done.status_code == 303 and location(done) == "/operator/districts"
    row = db.session.scalar(select(DistrictAdmin))
    assert (row.area_code, row.appointed_by_id) == ("4401", None)
    page = text(client.get("/operator/districts"))
    assert "*市管" in page and "冯市管" not in page.split("任命市级区划管理员")[0]  # masked in the list
    assert "确定撤销广东省广州市的市级区划管理员吗" in text(client.get(f"/operator/districts/{row.id}/revoke"))
    revoked = actions.post(f"/operator/districts/{row.id}/revoke")
    assert revoked.status_code == 303
    db.session.expire_all()
    assert db.session.get(DistrictAdmin, row.id).revoked_at is not None
    assert client.get(f"/operator/districts/{row.id}/revoke").status_code == 404


def test_item1_operator_pages_are_404_to_anyone_else(client, db, actions):
    city = make_district_admin(db, "冯市管", "4401")
    db.session.commit()
    actions.login(city.person)
    assert client.get("/operator/districts").status_code == 404
    assert actions.post(f"/operator/districts/{city.id}/revoke").status_code == 404


def test_item1_the_cli_appoints_lists_and_revokes(app, db):
    number = id_number()
    make_person(db, "冯市管", number)
    db.session.commit()
    runner = app.test_cli_runner()
    done = runner.invoke(args=["yks", "district", "appoint", "--name", "冯市管", "--id-number", number,
                               "--city", "广州市"])
    assert done.exit_code == 0 and "已任命市级区划管理员：冯市管" in done.output, done.output
    assert number not in done.output
    again = runner.invoke(args=["yks", "district", "appoint", "--name", "冯市管", "--id-number", number,
                                "--city", "4401"])
    assert again.exit_code != 0 and "已是该区域的区划管理员" in again.output
    nobody = runner.invoke(args=["yks", "district", "appoint", "--name", "冯市", "--id-number", number,
                                 "--city", "4401"])
    assert nobody.exit_code != 0 and "未找到" in nobody.output
    assert runner.invoke(args=["yks", "district", "appoint", "--name", "冯市管", "--id-number", number,
                               "--city", "火星市"]).exit_code != 0
    listed = runner.invoke(args=["yks", "district", "list"])
    assert "共1名市级区划管理员" in listed.output and "广东省广州市 冯市管" in listed.output
    revoked = runner.invoke(args=["yks", "district", "revoke", "--id-number", number, "--city", "广州市"])
    assert revoked.exit_code == 0 and "已撤销广东省广州市的市级区划管理员" in revoked.output
    assert "共0名" in runner.invoke(args=["yks", "district", "list"]).output


def test_item1_a_district_admin_appoints_a_town_inside_their_district_and_revokes_it(client, db, actions):
    district = make_district_admin(db, "何区管", "440106")
    number = id_number()
    make_person(db, "许镇管", number)
    db.session.commit()
    actions.login(district.person)
    page = text(client.get("/grid/district"))
    assert "任命下级区划管理员" in page and "广东省广州市天河区石牌街道" in page
    outside = actions.post("/grid/district", {**who("许镇管", number), "area": "440304001"})
    assert outside.status_code == 200 and "只能任命本辖区下一级区域的区划管理员" in text(outside)
    nobody = actions.post("/grid/district", {**who("许", number), "area": "440106006"})
    assert nobody.status_code == 200 and "未找到" in text(nobody)
    done = actions.post("/grid/district", {**who("许镇管", number), "area": "440106006"})
    assert done.status_code == 303 and location(done) == "/grid/district"
    row = db.session.scalar(select(DistrictAdmin).where(DistrictAdmin.area_code == "440106006"))
    assert row.appointed_by_id == district.person_id
    assert "*镇管" in text(client.get("/grid/district"))
    assert "确定撤销" in text(client.get(f"/grid/district/appointed/{row.id}/revoke"))
    assert actions.post(f"/grid/district/appointed/{row.id}/revoke").status_code == 303
    assert client.get(f"/grid/district/appointed/{row.id}/revoke").status_code == 404
    # a town-level admin appoints nobody; nor can anyone revoke what another appointed
    town = make_district_admin(db, "孔镇管", "440106001", appointed_by=make_person(db, "别区管"))
    db.session.commit()
    actions.login(town.person)
    assert "任命下级区划管理员" not in text(client.get("/grid/district"))
    assert actions.post("/grid/district", {**who("许镇管", number), "area": "440106006"}
                        ).status_code == 200
    actions.login(district.person)
    assert client.get(f"/grid/district/appointed/{town.id}/revoke").status_code == 404
    assert actions.post(f"/grid/district/appointed/{town.id}/revoke").status_code == 404


def test_item1_district_screens_are_404_to_a_non_district_admin(client, db, actions):
    grid = make_grid(db)
    db.session.commit()
    actions.login(grid.admin)
    for url in ("/grid/district", f"/grid/district/grids/{grid.id}"):
        assert client.get(url).status_code == 404
    assert actions.post(f"/grid/district/grids/{grid.id}/confirm").status_code == 404
    assert count(db, Grid, Grid.status == "pending") == 1


def test_item1_confirm_a_grid_of_the_area(client, db, actions):
    grid = make_grid(db, name="石牌一社区网格")
    district = make_district_admin(db, "何区管", "440106")
    db.session.commit()
    actions.login(district.person)
    page = text(client.get("/grid/district"))
    assert "石牌一社区网格" in page and "*网管" in page and "周网管" not in page
    assert "确认" in text(client.get(f"/grid/district/grids/{grid.id}"))
    done = actions.post(f"/grid/district/grids/{grid.id}/confirm")
    assert done.status_code == 303 and location(done) == "/grid/district"
    db.session.expire_all()
    assert db.session.get(Grid, grid.id).status == "active"
    assert client.get(f"/grid/district/grids/{grid.id}").status_code == 404  # decided: no longer to confirm
    actions.login(grid.admin)
    assert "已生效" in text(client.get("/grid/admin"))


def test_item1_reject_with_a_reason(client, db, actions):
    grid = make_grid(db)
    town = make_district_admin(db, "孔镇管", "440106006")
    db.session.commit()
    actions.login(town.person)
    empty = actions.post(f"/grid/district/grids/{grid.id}", {"reason": ""})
    assert empty.status_code == 200 and "请填写不通过的原因" in text(empty)
    long = actions.post(f"/grid/district/grids/{grid.id}", {"reason": "因" * 101})
    assert long.status_code == 200 and "不能超过100个字" in text(long)
    done = actions.post(f"/grid/district/grids/{grid.id}", {"reason": "网格名称不规范"})
    assert done.status_code == 303
    actions.login(grid.admin)
    page = text(client.get("/grid/admin"))
    assert "未通过" in page and "网格名称不规范" in page


def test_item1_a_grid_outside_the_area_is_404(client, db, actions):
    grid = make_grid(db, area_code="440304001")  # 深圳市福田区南园街道
    district = make_district_admin(db, "何区管", "440106")
    other_town = make_district_admin(db, "孔镇管", "440106001")
    db.session.commit()
    for admin in (district, other_town):
        actions.login(admin.person)
        assert client.get(f"/grid/district/grids/{grid.id}").status_code == 404
        assert actions.post(f"/grid/district/grids/{grid.id}/confirm").status_code == 404
        assert actions.post(f"/grid/district/grids/{grid.id}", {"reason": "x"}).status_code == 404
        assert "南园" not in text(client.get("/grid/district"))
    assert db.session.get(Grid, grid.id).status == "pending"


def test_item1_a_higher_level_sees_but_the_direct_superior_decides(client, db, actions):
    grid = make_grid(db, name="石牌一社区网格")
    city = make_district_admin(db, "冯市管", "4401")
    make_district_admin(db, "何区管", "440106")
    db.session.commit()
    actions.login(city.person)
    assert "由下级区划管理员确认" in text(client.get("/grid/district"))
    assert "直属上级" in text(client.get(f"/grid/district/grids/{grid.id}"))
    refused = actions.post(f"/grid/district/grids/{grid.id}/confirm")
    assert refused.status_code == 303 and "直属上级" in text(client.get(location(refused)))
    assert db.session.get(Grid, grid.id).status == "pending"


def test_faq6_no_district_admin_screen_authorises_a_grid_worker(app):
    """授权 of a 网格员 is the grid admin's alone: no endpoint a 区划管理员 may call touches GridStaff."""
    district_endpoints = [e for e, roles in access.ENDPOINTS.items() if "district_admin" in roles]
    assert district_endpoints and not any("authoris" in e or "worker" in e or "staff" in e for e in district_endpoints)
    assert all(e.startswith("grid.district") for e in district_endpoints)

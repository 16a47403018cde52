"""网格管理员 screens (SPEC O6, O8; issue 12 items 2–3): the chooser, 创建网格 with its confirm step, 我的网格,
解散网格 by typing the grid's name."""

from __future__ import annotations

from sqlalchemy import select

from tests.blueprints.support import count, location, text
from tests.factories import make_district_admin, make_grid, make_grid_staff, make_person
from yks_web.models.grid import Grid, GridStaff

FORM = {"city": "4401", "district": "440106", "town": "440106006", "name": "石牌一社区网格"}


def test_item2_the_chooser_offers_grid_admin_and_worker_and_district_admin_only_to_one(client, db, actions):
    person = make_person(db, "周网管")
    district = make_district_admin(db, "何区管", "440106")
    db.session.commit()
    actions.login(person)
    page = text(client.get("/grid/"))
    assert "网格管理员" in page and "/grid/admin" in page
    assert "区划管理员" not in page.split("<nav", 1)[1].split("</nav>", 1)[0]
    assert "网格员<" in page and "/grid/worker" in page  # 网格员 (issue 12 item 5)
    actions.login(district.person)
    assert "/grid/district" in text(client.get("/grid/"))


def test_item2_the_work_types_list_links_the_grid_chooser(client, db, actions):
    from flask import url_for

    actions.login(make_person(db))
    with client.application.test_request_context():
        page = text(client.get(url_for("home.work_types")))
    assert "网格居民健康情况采集" in page and 'href="/grid/"' in page


def test_item2_create_shows_the_confirm_step_then_creates_a_pending_grid(client, db, actions):
    person = make_person(db, "周网管")
    db.session.commit()
    actions.login(person)
    first = client.get("/grid/admin")
    assert first.status_code == 303 and location(first) == "/grid/admin/create"
    step = actions.post("/grid/admin/create", FORM)
    assert step.status_code == 200 and "网格组织一旦创建不可删除" in text(step)
    assert "广东省广州市天河区石牌街道" in text(step) and count(db, Grid) == 0
    back = actions.post("/grid/admin/create", {**FORM, "confirmed": "1", "back": "1"})
    assert back.status_code == 200 and 'value="石牌一社区网格"' in text(back) and count(db, Grid) == 0
    assert 'name="confirmed" type="hidden" value=""' in text(back)  # 【下一步】 shows the confirm step again
    done = actions.post("/grid/admin/create", {**FORM, "confirmed": "1"})
    assert done.status_code == 303 and location(done) == "/grid/admin"
    grid = db.session.scalar(select(Grid))
    assert grid.admin_id == person.id and grid.status == "pending" and grid.code.startswith("6")
    page = text(client.get("/grid/admin"))
    assert "石牌一社区网格" in page and "待区划管理员确认" in page and grid.code in page
    assert 'data-copy="#grid-code"' in page and "确认前网格员无法使用网格申报码绑定" in page


def test_item2_a_double_tap_makes_one_grid_and_no_500(client, db, actions):
    person = make_person(db)
    db.session.commit()
    actions.login(person)
    for _ in range(2):
        response = actions.post("/grid/admin/create", {**FORM, "confirmed": "1"})
        assert response.status_code == 303 and location(response) == "/grid/admin"
    assert count(db, Grid) == 1
    assert location(client.get("/grid/admin/create")) == "/grid/admin"


def test_item2_bad_input_re_renders_with_the_message_never_a_500(client, db, actions):
    actions.login(make_person(db))
    for data, message in (
        ({**FORM, "name": "格" * 51, "confirmed": "1"}, "网格名称不能超过50个字"),
        ({**FORM, "name": "", "confirmed": "1"}, "请填写网格名称"),
        ({**FORM, "town": "", "confirmed": "1"}, "请选择所在区域，填写到乡镇街道一级"),
        ({**FORM, "town": "440304001", "confirmed": "1"}, "请选择所在区域，填写到乡镇街道一级"),  # not in 天河区
        ({"city": "x" * 500, "district": "y", "town": "z", "name": "网格", "confirmed": "1"}, "请选择所在区域"),
    ):
        response = actions.post("/grid/admin/create", data)
        assert response.status_code == 200 and message in text(response), data
    picked = actions.post("/grid/admin/create", {"city": "4401", "pick_area": "1", "name": "网格"})
    assert picked.status_code == 200 and "天河区" in text(picked)  # the no-JS 【选择】: the next level
    assert count(db, Grid) == 0


def test_item2_the_status_says_confirmed_or_rejected_with_the_reason(client, db, actions):
    grid = make_grid(db, status="rejected", reason="网格名称不规范")
    db.session.commit()
    actions.login(grid.admin)
    page = text(client.get("/grid/admin"))
    assert "未通过" in page and "网格名称不规范" in page and "网格员无法使用网格申报码绑定" in page
    grid.status = "active"
    db.session.commit()
    page = text(client.get("/grid/admin"))
    assert "已生效" in page and "无法使用" not in page


def test_item3_dissolve_needs_the_exact_name_without_javascript(client, db, actions):
    grid = make_grid(db, name="石牌一社区网格")
    make_grid_staff(db, grid, "吴网格")
    db.session.commit()
    actions.login(grid.admin)
    page = text(client.get(f"/grid/{grid.id}/dissolve"))
    assert "历史产生网格数据将清空且不可恢复" in page and "<script>" not in page  # a plain form
    wrong = actions.post(f"/grid/{grid.id}/dissolve", {"name": "石牌一社区"})
    assert wrong.status_code == 200 and "输入的网格名称与本网格名称不一致" in text(wrong)
    assert 'value="石牌一社区"' in text(wrong)  # what was typed is kept
    empty = actions.post(f"/grid/{grid.id}/dissolve", {"name": ""})
    assert empty.status_code == 200 and "请输入网格名称以确认解散" in text(empty)
    long = actions.post(f"/grid/{grid.id}/dissolve", {"name": "格" * 5000})
    assert long.status_code == 200
    assert count(db, Grid) == 1
    done = actions.post(f"/grid/{grid.id}/dissolve", {"name": " 石牌一社区网格 "})
    assert done.status_code == 303 and location(done) == "/grid/"
    assert "已解散" in text(client.get("/grid/"))
    assert count(db, Grid) == 0 and count(db, GridStaff) == 0
    assert client.get(f"/grid/{grid.id}/dissolve").status_code == 404
    assert location(client.get("/grid/admin")) == "/grid/admin/create"  # free to create another


def test_item3_anothers_grid_is_404(client, db, actions):
    grid = make_grid(db)
    someone = make_person(db, "路人")
    worker = make_grid_staff(db, grid, "吴网格")
    db.session.commit()
    for person in (someone, worker.person):
        actions.login(person)
        assert client.get(f"/grid/{grid.id}/dissolve").status_code == 404
        assert actions.post(f"/grid/{grid.id}/dissolve", {"name": grid.name}).status_code == 404
    assert client.get("/grid/999999/dissolve").status_code == 404
    assert count(db, Grid) == 1

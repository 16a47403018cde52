"""网格员 screens and 网格成员管理 (issue 12 items 2, 5; SPEC O6, O8; FAQ (四))."""

from __future__ import annotations

from tests.blueprints.support import count, location, text
from tests.factories import make_grid, make_grid_staff, make_person
from yks_web.models.grid import GridStaff
from yks_web.services import grid_staff


def test_item5_worker_binds_by_code_sees_the_grid_and_the_badges(client, db, actions):
    worker = make_person(db, "吴网格")
    grid = make_grid(db, "周网管", "一社区网格", status="active")
    db.session.commit()
    actions.login(worker)
    page = text(client.get("/grid/worker"))
    assert "您还没有绑定网格" in page and "网格申报码" in page and "新增绑定" in page
    response = actions.post("/grid/worker", {"code": grid.code})
    assert response.status_code == 303 and location(response).endswith("/grid/worker")
    page = text(client.get("/grid/worker"))
    assert "一社区网格" in page and "当前组织" in page and "未授权" in page and "解绑" in page
    assert "网格员<" in text(client.get("/grid/"))


def test_item5_refused_codes_rerender_with_the_message(client, db, actions):
    worker = make_person(db, "吴网格")
    pending = make_grid(db, "周网管", "一社区网格")
    db.session.commit()
    actions.login(worker)
    page = text(actions.post("/grid/worker", {"code": "1000000001"}))
    assert "以1开头的不是用于网格采集" in page and 'value="1000000001"' in page
    page = text(actions.post("/grid/worker", {"code": pending.code}))
    assert "网格待区划管理员确认" in page
    assert text(actions.post("/grid/worker", {})).count("请输入网格申报码") >= 1
    assert count(db, GridStaff) == 0


def test_item5_set_current_and_unbind_with_a_confirm_screen(client, db, actions):
    worker = make_person(db, "吴网格")
    first = make_grid(db, "周网管", "一社区网格", status="active")
    second = make_grid(db, "郑网管", "二社区网格", status="active")
    a = make_grid_staff(db, first, worker)
    b = make_grid_staff(db, second, worker)
    a.is_current = True
    db.session.commit()
    actions.login(worker)
    assert actions.post(f"/grid/{second.id}/current").status_code == 303
    db.session.refresh(a), db.session.refresh(b)
    assert b.is_current and not a.is_current
    confirm = text(client.get(f"/grid/{first.id}/leave"))
    assert "确定解绑一社区网格？" in confirm and f'action="/grid/{first.id}/leave"' in confirm
    assert actions.post(f"/grid/{first.id}/leave").status_code == 303
    db.session.refresh(a)
    assert not a.active
    assert client.get(f"/grid/{first.id}/leave").status_code == 404  # no longer theirs


def test_item5_another_workers_grid_is_404(client, db, actions):
    grid = make_grid(db, "周网管", status="active")
    make_grid_staff(db, grid, "吴网格")
    stranger = make_person(db, "路人")
    db.session.commit()
    actions.login(stranger)
    assert client.get(f"/grid/{grid.id}/leave").status_code == 404
    assert actions.post(f"/grid/{grid.id}/current").status_code == 404
    assert client.get(f"/grid/{grid.id}/members").status_code == 404


def test_item2_members_lists_masked_workers_and_authorises(client, db, actions):
    grid = make_grid(db, "周网管", status="active")
    staff = make_grid_staff(db, grid, "吴网格")
    db.session.commit()
    actions.login(grid.admin)
    assert f"/grid/{grid.id}/members" in text(client.get("/grid/admin"))
    page = text(client.get(f"/grid/{grid.id}/members"))
    assert "吴网格" not in page and "*网格" in page and "未授权" in page and "绑定日期" in page
    base = f"/grid/{grid.id}/members/{staff.id}"
    assert actions.post(f"{base}/authorise").status_code == 303
    db.session.refresh(staff)
    assert staff.authorised and "已授权" in text(client.get(f"/grid/{grid.id}/members"))
    assert actions.post(f"{base}/deauthorise").status_code == 303
    db.session.refresh(staff)
    assert not staff.authorised
    assert "确定解绑网格员" in text(client.get(f"{base}/unbind"))
    assert actions.post(f"{base}/unbind").status_code == 303
    assert grid_staff.members(db.session, grid.id) == []
    assert client.get(f"{base}/unbind").status_code == 404  # unbound: no longer a member


def test_item2_a_worker_of_another_grid_is_404_on_these_members_urls(client, db, actions):
    mine = make_grid(db, "周网管", "一社区网格", status="active")
    other = make_grid(db, "郑网管", "二社区网格", status="active")
    theirs = make_grid_staff(db, other, "吴网格")
    db.session.commit()
    actions.login(mine.admin)
    assert actions.post(f"/grid/{mine.id}/members/{theirs.id}/authorise").status_code == 404
    assert client.get(f"/grid/{mine.id}/members/{theirs.id}/unbind").status_code == 404

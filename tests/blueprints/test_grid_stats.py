"""查看数据统计 and the admin home's numbers (issue 12 item 2; SPEC O6, Q3; guide 二 (三) (1) 查看申报数据; FAQ (四) 5):
for the grid admin only, counts without any resident's name, workers masked."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.blueprints.support import assert_fragment, assert_whole_page, collapse, text
from tests.blueprints.test_query_counts import statements
from tests.factories import make_district_admin, make_grid, make_grid_staff, make_person
from tests.services.test_grid_key_people import T0, make_visit
from yks_web.privacy import mask_name


def scene(db):
    grid = make_grid(db, "周网管", "石牌街道一社区网格", status="active")
    busy = make_grid_staff(db, grid, "吴网格", authorised=True)
    idle = make_grid_staff(db, grid, "郑网格")
    resident = make_person(db, "陈居民")
    make_visit(db, grid, busy.person_id, resident, at=T0, temperature="38.0", symptoms=True)
    make_visit(db, grid, busy.person_id, name="黄手录", at=T0, travel=True)
    make_visit(db, grid, busy.person_id, name="林昨日", at=datetime(2026, 11, 19, 23, 50), contact=True)
    db.session.commit()
    return grid, busy, idle


def test_item2_the_admin_sees_daily_results_and_worker_counts_without_residents(client, db, actions):
    grid, busy, idle = scene(db)
    actions.login(grid.admin)
    response = client.get(f"/grid/{grid.id}/stats")
    assert_whole_page(response)
    page = collapse(text(response))
    assert "每日排查结果" in page and "网格员工作统计" in page
    assert "11月20日（今日）</th> <td>2</td><td>1</td><td>1</td><td>1</td><td>0</td>" in page
    assert "11月19日</th> <td>1</td><td>0</td><td>0</td><td>0</td><td>1</td>" in page  # 23:50 Beijing time
    assert f"{mask_name('吴网格')}</th> <td>2</td><td>3</td>" in page
    assert f"{mask_name('郑网格')}<span class=\"muted small\">（未授权）</span></th> <td>0</td><td>0</td>" in page
    for name in ("陈居民", "黄手录", "林昨日", mask_name("陈居民"), mask_name("黄手录"), "吴网格", "郑网格"):
        assert name not in page, name
    assert_fragment(client.get(f"/grid/{grid.id}/stats", headers={"HX-Request": "true"}))


def test_item2_the_admin_home_shows_the_basic_numbers_and_the_link(client, db, actions):
    """FAQ (四) 5: 绑定网格员 N人, 今日登记 N次, 累计登记 N次, and 【查看数据统计】."""
    grid, *_ = scene(db)
    actions.login(grid.admin)
    page = collapse(text(client.get("/grid/admin")))
    assert "<dt>绑定网格员</dt><dd>2人</dd>" in page
    assert "<dt>今日登记</dt><dd>2次</dd>" in page and "<dt>累计登记</dt><dd>3次</dd>" in page
    assert f'href="/grid/{grid.id}/stats">查看数据统计</a>' in page


def test_item2_an_empty_grid_says_so(client, db, actions):
    grid = make_grid(db, "周网管")
    db.session.commit()
    actions.login(grid.admin)
    page = text(client.get(f"/grid/{grid.id}/stats"))
    assert "暂无排查记录" in page and "暂无网格员" in page
    assert "<dd>0人</dd>" in text(client.get("/grid/admin"))


def test_item2_stats_are_the_admins_only(client, db, actions):
    """Workers (authorised or not), the 区划管理员 of the area, another grid's admin and a stranger: 404."""
    grid, busy, idle = scene(db)
    other = make_grid(db, "林网管", "员村街道二社区网格", status="active")
    district = make_district_admin(db, "何区管", "440106")
    stranger = make_person(db, "路人")
    db.session.commit()
    for person in (busy.person, idle.person, district.person, other.admin, stranger):
        actions.login(person)
        assert client.get(f"/grid/{grid.id}/stats").status_code == 404, person.name
    actions.login(other.admin)
    assert client.get(f"/grid/{other.id}/stats").status_code == 200


def test_q3_stats_and_admin_home_cost_the_same_statements_for_3_or_300_visits(client, db, actions):
    seen = {}
    for size, name in ((3, "一社区网格"), (300, "二社区网格")):
        grid = make_grid(db, f"{name}管理员", name, status="active")
        workers = [make_grid_staff(db, grid, f"{name}网格员{i}").person_id for i in range(1 + size // 100)]
        for i in range(size):
            make_visit(db, grid, workers[i % len(workers)], name=f"居民{i}", at=T0 - timedelta(hours=3 * i),
                       temperature="37.5" if i % 5 == 0 else "36.4")
        db.session.commit()
        seen[size] = (len(statements(db, client, grid.admin_id, f"/grid/{grid.id}/stats")),
                      len(statements(db, client, grid.admin_id, "/grid/admin")))
    assert seen[3] == seen[300], seen

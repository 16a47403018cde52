"""管理员变更 screens (SPEC O6; issue 12 item 4; guide 二 (三) (1) 6), FAQ (四) 8): 网格成员管理 → 管理员变更 →
继任管理员姓名 + 身份证号码 → the 身份认证 QR with its link (【复制】), 24小时内有效, 【撤销变更】; the successor's
page and 【确认成为网格管理员】. And 解散网格 tells the grid's workers (issue 12 item 3): the message on
查看我的网格组织 until 【知道了】."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from tests.blueprints.support import count, location, text
from tests.conftest import DEFAULT_NOW
from tests.factories import id_number, make_grid, make_grid_staff, make_person
from yks_web.models.grid import Grid, GridHandover, GridStaff
from yks_web.models.messages import Message
from yks_web.services import grid_handover

_LINK = re.compile(r'id="handover-link" type="text" readonly value="([^"]+)"')


def _scene(db):
    grid = make_grid(db, "周网管", "石牌街道一社区网格", status="active")
    number = id_number()
    successor = make_person(db, "陈继任", number)
    db.session.commit()
    return grid, successor, number


def _start(actions, client, grid, number, name="陈继任") -> str:
    """管理员变更 submitted by the grid's admin: the path of the link it shows."""
    response = actions.post(f"/grid/{grid.id}/handover", {"name": name, "id_number": number})
    assert response.status_code == 303 and location(response) == f"/grid/{grid.id}/handover"
    link = _LINK.search(text(client.get(f"/grid/{grid.id}/handover"))).group(1)
    assert link.startswith("http://yks.test/grid/handover/")
    return link.removeprefix("http://yks.test")


def test_item4_网格成员管理_links_管理员变更_top_right(client, db, actions):
    grid, _, _ = _scene(db)
    actions.login(grid.admin)
    page = text(client.get(f"/grid/{grid.id}/members"))
    assert re.search(rf'<div class="section-head">.*?href="/grid/{grid.id}/handover">管理员变更</a>', page, re.S)


def test_item4_the_form_re_renders_with_the_message_beside_the_field_and_what_was_typed(client, db, actions):
    grid, _, number = _scene(db)
    actions.login(grid.admin)
    page = text(client.get(f"/grid/{grid.id}/handover"))
    assert "继任管理员姓名" in page and "身份证号码" in page and "提交成功后会生成身份认证二维码" in page
    empty = actions.post(f"/grid/{grid.id}/handover", {"name": "", "id_number": ""})
    assert empty.status_code == 200
    assert grid_handover.NAME_EMPTY in text(empty) and grid_handover.ID_EMPTY in text(empty)
    wrong = actions.post(f"/grid/{grid.id}/handover", {"name": "陈继任", "id_number": number[:-1] + "0" * (
        number[-1] != "0") + "1" * (number[-1] == "0")})
    body = text(wrong)
    assert wrong.status_code == 200 and "身份证号码校验位不正确" in body
    assert 'value="陈继任"' in body and f'value="{number[:-1]}' in body  # both kept
    assert 'aria-invalid="true"' in re.search(r'<input[^>]*id="id_number"[^>]*>', body).group(0)  # beside its field
    assert 'aria-invalid="true"' not in re.search(r'<input[^>]*id="name"[^>]*>', body).group(0)
    own = actions.post(f"/grid/{grid.id}/handover", {"name": "周网管", "id_number": grid.admin.id_number})
    assert own.status_code == 200 and grid_handover.SELF in text(own)
    huge = actions.post(f"/grid/{grid.id}/handover", {"name": "陈" * 5000, "id_number": "4" * 5000})
    assert huge.status_code == 200
    assert count(db, GridHandover) == 0


def test_item4_submit_redirects_to_the_qr_with_the_link_its_expiry_and_the_masked_successor(client, db, actions):
    grid, _, number = _scene(db)
    actions.login(grid.admin)
    response = actions.post(f"/grid/{grid.id}/handover", {"name": "陈继任", "id_number": number})
    assert response.status_code == 303 and location(response) == f"/grid/{grid.id}/handover"  # PRG
    page = text(client.get(f"/grid/{grid.id}/handover"))
    assert "提交成功" in page  # the flash after the redirect
    path = _LINK.search(page).group(1).removeprefix("http://yks.test")
    assert 'src="data:image/png;base64,' in page and "身份认证二维码" in page
    assert 'data-copy="#handover-link"' in page and ">复制</button>" in page
    assert "24小时内有效" in page and "2026-11-21 09:00" in page  # Shanghai time, 24 hours on
    assert "*继任" in page and "陈继任" not in page and number not in page
    assert f'action="/grid/{grid.id}/handover/cancel"' in page and ">撤销变更</button>" in page
    token = path.rsplit("/", 1)[1]
    assert db.session.scalar(select(GridHandover.token)) == token
    again = text(client.get(f"/grid/{grid.id}/handover"))  # a reload shows the same link, not a new form
    assert path in again and 'id="grid-handover-form"' not in again


def test_item4_a_new_successor_replaces_the_open_link(client, db, actions):
    grid, successor, number = _scene(db)
    actions.login(grid.admin)
    first = _start(actions, client, grid, number)
    form = text(client.get(f"/grid/{grid.id}/handover?new=1"))
    assert 'id="grid-handover-form"' in form and "此前为继任管理员*继任生成的身份认证二维码将失效" in form
    second = _start(actions, client, grid, id_number(), "林继任")
    assert first != second
    actions.login(successor)
    assert "无效或已过期" in text(client.get(first))


def test_item4_撤销变更_ends_the_link(client, db, actions):
    grid, successor, number = _scene(db)
    actions.login(grid.admin)
    path = _start(actions, client, grid, number)
    response = actions.post(f"/grid/{grid.id}/handover/cancel")
    assert response.status_code == 303 and location(response) == f"/grid/{grid.id}/handover"
    page = text(client.get(f"/grid/{grid.id}/handover"))
    assert "已撤销管理员变更" in page and 'id="grid-handover-form"' in page
    actions.login(successor)
    invalid = client.get(path)
    assert invalid.status_code == 200 and "该管理员变更链接无效或已过期" in text(invalid)
    assert actions.post(path).status_code == 200
    assert db.session.get(Grid, grid.id).admin_id != successor.id


def test_item4_the_successor_accepts_and_the_old_admin_loses_every_screen(client, db, actions):
    grid, successor, number = _scene(db)
    old = grid.admin
    worker = make_grid_staff(db, grid, "吴网格", authorised=True)
    db.session.commit()
    actions.login(old)
    path = _start(actions, client, grid, number)
    actions.logout()
    assert location(client.get(path)).startswith("/auth/login?next=")  # 实名认证 first, then back here
    actions.login(successor)
    page = text(client.get(path))
    assert "石牌街道一社区网格" in page and "广东省" in page and "*网管" in page and "周网管" not in page
    assert ">确认成为网格管理员</button>" in page
    response = actions.post(path)
    assert response.status_code == 303 and location(response) == "/grid/admin"
    home = text(client.get("/grid/admin"))
    assert "您已成为“石牌街道一社区网格”的网格管理员" in home and grid.code in home
    assert client.get(f"/grid/{grid.id}/members").status_code == 200
    assert "吴网格"[1:] in text(client.get(f"/grid/{grid.id}/members"))  # the workers came with the grid
    assert "无效或已过期" in text(client.get(path))  # used
    actions.login(old)
    for url in (f"/grid/{grid.id}/members", f"/grid/{grid.id}/handover", f"/grid/{grid.id}/dissolve"):
        assert client.get(url).status_code == 404, url
    assert actions.post(f"/grid/{grid.id}/handover", {"name": "林继任", "id_number": id_number()}).status_code == 404
    assert actions.post(f"/grid/{grid.id}/handover/cancel").status_code == 404
    assert actions.post(f"/grid/{grid.id}/members/{worker.id}/deauthorise").status_code == 404
    assert location(client.get("/grid/admin")) == "/grid/admin/create"
    assert db.session.get(GridStaff, worker.id).authorised


def test_item4_someone_else_is_told_only_that_it_does_not_match(client, db, actions):
    grid, _, number = _scene(db)
    actions.login(grid.admin)
    path = _start(actions, client, grid, number)
    actions.login(make_person(db, "陈继任"))  # the same name, another ID
    response = actions.post(path)
    body = text(response)
    assert response.status_code == 200 and grid_handover.MISMATCH in body
    assert "陈继任" not in body and "*继任" not in body and number not in body and number[-4:] not in body
    assert db.session.get(Grid, grid.id).admin.name == "周网管"


def test_item4_an_unverified_person_is_sent_to_实名认证(client, db, actions):
    grid, successor, number = _scene(db)
    actions.login(grid.admin)
    path = _start(actions, client, grid, number)
    successor.name_verified_at = None
    db.session.commit()
    actions.login(successor)
    page = text(client.get(path))
    assert "您尚未完成实名认证" in page and f'href="/auth/login?next={path}"' in page
    assert "确认成为网格管理员</button>" not in page
    refused = actions.post(path)
    assert refused.status_code == 200 and grid_handover.NOT_VERIFIED in text(refused)
    assert db.session.get(Grid, grid.id).admin_id != successor.id


def test_item4_the_link_is_valid_24_hours_by_the_clock(client, db, actions, clock):
    grid, successor, number = _scene(db)
    actions.login(grid.admin)
    path = _start(actions, client, grid, number)
    actions.login(successor)
    clock(DEFAULT_NOW + timedelta(hours=24, minutes=1))
    late = client.get(path)
    assert late.status_code == 200 and "该管理员变更链接无效或已过期" in text(late)
    assert actions.post(path).status_code == 200 and db.session.get(Grid, grid.id).admin_id != successor.id
    clock(DEFAULT_NOW + timedelta(hours=23, minutes=59))
    assert "确认成为网格管理员</button>" in text(client.get(path))
    assert location(actions.post(path)) == "/grid/admin"
    assert db.session.get(Grid, grid.id).admin_id == successor.id


def test_item4_an_unknown_link_or_a_dissolved_grids_is_a_page_not_an_error(client, db, actions):
    grid, successor, number = _scene(db)
    actions.login(grid.admin)
    path = _start(actions, client, grid, number)
    assert actions.post(f"/grid/{grid.id}/dissolve", {"name": grid.name}).status_code == 303
    actions.login(successor)
    for url in (path, "/grid/handover/no-such-link", "/grid/handover/" + "x" * 300):
        page = client.get(url)
        assert page.status_code == 200 and "无效或已过期" in text(page), url
        assert actions.post(url).status_code == 200, url


def test_item4_a_successor_who_already_runs_a_grid_is_told_so(client, db, actions):
    grid, successor, number = _scene(db)
    make_grid(db, successor, "乙网格")
    db.session.commit()
    actions.login(grid.admin)
    path = _start(actions, client, grid, number)
    actions.login(successor)
    assert "您已是其他网格的管理员" in text(client.get(path))
    refused = actions.post(path)
    assert refused.status_code == 200 and grid_handover.ALREADY_ADMIN in text(refused)
    assert db.session.get(Grid, grid.id).admin.name == "周网管"


# -- 解散网格 tells the workers (issue 12 item 3) -----------------------------------------------------------------


def test_item3_dissolving_tells_each_worker_on_查看我的网格组织_until_知道了(client, db, actions):
    grid, _, _ = _scene(db)
    worker = make_grid_staff(db, grid, "吴网格", authorised=True).person
    make_grid_staff(db, grid, grid.admin)  # the admin also bound their own grid: they know already
    left = make_grid_staff(db, grid, "郑已解", active=False).person
    elsewhere = make_grid_staff(db, make_grid(db, "何网管", "乙网格", status="active"), "钱别格").person
    db.session.commit()
    actions.login(grid.admin)
    assert actions.post(f"/grid/{grid.id}/dissolve", {"name": "石牌街道一社区网格"}).status_code == 303
    told = db.session.scalars(select(Message.person_id)).all()
    assert told == [worker.id]
    assert left.id not in told and elsewhere.id not in told and grid.admin_id not in told
    actions.login(worker)
    page = text(client.get("/grid/worker"))
    assert "网格已解散" in page
    assert "您绑定的网格“石牌街道一社区网格”已被网格管理员解散，该网格的数据已清空，您无需再为该网格采集" in page
    assert "您还没有绑定网格" in page  # the binding went with the grid
    read = actions.post("/grid/worker/messages/read")
    assert read.status_code == 303 and location(read) == "/grid/worker"
    assert "网格已解散" not in text(client.get("/grid/worker"))

"""重点管控人员 screens (issue 12 item 6; SPEC O6, P6, P10, Q3; guide 二 (三) (2) 3)): the list and the details for
已授权网格员, the page saying what it takes for a worker not authorised, 404 for anyone else; masked on screen;
one audit row per person shown."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tests.blueprints.support import assert_fragment, assert_whole_page, count, text
from tests.blueprints.test_access_matrix import ROLES_OF_A, tenants, walk  # noqa: F401 (tenants: a fixture)
from tests.blueprints.test_query_counts import statements
from tests.factories import answers, make_grid, make_grid_staff, make_observation, make_person, student_name
from tests.services.test_grid_key_people import T0, make_visit, set_code
from yks_web import clock
from yks_web.models.grid import GridStaff
from yks_web.models.people import AuditLog
from yks_web.privacy import mask_id, mask_name
from yks_web.services import access, grid_staff, personal

NUMBER = "440106199001011234"
PHONE = "13800000088"


def scene(db):
    """An active grid with an authorised worker (吴网格), a worker not authorised (郑网格) and its admin (周网管); met
    at the door: 陈红码 (red, two visits, two declarations), 李观察 (observed), 王绿码 (green); 钱别处 (red) was met
    only in another grid."""
    grid = make_grid(db, "周网管", "石牌街道一社区网格", status="active")
    other = make_grid(db, "林网管", "员村街道二社区网格", status="active")
    authorised = make_grid_staff(db, grid, "吴网格", authorised=True)
    plain = make_grid_staff(db, grid, "郑网格")
    other_worker = make_grid_staff(db, other, "孙网格", authorised=True)
    red = make_person(db, "陈红码", NUMBER, PHONE)
    set_code(db, red, "red", "密切接触者")
    for i in range(2):
        personal.submit(db.session, person_id=red.id, actor_id=red.id, answers=answers(remarks=f"第{i}次申报"),
                        form_key=f"kp-{i}", utc_now=clock.utcnow() - timedelta(days=i))
    observed = make_person(db, "李观察")
    make_observation(db, observed, reason="入境人员", colour="")
    green = make_person(db, "王绿码")
    elsewhere = make_person(db, "钱别处")
    set_code(db, elsewhere, "red")
    make_visit(db, grid, authorised.person_id, red, at=T0 - timedelta(days=1), address="一社区1栋101",
               temperature="37.6", symptoms=True)
    make_visit(db, grid, plain.person_id, red, at=T0 - timedelta(hours=1), address="一社区1栋102")
    make_visit(db, grid, authorised.person_id, observed, address="一社区2栋201")
    make_visit(db, grid, authorised.person_id, green)
    make_visit(db, other, other_worker.person_id, elsewhere)
    db.session.commit()
    return grid, authorised, plain, red, observed, green, elsewhere


def test_item6_an_authorised_worker_sees_the_list_masked_with_colours_and_reasons(client, db, actions):
    grid, authorised, _, red, observed, green, elsewhere = scene(db)
    actions.login(authorised.person)
    response = client.get(f"/grid/{grid.id}/key-people")
    assert_whole_page(response)
    page = text(response)
    assert mask_name("陈红码") in page and mask_name("李观察") in page
    assert "陈红码" not in page and "李观察" not in page  # never the whole name
    assert "红码" in page and "红码：密切接触者" in page and "医学观察：入境人员" in page
    assert mask_name("王绿码") not in page and mask_name("钱别处") not in page
    assert page.index(mask_name("陈红码")) < page.index(mask_name("李观察"))  # 红码 first
    assert "一社区1栋102" in page  # the latest visit's address
    assert f"/grid/{grid.id}/key-people/{red.id}" in page
    assert_fragment(client.get(f"/grid/{grid.id}/key-people", headers={"HX-Request": "true"}))


def test_item6_the_list_writes_one_audit_row_per_person_shown(client, db, actions):
    """SPEC P6, P10: each person on the list reads it in 查阅记录 (role 已授权网格员, context the grid's name)."""
    grid, authorised, _, red, observed, green, _ = scene(db)
    actions.login(authorised.person)
    assert client.get(f"/grid/{grid.id}/key-people").status_code == 200
    rows = db.session.scalars(select(AuditLog).where(AuditLog.actor_id == authorised.person_id)).all()
    assert sorted(r.subject_id for r in rows) == sorted([red.id, observed.id])
    assert {(r.role, r.action, r.context) for r in rows} == {
        ("grid_authorised", "view_key_people", "石牌街道一社区网格")}
    actions.login(red)
    reads = text(client.get("/me/reads"))
    assert "已授权网格员" in reads and "石牌街道一社区网格" in reads and mask_name("吴网格") in reads


def test_item6_the_details_show_everything_masked_and_are_audited(client, db, actions):
    """姓名, 证件号码, 手机号 masked; 健康码 colour, reason, 判定时间; 医学观察 (none here); every 个人健康申报; this
    grid's visits of the person, newest first."""
    grid, authorised, _, red, *_ = scene(db)
    actions.login(authorised.person)
    response = client.get(f"/grid/{grid.id}/key-people/{red.id}")
    assert_whole_page(response)
    page = text(response)
    assert mask_name("陈红码") in page and mask_id(NUMBER) in page and "138****0088" in page
    assert "陈红码" not in page and NUMBER not in page and PHONE not in page
    assert "红码原因" in page and "密切接触者" in page and "判定时间" in page
    assert "未在医学观察中" in page
    assert "第0次申报" in page and "第1次申报" in page  # all declarations, not only the latest
    assert page.index("一社区1栋102") < page.index("一社区1栋101") and "37.6℃" in page
    assert count(db, AuditLog, AuditLog.actor_id == authorised.person_id, AuditLog.subject_id == red.id,
                 AuditLog.action == "view_key_person", AuditLog.context == "石牌街道一社区网格") == 1


def test_item6_someone_not_on_the_list_is_404(client, db, actions):
    """Green though met here, red though met only elsewhere, or no such person: 404, and nothing audited."""
    grid, authorised, _, _, _, green, elsewhere = scene(db)
    actions.login(authorised.person)
    for person_id in (green.id, elsewhere.id, authorised.person_id, 999999):
        assert client.get(f"/grid/{grid.id}/key-people/{person_id}").status_code == 404
    assert count(db, AuditLog, AuditLog.actor_id == authorised.person_id) == 0


def test_item6_a_worker_not_authorised_is_told_what_it_takes_and_sees_no_one(client, db, actions):
    """The worker's own grid, not authorised: a 200 page with the reason and no person on it, nothing audited;
    the details are 404. The same after 取消授权 (the link of before lands on the reason)."""
    grid, authorised, plain, red, *_ = scene(db)
    actions.login(plain.person)
    response = client.get(f"/grid/{grid.id}/key-people")
    assert_whole_page(response)
    page = text(response)
    assert "经网格管理员授权后可查看本网格重点管控人员名单" in page
    assert mask_name("陈红码") not in page and mask_name("李观察") not in page
    assert client.get(f"/grid/{grid.id}/key-people/{red.id}").status_code == 404
    grid_staff.set_authorised(db.session, authorised, False)
    db.session.commit()
    actions.login(authorised.person)
    assert "经网格管理员授权后可查看" in text(client.get(f"/grid/{grid.id}/key-people"))
    assert client.get(f"/grid/{grid.id}/key-people/{red.id}").status_code == 404
    assert count(db, AuditLog) == 0


def test_item6_the_admin_a_stranger_an_unbound_worker_and_another_grids_worker_get_404(client, db, actions):
    """FAQ (四) 5: the grid admin sees counts only; a worker authorised in another grid, or unbound here, is no
    one here."""
    grid, authorised, _, red, *_ = scene(db)
    other_worker = db.session.scalar(select(GridStaff).where(GridStaff.grid_id != grid.id))
    stranger = make_person(db, "路人")
    unbound = make_grid_staff(db, grid, "冯解绑", authorised=True, active=False)
    db.session.commit()
    for person in (grid.admin, stranger, unbound.person, other_worker.person):
        actions.login(person)
        for url in (f"/grid/{grid.id}/key-people", f"/grid/{grid.id}/key-people/{red.id}"):
            assert client.get(url).status_code == 404, (person.name, url)
    assert count(db, AuditLog) == 0


def test_item6_the_worker_page_links_the_list_for_authorised_bindings_only(client, db, actions):
    grid, authorised, plain, *_ = scene(db)
    actions.login(authorised.person)
    assert f'href="/grid/{grid.id}/key-people"' in text(client.get("/grid/worker"))
    actions.login(plain.person)
    assert "/key-people" not in text(client.get("/grid/worker"))


def test_q3_the_list_costs_the_same_statements_for_3_or_30_key_people(client, db, actions):
    """SPEC Q3: the list (people, codes, observations, latest visits, the one audit INSERT) does not grow with the
    number of people or visits."""
    seen = []
    for size, name in ((3, "一社区网格"), (30, "二社区网格")):
        grid = make_grid(db, f"{name}管理员", name, status="active")
        worker = make_grid_staff(db, grid, f"{name}网格员", authorised=True)
        for i in range(size):
            person = make_person(db, student_name(i))
            set_code(db, person, "red" if i % 2 else "yellow")
            if i % 3 == 0:
                make_observation(db, person, colour="")
            for days in (2, 1):
                make_visit(db, grid, worker.person_id, person, at=T0 - timedelta(days=days))
        db.session.commit()
        run = statements(db, client, worker.person_id, f"/grid/{grid.id}/key-people")
        assert count(db, AuditLog, AuditLog.actor_id == worker.person_id) == size
        seen.append(len(run))
    assert seen[0] == seen[1], seen


def test_p7_no_role_of_one_tenant_reaches_the_other_tenants_key_people(app, client, db, actions, request):
    """The access matrix (tests/blueprints/test_access_matrix.py) for these two screens alone: every role of tenant A,
    the 已授权网格员 (授) included, with B's grid and B's people answers 404 and shows none of B's names."""
    tried, problems = walk(app, client, db, actions, request.getfixturevalue("tenants"), prefix="grid.key")
    assert not problems, "\n".join(problems)
    assert tried >= 2 * len(ROLES_OF_A)


def test_p7_that_walk_sees_a_leak_when_the_authorised_check_lets_one_through(app, client, db, actions, request,
                                                                             monkeypatch):
    """Not blind: with a predicate that says yes to any grid, A's 已授权网格员 is shown B's 重点管控人员."""
    monkeypatch.setattr(access, "grid_worker_of", lambda session, person_id, grid_id: True)
    monkeypatch.setattr(access, "grid_authorised_of", lambda session, person_id, grid_id: True)
    b = request.getfixturevalue("tenants")[1]
    _, problems = walk(app, client, db, actions, request.getfixturevalue("tenants"), roles=("grid_authorised",),
                       prefix="grid.key")
    assert any(p.startswith(f"grid_authorised GET /grid/{b.grid_id}/key-people") and "shows" in p
               for p in problems), problems

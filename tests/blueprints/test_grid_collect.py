"""信息采集上报 screens (issue 12 items 5, 6; SPEC O6, O9; guide 二 (三) (2) 3)–4); FAQ (四) 4): 开始信息采集, 手动录入
(without JavaScript, and the offline queue's JSON sync), 扫粤康码 with a real 粤康码 token, 查看健康信息 for an
unauthorised and an authorised 网格员, 今日登记次数 / 累计登记次数."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from flask import current_app
from sqlalchemy import event, select

from tests.blueprints.support import count, location, text
from tests.conftest import sign_in
from tests.factories import make_grid, make_grid_staff, make_grid_visit, make_person
from yks_web import clock as app_clock
from yks_web.models import AuditLog, PersonalDeclaration
from yks_web.models.grid import GridVisit
from yks_web.services import code_tokens, health_data, scan_tickets
from yks_web.services.grid_visits import DISSOLVED, PENDING_GRID, UNBOUND
from yks_web.services.identity import build_id_card_number

CHILD_CERT = "A123456789"
_CLIENT_KEY = re.compile(r'name="client_key"[^>]*value="([^"]*)"')
_TICKET = re.compile(r"/collect/scan/([A-Za-z0-9_-]+)$")


def entry(**changes) -> dict:
    """A filled 手动录入 (the VisitForm's field names: the contract with the offline queue)."""
    data = {"name": "黄小明", "id_type": "id_card", "id_number": build_id_card_number("440106", date(1990, 5, 1), 7),
            "phone": "13800000051", "address": "石牌街道一社区3栋101", "temperature": "36.5", "symptoms": "no",
            "travel": "no", "contact": "no", "remarks": "", "client_key": "k" * 32, "recorded_at": ""}
    return {**data, **changes}


def client_key(page: str) -> str:
    match = _CLIENT_KEY.search(page)
    assert match, "the visit form carries its client_key"
    return match.group(1)


@pytest.fixture
def worker(db):
    """吴网格, bound (not authorised) to an active grid, 一社区网格."""
    grid = make_grid(db, "周网管", "一社区网格", status="active")
    staff = make_grid_staff(db, grid, "吴网格")
    staff.is_current = True
    db.session.commit()
    return staff


def test_item5_collect_shows_both_ways_and_the_counts(client, db, actions, worker):
    """开始信息采集: 【手动录入】, 【扫粤康码】, 今日登记次数, 累计登记次数 of the 当前组织."""
    actions.login(worker.person)
    page = text(client.get("/grid/collect"))
    grid_id = worker.grid_id
    assert "当前组织：一社区网格" in page
    assert f'href="/grid/{grid_id}/collect/manual"' in page and "手动录入" in page
    assert f'href="/grid/{grid_id}/collect/scan"' in page and "扫粤康码" in page
    assert "今日登记次数" in page and "累计登记次数" in page


def test_item6_collect_links_the_key_people_list_for_an_authorised_worker_only(client, db, actions, worker):
    """重点管控人员 is for 已授权网格员 (guide 二 (三) (2) 3)): its entry shows once the admin authorised the worker."""
    actions.login(worker.person)
    link = f'href="/grid/{worker.grid_id}/key-people"'
    assert link not in text(client.get("/grid/collect"))
    worker.authorised = True
    db.session.commit()
    page = text(client.get("/grid/collect"))
    assert link in page and "重点管控人员" in page


def test_item5_collect_without_a_binding_goes_to_my_grids(client, db, actions):
    stranger = make_person(db, "路人")
    db.session.commit()
    actions.login(stranger)
    response = client.get("/grid/collect")
    assert response.status_code == 302 and location(response) == "/grid/worker"
    assert "您还没有绑定网格" in text(client.get("/grid/worker"))


def test_item5_collect_of_a_pending_grid_says_why(client, db, actions):
    grid = make_grid(db, "周网管", "二社区网格")
    staff = make_grid_staff(db, grid, "吴网格")
    db.session.commit()
    actions.login(staff.person)
    page = text(client.get("/grid/collect"))
    assert PENDING_GRID in page and "/collect/manual" not in page
    page = text(actions.post(f"/grid/{grid.id}/collect/manual", entry()))
    assert PENDING_GRID in page and count(db, GridVisit) == 0


def test_item5_manual_form_is_the_contract(client, db, actions, worker):
    """The form the offline queue reads: its id, data-* attributes, field names, 出生医学证明 with its hint, and the
    待上传 panel after it."""
    actions.login(worker.person)
    page = text(client.get(f"/grid/{worker.grid_id}/collect/manual"))
    form = re.search(r"<form[^>]*id=\"grid-visit-form\"[^>]*>", page, re.S).group(0)
    assert f'action="/grid/{worker.grid_id}/collect/manual"' in form and 'method="post"' in form
    assert "data-offline-queue" in form and f'data-grid-id="{worker.grid_id}"' in form
    assert 'data-grid-name="一社区网格"' in form
    assert 'data-sync-url="/grid/visits"' in form and 'data-token-url="/grid/visits/token"' in form
    for name in ("name", "id_type", "id_number", "phone", "address", "temperature", "symptoms", "travel",
                 "contact", "remarks", "client_key", "recorded_at", "csrf_token"):
        assert f'name="{name}"' in page, name
    assert '<option value="birth_cert">出生医学证明</option>' in page
    assert "没有身份证的小孩、婴儿可选择出生医学证明" in page
    assert re.fullmatch(r"[0-9a-f]{32}", client_key(page))
    source = current_app.jinja_env.loader.get_source(current_app.jinja_env, "grid/_collect_manual.html")[0]
    assert source.index("</form>") < source.index('{% include "grid/_queue.html" %}')  # 待上传, after the form
    assert client_key(page) != client_key(text(client.get(f"/grid/{worker.grid_id}/collect/manual")))


def test_item5_manual_without_js_then_continue_collecting(client, db, actions, worker):
    """提交 → 303 → 提交成功 (masked name, the counts) → 【继续采集】 → an empty form with a new client_key."""
    actions.login(worker.person)
    grid_id = worker.grid_id
    key = client_key(text(client.get(f"/grid/{grid_id}/collect/manual")))
    response = actions.post(f"/grid/{grid_id}/collect/manual", entry(client_key=key))
    assert response.status_code == 303
    done_url = location(response)
    assert done_url.startswith(f"/grid/{grid_id}/collect/done?method=manual")
    done = text(client.get(done_url))
    assert "提交成功" in done and "*小明" in done and "黄小明" not in done
    assert re.search(r"今日登记次数</dt><dd>1<", done) and re.search(r"累计登记次数</dt><dd>1<", done)
    again = re.search(r'href="([^"]+)" id="collect-again">继续采集', done).group(1)
    assert again == f"/grid/{grid_id}/collect/manual"
    fresh = text(client.get(again))
    assert client_key(fresh) != key and "黄小明" not in fresh
    visit = db.session.scalar(select(GridVisit))
    assert (visit.method, visit.worker_id, visit.address, str(visit.temperature)) == (
        "manual", worker.person_id, "石牌街道一社区3栋101", "36.5")


def test_item5_a_double_tap_stores_once(client, db, actions, worker):
    actions.login(worker.person)
    first = actions.post(f"/grid/{worker.grid_id}/collect/manual", entry())
    second = actions.post(f"/grid/{worker.grid_id}/collect/manual", entry())
    assert first.status_code == second.status_code == 303
    assert location(first) == location(second) and count(db, GridVisit) == 1


def test_faq4_a_baby_is_collected_with_a_birth_certificate(client, db, actions, worker):
    """FAQ (四) 4: 没有身份证的小孩、婴儿 — 出生医学证明."""
    actions.login(worker.person)
    response = actions.post(f"/grid/{worker.grid_id}/collect/manual",
                            entry(name="黄宝宝", id_type="birth_cert", id_number=CHILD_CERT.lower(), phone=""))
    assert response.status_code == 303
    visit = db.session.scalar(select(GridVisit))
    assert (visit.id_type, visit.id_number, visit.phone) == ("birth_cert", CHILD_CERT, None)


def test_item5_failed_validation_keeps_everything_typed(client, db, actions, worker):
    actions.login(worker.person)
    typed = entry(id_number="440106199005010000", temperature="45", address="", remarks="门口有狗",
                  symptoms="yes", client_key="q" * 32)
    page = text(actions.post(f"/grid/{worker.grid_id}/collect/manual", typed))
    assert "身份证号码校验位不正确" in page and "体温应在34.0–43.0℃之间" in page and "请填写住址" in page
    assert 'value="黄小明"' in page and 'value="440106199005010000"' in page and 'value="45"' in page
    assert 'value="13800000051"' in page and "门口有狗" in page and 'value="' + "q" * 32 + '"' in page
    assert re.search(r'value="yes"[^>]*checked|checked[^>]*value="yes"', page)
    assert count(db, GridVisit) == 0


def test_item5_another_workers_grid_is_404(client, db, actions, worker):
    stranger = make_person(db, "路人")
    db.session.commit()
    actions.login(stranger)
    for url in (f"/grid/{worker.grid_id}/collect/manual", f"/grid/{worker.grid_id}/collect/scan",
                f"/grid/{worker.grid_id}/collect/done"):
        assert client.get(url).status_code == 404, url
    assert actions.post(f"/grid/{worker.grid_id}/collect/manual", entry()).status_code == 404
    assert count(db, GridVisit) == 0


# -- the offline queue's sync (JSON) ------------------------------------------------------------------------------


def sync(client, actions, data: dict):
    token = client.get("/grid/visits/token").get_json()["csrf"]
    return client.post("/grid/visits", data=data, headers={"X-CSRFToken": token, "Accept": "application/json"})


def test_item7_the_token_endpoint_answers_a_fresh_csrf_token(client, db, actions, worker):
    actions.login(worker.person)
    response = client.get("/grid/visits/token")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "no-store" and len(response.get_json()["csrf"]) > 20


def test_item7_sync_stores_then_says_repeated(client, db, actions, worker):
    actions.login(worker.person)
    data = {**entry(recorded_at="2026-11-19T15:30:00Z"), "grid_id": str(worker.grid_id)}
    first = sync(client, actions, data)
    assert first.status_code == 200 and first.get_json()["status"] == "stored"
    assert first.get_json()["message"] == "已上传：*小明"
    again = sync(client, actions, data)
    assert again.status_code == 200 and again.get_json() == {
        "status": "repeated", "message": "该记录此前已上传，未重复保存", "id": first.get_json()["id"]}
    visit = db.session.scalar(select(GridVisit))
    assert count(db, GridVisit) == 1 and visit.local_day.isoformat() == "2026-11-19"  # 23:30 in Beijing


def test_item7_sync_answers_422_with_the_errors(client, db, actions, worker):
    actions.login(worker.person)
    response = sync(client, actions, {**entry(name="", symptoms="maybe"), "grid_id": str(worker.grid_id)})
    body = response.get_json()
    assert response.status_code == 422 and body["status"] == "invalid" and body["message"]
    assert body["errors"] == {"name": ["请填写姓名"], "symptoms": ["请选择是或否"]}
    response = sync(client, actions, entry())  # no grid_id
    assert response.status_code == 422 and "grid_id" in response.get_json()["errors"]
    assert count(db, GridVisit) == 0


def test_item7_sync_answers_409_when_unbound_dissolved_or_a_stranger(client, db, actions, worker):
    actions.login(worker.person)
    worker.active = False
    db.session.commit()
    response = sync(client, actions, {**entry(), "grid_id": str(worker.grid_id)})
    assert response.status_code == 409 and response.get_json() == {"status": "refused", "message": UNBOUND}
    response = sync(client, actions, {**entry(), "grid_id": "999999"})
    assert response.status_code == 409 and response.get_json()["message"] == DISSOLVED
    stranger = make_person(db, "路人")
    db.session.commit()
    actions.login(stranger)
    response = sync(client, actions, {**entry(), "grid_id": str(worker.grid_id)})
    assert response.status_code == 409 and response.get_json()["message"] == DISSOLVED  # learns nothing
    assert count(db, GridVisit) == 0


def test_item7_sync_logged_out_is_sent_to_log_in(client, db, actions, worker):
    """The queue's fetch (redirect: "manual") sees the login redirect and keeps the record queued."""
    response = client.post("/grid/visits", data={**entry(), "grid_id": str(worker.grid_id)},
                           headers={"X-CSRFToken": actions.csrf(), "Accept": "application/json"})
    assert response.status_code == 302 and location(response).startswith("/auth/login")
    token = client.get("/grid/visits/token")
    assert token.status_code == 302 and location(token).startswith("/auth/login")
    assert count(db, GridVisit) == 0


# -- 扫粤康码 -----------------------------------------------------------------------------------------------------


@pytest.fixture
def resident(db):
    person = make_person(db, "林居民", phone="13800000061")
    db.session.commit()
    return person


def scan(actions, grid_id: int, person) -> str:
    """The worker scans `person`'s live 粤康码 (a real token); the ticket URL it lands on."""
    token = code_tokens.issue(person.id, app_clock.now(), current_app.config["SECRET_KEY"])
    response = actions.post(f"/grid/{grid_id}/collect/scan", {"code": f"https://yks.test/code/scan/{token}"})
    assert response.status_code == 303, text(response)[:300]
    return location(response)


def test_o9_scan_then_the_person_then_submit_then_continue_with_the_scanner(client, db, actions, worker, resident):
    actions.login(worker.person)
    page = text(client.get(f"/grid/{worker.grid_id}/collect/scan"))
    assert "data-scanner" in page and f'action="/grid/{worker.grid_id}/collect/scan"' in page
    url = scan(actions, worker.grid_id, resident)
    assert _TICKET.search(url)
    person_page = text(client.get(url))
    assert "*居民" in person_page and "138****0061" in person_page and "林居民" not in person_page
    assert "绿码" in person_page and "查看健康信息" in person_page and 'name="address"' in person_page
    assert 'name="name"' not in person_page  # who it is comes from the scan
    answers = {"address": "一社区5栋202", "temperature": "37.6", "symptoms": "yes", "travel": "no", "contact": "no"}
    response = actions.post(url, answers)
    assert response.status_code == 303 and "method=scan" in location(response)
    done = text(client.get(location(response)))
    assert "提交成功" in done and f'href="/grid/{worker.grid_id}/collect/scan" id="collect-again"' in done
    assert actions.post(url, answers).status_code == 303  # a double tap of 提交: one scan, one visit
    visit = db.session.scalar(select(GridVisit))
    assert count(db, GridVisit) == 1
    assert (visit.method, visit.person_id, visit.name, visit.phone, visit.has_symptoms) == (
        "scan", resident.id, "林居民", "13800000061", True)
    assert visit.client_key.startswith("scan-")


def test_o9_a_red_code_shows_its_reason(client, db, actions, worker, resident):
    health_data.set_status(db.session, resident.id, colour="red", reason="密切接触者", city="广州市", guidance="",
                           utc_now=app_clock.utcnow())
    db.session.commit()
    actions.login(worker.person)
    page = text(client.get(scan(actions, worker.grid_id, resident)))
    assert "红码" in page and "密切接触者" in page


def test_o9_a_place_ticket_is_not_a_grid_ticket(client, db, actions, worker, resident):
    """A 公共场所 scan's ticket, sealed for the same ids, never opens a grid's screen (its own purpose)."""
    place_ticket = scan_tickets.seal(place_id=worker.grid_id, person_id=resident.id, inspector_id=worker.person_id,
                                     now=app_clock.now(), secret=current_app.config["SECRET_KEY"])
    actions.login(worker.person)
    response = client.get(f"/grid/{worker.grid_id}/collect/scan/{place_ticket}")
    assert response.status_code == 404 and scan_tickets.INVALID in text(response)


def test_o9_a_ticket_of_another_worker_is_refused(client, db, actions, worker, resident):
    other = make_grid_staff(db, worker.grid, "郑网格")
    db.session.commit()
    actions.login(worker.person)
    url = scan(actions, worker.grid_id, resident)
    actions.login(other.person)
    response = client.get(url)
    assert response.status_code == 404 and scan_tickets.NOT_THIS_GRID in text(response)


def test_o9_an_old_ticket_sends_back_to_the_scanner(client, db, actions, worker, resident, clock):
    actions.login(worker.person)
    url = scan(actions, worker.grid_id, resident)
    clock(app_clock.now() + scan_tickets.TTL * 2)
    actions.login(worker.person)
    response = client.get(url)
    assert response.status_code == 200 and scan_tickets.EXPIRED in text(response) and "data-scanner" in text(response)


def _declare_three(db, person):
    """Three 个人健康申报 of `person`, a day apart."""
    for days in (2, 1, 0):
        db.session.add(PersonalDeclaration(
            person_id=person.id, actor_id=person.id, form_key=f"d{days}",
            created_at=app_clock.utcnow() - timedelta(days=days, hours=1), location_province="广东省",
            location_city="广州市", temperature=None, temperature_band="37.3℃以下", has_symptoms=False,
            risk_travel=False, contact_case=False,
        ))
    db.session.commit()


def test_item6_an_unauthorised_worker_sees_only_the_latest_declaration_audited(client, db, actions, worker,
                                                                              resident):
    _declare_three(db, resident)
    actions.login(worker.person)
    url = scan(actions, worker.grid_id, resident)
    before = count(db, AuditLog, AuditLog.action == "view_declaration")
    page = text(client.get(f"{url}/health"))
    assert "最近一次个人健康申报" in page and page.count('class="card declaration"') == 1
    assert "未经授权的网格员可查看群众最近一次健康申报信息" in page and "林居民" not in page
    rows = db.session.scalars(select(AuditLog).where(AuditLog.action == "view_declaration")).all()
    assert len(rows) == before + 1
    assert (rows[-1].actor_id, rows[-1].subject_id, rows[-1].role, rows[-1].context) == (
        worker.person_id, resident.id, "grid_worker", "一社区网格")


def test_item6_an_authorised_worker_sees_all_declarations(client, db, actions, worker, resident):
    _declare_three(db, resident)
    worker.authorised = True
    db.session.commit()
    actions.login(worker.person)
    page = text(client.get(f"{scan(actions, worker.grid_id, resident)}/health"))
    assert "全部个人健康申报" in page and page.count('class="card declaration"') == 3
    assert "未经授权" not in page
    assert count(db, AuditLog, AuditLog.action == "view_declaration", AuditLog.subject_id == resident.id) == 1


def test_item5_the_worker_page_links_collect_and_shows_the_counts(client, db, actions, worker):
    actions.login(worker.person)
    actions.post(f"/grid/{worker.grid_id}/collect/manual", entry())
    page = text(client.get("/grid/worker"))
    assert 'href="/grid/collect"' in page and "开始信息采集" in page
    assert re.search(r"今日登记次数</dt><dd>1<", page) and re.search(r"累计登记次数</dt><dd>1<", page)


def statements(db, client, person_id: int, url: str) -> list[str]:
    """The SQL statements one GET runs, as a fresh request would (new session, no cached user)."""
    db.session.remove()
    sign_in(client, person_id)
    seen: list[str] = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        response = client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert response.status_code == 200, (url, response.status_code)
    return seen


def _worker_with(db, name: str, grids: int, visits: int) -> tuple[int, int]:
    """A worker bound to `grids` active grids (the first current) with `visits` visits in it: (person, grid) ids."""
    person = make_person(db, name)
    bound = []
    for i in range(grids):
        staff = make_grid_staff(db, make_grid(db, f"{name}管{i}", f"{name}{i}号网格", status="active"), person)
        staff.is_current = i == 0
        bound.append(staff)
    for i in range(visits):
        make_grid_visit(db, bound[0].grid, person, name=f"居民{'一二三四五六七八九十'[i % 10]}")
    db.session.commit()
    return person.id, bound[0].grid_id


def test_q3_the_collect_pages_take_as_many_statements_for_1_visit_as_for_30(client, db):
    """开始信息采集, 提交成功 and 查看我的网格组织 read the counts in one query, whatever the number of visits and
    bindings (SPEC Q3)."""
    small, big = _worker_with(db, "小网格", 1, 1), _worker_with(db, "大网格", 5, 30)
    for path in ("/grid/collect", "/grid/{grid}/collect/done?method=manual", "/grid/worker",
                 "/grid/{grid}/collect/manual"):
        counts = [len(statements(db, client, person_id, path.format(grid=grid_id)))
                  for person_id, grid_id in (small, big)]
        assert counts[0] == counts[1], (path, counts)


def test_item5_the_done_page_names_only_ones_own_visit(client, db, actions, worker):
    """提交成功 names the visit just stored; another worker's visit in the query is a 404, not a name."""
    other = make_grid_staff(db, worker.grid, "郑网格")
    theirs = make_grid_visit(db, worker.grid, other.person_id, name="林居民")
    db.session.commit()
    actions.login(worker.person)
    response = client.get(f"/grid/{worker.grid_id}/collect/done?method=scan&visit={theirs.id}")
    assert response.status_code == 404 and "*居民" not in text(response)
    page = text(client.get(f"/grid/{worker.grid_id}/collect/done?method=nonsense&visit=²"))
    assert "提交成功" in page and f'href="/grid/{worker.grid_id}/collect/manual" id="collect-again"' in page

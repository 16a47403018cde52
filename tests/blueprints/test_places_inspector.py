"""公共场所检测员 (SPEC O2, O3, O8, O9, H4; issue 10 items 2, 3, 4): 绑定公共场所 by 场所申报码, 我的场所, 管理 and
解除绑定, 体温检测 with the one scanner, 登记 (正常/发热) by a sealed ticket, 查看健康信息, the phone camera app's
landing page, and the check in the person's 体温检测历史 and 查阅记录."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.blueprints.code_qr import token_of as shown_token
from tests.blueprints.support import assert_fragment, assert_whole_page, collapse, count, location, text
from tests.conftest import DEFAULT_NOW
from tests.factories import make_inspector, make_person, make_place
from tests.family_helpers import make_family_link
from yks_web import clock as app_clock
from yks_web.models import AuditLog, Person, PersonalDeclaration, TemperatureCheck
from yks_web.models.place import Place, PlaceStaff
from yks_web.privacy import sex_and_birth_year
from yks_web.services import code_scans, code_tokens, health_data, place_staff, scan_input, scan_tickets, share_codes
from yks_web.services.rate_limits import Limit

SECRET = "test-secret"
TOWN = "440106001"  # 广东省广州市天河区五山街道
HTMX = {"HX-Request": "true"}
_TICKET = re.compile(r"/places/(\d+)/check/([A-Za-z0-9_-]+)$")


@dataclass
class Scene:
    place: Place  # 天河城购物中心
    other: Place  # 正佳广场, another admin's
    admin: Person
    inspector: Person  # bound to `place`
    citizen: Person  # 张三, 13800000019
    child: Person  # 张小宝, 张三's family member
    stranger: Person  # logged in, no role at any place


@pytest.fixture
def scene(db) -> Scene:
    admin = make_person(db, "李管理")
    place = make_place(db, admin, "天河城购物中心", area_code=TOWN, phone="13900000001")
    other = make_place(db, make_person(db, "王管理"), "正佳广场", area_code=TOWN, phone="13900000001")
    inspector = make_inspector(db, place, "赵检测")
    citizen = make_person(db, "张三", phone="13800000019")
    child = make_person(db, "张小宝")
    make_family_link(db, citizen, child, "子女")
    stranger = make_person(db, "路人甲")
    db.session.commit()
    return Scene(place, other, admin, inspector, citizen, child, stranger)


def token_of(person: Person) -> str:
    return code_tokens.issue(person.id, app_clock.now(), SECRET)


def code_url(person: Person) -> str:
    return f"https://yks.test/code/scan/{token_of(person)}"


def scan(actions, place: Place, typed: str):
    return actions.post(f"/places/{place.id}/check", {"code": typed})


def ticket_url(actions, place: Place, person: Person) -> str:
    response = scan(actions, place, code_url(person))
    assert response.status_code == 303, text(response)
    url = location(response)
    assert _TICKET.match(url), url
    return url


def field_error(page: str) -> str:
    found = re.search(r'class="field-error"[^>]*>([^<]*)<', page)
    assert found, "a message beside the field"
    return found.group(1)


def later(clock, **delta) -> None:
    clock(DEFAULT_NOW + timedelta(**delta))


# --- 绑定公共场所 (O2, O8) -----------------------------------------------------------------------------------------


def test_o2_bind_by_the_place_code_then_my_places_names_it(client, actions, db, scene):
    newcomer = make_person(db, "钱检测")
    db.session.commit()
    actions.login(newcomer)
    code = scene.place.code  # typed as it is read out: spaces and dashes
    response = actions.post("/places/inspector/bind", {"code": f" {code[:3]}-{code[3:6]}-{code[6:]} "})
    assert response.status_code == 303 and location(response) == "/places/inspector"
    page = text(client.get("/places/inspector"))
    assert "已绑定公共场所：天河城购物中心" in page
    assert "天河城购物中心" in page and "商场商店" in page and "广东省广州市天河区五山街道" in page
    assert f'href="/places/{scene.place.id}/check"' in page and 'href="/places/inspector/manage"' in page
    assert [s.place_id for s in place_staff.active_places(db.session, newcomer.id)] == [scene.place.id]


@pytest.mark.parametrize("typed", ["1234567890", "6234567890"])
def test_o8_a_code_of_another_kind_says_which_kind_it_is(client, actions, db, scene, typed):
    actions.login(scene.stranger)
    response = actions.post("/places/inspector/bind", {"code": typed})
    page = text(response)
    assert response.status_code == 200
    assert field_error(page) == share_codes.wrong_kind_message(typed, "place")
    assert ("组织机构申报码" if typed[0] == "1" else "网格申报码") in field_error(page)
    assert f'value="{typed}"' in page  # nothing typed is lost
    assert count(db, PlaceStaff, PlaceStaff.person_id == scene.stranger.id) == 0


@pytest.mark.parametrize("typed, message", [
    ("3999999999", place_staff.UNKNOWN_CODE),
    ("12345", "请输入10位数字的场所申报码"),
    ("", "请输入场所申报码"),
])
def test_o8_an_unknown_or_malformed_code_is_refused_beside_the_field(client, actions, db, scene, typed, message):
    actions.login(scene.stranger)
    response = actions.post("/places/inspector/bind", {"code": typed})
    assert response.status_code == 200 and field_error(text(response)) == message
    assert count(db, PlaceStaff, PlaceStaff.person_id == scene.stranger.id) == 0


def test_o8_ten_wrong_codes_an_hour_then_even_the_right_one_waits(client, actions, db, scene):
    actions.login(scene.stranger)
    assert share_codes.BIND_PER_ACCOUNT.count == 10
    for i in range(10):
        response = actions.post("/places/inspector/bind", {"code": f"39999999{i:02d}"})
        assert field_error(text(response)) == place_staff.UNKNOWN_CODE
    response = actions.post("/places/inspector/bind", {"code": scene.place.code})
    assert response.status_code == 200
    assert field_error(text(response)) == share_codes.BIND_PER_ACCOUNT.message == "输入申报码次数过多，请1小时后再试"
    assert count(db, PlaceStaff, PlaceStaff.person_id == scene.stranger.id) == 0


def test_o2_no_places_yet_shows_the_bind_form_with_a_hint(client, actions, scene):
    actions.login(scene.stranger)
    page = text(client.get("/places/inspector"))
    assert "您还没有绑定公共场所" in page
    assert 'action="/places/inspector/bind"' in page and "场所申报码" in page


def test_o2_the_poster_is_not_the_code_inspectors_bind_with(client, actions, db, scene):
    """A 葵花码's URL pasted as a 场所申报码 is not one (issue 10 item 2)."""
    actions.login(scene.stranger)
    response = actions.post("/places/inspector/bind", {"code": "https://yks.test/p/Ab3dEf7h"})
    assert field_error(text(response)) == share_codes.wrong_kind_message("https://yks.test/p/Ab3dEf7h", "place")
    assert count(db, PlaceStaff, PlaceStaff.person_id == scene.stranger.id) == 0


# --- 管理: 新增绑定, 解除绑定 ---------------------------------------------------------------------------------


def test_o2_manage_adds_a_place_and_unbinds_one_after_a_confirm(client, actions, db, scene):
    actions.login(scene.inspector)
    page = text(client.get("/places/inspector/manage"))
    assert "新增绑定" in page and 'action="/places/inspector/bind"' in page
    assert f'href="/places/{scene.place.id}/leave"' in page and "解除绑定" in page
    assert actions.post("/places/inspector/bind", {"code": scene.other.code}).status_code == 303
    assert len(place_staff.active_places(db.session, scene.inspector.id)) == 2

    confirm = client.get(f"/places/{scene.place.id}/leave")
    assert "确定解除绑定天河城购物中心？" in text(confirm) and "取消" in text(confirm)
    assert count(db, PlaceStaff, PlaceStaff.person_id == scene.inspector.id, PlaceStaff.active.is_(True)) == 2
    response = actions.post(f"/places/{scene.place.id}/leave")
    assert response.status_code == 303 and location(response) == "/places/inspector/manage"
    staff = db.session.scalar(select(PlaceStaff).where(PlaceStaff.place_id == scene.place.id,
                                                       PlaceStaff.person_id == scene.inspector.id))
    db.session.refresh(staff)
    assert staff.active is False and staff.ended_by == "self"
    assert "已解除绑定天河城购物中心" in text(client.get("/places/inspector/manage"))
    assert client.get(f"/places/{scene.place.id}/check").status_code == 404  # no longer this place's inspector
    assert client.get(f"/places/{scene.other.id}/check").status_code == 200


# --- 体温检测: the scanner ---------------------------------------------------------------------------------------


def test_o9_the_check_screen_has_the_one_scanner_and_the_places_links(client, actions, scene):
    actions.login(scene.inspector)
    page = text(client.get(f"/places/{scene.place.id}/check"))
    assert "天河城购物中心" in page
    form = re.search(r'<form method="post" action="/places/(\d+)/check"[^>]*data-scanner[^>]*>', page)
    assert form and form.group(1) == str(scene.place.id)
    assert 'name="csrf_token"' in page
    assert re.search(r'<input id="scan-code" name="code" type="text" value="" autofocus autocomplete="off"', page)
    assert '<label class="label" for="scan-code">粤康码（扫码枪扫描或粘贴）</label>' in page
    assert re.search(r"<button[^>]*data-scanner-start[^>]*>扫描粤康码</button>", page)
    assert 'role="status"' in page and "<video" in page
    assert '<button type="submit" class="btn block">提交</button>' in page
    assert 'src="/static/js/scanner.js"' in page and 'data-jsqr-src="/static/vendor/jsQR-1.4.0.js"' in page
    assert f'href="/places/{scene.place.id}/poster"' in page and "体温正常快速打卡" in page
    assert f'href="/places/{scene.place.id}/my-stats"' in page and "数据统计" in page
    assert "<script>" not in page and "style=" not in page  # CSP: files only


def test_o9_the_scanner_script_and_the_vendored_decoder_are_served(client):
    script = client.get("/static/js/scanner.js")
    assert script.status_code == 200
    body = text(script)
    for needed in ('facingMode: "environment"', "BarcodeDetector", "qr_code", "requestSubmit", "getTracks",
                   "正在打开摄像头…", "请将粤康码对准取景框", "无法打开摄像头，请使用扫码枪或粘贴",
                   "htmx:load", "DOMContentLoaded", "htmx:beforeSwap"):
        assert needed in body, needed
    assert "eval(" not in body and "new Function" not in body
    jsqr = client.get("/static/vendor/jsQR-1.4.0.js")
    assert jsqr.status_code == 200 and 'root["jsQR"] = factory();' in text(jsqr)
    assert client.get("/static/vendor/jsQR-1.4.0.LICENSE").status_code == 200


@pytest.mark.parametrize("form", [
    lambda token: f"https://yks.test/code/scan/{token}",
    lambda token: f"yks.test/code/scan/{token}\r\n",
    lambda token: token,
])
def test_o3_a_scan_opens_the_registration_with_masked_name_phone_and_colour(client, actions, scene, form):
    actions.login(scene.inspector)
    response = scan(actions, scene.place, form(token_of(scene.citizen)))
    assert response.status_code == 303
    page = text(client.get(location(response)))
    assert "*三" in page and "张三" not in page
    assert "138****0019" in page and "13800000019" not in page
    assert "code-result code-green" in page and "绿码" in page
    assert "查看健康信息" in page and "体温检测结果" in page
    assert 'value="正常"' in page and 'value="发热"' in page and ">提交<" in page


@pytest.mark.parametrize("colour, label", [("red", "红码"), ("yellow", "黄码")])
def test_o3_faq13_a_red_or_yellow_code_shows_its_reason(client, actions, db, scene, colour, label):
    health_data.set_status(db.session, scene.citizen.id, colour=colour, reason="密切接触者", city="广州市",
                           guidance="", utc_now=app_clock.utcnow())
    db.session.commit()
    actions.login(scene.inspector)
    page = collapse(text(client.get(ticket_url(actions, scene.place, scene.citizen))))
    assert f"code-result code-{colour}" in page
    assert f"<dt>{label}原因</dt><dd>密切接触者</dd>" in page and "赋码地区" in page


def test_o3_an_expired_or_forged_code_is_said_beside_the_field(client, actions, clock, scene):
    actions.login(scene.inspector)
    token = token_of(scene.citizen)
    later(clock, minutes=3)
    for typed in (f"https://yks.test/code/scan/{token}", "A" * code_tokens.LENGTH):
        response = scan(actions, scene.place, typed)
        assert response.status_code == 200
        page = text(response)
        assert field_error(page) == code_tokens.EXPIRED
        assert f'value="{typed}"' in page


@pytest.mark.parametrize("typed, message", [
    ("https://yks.test/p/Ab3dEf7h", scan_input.POSTER),
    ("我不是二维码", scan_input.UNKNOWN),
    ("", scan_input.EMPTY),
])
def test_o9_a_poster_or_anything_else_is_said_beside_the_field_and_kept(client, actions, db, scene, typed, message):
    actions.login(scene.inspector)
    response = scan(actions, scene.place, typed)
    assert response.status_code == 200 and field_error(text(response)) == message
    assert f'value="{typed}"' in text(response)
    assert count(db, AuditLog) == 0


def test_o9_scans_are_limited_per_account(client, actions, scene, monkeypatch):
    limit = Limit("scan_account", 2, timedelta(minutes=1), code_scans.PER_ACCOUNT.message)
    monkeypatch.setattr(code_scans, "PER_ACCOUNT", limit)
    actions.login(scene.inspector)
    for _ in range(2):
        assert scan(actions, scene.place, code_url(scene.citizen)).status_code == 303
    response = scan(actions, scene.place, code_url(scene.citizen))
    assert response.status_code == 429 and field_error(text(response)) == "扫码过于频繁，请稍后再试"


def test_p10_every_resolve_is_audited_with_the_place_and_the_person_sees_it(client, actions, db, scene):
    actions.login(scene.inspector)
    ticket_url(actions, scene.place, scene.citizen)
    rows = db.session.execute(select(AuditLog.actor_id, AuditLog.subject_id, AuditLog.role, AuditLog.action,
                                     AuditLog.context)).all()
    assert rows == [(scene.inspector.id, scene.citizen.id, "inspector", "resolve_code", "天河城购物中心")]
    actions.login(scene.citizen)
    page = collapse(text(client.get("/me/reads")))
    assert "公共场所检测员 · 天河城购物中心" in page and "*检测 · 扫码查验" in page


# --- 登记: 正常/发热 → 提交 (O3, FAQ 12) --------------------------------------------------------------------------


def test_o3_fever_is_recorded_with_place_inspector_sex_and_birth_year_then_back_to_the_scanner(
        client, actions, db, scene):
    actions.login(scene.inspector)
    url = ticket_url(actions, scene.place, scene.citizen)
    response = actions.post(url, {"result": "发热"})
    assert response.status_code == 303 and location(response) == f"/places/{scene.place.id}/check"
    check = db.session.scalar(select(TemperatureCheck))
    assert (check.person_id, check.place_id, check.place_name, check.inspector_id, check.result, check.method) == (
        scene.citizen.id, scene.place.id, "天河城购物中心", scene.inspector.id, "发热", "scan")
    assert (check.sex, check.birth_year) == sex_and_birth_year("id_card", scene.citizen.id_number)
    assert check.birth_year is not None and check.sex in ("M", "F")
    assert check.local_day == DEFAULT_NOW.date() and check.local_hour == 9
    page = text(client.get(location(response)))
    assert "已登记：*三 发热" in page and 'id="scan-code"' in page  # the scanner, for the next person


def test_o3_normal_is_said_as_such(client, actions, db, scene):
    actions.login(scene.inspector)
    response = actions.post(ticket_url(actions, scene.place, scene.citizen), {"result": "正常"})
    assert "已登记：*三 体温正常" in text(client.get(location(response)))


def test_o3_no_choice_is_asked_for_beside_the_choice(client, actions, db, scene):
    actions.login(scene.inspector)
    url = ticket_url(actions, scene.place, scene.citizen)
    for data in ({}, {"result": "37.5"}):
        response = actions.post(url, data)
        assert response.status_code == 200 and "*三" in text(response)
        assert "field-error" in text(response)
    assert count(db, TemperatureCheck) == 0


def test_o3_a_double_tap_records_once(client, actions, db, scene):
    actions.login(scene.inspector)
    url = ticket_url(actions, scene.place, scene.citizen)
    assert actions.post(url, {"result": "正常"}).status_code == 303
    client.get(f"/places/{scene.place.id}/check")  # the flash is read
    second = actions.post(url, {"result": "发热"})
    assert second.status_code == 303
    assert count(db, TemperatureCheck) == 1
    assert db.session.scalar(select(TemperatureCheck.result)) == "正常"  # never edited
    assert "该次扫码已登记：*三 体温正常。如需更正，请重新扫码登记" in text(client.get(location(second)))


def test_faq12_a_new_scan_supersedes_and_the_history_marks_the_corrected_one(client, actions, db, clock, scene):
    actions.login(scene.inspector)
    actions.post(ticket_url(actions, scene.place, scene.citizen), {"result": "发热"})
    later(clock, minutes=2)
    response = actions.post(ticket_url(actions, scene.place, scene.citizen), {"result": "正常"})
    assert "已更正今日此前的登记" in text(client.get(location(response)))
    first, second = db.session.scalars(select(TemperatureCheck).order_by(TemperatureCheck.id)).all()
    assert (first.result, second.result) == ("发热", "正常") and second.supersedes_id == first.id

    actions.login(scene.citizen)
    page = text(client.get("/code/history/temperature"))
    assert page.count("天河城购物中心") == 2 and page.count("已被更正") == 1
    assert page.index("正常") < page.index("已被更正")  # newest first; the corrected 发热 below it


def test_h4_the_check_appears_in_the_persons_temperature_history(client, actions, db, scene):
    actions.login(scene.inspector)
    actions.post(ticket_url(actions, scene.place, scene.citizen), {"result": "发热"})
    actions.login(scene.citizen)
    page = collapse(text(client.get("/code/history/temperature")))
    assert "<dt>检测结果</dt><dd>发热</dd>" in page and "<dt>检测场所</dt><dd>天河城购物中心</dd>" in page
    assert "2026-11-20 09:00" in page and "已被更正" not in page


def test_h3_a_family_members_code_on_a_parents_phone_is_recorded_for_the_member(client, actions, db, scene):
    actions.login(scene.citizen)
    shown = text(client.get(f"/code/?member={scene.child.id}"))
    token = shown_token(shown)  # read from the card's QR, as the inspector's camera does
    actions.login(scene.inspector)
    response = scan(actions, scene.place, f"https://yks.test/code/scan/{token}")
    page = text(client.get(location(response)))
    assert "*小宝" in page and "*三" not in page
    actions.post(location(response), {"result": "正常"})
    assert db.session.scalar(select(TemperatureCheck.person_id)) == scene.child.id


# --- tickets: this place's, this inspector's, 10 minutes -------------------------------------------------------


def test_o3_an_old_ticket_is_said_and_records_nothing(client, actions, db, clock, scene):
    actions.login(scene.inspector)
    url = ticket_url(actions, scene.place, scene.citizen)
    later(clock, minutes=11)
    page = client.get(url)
    assert page.status_code == 200 and field_error(text(page)) == scan_tickets.EXPIRED == "扫码结果已过期，请重新扫码"
    response = actions.post(url, {"result": "发热"})
    assert field_error(text(response)) == scan_tickets.EXPIRED
    assert count(db, TemperatureCheck) == 0


def test_o3_another_places_ticket_is_not_this_places(client, actions, db, scene):
    place_staff.bind(db.session, scene.inspector.id, scene.other, app_clock.utcnow())
    db.session.commit()
    actions.login(scene.inspector)
    ticket = _TICKET.match(ticket_url(actions, scene.place, scene.citizen)).group(2)
    elsewhere = f"/places/{scene.other.id}/check/{ticket}"
    for response in (client.get(elsewhere), client.get(elsewhere + "/health"),
                     actions.post(elsewhere, {"result": "发热"})):
        assert response.status_code == 404
        assert field_error(text(response)) == scan_tickets.NOT_HERE == "该扫码结果不属于本场所，请重新扫码"
    assert count(db, TemperatureCheck) == 0


def test_o3_another_inspectors_ticket_at_the_same_place_is_not_theirs(client, actions, db, scene):
    colleague = make_person(db, "孙检测")
    place_staff.bind(db.session, colleague.id, scene.place, app_clock.utcnow())
    db.session.commit()
    actions.login(scene.inspector)
    url = ticket_url(actions, scene.place, scene.citizen)
    actions.login(colleague)
    assert field_error(text(client.get(url))) == scan_tickets.NOT_HERE
    assert actions.post(url, {"result": "发热"}).status_code == 404
    assert count(db, TemperatureCheck) == 0


@pytest.mark.parametrize("ticket", ["x", "A" * 70, "A" * 300])
def test_q2_a_forged_ticket_is_refused(client, actions, db, scene, ticket):
    actions.login(scene.inspector)
    response = client.get(f"/places/{scene.place.id}/check/{ticket}")
    assert response.status_code == 404 and field_error(text(response)) == scan_tickets.INVALID


# --- 查看健康信息 --------------------------------------------------------------------------------------------


def test_o3_health_info_without_a_declaration_says_so_and_is_audited(client, actions, db, scene):
    actions.login(scene.inspector)
    url = ticket_url(actions, scene.place, scene.citizen)
    assert f'href="{url}/health"' in text(client.get(url))
    page = text(client.get(url + "/health"))
    assert "暂无个人健康申报记录" in page and "*三" in page
    reads = db.session.execute(select(AuditLog.role, AuditLog.action, AuditLog.context)
                               .where(AuditLog.action == "view_declaration")).all()
    assert reads == [("inspector", "view_declaration", "天河城购物中心")]


def test_o3_health_info_shows_the_latest_declaration(client, actions, db, clock, scene):
    for minutes, city, symptoms in ((0, "深圳市", True), (5, "广州市", False)):
        db.session.add(PersonalDeclaration(
            person_id=scene.citizen.id, actor_id=scene.citizen.id, form_key=f"k{minutes}",
            created_at=app_clock.utcnow() - timedelta(hours=1) + timedelta(minutes=minutes),
            location_province="广东省", location_city=city, temperature=None, temperature_band="37.3℃以下",
            has_symptoms=symptoms, risk_travel=False, contact_case=False,
        ))
    db.session.commit()
    actions.login(scene.inspector)
    page = collapse(text(client.get(ticket_url(actions, scene.place, scene.citizen) + "/health")))
    assert "<dt>当前所在地</dt><dd>广东省广州市</dd>" in page and "深圳市" not in page
    assert "<dt>体温</dt><dd>37.3℃以下</dd>" in page
    assert "<dt>是否有发热、咳嗽等症状</dt><dd>否</dd>" in page


# --- the phone's own camera app lands on /code/scan/<token> --------------------------------------------------


def test_item3_the_camera_apps_landing_page_offers_each_place_to_register_at(client, actions, db, scene):
    """Issue 10 item 4: the code is resolved once, at the place chosen, so 查阅记录 names the place (no read before)."""
    place_staff.bind(db.session, scene.inspector.id, scene.other, app_clock.utcnow())
    db.session.commit()
    actions.login(scene.inspector)
    token = token_of(scene.citizen)
    page = text(client.get(f"/code/scan/{token}"))
    assert "*三" not in page and "绿码" not in page  # nothing of the person before the place is chosen
    assert count(db, AuditLog) == 0
    for place in (scene.place, scene.other):
        assert re.search(rf'action="/places/{place.id}/check"[^>]*>\s*<input type="hidden" name="csrf_token"[^>]*>'
                         rf'\s*<input type="hidden" name="code" value="{token}">\s*'
                         r'<button type="submit" class="btn small primary">在此场所登记体温</button>', page)
    response = actions.post(f"/places/{scene.other.id}/check", {"code": token})
    assert response.status_code == 303 and location(response).startswith(f"/places/{scene.other.id}/check/")
    contexts = db.session.scalars(select(AuditLog.context).order_by(AuditLog.id)).all()
    assert contexts == ["正佳广场"]


def test_item3_an_operator_who_is_no_inspector_sees_no_places(client, actions, db, scene):
    scene.stranger.is_operator = True
    db.session.commit()
    actions.login(scene.stranger)
    page = text(client.get(f"/code/scan/{token_of(scene.citizen)}"))
    assert "*三" in page and "在此场所登记体温" not in page


# --- who may: a place's inspector only (P7) --------------------------------------------------------------------


def test_p7_no_inspector_screen_of_a_place_answers_anyone_else(client, actions, db, scene):
    actions.login(scene.inspector)
    url = ticket_url(actions, scene.place, scene.citizen)
    p = scene.place.id
    for who in (scene.stranger, scene.admin, scene.citizen):  # the admin is not an inspector unless bound
        actions.login(who)
        for method, path in (("get", f"/places/{p}/check"), ("post", f"/places/{p}/check"), ("get", url),
                             ("post", url), ("get", url + "/health"), ("get", f"/places/{p}/leave"),
                             ("post", f"/places/{p}/leave"), ("get", "/places/999999/check")):
            response = client.get(path) if method == "get" else actions.post(path, {"code": code_url(scene.citizen),
                                                                                     "result": "发热"})
            assert response.status_code == 404, (who.name, method, path)
    assert count(db, TemperatureCheck) == 0
    assert count(db, AuditLog) == 1  # the inspector's own scan only
    assert count(db, PlaceStaff, PlaceStaff.active.is_(True)) == 1


def test_p7_an_inspector_of_another_place_gets_404_here(client, actions, db, scene):
    actions.login(scene.inspector)
    assert client.get(f"/places/{scene.other.id}/check").status_code == 404
    assert scan(actions, scene.other, code_url(scene.citizen)).status_code == 404
    assert count(db, AuditLog) == 0


def test_i4_the_inspector_screens_need_a_login(client, scene):
    for path in ("/places/inspector", "/places/inspector/bind", "/places/inspector/manage",
                 f"/places/{scene.place.id}/check", f"/places/{scene.place.id}/leave"):
        response = client.get(path)
        assert response.status_code in (302, 303) and "/auth/login" in response.headers["Location"], path


# --- page or fragment (SPEC P3) ---------------------------------------------------------------------------


def test_p3_every_inspector_screen_is_a_page_or_its_fragment(client, actions, scene):
    actions.login(scene.inspector)
    url = ticket_url(actions, scene.place, scene.citizen)
    for path in ("/places/inspector", "/places/inspector/bind", "/places/inspector/manage",
                 f"/places/{scene.place.id}/leave", f"/places/{scene.place.id}/check", url, url + "/health"):
        assert_whole_page(client.get(path))
        assert_fragment(client.get(path, headers=HTMX))

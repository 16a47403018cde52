"""公共场所管理员 screens (SPEC O2, P3, P7; issue 10 item 1; FAQ (二) 3, 4, 6, 7, 8)."""

from __future__ import annotations

import html
from datetime import datetime

import pytest

from tests.blueprints.support import assert_fragment, assert_whole_page, count, location, text
from tests.conftest import Actions
from tests.factories import make_person, make_place, make_place_staff
from yks_web.clock import utcnow
from yks_web.models.place import Place, PlaceHandover, PlacePoster, PlaceStaff
from yks_web.services import access, place_posters, place_staff, places

TOWN = "440106006"  # 广州市天河区石牌街道
FORM = {"city": "4401", "district": "440106", "town": TOWN, "address": "天河路1号", "kind": "商场商店",
        "name": "天河城", "phone": "13800000001"}
HX = {"HX-Request": "true"}


def page(response) -> str:
    return html.unescape(text(response))


@pytest.fixture
def admin(db):
    person = make_person(db, "林场主", phone="13800000009")
    db.session.commit()
    return person


@pytest.fixture
def place(db, admin) -> Place:
    place = make_place(db, admin, "天河城", area_code=TOWN, address="天河路1号", phone="13800000001")
    db.session.commit()
    return place


def bound(db, place, name="张三") -> PlaceStaff:
    staff = make_place_staff(db, place, name)
    db.session.commit()
    return staff


def places_of(db, admin_id) -> int:
    return count(db, Place, Place.admin_id == admin_id)


# -- 创建公共场所 --------------------------------------------------------------------------------------------


def test_item1_no_place_yet_goes_to_create(client, actions, admin):
    actions.login(admin)
    response = client.get("/places/admin")
    assert response.status_code == 303 and location(response) == "/places/admin/create"


def test_item1_create_form_asks_what_the_guide_asks(client, actions, admin):
    actions.login(admin)
    body = page(client.get("/places/admin/create"))
    for label in ("创建公共场所", "所在区域", "详细地址", "场所类型", "场所名称", "手机号", "确认创建",
                  "住宅小区", "交通出行"):
        assert label in body
    assert 'value="13800000009"' in body  # the user's own phone, pre-filled
    assert 'name="pick_area"' in body  # the no-JS 【选择】


def test_item1_create_via_the_form(client, actions, admin, db):
    actions.login(admin)
    response = actions.post("/places/admin/create", FORM)
    assert response.status_code == 303 and location(response) == "/places/admin"
    place = places.admin_place(db.session, admin.id)
    assert (place.name, place.kind, place.area_code, place.address, place.phone) == (
        "天河城", "商场商店", TOWN, "天河路1号", "13800000001")
    assert place_posters.live(db.session, place.id) is not None
    body = page(client.get("/places/admin"))
    assert "公共场所创建成功" in body


def test_item1_create_without_js_picks_area_level_by_level(client, actions, admin, db):
    actions.login(admin)
    typed = {"address": "天河路1号", "kind": "餐饮", "name": "陶陶居", "phone": "13800000001"}
    first = actions.post("/places/admin/create", {**typed, "city": "4401", "pick_area": "1"})
    body = page(first)
    assert first.status_code == 200 and places_of(db, admin.id) == 0
    assert 'value="440106"' in body and "天河区" in body  # the districts of 广州市
    assert 'value="天河路1号"' in body and 'value="陶陶居"' in body and 'value="13800000001"' in body
    assert '<option selected value="餐饮">' in body
    assert "请选择所在区域" not in body  # picking is not submitting: no error yet
    second = page(actions.post("/places/admin/create", {**typed, "city": "4401", "district": "440106",
                                                         "pick_area": "1"}))
    assert f'value="{TOWN}"' in second and "石牌街道" in second
    done = actions.post("/places/admin/create", {**typed, "city": "4401", "district": "440106", "town": TOWN})
    assert done.status_code == 303
    assert places.admin_place(db.session, admin.id).area_code == TOWN


@pytest.mark.parametrize(("change", "message"), [
    ({"town": ""}, "请选择所在区域，填写到乡镇街道一级"),
    ({"district": "", "town": ""}, "请选择所在区域，填写到乡镇街道一级"),
    ({"town": "440103001"}, "请选择所在区域，填写到乡镇街道一级"),  # 沙面街道 is in 荔湾区, not 天河区
    ({"town": "4401060069999"}, "请选择所在区域，填写到乡镇街道一级"),
    ({"address": ""}, "请填写详细地址"),
    ({"address": "路" * 101}, "详细地址不能超过100个字"),
    ({"kind": ""}, "请选择场所类型"),
    ({"kind": "赌场"}, "请选择场所类型"),
    ({"name": "   "}, "请填写场所名称"),
    ({"name": "名" * 51}, "场所名称不能超过50个字"),
    ({"phone": ""}, "请填写手机号"),
    ({"phone": "12345"}, "请填写11位中国大陆手机号"),
    ({"phone": "1" * 500}, "请填写11位中国大陆手机号"),
])
def test_item1_bad_input_is_shown_beside_the_field(client, actions, admin, db, change, message):
    actions.login(admin)
    response = actions.post("/places/admin/create", {**FORM, **change})
    assert response.status_code == 200
    assert message in page(response)
    assert places_of(db, admin.id) == 0


def test_item1_missing_fields_never_500(client, actions, admin, db):
    actions.login(admin)
    response = actions.post("/places/admin/create", {})
    assert response.status_code == 200
    body = page(response)
    assert "请填写详细地址" in body and "请选择场所类型" in body and "请填写场所名称" in body
    assert places_of(db, admin.id) == 0


def test_item1_full_width_phone_is_normalised(client, actions, admin, db):
    actions.login(admin)
    assert actions.post("/places/admin/create", {**FORM, "phone": "１３８ ００００ ０００１"}).status_code == 303
    assert places.admin_place(db.session, admin.id).phone == "13800000001"


def test_item1_one_admin_one_place(client, actions, admin, place, db):
    actions.login(admin)
    assert location(client.get("/places/admin/create")) == "/places/admin"
    again = actions.post("/places/admin/create", {**FORM, "name": "第二个场所"})
    assert again.status_code == 303 and location(again) == "/places/admin"
    assert places_of(db, admin.id) == 1


def test_item1_double_tap_race_answers_with_my_place(client, actions, admin, db, monkeypatch):
    """The twin passed the view's check before the first committed: the service's unique admin_id answers."""
    actions.login(admin)
    assert actions.post("/places/admin/create", FORM).status_code == 303
    real, calls = places.admin_place, []

    def blind_twice(session, person_id):  # the view's and the service's checks ran before the twin committed
        calls.append(person_id)
        return None if len(calls) <= 2 else real(session, person_id)

    monkeypatch.setattr(places, "admin_place", blind_twice)
    response = actions.post("/places/admin/create", {**FORM, "name": "双击"})
    assert response.status_code == 303 and location(response) == "/places/admin"
    assert len(calls) == 3
    monkeypatch.undo()
    assert places_of(db, admin.id) == 1


# -- 我的场所 ---------------------------------------------------------------------------------------------


def test_item1_my_place_shows_the_code_to_copy(client, actions, admin, place):
    actions.login(admin)
    body = page(client.get("/places/admin"))
    for shown in ("我的场所", "天河城", "商场商店", "广东省广州市天河区石牌街道", "天河路1号", "138****0001",
                  "场所申报码", "复制号码", "成员管理", "修改信息", "重新生成葵花码", "绑定为本场所检测员",
                  "将场所申报码复制给本场所的检测员，检测员输入后即可绑定。请勿张贴，群众打卡请使用葵花码。"):
        assert shown in body, shown
    assert f'id="place-code" class="place-code" type="text" readonly value="{place.code}"' in body
    assert 'data-copy="#place-code" data-copy-done="号码已复制"' in body
    assert "13800000001" not in body  # the phone is masked
    for href in (f"/places/{place.id}/stats", f"/places/{place.id}/members", f"/places/{place.id}/edit",
                 f"/places/{place.id}/poster", f"/places/{place.id}/poster/reissue"):
        assert f'href="{href}"' in body, href
    assert f'href="/places/{place.id}/check"' not in body  # 体温检测 once bound as an inspector


def test_item1_copy_script_says_number_copied():
    with open("yks_web/static/js/app.js", encoding="utf-8") as script:
        assert 'getAttribute("data-copy-done")' in script.read()


def test_item1_admin_binds_self_as_inspector(client, actions, admin, place, db):
    actions.login(admin)
    response = actions.post(f"/places/{place.id}/bind-self")
    assert response.status_code == 303 and location(response) == "/places/admin"
    assert access.inspector_of(db.session, admin.id, place.id)
    body = page(client.get("/places/admin"))
    assert "已绑定为本场所检测员" in body and f'action="/places/{place.id}/bind-self"' not in body
    assert f'href="/places/{place.id}/check">体温检测' in body
    assert actions.post(f"/places/{place.id}/bind-self").status_code == 303  # a second tap binds nothing more
    assert count(db, PlaceStaff, PlaceStaff.place_id == place.id) == 1


# -- 修改信息 -----------------------------------------------------------------------------------------------


def test_item1_edit_is_prefilled(client, actions, admin, place):
    actions.login(admin)
    body = page(client.get(f"/places/{place.id}/edit"))
    assert f'<option selected value="{TOWN}">石牌街道</option>' in body
    assert '<option selected value="440106">天河区</option>' in body
    assert 'value="天河路1号"' in body and 'value="天河城"' in body and 'value="13800000001"' in body
    assert '<option selected value="商场商店">' in body
    assert "确认修改" in body and "disabled" not in body


def test_item1_edit_once_a_week_refused_with_the_date(client, actions, admin, place, db, clock):
    actions.login(admin)
    clock(datetime(2026, 11, 23, 10, 0))  # Monday
    response = actions.post(f"/places/{place.id}/edit", {**FORM, "address": "天河路2号"})
    assert response.status_code == 303 and location(response) == "/places/admin"
    assert "修改成功" in page(client.get("/places/admin"))
    clock(datetime(2026, 11, 29, 23, 59))  # Sunday, same week
    refused = actions.post(f"/places/{place.id}/edit", {**FORM, "address": "天河路3号"})
    assert refused.status_code == 200
    assert "每周仅可修改一次，下周一（2026年11月30日）起可再次修改" in page(refused)
    db.session.expire_all()
    assert db.session.get(Place, place.id).address == "天河路2号"
    screen = page(client.get(f"/places/{place.id}/edit"))
    assert "每周仅可修改一次，下周一（2026年11月30日）起可再次修改" in screen
    assert '<fieldset class="plain-fieldset" disabled>' in screen
    clock(datetime(2026, 11, 30, 0, 0))  # Monday 00:00
    assert "disabled" not in page(client.get(f"/places/{place.id}/edit"))
    assert actions.post(f"/places/{place.id}/edit", {**FORM, "address": "天河路3号"}).status_code == 303
    db.session.expire_all()
    assert db.session.get(Place, place.id).address == "天河路3号"


def test_item1_rename_retires_the_poster_code_stays(client, actions, admin, place, db):
    actions.login(admin)
    code, old = place.code, place_posters.live(db.session, place.id).token
    assert actions.post(f"/places/{place.id}/edit", {**FORM, "name": "天河城购物中心"}).status_code == 303
    db.session.expire_all()
    retired = db.session.get(PlacePoster, old)
    assert retired.retired_reason == place_posters.RENAMED and retired.retired_at is not None
    live = place_posters.live(db.session, place.id)
    assert live.place_name == "天河城购物中心"
    assert db.session.get(Place, place.id).code == code
    assert code in page(client.get("/places/admin"))


def test_item1_edit_bad_input_rerenders(client, actions, admin, place, db):
    actions.login(admin)
    response = actions.post(f"/places/{place.id}/edit", {**FORM, "kind": "不存在", "town": "440103001"})
    assert response.status_code == 200
    body = page(response)
    assert "请选择场所类型" in body and "请选择所在区域，填写到乡镇街道一级" in body
    db.session.expire_all()
    assert db.session.get(Place, place.id).edited_at is None


def test_item1_edit_picks_area_without_js(client, actions, admin, place, db):
    actions.login(admin)
    response = actions.post(f"/places/{place.id}/edit", {**FORM, "city": "4401", "district": "440103",
                                                          "town": "", "pick_area": "1"})
    body = page(response)
    assert response.status_code == 200 and "沙面街道" in body and 'value="天河城"' in body
    db.session.expire_all()
    assert db.session.get(Place, place.id).edited_at is None


# -- 重新生成葵花码 ------------------------------------------------------------------------------------------


def test_item1_reissue_poster_confirm_then_post(client, actions, admin, place, db):
    actions.login(admin)
    old = place_posters.live(db.session, place.id).token
    confirm = page(client.get(f"/places/{place.id}/poster/reissue"))
    assert "确定重新生成体温正常快速打卡葵花码吗？" in confirm and "旧葵花码将失效" in confirm
    response = actions.post(f"/places/{place.id}/poster/reissue")
    assert response.status_code == 303 and location(response) == f"/places/{place.id}/poster"
    db.session.expire_all()
    assert db.session.get(PlacePoster, old).retired_reason == place_posters.REISSUED
    assert place_posters.live(db.session, place.id).token != old


# -- 成员管理 ----------------------------------------------------------------------------------------------


def test_item1_members_lists_inspectors_masked(client, actions, admin, place, db):
    bound(db, place, "张三")
    actions.login(admin)
    body = page(client.get(f"/places/{place.id}/members"))
    assert "*三" in body and "张三" not in body and "绑定于 2026-11-20" in body
    assert "解除绑定" in body and "更换绑定" in body


def test_item1_unbind_an_inspector(client, actions, admin, place, db):
    staff = bound(db, place)
    actions.login(admin)
    confirm = page(client.get(f"/places/{place.id}/members/{staff.id}/unbind"))
    assert "确定解除检测员 *三 的绑定吗？" in confirm
    response = actions.post(f"/places/{place.id}/members/{staff.id}/unbind")
    assert response.status_code == 303 and location(response) == f"/places/{place.id}/members"
    db.session.expire_all()
    row = db.session.get(PlaceStaff, staff.id)
    assert (row.active, row.ended_by) == (False, "admin")
    assert "已解除检测员 *三 的绑定" in page(client.get(f"/places/{place.id}/members"))
    assert client.get(f"/places/{place.id}/members/{staff.id}/unbind").status_code == 404  # already ended


def test_item1_handover_end_to_end(app, client, actions, admin, place, db):
    staff = bound(db, place, "张三")
    place_staff.bind(db.session, admin.id, place, utcnow())  # the admin is an inspector too
    db.session.commit()
    actions.login(admin)
    confirm = page(client.get(f"/places/{place.id}/members/{staff.id}/handover"))
    assert "确定将场所管理员更换为 *三 吗？对方确认后生效，您将不再是本场所管理员。" in confirm
    assert actions.post(f"/places/{place.id}/members/{staff.id}/handover").status_code == 303
    members = page(client.get(f"/places/{place.id}/members"))
    assert "更换绑定待确认" in members and f'action="/places/{place.id}/handover/cancel"' in members
    offer = places.pending_handover(db.session, place.id, utcnow())

    recipient = Actions(app.test_client())
    recipient.login(staff.person)
    index = page(recipient.client.get("/places/"))
    assert "更换绑定邀请" in index and f'href="/places/handover/{offer.id}"' in index
    shown = page(recipient.client.get(f"/places/handover/{offer.id}"))
    assert "*场主 邀请您成为以下公共场所的场所管理员" in shown and "天河城" in shown
    assert "接受" in shown and "拒绝" in shown
    assert client.get(f"/places/handover/{offer.id}").status_code == 404  # not the admin's offer
    accepted = recipient.post(f"/places/handover/{offer.id}/accept")
    assert accepted.status_code == 303 and location(accepted) == "/places/admin"
    mine = page(recipient.client.get("/places/admin"))
    assert "您已成为“天河城”的场所管理员" in mine and place.code in mine

    # The former admin loses every admin screen, and stays an inspector.
    db.session.expire_all()
    for url in (f"/places/{place.id}/edit", f"/places/{place.id}/members", f"/places/{place.id}/poster/reissue",
                f"/places/{place.id}/members/{staff.id}/unbind"):
        assert client.get(url).status_code == 404, url
    assert actions.post(f"/places/{place.id}/edit", FORM).status_code == 404
    assert location(client.get("/places/admin")) == "/places/admin/create"
    assert access.inspector_of(db.session, admin.id, place.id)
    assert recipient.client.get(f"/places/handover/{offer.id}").status_code == 404  # decided


def test_item1_handover_refused_and_cancelled(app, client, actions, admin, place, db):
    staff = bound(db, place, "张三")
    actions.login(admin)
    actions.post(f"/places/{place.id}/members/{staff.id}/handover")
    offer = places.pending_handover(db.session, place.id, utcnow())
    recipient = Actions(app.test_client())
    recipient.login(staff.person)
    refused = recipient.post(f"/places/handover/{offer.id}/refuse")
    assert refused.status_code == 303 and location(refused) == "/places/"
    db.session.expire_all()
    assert db.session.get(PlaceHandover, offer.id).outcome == places.REFUSED
    assert db.session.get(Place, place.id).admin_id == admin.id
    assert recipient.post(f"/places/handover/{offer.id}/accept").status_code == 404

    actions.post(f"/places/{place.id}/members/{staff.id}/handover")
    second = places.pending_handover(db.session, place.id, utcnow())
    response = actions.post(f"/places/{place.id}/handover/cancel")
    assert response.status_code == 303 and location(response) == f"/places/{place.id}/members"
    db.session.expire_all()
    assert db.session.get(PlaceHandover, second.id).outcome == places.CANCELLED
    assert recipient.client.get(f"/places/handover/{second.id}").status_code == 404


def test_item1_handover_to_an_admin_of_another_place_is_refused_clearly(app, client, actions, admin, place, db):
    staff = bound(db, place, "张三")
    places.create(db.session, staff.person_id, places.PlaceInfo(TOWN, "体育西路1号", "餐饮", "别的场所",
                                                                 "13800000002"), utcnow())
    db.session.commit()
    actions.login(admin)
    actions.post(f"/places/{place.id}/members/{staff.id}/handover")
    offer = places.pending_handover(db.session, place.id, utcnow())
    recipient = Actions(app.test_client())
    recipient.login(staff.person)
    assert "您已是其他公共场所的管理员" in page(recipient.client.get(f"/places/handover/{offer.id}"))
    response = recipient.post(f"/places/handover/{offer.id}/accept")
    assert response.status_code == 303 and location(response) == f"/places/handover/{offer.id}"
    assert places.ALREADY_ADMIN in page(recipient.client.get(location(response)))
    db.session.expire_all()
    assert db.session.get(Place, place.id).admin_id == admin.id


def test_item1_expired_offer_is_404(app, client, actions, admin, place, db, clock):
    staff = bound(db, place, "张三")
    actions.login(admin)
    actions.post(f"/places/{place.id}/members/{staff.id}/handover")
    offer = places.pending_handover(db.session, place.id, utcnow())
    clock(datetime(2026, 11, 27, 9, 0))  # 7 days later
    recipient = Actions(app.test_client())
    recipient.login(staff.person)
    assert recipient.client.get(f"/places/handover/{offer.id}").status_code == 404
    assert recipient.post(f"/places/handover/{offer.id}/accept").status_code == 404
    assert "更换绑定待确认" not in page(client.get(f"/places/{place.id}/members"))


def test_item1_no_handover_to_oneself(client, actions, admin, place, db):
    own = place_staff.bind(db.session, admin.id, place, utcnow())
    db.session.commit()
    actions.login(admin)
    assert "（本人）" in page(client.get(f"/places/{place.id}/members"))
    assert client.get(f"/places/{place.id}/members/{own.id}/handover").status_code == 404
    assert actions.post(f"/places/{place.id}/members/{own.id}/handover").status_code == 303
    assert count(db, PlaceHandover) == 0


# -- not yours: 404 ---------------------------------------------------------------------------------------


def admin_urls(place, staff, offer_id):
    gets = [f"/places/{place.id}/edit", f"/places/{place.id}/members", f"/places/{place.id}/poster/reissue",
            f"/places/{place.id}/members/{staff.id}/unbind", f"/places/{place.id}/members/{staff.id}/handover",
            f"/places/handover/{offer_id}"]
    posts = [f"/places/{place.id}/edit", f"/places/{place.id}/poster/reissue", f"/places/{place.id}/bind-self",
             f"/places/{place.id}/members/{staff.id}/unbind", f"/places/{place.id}/members/{staff.id}/handover",
             f"/places/{place.id}/handover/cancel", f"/places/handover/{offer_id}/accept",
             f"/places/handover/{offer_id}/refuse"]
    return gets, posts


@pytest.mark.parametrize("who", ["stranger", "inspector", "another_admin"])
def test_item1_not_yours_is_404(client, actions, admin, place, db, who):
    staff = bound(db, place, "张三")
    other = bound(db, place, "李四")
    offer = places.offer_handover(db.session, place, other, admin.id, utcnow())
    db.session.commit()
    if who == "stranger":
        person = make_person(db, "路人甲")
    elif who == "inspector":
        person = staff.person
    else:
        person = make_person(db, "王老板")
        places.create(db.session, person.id, places.PlaceInfo(TOWN, "体育西路1号", "餐饮", "别家", "13800000003"),
                      utcnow())
    db.session.commit()
    actions.login(person)
    gets, posts = admin_urls(place, staff, offer.id)
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url in posts:
        assert actions.post(url, FORM).status_code == 404, url
    db.session.expire_all()
    assert db.session.get(PlaceStaff, staff.id).active
    assert db.session.get(Place, place.id).admin_id == admin.id
    assert db.session.get(PlaceHandover, offer.id).decided_at is None
    assert client.get("/places/999999/members").status_code == 404


# -- page or fragment (SPEC P3) ---------------------------------------------------------------------------


def test_item1_each_screen_is_a_page_or_a_fragment(app, client, actions, admin, place, db):
    staff = bound(db, place, "张三")
    offer = places.offer_handover(db.session, place, staff, admin.id, utcnow())
    db.session.commit()
    actions.login(admin)
    for url in ("/places/admin", f"/places/{place.id}/edit", f"/places/{place.id}/members",
                f"/places/{place.id}/poster/reissue", f"/places/{place.id}/members/{staff.id}/unbind",
                f"/places/{place.id}/members/{staff.id}/handover"):
        assert_whole_page(client.get(url))
        assert_fragment(client.get(url, headers=HX))
    recipient = Actions(app.test_client())
    recipient.login(staff.person)
    for url in (f"/places/handover/{offer.id}", "/places/"):
        assert_whole_page(recipient.client.get(url))
        assert_fragment(recipient.client.get(url, headers=HX))
    newcomer = Actions(app.test_client())
    newcomer.login(make_person(db, "新人"))
    db.session.commit()
    assert_whole_page(newcomer.client.get("/places/admin/create"))
    assert_fragment(newcomer.client.get("/places/admin/create", headers=HX))

"""注销账号 screens (issue 16 items 2, 5; SPEC P3, P6, P10): 个人中心 → 注销账号 → what goes and what is kept → the
confirm step (a code to the person's own phone and a tick, a plain form: no JavaScript needed) → 账号已注销.

Bad or missing input re-renders with the message beside the field and the tick kept; a role to hand over replaces
the form; a second tap is harmless; after it the person is logged out on every device and logging in again with
the same 证件 makes a new person with nothing of the old.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.blueprints.support import assert_fragment, assert_whole_page, count, location_path, text
from tests.conftest import sign_in
from tests.factories import declare, make_org, make_person, make_place
from tests.family_helpers import make_family_link
from tests.services.test_account_deletion import NAME, PHONE, build
from yks_web import clock as app_clock
from yks_web.models import Declaration, FamilyMember, Feedback, LoginSession, Person, PersonalDeclaration
from yks_web.services.account_deletion_plan import CONFIRM_REQUIRED, NO_PHONE, NOT_SENT
from yks_web.services.deleted_accounts import DELETED_NAME

URL = "/account/delete"


def ticked(body: str) -> bool:
    tag = re.search(r'<input[^>]*name="agree"[^>]*>', body)
    return tag is not None and re.search(r"\schecked[\s>]", tag.group(0)) is not None


def wrong(code: str) -> str:
    return "000000" if code != "000000" else "111111"


def send_code(actions, sms, data: dict | None = None) -> str:
    """【获取验证码】: the code is sent and the browser is sent back to the page (Post/Redirect/Get)."""
    response = actions.post(URL, {"send_code": "1", **(data or {})})
    assert response.status_code == 303 and location_path(response) == URL
    return sms.last_code(PHONE)


@pytest.fixture
def person(db) -> Person:
    someone = make_person(db, NAME, phone=PHONE)
    db.session.commit()
    return someone


def test_item2_me_links_to_the_page_which_says_what_goes_and_what_is_kept(client, db, actions, sms):
    w = build(db, 2)
    actions.login(w.person)
    assert f'href="{URL}"' in text(client.get("/me"))
    page = client.get(URL)
    assert_whole_page(page)
    body = text(page)
    for words in ("注销后将删除", "场所的体温检测与打卡记录", "依法保留", "采集员已提交给学校的每日报告中关于您的记录",
                  "查阅记录须保存至保留期满", "实名认证数据源中的记录", "您添加的家庭成员", "从未自己实名认证登录过"):
        assert words in body, words
    for words in ("本应用中由运营人员维护", "本应用暂不支持", "中关于您的一条"):  # review findings 16, 17
        assert words not in body, words
    assert "司徒小宝（子女）" in body and "随账号一并删除" in body
    assert "司徒父（父母）" in body and "保留：已自己实名认证登录过" in body
    assert 'id="delete-account"' in body and 'method="post"' in body and 'name="csrf_token"' in body
    assert "139****1111" in body and PHONE not in body
    assert_fragment(client.get(URL, headers={"HX-Request": "true"}))


def test_item2_a_role_to_hand_over_replaces_the_form_and_a_post_deletes_nothing(client, db, actions, sms, person):
    place = make_place(db, person)
    db.session.commit()
    actions.login(person)
    body = text(client.get(URL))
    assert "暂时不能注销" in body and f"{place.name}的公共场所管理员" in body and "更换绑定" in body
    assert f'href="/places/{place.id}/members"' in body
    assert 'id="delete-account"' not in body
    response = actions.post(URL, {"code": "123456", "agree": "y"})
    assert response.status_code == 200 and "暂时不能注销" in text(response)
    assert db.session.get(Person, person.id) is not None


def test_item2_the_code_goes_to_the_persons_own_phone_and_the_tick_is_kept(client, db, actions, sms, person):
    """Review finding 12: the code is sent, then a redirect to the page (the tick kept): reloading sends nothing."""
    actions.login(person)
    send_code(actions, sms, {"agree": "y"})
    body = text(client.get(URL))
    assert "验证码已发送至139****1111" in body
    assert [to for to, _ in sms.outbox] == [PHONE] and "注销粤省事账号" in sms.texts[-1][1]
    assert ticked(body)
    reload = text(client.get(URL))
    assert len(sms.outbox) == 1 and "验证码已发送至" not in reload


def test_item2_a_person_who_must_hand_over_first_gets_no_code(client, db, actions, sms, person):
    """Review finding 12: a crafted 【获取验证码】 from someone who cannot delete yet sends nothing."""
    make_place(db, person)
    db.session.commit()
    actions.login(person)
    response = actions.post(URL, {"send_code": "1", "agree": "y"})
    assert response.status_code == 200 and "暂时不能注销" in text(response)
    assert sms.outbox == []


def test_item4_a_collector_asks_the_operators_once(client, db, actions, sms, person):
    """Review finding 4: the collector (only the operators can end it) is told what to do and can ask; asked once,
    the page says when."""
    make_org(db, collector=person, name="高二(3)班")
    db.session.commit()
    actions.login(person)
    body = text(client.get(URL))
    assert "高二(3)班的采集员" in body and "提交注销申请" in body and 'id="delete-account"' not in body
    for _ in range(2):
        response = actions.post(URL, {"request_deletion": "1"})
        assert response.status_code == 303 and location_path(response) == URL
    assert count(db, Feedback, Feedback.person_id == person.id) == 1
    body = text(client.get(URL))
    assert "您已于" in body and "提交注销申请" in body and 'name="request_deletion"' not in body
    assert db.session.get(Person, person.id) is not None and sms.outbox == []


@pytest.mark.parametrize(("data", "field", "message"), [
    ({}, "code", "请输入6位数字验证码"),
    ({"code": "12ab56", "agree": "y"}, "code", "请输入6位数字验证码"),
    ({"code": "1" * 500, "agree": "y"}, "code", "请输入6位数字验证码"),
    ({"code": "123456"}, "agree", CONFIRM_REQUIRED),
    ({"code": "123456", "agree": "y"}, "code", NOT_SENT),  # no code was asked for
])
def test_item5_bad_or_missing_input_is_a_message_beside_the_field(client, db, actions, sms, person, data, field,
                                                                  message):
    actions.login(person)
    response = actions.post(URL, data)
    assert response.status_code == 200
    body = text(response)
    assert f'<p class="field-error" id="{field}-error">{message}</p>' in body
    assert ticked(body) == ("agree" in data)  # nothing typed is lost, nothing added
    assert db.session.get(Person, person.id) is not None


def test_item5_a_wrong_or_expired_code_is_said_beside_it_and_nothing_goes(client, db, actions, sms, person, clock):
    actions.login(person)
    code = send_code(actions, sms)
    response = actions.post(URL, {"code": wrong(code), "agree": "y"})
    body = text(response)
    assert response.status_code == 200 and "验证码错误，还可尝试4次" in body
    assert ticked(body)  # the tick is kept
    clock(app_clock.now().replace(tzinfo=None) + timedelta(minutes=6))
    response = actions.post(URL, {"code": code, "agree": "y"})
    assert response.status_code == 200 and "验证码已过期，请重新获取" in text(response)
    assert db.session.get(Person, person.id) is not None


def test_item5_the_logins_send_limits_apply_and_say_so_beside_the_code(client, db, actions, sms, person):
    actions.login(person)
    send_code(actions, sms)
    response = actions.post(URL, {"send_code": "1", "agree": "y"})
    body = text(response)
    assert response.status_code == 200 and "验证码发送过于频繁" in body and 'id="code-error"' in body
    assert len(sms.outbox) == 1 and ticked(body)


def test_item5_no_phone_and_no_csrf_are_never_a_500(client, db, actions, sms):
    someone = make_person(db, "无手机")
    db.session.commit()
    actions.login(someone)
    response = actions.post(URL, {"send_code": "1"})
    assert response.status_code == 200 and NO_PHONE in text(response) and sms.outbox == []
    assert client.post(URL, data={"code": "123456", "agree": "y"}).status_code == 400  # no CSRF token
    assert db.session.get(Person, someone.id) is not None


def test_item2_confirmed_everything_goes_everywhere_logged_out_and_a_new_login_is_someone_new(
        app, client, db, actions, sms):
    w = build(db, 2)
    pid, number = w.person.id, w.person.id_number
    other_device = app.test_client()
    sign_in(other_device, pid)
    actions.login(w.person)
    code = send_code(actions, sms)
    response = actions.post(URL, {"code": code, "agree": "y"})
    assert response.status_code == 303 and location_path(response) == "/account/deleted"
    done = client.get("/account/deleted")
    assert_whole_page(done)
    assert "您的账号已注销" in text(done)
    db.session.expire_all()
    assert count(db, Person, Person.id == pid) == 0 and count(db, LoginSession) == 0
    for device in (client, other_device):  # logged out on every device
        assert location_path(device.get("/me")) == "/auth/login"
    # logging in again with the same 证件: a new person, nothing of the old
    response = actions.post("/auth/login", {"name": NAME, "id_type": "id_card", "id_number": number, "phone": PHONE})
    assert response.status_code == 303, text(response)
    assert actions.post("/auth/verify", {"code": sms.last_code(PHONE)}).status_code == 303
    fresh = db.session.scalar(select(Person).where(Person.name == NAME))
    assert fresh is not None and fresh.id != pid
    assert count(db, Declaration, Declaration.person_id == fresh.id) == 0
    assert count(db, PersonalDeclaration, PersonalDeclaration.person_id == fresh.id) == 0
    assert count(db, FamilyMember, (FamilyMember.owner_id == fresh.id) | (FamilyMember.member_id == fresh.id)) == 0
    body = text(client.get(URL))
    assert "司徒小宝" not in body and "您没有添加家庭成员" in body


def test_item5_a_second_tap_is_harmless(client, db, actions, sms, person):
    """Both taps carry the same cookie; the second arrives after the first deleted everything: a clear page."""
    declare_scene = make_person(db, "别人")  # someone else, untouched
    db.session.commit()
    actions.login(person)
    code = send_code(actions, sms)
    with client.session_transaction() as cookie:
        saved = dict(cookie)
    csrf = actions.csrf()
    first = client.post(URL, data={"csrf_token": csrf, "code": code, "agree": "y"})
    assert first.status_code == 303
    with client.session_transaction() as cookie:
        cookie.update(saved)
    second = client.post(URL, data={"csrf_token": csrf, "code": code, "agree": "y"})
    assert second.status_code in (302, 303, 404)
    assert location_path(second) in ("/auth/login", "/account/deleted")
    assert client.get("/account/deleted").status_code == 200
    assert db.session.get(Person, declare_scene.id) is not None


def test_item5_a_tap_that_waited_for_the_first_finds_nobody_and_says_so(client, db, actions, sms, person,
                                                                       monkeypatch):
    """The race itself: the second tap was logged in when it began, and the first deleted everything while it waited
    for the person's row: it answers the 账号已注销 page."""
    from yks_web.blueprints import account as account_screens
    from yks_web.services import account_deletion

    actions.login(person)
    code = send_code(actions, sms)
    real_lock = account_screens.lock_row

    def first_tap_wins(session, model, row_id):
        account_deletion.delete_account(session, session.get(Person, row_id), app_clock.utcnow())
        real_lock(session, model, row_id)

    monkeypatch.setattr(account_screens, "lock_row", first_tap_wins)
    response = actions.post(URL, {"code": code, "agree": "y"})
    assert response.status_code == 303 and location_path(response) == "/account/deleted"


def test_item2_what_someone_else_holds_stays_and_names_nobody(client, db, actions, sms, scene):
    """A 代填人's declaration for someone else stays, signed 已注销用户, as the collector sees it."""
    proxy = make_person(db, NAME, phone=PHONE)
    member = scene.members[0]
    declare(db, scene.org, member, app_clock.today(), actor=proxy, source="proxy")
    make_family_link(db, proxy, member)
    db.session.commit()
    actions.login(proxy)
    code = send_code(actions, sms)
    assert actions.post(URL, {"code": code, "agree": "y"}).status_code == 303
    kept = db.session.scalar(select(Declaration).where(Declaration.person_id == member.id))
    assert kept.actor.name == DELETED_NAME
    actions.login(scene.collector)
    page = text(client.get(f"/workbench/day/{app_clock.today().isoformat()}"))
    assert NAME not in page

"""实名认证 screens (SPEC I1–I4): SMS login, refusals, 个人中心 logout, coming back to `next`."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from tests.blueprints.support import count, location, location_path, query_param, text
from tests.conftest import sign_in
from tests.factories import id_number, make_person, register_identity
from yks_web.models import Feedback, Person, SmsChallenge
from yks_web.models.realname import RealNameRecord
from yks_web.privacy import lookup_hash
from yks_web.services.realname import NO_PHONE, PHONE_MISMATCH
from yks_web.services.sms import IP_PER_HOUR

PHONE = "13800138000"


def login_data(name: str, number: str, phone: str = PHONE, next_url: str = "", id_type: str = "id_card") -> dict:
    return {"name": name, "id_type": id_type, "id_number": number, "phone": phone, "next": next_url}


def known(db, name: str = "黄恺", phone: str = PHONE) -> str:
    """A 证件 number the real-name source holds under `name` with `phone` (issue 8 item 1): only those log in."""
    number = id_number()
    register_identity(db, name, number, phone=phone)
    db.session.commit()
    return number


def wrong(code: str) -> str:
    return "000000" if code != "000000" else "111111"


def test_i3_login_page_offers_the_guide_methods(client):
    """I3: 微信支付密码认证 and 人脸识别认证 are shown disabled with the guide's hints; SMS is the way in."""
    page = text(client.get("/auth/login"))
    assert "选择认证方式" in page
    assert page.count('aria-disabled="true"') == 2
    assert "微信支付密码认证" in page and "人脸识别认证" in page
    assert "系统未包含该身份信息" in page
    assert "获取验证码" in page


def test_i3_i4_full_login_with_the_sms_code(client, db, actions, sms):
    """I3/I4: 姓名 + 证件 + 手机号 → 6-digit code → logged in; a new person gets the verified phone."""
    number = known(db)
    response = actions.post("/auth/login", login_data("黄恺", number))
    assert response.status_code == 303
    assert location_path(response) == "/auth/verify"
    assert [to for to, _ in sms.outbox] == [PHONE]
    code = sms.last_code(PHONE)
    assert len(code) == 6 and code.isdigit()

    verify = text(client.get("/auth/verify"))
    assert "138****8000" in verify and PHONE not in verify
    assert code not in verify  # only a development server shows the code

    response = actions.post("/auth/verify", {"code": code})
    assert response.status_code == 303
    assert location(response) == "/"

    me = text(client.get("/me"))
    assert "黄恺" in me
    assert number in me  # the person themself sees the whole number (P6)
    db.session.expire_all()
    person = db.session.scalar(db.select(Person).where(Person.name == "黄恺"))
    assert person.phone == PHONE
    assert person.phone_hash == lookup_hash("phone", PHONE)


def test_i3_wrong_code_is_refused_with_tries_left(client, db, actions, sms):
    """I3: a wrong code is refused beside the field, the try counts, nobody is logged in."""
    actions.post("/auth/login", login_data("黄恺", id_number()))
    response = actions.post("/auth/verify", {"code": wrong(sms.last_code(PHONE))})
    assert response.status_code == 200
    assert "验证码错误，还可尝试4次" in text(response)
    db.session.expire_all()
    assert db.session.scalar(db.select(SmsChallenge.tries)) == 1
    assert client.get("/me").status_code == 302


def test_i3_code_is_not_a_number(client, actions, sms):
    actions.post("/auth/login", login_data("黄恺", id_number()))
    response = actions.post("/auth/verify", {"code": "12ab"})
    assert response.status_code == 200
    assert "请输入6位数字验证码" in text(response)


def test_i3_sixth_try_is_refused_even_with_the_right_code(client, actions, sms):
    """I3: at most 5 tries per code."""
    actions.post("/auth/login", login_data("黄恺", id_number()))
    code = sms.last_code(PHONE)
    for _ in range(5):
        actions.post("/auth/verify", {"code": wrong(code)})
    response = actions.post("/auth/verify", {"code": code})
    assert "验证码错误次数过多，请重新获取" in text(response)
    assert client.get("/me").status_code == 302


def test_i3_expired_code_is_refused(client, actions, sms, clock):
    """I3: codes expire after 5 minutes."""
    from datetime import datetime

    actions.post("/auth/login", login_data("黄恺", id_number()))
    clock(datetime(2026, 11, 20, 9, 5, 1))
    response = actions.post("/auth/verify", {"code": sms.last_code(PHONE)})
    assert "验证码已过期，请重新获取" in text(response)


def test_i3_sending_is_rate_limited_per_phone(client, actions, sms):
    """I3: a second code to the same phone within a minute is refused."""
    number = id_number()
    actions.post("/auth/login", login_data("黄恺", number))
    response = actions.post("/auth/login", login_data("黄恺", number))
    assert response.status_code == 200
    assert "验证码发送过于频繁" in text(response)
    assert len(sms.outbox) == 1


def test_i3_sending_is_rate_limited_per_address(client, actions, sms):
    """I3: one address may ask for at most IP_PER_HOUR codes an hour, whatever the phones."""
    for i in range(IP_PER_HOUR):
        response = actions.post("/auth/login", login_data("黄恺", id_number(), phone=f"1380000{i:04d}"))
        assert response.status_code == 303
    response = actions.post("/auth/login", login_data("黄恺", id_number(), phone="13900000000"))
    assert response.status_code == 200
    assert "获取验证码次数过多，请稍后再试" in text(response)
    assert len(sms.outbox) == IP_PER_HOUR


def test_i1a_known_number_with_another_name_is_refused(client, db, actions, sms):
    """I1a: (证件类型, 证件号码) is the person; another name is refused, never a second person.

    The refusal comes once the code is proved (issue 8 item 3: no identity oracle before it).
    """
    number = id_number()
    make_person(db, "黄恺", number=number)
    db.session.commit()
    response = actions.post("/auth/login", login_data("黄小恺", number))
    assert response.status_code == 303
    response = actions.post("/auth/verify", {"code": sms.last_code(PHONE)})
    assert response.status_code == 200
    assert "证件号码与姓名不一致，请核对后重新填写" in text(response)
    assert count(db, Person) == 1
    assert client.get("/me").status_code == 302


def test_i3_phone_other_than_the_one_the_source_holds_is_refused(client, db, actions, sms):
    """I3, I6: someone who knows a name and number cannot log in with their own phone (told once the code is
    proved), and nothing about the person changes."""
    number = id_number()
    make_person(db, "黄恺", number=number, phone="13800000001")
    db.session.commit()
    response = actions.post("/auth/login", login_data("黄恺", number, phone="13900000002"))
    assert response.status_code == 303
    response = actions.post("/auth/verify", {"code": sms.last_code("13900000002")})
    assert response.status_code == 200
    assert PHONE_MISMATCH in text(response)
    assert client.get("/me").status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(Person.phone)) == "13800000001"


def test_i6_a_record_without_a_phone_never_logs_in_by_sms(client, db, actions, sms):
    """Issue 8 item 1: whoever typed name + number first must not bind their own phone to a 证件 whose
    real-name record holds none (the person stays free to log in once the source has their phone)."""
    number = known(db, phone=None)
    response = actions.post("/auth/login", login_data("黄恺", number, phone="13900000002"))
    assert response.status_code == 303
    response = actions.post("/auth/verify", {"code": sms.last_code("13900000002")})
    assert response.status_code == 200 and NO_PHONE in text(response)
    assert count(db, Person) == 0
    assert client.get("/me").status_code == 302


def test_i6_a_phone_changed_at_the_source_is_bound_and_ends_the_old_phones_sessions(app, client, db, actions, sms):
    """Issue 8 item 1: the source decides the phone. A person who changed numbers logs in with the new one;
    every session opened with the old one ends (whoever holds the old number now)."""
    number = id_number()
    person = make_person(db, "黄恺", number=number, phone="13800000001")
    db.session.commit()
    old_phone = app.test_client()
    sign_in(old_phone, person.id)
    assert old_phone.get("/me").status_code == 200
    record = db.session.scalar(select(RealNameRecord))
    record.phone_hash = lookup_hash("phone", PHONE)
    db.session.commit()
    actions.post("/auth/login", login_data("黄恺", number))
    response = actions.post("/auth/verify", {"code": sms.last_code(PHONE)})
    assert response.status_code == 303
    assert client.get("/me").status_code == 200
    assert old_phone.get("/me").status_code == 302
    db.session.expire_all()
    assert db.session.get(Person, person.id).phone == PHONE


def test_i3_registered_phone_logs_the_known_person_in(client, db, actions, sms):
    number = id_number()
    person = make_person(db, "黄恺", number=number, phone="13800000001")
    db.session.commit()
    actions.post("/auth/login", login_data("黄恺", number, phone="13800000001"))
    actions.post("/auth/verify", {"code": sms.last_code("13800000001")})
    assert count(db, Person) == 1
    with client.session_transaction() as session:
        assert session["_user_id"] == str(person.id)


def test_i4_logout_from_the_personal_centre(client, db, actions):
    """I4: 个人中心 → 退出登录 ends the session."""
    person = make_person(db, "黄恺")
    db.session.commit()
    actions.login(person)
    me = text(client.get("/me"))
    assert "个人中心" in me and "退出登录" in me
    response = actions.post("/auth/logout")
    assert response.status_code == 303
    assert location(response) == "/"
    assert "已退出登录" in text(client.get("/"))
    response = client.get("/me")
    assert response.status_code == 302
    assert location_path(response) == "/auth/login"


def test_i4_login_comes_back_to_next(client, db, actions, sms, scene):
    """S1/I4: an invite opened before login leads to 实名认证 and back to the invite."""
    response = client.get(f"/invite/{scene.token}")
    assert response.status_code == 302
    assert location_path(response) == "/auth/login"
    next_url = query_param(response, "next")
    assert next_url == f"/invite/{scene.token}"
    login_page = text(client.get(location(response)))
    assert f'name="next" value="{next_url}"' in login_page

    actions.post("/auth/login", login_data("黄恺", known(db), next_url=next_url))
    response = actions.post("/auth/verify", {"code": sms.last_code(PHONE)})
    assert response.status_code == 303
    assert location(response) == next_url
    assert "填报方式" in text(client.get(next_url))


def test_i4_logged_in_login_page_goes_to_next(client, db, actions):
    person = make_person(db, "黄恺")
    db.session.commit()
    actions.login(person)
    response = client.get("/auth/login?next=/declare/")
    assert response.status_code == 302
    assert location(response) == "/declare/"


@pytest.mark.parametrize(
    "evil",
    ["//evil.com", "https://evil.com/x", "http:evil.com", "/\t/evil.com", "/\\evil.com", "\\\\evil.com"],
)
def test_i4_open_redirect_next_is_not_followed(client, db, actions, sms, evil):
    """I4: `next` only ever leads to a path of this site (no open redirect)."""
    actions.post("/auth/login", login_data("黄恺", known(db), next_url=evil))
    response = actions.post("/auth/verify", {"code": sms.last_code(PHONE)})
    assert response.status_code == 303
    # Read the header as a browser would: "\\" counts as "/", tabs and newlines are dropped.
    seen = re.sub(r"[\t\r\n]", "", response.headers["Location"]).replace("\\", "/")
    assert seen.startswith("/") and not seen.startswith("//")
    assert urlsplit(seen).netloc == ""


def test_verify_without_a_pending_code_goes_back_to_login(client):
    response = client.get("/auth/verify")
    assert response.status_code == 302
    assert location_path(response) == "/auth/login"


def test_i1a_nobody_is_created_or_squatted_before_the_code_is_proved(client, db, actions, sms):
    """I1a: asking for a code with someone's number and a wrong name writes no person; they still log in."""
    number = known(db)
    actions.post("/auth/login", login_data("冒名者", number, phone="13900000009"))
    assert count(db, Person) == 0
    actions.logout()
    actions.post("/auth/login", login_data("黄恺", number))
    response = actions.post("/auth/verify", {"code": sms.last_code(PHONE)})
    assert response.status_code == 303
    db.session.expire_all()
    person = db.session.scalar(select(Person))
    assert person.name == "黄恺" and person.phone == PHONE


def test_i4_backslash_next_is_not_followed(client, db, actions, sms):
    actions.post("/auth/login", login_data("黄恺", known(db), next_url="/\\evil.com"))
    response = actions.post("/auth/verify", {"code": sms.last_code(PHONE)})
    assert location(response) == "/"


def test_help_and_feedback_from_the_personal_centre(client, db, actions):
    """帮助与反馈 (guide FAQ 18): the FAQs, and feedback that is kept; empty feedback is refused."""
    person = make_person(db, "黄恺")
    db.session.commit()
    actions.login(person)
    assert 'href="/help"' in text(client.get("/me"))
    page = text(client.get("/help"))
    assert "常见问题" in page and "提交失败如何处理" in page
    assert "请填写反馈内容" in text(actions.post("/help", {"text": "  "}))
    assert actions.post("/help", {"text": "验证码收不到"}).status_code == 303
    assert db.session.scalar(select(Feedback.text)) == "验证码收不到"

"""实名认证 by the real-name source, third parties' claims, no identity oracle (SPEC I6, I1a, I3; issue 8 items
1, 3 and 10): screens, the operator's page and `flask yks realname …`."""

from __future__ import annotations

import itertools
import re
from datetime import date

import pytest
from sqlalchemy import select

from tests.blueprints.support import TODAY, count, location, location_path, text
from tests.factories import id_number, make_person, register_identity
from yks_web.models import Membership, Person, ProxyBinding, SmsChallenge
from yks_web.models.realname import RealNameRecord
from yks_web.models.security import RateEvent
from yks_web.models.sessions import LoginSession
from yks_web.privacy import lookup_hash
from yks_web.services.identity import (
    LOOKUP_TOO_MANY,
    LOOKUPS_PER_ACCOUNT,
    LOOKUPS_PER_ADDRESS,
    NAME_INVISIBLE,
    build_id_card_number,
)
from yks_web.services.identity import count_lookup as count_lookup_service

DAY = f"/workbench/day/{TODAY.isoformat()}"
WRONG = "冒名者"
NOTE = f"您填写的姓名“{WRONG}”与实名认证不一致"
_ADULTS = itertools.count(700)
_CSRF = re.compile(r'("X-CSRFToken": "|name="csrf_token"[^>]*value=")[^"]+')


def true_person(db, name: str = "黄小明", phone: str = "13700000001") -> str:
    """An adult the real-name source holds (with the phone sms_login uses) but the app has never seen."""
    number = build_id_card_number("440106", date(1980, 5, 6), next(_ADULTS))
    register_identity(db, name, number, phone=phone)
    db.session.commit()
    return number


def sms_login(actions, sms, name: str, number: str, phone: str = "13700000001", **kw):
    """实名认证 as that person: 姓名 + 证件 + 手机号, then the code. Returns the verify response."""
    actions.logout()
    response = actions.post("/auth/login", {"name": name, "id_type": "id_card", "id_number": number,
                                            "phone": phone, "next": ""}, **kw)
    assert response.status_code == 303
    return actions.post("/auth/verify", {"code": sms.last_code(phone)}, **kw)


def assert_true_name_logs_in(db, client, actions, sms, name: str, number: str) -> Person:
    response = sms_login(actions, sms, name, number)
    assert response.status_code == 303, text(response)
    assert name in text(client.get("/me"))
    db.session.expire_all()
    person = db.session.scalar(select(Person).where(Person.id_hash == lookup_hash("id_card", number)))
    assert person.name == name and person.name_verified_at is not None
    assert count(db, Person, Person.id_hash == lookup_hash("id_card", number)) == 1
    return person


# --- item 1: nothing a third party types stops the true name ---------------------------------------------


def test_i6_proxy_wrong_name_does_not_stop_the_true_login_and_the_binder_is_told(client, db, actions, sms, scene):
    number = true_person(db)
    parent = make_person(db, "家长")
    db.session.commit()
    actions.login(parent)
    url = f"/declare/org/{scene.org_id}/proxy"
    assert actions.post(url, {"t": scene.token, "name": WRONG, "id_type": "id_card", "id_number": number}
                        ).status_code == 303
    assert WRONG in text(client.get(f"{url}/confirm?t={scene.token}"))
    assert actions.post(f"{url}/confirm", {"t": scene.token}).status_code == 303
    assert db.session.scalar(select(ProxyBinding.typed_name)) == WRONG
    assert "系统未包含该身份信息" not in text(client.get("/declare/declarants"))

    assert_true_name_logs_in(db, client, actions, sms, "黄小明", number)

    actions.login(parent)
    page = text(client.get("/declare/declarants"))
    assert "黄小明" in page and NOTE in page


def test_i6_family_owner_wrong_name_does_not_stop_the_true_login(client, db, actions, sms):
    number = build_id_card_number("440106", date(1970, 1, 2), 901)  # an adult: a minor needs a guardian (I7)
    register_identity(db, "陈大文", number, phone="13700000001")
    owner = make_person(db, "陈丽")
    db.session.commit()
    actions.login(owner)
    response = actions.post("/family/add", {"name": WRONG, "id_type": "id_card", "id_number": number,
                                            "relation": "其他"})
    assert response.status_code == 303, text(response)
    assert count(db, Person, Person.name == WRONG) == 1

    assert_true_name_logs_in(db, client, actions, sms, "陈大文", number)


def test_i6_collector_manual_add_wrong_name_does_not_stop_the_true_login(client, db, actions, sms, scene):
    number = true_person(db)
    actions.login(scene.collector)
    response = actions.post("/workbench/members/add", {"name": WRONG, "id_type": "id_card", "id_number": number})
    assert response.status_code == 303
    assert db.session.scalar(select(Membership.typed_name).where(Membership.joined_via == "manual")) == WRONG
    assert NOTE not in text(client.get("/workbench/members"))  # not verified yet: nothing to tell

    assert_true_name_logs_in(db, client, actions, sms, "黄小明", number)

    actions.login(scene.collector)
    page = text(client.get("/workbench/members"))
    assert "黄小明" in page and NOTE in page


def test_i6_collector_proxy_new_wrong_name_does_not_stop_the_true_login(client, db, actions, sms, scene):
    number = true_person(db)
    actions.login(scene.collector)
    response = actions.post(f"{DAY}/proxy-new", {"name": WRONG, "id_type": "id_card", "id_number": number})
    assert response.status_code == 303

    assert_true_name_logs_in(db, client, actions, sms, "黄小明", number)

    actions.login(scene.collector)
    assert NOTE in text(client.get("/workbench/members"))


def test_i6_operator_cli_wrong_name_does_not_stop_the_true_login(app, client, db, actions, sms):
    number = true_person(db, "王运营")
    result = app.test_cli_runner().invoke(args=["yks", "make-operator", "--name", WRONG, "--id-number", number])
    assert result.exit_code == 0, result.output

    person = assert_true_name_logs_in(db, client, actions, sms, "王运营", number)
    assert person.is_operator


def test_i1a_after_verification_a_wrong_name_is_refused_and_the_look_up_counted(client, db, actions, scene):
    member = scene.members[0]
    actions.login(scene.collector)
    response = actions.post("/workbench/members/add", {"name": WRONG, "id_type": "id_card",
                                                       "id_number": member.id_number})
    assert response.status_code == 200
    assert "证件号码与姓名不一致，请核对后重新填写" in text(response)
    assert count(db, RateEvent) == 2  # per account and per address, kept though refused


def test_i6_a_second_binder_never_sees_the_first_binders_claim(client, db, actions, scene):
    """Before the person logs in, each proxy sees the name they typed, never another proxy's (issue 8 item 1)."""
    number = id_number()
    first, second = make_person(db, "父亲"), make_person(db, "母亲")
    db.session.commit()
    url = f"/declare/org/{scene.org_id}/proxy"
    for proxy, name in ((first, "张三"), (second, "李四")):
        actions.login(proxy)
        response = actions.post(url, {"t": scene.token, "name": name, "id_type": "id_card", "id_number": number})
        assert response.status_code == 303
        confirm = text(client.get(f"{url}/confirm?t={scene.token}"))
        assert name in confirm
        if proxy is second:
            assert "张三" not in confirm
        actions.post(f"{url}/confirm", {"t": scene.token})
    page = text(client.get("/declare/declarants"))
    assert "李四" in page and "张三" not in page and "不一致" not in page


def test_i6_unknown_identity_is_refused_after_the_code_with_the_guides_words(client, db, actions, sms):
    response = sms_login(actions, sms, "黄恺", id_number())
    assert response.status_code == 200
    assert "系统未包含该身份信息" in text(response)
    assert count(db, Person) == 0
    assert client.get("/me").status_code == 302


# --- item 3: no identity oracle before the code; look-ups are limited -------------------------------------


def _normalised(response) -> tuple:
    body = _CSRF.sub(r"\1CSRF", text(response))
    return response.status_code, response.headers.get("Location"), re.sub(r"1\d\d\*{4}\d{4}", "PHONE", body)


def test_item3_300_anonymous_logins_answer_alike_whoever_the_number_is(client, db, actions, sms):
    """Known, unknown, mis-named and other-phone 证件: the same status, redirect and page (300 of them)."""
    numbers = [id_number() for _ in range(3)]
    make_person(db, "黄恺", numbers[0])
    make_person(db, "黄恺", numbers[1], phone="13800000001")
    register_identity(db, "李明", numbers[2])
    db.session.commit()
    cases = [("黄恺", numbers[0]), ("黄凯", numbers[0]), ("黄恺", numbers[1]), ("李明", numbers[2]),
             ("无此人", None)]
    answers, pages = set(), set()
    for i in range(300):
        name, number = cases[i % len(cases)]
        actions.logout()
        environ = {"REMOTE_ADDR": f"10.1.{i // 250}.{i % 250}"}
        response = actions.post("/auth/login", {
            "name": name, "id_type": "id_card", "id_number": number or id_number(), "phone": f"139{i:08d}",
            "next": ""}, environ_base=environ)
        answers.add(_normalised(response))
        if i < 25:
            pages.add(_normalised(client.get("/auth/verify", environ_base=environ)))
    assert len(answers) == 1 and next(iter(answers))[:2] == (303, "/auth/verify")
    assert len(pages) == 1
    assert len(sms.outbox) == 300 and count(db, SmsChallenge) == 300
    assert count(db, Person) == 2  # nobody created or renamed before a code is proved


def test_item3_third_party_look_ups_are_limited_per_account(client, db, actions, scene):
    actions.login(scene.collector)
    for _ in range(LOOKUPS_PER_ACCOUNT.count):
        response = actions.post("/workbench/members/add", {"name": "新同学", "id_type": "id_card",
                                                           "id_number": id_number()})
        assert response.status_code == 303
    before = count(db, Person)
    response = actions.post("/workbench/members/add", {"name": "新同学", "id_type": "id_card",
                                                       "id_number": id_number()})
    assert response.status_code == 200
    page = text(response)
    assert LOOKUP_TOO_MANY in page and 'class="field-error"' in page
    assert 'value="新同学"' in page  # nothing typed is lost
    assert count(db, Person) == before


def test_item3_third_party_look_ups_are_limited_per_address(client, db, actions, scene):
    """Many accounts behind one address: the address's limit holds for the proxy path too."""
    from yks_web import clock

    for actor in range(LOOKUPS_PER_ADDRESS.count):
        count_lookup_service(db.session, actor_id=10_000 + actor, ip="127.0.0.1", utc_now=clock.utcnow())
    parent = make_person(db, "家长")
    db.session.commit()
    actions.login(parent)
    response = actions.post(f"/declare/org/{scene.org_id}/proxy",
                            {"t": scene.token, "name": "黄小明", "id_type": "id_card", "id_number": id_number()})
    assert response.status_code == 200
    assert LOOKUP_TOO_MANY in text(response)
    assert count(db, ProxyBinding) == 0


# --- item 10: names in the forms ----------------------------------------------------------------------------


# (A NUL never reaches a form: errors.py answers 400 for it; validate_name refuses it too, tests/services.)
@pytest.mark.parametrize("name", ["黄\u202e恺", "黄\u200b恺", "黄\u2066恺", "黄\t恺"])
def test_item10_invisible_characters_in_a_typed_name_are_refused_beside_the_field(client, db, actions, scene, name):
    parent = make_person(db, "家长")
    db.session.commit()
    before = count(db, Person)
    actions.login(parent)
    response = actions.post(f"/declare/org/{scene.org_id}/proxy",
                            {"t": scene.token, "name": name, "id_type": "id_card", "id_number": id_number()})
    assert response.status_code == 200
    assert NAME_INVISIBLE in text(response)
    assert count(db, Person) == before
    response = actions.post("/auth/login", {"name": name, "id_type": "id_card", "id_number": id_number(),
                                            "phone": "13700000009"})
    assert NAME_INVISIBLE in text(response)


# --- the operator's page --------------------------------------------------------------------------------------


@pytest.fixture
def operator(db) -> Person:
    person = make_person(db, "王运营", is_operator=True)
    db.session.commit()
    return person


def test_i6_operator_page_sets_lists_and_removes_records(client, db, actions, sms, operator):
    actions.login(operator)
    page = text(client.get("/operator/"))
    assert 'href="/operator/realname"' in page
    page = text(client.get("/operator/realname"))
    assert "实名信息管理" in page and "户籍户号" in page
    number = id_number()
    response = actions.post("/operator/realname", {
        "name": "黄小明", "id_type": "id_card", "id_number": number, "phone": "13700000001",
        "household": "440106012345", "father_id_type": "id_card", "mother_id_type": "id_card"})
    assert response.status_code == 303 and location(response) == "/operator/realname"
    page = text(client.get("/operator/realname"))
    assert "黄小明" in page and number not in page and f"{number[:2]}**************{number[-2:]}" in page
    assert "137****0001" in page and "共2条" in page  # the operator's own record and the new one

    person = assert_true_name_logs_in(db, client, actions, sms, "黄小明", number)
    assert count(db, LoginSession, LoginSession.person_id == person.id) == 1

    actions.login(operator)
    record = db.session.scalar(select(RealNameRecord).where(RealNameRecord.name == "黄小明"))
    assert actions.post(f"/operator/realname/{record.id}/remove").status_code == 303
    assert count(db, RealNameRecord) == 1
    # "该人员将不能再登录" holds at once: the sessions they had end with the record (review finding)
    assert count(db, LoginSession, LoginSession.person_id == person.id) == 0
    assert actions.post(f"/operator/realname/{record.id}/remove").status_code == 404


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "黄\u202e恺", NAME_INVISIBLE),
        ("household", "户号？", "户籍户号应为6–20位数字或字母"),
        ("phone", "123", "请填写11位中国大陆手机号"),
        ("father_id_number", "110105194912310021", "父母证件仅用于出生医学证明的记录"),
        ("birth_date", "1999-01-01", "出生日期与身份证号码中的出生日期不一致"),
    ],
)
def test_i6_operator_page_refuses_bad_values_beside_the_field(client, db, actions, operator, field, value, message):
    actions.login(operator)
    data = {"name": "黄小明", "id_type": "id_card", "id_number": id_number(), "father_id_type": "id_card",
            "mother_id_type": "id_card", field: value}
    response = actions.post("/operator/realname", data)
    assert response.status_code == 200
    page = text(response)
    assert message in page and 'class="field-error"' in page
    assert count(db, RealNameRecord) == 1  # the operator's own only


def test_i6_operator_page_is_a_page_or_a_fragment(client, db, actions, operator):
    actions.login(operator)
    assert "<html" in text(client.get("/operator/realname"))
    fragment = text(client.get("/operator/realname", headers={"HX-Request": "true"}))
    assert "<html" not in fragment and "实名记录" in fragment


def test_i6_operator_page_is_for_operators_only(client, db, actions):
    assert location_path(client.get("/operator/realname")) == "/auth/login"
    actions.login(make_person(db, "普通人"))
    db.session.commit()
    assert client.get("/operator/realname").status_code in (403, 404)
    response = actions.post("/operator/realname", {"name": "黄小明", "id_type": "id_card", "id_number": id_number()})
    assert response.status_code in (403, 404)
    assert count(db, RealNameRecord) == 1  # only the visitor's own record (make_person)


# --- `flask yks realname …` -----------------------------------------------------------------------------------


def test_i6_cli_sets_lists_and_removes_records(app, db):
    runner = app.test_cli_runner()
    number, mother = id_number(), id_number()
    result = runner.invoke(args=["yks", "realname", "set", "--name", "黄小明", "--id-number", number,
                                 "--household", "440106012345", "--phone", "13700000001"])
    assert result.exit_code == 0, result.output
    assert "已登记：黄小明 内地居民身份证" in result.output and number not in result.output
    result = runner.invoke(args=["yks", "realname", "set", "--name", "黄小宝", "--id-type", "birth_cert",
                                 "--id-number", "o440012345", "--birth-date", "2022-03-03",
                                 "--mother-id-number", mother])
    assert result.exit_code == 0, result.output
    baby = db.session.scalar(select(RealNameRecord).where(RealNameRecord.id_type == "birth_cert"))
    assert baby.mother_hash == lookup_hash("id_card", mother) and baby.birth_date == date(2022, 3, 3)

    listing = runner.invoke(args=["yks", "realname", "list"]).output
    assert "共2条实名记录" in listing and "黄小明" in listing and "户号" in listing and "137****0001" in listing
    assert number not in listing and "出生医学证明登记了父母" in listing

    result = runner.invoke(args=["yks", "realname", "remove", "--id-number", number])
    assert result.exit_code == 0 and count(db, RealNameRecord) == 1
    again = runner.invoke(args=["yks", "realname", "remove", "--id-number", number])
    assert again.exit_code == 2 and "没有该证件的实名记录" in again.output


def test_i6_cli_refuses_bad_values(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["yks", "realname", "set", "--name", "黄\u200b恺", "--id-number", id_number()])
    assert result.exit_code == 2 and NAME_INVISIBLE in result.output
    result = runner.invoke(args=["yks", "realname", "set", "--name", "黄恺", "--id-number", "123"])
    assert result.exit_code == 2 and "身份证号码应为18位" in result.output
    assert count(db, RealNameRecord) == 0

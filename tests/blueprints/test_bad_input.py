"""Bad input and other people's ids (SPEC Q2, P7, I2): a clear message or 404 (one status for "not yours", issue 8
item 12), never a 500, never stored."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from tests.blueprints.support import TODAY, count, form_key, location_path, text
from tests.factories import (
    bind,
    declare,
    form_answers,
    id_number,
    make_org,
    make_person,
    make_school,
    register_identity,
)
from yks_web import clock as app_clock
from yks_web.models import (
    AuditLog,
    Collector,
    Declaration,
    Membership,
    Person,
    ProxyBinding,
    SmsChallenge,
)
from yks_web.services import invites
from yks_web.services.membership import join

DAY = f"/workbench/day/{TODAY.isoformat()}"


def bad_check_digit(number: str) -> str:
    last = number[-1]
    return number[:-1] + ("0" if last != "0" else "1")


# I2 identity input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "id_type", "number", "message"),
    [
        ("黄恺", "id_card", "bad-check-digit", "身份证号码校验位不正确，请核对"),
        ("黄恺", "id_card", "44010620001301001X", "身份证号码中的出生日期无效"),
        ("黄恺", "id_card", "4401062000", "身份证号码应为18位"),
        ("黄恺", "id_card", "", "请填写证件号码"),
        ("", "id_card", "valid", "请填写姓名"),
        ("   ", "id_card", "valid", "请填写姓名"),
        ("名" * 31, "id_card", "valid", "姓名不能超过30个字"),
        ("黄恺", "", "valid", "请选择证件类型"),
        ("黄恺", "driving_licence", "valid", None),  # a forged choice
        ("Tom", "passport", "E1", "护照号码应为5–17位字母或数字"),
        ("陈大文", "hk_macau", "X12345678", "港澳居民来往内地通行证号码应为H或M开头"),
        ("林小美", "taiwan", "1234", "台湾居民来往内地通行证号码应为8或10位数字"),
        ("婴儿", "birth_cert", "1234567890", "出生医学证明编号应为1位字母加9位数字"),
    ],
)
def test_i2_login_identity_errors_beside_the_field(client, db, actions, sms, name, id_type, number, message):
    valid = id_number()
    number = {"valid": valid, "bad-check-digit": bad_check_digit(valid)}.get(number, number)
    response = actions.post("/auth/login", {"name": name, "id_type": id_type, "id_number": number,
                                            "phone": "13800138000"})
    assert response.status_code == 200
    page = text(response)
    assert message is None or message in page
    assert 'class="field-error"' in page
    assert count(db, Person) == 0
    assert sms.outbox == []


@pytest.mark.parametrize(("phone", "message"), [("", "请填写手机号"), ("12345", "请填写11位中国大陆手机号"),
                                                ("23800138000", "请填写11位中国大陆手机号")])
def test_i3_bad_phone(client, db, actions, sms, phone, message):
    response = actions.post("/auth/login", {"name": "黄恺", "id_type": "id_card", "id_number": id_number(),
                                            "phone": phone})
    assert message in text(response)
    assert count(db, SmsChallenge) == 0


def test_i2_other_document_types_are_accepted(client, db, actions, sms):
    """I1: 外国护照 and the other types log in by format (the real-name source holds this one, issue 8 item 1)."""
    register_identity(db, "Tom Lee", "E1234567", id_type="passport", phone="13800138000")
    db.session.commit()
    response = actions.post("/auth/login", {"name": "Tom Lee", "id_type": "passport", "id_number": "e1234567",
                                            "phone": "13800138000"})
    assert response.status_code == 303
    assert count(db, Person) == 0  # nobody is created before the code is proved
    actions.post("/auth/verify", {"code": sms.last_code("13800138000")})
    person = db.session.scalar(select(Person))
    assert (person.id_type, person.id_number) == ("passport", "E1234567")


def test_i2_proxy_identity_with_wrong_check_digit(client, db, actions, scene):
    parent = make_person(db, "家长")
    db.session.commit()
    actions.login(parent)
    before = count(db, Person)
    response = actions.post(f"/declare/org/{scene.org_id}/proxy", {
        "t": scene.token, "name": "黄小明", "id_type": "id_card", "id_number": bad_check_digit(id_number())})
    assert response.status_code == 200
    assert "身份证号码校验位不正确" in text(response)
    assert count(db, Person) == before
    assert count(db, ProxyBinding) == 0


def test_i1a_proxy_identity_with_another_name(client, db, actions, scene):
    parent = make_person(db, "家长")
    db.session.commit()
    actions.login(parent)
    child = scene.members[0]
    response = actions.post(f"/declare/org/{scene.org_id}/proxy", {
        "t": scene.token, "name": "别的名字", "id_type": "id_card", "id_number": child.id_number})
    assert response.status_code == 200
    assert "证件号码与姓名不一致" in text(response)
    assert count(db, ProxyBinding) == 0


def test_s4_proxy_cannot_bind_themself(client, db, actions, scene):
    parent = make_person(db, "家长")
    db.session.commit()
    actions.login(parent)
    response = actions.post(f"/declare/org/{scene.org_id}/proxy", {
        "t": scene.token, "name": parent.name, "id_type": "id_card", "id_number": parent.id_number})
    assert "不能为本人代填报" in text(response)
    assert count(db, ProxyBinding) == 0


@pytest.mark.parametrize("url", ["/workbench/members/add", f"{DAY}/proxy-new"])
def test_i2_collector_identity_forms_refuse_bad_numbers(client, db, actions, scene, url):
    actions.login(scene.collector)
    before = count(db, Person)
    response = actions.post(url, {"name": "", "id_type": "id_card", "id_number": bad_check_digit(id_number())})
    assert response.status_code == 200
    page = text(response)
    assert "请填写姓名" in page and "身份证号码校验位不正确" in page
    assert count(db, Person) == before
    assert count(db, Membership) == 3


@pytest.mark.parametrize("url", ["/workbench/members/add", f"{DAY}/proxy-new"])
def test_i1a_collector_identity_forms_refuse_another_name(client, db, actions, scene, url):
    actions.login(scene.collector)
    stranger = make_person(db, "外校学生")
    db.session.commit()
    response = actions.post(url, {"name": "冒名", "id_type": "id_card", "id_number": stranger.id_number})
    assert response.status_code == 200
    assert "证件号码与姓名不一致" in text(response)
    assert count(db, Membership, Membership.person_id == stranger.id) == 0


# §4 declaration form ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"temperature": "34.9"}, "体温应在35.0–42.0℃之间，请核对"),
        ({"temperature": "42.1"}, "体温应在35.0–42.0℃之间，请核对"),
        ({"temperature": "abc"}, "体温请填写数字，如 36.5"),
        ({"temperature": "NaN"}, "体温请保留一位小数"),
        ({"temperature": "36.55"}, "体温请保留一位小数"),
        ({"temperature": "", "temperature_band": ""}, "请填写当前体温，或选择体温区间"),
        ({"temperature": "", "temperature_band": "45℃"}, None),  # forged choices
        ({"remarks": "备" * 201}, "备注不能超过200个字"),
        ({"nationality": "中" * 51}, "不能超过50个字"),
        ({"location_city": ""}, "请填写当前所在城市"),
        ({"has_symptoms": ""}, "请选择是或否"),
        ({"has_symptoms": "maybe"}, None),
        ({"health_status": "很好"}, None),
    ],
)
def test_q2_declaration_form_bad_values_are_refused(client, db, actions, scene, overrides, message):
    member = scene.members[0]
    actions.login(member)
    url = f"/declare/org/{scene.org_id}/person/{member.id}"
    response = actions.post(url, form_answers(form_key=form_key(text(client.get(url))), **overrides))
    assert response.status_code == 200
    page = text(response)
    assert message is None or message in page
    assert 'class="field-error"' in page
    assert "重新提交" in page
    assert count(db, Declaration) == 0


def test_q2_temperature_band_instead_of_a_number_is_accepted(client, db, actions, scene):
    member = scene.members[0]
    actions.login(member)
    url = f"/declare/org/{scene.org_id}/person/{member.id}"
    response = actions.post(url, form_answers(form_key=form_key(text(client.get(url))), temperature="",
                                              temperature_band="37.3–38℃"))
    assert response.status_code == 303
    declaration = db.session.scalar(select(Declaration))
    assert (declaration.temperature, declaration.temperature_band) == (None, "37.3–38℃")


def test_q2_over_long_form_key_does_not_break_the_submit(client, db, actions, scene):
    member = scene.members[0]
    actions.login(member)
    url = f"/declare/org/{scene.org_id}/person/{member.id}"
    assert actions.post(url, form_answers(form_key="k" * 500)).status_code == 303
    assert count(db, Declaration) == 1


def test_q2_replayed_form_key_for_another_person_is_refused(client, db, actions, scene):
    """A form key replayed into someone else's form never overwrites or reveals the first record."""
    first, second, _ = scene.members
    actions.login(first)
    url = f"/declare/org/{scene.org_id}/person/{first.id}"
    actions.post(url, form_answers(form_key="shared-key"))
    parent = make_person(db, "家长")
    bind(db, scene.org, parent, second)
    db.session.commit()
    actions.login(parent)
    response = actions.post(f"/declare/org/{scene.org_id}/person/{second.id}", form_answers(form_key="shared-key"))
    assert response.status_code == 200
    assert "表单已失效，请重新填写" in text(response)
    assert count(db, Declaration) == 1


# invites ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("token", ["forged-token", "x" * 65, "%E4%BD%A0%E5%A5%BD"])
def test_q2_forged_invite_token_is_a_404_screen(client, db, actions, scene, token):
    actions.login(scene.members[0])
    for response in (client.get(f"/invite/{token}"), actions.post(f"/invite/{token}")):
        assert response.status_code == 404
        assert "邀请链接无效或已过期" in text(response)
    assert client.get(f"/declare/org/{scene.org_id}/proxy?t={token}").status_code == 404


def test_q2_expired_collector_invite(client, db, actions, clock):
    school = make_school(db)
    token = invites.create(db.session, kind="collector", school_id=school.id, utc_now=app_clock.utcnow()).token
    teacher = make_person(db, "蒋小华")
    db.session.commit()
    actions.login(teacher)
    clock(datetime(2026, 11, 28, 9, 0))  # 8 days later
    response = actions.post(f"/invite/{token}")
    assert response.status_code == 404
    assert "邀请链接无效或已过期" in text(response)
    assert count(db, Collector) == 0


def test_q2_expired_member_invite(client, db, actions, scene, clock):
    stranger = make_person(db, "新同学")
    db.session.commit()
    actions.login(stranger)
    clock(datetime(2026, 12, 21, 9, 0))  # member cards live 30 days
    assert client.get(f"/invite/{scene.token}").status_code == 404
    assert actions.post(f"/declare/org/{scene.org_id}/self", {"t": scene.token}).status_code == 404
    response = actions.post(f"/declare/org/{scene.org_id}/proxy", {
        "t": scene.token, "name": "黄小明", "id_type": "id_card", "id_number": id_number()})
    assert response.status_code == 404
    assert count(db, Membership, Membership.person_id == stranger.id) == 0
    assert count(db, Person, Person.name == "黄小明") == 0


def test_q2_invite_of_another_organisation_does_not_open_this_one(client, db, actions, scene):
    other = make_org(db, scene.school, make_person(db, "王老师"), name="高一(2)班")
    stranger = make_person(db, "新同学")
    db.session.commit()
    actions.login(stranger)
    response = actions.post(f"/declare/org/{other.id}/self", {"t": scene.token})
    assert response.status_code == 404
    assert count(db, Membership, Membership.person_id == stranger.id) == 0


def test_q2_admin_invite_is_not_a_member_invite(client, db, actions, scene):
    token = invites.create(db.session, kind="school_admin", school_id=scene.school.id, utc_now=app_clock.utcnow()).token
    stranger = make_person(db, "新同学")
    db.session.commit()
    actions.login(stranger)
    assert actions.post(f"/declare/org/{scene.org_id}/self", {"t": token}).status_code == 404


# P7 other people's ids in URLs ------------------------------------------------------------------------


@pytest.fixture
def two_orgs(db, scene):
    """The scene's class and another collector's class in the same school, with a declaration each."""
    other = make_org(db, scene.school, make_person(db, "王老师"), name="高一(2)班")
    outsider = make_person(db, "外班学生")
    join(db.session, other, outsider, "invite", app_clock.utcnow())
    declaration = declare(db, other, outsider, TODAY)
    parent = make_person(db, "别人的家长")
    binding = bind(db, other, parent, make_person(db, "别人的孩子"))
    db.session.commit()
    return other, outsider, declaration, binding


def test_p7_member_cannot_reach_another_organisations_people(client, db, actions, scene, two_orgs):
    other, outsider, declaration, binding = two_orgs
    member = scene.members[0]
    actions.login(member)
    before = count(db, Declaration)
    assert client.get(f"/declare/org/{other.id}/person/{outsider.id}").status_code == 404
    response = actions.post(f"/declare/org/{other.id}/person/{outsider.id}", form_answers(form_key="idor-1"))
    assert response.status_code == 404
    assert client.get(f"/declare/org/{scene.org_id}/person/{outsider.id}").status_code == 404
    assert client.get(f"/declare/done/{declaration.id}").status_code == 404
    assert actions.post(f"/declare/binding/{binding.id}/remove").status_code == 404
    assert actions.post(f"/declare/binding/{binding.id}/leave").status_code == 404
    assert actions.post(f"/declare/org/{other.id}/leave").status_code == 404
    assert client.get(f"/declare/org/{other.id}/declarants?t={scene.token}").status_code == 404
    db.session.expire_all()
    assert count(db, Declaration) == before
    assert binding.active is True
    assert count(db, Membership, Membership.organisation_id == other.id, Membership.active.is_(True)) == 2


def test_p7_member_cannot_open_the_form_of_an_organisation_they_never_joined(client, db, actions, scene, two_orgs):
    """P7: the form of another organisation must not show that organisation to a non-member."""
    other, *_ = two_orgs
    member = scene.members[0]
    actions.login(member)
    response = client.get(f"/declare/org/{other.id}/person/{member.id}")
    assert response.status_code == 404
    assert "高一(2)班" not in text(response)
    response = actions.post(f"/declare/org/{other.id}/person/{member.id}", form_answers(form_key="idor-2"))
    assert response.status_code == 404
    assert count(db, Declaration, Declaration.person_id == member.id) == 0


def test_p7_collector_cannot_reach_another_organisations_members(client, db, actions, scene, two_orgs):
    other, outsider, declaration, _ = two_orgs
    actions.login(scene.collector)
    before = count(db, Declaration)
    assert client.get(f"{DAY}/member/{outsider.id}").status_code == 404
    assert count(db, AuditLog) == 0
    assert client.get(f"{DAY}/member/{outsider.id}/fill").status_code == 404
    assert actions.post(f"{DAY}/member/{outsider.id}/fill", form_answers(form_key="idor-3")).status_code == 404
    response = actions.post("/workbench/members", {"person": [outsider.id, scene.members[0].id]})
    assert response.status_code == 404
    db.session.expire_all()
    assert count(db, Declaration) == before
    assert count(db, Membership, Membership.active.is_(True)) == 3 + 2  # nobody removed, here or there
    assert outsider.name not in text(client.get(f"{DAY}/stat/declared"))
    assert outsider.name not in text(client.get(DAY))


def test_p7_non_collectors_get_404_on_workbench_screens(client, db, actions, scene):
    """One status for "not yours" (issue 8 item 12): the workbench of someone without an organisation is 404."""
    actions.login(scene.members[0])
    for url in (DAY, f"{DAY}/member/{scene.members[1].id}", "/workbench/members", "/workbench/org/modify",
                f"{DAY}/report", "/workbench/invite/qr.png"):
        assert client.get(url).status_code == 404, url
    assert actions.post("/workbench/members", {"person": [scene.members[1].id]}).status_code == 404
    assert actions.post("/workbench/org/modify", {"name": "抢来的班", "size": "1"}).status_code == 404
    db.session.expire_all()
    assert scene.org.name == "高一(1)班"
    assert count(db, Membership, Membership.active.is_(True)) == 3


OUT_OF_RANGE = [2**31, 10**20]  # just past PostgreSQL's INTEGER, and past any 64-bit integer (SQLite)


@pytest.mark.parametrize("big", OUT_OF_RANGE, ids=["2^31", "10^20"])
@pytest.mark.parametrize(
    "template",
    [
        "/declare/org/{big}/person/1",
        "/declare/org/{org}/person/{big}",
        "/declare/done/{big}",
        "/declare/org/{big}/self",
        DAY + "/member/{big}",
        DAY + "/member/{big}/fill",
        "/school/{big}",
    ],
)
def test_q2_out_of_range_ids_are_404_not_500(client, db, actions, scene, template, big):
    actions.login(scene.members[0])
    url = template.format(big=big, org=scene.org_id)
    if url.startswith("/workbench"):
        actions.login(scene.collector)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("big", OUT_OF_RANGE, ids=["2^31", "10^20"])
def test_q2_out_of_range_ids_in_posts_are_refused(client, db, actions, scene, big):
    actions.login(scene.collector)
    assert actions.post("/workbench/members", {"person": [str(big)]}).status_code == 404
    assert actions.post(f"/declare/binding/{big}/remove").status_code == 404
    assert count(db, Membership, Membership.active.is_(True)) == 3


@pytest.mark.parametrize(
    "url",
    ["/workbench/day/2026-13-01", "/workbench/day/yesterday", "/workbench/day/2026-11-21",
     f"{DAY}/stat/no-such-stat", f"/workbench/day/{(TODAY - timedelta(days=2)).isoformat()}/report",
     f"/workbench/day/{TODAY.isoformat()}/report/view"],
)
def test_q2_bad_days_and_keys_in_workbench_urls(client, db, actions, scene, url):
    actions.login(scene.collector)
    assert client.get(url).status_code == 404


def test_q2_nul_bytes_are_refused(client, db, actions, scene):
    member = scene.members[0]
    actions.login(member)
    url = f"/declare/org/{scene.org_id}/person/{member.id}"
    response = actions.post(url, form_answers(form_key="nul", remarks="a\x00b"))
    assert response.status_code == 400
    assert count(db, Declaration) == 0


# CSRF -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/auth/login", "/auth/logout", "/workbench/members", "/declare/org/1/person/1", "/operator/"]
)
def test_csrf_missing_token_gets_the_expired_page_screen(client, db, actions, scene, url):
    actions.login(scene.collector)
    response = client.post(url, data={"name": "x", "person": "1"})
    assert response.status_code == 400
    page = text(response)
    assert "页面已过期" in page and "请返回后刷新页面再提交" in page
    assert count(db, Membership, Membership.active.is_(True)) == 3


def test_csrf_wrong_token_is_refused(client, db, actions, scene):
    actions.login(scene.collector)
    response = client.post("/workbench/org/modify", data={"csrf_token": "forged", "name": "改名", "size": "3"})
    assert response.status_code == 400
    db.session.expire_all()
    assert scene.org.name == "高一(1)班"


def test_csrf_token_in_the_htmx_header_is_accepted(client, db, actions, scene):
    """The base template puts the token in hx-headers; htmx posts send it as X-CSRFToken."""
    actions.login(scene.collector)
    token = actions.csrf()
    response = client.post("/workbench/org/modify", data={"name": "新名字", "size": "30"},
                           headers={"X-CSRFToken": token, "HX-Request": "true"})
    assert response.status_code == 303
    db.session.expire_all()
    assert scene.org.name == "新名字"


def test_login_required_everywhere_on_member_and_workbench_screens(client, scene):
    for url in ("/declare/", f"/declare/org/{scene.org_id}/self", "/workbench/", DAY, "/me"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert location_path(response) == "/auth/login"


@pytest.mark.parametrize("value", ["abc", "-1", "", "1.5", "²", "①"])
def test_q2_malformed_member_ids_in_成员管理_are_refused(client, db, actions, scene, value):
    """Q2: whatever arrives as a member id, the answer is a message or a 404, never a 500."""
    actions.login(scene.collector)
    response = actions.post("/workbench/members", {"person": [value]})
    assert response.status_code in (303, 404)
    assert count(db, Membership, Membership.active.is_(True)) == 3

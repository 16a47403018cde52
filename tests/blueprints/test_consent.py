"""Consent screens (SPEC I7, P10, P3, P7, Q2, Q3; issue 8 item 2): an adult's code or 【同意】 before a family
link shows anything, a guardian for a minor, 谁可以代我操作 with removal that works without JavaScript, and
代申报通知 with its unread count on 个人中心."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.blueprints.support import TODAY, count, form_key, location, text
from tests.blueprints.test_query_counts import statements
from tests.factories import bind, declare, form_answers, make_person, register_identity
from tests.family_helpers import make_family_link
from yks_web import clock
from yks_web.models import FamilyMember, Organisation, Person, ProxyBinding
from yks_web.models.consent import DeclarationNotice
from yks_web.services.identity import build_id_card_number
from yks_web.services.realname import NOT_GUARDIAN

PHONE = "13800000019"
HOUSEHOLD = "440106000123"
DAY = f"/workbench/day/{TODAY.isoformat()}"


def adult_number(seq: int) -> str:
    return build_id_card_number("440106", date(1950 + seq % 30, 3, 1 + seq % 28), 500 + seq)


@pytest.fixture
def owner(db) -> Person:
    person = make_person(db, "陈丽", household=HOUSEHOLD)
    db.session.commit()
    return person


@pytest.fixture
def adult(db) -> Person:
    """陈大伯: logged in before, so the source and the app know his verified phone."""
    person = make_person(db, "陈大伯", adult_number(3), phone=PHONE)
    db.session.commit()
    return person


def add_form(person_or_name, number: str | None = None, relation: str = "其他", id_type: str = "id_card") -> dict:
    if isinstance(person_or_name, Person):
        return {"name": person_or_name.name, "id_type": "id_card", "id_number": person_or_name.id_number,
                "relation": relation}
    return {"name": person_or_name, "id_type": id_type, "id_number": number, "relation": relation}


def link_of(db, owner_id: int) -> FamilyMember:
    db.session.expire_all()
    return db.session.scalar(select(FamilyMember).where(FamilyMember.owner_id == owner_id))


def fragment_and_page(client, url: str, title: str) -> None:
    page = text(client.get(url))
    assert page.startswith("<!doctype html>") and "</html>" in page, url
    fragment = text(client.get(url, headers={"HX-Request": "true"}))
    assert fragment.lstrip().startswith("<title>") and "<html" not in fragment, url
    assert fragment.count('<main id="screen"') == 1 and f"<h1>{title}</h1>" in fragment, url


# -- an adult agrees with the code sent to the phone they verified ------------------------------------------------


def test_i7_adding_an_adult_sends_a_code_to_their_verified_phone_and_shows_nothing_yet(
        client, actions, db, sms, owner, adult):
    actions.login(owner)
    response = actions.post("/family/add", add_form(adult))
    row = link_of(db, owner.id)
    assert response.status_code == 303 and location(response) == f"/family/{row.id}/consent"
    assert (row.status, row.active) == ("pending", True)
    assert [to for to, _ in sms.outbox] == [PHONE]
    page = text(client.get(location(response)))
    assert "<h1>成员确认</h1>" in page and "如对方已实名认证，验证码已发送至其实名认证的手机" in page
    assert PHONE not in page and "138****0019" not in page and "谁可以代我操作" in page
    assert client.get(f"/code/?member={adult.id}").status_code == 404
    assert client.get(f"/code/mine?member={adult.id}").status_code == 404
    assert client.get(f"/code/declare?member={adult.id}").status_code == 404
    listing = text(client.get("/family/"))
    assert "等待对方同意" in listing and f'href="/code/?member={adult.id}"' not in listing


def test_i7_the_right_code_adds_the_adult(client, actions, db, sms, owner, adult):
    actions.login(owner)
    consent_url = location(actions.post("/family/add", add_form(adult)))
    response = actions.post(consent_url, {"code": sms.last_code(PHONE)})
    assert response.status_code == 303 and location(response) == "/family/"
    assert "*大伯已同意，已添加为家庭成员" in text(client.get("/family/"))
    row = link_of(db, owner.id)
    assert (row.status, row.consent) == ("active", "sms")
    assert client.get(f"/code/?member={adult.id}").status_code == 200
    assert client.get(consent_url).status_code == 404  # settled: no second consent screen


def test_q2_a_wrong_code_is_shown_beside_the_field_and_kept(client, actions, db, sms, owner, adult):
    actions.login(owner)
    consent_url = location(actions.post("/family/add", add_form(adult)))
    wrong = "000000" if sms.last_code(PHONE) != "000000" else "111111"
    response = actions.post(consent_url, {"code": wrong})
    page = text(response)
    assert response.status_code == 200
    assert re.search(r'<p class="field-error" id="code-error">验证码错误，还可尝试4次', page)
    assert f'value="{wrong}"' in page
    empty = text(actions.post(consent_url, {"code": ""}))
    assert "请填写验证码" in empty
    assert link_of(db, owner.id).status == "pending"


def test_i7_a_new_code_is_limited_to_one_a_minute(client, actions, db, sms, owner, adult, clock):
    actions.login(owner)
    consent_url = location(actions.post("/family/add", add_form(adult)))
    row = link_of(db, owner.id)
    response = actions.post(f"/family/{row.id}/consent/send")
    assert response.status_code == 303 and location(response) == consent_url
    assert "验证码发送过于频繁，请1分钟后再试" in text(client.get(consent_url))
    assert len(sms.outbox) == 1
    clock(clock_now() + timedelta(seconds=61))
    actions.post(f"/family/{row.id}/consent/send")
    assert len(sms.outbox) == 2
    assert actions.post(consent_url, {"code": sms.last_code(PHONE)}).status_code == 303


def clock_now():
    return clock.now().replace(tzinfo=None)


def test_p7_another_owners_request_is_404(client, actions, db, owner, adult):
    other = make_person(db, "路人")
    row = make_family_link(db, other, adult, consented=False)
    db.session.commit()
    actions.login(owner)
    assert client.get(f"/family/{row.id}/consent").status_code == 404
    assert actions.post(f"/family/{row.id}/consent", {"code": "123456"}).status_code == 404
    assert actions.post(f"/family/{row.id}/consent/send").status_code == 404
    assert client.get("/family/99999999/consent").status_code == 404


def test_i7_an_adult_who_never_logged_in_is_asked_on_their_first_login(client, actions, db, sms, owner, adult):
    """Nothing can be sent to an adult who never logged in here; the owner's screens say exactly what they
    say for one who did (review finding: no sign of whether the person ever logged in, nor their phone)."""
    number = adult_number(1)
    register_identity(db, "陈二伯", number)  # not in 陈丽's household
    db.session.commit()
    actions.login(owner)
    response = actions.post("/family/add", add_form("陈二伯", number))
    row = link_of(db, owner.id)
    assert response.status_code == 303 and location(response) == f"/family/{row.id}/consent"
    assert sms.outbox == [] and row.status == "pending"
    never = text(client.get(location(response)))
    assert "如对方已实名认证，验证码已发送至其实名认证的手机" in never and 'name="code"' in never
    assert actions.post(f"/family/{row.id}/consent/send").status_code == 303
    assert sms.outbox == []

    other = make_person(db, "陈丽丽")
    db.session.commit()
    actions.login(other)
    response = actions.post("/family/add", add_form(adult))  # 陈大伯 has logged in: a code goes to his phone
    assert [to for to, _ in sms.outbox] == [PHONE]
    logged_in_before = text(client.get(location(response)))
    def scrub(page: str, name: str) -> str:  # the CSRF tokens, the request's id and the typed name differ
        return re.sub(r'value="[^"]*"|"X-CSRFToken": "[^"]*"|/family/\d+/', "", page).replace(name, "N")

    assert scrub(never, "*二伯") == scrub(logged_in_before, "*大伯")


def test_i7_an_elder_without_a_phone_in_the_household_is_added_at_once(client, actions, db, owner):
    number = adult_number(2)
    register_identity(db, "陈奶奶", number, household=HOUSEHOLD)
    db.session.commit()
    actions.login(owner)
    response = actions.post("/family/add", add_form("陈奶奶", number, relation="父母"))
    assert location(response) == "/family/"
    assert "已添加家庭成员陈奶奶" in text(client.get("/family/"))
    row = link_of(db, owner.id)
    assert (row.status, row.consent) == ("active", "household")
    assert client.get(f"/code/?member={row.member_id}").status_code == 200


# -- a minor: the guardian check ----------------------------------------------------------------------------------


def test_i7_a_stranger_cannot_add_someone_elses_child(client, actions, db, owner):
    mother = make_person(db, "王芳")
    register_identity(db, "王小宝", "O440099999", id_type="birth_cert", mother=("id_card", mother.id_number))
    db.session.commit()
    people = count(db, Person)
    actions.login(owner)
    response = actions.post("/family/add", add_form("王小宝", "O440099999", "子女", id_type="birth_cert"))
    page = text(response)
    assert response.status_code == 200 and 'role="alert"' in page and NOT_GUARDIAN in page
    assert 'value="王小宝"' in page  # nothing typed lost
    assert count(db, FamilyMember) == 0 and count(db, Person) == people


def test_i7_a_parent_in_the_household_adds_a_child_with_an_id_card(client, actions, db, owner):
    number = build_id_card_number("440106", date(2012, 6, 1), 31)  # 14 on 2026-11-20
    register_identity(db, "陈小妹", number, household=HOUSEHOLD)
    db.session.commit()
    actions.login(owner)
    assert location(actions.post("/family/add", add_form("陈小妹", number, "子女"))) == "/family/"
    assert (link_of(db, owner.id).status, link_of(db, owner.id).consent) == ("active", "guardian")


# -- the adult's own login: 【同意】 / 【拒绝】 ---------------------------------------------------------------------


def test_i7_the_adult_agrees_on_their_own_account(client, actions, db, owner, adult):
    row = make_family_link(db, owner, adult, "其他", consented=False)
    db.session.commit()
    actions.login(adult)
    assert "1个添加请求" in text(client.get("/"))  # pointed out on the home page's 个人中心 card
    assert "1个待处理请求" in text(client.get("/me"))
    page = text(client.get("/delegates/"))
    assert "待处理的添加请求" in page and "*丽" in page and "陈丽" not in page
    response = actions.post(f"/delegates/requests/{row.id}/accept")
    assert response.status_code == 303 and location(response) == "/delegates/"
    page = text(client.get("/delegates/"))
    assert "已同意*丽将您添加为家庭成员" in page and "待处理的添加请求" not in page
    assert f"/delegates/family/{row.id}/remove" in page
    assert "待处理请求" not in text(client.get("/me"))
    actions.login(owner)
    assert client.get(f"/code/?member={adult.id}").status_code == 200


def test_i7_the_adult_refuses(client, actions, db, owner, adult):
    row = make_family_link(db, owner, adult, "其他", consented=False)
    db.session.commit()
    actions.login(adult)
    assert actions.post(f"/delegates/requests/{row.id}/refuse").status_code == 303
    assert "已拒绝*丽的添加请求" in text(client.get("/delegates/"))
    actions.login(owner)
    assert client.get(f"/code/?member={adult.id}").status_code == 404
    assert "暂无家庭成员" in text(client.get("/family/"))


def test_p7_nobody_else_answers_a_request(client, actions, db, owner, adult):
    row = make_family_link(db, owner, adult, "其他", consented=False)
    db.session.commit()
    actions.login(owner)  # the owner cannot consent for the adult
    assert actions.post(f"/delegates/requests/{row.id}/accept").status_code == 404
    actions.login(make_person(db, "路人"))
    db.session.commit()
    assert actions.post(f"/delegates/requests/{row.id}/accept").status_code == 404
    assert actions.post(f"/delegates/requests/{row.id}/refuse").status_code == 404
    assert link_of(db, owner.id).status == "pending"


# -- 谁可以代我操作 (P10) ------------------------------------------------------------------------------------------


@pytest.fixture
def acted_for(db, scene):
    """A member whose code her mother may show, and whom her father fills in for at school."""
    child = scene.members[0]
    mother, father = make_person(db, "陈丽"), make_person(db, "黄伟斌")
    link = make_family_link(db, mother, child)
    binding = bind(db, scene.org, father, child)
    db.session.commit()
    return child, mother, father, link, binding


def test_i4_delegate_pages_need_a_login(client, acted_for):
    _, _, _, link, binding = acted_for
    for url in ("/delegates/", "/delegates/notices", f"/delegates/family/{link.id}/remove",
                f"/delegates/proxy/{binding.id}/remove"):
        assert client.get(url).status_code == 302, url


def test_p10_a_person_sees_who_can_act_for_them(client, actions, db, scene, acted_for):
    child, mother, father, link, binding = acted_for
    actions.login(child)
    page = text(client.get("/delegates/"))
    assert "<h1>谁可以代我操作</h1>" in page
    assert "*丽" in page and "*伟斌" in page and "陈丽" not in page and "黄伟斌" not in page
    assert "广州市第一示范中学 高一(1)班" in page
    assert f'href="/delegates/family/{link.id}/remove"' in page
    assert f'href="/delegates/proxy/{binding.id}/remove"' in page
    actions.login(mother)
    assert "暂无" in text(client.get("/delegates/"))  # she acts for the child, nobody acts for her


def test_p10_removing_a_family_owner_asks_first_without_javascript(client, actions, db, acted_for):
    child, mother, _, link, _ = acted_for
    actions.login(child)
    confirm = text(client.get(f"/delegates/family/{link.id}/remove"))
    assert "<h1>确认移除</h1>" in confirm and "确定移除家庭成员" in confirm and "*丽" in confirm
    assert re.search(rf'<form method="post" action="/delegates/family/{link.id}/remove"', confirm)
    assert 'name="csrf_token"' in confirm and "hx-confirm" not in confirm
    assert link_of(db, mother.id).active  # looking is not removing
    response = actions.post(f"/delegates/family/{link.id}/remove")
    assert response.status_code == 303 and location(response) == "/delegates/"
    assert "已移除*丽" in text(client.get("/delegates/"))
    assert link_of(db, mother.id).active is False
    actions.login(mother)
    assert client.get(f"/code/?member={child.id}").status_code == 404
    assert client.get(f"/code/declare?member={child.id}").status_code == 404


def test_p10_removing_a_proxy_ends_their_filling_in(client, actions, db, scene, acted_for):
    child, _, father, _, binding = acted_for
    actions.login(child)
    confirm = text(client.get(f"/delegates/proxy/{binding.id}/remove"))
    assert "确定移除代填人" in confirm and "高一(1)班" in confirm
    assert actions.post(f"/delegates/proxy/{binding.id}/remove").status_code == 303
    db.session.expire_all()
    assert db.session.get(ProxyBinding, binding.id).active is False
    actions.login(father)
    assert client.get(f"/declare/org/{scene.org_id}/person/{child.id}").status_code == 404


def test_p7_someone_elses_delegates_are_404(client, actions, db, acted_for):
    _, mother, father, link, binding = acted_for
    for person in (mother, father):  # not even the owner or the proxy themself
        actions.login(person)
        assert client.get(f"/delegates/family/{link.id}/remove").status_code == 404
        assert actions.post(f"/delegates/family/{link.id}/remove").status_code == 404
        assert client.get(f"/delegates/proxy/{binding.id}/remove").status_code == 404
        assert actions.post(f"/delegates/proxy/{binding.id}/remove").status_code == 404
    assert link_of(db, mother.id).active and db.session.get(ProxyBinding, binding.id).active


@pytest.mark.parametrize("raw", ["999999", "abc", "-1", "99999999999"])
def test_q2_unknown_ids_are_404(client, actions, acted_for, raw):
    actions.login(acted_for[0])
    assert client.get(f"/delegates/family/{raw}/remove").status_code == 404
    assert client.get(f"/delegates/proxy/{raw}/remove").status_code == 404
    assert actions.post(f"/delegates/requests/{raw}/accept").status_code == 404


def test_q2_removal_needs_the_csrf_token(client, actions, db, acted_for):
    child, mother, _, link, _ = acted_for
    actions.login(child)
    assert client.post(f"/delegates/family/{link.id}/remove").status_code == 400
    assert link_of(db, mother.id).active


# -- 代申报通知 (P10) --------------------------------------------------------------------------------------------


def test_p10_a_proxy_declaration_is_told_to_the_member(client, actions, db, scene, acted_for):
    child, _, father, _, _ = acted_for
    actions.login(father)
    url = f"/declare/org/{scene.org_id}/person/{child.id}"
    assert actions.post(url, form_answers(form_key=form_key(text(client.get(url))))).status_code == 303
    actions.login(child)
    me = text(client.get("/me"))
    assert "代申报通知" in me and "1条未读" in me
    assert "1条代申报通知" in text(client.get("/"))  # the home page's 个人中心 card says so too
    page = text(client.get("/delegates/notices"))
    assert "*伟斌" in page and "黄伟斌" not in page
    assert "代填人代为填报了您的学生/教职工个人健康申报" in page
    assert "广州市第一示范中学 高一(1)班" in page and "11月20日" in page and "未读" in page
    assert actions.post("/delegates/notices/read").status_code == 303
    assert "条未读" not in text(client.get("/me"))
    assert "未读" not in text(client.get("/delegates/notices"))


def test_p10_ones_own_declaration_is_no_notice(client, actions, db, scene):
    member = scene.members[0]
    actions.login(member)
    url = f"/declare/org/{scene.org_id}/person/{member.id}"
    actions.post(url, form_answers(form_key=form_key(text(client.get(url)))))
    assert count(db, DeclarationNotice) == 0
    assert "暂无他人代您申报的记录" in text(client.get("/delegates/notices"))


def test_p10_the_collectors_代填报_and_quick_fill_are_told(client, actions, db, scene):
    filled, quick, _ = scene.members
    declare(db, scene.org, quick, TODAY - timedelta(days=2))
    db.session.commit()
    actions.login(scene.collector)
    url = f"{DAY}/member/{filled.id}/fill"
    assert actions.post(url, form_answers(form_key=form_key(text(client.get(url))))).status_code == 303
    assert actions.post(f"{DAY}/quickfill", {"key": "tap-1"}).status_code == 303
    db.session.expire_all()
    got = {n.person_id: n.source for n in db.session.scalars(select(DeclarationNotice))}
    assert got == {filled.id: "collector", quick.id: "quickfill"}
    actions.login(quick)
    assert "采集员快速填充了您的学生/教职工个人健康申报" in text(client.get("/delegates/notices"))
    actions.login(filled)
    assert "采集员代为填报了您的学生/教职工个人健康申报" in text(client.get("/delegates/notices"))


def test_p10_a_family_owners_健康申报_is_told(client, actions, db):
    mother, child = make_person(db, "陈丽"), make_person(db, "陈小宝")
    make_family_link(db, mother, child)
    db.session.commit()
    actions.login(mother)
    page = text(client.get(f"/code/declare?member={child.id}"))
    data = {"form_key": form_key(page), "location_province": "广东省", "location_city": "广州市",
            "temperature": "36.5", "has_symptoms": "no", "risk_travel": "no", "contact_case": "no", "remarks": ""}
    assert actions.post(f"/code/declare?member={child.id}", data).status_code == 303
    actions.login(child)
    assert "家庭成员代为申报了您的健康申报" in text(client.get("/delegates/notices"))
    assert "1条未读" in text(client.get("/me"))


def test_q3_a_proxy_declaration_adds_one_insert_for_the_notice(db, client, actions, scene, acted_for):
    child, _, father, _, _ = acted_for
    form = form_answers() | {"csrf_token": actions.csrf(), "form_key": uuid.uuid4().hex}
    seen = statements(db, client, father.id, f"/declare/org/{scene.org_id}/person/{child.id}", form=form, status=303)
    inserts = [s for s in seen if s.lstrip().upper().startswith("INSERT")]
    assert len(inserts) == 2  # the declaration and its notice; the member's own takes none (test_query_counts)
    assert sum("declaration_notice" in s for s in inserts) == 1


def test_q3_notice_and_delegate_pages_take_constant_queries(db, client, scene, acted_for):
    child, mother, father, _, _ = acted_for
    urls = ("/delegates/", "/delegates/notices", "/me")
    child_id, father_id, org_id = child.id, father.id, scene.org_id
    small = {url: len(statements(db, client, child_id, url)) for url in urls}
    org, child, father = (db.session.get(Organisation, org_id), db.session.get(Person, child_id),
                          db.session.get(Person, father_id))
    for i in range(8):
        make_family_link(db, make_person(db, f"家人{'甲乙丙丁戊己庚辛'[i]}"), child)
        declare(db, org, child, TODAY, actor=father, source="proxy")
        db.session.add(DeclarationNotice(person_id=child_id, actor_id=father_id, kind="school", source="proxy",
                                         organisation_id=org_id, day=TODAY, created_at=clock.utcnow()))
    db.session.commit()
    large = {url: len(statements(db, client, child_id, url)) for url in urls}
    assert small == large


# -- every new screen: a page normally, its fragment for htmx (P3) -------------------------------------------------


def test_p3_consent_screens_are_pages_and_fragments(client, actions, db, owner, adult, acted_for):
    child, _, _, link, binding = acted_for
    pending = make_family_link(db, owner, adult, consented=False)
    db.session.commit()
    actions.login(child)
    fragment_and_page(client, "/delegates/", "谁可以代我操作")
    fragment_and_page(client, "/delegates/notices", "代申报通知")
    fragment_and_page(client, f"/delegates/family/{link.id}/remove", "确认移除")
    fragment_and_page(client, f"/delegates/proxy/{binding.id}/remove", "确认移除")
    actions.login(owner)
    fragment_and_page(client, f"/family/{pending.id}/consent", "成员确认")


def test_s4_the_school_flow_stays_as_printed_no_consent_step(client, actions, db, scene):
    """代他人填报 from the invite link binds at once (guide S4–S6); the declarant then sees the 代填人 and is told."""
    parent = make_person(db, "黄伟斌")
    child = scene.members[1]
    db.session.commit()
    actions.login(parent)
    response = actions.post(f"/declare/org/{scene.org_id}/proxy",
                            {"t": scene.token, "name": child.name, "id_type": "id_card", "id_number": child.id_number})
    assert location(response) == f"/declare/org/{scene.org_id}/proxy/confirm?t={scene.token}"
    response = actions.post(f"/declare/org/{scene.org_id}/proxy/confirm", {"t": scene.token})
    form_url = f"/declare/org/{scene.org_id}/person/{child.id}"
    assert location(response) == form_url  # straight to the form: nothing waits for the declarant
    assert actions.post(form_url, form_answers(form_key=form_key(text(client.get(form_url))))).status_code == 303
    actions.login(child)
    assert "*伟斌" in text(client.get("/delegates/"))
    assert "代填人代为填报了您的学生/教职工个人健康申报" in text(client.get("/delegates/notices"))


def test_i7_a_household_adult_whose_phone_the_source_holds_waits_for_consent(client, db, actions):
    """Review finding: "without a phone" means none at the real-name source, not "never logged in here"."""
    owner = make_person(db, "陈丽", household=HOUSEHOLD)
    number = build_id_card_number("440106", date(1970, 1, 2), 903)
    register_identity(db, "陈大伯", number, household=HOUSEHOLD, phone="13700000012")
    db.session.commit()
    actions.login(owner)
    response = actions.post("/family/add", {"name": "陈大伯", "id_type": "id_card", "id_number": number,
                                            "relation": "其他"})
    assert response.status_code == 303
    row = db.session.scalar(select(FamilyMember))
    assert (row.status, row.consent) == ("pending", "")
    assert client.get(f"/code/mine?member={row.member_id}").status_code == 404

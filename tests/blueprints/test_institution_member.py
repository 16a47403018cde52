"""组织机构成员 screens (SPEC O1, O8; issue 11 item 2): 健康情况申报 → 组织机构成员健康申报, bind by 申报码
(kinds, unknown, rate limit), many institutions, 成员申报 → 【提交】 → 提交成功, 解绑 with a no-JS confirm."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.blueprints.support import (
    TODAY,
    assert_fragment,
    assert_whole_page,
    collapse,
    count,
    form_key,
    location_path,
    text,
)
from tests.factories import make_institution, make_institution_member, make_person
from yks_web import clock as app_clock
from yks_web.models import InstitutionDeclaration, InstitutionMember, PersonalDeclaration
from yks_web.models.security import RateEvent
from yks_web.services import institution_day, institution_members, share_codes


@pytest.fixture
def member(db):
    person = make_person(db, "陈成员")
    db.session.commit()
    return person


DECLARATION = {"location_province": "广东省", "location_city": "广州市", "temperature": "36.6",
               "temperature_band": "", "has_symptoms": "no", "risk_travel": "no", "contact_case": "no",
               "on_duty": "yes", "work_place": "本部", "remarks": ""}


def test_item2_entry_from_the_declare_menu(client, actions, member):
    actions.login(member)
    menu = text(client.get("/code/declare-menu"))
    assert "组织机构成员健康申报" in menu and "/institution/member" in menu
    page = client.get("/institution/member")
    assert_whole_page(page)
    assert "您还没有绑定组织机构" in text(page) and "绑定组织机构" in text(page)
    assert_fragment(client.get("/institution/member", headers={"HX-Request": "true"}))
    form = client.get("/institution/member/bind")
    assert_whole_page(form)
    assert "组织机构申报码" in text(form)
    assert_fragment(client.get("/institution/member/bind", headers={"HX-Request": "true"}))


def test_item2_bind_by_code_then_the_list_shows_it(client, actions, db, member):
    institution = make_institution(db)
    actions.login(member)
    response = actions.post("/institution/member/bind", {"code": institution.code})
    assert response.status_code == 303 and location_path(response) == "/institution/member"
    page = collapse(text(client.get("/institution/member")))
    assert "天河区某某公司" in page and "今日未申报" in page and "绑定成功：天河区某某公司" in page
    assert f"/institution/{institution.id}/declare" in page and f"/institution/{institution.id}/leave" in page


def test_item2_the_code_may_come_in_a_link(client, actions, db, member):
    actions.login(member)
    assert 'value="1234567890"' in text(client.get("/institution/member/bind?code=1234567890"))


@pytest.mark.parametrize("code", ["6123456789", "3123456789", "12345", "abcdefghij"])
def test_item2_o8_wrong_kinds_of_code_get_share_codes_message(client, actions, db, member, code):
    actions.login(member)
    response = actions.post("/institution/member/bind", {"code": code})
    assert response.status_code == 200
    message = share_codes.wrong_kind_message(share_codes.normalise(code), "institution")
    assert message and message in text(response)
    assert count(db, InstitutionMember) == 0
    # A well-formed code counts per account and per address, kept though refused; a typo costs no try.
    assert count(db, RateEvent) == (2 if share_codes.well_formed(code) else 0)


def test_item2_unknown_code_is_said_clearly_and_an_empty_one_asked_for(client, actions, db, member):
    actions.login(member)
    response = actions.post("/institution/member/bind", {"code": "1000000000"})
    assert response.status_code == 200 and institution_members.UNKNOWN_CODE in text(response)
    assert 'value="1000000000"' in text(response)
    empty = actions.post("/institution/member/bind", {"code": "  "}, headers={"HX-Request": "true"})
    assert_fragment(empty)
    assert "请输入组织机构申报码" in text(empty)


def test_item2_o8_guessing_is_rate_limited(client, actions, db, member):
    institution = make_institution(db)
    actions.login(member)
    for i in range(share_codes.BIND_PER_ACCOUNT.count):
        assert actions.post("/institution/member/bind", {"code": f"100000000{i}"}).status_code == 200
    response = actions.post("/institution/member/bind", {"code": institution.code})
    assert response.status_code == 200 and "输入申报码次数过多" in text(response)
    assert count(db, InstitutionMember) == 0


def test_item2_one_member_many_institutions(client, actions, db, member):
    first, second = make_institution(db, name="甲公司"), make_institution(db, name="乙公司")
    actions.login(member)
    actions.post("/institution/member/bind", {"code": first.code})
    actions.post("/institution/member/bind", {"code": second.code})
    page = text(client.get("/institution/member"))
    assert "甲公司" in page and "乙公司" in page
    assert count(db, InstitutionMember) == 2


def test_item2_declare_submit_303_to_success_and_counted_for_the_admin(client, actions, db, member):
    institution = make_institution(db)
    make_institution_member(db, institution, member)
    actions.login(member)
    page = client.get(f"/institution/{institution.id}/declare")
    assert_whole_page(page)
    body = text(page)
    for label in ("当前所在省份", "当前体温", "是否有发热、咳嗽等症状", "当前是否在岗", "工作地点（选填）",
                  "备注（选填）", "天河区某某公司", ">提交</button>"):
        assert label in body, label
    assert_fragment(client.get(f"/institution/{institution.id}/declare", headers={"HX-Request": "true"}))
    response = actions.post(f"/institution/{institution.id}/declare", {**DECLARATION, "form_key": form_key(body)})
    assert response.status_code == 303
    row = db.session.scalar(db.select(InstitutionDeclaration))
    assert location_path(response) == f"/institution/{institution.id}/done/{row.id}"
    done = client.get(location_path(response))
    assert_whole_page(done)
    assert "提交成功" in text(done) and "天河区某某公司" in text(done)
    assert_fragment(client.get(location_path(response), headers={"HX-Request": "true"}))
    assert (row.day, row.on_duty, row.work_place) == (TODAY, True, "本部")
    assert count(db, PersonalDeclaration) == 1  # in the member's own 健康申报历史 too
    assert "今日已申报" in text(client.get("/institution/member"))
    assert institution_day.counts(db.session, institution.id, TODAY).declared == 1


def test_item2_the_same_form_posted_twice_is_one_declaration(client, actions, db, member):
    institution = make_institution(db)
    make_institution_member(db, institution, member)
    actions.login(member)
    key = form_key(text(client.get(f"/institution/{institution.id}/declare")))
    first = actions.post(f"/institution/{institution.id}/declare", {**DECLARATION, "form_key": key})
    second = actions.post(f"/institution/{institution.id}/declare", {**DECLARATION, "form_key": key})
    assert first.headers["Location"] == second.headers["Location"]
    assert count(db, InstitutionDeclaration) == 1


def test_item2_invalid_declaration_rerenders_with_messages(client, actions, db, member):
    institution = make_institution(db)
    make_institution_member(db, institution, member)
    actions.login(member)
    response = actions.post(f"/institution/{institution.id}/declare",
                            {**DECLARATION, "temperature": "50", "on_duty": "", "work_place": "地" * 51,
                             "form_key": "k"}, headers={"HX-Request": "true"})
    assert_fragment(response)
    body = text(response)
    assert "体温应在35.0–42.0℃之间" in body and "请选择是或否" in body and "工作地点不能超过50个字" in body
    assert count(db, InstitutionDeclaration) == 0


def test_item2_not_a_member_is_404(client, actions, db, member):
    ours, theirs = make_institution(db, name="甲公司"), make_institution(db, name="乙公司")
    make_institution_member(db, theirs, member)
    actions.login(member)
    assert client.get(f"/institution/{ours.id}/declare").status_code == 404
    assert actions.post(f"/institution/{ours.id}/declare", DECLARATION).status_code == 404
    assert client.get(f"/institution/{ours.id}/leave").status_code == 404
    assert actions.post(f"/institution/{ours.id}/leave").status_code == 404
    assert client.get("/institution/999999/declare").status_code == 404


def test_item2_another_members_success_screen_is_404(client, actions, db, member):
    institution = make_institution(db)
    other = make_person(db, "王别人")
    make_institution_member(db, institution, member)
    make_institution_member(db, institution, other)
    row = institution_members.declare(
        db.session, institution_id=institution.id, person_id=other.id, answers={
            "location_province": "广东省", "location_city": "广州市", "temperature": None,
            "temperature_band": "37.3℃以下", "has_symptoms": False, "risk_travel": False, "contact_case": False,
            "remarks": ""}, on_duty=False, work_place="", form_key="other", day=TODAY, utc_now=app_clock.utcnow())
    db.session.commit()
    actions.login(member)
    assert client.get(f"/institution/{institution.id}/done/{row.id}").status_code == 404


def test_item2_unbind_is_a_confirm_screen_then_post(client, actions, db, member):
    institution = make_institution(db)
    make_institution_member(db, institution, member)
    actions.login(member)
    confirm = client.get(f"/institution/{institution.id}/leave")
    assert_whole_page(confirm)
    body = text(confirm)
    assert "确定解绑“天河区某某公司”？" in body and ">确定</button>" in body and ">取消</a>" in body
    assert f'action="/institution/{institution.id}/leave"' in body and 'method="post"' in body
    assert_fragment(client.get(f"/institution/{institution.id}/leave", headers={"HX-Request": "true"}))
    response = actions.post(f"/institution/{institution.id}/leave")
    assert response.status_code == 303 and location_path(response) == "/institution/member"
    assert "已解绑：天河区某某公司" in text(client.get("/institution/member"))
    assert count(db, InstitutionMember, InstitutionMember.active.is_(True)) == 0
    assert client.get(f"/institution/{institution.id}/declare").status_code == 404
    # binding again by the code revives the binding
    actions.post("/institution/member/bind", {"code": institution.code})
    assert count(db, InstitutionMember, InstitutionMember.active.is_(True)) == 1


def test_item2_a_declaration_yesterday_is_not_today(client, actions, db, member, clock):
    institution = make_institution(db)
    make_institution_member(db, institution, member)
    actions.login(member)
    key = form_key(text(client.get(f"/institution/{institution.id}/declare")))
    actions.post(f"/institution/{institution.id}/declare", {**DECLARATION, "form_key": key})
    now = app_clock.now().replace(tzinfo=None)
    clock(now + timedelta(days=1))
    assert "今日未申报" in text(client.get("/institution/member"))

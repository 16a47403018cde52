"""添加/管理家庭成员 screens (SPEC H3, I1a, I2, I7, P3, P7, Q2; issue 4 item 4, issue 8 item 2)."""

from __future__ import annotations

import itertools
import re
from datetime import date

import pytest

from tests.blueprints.support import count, location, location_path, text
from tests.factories import id_number, make_person, register_identity
from yks_web.models import FamilyMember, Person
from yks_web.services.identity import build_id_card_number

BIRTH_CERT = "O440012345"
HOUSEHOLD = "440106000123"  # 陈丽's 户籍户号 in the real-name source
_ELDERS = itertools.count(600)


@pytest.fixture
def owner(db) -> Person:
    person = make_person(db, "陈丽", household=HOUSEHOLD)
    db.session.commit()
    return person


def elder(db, name: str = "陈爷爷") -> str:
    """An elder without a phone in the owner's household: added at once (I7). Returns the 证件号码."""
    number = build_id_card_number("440106", date(1948, 5, 6), next(_ELDERS))
    register_identity(db, name, number, household=HOUSEHOLD)
    db.session.commit()
    return number


def member_form(**overrides) -> dict:
    data = {"name": "陈爷爷", "id_type": "id_card", "id_number": id_number(), "relation": "父母"}
    data.update(overrides)
    return data


def active_rows(db, owner_id: int) -> int:
    db.session.expire_all()
    return count(db, FamilyMember, FamilyMember.owner_id == owner_id, FamilyMember.active.is_(True))


def test_i4_family_pages_need_a_login(client, owner):
    assert location_path(client.get("/family/")) == "/auth/login"
    assert location_path(client.get("/family/add")) == "/auth/login"


def test_h3_empty_family_says_what_members_are_for(client, actions, owner):
    actions.login(owner)
    page = text(client.get("/family/"))
    assert "<h1>管理家庭成员</h1>" in page
    assert "暂无家庭成员" in page
    assert 'href="/family/add"' in page and "添加家庭成员" in page


def test_h3_add_form_offers_the_birth_certificate_for_minors(client, actions, owner):
    actions.login(owner)
    page = text(client.get("/family/add"))
    for label in ("姓名", "证件类型", "证件号码", "与本人关系", "确认添加"):
        assert label in page
    assert '<option value="birth_cert">出生医学证明</option>' in page
    assert "未成年人没有身份证的，可选择“出生医学证明”" in page


def test_h3_add_an_elder_by_id_card(client, actions, db, owner):
    actions.login(owner)
    number = elder(db)
    response = actions.post("/family/add", member_form(id_number=number))
    assert response.status_code == 303 and location(response) == "/family/"
    page = text(client.get("/family/"))
    assert "已添加家庭成员陈爷爷" in page
    assert "*爷爷（父母）" in page
    assert "内地居民身份证" in page and number[:2] + "*" * 14 + number[-2:] in page
    assert number not in page
    assert active_rows(db, owner.id) == 1


def test_h3_add_a_minor_by_birth_certificate_and_show_their_code(client, actions, db, owner):
    register_identity(db, "陈小宝", BIRTH_CERT, id_type="birth_cert", mother=("id_card", owner.id_number))
    db.session.commit()
    actions.login(owner)
    response = actions.post("/family/add", member_form(name="陈小宝", id_type="birth_cert",
                                                        id_number="o440012345", relation="子女"))
    assert response.status_code == 303
    db.session.expire_all()
    child = db.session.query(Person).filter_by(name="陈小宝").one()
    assert (child.id_type, child.id_number) == ("birth_cert", BIRTH_CERT)
    page = text(client.get("/family/"))
    assert "*小宝（子女）" in page and "出生医学证明" in page
    assert f'href="/code/?member={child.id}"' in page
    code = client.get(f"/code/?member={child.id}")
    assert code.status_code == 200 and "*小宝" in text(code)


def test_h3_no_fixed_upper_limit(client, actions, db, owner):
    actions.login(owner)
    for i in range(12):
        name = f"家人{'甲乙丙丁戊己庚辛壬癸子丑'[i]}"
        response = actions.post("/family/add", member_form(name=name, id_number=elder(db, name), relation="其他"))
        assert response.status_code == 303, text(response)
    page = text(client.get("/family/"))
    assert page.count('class="card row-card"') == 12
    assert active_rows(db, owner.id) == 12


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": ""}, "name", "请填写姓名"),
        ({"name": "名" * 31}, "name", "姓名不能超过30个字"),
        ({"id_type": ""}, "id_type", "请选择证件类型"),
        ({"id_type": "driver"}, "id_type", "不是有效的选择"),
        ({"id_number": ""}, "id_number", "请填写证件号码"),
        ({"id_number": "44010619900101001"}, "id_number", "身份证号码应为18位"),
        ({"id_number": "440106200001010010"}, "id_number", "身份证号码校验位不正确"),
        ({"id_type": "birth_cert", "id_number": "12345"}, "id_number", "出生医学证明编号应为1位字母加9位数字"),
        ({"relation": ""}, "relation", "请选择与本人关系"),
        ({"relation": "朋友"}, "relation", "不是有效的选择"),
    ],
)
def test_q2_bad_input_is_shown_beside_the_field(client, actions, db, owner, overrides, field, message):
    actions.login(owner)
    people_before = count(db, Person)
    response = actions.post("/family/add", member_form(**overrides))
    page = text(response)
    assert response.status_code == 200
    assert re.search(rf'<p class="field-error" id="{field}-error">[^<]*{re.escape(message)}', page), page
    assert count(db, FamilyMember) == 0 and count(db, Person) == people_before


def test_q2_bad_input_keeps_what_was_typed(client, actions, owner):
    actions.login(owner)
    page = text(actions.post("/family/add", member_form(name="陈爷爷", id_number="440106200001010010")))
    assert 'value="陈爷爷"' in page and 'value="440106200001010010"' in page
    assert '<option selected value="父母">' in page or 'value="父母" selected' in page


def test_i1a_known_number_with_another_name_is_refused_as_a_notice(client, actions, db, owner):
    known = make_person(db, "陈小宝")  # logged in before: the name is verified
    db.session.commit()
    actions.login(owner)
    response = actions.post("/family/add", member_form(name="陈小保", id_number=known.id_number, relation="子女"))
    page = text(response)
    assert response.status_code == 200
    assert 'role="alert"' in page and "证件号码与姓名不一致，请核对后重新填写" in page
    assert count(db, FamilyMember) == 0 and count(db, Person, Person.name == "陈小保") == 0


def test_h3_cannot_add_oneself(client, actions, db, owner):
    actions.login(owner)
    page = text(actions.post("/family/add", member_form(name="陈丽", id_number=owner.id_number)))
    assert "不能添加本人为家庭成员" in page
    assert count(db, FamilyMember) == 0


def test_h3_adding_the_same_member_twice_is_refused(client, actions, db, owner):
    actions.login(owner)
    data = member_form(id_number=elder(db))
    actions.post("/family/add", data)
    page = text(actions.post("/family/add", data))
    assert "陈爷爷已是您的家庭成员" in page
    assert count(db, FamilyMember) == 1


def test_h3_remove_a_member(client, actions, db, owner):
    actions.login(owner)
    actions.post("/family/add", member_form(id_number=elder(db)))
    db.session.expire_all()
    row = db.session.query(FamilyMember).one()
    response = actions.post(f"/family/{row.id}/remove")
    assert response.status_code == 303 and location(response) == "/family/"
    page = text(client.get("/family/"))
    assert "已删除家庭成员陈爷爷" in page and "暂无家庭成员" in page
    assert active_rows(db, owner.id) == 0
    assert client.get(f"/code/?member={row.member_id}").status_code == 404
    assert actions.post(f"/family/{row.id}/remove").status_code == 404  # already removed


def test_h3_a_removed_member_can_be_added_again(client, actions, db, owner):
    actions.login(owner)
    data = member_form(id_number=elder(db))
    actions.post("/family/add", data)
    db.session.expire_all()
    row = db.session.query(FamilyMember).one()
    actions.post(f"/family/{row.id}/remove")
    response = actions.post("/family/add", {**data, "relation": "其他"})
    assert response.status_code == 303
    assert active_rows(db, owner.id) == 1 and count(db, FamilyMember) == 1
    assert "*爷爷（其他）" in text(client.get("/family/"))


def test_p7_another_owners_family_row_is_404_on_remove(client, actions, db, owner):
    other = make_person(db, "黄伟斌")
    child = make_person(db, "黄小宝")
    row = FamilyMember(owner_id=other.id, member_id=child.id, relation="子女")
    db.session.add(row)
    db.session.commit()
    actions.login(owner)
    assert actions.post(f"/family/{row.id}/remove").status_code == 404
    assert active_rows(db, other.id) == 1
    assert "黄小宝" not in text(client.get("/family/")) and "*小宝" not in text(client.get("/family/"))


@pytest.mark.parametrize("raw", ["999999", "99999999999", "2147483648", "abc", "-1"])
def test_q2_unknown_family_row_is_404(client, actions, owner, raw):
    actions.login(owner)
    assert actions.post(f"/family/{raw}/remove").status_code == 404


def test_q2_remove_by_get_is_only_the_confirm_step(client, actions, db, owner):
    """A GET (a link, a prefetch, a reload) never removes: it is the 确定删除？ screen (issue 9 item 3)."""
    actions.login(owner)
    actions.post("/family/add", member_form(id_number=elder(db)))
    db.session.expire_all()
    row = db.session.query(FamilyMember).one()
    page = text(client.get(f"/family/{row.id}/remove"))
    assert "确定删除家庭成员" in page and f'action="/family/{row.id}/remove"' in page
    assert active_rows(db, owner.id) == 1


@pytest.mark.parametrize("raw", ["999999", "99999999999", "2147483648"])
def test_q2_unknown_family_row_is_404_on_the_confirm_step_too(client, actions, owner, raw):
    actions.login(owner)
    assert client.get(f"/family/{raw}/remove").status_code == 404


def test_q2_add_without_csrf_token_is_refused(client, actions, db, owner):
    actions.login(owner)
    response = client.post("/family/add", data=member_form())
    assert response.status_code == 400
    assert count(db, FamilyMember) == 0


def test_p3_invalid_add_swaps_its_errors_in_place_for_htmx(client, actions, owner):
    actions.login(owner)
    response = actions.post("/family/add", member_form(name=""), headers={"HX-Request": "true"})
    body = text(response)
    assert response.status_code == 200
    assert body.lstrip().startswith("<title>") and "<html" not in body
    assert "请填写姓名" in body


def test_p3_family_page_is_a_page_normally_and_a_fragment_for_htmx(client, actions, owner):
    actions.login(owner)
    page = text(client.get("/family/"))
    assert page.startswith("<!doctype html>") and "</html>" in page
    fragment = text(client.get("/family/", headers={"HX-Request": "true"}))
    assert fragment.lstrip().startswith("<title>") and "<html" not in fragment
    assert fragment.count('<main id="screen"') == 1 and "管理家庭成员" in fragment

"""组织机构成员 rules (SPEC O1, O8; issue 11 item 2): bind by 申报码 (kinds, unknown, rate limits), many
institutions, 解绑, and the day's declaration (idempotent, superseding, kept)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.factories import make_institution, make_person
from yks_web.models.health import PersonalDeclaration
from yks_web.models.institution import InstitutionDeclaration, InstitutionMember
from yks_web.services import institution_members, share_codes
from yks_web.services.institution_members import BindRefused
from yks_web.services.rate_limits import RateLimited

T0 = datetime(2026, 11, 20, 1, 0)  # naive UTC: Friday 09:00 in Asia/Shanghai
DAY = date(2026, 11, 20)


def bind(db, person, code, address="10.0.0.1", at=T0):
    return institution_members.bind_by_code(db.session, person.id, code, address=address, utc_now=at)


def answers(**kw) -> dict:
    values = {"location_province": "广东省", "location_city": "广州市", "temperature": Decimal("36.5"),
              "temperature_band": None, "has_symptoms": False, "risk_travel": False, "contact_case": False,
              "remarks": ""}
    values.update(kw)
    return values


def declare(db, institution, person, key, day=DAY, at=T0, **kw):
    return institution_members.declare(
        db.session, institution_id=institution.id, person_id=person.id, answers=answers(**kw), on_duty=True,
        work_place="本部", form_key=key, day=day, utc_now=at,
    )


def test_item2_bind_by_code_with_spaces_and_dashes(db):
    institution = make_institution(db)
    member = make_person(db, "陈成员")
    code = institution.code
    row = bind(db, member, f" {code[:3]}-{code[3:6]} {code[6:]} ")
    assert row.institution_id == institution.id and row.active


def test_item2_o8_a_grid_code_is_told_apart(db):
    member = make_person(db, "陈成员")
    with pytest.raises(BindRefused) as refused:
        bind(db, member, "6123456789")
    assert refused.value.message == share_codes.wrong_kind_message("6123456789", "institution")
    assert "网格申报码" in refused.value.message and "以1开头" in refused.value.message


def test_item2_o8_a_place_code_is_told_apart(db):
    member = make_person(db, "陈成员")
    with pytest.raises(BindRefused) as refused:
        bind(db, member, "3123456789")
    assert "场所申报码" in refused.value.message


def test_item2_a_malformed_code_asks_for_ten_digits(db):
    with pytest.raises(BindRefused) as refused:
        bind(db, make_person(db, "陈成员"), "12345")
    assert "10位数字" in refused.value.message


def test_item2_an_unknown_institution_code_is_said_clearly(db):
    make_institution(db)
    with pytest.raises(BindRefused) as refused:
        bind(db, make_person(db, "陈成员"), "1000000000")
    assert refused.value.message == institution_members.UNKNOWN_CODE


def test_item2_o8_codes_are_rate_limited_per_account(db):
    member = make_person(db, "陈成员")
    for _ in range(share_codes.BIND_PER_ACCOUNT.count):
        with pytest.raises(BindRefused):
            bind(db, member, "1000000000")
    institution = make_institution(db)
    with pytest.raises(RateLimited):  # even the right code, until the hour has passed
        bind(db, member, institution.code)
    assert bind(db, member, institution.code, at=T0 + timedelta(hours=1, seconds=1)).active


def test_item2_o8_codes_are_rate_limited_per_address(db):
    people = [make_person(db, f"成员{'甲乙丙丁戊己庚辛壬癸'[i % 10]}{i}") for i in range(7)]
    for i in range(share_codes.BIND_PER_ADDRESS.count):
        with pytest.raises(BindRefused):
            bind(db, people[i // 10], "1000000000", address="10.9.9.9")
    with pytest.raises(RateLimited):
        bind(db, people[6], "1000000000", address="10.9.9.9")


def test_item2_one_member_binds_many_institutions_listed_in_binding_order(db):
    first, second = make_institution(db, name="甲公司"), make_institution(db, name="乙公司")
    member = make_person(db, "陈成员")
    bind(db, member, second.code)
    bind(db, member, first.code, at=T0 + timedelta(minutes=1))
    listed = institution_members.bound_institutions(db.session, member.id, DAY)
    assert [b.institution.name for b in listed] == ["乙公司", "甲公司"]
    assert not any(b.declared_today for b in listed)


def test_item2_binding_twice_is_one_row(db):
    institution = make_institution(db)
    member = make_person(db, "陈成员")
    assert bind(db, member, institution.code).id == bind(db, member, institution.code).id
    assert db.session.scalar(select(func.count()).select_from(InstitutionMember)) == 1


def test_item2_unbind_then_bind_again_revives_the_row(db):
    institution = make_institution(db)
    member = make_person(db, "陈成员")
    row = bind(db, member, institution.code)
    institution_members.unbind(db.session, row, T0)
    assert not row.active and row.ended_at == T0
    assert institution_members.bound_institutions(db.session, member.id, DAY) == []
    again = bind(db, member, institution.code, at=T0 + timedelta(hours=2))
    assert again.id == row.id and again.active and again.ended_at is None


def test_item2_a_member_may_not_bind_without_end(db, monkeypatch):
    monkeypatch.setattr(institution_members, "MAX_INSTITUTIONS", 2)
    member = make_person(db, "陈成员")
    for name in ("甲", "乙"):
        institution_members.bind(db.session, member.id, make_institution(db, name=name), T0)
    with pytest.raises(BindRefused) as refused:
        institution_members.bind(db.session, member.id, make_institution(db, name="丙"), T0)
    assert "最多绑定2个" in refused.value.message


def test_item2_declaration_is_a_personal_declaration_with_the_institutions_fields(db):
    institution = make_institution(db)
    member = make_person(db, "陈成员")
    bind(db, member, institution.code)
    row = declare(db, institution, member, "k1")
    assert (row.day, row.on_duty, row.work_place) == (DAY, True, "本部")
    assert row.personal.person_id == member.id and row.personal.temperature == Decimal("36.5")
    listed = institution_members.bound_institutions(db.session, member.id, DAY)
    assert listed[0].declared_today


def test_item2_the_same_form_twice_is_one_declaration(db):
    institution = make_institution(db)
    member = make_person(db, "陈成员")
    first = declare(db, institution, member, "same-key")
    second = declare(db, institution, member, "same-key")
    assert first.id == second.id
    assert db.session.scalar(select(func.count()).select_from(InstitutionDeclaration)) == 1
    assert db.session.scalar(select(func.count()).select_from(PersonalDeclaration)) == 1


def test_item2_a_second_declaration_the_same_day_is_kept_beside_the_first(db):
    institution = make_institution(db)
    member = make_person(db, "陈成员")
    declare(db, institution, member, "k1")
    declare(db, institution, member, "k2", at=T0 + timedelta(hours=1), temperature=Decimal("37.8"))
    assert db.session.scalar(select(func.count()).select_from(InstitutionDeclaration)) == 2


def test_item2_done_shows_only_ones_own_declaration_of_that_institution(db):
    institution, other = make_institution(db, name="甲"), make_institution(db, name="乙")
    member, stranger = make_person(db, "陈成员"), make_person(db, "王路人")
    row = declare(db, institution, member, "k1")
    assert institution_members.own_declaration(db.session, institution.id, member.id, row.id) is row
    assert institution_members.own_declaration(db.session, institution.id, stranger.id, row.id) is None
    assert institution_members.own_declaration(db.session, other.id, member.id, row.id) is None

"""组织机构管理员 rules (SPEC O1, O8; issue 11 item 1; FAQ (三) 2): bind one institution, weekly 修改信息."""

from __future__ import annotations

from datetime import date, datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from tests.factories import make_person
from yks_web.clock import TZ
from yks_web.models.institution import ADMIN_LEVELS, Institution
from yks_web.services import institutions, share_codes
from yks_web.services.errors import DomainError

T0 = datetime(2026, 11, 20, 1, 0)  # naive UTC: Friday 2026-11-20 09:00 in Asia/Shanghai


def local(*args) -> datetime:
    return datetime(*args, tzinfo=TZ)


def utc(moment: datetime) -> datetime:
    return moment.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def details(**kw) -> institutions.Details:
    values = {"name": "天河区某某公司", "level": "县（区）级", "phone": "13800000001", "address": "天河路1号"}
    values.update(kw)
    return institutions.Details(**values)


def register(db, admin=None, **kw) -> Institution:
    admin = admin or make_person(db, "林管理")
    return institutions.register(db.session, admin.id, details(**kw), T0)


def test_item1_register_makes_a_code_of_ten_digits_starting_with_1(db):
    institution = register(db)
    assert len(institution.code) == 10 and institution.code.isdigit() and institution.code.startswith("1")
    assert share_codes.kind_of(institution.code) == "institution"
    assert institution.phone_masked == "138****0001" and institution.level == "县（区）级"
    assert institution.edited_at is None


def test_item1_codes_are_random_and_unique(db):
    codes = {register(db, make_person(db, f"管理员{i}")).code for i in range(8)}
    assert len(codes) == 8


def test_item1_one_admin_one_institution_a_second_register_returns_the_first(db):
    admin = make_person(db, "林管理")
    first = register(db, admin)
    second = institutions.register(db.session, admin.id, details(name="另一个机构"), T0)
    assert second.id == first.id and second.name == "天河区某某公司"
    assert db.session.scalar(select(func.count()).select_from(Institution)) == 1


def test_item1_the_schema_refuses_a_second_institution_for_one_admin(db):
    from sqlalchemy.exc import IntegrityError

    admin = make_person(db, "林管理")
    register(db, admin)
    twin = Institution(code="1999999999", name="双击", address="x", level="其他", admin_id=admin.id, created_at=T0)
    twin.set_phone("13800000002")
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(twin)


def test_item1_a_taken_code_is_drawn_again(db):
    taken = register(db).code
    fresh = "1000000007"
    with mock.patch.object(share_codes, "generate", side_effect=[taken, fresh]):
        institution = register(db, make_person(db, "第二位"))
    assert institution.code == fresh


def test_item1_levels_are_the_fixed_list():
    assert ADMIN_LEVELS == ("省级", "市级", "县（区）级", "乡镇（街道）级", "村（社区）级", "其他")


def test_item1_edit_changes_level_name_phone_but_not_code_or_address(db):
    institution = register(db)
    code = institution.code
    institutions.edit(db.session, institution, details(name="新名称", level="市级", phone="13900000009"),
                      utc_now=T0, local_now=local(2026, 11, 20, 9, 0))
    assert (institution.name, institution.level, institution.phone_masked) == ("新名称", "市级", "139****0009")
    assert institution.code == code and institution.address == "天河路1号"
    assert institution.edited_at == T0


def test_item1_edit_refused_again_the_same_natural_week_with_the_date(db):
    institution = register(db)
    institutions.edit(db.session, institution, details(name="第一次"), utc_now=T0, local_now=local(2026, 11, 20, 9))
    with pytest.raises(DomainError) as refused:
        institutions.edit(db.session, institution, details(name="第二次"), utc_now=utc(local(2026, 11, 22, 23, 59)),
                          local_now=local(2026, 11, 22, 23, 59))
    assert "2026年11月23日" in refused.value.message and "每周仅可修改一次" in refused.value.message
    assert institution.name == "第一次"
    assert institutions.edit_opens(institution, local(2026, 11, 22, 23, 59)) == date(2026, 11, 23)
    # Monday 00:00 in Shanghai (still Sunday in UTC): open again
    institutions.edit(db.session, institution, details(name="第二次"), utc_now=utc(local(2026, 11, 23, 0, 0)),
                      local_now=local(2026, 11, 23, 0, 0))
    assert institution.name == "第二次"


def test_item1_binding_does_not_use_up_the_weeks_edit(db):
    institution = register(db)
    assert institutions.edit_opens(institution, local(2026, 11, 20, 9)) is None


def test_item1_a_race_past_the_check_ends_with_the_twins_institution(db):
    """Two taps both saw no institution; the second's insert hits the unique admin_id and returns the first's."""
    admin = make_person(db, "林管理")
    first = register(db, admin)
    real = institutions.of_admin
    calls = iter([None])
    with mock.patch.object(institutions, "of_admin", side_effect=lambda s, pid: next(calls, None) or real(s, pid)):
        second = institutions.register(db.session, admin.id, details(name="双击"), T0)
    assert second.id == first.id
    assert db.session.scalar(select(func.count()).select_from(Institution)) == 1

"""医护人员 (SPEC O7; issue 11 item 4): who is enabled (verified name + phone on an active row), 开通 and 撤销 with
their log, and the 表5-2 import with a per-row report."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import pytest
from openpyxl import Workbook

from tests.blueprints.support import count
from tests.factories import make_person
from yks_web.models.medical import VIA_CLI, VIA_IMPORT, MedicalStaff, MedicalStaffEvent
from yks_web.services import access, medical_staff

UTC_NOW = datetime(2026, 11, 20, 1, 0)
PHONE = "13800000001"


def values(name="张医生", phone=PHONE, unit="广州市越秀区人民医院", position="主治医师"):
    found, errors = medical_staff.clean({"name": name, "phone": phone, "unit": unit, "position": position})
    assert not errors, errors
    return found


def test_item4_enabled_staff_is_an_active_row_with_the_verified_name_and_the_phone(db):
    doctor = make_person(db, "张医生", phone=PHONE)
    assert not medical_staff.is_enabled(db.session, doctor)
    staff = medical_staff.enable(db.session, values(), actor_id=None, via=VIA_CLI, utc_now=UTC_NOW)
    assert medical_staff.staff_of(db.session, doctor) is staff
    assert access.holds(db.session, doctor, "medical_staff") and access.scanning_role(db.session, doctor) == \
        "medical_staff"
    assert staff.phone == PHONE and staff.phone_masked == "138****0001" and staff.phone_hash == doctor.phone_hash


@pytest.mark.parametrize("who", ["other_name", "other_phone", "unverified", "no_phone"])
def test_item4_a_name_or_phone_that_differs_is_not_enabled(db, who):
    medical_staff.enable(db.session, values(), actor_id=None, via=VIA_CLI, utc_now=UTC_NOW)
    person = {
        "other_name": lambda: make_person(db, "张医师", phone=PHONE),
        "other_phone": lambda: make_person(db, "张医生", phone="13800000002"),
        "unverified": lambda: make_person(db, "张医生", phone=PHONE, verified=False),
        "no_phone": lambda: make_person(db, "张医生"),
    }[who]()
    assert medical_staff.staff_of(db.session, person) is None
    assert not access.may_scan(db.session, person)


def test_item4_enabling_twice_is_refused_and_revoking_ends_the_row(db):
    doctor = make_person(db, "张医生", phone=PHONE)
    operator = make_person(db, "孙运营", is_operator=True)
    staff = medical_staff.enable(db.session, values(), actor_id=operator.id, utc_now=UTC_NOW)
    with pytest.raises(medical_staff.StaffError) as twice:
        medical_staff.enable(db.session, values(unit="另一家医院"), actor_id=operator.id, utc_now=UTC_NOW)
    assert "已开通医护人员权限" in twice.value.message
    medical_staff.revoke(db.session, staff, actor_id=operator.id, utc_now=UTC_NOW + timedelta(hours=1))
    assert staff.revoked_at == UTC_NOW + timedelta(hours=1) and staff.revoked_by_id == operator.id
    assert medical_staff.staff_of(db.session, doctor) is None
    with pytest.raises(medical_staff.StaffError):
        medical_staff.revoke(db.session, staff, actor_id=operator.id, utc_now=UTC_NOW)
    again = medical_staff.enable(db.session, values(), actor_id=operator.id, utc_now=UTC_NOW + timedelta(hours=2))
    assert again.id != staff.id and medical_staff.staff_of(db.session, doctor) is again
    events = medical_staff.recent_events(db.session)
    assert [(e.action, e.staff_id, e.actor_id) for e in events] == [
        ("enable", again.id, operator.id), ("revoke", staff.id, operator.id), ("enable", staff.id, operator.id)]


@pytest.mark.parametrize("field, typed, message", [
    ("name", "", "请填写姓名"),
    ("name", "张\u202e医生", "姓名不能包含控制字符或不可见字符"),
    ("phone", "", "请填写联系电话"),
    ("phone", "12345", "联系电话应为11位中国大陆手机号"),
    ("unit", "", "请填写单位名称"),
    ("unit", "院" * 101, "单位名称不能超过100个字"),
    ("position", "", "请填写职位"),
    ("position", "医\t师", "职位含有不可见的控制字符，请删除后重新填写"),
])
def test_item4_each_field_of_table_5_2_is_checked(field, typed, message):
    raw = {"name": "张医生", "phone": PHONE, "unit": "医院", "position": "医师", field: typed}
    found, errors = medical_staff.clean(raw)
    assert found is None and errors == {field: message}


def test_item4_full_width_phone_digits_are_the_same_phone():
    assert values(phone="１３８００００００01").phone == PHONE


def csv_file(*rows: str, header: str = "序号,姓名,联系电话,单位名称,职位") -> bytes:
    return ("\ufeff" + "\n".join([header, *rows]) + "\n").encode("utf-8")


def xlsx_file(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_item4_import_enables_good_rows_and_reports_the_others_by_number(db):
    data = csv_file("1,张医生,13800000001,越秀区人民医院,主治医师",
                    "2,李护士,138000,越秀区人民医院,护士",
                    "",
                    "3,王医生,13800000003,,医师",
                    "4,张医生,13800000001,越秀区人民医院,主治医师")
    rows = medical_staff.read_table("名单.csv", data)
    result = medical_staff.import_rows(db.session, rows, actor_id=None, via=VIA_IMPORT, utc_now=UTC_NOW)
    assert result.added == 1
    assert [number for number, _ in result.errors] == [3, 4, 5]  # the blank line is skipped, not counted
    assert result.errors[0][1] == ["联系电话应为11位中国大陆手机号"]
    assert result.errors[1][1] == ["请填写单位名称"]
    assert "已开通医护人员权限" in result.errors[2][1][0]
    assert count(db, MedicalStaff) == 1 and count(db, MedicalStaffEvent, MedicalStaffEvent.via == VIA_IMPORT) == 1


def test_item4_import_reads_the_guides_xlsx_headers_and_numeric_phones(db):
    data = xlsx_file([["序号", "姓名\n（必填）", "联系电话（必填）", "单位名称（必填）", "职位（必填）"],
                      [1, "张医生", 13800000001, "越秀区人民医院", "主治医师"],
                      [2, "李护士", 13800000002.0, "越秀区人民医院", "护士长"]])
    rows = medical_staff.read_table("名单.XLSX", data)
    result = medical_staff.import_rows(db.session, rows, actor_id=None, via=VIA_IMPORT, utc_now=UTC_NOW)
    assert (result.added, result.errors) == (2, [])
    assert sorted(s.phone for s in medical_staff.active_staff(db.session)[0]) == ["13800000001", "13800000002"]


@pytest.mark.parametrize("filename, data, message", [
    ("名单.txt", b"x", "请上传CSV或Excel（.xlsx）文件"),
    ("名单.csv", b"", "文件为空"),
    ("名单.csv", csv_file("1,张医生", header="序号,姓名"), "缺少联系电话、单位名称、职位"),
    ("名单.xlsx", b"not a zip", "无法读取该Excel文件"),
])
def test_item4_a_file_that_is_not_table_5_2_is_refused_as_a_whole(filename, data, message):
    with pytest.raises(medical_staff.StaffError) as refused:
        medical_staff.read_table(filename, data)
    assert message in refused.value.message


def test_item4_the_import_report_is_the_operators_own_and_kept_a_day(db):
    operator = make_person(db, "孙运营", is_operator=True)
    other = make_person(db, "周运营", is_operator=True)
    result = medical_staff.import_rows(db.session, medical_staff.read_table("a.csv", csv_file("1,张医生,1,医院,医师")),
                                       actor_id=operator.id, via=VIA_IMPORT, utc_now=UTC_NOW)
    report_id = medical_staff.save_report(db.session, operator.id, result, UTC_NOW)
    loaded = medical_staff.load_report(db.session, report_id, operator.id, UTC_NOW)
    assert loaded.added == 0 and loaded.errors == [(2, ["联系电话应为11位中国大陆手机号"])]
    assert medical_staff.load_report(db.session, report_id, other.id, UTC_NOW) is None
    assert medical_staff.load_report(db.session, "1", operator.id, UTC_NOW) is None
    assert medical_staff.load_report(db.session, report_id, operator.id, UTC_NOW + timedelta(days=2)) is None

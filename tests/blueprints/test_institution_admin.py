"""组织机构管理员 screens (SPEC O1, O8; issue 11 items 1 and 3): 绑定, 组织机构 with 申报码 and 【复制】,
绑定人信息 → 修改信息 once a week, the 看板 of any day (masked, audited) and its export."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tests.blueprints.code_qr import decoded as decoded_qrs
from tests.blueprints.support import (
    TODAY,
    YESTERDAY,
    assert_fragment,
    assert_whole_page,
    collapse,
    count,
    location_path,
    text,
)
from tests.factories import make_institution, make_institution_member, make_person
from yks_web import clock as app_clock
from yks_web.models import AuditLog, Institution
from yks_web.services import institution_members

BIND = {"name": "天河区某某公司", "address": "天河路1号", "level": "县（区）级", "phone": "13800000001"}


@pytest.fixture
def admin(db):
    person = make_person(db, "林管理", phone="13800000001")
    db.session.commit()
    return person


def bound(db, admin) -> Institution:
    """The institution the BIND form makes."""
    institution = make_institution(db, admin, **BIND)
    db.session.commit()
    return institution


def members(db, institution, names, declare=()) -> list:
    people = [make_institution_member(db, institution, name, at=app_clock.utcnow() - timedelta(days=3))
              for name in names]
    for i, person in enumerate(people):
        if i in declare:
            institution_members.declare(
                db.session, institution_id=institution.id, person_id=person.id, on_duty=True, work_place="本部",
                answers={"location_province": "广东省", "location_city": "广州市",
                         "temperature": Decimal("38.0") if i == 0 else Decimal("36.5"), "temperature_band": None,
                         "has_symptoms": False, "risk_travel": i == 1, "contact_case": False,
                         "remarks": "=1+1" if i == 0 else ""},
                form_key=f"k{person.id}", day=TODAY, utc_now=app_clock.utcnow())
    db.session.commit()
    return people


def test_item1_chooser_from_the_workbench_menu(client, actions, admin):
    actions.login(admin)
    home = text(client.get("/"))
    assert "组织机构成员健康情况采集" in home and "/institution/" in home
    page = client.get("/institution/")
    assert_whole_page(page)
    assert "组织机构管理员" in text(page) and "组织机构成员" in text(page) and "不支持多层级架构" in text(page)
    assert_fragment(client.get("/institution/", headers={"HX-Request": "true"}))


def test_item1_anonymous_is_sent_to_real_name_login(client):
    response = client.get("/institution/admin/bind")
    assert response.status_code in (302, 303) and "/auth/login" in response.headers["Location"]


def test_item1_admin_without_institution_goes_to_bind_with_phone_prefilled(client, actions, admin):
    actions.login(admin)
    response = client.get("/institution/admin")
    assert response.status_code == 303 and location_path(response) == "/institution/admin/bind"
    page = client.get("/institution/admin/bind")
    assert_whole_page(page)
    body = text(page)
    for label in ("组织机构名称", "组织机构地址", "行政归属层级", "管理员手机号", "不支持多层级架构"):
        assert label in body
    for level in ("省级", "市级", "县（区）级", "乡镇（街道）级", "村（社区）级", "其他"):
        assert f'<option value="{level}">' in body
    assert 'value="13800000001"' in body
    assert_fragment(client.get("/institution/admin/bind", headers={"HX-Request": "true"}))


def test_item1_bind_generates_the_code_at_once_shown_with_copy(client, actions, db, admin):
    actions.login(admin)
    response = actions.post("/institution/admin/bind", BIND)
    assert response.status_code == 303
    institution = db.session.scalar(db.select(Institution))
    assert location_path(response) == f"/institution/{institution.id}"
    assert institution.code.startswith("1") and len(institution.code) == 10 and institution.admin_id == admin.id
    page = client.get(f"/institution/{institution.id}")
    assert_whole_page(page)
    body = collapse(text(page))
    assert f'value="{institution.code}"' in body and 'data-copy="#institution-code"' in body
    assert ">复制</button>" in body and "不支持多层级架构" in body and "绑定成功" in body
    assert_fragment(client.get(f"/institution/{institution.id}", headers={"HX-Request": "true"}))


def test_item1_one_admin_one_institution_a_second_bind_or_double_tap_is_no_second(client, actions, db, admin):
    actions.login(admin)
    assert actions.post("/institution/admin/bind", BIND).status_code == 303
    again = actions.post("/institution/admin/bind", {**BIND, "name": "第二个机构"})
    assert again.status_code == 303
    assert count(db, Institution) == 1
    assert client.get("/institution/admin/bind").status_code == 303
    assert location_path(client.get("/institution/admin")).startswith("/institution/")


def test_item1_invalid_bind_rerenders_with_messages_and_keeps_what_was_typed(client, actions, db, admin):
    actions.login(admin)
    response = actions.post("/institution/admin/bind", {**BIND, "phone": "12345", "level": "国家级", "address": ""})
    assert response.status_code == 200
    body = text(response)
    assert "请填写11位中国大陆手机号" in body and "请填写组织机构地址" in body and "天河区某某公司" in body
    assert "不是有效的选择" in body or "请选择行政归属层级" in body
    assert count(db, Institution) == 0
    response = actions.post("/institution/admin/bind", {**BIND, "name": "名" * 51},
                            headers={"HX-Request": "true"})
    assert_fragment(response)
    assert "组织机构名称不能超过50个字" in text(response)


def test_item1_another_admins_institution_is_404(client, actions, db, admin):
    institution = bound(db, admin)
    other = make_person(db, "王别人")
    db.session.commit()
    actions.login(other)
    for path in ("", "/binder", "/edit", "/board", "/export.csv"):
        assert client.get(f"/institution/{institution.id}{path}").status_code == 404, path
    assert actions.post(f"/institution/{institution.id}/edit", BIND).status_code == 404
    assert client.get("/institution/99999").status_code == 404
    assert client.get("/institution/99999999999999").status_code == 404


def test_item1_a_member_is_not_the_admin(client, actions, db, admin):
    institution = bound(db, admin)
    member = members(db, institution, ["陈成员"])[0]
    actions.login(member)
    assert client.get(f"/institution/{institution.id}").status_code == 404
    assert client.get(f"/institution/{institution.id}/board").status_code == 404


def test_item1_binder_info_then_edit_prefilled_once_a_natural_week(client, actions, db, admin, clock):
    institution = bound(db, admin)
    actions.login(admin)
    info = client.get(f"/institution/{institution.id}/binder")
    assert_whole_page(info)
    assert "138****0001" in text(info) and "修改信息" in text(info) and "*管理" in text(info)
    assert_fragment(client.get(f"/institution/{institution.id}/binder", headers={"HX-Request": "true"}))
    form = client.get(f"/institution/{institution.id}/edit")
    assert_whole_page(form)
    body = text(form)
    assert 'value="天河区某某公司"' in body and 'value="13800000001"' in body
    assert '<option selected value="县（区）级">' in body
    assert "组织机构地址" not in body  # not in the FAQ's 修改范围
    changed = {"name": "天河区新名称", "level": "市级", "phone": "13900000009"}
    response = actions.post(f"/institution/{institution.id}/edit", changed)
    assert response.status_code == 303 and location_path(response) == f"/institution/{institution.id}/binder"
    db.session.refresh(institution)
    assert (institution.name, institution.level, institution.phone_masked) == ("天河区新名称", "市级", "139****0009")
    # Sunday night of the same week: refused, with the Monday it opens again; nothing changes.
    clock(datetime(2026, 11, 22, 23, 0))
    refusal = "每周仅可修改一次，下周一（2026年11月23日）起可再次修改"
    assert refusal in text(client.get(f"/institution/{institution.id}/binder"))
    page = client.get(f"/institution/{institution.id}/edit")
    assert page.status_code == 200 and refusal in text(page) and "确认修改" not in text(page)
    again = actions.post(f"/institution/{institution.id}/edit", {**changed, "name": "又改了"})
    assert again.status_code == 200 and refusal in text(again)
    assert 'value="又改了"' in text(again)  # what was typed is not lost on the refusal
    db.session.refresh(institution)
    assert institution.name == "天河区新名称"
    clock(datetime(2026, 11, 23, 0, 1))
    assert "确认修改" in text(client.get(f"/institution/{institution.id}/edit"))


def test_item1_saving_the_form_unchanged_does_not_use_up_the_week(client, actions, db, admin):
    institution = bound(db, admin)
    actions.login(admin)
    same = {"name": institution.name, "level": institution.level, "phone": institution.phone}
    response = actions.post(f"/institution/{institution.id}/edit", same)
    assert response.status_code == 303
    db.session.refresh(institution)
    assert institution.edited_at is None
    assert "确认修改" in text(client.get(f"/institution/{institution.id}/edit"))


def test_item1_invalid_edit_rerenders_and_uses_nothing_up(client, actions, db, admin):
    institution = bound(db, admin)
    actions.login(admin)
    response = actions.post(f"/institution/{institution.id}/edit", {"name": "", "level": "市级", "phone": "1"})
    assert response.status_code == 200 and "请填写组织机构名称" in text(response)
    db.session.refresh(institution)
    assert institution.edited_at is None


def test_item3_dashboard_counts_today(client, actions, db, admin):
    institution = bound(db, admin)
    members(db, institution, ["甲一", "乙二", "丙三", "丁四"], declare=(0, 1))
    actions.login(admin)
    body = collapse(text(client.get(f"/institution/{institution.id}")))
    assert "已申报 <strong>2</strong>/4" in body
    for label, value in (("绑定成员", 4), ("今日已申报", 2), ("今日未申报", 2), ("发热", 1),
                         ("14日内有中高风险地区旅居史", 1)):
        assert f"<dt>{label}</dt><dd>{value}人</dd>" in body, label


def test_item3_board_of_a_day_masked_and_audited_per_subject(client, actions, db, admin):
    institution = bound(db, admin)
    people = members(db, institution, ["甲一", "乙二", "丙三"], declare=(0,))
    actions.login(admin)
    page = client.get(f"/institution/{institution.id}/board?day={TODAY.isoformat()}")
    assert_whole_page(page)
    body = text(page)
    assert "*一" in body and "甲一" not in body and people[0].masked_id in body
    assert "38.0℃" in body and "未申报" in body and "发热" in body
    assert count(db, AuditLog) == 3
    rows = db.session.scalars(db.select(AuditLog)).all()
    assert {r.subject_id for r in rows} == {p.id for p in people}
    assert {(r.role, r.action, r.context) for r in rows} == {("institution_admin", "view_org_day", "天河区某某公司")}
    assert_fragment(client.get(f"/institution/{institution.id}/board", headers={"HX-Request": "true"}))
    yesterday = text(client.get(f"/institution/{institution.id}/board?day={YESTERDAY.isoformat()}"))
    assert "已申报 <strong>0</strong>/3" in yesterday


@pytest.mark.parametrize(("raw", "message"), [
    ("2026-13-45", "日期格式不正确"), ("yesterday", "日期格式不正确"), ("2026-11-21", "不能查看未来日期"),
    ("9" * 400, "日期格式不正确"), ("２０２６-１１-２０", "日期格式不正确"),
])
def test_item3_a_bad_or_future_day_is_a_message_not_an_error(client, actions, db, admin, raw, message):
    institution = bound(db, admin)
    actions.login(admin)
    response = client.get(f"/institution/{institution.id}/board", query_string={"day": raw})
    assert response.status_code == 200
    assert message in text(response) and TODAY.isoformat() in text(response)


def test_item3_export_csv_and_xlsx_formula_safe_masked_and_audited(client, actions, db, admin):
    institution = bound(db, admin)
    people = members(db, institution, ["甲一", "乙二"], declare=(0,))
    actions.login(admin)
    response = client.get(f"/institution/{institution.id}/export.csv?day={TODAY.isoformat()}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    lines = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert lines[0][:3] == ["姓名", "证件号码", "是否申报"] and len(lines) == 3
    declared = next(line for line in lines if line[0] == "甲一")
    assert declared[1] == people[0].masked_id and declared[12] == "'=1+1" and declared[6] == "是"
    assert count(db, AuditLog, AuditLog.action == "export_csv") == 2
    response = client.get(f"/institution/{institution.id}/export.xlsx?day={TODAY.isoformat()}")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert any(cell.value == "=1+1" and cell.data_type == "s" for cell in cells)
    assert not any(cell.data_type == "f" for cell in cells)
    assert count(db, AuditLog, AuditLog.action == "export_xlsx") == 2
    assert client.get(f"/institution/{institution.id}/export.csv?day=2026-99-01").status_code == 404
    assert client.get(f"/institution/{institution.id}/export.pdf").status_code == 404


@pytest.mark.parametrize("raw", ["0001-01-01", "2019-12-01", YESTERDAY.isoformat()])
def test_item3_any_past_day_however_old_is_a_board(client, actions, db, admin, raw):
    institution = bound(db, admin)
    actions.login(admin)
    response = client.get(f"/institution/{institution.id}/board", query_string={"day": raw})
    assert response.status_code == 200
    assert f'value="{raw}"' in text(response) and "日期格式不正确" not in text(response)


def test_item1_item2_the_entry_qr_codes_open_each_side_and_the_members_carries_the_code(client, actions, db, admin):
    """Issue 11 items 1, 2: the printable entry QR codes (图2-2, 图2-5) and, on the 组织机构 page, a member's QR that
    opens the bind form with the 申报码 filled in. Each QR is decoded."""
    import base64
    import io
    import re

    from PIL import Image

    def decoded(page: str) -> list[str]:
        images = re.findall(r'src="data:image/png;base64,([^"]+)"', page)
        return [decoded_qrs(Image.open(io.BytesIO(base64.b64decode(i))))[0] for i in images]

    actions.login(admin)
    entry = client.get("/institution/entry")
    assert_whole_page(entry)
    assert decoded(text(entry)) == ["http://yks.test/institution/admin", "http://yks.test/institution/member"]
    assert "打印入口二维码" in text(client.get("/institution/"))
    institution = bound(db, admin)
    links = decoded(text(client.get(f"/institution/{institution.id}")))
    assert links == [f"http://yks.test/institution/member/bind?code={institution.code}"]


def test_item3_the_board_shows_a_page_at_a_time_with_filters_and_audits_only_what_it_shows(client, actions, db, admin):
    """Thousands of members: the 看板 lists PAGE_SIZE at a time (全部 / 未申报 / 发热), counts every member, and
    writes a read only for the members on the page; the export keeps them all."""
    from yks_web.models import AuditLog
    from yks_web.services import institution_day

    institution = bound(db, admin)
    names = [f"成员{i:03d}" for i in range(institution_day.PAGE_SIZE + 5)]
    members(db, institution, names, declare=range(0, len(names), 2))
    db.session.commit()
    actions.login(admin)
    first = text(client.get(f"/institution/{institution.id}/board"))
    assert f"已申报 <strong>53</strong>/{len(names)}" in first and "第1/2页" in first and "下一页" in first
    assert count(db, AuditLog) == institution_day.PAGE_SIZE
    second = text(client.get(f"/institution/{institution.id}/board?page=2"))
    assert "第2/2页" in second and "上一页" in second and "下一页" not in second
    missing = text(client.get(f"/institution/{institution.id}/board?show=missing"))
    assert "成员申报情况（52人）" in missing and "已申报</span>" not in missing and "第1/2页" not in missing
    for odd in ("page=0", "page=999", "page=x", "show=nope", "page=" + "9" * 40):
        assert client.get(f"/institution/{institution.id}/board?{odd}").status_code == 200
    export = client.get(f"/institution/{institution.id}/export.csv")
    assert export.data.decode("utf-8-sig").count("\n") == len(names) + 1

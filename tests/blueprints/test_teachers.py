"""W10 外籍教师申报: the school's list (one by one, CSV/XLSX import with per-row errors), the collector's
添加外籍教师 → 确认并添加 → 修改信息 → 提交 of changed fields only, and the admin seeing the changes."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from tests.blueprints.support import TODAY, count, location, text
from tests.factories import make_admin, make_org, make_person, make_school
from yks_web import clock
from yks_web.models import ForeignTeacher, TeacherAssignment, TeacherDeclaration
from yks_web.services import teachers

HEADER = "姓名,任教层次,国籍,所属洲,目前所在地,是否居住校内,新冠肺炎情况,备注,入境日期,入境时间,交通方式及班次"


def teacher_form(**overrides) -> dict:
    data = {"name": "Dorian Lam", "teaching_level": "高校", "nationality": "美国", "continent": "北美洲",
            "current_location": "广东省内", "lives_on_campus": "否", "covid_status": "无", "remarks": "",
            "entry_date": "2020-03-13", "entry_time": "19:56", "transport": "飞机 CZ328"}
    data.update(overrides)
    return data


def plain(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


@pytest.fixture
def world(db):
    school = make_school(db)
    admin = make_admin(db, school)
    org = make_org(db, school, make_person(db, "蒋小华"))
    values, errors = teachers.clean(teacher_form(), today=TODAY)
    assert not errors
    dorian = teachers.add(db.session, school.id, values, clock.utcnow())
    values, _ = teachers.clean(teacher_form(name="Fourier FU", nationality="澳大利亚", continent="大洋洲"),
                              today=TODAY)
    fourier = teachers.add(db.session, school.id, values, clock.utcnow())
    db.session.commit()
    return school, admin, org, dorian, fourier


def test_w10_clean_refuses_bad_values_with_the_guides_labels():
    _, errors = teachers.clean(teacher_form(name="", teaching_level="大学", entry_date="13/03/2020",
                                            entry_time="25:00", remarks="咳" * 201), today=TODAY)
    assert errors == {
        "name": "请填写姓名", "teaching_level": "任教层次应为：" + "、".join(teachers.FIELDS["teaching_level"][1]),
        "remarks": "备注不能超过200个字", "entry_date": "入境日期格式应为 2020-03-13",
        "entry_time": "入境时间格式应为 19:56",
    }


def test_w10_admin_adds_one_by_one_and_duplicates_are_refused(client, db, actions, world):
    school, admin, *_ = world
    actions.login(admin)
    page = text(client.get(f"/school/{school.id}/teachers/add"))
    assert "任教层次" in page and "交通方式及班次" in page
    response = actions.post(f"/school/{school.id}/teachers/add", teacher_form(name="Lam Chungchun",
                                                                              nationality="新加坡", continent="亚洲"))
    assert response.status_code == 303
    again = actions.post(f"/school/{school.id}/teachers/add", teacher_form(name="Lam Chungchun",
                                                                           nationality="新加坡", continent="亚洲"))
    assert "已在外籍教师名单中" in text(again)
    bad = actions.post(f"/school/{school.id}/teachers/add", teacher_form(name="", entry_time="7pm"))
    assert "请填写姓名" in text(bad) and "入境时间格式应为 19:56" in text(bad) and "飞机 CZ328" in text(bad)
    assert count(db, ForeignTeacher) == 3


def test_w10_import_csv_reports_each_bad_row(client, db, actions, world):
    school, admin, *_ = world
    actions.login(admin)
    csv_text = "\n".join([
        HEADER,
        "Smaiva Mubeens,高校,印度,亚洲,广东省内,是,无,,2020-03-01,08:00,飞机 AI310",
        ",高校,印度,亚洲,广东省内,是,无,,,,",
        "Anna Berg,高校,瑞典,欧洲,火星,否,无,,2020-02-30,,",
        "Dorian Lam,高校,美国,北美洲,广东省内,否,无,,,,",
    ])
    upload = (io.BytesIO(("\ufeff" + csv_text).encode("utf-8")), "teachers.csv")
    response = actions.post(f"/school/{school.id}/teachers/import", {"file": upload},
                            content_type="multipart/form-data")
    assert response.status_code == 303  # the report is a page of its own (issue 9 item 2)
    page = plain(text(client.get(location(response))))
    assert "成功导入 1 名外籍教师，3 行未导入" in page
    assert "第3行 请填写姓名" in page
    assert "第4行" in page and "目前所在地应为" in page and "入境日期格式应为" in page
    assert "第5行 Dorian Lam（美国）已在外籍教师名单中" in page
    assert db.session.scalar(select(ForeignTeacher).where(ForeignTeacher.name == "Smaiva Mubeens")).lives_on_campus


def test_w10_import_xlsx(client, db, actions, world):
    school, admin, *_ = world
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append(["Lam Chungchun", "高校", "新加坡", "亚洲", "港澳台地区", "否", "无", "", None, None, ""])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    actions.login(admin)
    response = actions.post(f"/school/{school.id}/teachers/import", {"file": (buffer, "t.xlsx")},
                            content_type="multipart/form-data")
    assert "成功导入 1 名外籍教师" in plain(text(client.get(location(response))))
    assert count(db, ForeignTeacher) == 3


@pytest.mark.parametrize(("name", "data", "message"), [
    ("t.txt", b"hello", "请上传CSV或Excel（.xlsx）文件"),
    ("t.xlsx", b"not a zip", "无法读取该Excel文件"),
    ("t.csv", b"", "文件为空"),
    ("t.csv", "名字,国家\nA,B\n".encode(), "第1行应为表头"),
])
def test_q2_bad_import_files_get_a_message(client, db, actions, world, name, data, message):
    school, admin, *_ = world
    actions.login(admin)
    response = actions.post(f"/school/{school.id}/teachers/import", {"file": (io.BytesIO(data), name)},
                            content_type="multipart/form-data")
    assert response.status_code == 200 and message in text(response)
    assert count(db, ForeignTeacher) == 2


def test_w10_collector_declares_only_what_changed(client, db, actions, world):
    school, admin, org, dorian, fourier = world
    collector = org.collector.person
    actions.login(collector)
    assert "暂无成员，请先添加" in text(client.get("/workbench/teachers"))
    page = text(client.get("/workbench/teachers/add"))
    assert "Dorian Lam（美国）" in page and "确认并添加" in page
    response = actions.post("/workbench/teachers/add", {"teacher": [str(dorian.id)]})
    assert location(response) == "/workbench/teachers"
    assert "Dorian Lam（美国）" in text(client.get("/workbench/teachers"))
    # 修改信息 shows every field of the guide's form, prefilled
    form = text(client.get(f"/workbench/teachers/{dorian.id}"))
    for label in teachers.LABELS.values():
        assert label in form
    assert 'value="飞机 CZ328"' in form
    # unchanged: not declared
    unchanged = actions.post(f"/workbench/teachers/{dorian.id}", teacher_form())
    assert teachers.NO_CHANGE in text(unchanged)
    assert count(db, TeacherDeclaration) == 0
    # changed: only the changed fields are declared
    edited = teacher_form(covid_status="疑似新冠肺炎", remarks="咳嗽")
    changed = actions.post(f"/workbench/teachers/{dorian.id}", edited)
    assert changed.status_code == 303
    [declaration] = db.session.scalars(select(TeacherDeclaration)).all()
    assert declaration.changes == {"covid_status": ["无", "疑似新冠肺炎"], "remarks": ["", "咳嗽"]}
    # the school admin sees the change
    actions.login(admin)
    page = plain(text(client.get(f"/school/{school.id}/teachers")))
    assert "Dorian Lam" in page and "新冠肺炎情况 无 → 疑似新冠肺炎" in page


def test_p7_teachers_of_other_schools_or_off_the_list_are_404(client, db, actions, world):
    school, admin, org, dorian, fourier = world
    other = make_school(db, "别的学校")
    values, _ = teachers.clean(teacher_form(name="Other One"), today=TODAY)
    stranger = teachers.add(db.session, other.id, values, clock.utcnow())
    db.session.commit()
    actions.login(org.collector.person)
    assert client.get(f"/workbench/teachers/{fourier.id}").status_code == 404  # not on my list
    assert actions.post("/workbench/teachers/add", {"teacher": [str(stranger.id)]}).status_code == 404
    assert actions.post("/workbench/teachers/add", {"teacher": ["abc"]}).status_code == 404
    assert count(db, TeacherAssignment) == 0
    actions.login(admin)
    assert client.get(f"/school/{other.id}/teachers").status_code == 404


def test_p3_teacher_and_school_day_screens_are_pages_and_fragments(client, db, actions, world):
    school, admin, org, dorian, _ = world
    teachers.assign(db.session, org.id, school.id, {dorian.id}, clock.utcnow())
    db.session.commit()
    screens = [
        (org.collector.person, "/workbench/teachers"), (org.collector.person, "/workbench/teachers/add"),
        (org.collector.person, f"/workbench/teachers/{dorian.id}"), (admin, f"/school/{school.id}/teachers"),
        (admin, f"/school/{school.id}/teachers/add"), (admin, f"/school/{school.id}?day=2026-11-19"),
        (admin, f"/school/{school.id}/org/{org.id}/2026-11-19"),
    ]
    for person, url in screens:
        actions.login(person)
        page = client.get(url)
        fragment = client.get(url, headers={"HX-Request": "true"})
        assert page.status_code == fragment.status_code == 200, url
        assert text(page).startswith("<!doctype html>"), url
        assert not text(fragment).startswith("<!doctype html>") and text(fragment).count('id="screen"') == 1, url
        assert "HX-Request" in fragment.headers["Vary"], url

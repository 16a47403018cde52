"""医护人员管理 for the operator and `flask yks medical …` (SPEC O7, H2; issue 11 item 4): 开通 one, 导入 表5-2 with a
per-row report (PRG), 撤销 with a confirm screen, the 开通/撤销 log; a person's 医学观察."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import Workbook

from tests.blueprints.support import assert_fragment, assert_whole_page, collapse, count, location, text
from tests.factories import make_person
from yks_web.models import AuditLog, HealthCode, MedicalObservation, MedicalStaff, MedicalStaffEvent
from yks_web.services import medical_staff
from yks_web.services.health_data import TableHealthData

HTMX = {"HX-Request": "true"}
FORM = {"name": "张医生", "phone": "13800000001", "unit": "越秀区人民医院", "position": "主治医师"}


@pytest.fixture
def operator(db, actions):
    person = make_person(db, "孙运营", is_operator=True)
    db.session.commit()
    actions.login(person)
    return person


def test_item4_the_operator_page_lists_enable_import_and_log(client, operator):
    response = client.get("/operator/medical")
    assert_whole_page(response)
    page = text(response)
    for label in ("提醒", "开通医护人员", "批量导入", "已开通的医护人员（0人）", "开通/撤销记录", "下载模板（CSV）"):
        assert label in page, label
    assert_fragment(client.get("/operator/medical", headers=HTMX))
    assert 'href="/operator/medical"' in text(client.get("/operator/"))


def test_item4_enable_one_then_it_is_listed_and_logged(client, actions, db, operator):
    response = actions.post("/operator/medical", FORM)
    assert response.status_code == 303 and location(response) == "/operator/medical"
    page = collapse(text(client.get("/operator/medical")))
    assert "已开通医护人员权限：张医生（越秀区人民医院）" in page
    assert "已开通的医护人员（1人）" in page and "138****0001" in page and "13800000001" not in page
    assert "开通 张医生（越秀区人民医院）" in page and "*运营 · 运营页面" in page
    staff = db.session.query(MedicalStaff).one()
    assert (staff.enabled_by_id, staff.enabled_via) == (operator.id, "page")
    doctor = make_person(db, "张医生", phone="13800000001")
    assert medical_staff.is_enabled(db.session, doctor)


@pytest.mark.parametrize("field, typed, message", [
    ("name", "", "请填写姓名"),
    ("phone", "1380000", "联系电话应为11位中国大陆手机号"),
    ("unit", "", "请填写单位名称"),
    ("position", "", "请填写职位"),
])
def test_item4_a_bad_field_stays_on_the_page_beside_it(client, actions, db, operator, field, typed, message):
    response = actions.post("/operator/medical", {**FORM, field: typed})
    assert response.status_code == 200
    page = text(response)
    assert f'id="{field}-error">{message}<' in page
    assert 'value="越秀区人民医院"' in page or field == "unit"  # nothing typed is lost
    assert count(db, MedicalStaff) == 0


def test_item4_enabling_twice_is_said_beside_the_phone(client, actions, db, operator):
    actions.post("/operator/medical", FORM)
    response = actions.post("/operator/medical", FORM)
    assert response.status_code == 200 and "已开通医护人员权限，单位：越秀区人民医院" in text(response)
    assert count(db, MedicalStaff) == 1


def test_item4_revoke_is_a_confirm_screen_then_the_row_ends(client, actions, db, operator):
    actions.post("/operator/medical", FORM)
    staff = db.session.query(MedicalStaff).one()
    assert f'href="/operator/medical/{staff.id}/revoke"' in text(client.get("/operator/medical"))
    confirm = client.get(f"/operator/medical/{staff.id}/revoke")
    assert_whole_page(confirm)
    assert "确定撤销张医生（越秀区人民医院）的医护人员权限？" in text(confirm) and ">确定<" in text(confirm)
    assert_fragment(client.get(f"/operator/medical/{staff.id}/revoke", headers=HTMX))
    assert staff.revoked_at is None
    done = actions.post(f"/operator/medical/{staff.id}/revoke")
    assert done.status_code == 303 and location(done) == "/operator/medical"
    db.session.expire_all()
    assert staff.revoked_at is not None and staff.revoked_by_id == operator.id
    page = collapse(text(client.get("/operator/medical")))
    assert "已撤销张医生的医护人员权限" in page and "撤销 张医生（越秀区人民医院）" in page
    assert client.get(f"/operator/medical/{staff.id}/revoke").status_code == 404  # revoked already
    assert actions.post(f"/operator/medical/{staff.id}/revoke").status_code == 404
    assert client.get("/operator/medical/999999/revoke").status_code == 404
    assert [e.action for e in db.session.query(MedicalStaffEvent).order_by(MedicalStaffEvent.id)] == [
        "enable", "revoke"]


def upload(actions, filename: str, data: bytes):
    return actions.post("/operator/medical/import", {"file": (io.BytesIO(data), filename)},
                        content_type="multipart/form-data")


def test_item4_import_redirects_to_its_report_which_a_reload_shows_again(client, actions, db, operator):
    data = ("序号,姓名,联系电话,单位名称,职位\n1,张医生,13800000001,越秀区人民医院,主治医师\n"
            "2,李护士,12345,越秀区人民医院,护士\n").encode()
    response = upload(actions, "名单.csv", data)
    assert response.status_code == 303 and location(response) == "/operator/medical/import"
    for _ in range(2):
        report = client.get("/operator/medical/import")
        assert_whole_page(report)
        page = collapse(text(report))
        assert "成功开通 <strong>1</strong> 名医护人员，1 行未导入" in page
        assert "第3行" in page and "联系电话应为11位中国大陆手机号" in page
    assert_fragment(client.get("/operator/medical/import", headers=HTMX))
    assert count(db, MedicalStaff) == 1


def test_item4_import_xlsx(client, actions, db, operator):
    book = Workbook()
    book.active.append(["序号", "姓名（必填）", "联系电话（必填）", "单位名称（必填）", "职位（必填）"])
    book.active.append([1, "张医生", 13800000001, "越秀区人民医院", "主治医师"])
    buffer = io.BytesIO()
    book.save(buffer)
    assert upload(actions, "名单.xlsx", buffer.getvalue()).status_code == 303
    assert "成功开通 <strong>1</strong> 名医护人员" in text(client.get("/operator/medical/import"))


@pytest.mark.parametrize("filename, data, message", [
    ("名单.doc", b"x", "请上传CSV或Excel（.xlsx）文件"),
    ("名单.xlsx", b"PK not really", "无法读取该Excel文件"),
    ("名单.csv", "姓名,电话\n张,1\n".encode(), "第1行应为表头"),
])
def test_item4_a_file_refused_as_a_whole_is_said_beside_the_file_field(client, actions, db, operator, filename,
                                                                       data, message):
    response = upload(actions, filename, data)
    assert response.status_code == 200 and 'id="file-error"' in text(response) and message in text(response)


def test_item4_no_file_and_no_report(client, actions, operator):
    response = actions.post("/operator/medical/import", {})
    assert response.status_code == 200 and "请选择要导入的CSV或Excel文件" in text(response)
    assert client.get("/operator/medical/import").status_code == 303  # nothing imported yet: the page


def test_item4_an_import_too_large_is_said_beside_the_file_field(app, client, actions, operator):
    app.config["MAX_CONTENT_LENGTH"], before = 1024, app.config.get("MAX_CONTENT_LENGTH")
    try:
        response = upload(actions, "名单.csv", b"x" * 4096)
    finally:
        app.config["MAX_CONTENT_LENGTH"] = before
    assert response.status_code == 200 and "文件不能超过2MB" in text(response)


def test_item4_the_template_is_table_5_2(client, operator):
    response = client.get("/operator/medical/template.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.get_data().decode("utf-8-sig").splitlines()[0] == "序号,姓名,联系电话,单位名称,职位"


def test_item4_the_operator_pages_are_404_to_everyone_else(client, actions, db):
    actions.login(make_person(db, "路人甲"))
    for path in ("/operator/medical", "/operator/medical/import", "/operator/medical/template.csv",
                 "/operator/medical/1/revoke", "/operator/health/1/observations"):
        assert client.get(path).status_code == 404, path
    assert actions.post("/operator/medical", FORM).status_code == 404
    assert count(db, MedicalStaff) == 0


# --- 医学观察 on the operator's health page (H2) -------------------------------------------------------------------


def test_h2_the_operator_adds_an_observation_and_the_code_follows(client, actions, db, operator):
    person = make_person(db, "李观察")
    db.session.commit()
    assert f'href="/operator/health/{person.id}/observations"' in text(client.get(f"/operator/health/{person.id}"))
    page = client.get(f"/operator/health/{person.id}/observations")
    assert_whole_page(page)
    assert "暂无医学观察记录" in text(page) and 'value="2026-11-20"' in text(page)
    assert_fragment(client.get(f"/operator/health/{person.id}/observations", headers=HTMX))
    response = actions.post(f"/operator/health/{person.id}/observations",
                            {"reason": "密切接触者", "started_on": "2026-11-06", "unit": "越秀区集中隔离点",
                             "colour": "red"})
    assert response.status_code == 303 and location(response) == f"/operator/health/{person.id}/observations"
    page = collapse(text(client.get(f"/operator/health/{person.id}/observations")))
    assert "已添加医学观察" in page and "2026-11-06起 · 越秀区集中隔离点" in page and "观察中" in page
    status = TableHealthData(db.session).status(person.id)
    assert (status.colour, status.reason) == ("red", "密切接触者")
    assert count(db, AuditLog, AuditLog.subject_id == person.id, AuditLog.action == "view_health") >= 2


@pytest.mark.parametrize("form, message", [
    ({"reason": ""}, "请填写医学观察原因"),
    ({"started_on": "2027-01-01"}, "开始日期应在2019年12月1日至今天之间"),
    ({"started_on": "x"}, None),
])
def test_h2_a_bad_observation_stays_on_the_page(client, actions, db, operator, form, message):
    person = make_person(db, "李观察")
    db.session.commit()
    response = actions.post(f"/operator/health/{person.id}/observations",
                            {"reason": "密切接触者", "started_on": "2026-11-06", "colour": "", **form})
    assert response.status_code == 200
    assert (message or "field-error") in text(response)
    assert count(db, MedicalObservation) == 0 and count(db, HealthCode) == 0


def test_h2_observations_of_nobody_are_404(client, actions, operator):
    assert client.get("/operator/health/999999/observations").status_code == 404
    assert actions.post("/operator/health/999999/observations", {"reason": "x"}).status_code == 404


# --- flask yks medical … -----------------------------------------------------------------------------------------


@pytest.fixture
def runner(app, db):
    return app.test_cli_runner()


def test_item4_cli_enable_list_revoke(runner, db):
    result = runner.invoke(args=["yks", "medical", "enable", "--name", "张医生", "--phone", "13800000001",
                                 "--unit", "越秀区人民医院", "--position", "主治医师"])
    assert result.exit_code == 0, result.output
    assert "已开通医护人员权限：张医生 138****0001（越秀区人民医院 主治医师）" in result.output
    again = runner.invoke(args=["yks", "medical", "enable", "--name", "张医生", "--phone", "13800000001",
                                "--unit", "越秀区人民医院", "--position", "主治医师"])
    assert again.exit_code != 0 and "已开通医护人员权限" in again.output
    bad = runner.invoke(args=["yks", "medical", "enable", "--name", "张医生", "--phone", "123", "--unit", "院",
                              "--position", "医师"])
    assert bad.exit_code != 0 and "联系电话应为11位中国大陆手机号" in bad.output
    listed = runner.invoke(args=["yks", "medical", "list"])
    assert "共1名已开通的医护人员" in listed.output and "张医生 138****0001 越秀区人民医院 主治医师" in listed.output
    revoked = runner.invoke(args=["yks", "medical", "revoke", "--phone", "13800000001"])
    assert revoked.exit_code == 0 and "已撤销张医生（越秀区人民医院）的医护人员权限" in revoked.output
    assert runner.invoke(args=["yks", "medical", "revoke", "--phone", "13800000001"]).exit_code != 0
    db.session.expire_all()
    assert [(e.action, e.actor_id, e.via) for e in db.session.query(MedicalStaffEvent).order_by(
        MedicalStaffEvent.id)] == [("enable", None, "cli"), ("revoke", None, "cli")]


def test_item4_cli_import_reports_rows(runner, db, tmp_path):
    path = tmp_path / "名单.csv"
    path.write_text("序号,姓名,联系电话,单位名称,职位\n1,张医生,13800000001,院,医师\n2,,13800000002,院,医师\n",
                    encoding="utf-8")
    result = runner.invoke(args=["yks", "medical", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "成功开通1名医护人员，1行未导入" in result.output and "第3行：请填写姓名" in result.output


def test_h2_cli_observe(runner, db):
    person = make_person(db, "李观察")
    db.session.commit()
    result = runner.invoke(args=["yks", "medical", "observe", "--name", "李观察", "--id-number", person.id_number,
                                 "--reason", "入境人员", "--since", "2026-11-10", "--colour", "yellow"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    row = db.session.query(MedicalObservation).one()
    assert (row.reason, row.started_on) == ("入境人员", date(2026, 11, 10))
    assert TableHealthData(db.session).status(person.id).colour == "yellow"

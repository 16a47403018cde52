"""组织机构 and 医护人员 in 繁體中文 and English (issue 15 items 1 and 2): the institution's admin and member screens,
the 看板's export, the medical staff's and the operator's screens, the notice's verification page and its PDF.

What is stored stays the Simplified text (a 行政归属层级, a 医学观察 reason) and is shown in the reader's language;
names typed by people (an institution's, a hospital's) are data and stay as typed.
"""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import date, timedelta

import pypdfium2 as pdfium
import pytest

from tests.blueprints.support import collapse, location, text
from tests.blueprints.test_languages import choose
from tests.factories import make_institution, make_institution_member, make_person
from yks_web import clock as app_clock
from yks_web.models import Institution, Person
from yks_web.models.medical import VIA_CLI
from yks_web.services import code_tokens, medical_notices, medical_staff, observations
from yks_web.services.health_data import TableHealthData

SECRET = "test-secret"  # tests/conftest.py's SECRET_KEY, as tests/blueprints/test_medical.py seals codes with


def page_of(response) -> str:
    return html.unescape(collapse(text(response)))


def missing(page: str, words) -> list[str]:
    return [word for word in words if word not in page]


# -- 组织机构管理员 ---------------------------------------------------------------------------------------------------


@pytest.fixture
def admin(db):
    person = make_person(db, "林管理", phone="13800000001")
    db.session.commit()
    return person


def bound(db, admin) -> Institution:
    institution = make_institution(db, admin, "天河区某某公司", level="县（区）级")
    db.session.commit()
    return institution


@pytest.mark.parametrize(("language", "words"), [
    ("zh_Hant_HK", ["<title>組織機構</title>", "組織機構申報碼", "縣（區）級 · 天河路1号", "綁定成員", "查看看板",
                    "今日申報情況（11月20日）", ">複製</button>"]),
    ("en", ["<title>Institution</title>", "Institution declaration code", "County (district) · 天河路1号",
            "Bound members", "1 person", "Not declared today", "Open the dashboard", "Today's declarations (Nov 20)",
            'data-copy-done="Declaration code copied"', ">Copy</button>", "Binder details"]),
])
def test_item1_the_institution_dashboard_in_each_language(client, actions, db, admin, language, words):
    institution = bound(db, admin)
    make_institution_member(db, institution, "陈成员")
    db.session.commit()
    actions.login(admin)
    choose(client, language)
    page = page_of(client.get(f"/institution/{institution.id}"))
    assert missing(page, words) == []
    assert "天河区某某公司" in page  # the name typed at binding: data


def test_item2_binding_an_institution_refuses_in_english(client, actions, admin):
    actions.login(admin)
    choose(client, "en")
    page = page_of(client.get("/institution/admin/bind"))
    assert "<title>Bind an institution</title>" in page
    assert missing(page, ["Institution name", "Institution address", "Administrative level",
                          'placeholder="Please enter the institution\'s full name"', ">County (district)</option>",
                          ">Bind</button>"]) == []
    page = page_of(actions.post("/institution/admin/bind", {"name": "", "address": "x" * 101, "level": "",
                                                           "phone": "13800000001"}))
    assert "Please fill in “Institution name”" in page
    assert "Institution address can be at most 100 characters" in page
    assert "Please choose the administrative level" in page


def test_item2_binding_flashes_in_english_and_the_level_is_stored_in_simplified(client, actions, db, admin):
    actions.login(admin)
    choose(client, "en")
    response = actions.post("/institution/admin/bind", {"name": "天河区某某公司", "address": "天河路1号",
                                                       "level": "县（区）级", "phone": "13800000001"})
    assert response.status_code == 303
    assert "Bound. The institution declaration code has been created" in page_of(client.get(location(response)))
    institution = db.session.query(Institution).one()
    assert institution.level == "县（区）级"


def test_item1_the_board_and_its_export_in_english(client, actions, db, admin):
    institution = bound(db, admin)
    make_institution_member(db, institution, "陈成员", at=app_clock.utcnow() - timedelta(days=1))
    db.session.commit()
    actions.login(admin)
    choose(client, "en")
    page = page_of(client.get(f"/institution/{institution.id}/board"))
    assert missing(page, ["<title>Dashboard</title>", "Declared <strong>0</strong>/1", "1 not declared",
                          "0 with fever", "Member declarations (1)", ">All</a>", ">Not declared</a>",
                          ">Fever</a>", "Export CSV"]) == []
    body = client.get(f"/institution/{institution.id}/export.csv?day={app_clock.today().isoformat()}").get_data()
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Name", "ID document number", "Declared", "Declared at"]
    assert rows[0][-1] == "Binding" and rows[1][2] == "No" and rows[1][-1] == "Bound"


def test_item1_the_board_in_traditional_chinese(client, actions, db, admin):
    institution = bound(db, admin)
    actions.login(admin)
    choose(client, "zh_Hant_HK")
    page = page_of(client.get(f"/institution/{institution.id}/board"))
    assert missing(page, ["<title>看板</title>", "成員申報情況（0人）", "暫無成員", "導出CSV"]) == []


# -- 组织机构成员 ---------------------------------------------------------------------------------------------------


@pytest.fixture
def member(db):
    person = make_person(db, "陈成员")
    db.session.commit()
    return person


def test_item1_the_members_list_and_a_refused_code_in_english(client, actions, member):
    actions.login(member)
    choose(client, "en")
    page = page_of(client.get("/institution/member"))
    assert missing(page, ["<title>Institution member health declaration</title>",
                          "You have not bound an institution yet", "Bound institutions"]) == []
    page = page_of(actions.post("/institution/member/bind", {"code": "1999999999"}))
    assert "<title>Bind an institution</title>" in page
    assert "No institution has this declaration code" in page


def test_item1_declaring_for_an_institution_in_english(client, actions, db, member):
    institution = make_institution(db, level="其他")
    make_institution_member(db, institution, member)
    db.session.commit()
    actions.login(member)
    choose(client, "en")
    page = page_of(client.get("/institution/member"))
    assert "Not declared today" in page and "Other · 天河路1号" in page
    page = page_of(client.get(f"/institution/{institution.id}/declare"))
    assert missing(page, ["<title>Member declaration</title>", "Personal health information",
                          "Other declaration information", "On duty now?", "Workplace (optional)",
                          ">Submit</button>"]) == []
    form = {"location_province": "广东省", "location_city": "广州市", "temperature": "36.6", "temperature_band": "",
            "has_symptoms": "no", "risk_travel": "no", "contact_case": "no", "on_duty": "", "work_place": "x" * 51,
            "remarks": ""}
    page = page_of(actions.post(f"/institution/{institution.id}/declare", form))
    assert "Please choose Yes or No" in page and "Workplace can be at most 50 characters" in page
    response = actions.post(f"/institution/{institution.id}/declare", form | {"on_duty": "yes", "work_place": ""})
    assert response.status_code == 303
    done = page_of(client.get(location(response)))
    assert "<title>Submitted</title>" in done and "health declaration for Nov 20 has been submitted to" in done
    unbind = page_of(client.get(f"/institution/{institution.id}/leave"))
    assert "Unbind “天河区某某公司”?" in unbind


# -- 医护人员 --------------------------------------------------------------------------------------------------------


def _doctor(db):
    doctor = make_person(db, "张医生", phone="13800000001")
    values, errors = medical_staff.clean({"name": "张医生", "phone": "13800000001", "unit": "越秀区人民医院",
                                         "position": "主治医师"})
    assert not errors
    staff = medical_staff.enable(db.session, values, actor_id=None, via=VIA_CLI, utc_now=app_clock.utcnow())
    return doctor, staff


def _observed(db):
    person = make_person(db, "李观察", phone="13900000019")
    observations.add(db.session, person.id, reason="密切接触者", started_on=date(2026, 11, 6), unit="",
                     created_by_id=None, utc_now=app_clock.utcnow(), today=app_clock.today(), colour="red")
    return person


def test_item1_a_person_not_enabled_is_told_why_in_english(client, actions, db):
    actions.login(make_person(db, "路人甲"))
    choose(client, "en")
    page = page_of(client.get("/medical/"))
    assert "<title>Issue an e-notice</title>" in page
    assert "You do not have medical staff access yet" in page and ">Back to home</a>" in page


def test_item1_issuing_a_notice_in_english(client, actions, db):
    doctor, _ = _doctor(db)
    observed = _observed(db)
    db.session.commit()
    actions.login(doctor)
    choose(client, "en")
    page = page_of(client.get("/medical/"))
    assert "<title>Issue an e-notice</title>" in page and "My workbench" in page
    code = code_tokens.issue(observed.id, app_clock.now(), SECRET)
    response = actions.post("/medical/", {"code": f"https://yks.test/code/scan/{code}"})
    assert response.status_code == 303, text(response)
    url = location(response)
    page = page_of(client.get(url))
    assert missing(page, ["Person under medical observation", "Red code", "Red code reason",
                          "Close contact (since 2026-11-06)", "Medical observation to end", "Release date",
                          "Medical staff", "张医生 (主治医师)"]) == []
    observation = observations.open_of(db.session, observed.id)[0].id
    tomorrow = (app_clock.today() + timedelta(days=1)).isoformat()
    page = page_of(actions.post(url, {"observation": str(observation), "released_on": tomorrow, "remarks": ""}))
    assert "The release date cannot be later than today" in page
    response = actions.post(url, {"observation": str(observation), "released_on": "2026-11-20", "remarks": ""})
    assert response.status_code == 303
    page = page_of(client.get(location(response)))
    assert missing(page, ["<title>Issued</title>", "Release e-notice issued", "Notice number",
                          "Reason for medical observation", "Close contact", "Verification link"]) == []


@pytest.fixture
def notice(db):
    doctor, staff = _doctor(db)
    observed = _observed(db)
    row = observations.open_of(db.session, observed.id)[0]
    issued = medical_notices.issue(
        db.session, TableHealthData(db.session), staff=staff, issuer_id=doctor.id, person=observed,
        observation_id=row.id, released_on=date(2026, 11, 20), remarks="Observation period over", form_key="k",
        cap=50, utc_now=app_clock.utcnow(), local_now=app_clock.now())
    db.session.commit()
    return issued.notice


@pytest.mark.parametrize(("language", "words"), [
    ("zh_Hant_HK", ["<title>解除醫學觀察電子告知書核驗</title>", "該告知書真實有效", "<dt>狀態</dt><dd>有效</dd>",
                    "<dt>出具日期</dt><dd>2026-11-20</dd>"]),
    ("en", ["<title>Verify a release notice</title>", "This notice is genuine and valid",
            "<dt>Status</dt><dd>Valid</dd>", "<dt>Date of issue</dt><dd>2026-11-20</dd>",
            "<dt>Issued by (organisation)</dt><dd>越秀区人民医院</dd>"]),
])
def test_item1_verifying_a_notice_in_each_language(client, db, notice, language, words):
    choose(client, language)
    assert missing(page_of(client.get(f"/n/{notice.number}")), words) == []


def test_item2_an_unknown_notice_in_english(client, db):
    choose(client, "en")
    response = client.get("/n/JG20261120ABC234")
    assert response.status_code == 404
    assert "Notice not found. Please check the number" in page_of(response)


def test_item1_the_notice_pdf_in_english(client, actions, db, notice):
    actions.login(db.session.get(Person, notice.person_id))
    choose(client, "en")
    history = page_of(client.get("/code/history/notices"))
    assert "Notice of release from medical observation" in history and ">Download PDF</a>" in history
    assert "Reason for medical observation" in history and "Close contact" in history
    response = client.get(f"/n/{notice.number}/pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    words = pdfium.PdfDocument(response.get_data())[0].get_textpage().get_text_range()
    words = re.sub(r"\s+", " ", words)
    for word in ("Notice of release from medical observation", f"No.: {notice.number}",
                 "(ID document number:", "Remarks: Observation period over", "This is to give notice of the above.",
                 "Issued by: 越秀区人民医院", "Medical staff: 张医生", "Date of issue: November 20, 2026",
                 "Scan to verify"):
        assert word in words, word


def test_item1_the_history_of_notices_in_traditional_chinese(client, actions, db, notice):
    actions.login(db.session.get(Person, notice.person_id))
    choose(client, "zh_Hant_HK")
    page = page_of(client.get("/code/history/notices"))
    assert missing(page, ["解除醫學觀察告知書", "告知書編號", "醫學觀察原因", "密切接觸者", "下載PDF"]) == []


# -- 医护人员管理 (the operator) ------------------------------------------------------------------------------------


@pytest.fixture
def operator(db, actions):
    person = make_person(db, "孙运营", is_operator=True)
    db.session.commit()
    actions.login(person)
    return person


def test_item1_the_operators_medical_staff_page_in_english(client, actions, db, operator):
    choose(client, "en")
    page = page_of(client.get("/operator/medical"))
    assert missing(page, ["<title>Medical staff</title>", "Alerts", "Enable medical staff", "Bulk import",
                          "Enabled medical staff (0)", "Enable/revoke log", "Download the template (CSV)",
                          "row 1 the header: 序号、姓名、联系电话、单位名称、职位"]) == []
    page = page_of(actions.post("/operator/medical", {"name": "张医生", "phone": "1380000", "unit": "",
                                                      "position": "主治医师"}))
    assert "Please enter the organisation name" in page
    response = actions.post("/operator/medical", {"name": "张医生", "phone": "13800000001", "unit": "越秀区人民医院",
                                                  "position": "主治医师"})
    assert response.status_code == 303
    page = page_of(client.get(location(response)))
    assert "Medical staff access enabled: 张医生 (越秀区人民医院)" in page
    assert "Enabled medical staff (1)" in page and "Operator page" in page
    page = page_of(actions.post("/operator/medical", {"name": "张医生", "phone": "13800000001",
                                                      "unit": "越秀区人民医院", "position": "主治医师"}))
    assert "张医生 (138****0001) already has medical staff access, organisation: 越秀区人民医院" in page


def upload(actions, filename: str, data: bytes):
    return actions.post("/operator/medical/import", {"file": (io.BytesIO(data), filename)},
                        content_type="multipart/form-data")


def test_item2_an_import_report_in_english(client, actions, db, operator):
    choose(client, "en")
    body = ("序号,姓名,联系电话,单位名称,职位\n1,张医生,13800000001,越秀区人民医院,主治医师\n"
            "2,王护士,123,越秀区人民医院,护士\n")
    response = upload(actions, "staff.csv", body.encode())
    assert response.status_code == 303
    page = page_of(client.get(location(response)))
    assert missing(page, ["<title>Import medical staff</title>",
                          "Medical staff enabled: <strong>1</strong>; 1 row not imported.",
                          "Rows not imported", "Row 3",
                          "The contact phone must be an 11-digit mainland China mobile number"]) == []
    page = page_of(upload(actions, "staff.csv", b"a,b\n1,2\n"))
    # the header's words are the file's own: Simplified in every language
    assert ("Row 1 must be the header: 序号、姓名、联系电话、单位名称、职位 "
            "(missing: 姓名、联系电话、单位名称、职位)") in page

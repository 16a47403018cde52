"""The resident's own screens and the operator's in 繁體中文 and English (issue 15 items 1, 2): 我的粤康码 and its
histories, 解除指引, 健康申报, 帮助与反馈, 家庭成员, 谁可以代我操作, and 平台运营's 区划管理员, 实名信息 and
健康数据 pages; their refusals and form errors; the 申报码 messages and the chart's empty text.

What is stored stays in the source language whatever the screen shows (a relation, a test result, a colour).
"""

from __future__ import annotations

import base64
import html
import re
from datetime import date, datetime

import pytest
from flask_babel import force_locale

from tests.blueprints.support import collapse, location, text
from tests.blueprints.test_languages import choose, html_lang
from tests.factories import id_number, make_person, register_identity
from tests.family_helpers import make_family_link
from yks_web.models import FamilyMember, HealthCode, NucleicAcidTest
from yks_web.services import charts, health_data, health_records, phone_codes, share_codes, sms
from yks_web.services.identity import build_id_card_number

HOUSEHOLD = "440106000123"


def page_of(client, url: str) -> str:
    return html.unescape(collapse(text(client.get(url))))


def missing(page: str, words) -> list[str]:
    return [word for word in words if word not in page]


@pytest.fixture
def resident(db):
    person = make_person(db, "陈晓红", household=HOUSEHOLD)
    db.session.commit()
    return person


@pytest.fixture
def operator(db):
    person = make_person(db, "王运营", is_operator=True)
    db.session.commit()
    return person


# -- 我的粤康码, its histories, 解除指引, 健康申报 ------------------------------------------------------------------


@pytest.mark.parametrize(("language", "words"), [
    ("zh_Hant_HK", ["<title>我的粵康碼</title>", "*晓红的健康碼", "綠碼", "未發現健康問題", "最新核酸檢測",
                    "檢測結果", "陰性", "新冠疫苗接種記錄", "第1劑", "健康申報歷史", "體溫檢測歷史", "入粵登記歷史"]),
    ("en", ["<title>My Yuekang Code</title>", "Health code of *晓红", "Green code", "No health problems found",
            "Latest nucleic acid test", "Result", ">Negative<", "COVID-19 vaccinations", "Dose 1",
            "Health declaration history", "Temperature check history", "Guangdong arrival registration history",
            "E-notice of release from medical observation"]),
])
def test_item1_my_yuekang_code_in_each_language(client, db, actions, resident, language, words):
    health_records.add_test(db.session, resident.id, sampled_at=datetime(2026, 11, 19, 1, 0), result="阴性",
                            institution="金域医学")
    health_records.add_vaccination(db.session, resident.id, dose=1, vaccinated_on=date(2021, 5, 1),
                                   manufacturer="北京生物")
    db.session.commit()
    actions.login(resident)
    choose(client, language)
    page = page_of(client, "/code/mine")
    assert missing(page, words) == []
    assert db.session.query(NucleicAcidTest).one().result == "阴性"  # stored as it always was


@pytest.mark.parametrize(("kind", "heading", "empty"), [
    ("declarations", "Health declaration history", "No health declarations yet. Tap [Health declaration] above"),
    ("temperature", "Temperature check history", "No temperature checks yet."),
    ("entries", "Guangdong arrival registration history", "No Guangdong arrival registrations yet."),
])
def test_item1_the_histories_in_english(client, actions, resident, kind, heading, empty):
    actions.login(resident)
    choose(client, "en")
    page = page_of(client, f"/code/history/{kind}")
    assert f"<title>{heading}</title>" in page and empty in page


def test_item1_the_guidance_of_a_red_code_in_english_and_traditional(client, db, actions, resident):
    health_data.set_status(db.session, resident.id, colour="red", reason="密切接触者", city="广州市", guidance="",
                           utc_now=datetime(2026, 11, 20, 1, 0))
    db.session.commit()
    actions.login(resident)
    choose(client, "en")
    page = page_of(client, "/code/guidance")
    assert missing(page, ["<title>How to clear the code</title>", "Red code", "Reason", "Close contact",
                          "City that decided", "Please follow the local epidemic prevention requirements"]) == []
    assert "How to clear the code" in page_of(client, "/code/mine")  # the link to it, for a code not green
    choose(client, "zh_Hant_HK")
    page = page_of(client, "/code/guidance")
    assert "<title>解除指引</title>" in page and "紅碼" in page and "判定城市" in page
    assert db.session.query(HealthCode).one().colour == "red"


def test_item1_the_declare_menu_and_form_in_english_with_its_errors_and_flash(client, db, actions, resident):
    actions.login(resident)
    choose(client, "en")
    menu = page_of(client, "/code/declare-menu")
    assert missing(menu, ["<title>Health declarations</title>", "Personal health declaration",
                          "Student/staff health declaration", "Institution member health declaration"]) == []
    form = page_of(client, "/code/declare")
    assert missing(form, ["<title>Health declaration</title>", "Declarant", 'placeholder="e.g. Guangzhou"',
                          ">Submit</button>"]) == []
    refused = html.unescape(text(actions.post("/code/declare", {"location_province": "", "temperature": "36.55"})))
    assert "Please give the temperature to one decimal place, e.g. 36.5" in refused
    key = re.search(r'name="form_key"[^>]*value="([^"]+)"', text(client.get("/code/declare"))).group(1)
    done = actions.post("/code/declare", {
        "form_key": key, "location_province": "广东省", "location_city": "广州市", "temperature": "36.5",
        "has_symptoms": "no", "risk_travel": "no", "contact_case": "no", "remarks": "",
    })
    assert done.status_code == 303
    page = page_of(client, location(done))
    assert "Declaration submitted" in page and "Current location" in page and "36.5℃" in page


# -- 帮助与反馈, 防疫工作台 → 更多 ------------------------------------------------------------------------------------


def test_item1_help_and_work_types_in_english(client, actions, resident):
    actions.login(resident)
    choose(client, "en")
    page = page_of(client, "/help")
    assert missing(page, ["<title>Help and feedback</title>", "Frequently asked questions",
                          "What if submitting fails?", "Can the proxy be changed?",
                          'placeholder="Please describe the problem"', ">Send feedback</button>"]) == []
    page = page_of(client, "/work")
    assert missing(page, ["Choose the type of epidemic prevention work", "Institution administrators and members",
                          "Grid administrators, grid workers, district administrators"]) == []
    choose(client, "zh_Hant_HK")
    assert "常見問題" in page_of(client, "/help") and "選擇防疫工作類型" in page_of(client, "/work")


# -- 家庭成员 and 谁可以代我操作 ---------------------------------------------------------------------------------


def test_item1_family_pages_in_each_language(client, db, actions, resident):
    child = make_person(db, "陈小宝")
    make_family_link(db, resident, child, "子女")
    db.session.commit()
    actions.login(resident)
    choose(client, "en")
    page = page_of(client, "/family/")
    assert missing(page, ["<title>Manage family members</title>", "*小宝 (Child)", "Mainland resident ID card",
                          ">Show Yuekang Code<", ">Delete<", "Add a family member"]) == []
    page = page_of(client, "/family/add")
    assert missing(page, ["<title>Add a family member</title>", "Relationship to you", ">Spouse</option>",
                          'A minor without an ID card can use “Birth certificate”', ">Add</button>"]) == []
    choose(client, "zh_Hant_HK")
    page = page_of(client, "/family/")
    assert "<title>管理家庭成員</title>" in page and "*小宝（子女）" in page and "添加家庭成員" in page


def test_item2_family_refusals_form_errors_and_flashes_in_english(client, db, actions, resident):
    actions.login(resident)
    choose(client, "en")
    page = html.unescape(text(actions.post("/family/add", {"name": "", "id_type": "id_card", "id_number": "",
                                                           "relation": ""})))
    assert "Please choose the relationship to you" in page
    page = html.unescape(text(actions.post("/family/add", {
        "name": resident.name, "id_type": "id_card", "id_number": resident.id_number, "relation": "子女"})))
    assert "You cannot add yourself as a family member" in page
    number = build_id_card_number("440106", date(1948, 5, 6), 731)  # an elder of the household, no phone
    register_identity(db, "陈爷爷", number, household=HOUSEHOLD)
    db.session.commit()
    added = actions.post("/family/add", {"name": "陈爷爷", "id_type": "id_card", "id_number": number,
                                         "relation": "父母"})
    assert added.status_code == 303
    assert "Family member 陈爷爷 added" in page_of(client, "/family/")
    row = db.session.query(FamilyMember).filter_by(owner_id=resident.id).one()
    assert row.relation == "父母"  # stored in the source language
    confirm = page_of(client, f"/family/{row.id}/remove")
    assert "<title>Remove family member</title>" in confirm and "Remove family member *爷爷?" in confirm
    removed = actions.post(f"/family/{row.id}/remove")
    assert "Family member 陈爷爷 removed" in page_of(client, location(removed))


def test_item1_who_can_act_for_me_in_english_and_traditional(client, db, actions, resident):
    asker, owner = make_person(db, "李大明"), make_person(db, "张阿姨")
    make_family_link(db, asker, resident, "配偶", consented=False)
    link = make_family_link(db, owner, resident, "子女")
    db.session.commit()
    actions.login(resident)
    choose(client, "en")
    page = page_of(client, "/delegates/")
    assert missing(page, ["<title>Who can act for me</title>", "Requests waiting for you",
                          '<span class="strong">*大明</span> asks to add you as a family member (Spouse)',
                          ">Agree</button>", ">Decline</button>", "Family members (can show my Yuekang Code",
                          "Proxies (can submit", "None yet", "Proxy declaration notices"]) == []
    confirm = page_of(client, f"/delegates/family/{link.id}/remove")
    assert missing(confirm, ["<title>Confirm removal</title>",
                             'Remove <span class="strong">*阿姨</span> (Family members)?',
                             "Once removed, they can no longer show your Yuekang Code"]) == []
    removed = actions.post(f"/delegates/family/{link.id}/remove")
    assert "*阿姨 was removed and can no longer show your Yuekang Code" in page_of(client, location(removed))
    choose(client, "zh_Hant_HK")
    page = page_of(client, "/delegates/")
    assert "<title>誰可以代我操作</title>" in page
    assert "待處理的添加請求" in page and "請求將您添加為家庭成員（配偶）" in page


# -- 平台运营 -----------------------------------------------------------------------------------------------------


def test_item1_the_operator_home_and_districts_in_english(client, db, actions, operator):
    actions.login(operator)
    choose(client, "en")
    page = page_of(client, "/operator/")
    assert missing(page, ["<title>Platform operations</title>", "Create a school", "School name",
                          'placeholder="e.g. Tianhe District, Guangzhou, Guangdong"', "Schools",
                          "District administrators (appoint and revoke city ones)"]) == []
    page = page_of(client, "/operator/districts")
    assert missing(page, ["<title>District administrators</title>", "Appoint a city district administrator",
                          "No city district administrators yet", "Please choose a city", ">Appoint</button>"]) == []
    number = id_number()
    refused = html.unescape(text(actions.post("/operator/districts", {
        "name": "冯市", "id_type": "id_card", "id_number": number, "area": "4401"})))
    assert "No verified user has this name and ID document number" in refused
    make_person(db, "冯市管", number)
    db.session.commit()
    done = actions.post("/operator/districts", {"name": "冯市管", "id_type": "id_card", "id_number": number,
                                                "area": "4401"})
    assert "City district administrator appointed: 广东省广州市" in page_of(client, location(done))


def test_item1_the_real_name_records_in_english(client, db, actions, operator):
    actions.login(operator)
    choose(client, "en")
    page = page_of(client, "/operator/realname")
    assert missing(page, ["<title>Real-name records</title>", "Save a real-name record",
                          "Registered mobile number (optional)", "Father's ID document type",
                          ">Save</button>"]) == []
    assert re.search(r"Real-name records \(\d+ in all; the \d+ set most recently are shown\)", page)
    number = id_number()
    refused = html.unescape(text(actions.post("/operator/realname", {
        "name": "周小明", "id_type": "id_card", "id_number": number, "household": "12"})))
    assert "The household registration number must be 6–20 digits or letters" in refused
    done = actions.post("/operator/realname", {"name": "周小明", "id_type": "id_card", "id_number": number})
    page = page_of(client, location(done))
    assert "Real-name record of 周小明 (" in page and ") saved" in page
    assert " (Mainland resident ID card " in page


def test_item1_the_health_data_pages_in_english(client, db, actions, operator, resident):
    actions.login(operator)
    choose(client, "en")
    page = page_of(client, "/operator/health")
    assert "<title>Health data</title>" in page and "Find a person" in page and ">Find</button>" in page
    refused = html.unescape(text(actions.post("/operator/health", {
        "name": "别人", "id_type": "id_card", "id_number": resident.id_number})))
    assert "No one found. Please check the name and ID document number" in refused
    url = f"/operator/health/{resident.id}"
    page = page_of(client, url)
    assert missing(page, ["Health code", "Green code (No health problems found)", "0 doses", "0 records",
                          "Set the health code", ">Yellow code</option>", "Add nucleic acid test",
                          ">Positive</option>"]) == []
    page = html.unescape(text(actions.post(url + "/status", {"colour": "red", "reason": "", "decided_city": "",
                                                             "guidance": ""})))
    assert "A yellow or red code needs a reason" in page
    page = html.unescape(text(actions.post(url + "/vaccination", {"dose": "9", "vaccinated_on": "2018-01-01"})))
    assert "The dose must be 1–5" in page and "Vaccination date must be between 1 December 2019 and today" in page
    done = actions.post(url + "/status", {"colour": "yellow", "reason": "时空伴随", "decided_city": "",
                                          "guidance": ""})
    assert "Health code updated" in page_of(client, location(done))
    choose(client, "zh_Hant_HK")
    assert "黃碼（時空伴隨）" not in page_of(client, url)  # what the operator typed is never converted
    assert "黃碼（时空伴随）" in page_of(client, url)


def test_item1_the_feedback_inbox_in_english(client, actions, operator):
    actions.login(operator)
    choose(client, "en")
    page = page_of(client, "/operator/feedback")
    assert html_lang(client.get("/operator/feedback")) == "en"
    assert "<title>Help and feedback</title>" in page and "(at most 100 shown)" in page and "No feedback yet" in page


# -- services: 申报码 messages, the chart's empty text, a refusal made outside a screen -----------------------------


def test_item2_declaration_code_messages_in_english(app):
    with app.test_request_context("/"), force_locale("en"):
        assert share_codes.wrong_kind_message("12345", "grid") == "Please enter a 10-digit code (Grid declaration code)"
        assert share_codes.wrong_kind_message("1234567890", "grid").startswith("A code starting with 1 is not")
        assert share_codes.wrong_kind_message("3234567890", "institution") == (
            "This is another kind of code (Place declaration code) and cannot be bound here. Enter a code starting "
            "with 1 (Institution declaration code)")
        assert share_codes.wrong_kind_message("", "place", "https://yks.test/code/scan/abc") == (
            "This is a Yuekang Code; it cannot be bound here. Place declaration code: 10 digits starting with 3")
    with app.test_request_context("/"):  # 简体中文 as it always was
        assert share_codes.wrong_kind_message("3234567890", "institution") == (
            "这是场所申报码，不能在此绑定；组织机构申报码以1开头")


def test_item1_an_empty_chart_says_so_in_the_readers_language(app):
    def svg(uri: str) -> str:
        return base64.b64decode(uri.split(",", 1)[1]).decode()

    with app.test_request_context("/"), force_locale("en"):
        assert "No data yet" in svg(charts.pie("Sexes", (("M", 0), ("F", 0))))
    with app.test_request_context("/"):
        assert "暂无数据" in svg(charts.pie("Sexes", (("M", 0), ("F", 0))))  # the cache keeps each language apart


def test_item2_the_phone_code_refusals_speak_the_requests_language(app, db):
    person, other, sender = make_person(db, "李晓明"), make_person(db, "张三"), sms.RecordingSender()
    moment = datetime(2026, 11, 20, 1, 0)
    with app.test_request_context("/"), force_locale("en"):
        challenge, code = phone_codes.send(db.session, sender, person, "13800000019", purpose="创建团体",
                                           ip="10.0.0.1", utc_now=moment)
        with pytest.raises(sms.SmsError, match="^Please get a verification code first$"):
            phone_codes.check(db.session, other, "13800000019", challenge.id, code, moment)
        with pytest.raises(sms.SmsError, match="^This is not the mobile number the code was sent to"):
            phone_codes.check(db.session, person, "13800000020", challenge.id, code, moment)

"""简体中文, 繁體中文 and English (issue 15 item 5) in Chromium at 390×844: a student opens the invite card, logs in,
declares 本人填报 and shows the 粤康码, each screen found by its visible labels in that language and checked by
axe-core (no serious or critical violation) and for CSP refusals.

简体中文 is the browser's own (zh-CN); 繁體中文 comes from a Hong Kong browser's Accept-Language (zh-HK); English is
chosen with the switch on the login page, and stays the account's after logging in.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from e2e.people import Person
from tests.factories import ensure_registered, make_org
from yks_web import clock
from yks_web.extensions import db
from yks_web.services import invites
from yks_web.services.identity import build_id_card_number

QUESTIONS = ("假期是否留校", "是否已返校", "本日是否有发热、咳嗽等症状", "14日内是否有中高风险地区旅居史",
             "14日内是否接触过确诊或疑似病例", "本日是否离校前往省内其他地市", "本日是否离校前往其他国家或地区",
             "本日是否返校")

# What each screen is called and what its controls say, in each language, as a reader of that language sees them.
WORDS = {
    "zh_Hans_CN": {
        "browser": "zh-CN", "switch": None, "lang": "zh-Hans-CN",
        "login": "实名认证", "name": "姓名", "id_type": "证件类型", "id_card": "内地居民身份证", "number": "证件号码",
        "phone": "手机号", "get_code": "获取验证码", "code": "验证码", "log_in": "同意授权并登录",
        "mode": "填报方式", "self": "本人填报", "confirm": "确认组织信息", "next": "下一步",
        "form": "学生/教职工个人健康申报", "household": "户籍所在省市", "province": "当前所在省份",
        "city": "当前所在城市", "temperature": "当前体温", "yes": "是", "no": "否", "questions": QUESTIONS,
        "status": "个人健康状态", "healthy": "健康", "submit": "提交当日数据", "today": "提交本日数据（11月20日）",
        "done": "提交成功", "finish": "完成", "home": "粤康码", "show": "出示粤康码", "code_title": "粤康码",
        "green": "绿码", "refresh_hint": "二维码每分钟自动刷新，2分钟内有效",
    },
    "zh_Hant_HK": {
        "browser": "zh-HK", "switch": None, "lang": "zh-Hant-HK",
        "login": "實名認證", "name": "姓名", "id_type": "證件類型", "id_card": "內地居民身份證", "number": "證件號碼",
        "phone": "手機號", "get_code": "獲取驗證碼", "code": "驗證碼", "log_in": "同意授權並登錄",
        "mode": "填報方式", "self": "本人填報", "confirm": "確認組織信息", "next": "下一步",
        "form": "學生/教職工個人健康申報", "household": "戶籍所在省市", "province": "當前所在省份",
        "city": "當前所在城市", "temperature": "當前體溫", "yes": "是", "no": "否",
        "questions": ("假期是否留校", "是否已返校", "本日是否有發熱、咳嗽等症狀", "14日內是否有中高風險地區旅居史",
                      "14日內是否接觸過確診或疑似病例", "本日是否離校前往省內其他地市",
                      "本日是否離校前往其他國家或地區", "本日是否返校"),
        "status": "個人健康狀態", "healthy": "健康", "submit": "提交當日數據", "today": "提交本日數據（11月20日）",
        "done": "提交成功", "finish": "完成", "home": "粵康碼", "show": "出示粵康碼", "code_title": "粵康碼",
        "green": "綠碼", "refresh_hint": "二維碼每分鐘自動刷新，2分鐘內有效",
    },
    "en": {
        "browser": "zh-CN", "switch": "English", "lang": "en",
        "login": "Identity verification", "name": "Name", "id_type": "ID document type",
        "id_card": "Mainland resident ID card", "number": "ID document number", "phone": "Mobile number",
        "get_code": "Get verification code", "code": "Verification code", "log_in": "Agree and log in",
        "mode": "How to declare", "self": "Declare for yourself", "confirm": "Confirm the organisation", "next": "Next",
        "form": "Student/staff health declaration", "household": "Province and city of household registration",
        "province": "Current province", "city": "Current city", "temperature": "Current temperature",
        "yes": "Yes", "no": "No",
        "questions": ("Staying on campus during the holidays?", "Back at school?",
                      "Fever, cough or other symptoms today?",
                      "Stayed in or travelled through a medium- or high-risk area in the past 14 days?",
                      "Contact with a confirmed or suspected case in the past 14 days?",
                      "Left school today for another city in the province?",
                      "Left school today for another country or region?", "Returning to school today?"),
        "status": "Health status", "healthy": "Healthy", "submit": "Submit the day's data",
        "today": "Submit today's data (Nov 20)", "done": "Submitted", "finish": "Done", "home": "Yuekang Code",
        "show": "Show Yuekang Code", "code_title": "Yuekang Code", "green": "Green code",
        "refresh_hint": "The QR code refreshes every minute and is valid for 2 minutes",
    },
}


@pytest.mark.parametrize("language", list(WORDS))
def test_a_student_declares_and_shows_the_code_in_each_language(browser, server, e2e_app, browser_context_args,
                                                                  language):
    w = WORDS[language]
    seq = list(WORDS).index(language)
    name, number, phone = "黄恺", build_id_card_number("440106", date(2008, 5, 1 + seq), 60 + seq), f"1390000006{seq}"
    with e2e_app.app_context():
        org = make_org(db, size=10)
        token = invites.member_invite(db.session, org_id=org.id, school_id=org.school_id, creator_id=None,
                                      utc_now=clock.utcnow()).token
        ensure_registered(db, name, number, phone=phone)
        db.session.commit()
    student = Person(browser, server, e2e_app.extensions["sms_sender"], name=name, id_number=number, phone=phone,
                     context_args={**browser_context_args, "locale": w["browser"]})
    page = student.page

    def sees_screen(title: str) -> None:
        student.sees_screen(title)  # the top bar's title, axe-core, no CSP refusal
        expect(page.locator("html")).to_have_attribute("lang", w["lang"])

    try:
        # -- the invite card → 实名认证, in the browser's language or switched to English ----------------------
        student.open(f"/invite/{token}")
        if w["switch"]:
            student.sees_screen(WORDS["zh_Hans_CN"]["login"])  # the browser's zh-CN first
            student.click(w["switch"])
        sees_screen(w["login"])
        page.get_by_label(w["name"], exact=True).fill(name)
        page.get_by_label(w["id_type"]).select_option(label=w["id_card"])
        page.get_by_label(w["number"]).fill(number)
        page.get_by_label(w["phone"]).fill(phone)
        student.click(w["get_code"])
        sees_screen(w["login"])
        page.get_by_label(w["code"], exact=True).fill(student.sender.last_code(phone))
        student.click(w["log_in"])

        # -- 填报方式 → 本人填报 → 确认组织信息 → the form → 提交成功 -------------------------------------------
        sees_screen(w["mode"])
        student.click(w["self"])
        sees_screen(w["confirm"])
        student.click(w["next"])
        sees_screen(w["form"])
        page.get_by_label(w["household"]).fill("广东省广州市")
        page.get_by_label(w["province"]).fill("广东省")
        page.get_by_label(w["city"]).fill("广州市")
        page.get_by_label(w["temperature"]).fill("36.5")
        for question in w["questions"]:
            answer = w["yes"] if question in (w["questions"][1], w["questions"][7]) else w["no"]
            student.chooses(question, answer)
        student.chooses(w["status"], w["healthy"])
        student.click(w["submit"])
        student.axe_check()  # the day choice open over the form
        page.get_by_role("button", name=w["today"], exact=True).click()
        sees_screen(w["done"])
        student.click(w["finish"])
        sees_screen(w["mode"])

        # -- 粤康码 home → 出示粤康码 ---------------------------------------------------------------------------
        student.open("/")
        sees_screen(w["home"])
        student.click(w["show"])
        sees_screen(w["code_title"])
        student.sees(w["green"])
        student.sees(w["refresh_hint"])
        expect(page.get_by_role("img", name=re.compile(re.escape(w["green"])))).to_be_visible()
        assert len(student.checked) >= 9  # axe-core looked at every screen
    finally:
        student.close()

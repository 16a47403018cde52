"""The school flows in 繁體中文 and English (issue 15): the collector's 防疫工作台 (home, 申报详情, the day's report,
members, reminders, 外籍教师), the school admin's 学校管理 (dashboard, an organisation's day, 外籍教师, the export and
the import template), and the reminder SMS in each recipient's own language (Person.language).

The cookie picks the reader's language as the switch does before login (the accounts here never chose one).
"""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import date, datetime, time

import pytest
from sqlalchemy import select

from tests.blueprints.support import TODAY, YESTERDAY, collapse, location, text
from tests.blueprints.test_languages import choose, html_lang, title
from tests.factories import bind, declare, make_admin, make_org, make_person, make_school
from yks_web import clock as app_clock
from yks_web.models import Collector, ForeignTeacher
from yks_web.services import days, membership, reminders, teachers, weekly_edits
from yks_web.services.sms import RecordingSender

DAY = f"/workbench/day/{TODAY.isoformat()}"


def page_of(client, url: str, language: str):
    choose(client, language)
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response


def flashed(response) -> list[str]:
    """The flash messages of a page (the notices above the screen)."""
    return [html.unescape(m).strip() for m in re.findall(r'<p class="flash[^"]*"[^>]*>(.*?)</p>', text(response), re.S)]


@pytest.fixture
def admin_scene(db, scene):
    """The scene's school with its admin 李校管 and a foreign teacher on its list."""
    admin = make_admin(db, scene.school)
    values, errors = teachers.clean({"name": "Dorian Lam", "teaching_level": "高校", "nationality": "美国",
                                     "continent": "北美洲", "current_location": "广东省内", "lives_on_campus": "否",
                                     "covid_status": "无"}, today=TODAY)
    assert not errors
    teachers.add(db.session, scene.school.id, values, datetime(2026, 11, 20, 1, 0))
    db.session.commit()
    return scene, admin


# -- the collector's 工作台 ---------------------------------------------------------------------------------------


def test_the_workbench_home_in_english(client, db, actions, scene):
    scene.org.created_at = datetime(2026, 11, 1)  # it had a yesterday: the 11:30 countdown shows
    db.session.commit()
    actions.login(scene.collector)
    page = page_of(client, "/workbench/", "en")
    assert html_lang(page) == "en" and title(page) == "Health declaration workbench"
    body = collapse(text(page))
    for words in ("Today's statistics", "Declaration status", "Today (Nov 20)", "Yesterday (Nov 19)",
                  "Declared <strong>0</strong>/50", "Not submitted", "Members joined: <strong>3</strong>",
                  "Remind members who have not declared", "Not declared today: <strong>3</strong>",
                  "Daily reminder: No reminder", "Remind all who have not declared", "My school organisation",
                  "Students", "3 / 50 people", "Send invitation on WeChat", "Add manually",
                  # 09:00: yesterday's data until 11:30, said in English and cut in two for countdown.js
                  "Submit the data for Nov 19: ", "2 h 30 min left (closes at 11:30)",
                  'data-countdown-suffix=" left (closes at 11:30)"',
                  'data-countdown-done="Past 11:30, can no longer be submitted"'):
        assert words in body, words
    assert "今日" not in body and "申报" not in body


def test_the_workbench_home_in_traditional(client, actions, scene):
    actions.login(scene.collector)
    page = page_of(client, "/workbench/", "zh_Hant_HK")
    assert html_lang(page) == "zh-Hant-HK" and title(page) == "健康申報工作台"
    body = text(page)
    assert "今日數據統計" in body and "我的校內組織" in body and "一鍵提醒未填報成員" in body


def test_creating_the_organisation_in_english(client, db, actions):
    school = make_school(db)
    teacher = make_person(db, "蒋小华")
    db.session.commit()
    actions.login(teacher)
    page = page_of(client, "/workbench/", "en")
    assert html.unescape(title(page)) == "School collector's workbench"
    assert "a collector taps the invitation card" in text(page)
    db.session.add(Collector(school_id=school.id, person_id=teacher.id))
    db.session.commit()
    page = page_of(client, "/workbench/create", "en")
    body = text(page)
    assert "Step 2: Create my organisation" in body and "The people who declare their health to you are" in body
    assert '<option selected value="高中">Senior secondary</option>' in body and ">Students</span>" in body
    response = actions.post("/workbench/create", {"target": "", "school_type": "", "name": "", "size": "abc"})
    body = text(response)
    assert "Please choose who you collect from" in body and "Please choose the school type" in body
    assert "Please enter the organisation name" in body


def test_the_day_list_and_a_member_in_english(client, db, actions, scene):
    declare(db, scene.org, scene.members[0], TODAY)
    db.session.commit()
    actions.login(scene.collector)
    page = page_of(client, DAY, "en")
    assert title(page) == "Declaration details"
    body = collapse(text(page))
    for words in ("Members not declared (2)", "Members declared (1)", "Quick-fill missing data", "Self-declared",
                  "Declare for someone else", "Submit the day's data", '<span class="sr-only"> for 学生一</span>'):
        assert words in body, words
    assert f"学生一 ({scene.members[1].masked_id})" in body  # the name is data, the brackets English
    member = page_of(client, f"{DAY}/member/{scene.members[1].id}", "en")
    assert title(member) == "Student/staff health information"
    assert "has not declared for Nov 20 yet." in text(member)


def test_the_day_list_in_traditional(client, db, actions, scene):
    declare(db, scene.org, scene.members[0], TODAY)
    db.session.commit()
    actions.login(scene.collector)
    page = page_of(client, DAY, "zh_Hant_HK")
    assert title(page) == "申報詳情" and "未填報成員（2人）" in text(page) and "自主申報" in text(page)


def test_quick_fill_and_the_report_in_english(client, db, actions, scene):
    declare(db, scene.org, scene.members[0], YESTERDAY)
    db.session.commit()
    actions.login(scene.collector)
    choose(client, "en")
    response = actions.post(f"{DAY}/quickfill", {"key": "0" * 32})
    assert response.status_code == 303
    assert "Quick-filled 1 member who had not declared with their last submitted data" in flashed(client.get(DAY))

    supplement = page_of(client, f"{DAY}/report", "en")
    assert title(supplement) == "Submit the data for Nov 20"
    body = text(supplement)
    assert "On campus that day" in body and "Absent through illness" in body and "Enter for a member" in body
    # a form error in English: the count's label named in the message
    response = actions.post(f"{DAY}/report", {"in_school_count": "", "leave_count": "-1", "sick_absence_count": "0"})
    assert response.status_code == 200
    assert "Please fill in “On campus that day”" in text(response)
    assert "On leave must be 0–5000" in text(response)

    response = actions.post(f"{DAY}/report", {"in_school_count": "3", "leave_count": "0", "sick_absence_count": "0"})
    assert location(response) == f"{DAY}/report/summary"
    summary = page_of(client, f"{DAY}/report/summary", "en")
    assert title(summary) == "Data details"
    assert "Members' declarations" in text(summary)
    assert "Is everything correct? Report the Nov 20 data?" in text(summary)
    response = actions.post(f"{DAY}/report/submit")
    assert response.status_code == 303
    view = client.get(location(response))
    assert title(view) == "Statistics" and "Data submitted" in flashed(view)
    stat = page_of(client, f"{DAY}/stat/not_declared", "en")
    assert title(stat) == "Not declared" and "Not declared (2)" in text(stat)  # 学生〇 was quick-filled


def test_members_and_refusals_in_english(client, db, actions, scene):
    actions.login(scene.collector)
    page = page_of(client, "/workbench/members", "en")
    assert title(page) == "Members" and "Organisation members (3)" in text(page)
    response = actions.post("/workbench/members", {})
    assert flashed(client.get(location(response))) == ["Please choose the members to remove"]
    confirm = actions.post("/workbench/members", {"person": str(scene.members[0].id)})
    assert "Remove the following 1 member?" in text(confirm)

    modify = actions.post("/workbench/org/modify", {"name": "", "size": "0"})
    assert "Please enter the organisation name" in text(modify)
    assert "The organisation size must be 1–5000 people" in text(modify)
    guide = page_of(client, "/workbench/guide", "en")
    assert title(guide) == "How it works" and "How to invite members to the organisation" in text(guide)
    card = page_of(client, "/workbench/invite/card", "en")
    assert "(Important) Please declare your health information" in text(card)


def test_the_daily_reminder_screen_and_its_flash_in_english(client, db, actions, scene):
    actions.login(scene.collector)
    page = page_of(client, "/workbench/remind/daily", "en")
    assert title(page) == "Daily reminder time"
    assert "Remind every day at a set time" in text(page) and "between 07:00–21:00" in text(page)
    response = actions.post("/workbench/remind/daily", {"daily": "on", "remind_at": "23:00"})
    assert "Please set the reminder time between 07:00–21:00 so members are not disturbed at night" in text(response)
    response = actions.post("/workbench/remind/daily", {"daily": "on", "remind_at": "08:30"})
    assert flashed(client.get(location(response))) == [
        "Members who have not declared will be reminded daily at 08:30; 08:30 has passed today, so reminders start "
        "tomorrow (Nov 21)"]


def test_reminder_sms_go_in_each_recipients_language(client, db, actions, scene, sms):
    """一键提醒 by a collector reading English: each member's SMS in their own language (Person.language), 简体中文
    for one who never chose; the flash in the collector's."""
    english, traditional, simplified = scene.members
    for person, phone in ((english, "13800000301"), (traditional, "13800000302"), (simplified, "13800000303")):
        person.phone = phone
    english.language, traditional.language = "en", "zh_Hant_HK"
    db.session.commit()
    actions.login(scene.collector)
    choose(client, "en")
    response = actions.post("/workbench/remind")
    assert response.status_code == 303
    assert flashed(client.get("/workbench/")) == ["Reminded 3 people (3 SMS sent)."]
    said = dict(sms.texts)
    assert "Nov 20" in said["13800000301"] and "11月20日" not in said["13800000301"]
    assert "11月20日" in said["13800000302"] and "申報" in said["13800000302"]
    assert said["13800000303"].startswith("【粤省事】") and "11月20日的健康申报尚未填报" in said["13800000303"]


def test_the_countdown_and_summary_texts_follow_the_reader(app):
    with app.test_request_context("/", headers={"Cookie": "yks_lang=en"}):
        countdown = reminders.lock_countdown(datetime(2026, 11, 20, 10, 59, tzinfo=reminders.TZ), False)
        assert countdown.text == "31 min left (closes at 11:30)"
        assert (countdown.prefix, countdown.suffix) == ("", " left (closes at 11:30)")
        sent = reminders.Sent(0, 0, 2, 1)
        assert sent.summary() == ("No reminder was sent this time; 2 people were reminded within the hour and are not "
                                  "reminded again yet; 1 person and their proxies have no phone number registered and "
                                  "cannot be reminded.")
    with app.test_request_context("/"):
        assert reminders.lock_countdown(datetime(2026, 11, 20, 10, 59, tzinfo=reminders.TZ), False).text == \
            "还剩31分（11:30截止）"


def test_foreign_teachers_on_the_workbench_in_english(client, db, actions, admin_scene):
    scene, _admin = admin_scene
    actions.login(scene.collector)
    page = page_of(client, "/workbench/teachers", "en")
    assert title(page) == "Foreign teacher declarations" and "No one yet: please add teachers first" in text(page)
    response = actions.post("/workbench/teachers/add", {})
    assert flashed(client.get(location(response))) == ["Please tick the foreign teachers to declare"]
    teacher = db.session.scalar(select(ForeignTeacher))
    response = actions.post("/workbench/teachers/add", {"teacher": str(teacher.id)})
    assert flashed(client.get(location(response))) == ["1 foreign teacher added; please update what has changed"]
    edit = page_of(client, f"/workbench/teachers/{teacher.id}", "en")
    body = text(edit)
    assert title(edit) == "Edit details"
    assert '<option value="高校" selected>Higher education</option>' in body  # the stored value, shown in English
    assert "Transport and flight/train number (optional)" in body
    unchanged = teachers.shown(teacher)
    response = actions.post(f"/workbench/teachers/{teacher.id}", unchanged)
    assert "Nothing has changed for this foreign teacher: there is nothing to declare." in text(response)
    response = actions.post(f"/workbench/teachers/{teacher.id}", {**unchanged, "covid_status": "居家医学观察"})
    assert flashed(client.get(location(response))) == ["Changes for Dorian Lam submitted: COVID-19 status"]


# -- the school admin's 学校管理 ----------------------------------------------------------------------------------


def test_the_school_dashboard_and_an_organisation_day_in_english(client, db, actions, admin_scene):
    scene, admin = admin_scene
    declare(db, scene.org, scene.members[0], TODAY)
    db.session.commit()
    actions.login(admin)
    page = page_of(client, f"/school/{scene.school.id}", "en")
    assert title(page) == "School administration"
    body = collapse(text(page))
    for words in ("School type", "Senior secondary", "Invite a collector", "Foreign teachers", "Declarations on Nov 20",
                  "Organisations that submitted", "3 / 50 people", "Collector: 蒋小华", "Joined 3/50", "Declared 1",
                  "Export CSV"):
        assert words in body, words
    day = page_of(client, f"/school/{scene.school.id}/org/{scene.org.id}/{TODAY.isoformat()}", "en")
    body = text(day)
    assert "Members (3, 1 declared)" in body and "Healthy" in body and "Not declared" in body
    assert "The collector has not submitted the data for that day yet" in body


def test_the_school_dashboard_in_traditional(client, actions, admin_scene):
    scene, admin = admin_scene
    actions.login(admin)
    page = page_of(client, f"/school/{scene.school.id}", "zh_Hant_HK")
    assert title(page) == "學校管理" and "邀請採集員" in text(page)


def test_the_export_speaks_the_readers_language(client, db, actions, admin_scene):
    scene, admin = admin_scene
    declare(db, scene.org, scene.members[0], TODAY)
    db.session.commit()
    actions.login(admin)
    choose(client, "en")
    response = client.get(f"/school/{scene.school.id}/export/{TODAY.isoformat()}.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:5] == ["Organisation", "Data submitted", "Name", "ID document number", "Declared"]
    declared = next(row for row in rows[1:] if row[4] == "Yes")
    assert declared[1] == "No" and declared[5] == "Self-declared" and declared[12] == "Healthy"
    assert any(row[4] == "No" for row in rows[1:])


def test_foreign_teachers_of_the_school_in_english(client, db, actions, admin_scene):
    scene, admin = admin_scene
    actions.login(admin)
    school = scene.school.id
    page = page_of(client, f"/school/{school}/teachers", "en")
    body = text(page)
    assert title(page) == "Foreign teachers" and "Foreign teacher list (1)" in body
    assert "Higher education · None" in body and "Download the template (CSV)" in body

    template = client.get(f"/school/{school}/teachers/template.csv").get_data(as_text=True).lstrip("\ufeff")
    header, sample = template.splitlines()
    assert header.startswith("Name,Teaching level,Nationality,Continent,Current location,Lives on campus")
    assert sample.startswith("Dorian Lam,Higher education,美国,North America,In Guangdong,No,None,")

    # the English template, filled in and imported back: its choices are stored as the guide's words
    filled = header + "\n" + sample.replace("Dorian Lam", "Ada Chan") + "\nBad Row,Nowhere,英国\n"
    response = actions.post(f"/school/{school}/teachers/import",
                            {"file": (io.BytesIO(filled.encode()), "teachers.csv")},
                            content_type="multipart/form-data")
    result = client.get(location(response))
    body = collapse(text(result))
    assert title(result) == "Import foreign teachers"
    assert "Foreign teachers imported: <strong>1</strong>; 1 row not imported." in body
    assert "Row 3" in body and "Teaching level must be one of: Kindergarten, Primary school" in body
    ada = db.session.scalar(select(ForeignTeacher).where(ForeignTeacher.name == "Ada Chan"))
    assert (ada.teaching_level, ada.continent, ada.lives_on_campus, ada.covid_status) == ("高校", "北美洲", False, "无")

    refused = actions.post(f"/school/{school}/teachers/import",
                           {"file": (io.BytesIO(b"x"), "teachers.txt")}, content_type="multipart/form-data")
    assert "Please upload a CSV or Excel (.xlsx) file" in text(refused)
    added = actions.post(f"/school/{school}/teachers/add", {"name": ""})
    assert "Please fill in “Name”" in text(added) and "Teaching level must be one of" not in text(added)


def test_the_daily_run_texts_each_recipient_in_their_language(db, clock):
    """`flask yks reminders` (no request, no reader): the member's SMS and their 代填人's, each in their own
    language, the date too; one who never chose gets 简体中文."""
    org = make_org(db, make_school(db))
    child = make_person(db, "陈小宝")
    parent = make_person(db, "陈家长", phone="13800000401", language="zh_Hant_HK")
    teacher = make_person(db, "Ada Chan", phone="13800000402", language="en")
    plain = make_person(db, "李未报", phone="13800000403")
    for person in (child, teacher, plain):
        membership.join(db.session, org, person, "invite", app_clock.utcnow())
    bind(db, org, parent, child)
    reminders.set_daily_time(db.session, org.id, time(10, 30), app_clock.now())
    db.session.commit()
    clock(datetime(2026, 11, 20, 10, 30))
    sender = RecordingSender()
    assert reminders.send_daily(db.session, sender, app_clock.now()).messages == 3
    said = dict(sender.texts)
    assert "11月20日" in said["13800000401"] and "陳小寶" not in said["13800000401"]  # the name as typed: data
    assert "申報" in said["13800000401"]
    assert "Nov 20" in said["13800000402"]
    assert said["13800000403"].endswith("11月20日的健康申报尚未填报，请尽快在粤省事完成填报。")


def test_dates_and_refusals_of_the_shared_services_in_english(app):
    with app.test_request_context("/", headers={"Cookie": "yks_lang=en"}):
        assert weekly_edits.refusal(date(2026, 11, 23)) == (
            "Details can be changed once a week; you can change them again from next Monday (November 23, 2026)")
        assert days.chosen_day("2026-13-01", TODAY) == (TODAY, "The date is not valid; showing today's data")
        assert reminders.month_day(date(2026, 11, 21)) == "Nov 21"
    with app.test_request_context("/", headers={"Cookie": "yks_lang=zh_Hant_HK"}):
        assert weekly_edits.refusal(date(2026, 11, 23)) == "每週僅可修改一次，下週一（2026年11月23日）起可再次修改"
    with app.test_request_context("/"):
        assert weekly_edits.refusal(date(2026, 11, 23)) == "每周仅可修改一次，下周一（2026年11月23日）起可再次修改"

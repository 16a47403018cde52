"""学校管理 and 外籍教师申报 (issue 3, SPEC W10–W11) in Chromium at 390×844, with axe-core on every screen:
the admin looks at a past day, drills into a report and a member, adds a foreign teacher; the collector
declares that teacher's change; the admin sees it."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from e2e.conftest import STORY_START
from e2e.people import Person
from tests.factories import declare, make_admin, make_org, make_person, make_school
from yks_web import clock
from yks_web.extensions import db
from yks_web.services import membership, reports
from yks_web.services.identity import build_id_card_number

ADMIN = ("李校管", build_id_card_number("440104", date(1978, 6, 15), 81), "13900000081")
COLLECTOR = ("蒋小华", build_id_card_number("440106", date(1988, 9, 9), 82), "13900000082")
YESTERDAY = (STORY_START - timedelta(days=1)).date()


@pytest.fixture
def school(e2e_app, server):
    with e2e_app.app_context():
        school = make_school(db)
        make_admin(db, school, make_person(db, ADMIN[0], number=ADMIN[1], phone=ADMIN[2]))
        org = make_org(db, school, make_person(db, COLLECTOR[0], number=COLLECTOR[1], phone=COLLECTOR[2]), members=3,
                       size=3)
        first, second, _ = [m.person for m in membership.members(db.session, org.id)]
        declare(db, org, first, YESTERDAY, temperature=None, temperature_band="38.1–39℃", has_symptoms=True)
        declare(db, org, second, YESTERDAY)
        reports.submit_report(db.session, org_id=org.id, day=YESTERDAY, actor_id=org.collector.person_id,
                              supplement=reports.Supplement(2, 1, 1, remarks="学生2请假"),
                              now=clock.now(), utc_now=clock.utcnow())
        db.session.commit()
        return {"school": school.id, "org": org.id, "first": first.name}


def test_school_admin_and_foreign_teachers(browser, server, e2e_app, browser_context_args, school):
    sender = e2e_app.extensions["sms_sender"]
    admin = Person(browser, server, sender, name=ADMIN[0], id_number=ADMIN[1], phone=ADMIN[2],
                   context_args=browser_context_args)
    collector = Person(browser, server, sender, name=COLLECTOR[0], id_number=COLLECTOR[1], phone=COLLECTOR[2],
                       context_args=browser_context_args)
    try:
        # -- W11: a past day, a submitted report, a member --------------------------------------------------
        admin.open("/school/")
        admin.log_in()
        admin.sees_screen("学校管理")
        admin.page.get_by_label("查看日期").fill(YESTERDAY.isoformat())
        admin.click("查看")
        admin.sees("11月19日申报情况")
        admin.sees_screen("学校管理")
        export = admin.page.request.get(
            f"{server.url}/school/{school['school']}/export/{YESTERDAY.isoformat()}.xlsx")
        assert export.status == 200 and "spreadsheetml" in export.headers["content-type"]
        admin.page.get_by_role("link", name=re.compile("高一\\(1\\)班")).click()
        admin.sees_screen("高一(1)班")
        admin.sees("学生2请假")
        admin.page.get_by_role("link", name=re.compile(school["first"])).first.click()
        admin.sees_screen("学生/教职工个人健康信息")
        admin.sees("38.1–39℃")
        admin.page.go_back()
        admin.sees_screen("高一(1)班")
        admin.page.go_back()
        admin.sees_screen("学校管理")

        # -- W10: the admin adds a foreign teacher -------------------------------------------------------------
        admin.click("外籍教师", role="link")
        admin.sees_screen("外籍教师")
        admin.click("添加外籍教师", role="link")
        admin.sees_screen("添加外籍教师")
        page = admin.page
        page.get_by_label("姓名").fill("Dorian Lam")
        page.get_by_label("任教层次").select_option("高校")
        page.get_by_label("国籍").fill("美国")
        page.get_by_label("所属洲").select_option("北美洲")
        page.get_by_label("目前所在地").select_option("广东省内")
        page.get_by_label("是否居住校内").select_option("否")
        page.get_by_label("新冠肺炎情况").select_option("无")
        admin.click("确认添加")
        admin.sees_screen("外籍教师")
        admin.sees("已添加外籍教师Dorian Lam")

        # -- the collector: 外籍教师申报 → 添加外籍教师 → 确认并添加 → 修改信息 → 提交 --------------------------------
        collector.open("/workbench/")
        collector.log_in()
        collector.sees_screen("健康申报工作台")
        # the FAQ's path (issue 9): 【今日数据统计】 → 昨日 → "查看详情" → 申报详情, in the collector's words (item 7)
        collector.sees("今日数据统计")
        collector.click("昨日(11月19日)", role="link")
        collector.sees("昨日数据统计")
        collector.click("查看详情", role="link", exact=False)
        collector.sees_screen("申报详情")
        collector.sees("该日数据已提交至学校管理员")
        collector.page.go_back()
        collector.sees_screen("健康申报工作台")
        collector.click("外籍教师申报", role="link")
        collector.sees_screen("外籍教师申报")
        collector.sees("暂无成员，请先添加")
        collector.click("添加外籍教师", role="link")
        collector.sees_screen("外籍教师申报")
        collector.page.get_by_label("Dorian Lam（美国）").check()
        collector.click("确认并添加")
        collector.sees_screen("外籍教师申报")
        collector.page.get_by_role("link", name=re.compile("Dorian Lam")).click()
        collector.sees_screen("修改信息")
        collector.click("提交")
        collector.sees(re.compile("信息无变动"))
        collector.page.get_by_label("新冠肺炎情况").select_option("疑似新冠肺炎")
        collector.page.get_by_label("备注（选填）").fill("咳嗽")
        collector.page.get_by_label("入境日期（选填）").fill("2020-03-13")
        collector.click("提交")
        collector.sees_screen("外籍教师申报")
        collector.sees("已提交Dorian Lam的信息变动：新冠肺炎情况、备注、入境日期")

        # -- the admin sees the change ---------------------------------------------------------------------------
        admin.page.reload()
        admin.sees_screen("外籍教师")
        expect(admin.page.locator("#screen")).to_contain_text("疑似新冠肺炎")
    finally:
        admin.close()
        collector.close()

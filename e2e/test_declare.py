"""学生/教职工个人健康申报, the declare flow (its guide: school-member-declaration), in Chromium at 390×844 by the
visible labels. The whole school story of issue 2 (SPEC S1–S10, W1–W9) is here because members and the
collector's 工作台 share one day; also the flow without JavaScript (SPEC P3, issue 9 item 3).

School admin invites a collector → the collector creates the organisation and its invite → a student
declares 本人填报 → two parents declare 代他人填报 for a child, a third is refused (S6) → the student
declares again with a change → the collector sees 数据有变动, uses 【代填报】 and 【快速填充未报数据】,
submits the day → the member's next submission for that day is refused with the guide's message.
"""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
from playwright.sync_api import expect

from e2e.people import Person
from tests.factories import make_org
from yks_web import clock
from yks_web.extensions import db
from yks_web.services import invites, schools
from yks_web.services.deadlines import REPORT_SUBMITTED
from yks_web.services.declarations import NOT_MEMBER
from yks_web.services.identity import build_id_card_number

CHILD = ("黄宇轩", build_id_card_number("440106", datetime(2009, 3, 4).date(), 7))


def ident(seq: int, year: int = 1985) -> str:
    return build_id_card_number("440106", datetime(year, 1 + seq % 12, 1 + seq % 28).date(), seq)


@pytest.fixture
def people(browser, server, e2e_app, browser_context_args):
    sender = e2e_app.extensions["sms_sender"]
    made: list[Person] = []

    def person(name: str, seq: int, phone: str, year: int = 1985) -> Person:
        p = Person(browser, server, sender, name=name, id_number=ident(seq, year), phone=phone,
                   context_args=browser_context_args)
        made.append(p)
        return p

    yield person
    for p in made:
        p.close()


def admin_invite_link(app, server) -> str:
    with app.app_context():
        _, invite = schools.create_school(
            db.session, name="广州市第一示范中学", school_type="高中", region="广东省广州市越秀区",
            utc_now=clock.utcnow(),
        )
        db.session.commit()
        return f"{server.url}/invite/{invite.token}"


def test_the_school_day_end_to_end(server, e2e_app, people):
    # -- W1: the school admin accepts the operator's invite and invites a collector --------------------
    admin = people("李校管", 1, "13900000001", 1978)
    admin.open(admin_invite_link(e2e_app, server))
    admin.log_in()
    admin.sees_screen("学校管理员")
    admin.click("确认加入")
    admin.sees_screen("学校管理")
    admin.click("邀请采集员")
    admin.sees_screen("邀请采集员")
    collector_link = admin.page.get_by_label(re.compile("邀请链接")).input_value()
    assert "/invite/" in collector_link

    # -- W2: the collector joins the school and creates the organisation ------------------------------
    collector = people("蒋小华", 2, "13900000002", 1988)
    collector.open(collector_link)
    collector.log_in()
    collector.sees_screen("学校采集员工作台")
    collector.sees("第一步：加入学校")
    collector.click("下一步")
    collector.sees_screen("健康申报工作台")
    collector.sees("第二步：创建我的组织")
    collector.page.get_by_label("学生", exact=True).check()
    collector.page.get_by_label("学校类型").select_option("高中")
    collector.page.get_by_label("专业名称").fill("")
    collector.page.get_by_label("组织名称").fill("高一(1)班")
    collector.page.get_by_label("组织人数").fill("5")
    collector.click("开始采集成员信息")
    collector.sees_screen("健康申报工作台")
    collector.sees("已申报 0/5")
    collector.sees("未提交")

    # -- W3: the invite card ---------------------------------------------------------------------------
    collector.click("微信发送邀请")
    collector.sees_screen("邀请卡片")
    collector.sees("(重要)快来申报你的个人健康信息")
    expect(collector.page.get_by_role("img", name=re.compile("邀请二维码"))).to_be_visible()
    member_link = collector.page.get_by_label("邀请链接").input_value()
    png = collector.page.request.get(collector.server.url + "/workbench/invite/qr.png")
    assert png.headers["content-type"] == "image/png"
    collector.click("复制链接")
    collector.page.go_back()
    collector.sees_screen("健康申报工作台")

    # -- S3: a student declares 本人填报 for today -------------------------------------------------------
    student = people("黄恺", 3, "13900000003", 2008)
    student.open(member_link)
    student.log_in()
    student.sees_screen("填报方式")
    student.sees("高一(1)班")
    student.click("本人填报")
    student.sees_screen("确认组织信息")
    student.click("下一步")
    student.sees_screen("学生/教职工个人健康申报")
    student.fill_declaration()
    student.submit_declaration()
    student.sees_screen("提交成功")

    # -- S4, S6: two parents declare 代他人填报 for a child; a third is refused -------------------------
    for seq, name, phone in ((4, "黄伟斌", "13900000004"), (5, "陈丽", "13900000005")):
        parent = people(name, seq, phone, 1980)
        parent.open(member_link)
        parent.log_in()
        parent.sees_screen("填报方式")
        parent.click("代他人填报")
        parent.sees_screen("代他人填报")
        parent.enters_identity(CHILD[0], CHILD[1])
        parent.click("下一步")
        parent.sees_screen("确认组织信息")
        parent.sees(CHILD[0])
        parent.click("下一步")
        parent.sees_screen("学生/教职工个人健康申报")
        parent.fill_declaration()
        parent.submit_declaration()
        parent.sees_screen("提交成功")
    # S5: entering again shows the 申报人列表
    parent.click("完成")
    parent.sees_screen("填报方式")
    parent.click("代他人填报")
    parent.sees_screen("申报人列表")
    parent.sees(CHILD[0])
    expect(parent.page.get_by_role("button", name="添加申报人")).to_be_disabled()

    third = people("黄奶奶", 6, "13900000006", 1950)
    third.open(member_link)
    third.log_in()
    third.sees_screen("填报方式")
    third.click("代他人填报")
    third.sees_screen("代他人填报")
    third.enters_identity(CHILD[0], CHILD[1])
    third.click("下一步")
    third.sees_screen("代他人填报")
    third.sees("最多可同时有2位代填人")

    # -- S8: the student declares again with a change -----------------------------------------------------
    student.click("完成")
    student.sees_screen("填报方式")
    student.click("本人填报")
    student.sees_screen("本人填报")
    student.click("开始填报", role="link", exact=False)
    student.sees_screen("学生/教职工个人健康申报")
    student.fill_declaration(city="深圳市", left_to_city=True)
    student.submit_declaration()
    student.sees_screen("提交成功")

    # -- W3 【手动添加】 two more members; one of them declared yesterday (补提交昨日数据) --------------------
    collector.open("/workbench/")
    collector.sees_screen("健康申报工作台")
    for seq, name in ((8, "李晓明"), (9, "张子涵")):
        collector.click("手动添加")
        collector.sees_screen("手动添加")
        collector.enters_identity(name, ident(seq, 2008))
        collector.click("确认添加")
        collector.sees(f"已添加成员{name}")
        collector.page.go_back()
        collector.page.go_back()
        collector.sees_screen("健康申报工作台")

    late = people("张子涵", 9, "13900000009", 2008)
    late.open("/declare/")
    late.log_in()
    late.sees_screen("填报方式")
    late.click("本人填报")
    late.sees_screen("本人填报")
    late.click("开始填报", role="link", exact=False)
    late.sees_screen("学生/教职工个人健康申报")
    late.fill_declaration()
    late.submit_declaration(which="补提交昨日数据")
    late.sees_screen("提交成功")
    late.sees("11月19日")

    # -- W6: 申报详情 with 自主申报, 代填人 and 数据有变动 ---------------------------------------------------
    collector.page.reload()
    collector.sees("已申报 2/5")
    collector.click("查看申报情况")
    collector.sees_screen("申报详情")
    collector.sees("未填报成员（2人）")
    collector.sees("已填报成员（2人）")
    row = collector.page.get_by_role("link", name=re.compile("黄恺"))
    expect(row).to_contain_text("自主申报")
    expect(row).to_contain_text("数据有变动")
    expect(collector.page.get_by_role("link", name=re.compile(CHILD[0]))).to_contain_text("代填人：陈丽")
    row.click()
    collector.sees_screen("学生/教职工个人健康信息")
    collector.sees("深圳市")
    collector.page.go_back()
    collector.sees_screen("申报详情")

    # the student has the form open when the collector is about to submit
    student.click("完成")
    student.sees_screen("填报方式")
    student.click("本人填报")
    student.sees_screen("本人填报")
    student.click("开始填报", role="link", exact=False)
    student.sees_screen("学生/教职工个人健康申报")

    # -- W7 【代填报】 for 李晓明 ---------------------------------------------------------------------------
    missing_row = collector.page.get_by_role("listitem").filter(has_text="李晓明")
    missing_row.get_by_role("link", name=re.compile("^代填报")).click()
    collector.sees_screen("学生/教职工个人健康申报")
    collector.fill_declaration()
    collector.submit_declaration(which="提交11月20日数据")
    collector.sees_screen("申报详情")
    expect(collector.page.get_by_role("link", name=re.compile("李晓明"))).to_contain_text("代填人：蒋小华")

    # -- W8 【快速填充未报数据】 copies 张子涵's yesterday into today ---------------------------------------
    collector.click("快速填充未报数据")
    collector.sees("已为1名未填报成员快速填充最近一次提交的数据")
    collector.sees("未填报成员（0人）")
    collector.sees("已填报成员（4人）")

    # -- W9 提交本日数据 → 【下一步】 → summary → 【提交数据】 → 【确定】 ---------------------------------------
    collector.click("提交本日数据")
    collector.sees_screen("提交11月20日数据")
    collector.page.get_by_label("当日在校人数").fill("3")
    collector.page.get_by_label("请假人数").fill("1")
    collector.page.get_by_label("因病缺勤人数").fill("0")
    collector.page.get_by_label("备注").fill("黄宇轩请假回深圳")
    collector.click("下一步")
    collector.sees_screen("数据详情")
    collector.page.get_by_role("link", name=re.compile("^已填报")).click()
    collector.sees_screen("已填报")
    collector.sees("（4人）")
    collector.page.go_back()
    collector.sees_screen("数据详情")
    collector.click("提交数据")
    collector.click("确定")
    collector.sees_screen("数据统计")
    collector.sees("数据提交成功")
    collector.sees("已提交")

    # -- S8: the student's next submission for that day is refused with the guide's message -----------------
    student.fill_declaration(city="广州市")
    student.submit_declaration()
    student.sees_screen("学生/教职工个人健康申报")
    student.sees(REPORT_SUBMITTED)
    expect(student.page.get_by_role("button", name="重新提交")).to_be_visible()
    expect(student.page.get_by_label("当前所在城市")).to_have_value("广州市")

    assert len(collector.checked) > 10  # axe-core looked at every screen the collector saw

    # -- issue 9 item 4: on the next visit the closed day is said before anything is typed --------------------
    student.open("/declare/self")
    student.sees_screen("本人填报")
    form_link = student.page.get_by_role("link", name=re.compile("^开始填报")).first.get_attribute("href")
    student.open(form_link)
    student.sees_screen("学生/教职工个人健康申报")
    expect(student.page.locator("#screen .content > .hint, #screen .content > .notice").first).to_contain_text(
        REPORT_SUBMITTED)

    # -- issue 9 item 3, S9: 【退出组织】 asks first; 【取消】 changes nothing, 【确定】 leaves -----------------------
    leave_the_organisation(student)
    student.open(form_link)
    student.sees(NOT_MEMBER)
    expect(student.page.get_by_role("button", name="提交当日数据")).to_be_disabled()


def leave_the_organisation(member: Person) -> None:
    """本人填报 → 【退出组织】 → 确定退出组织？ → 【取消】, then again → 【确定】."""
    member.open("/declare/self")
    member.sees_screen("本人填报")
    member.click("退出组织", role="link", exact=False)
    member.sees_screen("退出组织")
    member.sees("确定退出组织")
    member.click("取消", role="link")
    member.sees_screen("本人填报")
    expect(member.page.get_by_role("link", name=re.compile("^开始填报"))).to_have_count(1)
    member.click("退出组织", role="link", exact=False)
    member.sees_screen("退出组织")
    member.click("确定")
    member.sees_screen("本人填报")
    member.sees("已退出组织")
    expect(member.page.get_by_role("link", name=re.compile("^开始填报"))).to_have_count(0)


def test_退出组织_asks_first_with_javascript_off(browser, server, e2e_app, browser_context_args):
    """Issue 9 item 3: without JavaScript one tap on 【退出组织】 is the confirm screen, not the leaving."""
    with e2e_app.app_context():
        org = make_org(db, size=10)
        token = invites.member_invite(db.session, org_id=org.id, school_id=org.school_id, creator_id=None,
                                      utc_now=clock.utcnow()).token
        db.session.commit()
    student = Person(browser, server, e2e_app.extensions["sms_sender"], name="黄恺", id_number=ident(41, 2008),
                     phone="13900000041", context_args={**browser_context_args, "java_script_enabled": False})
    try:
        student.open(f"/invite/{token}")
        student.log_in()
        student.sees_screen("填报方式")
        student.click("本人填报")
        student.sees_screen("确认组织信息")
        student.click("下一步")
        student.sees_screen("学生/教职工个人健康申报")
        leave_the_organisation(student)
    finally:
        student.close()


@pytest.fixture
def member_link(e2e_app, server):
    with e2e_app.app_context():
        org = make_org(db, size=10)
        invite = invites.member_invite(
            db.session, org_id=org.id, school_id=org.school_id, creator_id=None, utc_now=clock.utcnow()
        )
        db.session.commit()
        return f"{server.url}/invite/{invite.token}"


def test_a_member_declares_with_javascript_off(browser, server, e2e_app, member_link, browser_context_args):
    """SPEC P3: every page also works with JavaScript off — a member declares with plain forms."""
    student = Person(
        browser, server, e2e_app.extensions["sms_sender"], name="黄恺",
        id_number=build_id_card_number("440106", date(2008, 1, 1), 1), phone="13900000031",
        context_args={**browser_context_args, "java_script_enabled": False},
    )
    try:
        student.open(member_link)
        student.log_in()
        student.sees_screen("填报方式")
        student.click("本人填报")
        student.sees_screen("确认组织信息")
        student.click("下一步")
        student.sees_screen("学生/教职工个人健康申报")
        student.fill_declaration(temperature="38.2")
        student.submit_declaration()
        student.sees_screen("提交成功")
        student.page.go_back()
        student.page.reload()
        student.sees_screen("学生/教职工个人健康申报")
    finally:
        student.close()

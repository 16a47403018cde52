"""组织机构成员健康情况采集 (issue 11 item 7, the institution part; SPEC O1, guide 二 (一)) in Chromium at 390×844,
by the visible labels, every screen checked by axe-core and for CSP refusals:

the admin binds an institution (防疫工作台 › 组织机构成员健康情况采集 › 组织机构管理员 → 绑定) and copies its
组织机构申报码 → a member binds it (健康情况申报 › 组织机构成员健康申报 › 绑定组织机构) and declares → the admin
sees the declaration on the 看板, the member's name masked.
"""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import expect

from e2e.people import logs_in_from_home, person
from yks_web.privacy import mask_name
from yks_web.services.identity import build_id_card_number

ADMIN = ("孙立新", build_id_card_number("440106", date(1979, 4, 9), 101), "13900000101")
MEMBER = ("钱晓燕", build_id_card_number("440104", date(1992, 12, 1), 102), "13900000102")
INSTITUTION = "广州市天河区示范科技有限公司"


def test_item7_institution_admin_and_member(browser, server, e2e_app, browser_context_args):
    sender = e2e_app.extensions["sms_sender"]
    # 【复制】 writes to the clipboard, which Chromium allows a page only with this grant
    admin = person(browser, server, sender, ADMIN,
                   {**browser_context_args, "permissions": ["clipboard-read", "clipboard-write"]})
    member = person(browser, server, sender, MEMBER, browser_context_args)
    try:
        # -- the admin: 防疫工作台 › 组织机构成员健康情况采集 › 组织机构管理员 → 绑定组织机构 --------------------------
        logs_in_from_home(admin)
        admin.click("组织机构成员健康情况采集", role="link")
        admin.sees_screen("组织机构成员健康情况采集")
        admin.click("组织机构管理员", role="link", exact=False)
        admin.sees_screen("绑定组织机构")  # none bound yet: the admin lands on the bind form
        admin.page.get_by_label("组织机构名称").fill(INSTITUTION)
        admin.page.get_by_label("组织机构地址").fill("广州市天河区天河北路100号")
        admin.page.get_by_label("行政归属层级").select_option(label="县（区）级")
        admin.page.get_by_label("管理员手机号").fill(ADMIN[2])
        admin.click("绑定")
        admin.sees_screen("组织机构")
        admin.sees("绑定成功，已生成组织机构申报码")
        admin.sees(INSTITUTION)
        code = admin.page.get_by_role("textbox", name="组织机构申报码").input_value()
        assert re.fullmatch(r"1\d{9}", code), code
        admin.click("复制")
        admin.sees("申报码已复制")
        assert admin.page.evaluate("() => navigator.clipboard.readText()") == code
        admin.sees(re.compile(r"已申报\s*0/0"))

        # -- the member: 健康情况申报 › 组织机构成员健康申报 › 绑定组织机构 → 组织机构申报码 → 【绑定】 ----------------
        logs_in_from_home(member)
        member.click("健康情况申报", role="link")
        member.sees_screen("健康情况申报")
        member.click("组织机构成员健康申报", role="link")
        member.sees_screen("组织机构成员健康申报")
        member.sees("您还没有绑定组织机构")
        member.click("绑定组织机构", role="link")
        member.sees_screen("绑定组织机构")
        member.page.get_by_label("组织机构申报码").fill(code)
        member.click("绑定")
        member.sees_screen("组织机构成员健康申报")
        member.sees(f"绑定成功：{INSTITUTION}")
        member.sees("今日未申报")

        # -- 健康申报 → the form → 【提交】 → 提交成功 -----------------------------------------------------------------
        member.page.get_by_role("link", name=re.compile("^健康申报")).click()
        member.sees_screen("成员申报")
        member.sees(INSTITUTION)
        page = member.page
        page.get_by_label("当前所在省份").fill("广东省")
        page.get_by_label("当前所在城市").fill("广州市")
        page.get_by_label("当前体温（℃）").fill("36.6")
        member.chooses("是否有发热、咳嗽等症状", "否")
        member.chooses("14日内是否有中高风险地区旅居史", "否")
        member.chooses("14日内是否接触过确诊或疑似病例", "否")
        member.chooses("当前是否在岗", "是")
        page.get_by_label("工作地点（选填）").fill("单位本部")
        member.click("提交")
        member.sees_screen("提交成功")
        member.sees(f"已提交至{INSTITUTION}")
        member.sees("36.6℃")
        member.click("完成", role="link")
        member.sees_screen("组织机构成员健康申报")
        member.sees("今日已申报")

        # -- the admin: 组织机构 counts it; the 看板 shows it, the name masked ----------------------------------------
        admin.page.reload()
        admin.sees_screen("组织机构")
        admin.sees(re.compile(r"已申报\s*1/1"))
        admin.click("看板", role="link")
        admin.sees_screen("看板")
        row = admin.page.locator("#screen .row-card").filter(has_text=mask_name(MEMBER[0]))
        expect(row).to_have_count(1)
        expect(row).to_contain_text("已申报")
        expect(row).to_contain_text("36.6℃")
        expect(row).to_contain_text("广东省广州市")
        expect(row).to_contain_text("单位本部")
        assert MEMBER[0] not in admin.page.locator("#screen").inner_text()
        assert MEMBER[1] not in admin.page.locator("#screen").inner_text()
    finally:
        admin.close()
        member.close()

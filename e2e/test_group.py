"""团体码 (issue 13 item 8; SPEC G1–G6; the 团体码操作指引 guide) in Chromium at 390×844, every step by the visible
labels and every screen checked by axe-core and for CSP refusals:

a. a creator logs in from 首页 → 热门服务 › 团体码 → 创建团体 (手机号 + 【获取验证码】 + 手机验证码, 团体名称, 团体类型,
   团体地址 by the area picker + 详细地址) → 创建成功 → 邀请成员 → 【分享邀请链接】: the link, valid 24 hours (G1, G3).
b. a member, logged out, opens that link: the invitation (the inviter masked, what the admins will see) → 立即加入 →
   实名认证 → back on the authorisation page (健康码颜色, 核酸检测结果, 疫苗接种信息) → 手机号, 【获取验证码】,
   手机验证码, 我的备注, the agreement → 【授权并加入团体】 → 加入成功. Their 健康码 is red when they join, so the
   snapshot taken at the join is red (G3, G4).
c. the creator: 我管理的团体 › 数据统计 shows 红码 1 → tapping it opens 成员管理 filtered to 红码 (code=red in the URL),
   the member listed masked → 成员信息 with 红码 and its 原因 (G4, G5).
d. the member: 首页 › 团体码 › 我加入的团体 › 查阅记录 shows the creator's view of them (团体创建人 · the group,
   查看团体成员信息) (G6; SPEC P10).
e. the creator 设为管理员 the member through 成员信息's confirm page; the member then finds the group under
   我管理的团体 as 管理员 (G2).
"""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import expect

from e2e.people import Person, logs_in_from_home, person
from yks_web import clock
from yks_web.extensions import db
from yks_web.models import Person as PersonRow
from yks_web.models.group import SHARED
from yks_web.models.health import HealthCode
from yks_web.privacy import mask_name, mask_phone
from yks_web.services.identity import build_id_card_number, make_identity

CREATOR = ("林思远", build_id_card_number("440104", date(1980, 5, 12), 141), "13900000141")
MEMBER = ("苏晓彤", build_id_card_number("440106", date(1994, 9, 3), 142), "13900000142")
# The phones each gives the group: not the login's, whose code was sent a moment ago (one code a minute a phone).
CREATOR_GROUP_PHONE = "13900000149"
MEMBER_GROUP_PHONE = "13900000148"
GROUP = "广州塔科技有限公司"
ADDRESS = "天河北路100号"
REMARK = "市场部"
RED_REASON = "与确诊病例有时空交集"
# What the guide says the admins see; the screens list models.group.SHARED, which the consent records.
GUIDE_SHARED = ("健康码颜色", "核酸检测结果", "疫苗接种信息")
# The agreement's label holds two links, which the accessible name sets off with spaces.
AGREEMENT = re.compile(r"^我已认真阅读并同意\s*《用户服务协议》\s*及\s*《个人信息保护政策》$")


def red_code_for(app, who: tuple[str, str, str]) -> None:
    """The health data holds a 红码 for this (logged-in) person: the join's snapshot reads it (issue 13 item 8)."""
    name, number, _ = who
    with app.app_context():
        me = db.session.query(PersonRow).filter_by(id_hash=make_identity(name, "id_card", number).hash).one()
        db.session.add(HealthCode(person_id=me.id, colour="red", reason=RED_REASON, decided_at=clock.utcnow(),
                                  decided_city="广州市", guidance="请配合当地疫情防控部门做好健康管理"))
        db.session.commit()


def opens_group_code(someone: Person) -> None:
    """首页 › 热门服务 › 团体码."""
    someone.open("/")
    someone.sees_screen("粤康码")
    someone.page.get_by_role("navigation", name="热门服务").get_by_role("link", name=re.compile("^团体码")).click()
    someone.sees_screen("团体码")
    someone.sees("功能介绍")


def sees_what_admins_see(someone: Person) -> None:
    """The invitation and the authorisation page list exactly what is shared (the consent's scope), in the
    guide's words: 健康码颜色, 核酸检测结果, 疫苗接种信息."""
    shared = someone.page.locator("#shared li")
    expect(shared).to_have_text(list(SHARED))
    for words in GUIDE_SHARED:
        expect(someone.page.locator("#shared")).to_contain_text(words)


def gets_code(someone: Person, phone: str) -> str:
    """手机号 → 【获取验证码】: the screen comes back saying where the code went, with the phone kept."""
    someone.page.get_by_label("手机号", exact=True).fill(phone)
    someone.click("获取验证码")
    someone.sees(f"验证码已发送至{mask_phone(phone)}")
    expect(someone.page.get_by_label("手机号", exact=True)).to_have_value(phone)
    return someone.sender.last_code(phone)


def test_item8_group_created_joined_with_consent_red_code_filtered_and_read_log(
        browser, server, e2e_app, browser_context_args):
    """Issue 13 item 8 (SPEC G1–G6): a creator makes a group and an invite, a member joins through the link with
    consent, the creator filters 红码 from 数据统计 and opens the member, the member sees that view in 查阅记录."""
    sender = e2e_app.extensions["sms_sender"]
    creator = person(browser, server, sender, CREATOR, browser_context_args)
    member = person(browser, server, sender, MEMBER, browser_context_args)
    try:
        # -- a. the creator: 首页 › 热门服务 › 团体码 → 创建团体 → 创建成功 → 邀请成员 → 分享邀请链接 ------------------
        logs_in_from_home(creator)
        opens_group_code(creator)
        creator.sees("暂无管理的团体")
        creator.click("创建团体", role="link")
        creator.sees_screen("创建团体")
        creator.sees(CREATOR[0])  # 创建人信息 from 实名认证: the creator's own name, not masked to themselves
        code = gets_code(creator, CREATOR_GROUP_PHONE)
        creator.sees_screen("创建团体")
        creator.page.get_by_label("手机验证码", exact=True).fill(code)
        creator.page.get_by_label("团体名称", exact=True).fill(GROUP)
        creator.page.get_by_label("团体类型", exact=True).select_option(label="企业")
        creator.picks_area("广州市", "天河区", "石牌街道")
        creator.page.get_by_label("详细地址", exact=True).fill(ADDRESS)
        creator.click("创建团体")
        expect(creator.page.locator("#created")).to_contain_text("创建成功")
        creator.sees_screen("创建团体")
        creator.sees("您的团体组织已创建成功")
        creator.sees(GROUP)
        creator.click("邀请成员", role="link")
        creator.sees_screen("团体码")
        creator.sees("邀请新成员加入团体")
        creator.sees("流程指引")
        creator.click("分享邀请链接")
        creator.sees_screen("邀请成员")
        creator.sees(f"{mask_name(CREATOR[0])} 邀请您加入【{GROUP}】")
        creator.sees("邀请链接24小时内有效，有效期至")
        link = creator.page.get_by_label("邀请链接", exact=True).input_value()
        assert re.fullmatch(rf"{re.escape(server.url)}/group/join/[^/?#]+", link), link

        # -- b. the member opens the link logged out → 立即加入 → 实名认证 → 授权并加入团体 → 加入成功 ---------------
        member.open(link)
        member.sees_screen("邀请您加入团体")
        member.sees(f"{mask_name(CREATOR[0])} 邀请您加入【{GROUP}】")
        assert CREATOR[0] not in member.page.locator("#screen").inner_text()
        sees_what_admins_see(member)
        member.sees("加入团体前需先完成实名认证")
        member.click("立即加入", role="link")
        member.log_in()  # the login's next leads back to the authorisation page
        member.sees_screen("邀请您加入团体")
        member.sees(f"您将加入到【{GROUP}】")
        member.sees("管理员可查看您的健康码信息，包括健康码颜色、核酸检测结果、疫苗接种等信息")
        sees_what_admins_see(member)
        red_code_for(e2e_app, MEMBER)  # before the join: the snapshot taken at 授权并加入团体 is red
        code = gets_code(member, MEMBER_GROUP_PHONE)
        member.sees_screen("邀请您加入团体")
        member.page.get_by_label("手机验证码", exact=True).fill(code)
        member.page.get_by_label("我的备注（选填）", exact=True).fill(REMARK)
        member.page.get_by_role("checkbox", name=AGREEMENT).check()
        member.click("授权并加入团体")
        expect(member.page.locator("#welcome")).to_contain_text("加入成功")
        member.sees_screen("团体码")
        member.sees(f"您已成功加入团体【{GROUP}】")

        # -- c. the creator: 我管理的团体 › 数据统计 红码 1 → 成员管理 (code=red) → 成员信息 ---------------------------
        opens_group_code(creator)
        creator.page.get_by_role("link", name=re.compile(f"^{GROUP}")).click()
        expect(creator.page.locator("#group-name")).to_have_text(GROUP)  # 团体码 too: wait for the new screen
        creator.sees_screen("团体码")
        stats = creator.page.locator("#group-stats")
        expect(stats).to_contain_text("数据统计")
        expect(stats.get_by_role("link", name="绿码1人，查看成员")).to_be_visible()  # the creator, green
        red = stats.get_by_role("link", name="红码1人，查看成员")
        expect(red).to_have_text("1")
        red.click()
        creator.sees_screen("成员管理")
        expect(creator.page).to_have_url(re.compile(r"[?&]code=red(&|$)"))
        expect(creator.page.get_by_label("健康码", exact=True).locator("option:checked")).to_have_text("红码")
        creator.sees("筛选结果")
        creator.sees("2/500")
        rows = creator.page.locator("#members-rows li")
        expect(rows).to_have_count(1)
        expect(rows).to_contain_text(f"{mask_name(MEMBER[0])}（{REMARK}）")
        expect(rows).to_contain_text("红码")
        assert MEMBER[0] not in creator.page.locator("#screen").inner_text()
        rows.get_by_role("link").click()
        creator.sees_screen("成员信息")
        basic = creator.page.locator("#member-basic")
        expect(basic).to_contain_text(mask_name(MEMBER[0]))
        expect(basic).to_contain_text(REMARK)
        expect(basic).to_contain_text(mask_phone(MEMBER_GROUP_PHONE))
        shown = creator.page.locator("#screen").inner_text()
        assert MEMBER[1] not in shown and MEMBER_GROUP_PHONE not in shown
        health_code = creator.page.locator("#member-code")
        expect(health_code).to_contain_text("红码")
        expect(health_code).to_contain_text(RED_REASON)
        expect(health_code).to_contain_text("广州市")

        # -- d. the member: 团体码 › 我加入的团体 › 查阅记录: the creator read them -----------------------------------
        opens_group_code(member)
        member.page.get_by_role("region", name="我加入的团体").get_by_role(
            "link", name=re.compile(f"^{GROUP}")).click()
        expect(member.page.locator("#group-info")).to_contain_text(mask_name(CREATOR[0]))  # 团体码 too: wait
        member.sees_screen("团体码")
        member.sees("*如需退出团体，请联系管理员")
        member.page.get_by_role("link", name=re.compile("^查阅记录")).click()
        member.sees_screen("查阅记录")
        viewed = member.page.locator("#reads li").filter(has_text="查看团体成员信息")
        expect(viewed).to_have_count(1)
        expect(viewed).to_contain_text(f"团体创建人 · {GROUP}")
        expect(viewed).to_contain_text(mask_name(CREATOR[0]))
        listed = member.page.locator("#reads li").filter(has_text="查看团体成员列表")
        expect(listed.first).to_contain_text(f"团体创建人 · {GROUP}")

        # -- e. the creator: 成员信息 › 设为管理员 → 确定 → the member manages the group too ---------------------------
        creator.click("设为管理员", role="link")
        creator.sees_screen("设为管理员")
        creator.sees(f"确定将{mask_name(MEMBER[0])}设为管理员？")
        creator.click("确定")
        creator.sees_screen("成员信息")
        creator.sees(f"已将{mask_name(MEMBER[0])}设为管理员")
        expect(creator.page.locator("#member-basic")).to_contain_text("管理员")
        expect(creator.page.get_by_role("link", name="解除管理员", exact=True)).to_be_visible()
        opens_group_code(member)
        managed = member.page.get_by_role("region", name="我管理的团体")
        expect(managed.get_by_role("link", name=re.compile(f"^{GROUP}"))).to_contain_text("管理员")
    finally:
        creator.close()
        member.close()

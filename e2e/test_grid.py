"""网格居民健康情况采集 (issue 12 item 8; SPEC O6, O8, O9) in Chromium at 390×844, every step by the visible labels
and every screen checked by axe-core and for CSP refusals:

a. a 网格管理员 creates a grid (所在区域 by the picker → 网格名称 → 下一步 → 确认创建) and sees it pending,
   with the reason its 网格申报码 binds nobody → a 网格员 typing that code is refused with that reason (and a
   code starting with 1 is told it is not for grids) → the town's 区划管理员 confirms the grid → the worker binds
   by the code → the admin 授权s the worker in 网格成员管理.
b. the worker: 开始信息采集 → 手动录入 a resident (内地居民身份证) → 提交 → 提交成功 → 【继续采集】 gives an empty
   form; the same on a phone without JavaScript for a baby (出生医学证明), through the 提交成功 page; 今日登记次数 2.
c. a resident shows 粤康码 and the worker's second Chromium, whose camera films it, 扫粤康码s: the masked name,
   【查看健康信息】, the visit 提交ed → 提交成功 → 【继续采集】 is the scanner again; 今日登记次数 3.
d. the admin: 网格成员管理 → 管理员变更 for a verified successor, who opens the link and 确认成为网格管理员; the old
   admin has no grid (nor 网格成员管理) any more; the new one's 查看数据统计 shows today's 3 visits.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from e2e.camera import y4m_from_png
from e2e.people import Person, logs_in_from_home, person
from yks_web.extensions import db
from yks_web.models import DistrictAdmin
from yks_web.models import Person as PersonRow
from yks_web.privacy import lookup_hash, mask_name
from yks_web.services.identity import build_id_card_number, make_identity

GRID_ADMIN = ("钟网管", build_id_card_number("440106", date(1982, 3, 4), 131), "13900000131")
WORKER = ("温网格", build_id_card_number("440106", date(1991, 7, 21), 132), "13900000132")
TOWN_ADMIN = ("江区划", build_id_card_number("440106", date(1977, 10, 9), 133), "13900000133")
RESIDENT = ("卢美华", build_id_card_number("440106", date(1965, 2, 8), 134), "13900000134")
SUCCESSOR = ("高继任", build_id_card_number("440106", date(1986, 12, 1), 135), "13900000135")
NEIGHBOUR = ("麦建国", build_id_card_number("440106", date(1958, 6, 30), 136), "13900000136")  # typed, never logs in
BABY = ("麦小宝", "S440123456")  # 出生医学证明编号: a letter and 9 digits
TOWN = "440106006"  # 广州市天河区石牌街道
GRID = "石牌街道五社区网格"
SCAN_WAIT = 20_000  # ms: the camera opens, jsQR loads and reads a few frames, the scan posts


@pytest.fixture
def town_admin_row(e2e_app, server):
    """区划管理员 of 石牌街道: appointed by the level above (its own screens are tested in tests/); here a row."""
    with e2e_app.app_context():
        name, number, phone = TOWN_ADMIN
        row = PersonRow(name=name, id_type="id_card", id_number=number,
                        id_hash=make_identity(name, "id_card", number).hash,
                        phone=phone, phone_hash=lookup_hash("phone", phone))
        db.session.add(row)
        db.session.flush()
        db.session.add(DistrictAdmin(person_id=row.id, area_code=TOWN, appointed_by_id=None))
        db.session.commit()


def opens_grid(someone: Person, role: str) -> None:
    """首页 › 防疫工作台 › 网格居民健康情况采集 › 网格管理员 / 网格员 / 区划管理员."""
    someone.click("网格居民健康情况采集", role="link", exact=False)
    someone.sees_screen("网格居民健康情况采集")
    someone.page.get_by_role("link", name=re.compile(f"^{role}")).click()


def answers_the_visit(worker: Person, address: str, temperature: str = "36.5") -> None:
    """住址, 体温 and the three door-to-door questions (all 否), shared by 手动录入 and 扫粤康码."""
    worker.page.get_by_label("住址", exact=True).fill(address)
    worker.page.get_by_label("体温（℃，选填）", exact=True).fill(temperature)
    for question in ("是否有发热、咳嗽等症状", "14日内是否有中高风险地区旅居史", "14日内是否接触过确诊或疑似病例"):
        worker.chooses(question, "否")


def fills_household(worker: Person, name: str, number: str, *, id_type: str = "内地居民身份证", phone: str = "",
                    address: str) -> None:
    """手动录入: 姓名, 证件类型, 证件号码, 手机号码 (选填), then the visit."""
    page = worker.page
    page.get_by_label("姓名", exact=True).fill(name)
    page.get_by_label("证件类型", exact=True).select_option(label=id_type)
    page.get_by_label("证件号码", exact=True).fill(number)
    page.get_by_label("手机号码（选填）", exact=True).fill(phone)
    answers_the_visit(worker, address)


def expect_counts(someone: Person, today: int) -> None:
    """今日登记次数 on the screen (grid/_collect_counts.html)."""
    counts = someone.page.locator("#collect-counts .stat").filter(
        has=someone.page.locator("dt", has_text=re.compile("^今日登记次数$")))
    expect(counts.locator("dd")).to_have_text(str(today))


def test_item8_grid_from_creation_to_collection_and_handover(browser, server, e2e_app, browser_context_args,
                                                              camera_browser, town_admin_row, tmp_path):
    sender = e2e_app.extensions["sms_sender"]
    admin = person(browser, server, sender, GRID_ADMIN,
                   {**browser_context_args, "permissions": ["clipboard-read", "clipboard-write"]})
    worker = person(browser, server, sender, WORKER, browser_context_args)
    district = person(browser, server, sender, TOWN_ADMIN, browser_context_args)
    resident = person(browser, server, sender, RESIDENT, browser_context_args)
    successor = person(browser, server, sender, SUCCESSOR, browser_context_args)
    everyone = [admin, worker, district, resident, successor]
    try:
        # -- a1. the 网格管理员 creates the grid: 所在区域 → 网格名称 → 下一步 → 确认创建 ----------------------------
        logs_in_from_home(admin)
        opens_grid(admin, "网格管理员")
        admin.sees_screen("创建网格")  # no grid yet: straight to the create form
        admin.picks_area("广州市", "天河区", "石牌街道")
        admin.page.get_by_label("网格名称").fill(GRID)
        admin.click("下一步")
        admin.sees_screen("确认创建网格")
        admin.sees("广东省广州市天河区石牌街道")
        admin.sees("网格组织一旦创建不可删除")
        admin.click("确认创建")
        admin.sees_screen("我的网格")
        admin.sees("网格创建成功")
        admin.sees(GRID)
        admin.sees("待区划管理员确认")
        admin.sees("网格待区划管理员确认，确认前网格员无法使用网格申报码绑定")
        code = admin.page.get_by_label("网格申报码").input_value()
        assert re.fullmatch(r"6\d{9}", code), code
        admin.click("复制")
        admin.sees("号码已复制")
        assert admin.page.evaluate("() => navigator.clipboard.readText()") == code

        # -- a2. a 网格员 types the code before it is confirmed: refused with the reason; a 1… code is no grid's -----
        logs_in_from_home(worker)
        opens_grid(worker, "网格员")
        worker.sees_screen("查看我的网格组织")
        worker.sees("您还没有绑定网格")
        worker.page.get_by_label("网格申报码").fill(code)
        worker.click("绑定")
        worker.sees_screen("查看我的网格组织")
        worker.sees("网格待区划管理员确认，确认前网格员无法使用网格申报码绑定")
        worker.page.get_by_label("网格申报码").fill("1" + code[1:])
        worker.click("绑定")
        worker.sees_screen("查看我的网格组织")
        worker.sees("以1开头的不是用于网格采集，正确的网格申报码以6开头，请向网格管理员确认")

        # -- a3. the town's 区划管理员 confirms it: 区划管理员 → 待确认的网格 → 确认 → 网格确认 → 【确认】 -----------
        logs_in_from_home(district)
        opens_grid(district, "区划管理员")
        district.sees_screen("区划管理员")
        pending = district.page.locator("#screen .list-row").filter(has_text=GRID)
        expect(pending).to_contain_text(mask_name(GRID_ADMIN[0]))
        pending.get_by_role("link", name="确认", exact=True).click()
        district.sees_screen("网格确认")
        district.sees("广东省广州市天河区石牌街道")
        district.click("确认")
        district.sees_screen("区划管理员")
        district.sees(f"已确认网格“{GRID}”，该网格已生效")
        district.sees("暂无待确认的网格")

        admin.page.reload()
        admin.sees_screen("我的网格")
        admin.sees("已生效")
        expect(admin.page.get_by_text("确认前网格员无法使用网格申报码绑定")).to_have_count(0)

        # -- a4. the worker binds by the code now; 未授权 until the admin 授权s --------------------------------------
        worker.page.get_by_label("网格申报码").fill(code)
        worker.click("绑定")
        worker.sees_screen("查看我的网格组织")
        worker.sees(f"已绑定网格：{GRID}")
        mine = worker.page.locator("#my-grids .list-row").filter(has_text=GRID)
        expect(mine).to_contain_text("当前组织")
        expect(mine).to_contain_text("未授权")

        # -- a5. the admin: 网格成员管理 → 授权 ----------------------------------------------------------------------
        admin.click("网格成员管理", role="link", exact=False)
        admin.sees_screen("网格成员管理")
        member = admin.page.locator("#grid-members .list-row").filter(has_text=mask_name(WORKER[0]))
        expect(member).to_contain_text("未授权")
        assert WORKER[0] not in admin.page.locator("#screen").inner_text()  # the name is masked
        member.get_by_role("button", name="授权", exact=True).click()
        admin.sees_screen("网格成员管理")
        admin.sees(f"已授权{mask_name(WORKER[0])}")
        expect(member).to_contain_text("已授权")

        worker.page.reload()
        worker.sees_screen("查看我的网格组织")
        expect(mine).to_contain_text("已授权")

        # -- b1. 开始信息采集 → 手动录入 → 提交 → 提交成功 → 【继续采集】: an empty form ------------------------------
        expect_counts(worker, 0)
        worker.click("开始信息采集", role="link")
        worker.sees_screen("开始信息采集")
        worker.sees(f"当前组织：{GRID}")
        expect_counts(worker, 0)
        worker.click("手动录入", role="link", exact=False)
        worker.sees_screen("手动录入")
        fills_household(worker, NEIGHBOUR[0], NEIGHBOUR[1], phone=NEIGHBOUR[2], address="石牌东路20号301房")
        worker.click("提交")
        worker.sees("提交成功")
        worker.click("继续采集")
        worker.sees_screen("手动录入")
        for label in ("姓名", "证件号码", "手机号码（选填）", "住址"):
            expect(worker.page.get_by_label(label, exact=True)).to_have_value("")
        chosen = worker.page.get_by_label("证件类型", exact=True).locator("option:checked")
        expect(chosen).to_have_text("内地居民身份证")
        worker.click("返回", role="link")
        worker.sees_screen("开始信息采集")
        expect_counts(worker, 1)

        # -- b2. the same worker on a phone without JavaScript: the baby by 出生医学证明, the 提交成功 page -----------
        plain = person(browser, server, sender, WORKER, {**browser_context_args, "java_script_enabled": False,
                                                         "storage_state": worker.context.storage_state()})
        everyone.append(plain)
        plain.open("/grid/collect")
        plain.sees_screen("开始信息采集")
        plain.click("手动录入", role="link", exact=False)
        plain.sees_screen("手动录入")
        plain.sees("没有身份证的小孩、婴儿可选择出生医学证明")
        fills_household(plain, BABY[0], BABY[1], id_type="出生医学证明", address="石牌东路20号301房")
        plain.click("提交")
        plain.sees_screen("提交成功")
        plain.sees(f"{mask_name(BABY[0])}的本次上门核查信息已登记至{GRID}")
        expect_counts(plain, 2)
        plain.click("继续采集", role="link")
        plain.sees_screen("手动录入")
        expect(plain.page.get_by_label("姓名", exact=True)).to_have_value("")
        expect(plain.page.get_by_label("证件号码", exact=True)).to_have_value("")

        # -- c1. a resident shows 粤康码; the worker's phone camera films it ------------------------------------------
        logs_in_from_home(resident)
        resident.click("出示粤康码")
        resident.sees_screen("粤康码")
        resident.sees("绿码")
        code_img = resident.page.get_by_role("img", name=re.compile("粤康码二维码"))
        expect(code_img).to_be_visible()
        # The QR is inline in the card (issue 14 item 3): the camera films what the phone's screen shows.
        video = y4m_from_png(code_img.screenshot(), tmp_path / "yuekangma.y4m")

        # -- c2. 开始信息采集 → 扫粤康码 → 【扫描粤康码】: the masked person, 【查看健康信息】, 提交, 【继续采集】 ----
        door = person(camera_browser(video), server, sender, WORKER,
                      {**browser_context_args, "storage_state": worker.context.storage_state()})
        everyone.append(door)
        door.open("/")
        door.sees_screen("粤康码")
        opens_grid(door, "网格员")
        door.sees_screen("查看我的网格组织")
        door.click("开始信息采集", role="link")
        door.sees_screen("开始信息采集")
        expect_counts(door, 2)
        door.click("扫粤康码", role="link", exact=False)
        door.sees_screen("扫粤康码")
        expect(door.page.get_by_label("粤康码（扫码枪扫描或粘贴）")).to_have_value("")
        door.click("扫描粤康码")  # nothing typed: the camera, the page's decoder and its submit do the rest
        expect(door.page.locator("#screen .topbar h1")).to_have_text("信息采集", timeout=SCAN_WAIT)
        door.sees_screen("信息采集")
        scanned = door.page.locator("#scanned-person")
        expect(scanned).to_contain_text(mask_name(RESIDENT[0]))
        expect(scanned).to_contain_text("绿码")
        shown = door.page.locator("#screen").inner_text()
        assert RESIDENT[0] not in shown and RESIDENT[2] not in shown  # name and phone masked
        door.click("查看健康信息", role="link")
        door.sees_screen("健康信息")
        door.sees(f"{mask_name(RESIDENT[0])} 全部个人健康申报")  # an authorised worker sees them all
        door.click("返回登记", role="link")
        door.sees_screen("信息采集")
        answers_the_visit(door, "石牌东路20号302房", temperature="36.7")
        door.click("提交")
        door.sees_screen("提交成功")
        door.sees(f"{mask_name(RESIDENT[0])}的本次上门核查信息已登记至{GRID}")
        expect_counts(door, 3)
        door.click("继续采集", role="link")
        door.sees_screen("扫粤康码")

        # -- d1. the admin: 网格成员管理 → 管理员变更 → 继任管理员姓名, 身份证号码 → 提交 → the 身份认证 link ---------
        logs_in_from_home(successor)  # the successor has done 实名认证
        admin.click("返回", role="link")
        admin.sees_screen("我的网格")
        admin.click("网格成员管理", role="link", exact=False)
        admin.sees_screen("网格成员管理")
        admin.click("管理员变更", role="link")
        admin.sees_screen("管理员变更")
        admin.page.get_by_label("继任管理员姓名").fill(SUCCESSOR[0])
        admin.page.get_by_label("身份证号码").fill(SUCCESSOR[1])
        admin.click("提交")
        admin.sees_screen("管理员变更")
        admin.sees("提交成功，已生成身份认证二维码")
        expect(admin.page.get_by_role("img", name="管理员变更身份认证二维码")).to_be_visible()
        link = admin.page.get_by_label("身份认证链接").input_value()
        assert re.fullmatch(re.escape(server.url) + r"/grid/handover/[^/?#]+", link), link

        # -- d2. the successor opens the link and accepts; the old admin has no grid any more ----------------------
        successor.open(link)
        successor.sees_screen("管理员变更")
        successor.sees(GRID)
        successor.sees(mask_name(GRID_ADMIN[0]))
        successor.click("确认成为网格管理员")
        successor.sees_screen("我的网格")
        successor.sees(f"身份认证成功，您已成为“{GRID}”的网格管理员")
        successor.sees("已生效")

        admin.open("/grid/")
        admin.sees_screen("网格居民健康情况采集")
        admin.page.get_by_role("link", name=re.compile("^网格管理员")).click()
        admin.sees_screen("创建网格")  # no grid of theirs: the create form, no 网格成员管理
        expect(admin.page.get_by_role("link", name=re.compile("网格成员管理"))).to_have_count(0)

        # -- d3. the new admin's 查看数据统计: today's 3 visits, by the worker (masked) -------------------------------
        figures = successor.page.locator("#grid-figures")
        expect(figures).to_contain_text("3次")
        successor.click("查看数据统计", role="link")
        successor.sees_screen("查看数据统计")
        today = successor.page.locator("#grid-daily tbody tr").filter(has_text="（今日）")
        expect(today.locator("td").first).to_have_text("3")
        worker_row = successor.page.locator("#grid-workers tbody tr").filter(has_text=mask_name(WORKER[0]))
        expect(worker_row.locator("td")).to_have_text(["3", "3"])
        shown = successor.page.locator("#screen").inner_text()
        for name in (WORKER[0], RESIDENT[0], NEIGHBOUR[0], BABY[0]):
            assert name not in shown, name
    finally:
        for someone in everyone:
            someone.close()

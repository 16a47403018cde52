"""公共场所 (issue 10 item 8; SPEC O2–O5, O9) in Chromium at 390×844, every step by the visible labels and every
screen checked by axe-core and for CSP refusals:

the place admin creates a place (所在区域 by the picker), copies the 场所申报码 and downloads the printable 葵花码,
whose QR the test decodes from the PDF → an inspector binds the place with that code → a citizen shows 粤康码, and
a second Chromium, whose camera films that code, scans it from 体温检测 and registers 发热 → the citizen finds it
in 体温检测历史 → another citizen checks in with the 葵花码's URL → the admin's 数据统计 counts one fever and
names nobody.
"""

from __future__ import annotations

import re
from datetime import date

import pypdfium2 as pdfium
from playwright.sync_api import expect

from e2e.camera import y4m_from_png
from e2e.people import Person, logs_in_from_home, person
from tests.blueprints.code_qr import decoded
from yks_web.privacy import mask_name
from yks_web.services.identity import build_id_card_number

ADMIN = ("周场管", build_id_card_number("440106", date(1975, 5, 6), 91), "13900000091")
INSPECTOR = ("吴保安", build_id_card_number("440106", date(1980, 8, 1), 92), "13900000092")
CITIZEN = ("郑秀英", build_id_card_number("440104", date(1990, 2, 3), 94), "13900000093")
WALKER = ("冯志强", build_id_card_number("440105", date(1968, 10, 12), 95), "13900000094")
PLACE = "天河城购物中心"
SCAN_WAIT = 20_000  # ms: the camera opens, jsQR loads and reads a few frames, the scan posts


def opens_places(someone: Person, role: str) -> None:
    """首页 › 防疫工作台 › 公共场所人员健康情况采集 › 公共场所管理员 / 公共场所检测员."""
    someone.click("公共场所人员健康情况采集", role="link")
    someone.sees_screen("公共场所人员健康情况采集")
    someone.click(role, role="link", exact=False)


def qr_texts(pdf: bytes, dpi: int = 150) -> list[str]:
    """Every QR code on the PDF's one page, as a printer at `dpi` and a phone camera would read it."""
    document = pdfium.PdfDocument(pdf)
    assert len(document) == 1
    image = document[0].render(scale=dpi / 72).to_pil().convert("L")
    return decoded(image)


def test_item8_place_admin_inspector_citizen(browser, server, e2e_app, browser_context_args, camera_browser,
                                             tmp_path):
    sender = e2e_app.extensions["sms_sender"]
    # 【复制号码】 writes to the clipboard, which Chromium allows a page only with this grant
    admin = person(browser, server, sender, ADMIN,
                   {**browser_context_args, "permissions": ["clipboard-read", "clipboard-write"]})
    inspector = person(browser, server, sender, INSPECTOR, browser_context_args)
    citizen = person(browser, server, sender, CITIZEN, browser_context_args)
    walker = person(browser, server, sender, WALKER, browser_context_args)
    everyone = [admin, inspector, citizen, walker]
    try:
        # -- 1. the admin creates the place: 首页 → 公共场所人员健康情况采集 → 公共场所管理员 → 创建公共场所 -----------
        logs_in_from_home(admin)
        opens_places(admin, "公共场所管理员")
        admin.sees_screen("创建公共场所")  # no place yet: the admin lands on the create form
        admin.picks_area("广州市", "天河区", "石牌街道")
        admin.page.get_by_label("详细地址").fill("天河路208号")
        admin.page.get_by_label("场所类型").select_option(label="商场商店")
        admin.page.get_by_label("场所名称").fill(PLACE)
        admin.page.get_by_label("手机号").fill(ADMIN[2])
        admin.click("确认创建")
        admin.sees_screen("我的场所")
        admin.sees("公共场所创建成功")
        admin.sees(PLACE)
        admin.sees("广东省广州市天河区石牌街道")
        place_code = admin.page.get_by_label("场所申报码").input_value()
        assert re.fullmatch(r"3\d{9}", place_code), place_code
        admin.click("复制号码")
        admin.sees("号码已复制")
        assert admin.page.evaluate("() => navigator.clipboard.readText()") == place_code

        # 体温正常快速打卡 葵花码 → 下载打印版（PDF）; the printed check-in code opens /p/<token> on this server
        admin.click("体温正常快速打卡葵花码", role="link")
        admin.sees_screen("体温正常快速打卡")
        expect(admin.page.get_by_role("img", name=f"{PLACE}的体温正常快速打卡葵花码")).to_be_visible()
        pdf = admin.downloads("下载打印版（PDF）")
        assert pdf.startswith(b"%PDF")
        checkin_urls = [text for text in qr_texts(pdf) if "/p/" in text]
        assert len(checkin_urls) == 1, qr_texts(pdf)
        checkin_url = checkin_urls[0]
        assert re.fullmatch(re.escape(server.url) + r"/p/[^/?#]+", checkin_url), checkin_url

        # -- 2. the inspector binds the place with the 场所申报码 the admin copied -------------------------------
        logs_in_from_home(inspector)
        opens_places(inspector, "公共场所检测员")
        inspector.sees_screen("我的场所")
        inspector.sees("您还没有绑定公共场所")
        inspector.sees("绑定公共场所")
        inspector.page.get_by_label("场所申报码").fill(place_code)
        inspector.click("绑定")
        inspector.sees_screen("我的场所")
        inspector.sees(f"已绑定公共场所：{PLACE}")
        inspector.click(PLACE, role="link", exact=False)
        inspector.sees_screen("体温检测")
        inspector.sees(PLACE)

        # -- 3. a citizen shows 粤康码; the inspector's phone camera films it --------------------------------------
        logs_in_from_home(citizen)
        citizen.click("出示粤康码")
        citizen.sees_screen("粤康码")
        citizen.sees("绿码")
        code_img = citizen.page.get_by_role("img", name=re.compile("粤康码二维码"))
        expect(code_img).to_be_visible()
        # The QR is inline in the card (issue 14 item 3): the camera films what the phone's screen shows.
        video = y4m_from_png(code_img.screenshot(), tmp_path / "yuekangma.y4m")

        # The inspector on a phone whose camera sees that code: another Chromium, the same login.
        gate = person(camera_browser(video), server, sender, INSPECTOR,
                      {**browser_context_args, "storage_state": inspector.context.storage_state()})
        everyone.append(gate)
        gate.open("/")
        gate.sees_screen("粤康码")
        opens_places(gate, "公共场所检测员")
        gate.sees_screen("我的场所")
        gate.click(PLACE, role="link", exact=False)
        gate.sees_screen("体温检测")
        expect(gate.page.get_by_label("粤康码（扫码枪扫描或粘贴）")).to_have_value("")
        gate.click("扫描粤康码")  # nothing typed: the camera, the page's decoder and its submit do the rest
        expect(gate.page.locator("#screen .topbar h1")).to_have_text("体温检测与登记", timeout=SCAN_WAIT)
        gate.sees_screen("体温检测与登记")
        gate.sees(mask_name(CITIZEN[0]))
        gate.sees("绿码")
        assert CITIZEN[0] not in gate.page.locator("#screen").inner_text()  # the name is masked
        gate.chooses("体温检测结果", "发热")
        gate.click("提交")
        gate.sees_screen("体温检测")
        gate.sees(f"已登记：{mask_name(CITIZEN[0])} 发热")

        # -- 4. the citizen finds it in 我的粤康码 › 体温检测历史 -------------------------------------------------
        citizen.click("返回", role="link")
        citizen.sees_screen("粤康码")
        citizen.click("我的粤康码", role="link")
        citizen.sees_screen("我的粤康码")
        citizen.click("体温检测历史", role="link")
        citizen.sees_screen("体温检测历史")
        history = citizen.page.locator("#screen .card").filter(has_text=PLACE)
        expect(history).to_have_count(1)
        expect(history).to_contain_text("发热")

        # -- 5. another citizen scans the printed 葵花码: 实名认证, then one tap --------------------------------------
        walker.open(checkin_url)
        walker.log_in()
        walker.sees_screen("体温正常快速打卡")
        walker.sees(PLACE)
        walker.sees(mask_name(WALKER[0]))
        walker.click("体温正常，确认打卡")
        walker.sees_screen("打卡成功")
        walker.sees(PLACE)
        walker.sees("正常")

        # -- 6. the admin's 数据统计: one fever among two checked, and nobody's name ------------------------------
        admin.click("返回", role="link")
        admin.sees_screen("我的场所")
        admin.click("数据统计", role="link")
        admin.sees_screen("数据统计")
        figures = admin.page.locator("#stats-figures")

        def figure(label: str):
            return figures.locator(".stat").filter(has=admin.page.locator("dt", has_text=re.compile(f"^{label}$")))

        expect(figure("今日发热人数").locator("dd")).to_have_text("1")
        expect(figure("累计发热人数").locator("dd")).to_have_text("1")
        expect(figure("今日检测人数").locator("dd")).to_have_text("2")
        shown = admin.page.locator("#screen").inner_text()
        for name in (CITIZEN[0], WALKER[0]):
            assert name not in shown and mask_name(name) not in shown, name
        assert CITIZEN[2] not in shown and WALKER[2] not in shown
    finally:
        for someone in everyone:
            someone.close()

"""医护人员 解除医学观察电子告知书 (issue 11 items 4–7; SPEC O7, O9, H2, H4) in Chromium at 390×844, every step by
the visible labels and every screen checked by axe-core and for CSP refusals:

the operator enables a doctor (医护人员管理 → 开通) and puts a resident under 医学观察 with a red code (健康数据管理 →
医学观察 → 添加医学观察) → the resident's 出示粤康码 shows 红码 and the reason, and the test films its QR → the doctor's
second Chromium, whose camera sees that code, scans it from 医护人员出具证明, finds the masked person and the
observation pre-filled, 【提交】s → 出具成功 with the 告知书编号, listed under 我的工作台 → 已出具的电子告知书 → the
resident's code turns green and the notice is in 解除医学观察电子告知书 → anyone opening its link reads that it is
genuine, and a forged number is not found.
"""

from __future__ import annotations

import base64
import io
import re
from datetime import date

import pytest
from PIL import Image
from playwright.sync_api import Locator, expect

from e2e.camera import y4m_from_png
from e2e.people import logs_in_from_home, person
from tests.blueprints.code_qr import qr_codes
from yks_web.extensions import db
from yks_web.models import Person as PersonRow
from yks_web.privacy import lookup_hash, mask_name
from yks_web.services.identity import build_id_card_number, make_identity

OPERATOR = ("林运营", build_id_card_number("440104", date(1979, 6, 8), 81), "13900000081")
DOCTOR = ("何医生", build_id_card_number("440104", date(1983, 9, 14), 82), "13900000082")
RESIDENT = ("邓建国", build_id_card_number("440103", date(1971, 12, 1), 83), "13900000083")
VISITOR = ("罗路人", build_id_card_number("440105", date(1995, 4, 20), 84), "13900000084")  # never logs in
UNIT = "广州市越秀区人民医院"
POSITION = "主治医师"
REASON = "密切接触者"
SITE = "越秀区集中隔离点"
TODAY = "2026-11-20"  # conftest's STORY_START
NUMBER = re.compile(r"JG\d{8}[23456789A-HJ-NP-Z]{6}")
SCAN_WAIT = 20_000  # ms: the camera opens, jsQR loads and reads a few frames, the scan posts


@pytest.fixture
def operator_row(e2e_app, server):
    """平台运营 is a flag the platform sets in the database, never a screen: 林运营 holds it."""
    with e2e_app.app_context():
        name, number, phone = OPERATOR
        identity = make_identity(name, "id_card", number)
        db.session.add(PersonRow(name=name, id_type="id_card", id_number=number, id_hash=identity.hash,
                                 phone=phone, phone_hash=lookup_hash("phone", phone), is_operator=True))
        db.session.commit()


def kv(scope: Locator, label: str) -> Locator:
    """The value (dd) of one label (dt) of a kv-list."""
    return scope.locator(".kv").filter(has=scope.page.locator("dt", has_text=re.compile(f"^{label}$"))).locator("dd")


def qr_text(img: Locator) -> str:
    """The one QR code an <img src="data:image/png;base64,…"> shows, as a phone camera would read it."""
    src = img.get_attribute("src")
    assert src.startswith("data:image/png;base64,"), src[:40]
    found = qr_codes(Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1]))))
    assert len(found) == 1, found
    return found[0].text


def test_item7_doctor_scans_a_red_code_and_issues_the_notice(browser, server, e2e_app, browser_context_args,
                                                              camera_browser, operator_row, tmp_path):
    sender = e2e_app.extensions["sms_sender"]
    operator = person(browser, server, sender, OPERATOR, browser_context_args)
    doctor = person(browser, server, sender, DOCTOR, browser_context_args)
    resident = person(browser, server, sender, RESIDENT, browser_context_args)
    visitor = person(browser, server, sender, VISITOR, browser_context_args)
    everyone = [operator, doctor, resident, visitor]
    try:
        # -- 0. the resident has logged in before: the operator can find him --------------------------------------
        logs_in_from_home(resident)
        resident.click("出示粤康码")
        resident.sees_screen("粤康码")
        resident.sees("绿码")

        # -- 1. the operator: 平台运营 → 医护人员管理 → 开通医护人员 ------------------------------------------------
        logs_in_from_home(operator)
        operator.click("平台运营", role="link")
        operator.sees_screen("平台运营")
        operator.click("医护人员管理", role="link", exact=False)
        operator.sees_screen("医护人员管理")
        enable = operator.page.locator("#medical-enable")
        expect(enable.get_by_role("heading", name="开通医护人员")).to_be_visible()
        enable.get_by_label("姓名", exact=True).fill(DOCTOR[0])
        enable.get_by_label("联系电话", exact=True).fill(DOCTOR[2])
        enable.get_by_label("单位名称", exact=True).fill(UNIT)
        enable.get_by_label("职位", exact=True).fill(POSITION)
        operator.click("开通")
        operator.sees_screen("医护人员管理")
        operator.sees(f"已开通医护人员权限：{DOCTOR[0]}（{UNIT}）")
        expect(operator.page.locator("#medical-staff")).to_contain_text(f"{UNIT} · {POSITION}")
        expect(operator.page.locator("#medical-log")).to_contain_text(f"开通 {DOCTOR[0]}（{UNIT}）")

        # … and 健康数据管理 → 查找 the resident → 医学观察 → 添加医学观察 (密切接触者, 同时赋红码)
        operator.click("返回", role="link")
        operator.sees_screen("平台运营")
        operator.click("健康数据管理", role="link", exact=False)
        operator.sees_screen("健康数据管理")
        operator.enters_identity(RESIDENT[0], RESIDENT[1])
        operator.click("查找")
        operator.sees_screen("健康数据管理")
        operator.sees(RESIDENT[0])
        operator.click("医学观察（添加、查看解除情况）", role="link")
        operator.sees_screen("医学观察")
        operator.sees("暂无医学观察记录")
        operator.page.get_by_label("医学观察原因").fill(REASON)
        expect(operator.page.get_by_label("开始日期")).to_have_value(TODAY)
        operator.page.get_by_label("观察地点/单位").fill(SITE)
        operator.page.get_by_label("健康码").select_option(label="同时赋红码（原因为医学观察原因）")
        operator.click("添加医学观察")
        operator.sees_screen("医学观察")
        operator.sees("已添加医学观察")
        operator.sees(f"红码（{REASON}）")
        observations = operator.page.locator("#observations")
        expect(observations).to_contain_text(REASON)
        expect(observations).to_contain_text("观察中")

        # -- 2. the resident's 出示粤康码: 红码, 密切接触者; the test films its QR -------------------------------------
        resident.page.reload()
        resident.sees_screen("粤康码")
        resident.sees("红码")
        resident.sees(REASON)
        code_img = resident.page.get_by_role("img", name=re.compile("粤康码二维码"))
        expect(code_img).to_be_visible()
        # The QR is inline in the card (issue 14 item 3): the camera films what the phone's screen shows.
        video = y4m_from_png(code_img.screenshot(), tmp_path / "yuekangma.y4m")

        # -- 3. the doctor: 首页 → 医护人员出具证明 → 【扫描粤康码】, on a phone whose camera sees that code ---------
        logs_in_from_home(doctor)
        ward = person(camera_browser(video), server, sender, DOCTOR,
                      {**browser_context_args, "storage_state": doctor.context.storage_state()})
        everyone.append(ward)
        ward.open("/")
        ward.sees_screen("粤康码")
        ward.click("医护人员出具证明", role="link")
        ward.sees_screen("出具电子告知书")
        ward.sees(UNIT)
        expect(ward.page.get_by_label("粤康码（扫码枪扫描或粘贴）")).to_have_value("")
        ward.click("扫描粤康码")  # nothing typed: the camera, the page's decoder and its submit do the rest
        expect(ward.page).to_have_url(re.compile(r"/medical/issue/[A-Za-z0-9_-]+$"), timeout=SCAN_WAIT)
        ward.sees_screen("出具电子告知书")
        person_card = ward.page.locator("#observed-person")
        expect(kv(person_card, "姓名")).to_have_text(mask_name(RESIDENT[0]))
        expect(kv(person_card, "健康码状态")).to_have_text("红码")
        expect(kv(person_card, "红码原因")).to_have_text(REASON)
        shown = ward.page.locator("#screen").inner_text()
        assert RESIDENT[0] not in shown and RESIDENT[1] not in shown  # name and 证件号码 masked
        # the observation it ends, chosen already (his only one), 解除日期 today, the doctor's unit
        ended = ward.page.get_by_role("group", name="需要解除的医学观察")
        expect(ended.get_by_label(re.compile(f"^{REASON}（{TODAY}起，{SITE}）$"))).to_be_checked()
        expect(ward.page.get_by_label("解除日期")).to_have_value(TODAY)
        expect(kv(ward.page.locator("#issue-form"), "出具单位")).to_have_text(UNIT)
        ward.page.get_by_label("备注（选填）").fill("观察期满，核酸检测阴性")
        ward.click("提交")
        ward.sees_screen("出具成功")
        issued = ward.page.locator("#issued")
        expect(issued).to_contain_text("解除医学观察电子告知书已出具")
        number = kv(issued, "告知书编号").inner_text().strip()
        assert NUMBER.fullmatch(number), number
        expect(kv(issued, "姓名")).to_have_text(mask_name(RESIDENT[0]))
        expect(kv(issued, "医学观察原因")).to_have_text(REASON)
        expect(kv(issued, "出具单位")).to_have_text(UNIT)
        verify_link = ward.page.get_by_label("任何人可打开此链接核验告知书真伪").input_value()
        assert verify_link == f"{server.url}/n/{number}", verify_link
        assert qr_text(ward.page.get_by_role("img", name="告知书核验二维码")) == verify_link

        # 继续扫码 → 我的工作台 → 已出具的电子告知书
        ward.click("继续扫码", role="link")
        ward.sees_screen("出具电子告知书")
        ward.click("我的工作台", role="link")
        ward.sees_screen("我的工作台")
        me = ward.page.locator("#me")
        expect(kv(me, "单位名称")).to_have_text(UNIT)
        expect(kv(me, "今日已出具")).to_have_text("1 / 50份")
        ward.click("已出具的电子告知书", role="link", exact=False)
        ward.sees_screen("已出具的电子告知书")
        listed = ward.page.locator("#screen section.card")
        expect(listed).to_have_count(1)
        expect(kv(listed, "告知书编号")).to_have_text(number)
        expect(listed).to_contain_text(mask_name(RESIDENT[0]))
        expect(listed).to_contain_text("有效")
        assert RESIDENT[0] not in ward.page.locator("#screen").inner_text()

        # -- 4. the resident: 出示粤康码 is green again; 我的粤康码 → 解除医学观察电子告知书 holds the notice ---------
        resident.page.reload()
        resident.sees_screen("粤康码")
        resident.sees("绿码")
        expect(resident.page.get_by_role("link", name=re.compile("查看解除指引"))).to_have_count(0)
        resident.click("返回", role="link")
        resident.sees_screen("粤康码")
        resident.click("我的粤康码", role="link")
        resident.sees_screen("我的粤康码")
        resident.click("解除医学观察电子告知书", role="link", exact=False)
        resident.sees_screen("解除医学观察电子告知书")
        history = resident.page.locator("#screen section.card")
        expect(history).to_have_count(1)
        expect(kv(history, "告知书编号")).to_have_text(number)
        expect(kv(history, "出具机构")).to_have_text(UNIT)
        expect(kv(history, "医学观察原因")).to_have_text(REASON)
        expect(kv(history, "解除日期")).to_have_text(TODAY)
        expect(history).to_contain_text("有效")
        assert qr_text(history.get_by_role("img", name="告知书核验二维码")) == verify_link

        # -- 5. anyone, not logged in, verifies the notice by its link; a forged number is not found -----------------
        visitor.open(verify_link)
        visitor.sees_screen("解除医学观察电子告知书核验")
        verified = visitor.page.locator("#verified")
        expect(verified).to_contain_text("该告知书真实有效")
        expect(kv(verified, "告知书编号")).to_have_text(number)
        expect(kv(verified, "状态")).to_have_text("有效")
        expect(kv(verified, "姓名")).to_have_text(mask_name(RESIDENT[0]))
        expect(kv(verified, "出具单位")).to_have_text(UNIT)
        expect(kv(verified, "出具日期")).to_have_text(TODAY)
        assert RESIDENT[0] not in visitor.page.locator("#screen").inner_text()
        forged = number[:-1] + ("Z" if number[-1] != "Z" else "Y")
        visitor.open(f"/n/{forged}")
        visitor.sees_screen("解除医学观察电子告知书核验")
        visitor.sees("未找到该告知书，请核对编号")
        expect(visitor.page.get_by_text("该告知书真实有效")).to_have_count(0)
    finally:
        for someone in everyone:
            someone.close()

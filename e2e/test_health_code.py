"""粤康码 (issue 4, SPEC H1–H3, I7) in Chromium at 390×844: a green code, a child added by its parent and
shown, an adult added with the code sent to his phone, the operator turns the person red and the open page
follows by itself, and the resolver refuses expired and forged tokens. axe-core checks every screen. The token
is read from the QR on screen, as a camera reads it (the QR is inline in the card: issue 14 item 3), with
JavaScript on and off."""

from __future__ import annotations

import io
import re
import time
from datetime import date, timedelta

import pytest
from PIL import Image
from playwright.sync_api import expect

from e2e.conftest import STORY_START
from e2e.people import Person
from tests.blueprints.code_qr import decoded
from tests.factories import make_person, register_identity
from yks_web import clock
from yks_web.extensions import db
from yks_web.models import Person as PersonRow
from yks_web.privacy import lookup_hash
from yks_web.services import code_tokens
from yks_web.services.identity import build_id_card_number, make_identity

MOTHER = ("陈丽", build_id_card_number("440106", date(1986, 4, 5), 71), "13900000071")
OPERATOR = ("王运营", build_id_card_number("440104", date(1985, 3, 2), 72), "13900000072")
CHILD = ("陈小宝", "O440012345")  # 出生医学证明
UNCLE = ("陈大伯", build_id_card_number("440106", date(1962, 7, 9), 73), "13900000073")  # an adult who logged in


def shown_token(someone: Person) -> str:
    """The token of the resolver address the QR on screen encodes, read from a screenshot of it."""
    image = someone.page.get_by_role("img", name=re.compile("粤康码二维码"))
    expect(image).to_be_visible()
    texts = decoded(Image.open(io.BytesIO(image.screenshot())))
    assert len(texts) == 1, texts
    found = re.fullmatch(rf"{re.escape(someone.server.url)}/code/scan/([A-Za-z0-9_-]{{{code_tokens.LENGTH}}})",
                         texts[0])
    assert found, texts[0]
    return found.group(1)


@pytest.fixture
def family_records(e2e_app, server):
    """The real-name source names 陈丽 on 陈小宝's 出生医学证明 (the guardian check, I7); 陈大伯 has logged in
    before, so a code to his verified phone is how he consents."""
    with e2e_app.app_context():
        register_identity(db, CHILD[0], CHILD[1], id_type="birth_cert", mother=("id_card", MOTHER[1]))
        make_person(db, UNCLE[0], UNCLE[1], phone=UNCLE[2])
        db.session.commit()


@pytest.fixture
def operator_row(e2e_app, server):
    with e2e_app.app_context():
        name, number, phone = OPERATOR
        identity = make_identity(name, "id_card", number)
        db.session.add(PersonRow(name=name, id_type="id_card", id_number=number, id_hash=identity.hash,
                                 phone=phone, phone_hash=lookup_hash("phone", phone), is_operator=True))
        db.session.commit()


def test_health_code_end_to_end(browser, server, e2e_app, browser_context_args, operator_row, family_records):
    e2e_app.config["CODE_REFRESH_SECONDS"] = 2  # watch the page refresh itself without waiting a minute
    sender = e2e_app.extensions["sms_sender"]
    mother = Person(browser, server, sender, name=MOTHER[0], id_number=MOTHER[1], phone=MOTHER[2],
                    context_args=browser_context_args)
    operator = Person(browser, server, sender, name=OPERATOR[0], id_number=OPERATOR[1], phone=OPERATOR[2],
                      context_args=browser_context_args)
    try:
        # -- the 粤康码 home is the start page; 出示粤康码 shows a green code, in words too -------------------
        mother.open("/")
        mother.sees_screen("粤康码")
        mother.click("实名认证登录")
        mother.log_in()
        mother.sees_screen("粤康码")
        for entry in ("添加/管理家庭成员", "我的粤康码", "健康情况申报", "学生/教职工个人健康情况采集"):
            expect(mother.page.get_by_role("link", name=entry)).to_be_visible()
        mother.click("出示粤康码")
        mother.sees_screen("粤康码")
        mother.sees("绿码")
        mother.sees("*丽")
        first_token = shown_token(mother)

        # -- H3: add a child by 出生医学证明 and switch to the child's code ----------------------------------
        mother.click("添加/管理家庭成员")
        mother.sees_screen("管理家庭成员")
        mother.click("添加家庭成员")
        mother.sees_screen("添加家庭成员")
        mother.enters_identity(CHILD[0], CHILD[1], "出生医学证明")
        mother.page.get_by_label("与本人关系").select_option("子女")
        mother.click("确认添加")
        mother.sees_screen("管理家庭成员")
        mother.sees("已添加家庭成员陈小宝")
        mother.click("出示粤康码", role="link", exact=False)
        mother.sees_screen("粤康码")
        mother.sees("*小宝")
        mother.sees("绿码")
        mother.click("本人", role="link")
        mother.sees_screen("粤康码")
        mother.sees("*丽")

        # -- I7: an adult is added only with his consent: the code sent to the phone he verified -----------
        mother.click("添加/管理家庭成员")
        mother.click("添加家庭成员")
        mother.enters_identity(UNCLE[0], UNCLE[1])
        mother.page.get_by_label("与本人关系").select_option("其他")
        mother.click("确认添加")
        mother.sees_screen("成员确认")
        mother.sees("如对方已实名认证，验证码已发送至其实名认证的手机")  # never his phone, even masked
        mother.page.get_by_label("验证码").fill(sender.last_code(UNCLE[2]))
        mother.click("确认")
        mother.sees_screen("管理家庭成员")
        mother.sees("*大伯已同意，已添加为家庭成员")
        mother.sees("*大伯（其他）")
        expect(mother.page.get_by_role("link", name=re.compile("出示粤康码.*大伯"))).to_have_count(1)
        mother.open("/code/")  # her own code stays open while the operator acts
        mother.sees_screen("粤康码")
        mother.sees("*丽")

        # -- H2: the operator turns her red, with a reason ------------------------------------------------
        operator.open("/operator/health")
        operator.log_in()
        operator.sees_screen("健康数据管理")
        operator.enters_identity(MOTHER[0], MOTHER[1])
        operator.click("查找")
        operator.sees_screen("健康数据管理")
        operator.page.get_by_label("健康码颜色").select_option(label="红码")
        operator.page.get_by_label("原因").fill("密切接触者")
        operator.page.get_by_label("判定城市").fill("广州市")
        operator.page.get_by_label("解除指引").fill("请配合集中隔离医学观察。")
        operator.click("保存健康码")
        operator.sees("健康码已更新")

        # -- H1: the open page turns red by itself (polling), the reason opens the 解除指引 -----------------
        expect(mother.page.locator("#code-card")).to_contain_text("红码", timeout=15_000)
        mother.axe_check()
        mother.sees("密切接触者")
        mother.click("密切接触者（查看解除指引）", role="link")
        mother.sees_screen("解除指引")
        mother.sees("请配合集中隔离医学观察。")
        mother.sees("广州市")

        # -- the resolver: a live token resolves to the masked identity; expired and forged ones do not -----
        mother.page.go_back()
        mother.sees_screen("粤康码")
        mother.sees("红码")
        live_token = shown_token(mother)
        assert live_token != first_token
        mother.page.reload()  # a reload shows the whole screen, the code in it
        mother.sees_screen("粤康码")
        assert shown_token(mother) != live_token
        answer = operator.page.request.get(f"{server.url}/code/resolve?t={live_token}")
        assert answer.status == 200
        body = answer.json()
        assert body["status"] == "红码" and body["name"] == "*丽" and MOTHER[1] not in answer.text()
        operator.open(f"/code/scan/{live_token}")
        operator.sees_screen("扫码结果")
        operator.sees("红码")

        clock.set_now(STORY_START + timedelta(minutes=3))
        assert operator.page.request.get(f"{server.url}/code/resolve?t={first_token}").status == 404
        forged = live_token[:-3] + ("AAA" if not live_token.endswith("AAA") else "BBB")
        assert operator.page.request.get(f"{server.url}/code/resolve?t={forged}").status == 404
        operator.open(f"/code/scan/{forged}")
        operator.sees_screen("扫码结果")
        operator.sees("二维码已失效")
    finally:
        e2e_app.config.pop("CODE_REFRESH_SECONDS", None)
        mother.close()
        operator.close()


def test_health_code_refreshes_with_javascript_off(browser, server, e2e_app, browser_context_args):
    """Issue 9 item 8, issue 14 item 3: without JavaScript the page shows the inline QR and reloads itself (the
    <noscript> meta refresh), a new token each time; no request the Content-Security-Policy refuses."""
    e2e_app.config["CODE_REFRESH_SECONDS"] = 2
    mother = Person(browser, server, e2e_app.extensions["sms_sender"], name=MOTHER[0], id_number=MOTHER[1],
                    phone=MOTHER[2], context_args={**browser_context_args, "java_script_enabled": False})
    try:
        mother.open("/code/")
        mother.log_in()
        mother.sees_screen("粤康码")
        mother.sees("绿码")
        first = shown_token(mother)
        deadline, later = time.monotonic() + 15, first
        while later == first and time.monotonic() < deadline:
            mother.page.wait_for_timeout(500)
            later = shown_token(mother)
        assert later != first, "the page reloaded itself with a new code"
        mother.sees_screen("粤康码")
    finally:
        e2e_app.config.pop("CODE_REFRESH_SECONDS", None)
        mother.close()

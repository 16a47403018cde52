"""Sessions and the Content-Security-Policy in a real browser (issue 8 items 4 and 5, SPEC I4a, P9).

A parent logged in on a phone and on a second device uses 个人中心 →【退出所有设备】; both devices are
logged out. Along the way htmx keeps swapping screens under the CSP (no full page loads), Chromium
reports no refusal, an injected inline script is refused, and no other site can frame the app.
"""

from __future__ import annotations

from datetime import date, timedelta

from e2e.conftest import STORY_START
from e2e.people import Person
from yks_web import clock
from yks_web.services.identity import build_id_card_number

NAME, NUMBER, PHONE = "刘晓红", build_id_card_number("440105", date(1992, 8, 8), 61), "13900000061"


def test_logout_everywhere_under_the_content_security_policy(browser, server, e2e_app, browser_context_args):
    sender = e2e_app.extensions["sms_sender"]
    phone = Person(browser, server, sender, name=NAME, id_number=NUMBER, phone=PHONE,
                   context_args=browser_context_args)
    tablet = Person(browser, server, sender, name=NAME, id_number=NUMBER, phone=PHONE,
                    context_args=browser_context_args)
    try:
        phone.open("/me")
        phone.log_in()
        phone.sees_screen("个人中心")
        phone.sees(NUMBER)  # the person's own full 证件号码

        # htmx swaps the screen in place: a mark left on the window survives a boosted navigation.
        phone.page.evaluate("() => { window.__sameDocument = true; }")
        with phone.page.expect_request(lambda r: r.url.endswith("/help")) as boosted:
            phone.click("帮助与反馈", role="link")
        phone.sees_screen("帮助与反馈")
        assert boosted.value.headers.get("hx-request") == "true"
        assert phone.page.evaluate("() => window.__sameDocument === true")

        # The policy is enforced, and the console listener that guards every screen hears it.
        phone.page.evaluate(
            """() => { const s = document.createElement('script'); s.textContent = 'window.__inline = 1';
                       document.body.appendChild(s); }"""
        )
        assert phone.page.evaluate("() => window.__inline === undefined")
        phone.page.wait_for_timeout(200)
        assert any("script-src 'self'" in v for v in phone.csp_violations), phone.csp_violations
        phone.csp_violations.clear()

        # No other site can frame the app (the 【确定】 of a report cannot be clicked through a frame).
        framing = browser.new_context(**browser_context_args)
        try:
            outsider = framing.new_page()
            refused: list[str] = []
            outsider.on("console", lambda m: refused.append(m.text))
            outsider.set_content(f'<iframe title="x" src="{server.url}/me"></iframe>')
            outsider.wait_for_timeout(500)
            assert any("frame-ancestors 'none'" in text for text in refused), refused
        finally:
            framing.close()

        # A second device: a new browser, a new SMS login past the phone's 60-second interval.
        clock.set_now(STORY_START + timedelta(minutes=2))
        tablet.open("/me")
        tablet.log_in()
        tablet.sees_screen("个人中心")

        # 个人中心 →【退出所有设备】→ confirm.
        phone.open("/me")
        phone.sees_screen("个人中心")
        phone.click("退出所有设备")
        phone.sees_screen("退出所有设备")
        phone.click("确认退出所有设备")
        phone.sees_screen("粤康码")
        phone.sees("已退出所有设备")

        for device in (phone, tablet):
            device.open("/me")
            device.sees_screen("实名认证")
        assert not phone.csp_violations and not tablet.csp_violations
    finally:
        phone.close()
        tablet.close()

"""注销账号 at a phone (issue 16 item 2): 个人中心 → 注销账号 → what goes and what is kept → 获取验证码 → the code and
the tick → 确认注销 → 账号已注销, logged out; the same with JavaScript off (a plain form, no script needed), every
screen checked by axe-core where scripts run."""

from __future__ import annotations

from datetime import date, timedelta

from e2e.conftest import STORY_START
from e2e.people import Person
from yks_web import clock
from yks_web.extensions import db
from yks_web.services.identity import build_id_card_number, find_person, make_identity

TICK = "我已了解：注销后以上数据将被删除且无法恢复，保留的记录不再与我关联"


def _deletes_their_account(someone: Person, server, *, at_minutes: int) -> None:
    """个人中心 → 注销账号 → a wrong code first (the message beside the field, the tick kept, nothing deleted) →
    获取验证码 (the page comes back, the tick kept) → the code → 确认注销 → 账号已注销, and logged out."""
    clock.set_now(STORY_START + timedelta(minutes=at_minutes))
    someone.open("/me")
    someone.log_in()
    someone.sees_screen("个人中心")
    someone.click("注销账号", role="link")
    someone.sees_screen("注销账号")
    someone.sees("注销后将删除")
    someone.sees("依法保留（不再与您关联）")
    someone.sees("查阅记录须保存至保留期满")
    someone.page.get_by_label(TICK).check()
    someone.page.get_by_label("手机验证码").fill("12ab56")
    someone.click("确认注销")
    someone.sees_screen("注销账号")
    someone.sees("请输入6位数字验证码")
    assert someone.page.get_by_label(TICK).is_checked()
    clock.set_now(STORY_START + timedelta(minutes=at_minutes + 2))  # past the phone's interval since the login code
    someone.click("获取验证码")
    someone.sees_screen("注销账号")
    someone.sees("验证码已发送至")
    assert someone.page.get_by_label(TICK).is_checked()  # kept through the redirect
    someone.page.get_by_label("手机验证码").fill(someone.sender.last_code(someone.phone))
    someone.click("确认注销")
    someone.sees_screen("账号已注销")
    someone.sees("您的账号已注销，所有设备上的登录均已退出。")
    someone.open("/me")
    someone.sees_screen("实名认证")  # logged out
    with server.app.app_context():
        assert find_person(db.session, make_identity(someone.name, "id_card", someone.id_number)) is None


def test_deleting_the_account_from_the_personal_centre(browser, server, e2e_app, browser_context_args):
    sender = e2e_app.extensions["sms_sender"]
    phone = Person(browser, server, sender, name="冯注销",
                   id_number=build_id_card_number("440106", date(1991, 4, 5), 33), phone="13900000081",
                   context_args=browser_context_args)
    no_js = Person(browser, server, sender, name="陈无脚本",
                   id_number=build_id_card_number("440106", date(1992, 6, 7), 35), phone="13900000082",
                   context_args={**browser_context_args, "java_script_enabled": False})
    try:
        _deletes_their_account(phone, server, at_minutes=0)
        assert phone.checked  # axe-core ran on every screen
        _deletes_their_account(no_js, server, at_minutes=5)  # a plain form: no script needed
        assert not phone.csp_violations and not no_js.csp_violations
    finally:
        phone.close()
        no_js.close()

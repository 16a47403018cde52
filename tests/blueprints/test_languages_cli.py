"""Issue 15 for the access layer, the SMS texts and the operator's commands: a refusal in the reader's language, an
SMS in its recipient's language (services/sms.message_text's `language`), the role names of 查阅记录 marked, and the
commands' 简体中文 output unchanged (they run without a request: the source language).
"""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from tests.blueprints.support import location, text
from tests.blueprints.test_languages import choose, html_lang, title
from yks_web.config import missing_secrets_error
from yks_web.demo import ACCOUNTS
from yks_web.i18n import gettext
from yks_web.services import sms
from yks_web.services.access import ROLES

# -- refusals --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "lang", "heading", "message"), [
    ("en", "en", "Page not found", "What you are looking for does not exist or has been deleted."),
    ("zh_Hant_HK", "zh-Hant-HK", "頁面不存在", "您訪問的內容不存在或已被刪除。"),
    ("zh_Hans_CN", "zh-Hans-CN", "页面不存在", "您访问的内容不存在或已被删除。"),
])
def test_an_operator_page_refused_to_a_member_in_their_language(client, actions, scene, language, lang, heading,
                                                                 message):
    """The access gate's refusal (not an operator: 404, access_setup) speaks the reader's language."""
    actions.login(scene.members[0])
    choose(client, language)
    refused = client.get("/operator/")
    assert refused.status_code == 404
    assert html_lang(refused) == lang and title(refused) == heading
    assert message in text(refused)


def test_a_school_refused_to_a_member_in_english(client, actions, scene):
    """An object role's refusal (not this school's 学校管理员: the loader's 404) in English."""
    actions.login(scene.members[0])
    choose(client, "en")
    refused = client.get(f"/school/{scene.school.id}")
    assert refused.status_code == 404 and title(refused) == "Page not found"
    assert "页面不存在" not in text(refused)


def test_a_person_page_before_login_says_why_in_english(client):
    """The gate sends the anonymous reader to 实名认证 with its flash in the reader's language."""
    choose(client, "en")
    response = client.get("/declare/")
    assert response.status_code in (302, 303) and location(response).startswith("/auth/login")
    page = client.get(location(response))
    assert html_lang(page) == "en" and title(page) == "Identity verification"
    assert "Please verify your identity first" in text(page) and "请先完成实名认证" not in text(page)


# -- the role names 查阅记录 shows (audit.role_label) -----------------------------------------------------------------


def test_the_role_names_stay_simplified_and_translate_where_shown(app):
    assert (ROLES["collector"].label, ROLES["medical_staff"].label, ROLES["grid_authorised"].label) == (
        "采集员", "医护人员", "已授权网格员")
    with app.test_request_context("/"), force_locale("en"):
        assert [gettext(ROLES[name].label) for name in ("collector", "medical_staff", "grid_authorised",
                                                        "group_creator", "scanner")] == [
            "Collector", "Medical staff", "Authorised grid worker", "Group creator", "Code checker"]
    with app.test_request_context("/"), force_locale("zh_Hant_HK"):
        assert gettext(ROLES["grid_authorised"].label) == "已授權網格員"


# -- SMS texts in the recipient's language ----------------------------------------------------------------------------


def test_an_sms_text_in_the_recipients_language(app):
    """A command (no request) sending a reminder to a person who chose English: the `language` the caller passes."""
    with app.app_context():
        assert sms.message_text("", sms.REMINDER, language="en", organisation="高一(1)班", day="Nov 20") == (
            "[Yueshengshi] 高一(1)班 reminds you: your health declaration for Nov 20 is not done yet. "
            "Please complete it in Yueshengshi soon.")
        assert sms.message_text("123456", sms.FAMILY_CONSENT, language="zh_Hant_HK", requester="*伟斌") == (
            "*伟斌申請將您添加為粵康碼家庭成員，驗證碼123456，5分鐘內有效。如非本人同意，請勿告知他人。")
        # without a language, or with one that is not ours: the source language, as always
        assert sms.message_text("", sms.REMINDER, organisation="高一(1)班", day="11月20日") == (
            "【粤省事】高一(1)班提醒您：11月20日的健康申报尚未填报，请尽快在粤省事完成填报。")
        assert sms.message_text("654321", sms.LOGIN, language="fr") == "您的验证码是654321，5分钟内有效。"


def test_the_recipients_language_wins_over_the_requests(app):
    """A reader in English asks to add a family member whose account is in 简体中文: the SMS goes out in 简体中文."""
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert sms.message_text("123456", sms.LOGIN) == (
            "Your verification code is 123456. It is valid for 5 minutes.")
        assert sms.message_text("123456", sms.FAMILY_CONSENT, language="zh_Hans_CN", requester="*伟斌") == (
            "*伟斌申请将您添加为粤康码家庭成员，验证码123456，5分钟内有效。如非本人同意，请勿告知他人。")
        assert sms.message_text("123456", sms.ACCOUNT_DELETE) == (
            "You are deleting your Yueshengshi account. Verification code 123456, valid for 5 minutes. "
            "Deleted data cannot be recovered. If this was not you, do not share it.")


def test_a_sender_passes_the_language_on(app):
    """`language=` travels in a sender's parameters like the text's own (every sender, and a gateway, sees it)."""
    sender = sms.RecordingSender()
    with app.app_context():
        sender.send("13800000004", "", sms.REMINDER_PROXY, language="en", organisation="高一(1)班",
                    declarant="陈小宝", day="Nov 20")
    assert sender.texts == [("13800000004", "[Yueshengshi] 高一(1)班 reminds you: the health declaration for "
                                            "陈小宝, whom you declare for, for Nov 20 is not done yet. "
                                            "Please complete it soon.")]


# -- the operator's commands: the source language, unchanged -------------------------------------------------------


def test_the_demo_accounts_print_as_before(app, db):
    result = app.test_cli_runner().invoke(args=["yks", "demo", "--base-url", "http://yks.test"])
    assert result.exit_code == 0, result.output
    operator = ACCOUNTS[0]
    assert (f"  {'平台运营人员':<12} 姓名 {operator.name:<4} 证件号码 {operator.id_number}  手机号 {operator.phone}"
            in result.output.splitlines())
    assert "演示账号（实名认证：证件类型选“内地居民身份证”，开发环境下验证码直接显示在页面上）：" in result.output
    assert "Platform operator" not in result.output


def test_a_configuration_error_in_the_source_language_and_marked(app):
    with app.app_context():
        assert missing_secrets_error(["DATA_KEY", "LOOKUP_KEY"]).message == (
            "缺少 YKS_DATA_KEY、YKS_LOOKUP_KEY。请设置 YKS_ENV=development（开发环境），"
            "或设置 SECRET_KEY、YKS_DATA_KEY、YKS_LOOKUP_KEY 与 YKS_SMS_SENDER（生产环境）。")
    with app.test_request_context("/"), force_locale("en"):
        assert missing_secrets_error(["DATA_KEY", "LOOKUP_KEY"]).message == (
            "Missing YKS_DATA_KEY, YKS_LOOKUP_KEY. Set YKS_ENV=development (development), or set SECRET_KEY, "
            "YKS_DATA_KEY, YKS_LOOKUP_KEY and YKS_SMS_SENDER (production).")

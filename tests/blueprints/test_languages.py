"""简体中文, 繁體中文 and English (issue 15 items 1 and 4): which language a request gets, the switch, and the screens
marked so far (login, the declaration form, 出示粤康码) in each language.

The account's choice, else the cookie the switch sets before login, else the browser's Accept-Language, else
简体中文; <html lang> follows. The switch is a plain POST that returns to a path of this site only.
"""

from __future__ import annotations

import html
import re
from datetime import date, datetime

import pytest
from flask_babel import force_locale

from tests.blueprints.support import collapse, location, text
from tests.factories import form_answers, id_number, make_person, register_identity
from yks_web import clock
from yks_web.i18n_setup import COOKIE, language_of
from yks_web.models import Declaration, Person
from yks_web.template_helpers import local_date, local_minute, local_time, month_day

HOST = "yks.test"  # tests/conftest.py's SERVER_NAME: the cookie's domain
_LANG = re.compile(r'<html lang="([^"]+)">')
_TITLE = re.compile(r"<h1>(.*?)</h1>")


def html_lang(response) -> str:
    return _LANG.search(text(response)).group(1)


def title(response) -> str:
    return _TITLE.search(text(response)).group(1)


def choose(client, language: str) -> None:
    client.set_cookie(COOKIE, language, domain=HOST)


def chosen_cookie(client) -> str | None:
    cookie = client.get_cookie(COOKIE, domain=HOST)
    return None if cookie is None else cookie.value


# -- which language ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("header", "lang", "heading"), [
    (None, "zh-Hans-CN", "实名认证"),
    ("zh-CN,zh;q=0.9", "zh-Hans-CN", "实名认证"),
    ("zh", "zh-Hans-CN", "实名认证"),
    ("zh-SG", "zh-Hans-CN", "实名认证"),
    ("zh-Hans-HK", "zh-Hans-CN", "实名认证"),
    ("zh-TW", "zh-Hant-HK", "實名認證"),
    ("zh-HK", "zh-Hant-HK", "實名認證"),
    ("zh-MO,en;q=0.5", "zh-Hant-HK", "實名認證"),
    ("zh-Hant", "zh-Hant-HK", "實名認證"),
    ("en-GB,en;q=0.9", "en", "Identity verification"),
    ("fr-FR,fr;q=0.9,en;q=0.8,zh-CN;q=0.7", "en", "Identity verification"),  # the first one we have
    ("de-DE,ja;q=0.5", "zh-Hans-CN", "实名认证"),  # none of ours: the default
    ("en;q=0,zh-HK;q=0.4", "zh-Hant-HK", "實名認證"),  # q=0 means "not this one"
])
def test_item1_the_browser_language_picks_first(client, header, lang, heading):
    response = client.get("/auth/login", headers={"Accept-Language": header} if header else {})
    assert response.status_code == 200
    assert html_lang(response) == lang
    assert title(response) == heading


def test_item1_accept_language_tags_map_to_our_three():
    assert [language_of(tag) for tag in ("zh-tw", "ZH_hk", "zh-Hant-TW", "yue-HK", "zh-cn", "zh", "en-US", "ja")] == [
        "zh_Hant_HK", "zh_Hant_HK", "zh_Hant_HK", "zh_Hant_HK", "zh_Hans_CN", "zh_Hans_CN", "en", None]


def test_item1_the_cookie_overrides_the_browser(client):
    choose(client, "en")
    response = client.get("/auth/login", headers={"Accept-Language": "zh-HK"})
    assert html_lang(response) == "en" and title(response) == "Identity verification"


@pytest.mark.parametrize("value", ["klingon", "", "zh-Hant-HK", "en;drop table", "x" * 300])
def test_item1_a_bad_cookie_is_ignored(client, value):
    choose(client, value)
    response = client.get("/auth/login", headers={"Accept-Language": "zh-TW"})
    assert response.status_code == 200
    assert html_lang(response) == "zh-Hant-HK"  # the browser's choice, as if there were no cookie


@pytest.mark.parametrize("header", ["%%%;q=abc", ";;;", "zh-;q=1.5", "*", "\u00e9n"])
def test_item1_a_garbled_accept_language_is_the_default(client, header):
    response = client.get("/auth/login", headers={"Accept-Language": header})
    assert response.status_code == 200
    assert html_lang(response) == "zh-Hans-CN"


# -- the switch ------------------------------------------------------------------------------------------------


def test_item1_the_switch_before_login_sets_the_cookie_and_returns(client, actions):
    response = actions.post("/language", {"language": "zh_Hant_HK", "next": "/auth/login?next=/declare/"})
    assert response.status_code == 303
    assert location(response) == "/auth/login?next=/declare/"
    assert chosen_cookie(client) == "zh_Hant_HK"
    page = client.get("/auth/login?next=/declare/", headers={"Accept-Language": "en"})
    assert html_lang(page) == "zh-Hant-HK"
    assert "獲取驗證碼" in text(page) and 'value="/declare/"' in text(page)


def test_item1_the_switch_is_on_the_login_page_and_in_me_and_works_without_javascript(client, actions, scene):
    page = text(client.get("/auth/login"))
    switch = re.search(r'<form method="post" action="/language"[^>]*>.*?</form>', page, re.S).group(0)
    assert 'hx-boost="false"' in switch  # a whole page comes back: <html lang> too
    assert 'name="csrf_token"' in switch and 'name="next" value="/auth/login"' in switch
    assert re.findall(r'value="(\w+)" lang="([\w-]+)"', switch) == [
        ("zh_Hans_CN", "zh-Hans-CN"), ("zh_Hant_HK", "zh-Hant-HK"), ("en", "en")]
    assert ">简体中文</button>" in switch and ">繁體中文</button>" in switch and ">English</button>" in switch
    assert 'value="zh_Hans_CN" lang="zh-Hans-CN" class="chip active" aria-current="true"' in switch
    actions.login(scene.members[0])
    assert 'action="/language"' in text(client.get("/me"))


def test_item1_the_account_choice_is_saved_and_overrides_the_cookie(client, db, actions, scene):
    member = scene.members[0]
    actions.login(member)
    response = actions.post("/language", {"language": "en", "next": "/me"})
    assert location(response) == "/me"
    db.session.expire_all()
    assert db.session.get(Person, member.id).language == "en"
    choose(client, "zh_Hant_HK")  # another choice in this browser's cookie: the account's wins
    page = client.get("/me", headers={"Accept-Language": "zh-CN"})
    assert html_lang(page) == "en" and title(page) == "My account"
    actions.logout()  # the cookie is forgotten …
    client.delete_cookie(COOKIE, domain=HOST)
    actions.login(member)  # … a new login on another phone still speaks English
    assert html_lang(client.get("/")) == "en"


def test_item1_logging_in_keeps_the_language_chosen_on_the_login_page(client, db, actions, sms):
    number = id_number()
    register_identity(db, "黄恺", number, phone="13800138000")
    db.session.commit()
    actions.post("/language", {"language": "en", "next": "/auth/login"})
    actions.post("/auth/login", {"name": "黄恺", "id_type": "id_card", "id_number": number,
                                 "phone": "13800138000", "next": ""})
    assert sms.texts[-1] == ("13800138000", f"Your verification code is {sms.last_code('13800138000')}. "
                                            "It is valid for 5 minutes.")  # the SMS speaks the page's language
    actions.post("/auth/verify", {"code": sms.last_code("13800138000")})
    person = db.session.scalar(db.select(Person).where(Person.name == "黄恺"))
    assert person.language == "en"


@pytest.mark.parametrize("value", ["", "fr", "zh", "EN", "zh_Hant_HK'", "x" * 500])
def test_item1_a_bad_language_value_is_ignored(client, db, actions, scene, value):
    member = scene.members[0]
    actions.login(member)
    response = actions.post("/language", {"language": value, "next": "/me"})
    assert response.status_code == 303 and location(response) == "/me"
    assert chosen_cookie(client) is None
    db.session.expire_all()
    assert db.session.get(Person, member.id).language is None
    assert html_lang(client.get("/me")) == "zh-Hans-CN"


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/me", "/\\evil.example", "http:/evil.example", "javascript:alert(1)",
    "\t//evil.example", "", None,
])
def test_item1_the_switch_never_redirects_off_site(client, actions, target):
    data = {"language": "en"} | ({} if target is None else {"next": target})
    response = actions.post("/language", data)
    assert response.status_code == 303
    assert location(response) == "/"  # home, not the other site
    assert "evil" not in response.headers["Location"]


def test_item1_the_switch_needs_the_csrf_token(client):
    response = client.post("/language", data={"language": "en", "next": "/"})
    assert response.status_code == 400
    assert chosen_cookie(client) is None


# -- the marked screens in each language -----------------------------------------------------------------------------


def test_item1_simplified_chinese_is_unchanged(client):
    page = text(client.get("/auth/login"))
    assert '<html lang="zh-Hans-CN">' in page
    assert "<title>实名认证</title>" in page and 'placeholder="请填写本人姓名"' in page
    assert ">获取验证码</button>" in page and '<option value="id_card">内地居民身份证</option>' in page


@pytest.mark.parametrize(("language", "words"), [
    ("zh_Hant_HK", ["<title>實名認證</title>", "選擇認證方式", "短信驗證碼認證", 'placeholder="請填寫本人姓名"',
                    "內地居民身份證", "港澳居民來往內地通行證", ">獲取驗證碼</button>", 'aria-label="返回"']),
    ("en", ["<title>Identity verification</title>", "Choose how to verify", "SMS verification code",
            'placeholder="Please enter your name"', ">Mainland resident ID card</option>",
            ">Get verification code</button>", 'aria-label="Back"', '<label class="label" for="phone">Mobile number']),
])
def test_item1_the_login_page_in_each_language(client, language, words):
    choose(client, language)
    page = text(client.get("/auth/login"))
    assert [word for word in words if word not in page] == []
    if language == "en":  # nothing Chinese is left on the page but the switch's 简体中文 and 繁體中文
        assert re.findall("[\u4e00-\u9fff]+", page) == ["简体中文", "繁體中文"]


def test_item2_refusals_and_form_errors_in_english(client, actions, sms):
    choose(client, "en")
    page = text(actions.post("/auth/login", {"name": "", "id_type": "bogus", "id_number": "", "phone": "12"}))
    assert "Please enter the name" in page
    assert "Not a valid choice." in page  # WTForms' own message, in WTForms' English
    assert "Please enter an 11-digit mainland China mobile number" in page
    number = id_number()
    actions.post("/auth/login", {"name": "黄恺", "id_type": "id_card", "id_number": number, "phone": "13800138000"})
    page = text(actions.post("/auth/verify", {"code": "12"}))
    assert "Please enter the 6-digit verification code" in page
    code = sms.last_code("13800138000")
    page = text(actions.post("/auth/verify", {"code": "000000" if code != "000000" else "111111"}))
    assert "Wrong verification code. 4 tries left" in page


def test_item2_flash_messages_in_the_readers_language(client, db, actions, scene):
    actions.login(scene.members[0])
    actions.post("/language", {"language": "zh_Hant_HK", "next": "/me"})
    page = text(actions.post("/auth/logout", follow_redirects=True))
    assert "已退出登錄" in page


@pytest.mark.parametrize(("language", "mismatch", "self_refused"), [
    ("zh_Hant_HK", "證件號碼與姓名不一致，請核對後重新填寫", "不能為本人代填報，請返回選擇【本人填報】"),
    ("en", "The ID document number does not match the name. Please check both and try again",
     "You cannot be your own proxy. Please go back and choose [Declare for yourself]"),
])
def test_item2_the_proxys_refusals_in_each_language(client, db, actions, scene, language, mismatch, self_refused):
    parent = make_person(db, "家长")
    db.session.commit()
    actions.login(parent)
    choose(client, language)
    url = f"/declare/org/{scene.org_id}/proxy"
    page = text(actions.post(url, {"t": scene.token, "name": "别的名字", "id_type": "id_card",
                                   "id_number": scene.members[0].id_number}))
    assert mismatch in page
    page = text(actions.post(url, {"t": scene.token, "name": parent.name, "id_type": "id_card",
                                   "id_number": parent.id_number}))
    assert self_refused in page


def _member_form(client, actions, scene, language: str) -> str:
    member = scene.members[0]
    actions.login(member)
    choose(client, language)
    return html.unescape(collapse(text(client.get(f"/declare/org/{scene.org_id}/person/{member.id}"))))


def test_item1_the_declaration_form_in_traditional_chinese(client, actions, scene):
    page = _member_form(client, actions, scene, "zh_Hant_HK")
    for word in ("<title>學生/教職工個人健康申報</title>", "基本信息", "戶籍所在省市", "當前體溫（℃）",
                 "14日內是否接觸過確診或疑似病例", "個人健康狀態", ">居家觀察<", ">提交當日數據</button>",
                 "提交本日數據（11月20日）", "補提交昨日數據（11月19日）", 'placeholder="如：廣東省廣州市"'):
        assert word in page, word


def test_item1_the_declaration_form_in_english(client, actions, scene):
    page = _member_form(client, actions, scene, "en")
    for word in ("<title>Student/staff health declaration</title>", "Basic information",
                 "Province and city of household registration", "Current temperature (℃)",
                 "Contact with a confirmed or suspected case in the past 14 days?", "<span>Yes</span>",
                 ">Under home observation<", ">Submit the day's data</button>", "Submit today's data (Nov 20)",
                 "Submit yesterday's data late (Nov 19)", 'placeholder="e.g. Guangzhou, Guangdong"'):
        assert word in page, word


def test_item1_the_declaration_is_stored_in_the_source_language_whatever_is_shown(client, db, actions, scene):
    """The form shows "Healthy" and "Yes"; what is stored (and what the collector's CSV says) stays 健康 / True."""
    member = scene.members[0]
    _member_form(client, actions, scene, "en")
    response = actions.post(f"/declare/org/{scene.org_id}/person/{member.id}", form_answers(nationality="China"))
    assert response.status_code == 303
    declaration = db.session.scalar(db.select(Declaration).where(Declaration.person_id == member.id))
    assert declaration.health_status == "健康" and declaration.returned_today is True
    done = text(client.get(location(response)))
    assert "health declaration for Nov 20 has been submitted to" in done and "<h2>Submitted</h2>" in done


def test_item2_the_declaration_forms_errors_in_english(client, actions, scene):
    member = scene.members[0]
    _member_form(client, actions, scene, "en")
    page = text(actions.post(f"/declare/org/{scene.org_id}/person/{member.id}",
                             form_answers(health_status="", temperature="36.55", nationality="", remarks="x" * 201)))
    assert "Please choose your health status" in page
    assert "Please give the temperature to one decimal place, e.g. 36.5" in page
    assert "Please fill in “Nationality”" in page
    assert "Remarks can be at most 200 characters" in page
    assert ">Submit again</button>" in page


@pytest.mark.parametrize(("language", "words"), [
    ("zh_Hans_CN", ["<title>粤康码</title>", "绿码", "二维码每分钟自动刷新，2分钟内有效", "未发现健康问题",
                    "的粤康码二维码（绿码）"]),
    ("zh_Hant_HK", ["<title>粵康碼</title>", "綠碼", "二維碼每分鐘自動刷新，2分鐘內有效", "未發現健康問題",
                    "的粵康碼二維碼（綠碼）", "我的粵康碼信息"]),
    ("en", ["<title>Yuekang Code</title>", "Green code",
            "The QR code refreshes every minute and is valid for 2 minutes", "No health problems found",
            "Yuekang Code QR code (Green code)", "My Yuekang Code details", ">Refresh</a>"]),
])
def test_item1_show_the_yuekang_code_in_each_language(client, actions, scene, language, words):
    actions.login(scene.members[0])
    choose(client, language)
    page = text(client.get("/code/"))
    assert [word for word in words if word not in page] == []
    card = text(client.get("/code/card", headers={"HX-Request": "true"}))  # what the open page polls
    assert words[1] in card


def test_item1_html_lang_follows_on_fragments_and_error_screens(client, actions, scene):
    choose(client, "en")
    actions.login(scene.members[0])
    missing = client.get("/declare/org/999999/self")
    assert missing.status_code == 404
    assert html_lang(missing) == "en" and "<title>Page not found</title>" in text(missing)
    fragment = client.get("/declare/", headers={"HX-Request": "true"})
    assert text(fragment).lstrip().startswith("<title>How to declare</title>")


# -- dates, times and numbers per language, on the Asia/Shanghai clock ---------------------------------------------


@pytest.mark.parametrize(("language", "day", "moment", "minute", "local_day"), [
    ("zh_Hans_CN", "11月20日", "2026-11-20 09:05:07", "2026-11-20 09:05", "2026-11-20"),  # as it always was
    ("zh_Hant_HK", "11月20日", "2026年11月20日 上午9:05:07", "2026年11月20日 09:05", "2026年11月20日"),
    ("en", "Nov 20", "Nov 20, 2026, 9:05:07\u202fAM", "Nov 20, 2026 09:05", "Nov 20, 2026"),
])
def test_item4_dates_and_times_per_language_in_shanghai_time(app, language, day, moment, minute, local_day):
    stored = datetime(2026, 11, 20, 1, 5, 7)  # naive UTC, as the database keeps it: 09:05:07 in Shanghai
    with app.test_request_context("/"), force_locale(language):
        assert month_day(date(2026, 11, 20)) == day
        assert local_time(stored) == moment
        assert local_minute(stored) == minute  # what `(t | local_time)[:16]` was, cut where English can't be
        assert local_date(stored) == local_day
    late = datetime(2026, 11, 20, 17, 0)  # 01:00 the next day in Shanghai
    with app.test_request_context("/"), force_locale(language):
        assert local_date(late) == {"zh_Hans_CN": "2026-11-21", "zh_Hant_HK": "2026年11月21日",
                                    "en": "Nov 21, 2026"}[language]


def test_item4_the_clock_stays_asia_shanghai(app):
    assert app.config["BABEL_DEFAULT_TIMEZONE"] == clock.TZ.key == "Asia/Shanghai"


# -- the catalogue found once per context (issue 14: gettext's cost on a page of a hundred messages) ----------------


def test_the_catalogue_is_found_once_and_follows_force_locale(app):
    from yks_web.i18n import gettext, ngettext, translations

    with app.test_request_context("/", headers={"Cookie": f"{COOKIE}=en"}):
        assert gettext("实名认证") == "Identity verification"
        assert translations() is translations()  # kept for the context
        with force_locale("zh_Hant_HK"):  # a text in another reader's language
            assert gettext("实名认证") == "實名認證"
        assert gettext("实名认证") == "Identity verification"  # back to the request's own
        assert ngettext("%(joined)s / %(num)d人", "%(joined)s / %(num)d人", 3, joined=2) == "2 / 3 people"
        assert ngettext("%(joined)s / %(num)d人", "%(joined)s / %(num)d人", 1, joined=1) == "1 / 1 person"
    with app.app_context():  # a command: no request, the source language
        assert gettext("实名认证") == "实名认证"
    assert gettext("实名认证") == "实名认证"  # no app context at all


def test_a_templates_placeholders_are_escaped_and_its_percent_signs_kept(app):
    with app.test_request_context("/", headers={"Cookie": f"{COOKIE}=en"}):
        rendered = app.jinja_env.from_string(
            '{{ _("%(name)s已退出组织%(organisation)s", name="<b>李</b>", organisation="一中") }}|{{ _("实名认证") }}'
        ).render()
    assert "&lt;b&gt;李&lt;/b&gt;" in rendered and "<b>" not in rendered
    assert rendered.endswith("|Identity verification")

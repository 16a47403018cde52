"""我的数据, 注销账号, 查阅记录 and the family consent step in 繁體中文 and English (issue 15 items 1 and 4): the
screens' titles and words, a refusal or a message beside a field, and the copies (web page, JSON, PDF) in the reader's
language; what is stored stays as stored (an audit row's action, a notice's kind) and is translated where shown."""

from __future__ import annotations

import json
import re

import pypdfium2 as pdfium
import pytest

from tests.blueprints.support import location, text
from tests.blueprints.test_consent import PHONE as ADULT_PHONE
from tests.blueprints.test_consent import add_form, adult, owner  # noqa: F401 (fixtures)
from tests.blueprints.test_languages import choose, html_lang, title
from tests.factories import make_person
from tests.services.test_account_deletion import PHONE, build
from tests.services.test_my_data import build_world
from yks_web import clock
from yks_web.models import AuditLog
from yks_web.services import audit

SCREEN = "/me/data"
DOWNLOAD = "/me/data/download"
DELETE = "/account/delete"


@pytest.fixture
def world(db):
    return build_world(db)


# -- 我的数据 ------------------------------------------------------------------------------------------------------


def test_my_data_in_english(client, db, actions, world):
    actions.login(world.me)
    choose(client, "en")
    page = client.get(SCREEN)
    body = text(page)
    assert page.status_code == 200 and html_lang(page) == "en" and title(page) == "My data"
    for words in ("Download a copy", "Download PDF", "Download JSON (machine-readable)", "Who holds and sees it",
                  "Purpose", "Kept for", "My identity details", "Identity details", "Roles held",
                  "Temperature checks at public places", "Kept 28 days, then deleted automatically",
                  "Viewing this page is not written to your access log", "Not listed: your identity record"):
        assert words in body, words
    assert world.me.id_number in body  # the data itself as it is
    for words in ("下载副本", "谁保存、谁可以看到", "身份信息", "保存期限", "暂无记录", "未列出的"):
        assert words not in body, words


def test_my_data_in_traditional(client, db, actions, world):
    actions.login(world.me)
    choose(client, "zh_Hant_HK")
    page = client.get(SCREEN)
    body = text(page)
    assert html_lang(page) == "zh-Hant-HK" and title(page) == "我的數據"
    for words in ("下載副本", "誰保存、誰可以看到", "身份信息", "保存期限", "公共場所體溫檢測"):
        assert words in body, words


def test_my_data_too_many_copies_is_refused_in_english(client, db, actions, world):
    actions.login(world.me)
    choose(client, "en")
    for _ in range(10):
        assert client.get(f"{DOWNLOAD}?format=json").status_code == 200
    refused = client.get(f"{DOWNLOAD}?format=json")
    assert refused.status_code == 429
    assert "Copies downloaded too often. Try again in 1 hour" in text(refused)


def test_my_data_copies_in_english(client, db, actions, world):
    actions.login(world.me)
    choose(client, "en")
    copy = json.loads(client.get(f"{DOWNLOAD}?format=json").get_data())
    identity = next(s for p in copy["parts"] for s in p["sections"] if s["key"] == "identity")
    assert identity["title"] == "Identity details"
    assert {"key": "id_number", "label": "ID document number"} in identity["fields"]
    assert copy["not_listed"].startswith("Not listed:")

    page = text(client.get(f"{DOWNLOAD}?format=html"))
    assert '<html lang="en">' in page and "<h1>My data</h1>" in page
    assert "Who holds and sees it: " in page and "(Beijing time)" in page and "谁保存" not in page

    document = pdfium.PdfDocument(client.get(f"{DOWNLOAD}?format=pdf").get_data())
    words = "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    for expected in ("My data", "Page 1", "Identity details", "Purpose: ", "(Beijing time)"):
        assert expected in words, expected
    assert "谁保存" not in words and "第1页" not in words


def test_my_data_copy_in_simplified_keeps_its_words(client, db, actions, world):
    actions.login(world.me)
    page = text(client.get(f"{DOWNLOAD}?format=html"))
    assert '<html lang="zh-CN">' in page and "<h1>我的数据</h1>" in page and "谁保存、谁可以看到：" in page


# -- 注销账号 ------------------------------------------------------------------------------------------------------


def test_account_deletion_in_english(client, db, actions, sms):
    w = build(db, 2)
    actions.login(w.person)
    choose(client, "en")
    page = client.get(DELETE)
    body = text(page)
    assert html_lang(page) == "en" and title(page) == "Delete account"
    for words in ("Deleted with your account", "Kept by law (no longer linked to you)", "Family members you added",
                  "Temperature checks and check-ins at places", "Confirm deletion", "Get verification code",
                  'placeholder="Please enter the 6-digit code"', "Kept: Has logged in with identity verification",
                  "I understand: after deletion the data above will be deleted"):
        assert words in body, words
    for words in ("注销后将删除", "依法保留", "确认注销", "随账号一并删除"):
        assert words not in body, words


def test_account_deletion_errors_and_flash_in_english(client, db, actions, sms):
    person = make_person(db, "司徒英", phone=PHONE)
    db.session.commit()
    actions.login(person)
    choose(client, "en")
    body = text(actions.post(DELETE, {"code": "12"}))
    assert "Please enter the 6-digit verification code" in body
    assert "Tick to confirm: after deletion the data above will be deleted and cannot be recovered" in body
    sent = actions.post(DELETE, {"send_code": "1"})
    assert sent.status_code == 303
    assert "A verification code has been sent to 139****1111" in text(client.get(DELETE))


def test_account_deletion_in_traditional_and_the_deleted_page(client, db, actions, sms):
    person = make_person(db, "司徒繁", phone=PHONE)
    db.session.commit()
    actions.login(person)
    choose(client, "zh_Hant_HK")
    page = client.get(DELETE)
    assert title(page) == "註銷賬號" and "註銷後將刪除" in text(page)
    choose(client, "en")
    done = client.get("/account/deleted")
    assert title(done) == "Account deleted" and "Your account has been deleted" in text(done)


# -- 查阅记录 ------------------------------------------------------------------------------------------------------


def test_access_log_in_english_translates_what_is_stored(client, db, actions):
    reader = make_person(db, "蒋读者")
    subject = make_person(db, "蒋被读")
    db.session.commit()
    audit.record(db.session, actor_id=reader.id, role="family_owner", action="view_declaration",
                 subject_ids=[subject.id], utc_now=clock.utcnow(), context="家庭成员")
    db.session.commit()
    stored = db.session.query(AuditLog.action, AuditLog.context).filter_by(subject_id=subject.id).one()
    assert tuple(stored) == ("view_declaration", "家庭成员")  # stored as it is
    actions.login(subject)
    choose(client, "en")
    page = client.get("/me/reads")
    body = text(page)
    assert title(page) == "Who viewed my data"
    assert "Viewed personal health declaration" in body and "查看个人健康申报" not in body
    assert "*读者" in body and "Family members&#39; manager" in body  # the reader masked, the role in words
    assert "Family members" in body and "家庭成员" not in body  # the stored context, translated where shown
    assert "Records of others viewing your health declarations" in body
    actions.login(reader)
    assert "No one else has viewed your information yet" in text(client.get("/me/reads"))


# -- 家庭成员: the adult's consent ---------------------------------------------------------------------------------


def test_family_consent_step_in_english(client, db, actions, sms, owner, adult):  # noqa: F811
    actions.login(owner)
    choose(client, "en")
    consent_url = location(actions.post("/family/add", add_form(adult)))
    page = text(client.get(consent_url))
    assert "Adding an adult family member needs their consent: ask *大伯" in page
    assert 'placeholder="Please enter the 6-digit code"' in page and "Get a new code" in page
    wrong = "000000" if sms.last_code(ADULT_PHONE) != "000000" else "111111"
    refused = text(actions.post(consent_url, {"code": wrong}))
    assert re.search(r'id="code-error">Wrong verification code\. 4 tries left', refused)

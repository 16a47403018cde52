"""我的数据 screens (issue 16 items 1, 5; SPEC P3, P6, P7, P10): the screen and its three downloads, only ever the
logged-in person's own, whole numbers only for them, never cached, never a 500, constant statements."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pypdfium2 as pdfium
import pytest
from sqlalchemy import event

from tests.blueprints.support import assert_fragment, assert_whole_page, count, location, text
from tests.conftest import DEFAULT_NOW, sign_in
from tests.factories import make_person
from tests.services.test_my_data import PHONE, World, build_world, records_of_every_kind
from yks_web.models import AuditLog, RateEvent
from yks_web.privacy import mask_name
from yks_web.services import my_data

HTMX = {"HX-Request": "true"}
SCREEN = "/me/data"
DOWNLOAD = "/me/data/download"


@pytest.fixture
def world(db) -> World:
    return build_world(db)


def test_item1_not_logged_in_goes_to_login(client, db):
    for url in (SCREEN, DOWNLOAD, f"{DOWNLOAD}?format=pdf"):
        response = client.get(url)
        assert response.status_code == 302 and location(response).startswith("/auth/login"), url


def test_item1_personal_centre_links_to_it(client, db, actions, world):
    actions.login(world.me)
    page = text(client.get("/me"))
    assert f'href="{SCREEN}">我的数据' in page


def test_item1_the_screen_page_and_fragment(client, db, actions, world):
    actions.login(world.me)
    page = client.get(SCREEN)
    assert_whole_page(page)
    assert page.headers["Cache-Control"] == "no-store"
    body = text(page)
    for title in ("身份信息", "学生/教职工个人健康申报", "公共场所体温检测", "网格入户登记", "家庭成员", "代填人",
                  "团体码",
                  "团体授权记录", "担任的角色", "登录会话", "查阅记录", "保存28天，到期后自动删除"):
        assert title in body, title
    assert world.me.id_number in body and PHONE in body
    assert "*丽" in body and world.owner.masked_id in body and world.owner.name not in body
    assert world.stranger.name not in body and mask_name(world.stranger.name) not in body
    fragment = client.get(SCREEN, headers=HTMX)
    assert_fragment(fragment)
    assert "<title>我的数据</title>" in text(fragment)


def test_item1_downloads_are_plain_links_that_work_without_javascript(client, db, actions, world):
    actions.login(world.me)
    body = text(client.get(SCREEN))
    for fmt in ("pdf", "html", "json"):
        link = re.search(rf'<a class="btn block" href="{DOWNLOAD}\?format={fmt}" ([^>]*)>', body)
        # no download attribute: the attachment header saves the file, and a refusal shows as a page
        assert link and link.group(1) == 'hx-boost="false"', fmt
        response = client.get(f"{DOWNLOAD}?format={fmt}")
        assert response.status_code == 200 and response.headers["Content-Disposition"].startswith("attachment;")


def _attachment(response, mimetype: str, ext: str) -> None:
    assert response.status_code == 200 and response.mimetype == mimetype
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and f'filename="my-data-20261120.{ext}"' in disposition
    assert "filename*=UTF-8''%E6%88%91%E7%9A%84%E6%95%B0%E6%8D%AE-20261120." + ext in disposition
    assert response.headers["Cache-Control"] == "private, no-store"


def test_item1_json_copy(client, db, actions, world):
    actions.login(world.me)
    response = client.get(DOWNLOAD)  # JSON is the default
    _attachment(response, "application/json", "json")
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    raw = response.get_data(as_text=True)
    assert "黄恺" in raw and "\\u" not in raw  # UTF-8 text, not escapes
    copy = json.loads(raw)
    assert (copy["schema"], copy["version"]) == ("yks_web/my-data", 1)
    sections = {s["key"]: s for part in copy["parts"] for s in part["sections"]}
    assert sections["identity"]["rows"][0]["id_number"] == world.me.id_number
    assert sections["identity"]["rows"][0]["phone"] == PHONE
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00", sections["checkins"]["rows"][0]["checked_at"])
    family = sections["family"]["rows"]
    assert {r["name"] for r in family} == {"*丽", "*宝"}  # the child by the name I gave them, masked
    assert {r["id_number"] for r in family} == {world.owner.masked_id, world.child.masked_id}
    for leak in (world.owner.id_number, world.child.id_number, world.owner.name, world.stranger.name,
                 world.stranger.id_number):
        assert leak not in raw


def test_item1_html_copy_is_self_contained(client, db, actions, world):
    actions.login(world.me)
    response = client.get(f"{DOWNLOAD}?format=html")
    _attachment(response, "text/html", "html")
    body = text(response)
    assert body.startswith("<!doctype html>") and "<style>" in body and "@media print" in body
    assert "<script" not in body and 'src="' not in body and "<link" not in body and 'href="' not in body
    assert world.me.id_number in body and "*家长" in body and world.stranger.name not in body
    assert "甲广场" in body and "公共场所体温检测（2条）" in body


def test_item1_pdf_copy(client, db, actions, world):
    actions.login(world.me)
    response = client.get(f"{DOWNLOAD}?format=pdf")
    _attachment(response, "application/pdf", "pdf")
    body = response.get_data()
    assert body.startswith(b"%PDF")
    document = pdfium.PdfDocument(body)
    words = "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    words = words.replace("\r", "").replace("\n", "")
    assert "我的数据" in words and world.me.id_number in words and "查阅记录" in words
    assert world.stranger.name not in words


@pytest.mark.parametrize("query", ["format=docx", "format=", "format=%00", "format=" + "x" * 5000, "format=JSON",
                                   "format=json&format=pdf&person_id=1"])
def test_item5_bad_input_is_never_a_500(client, db, actions, world, query):
    actions.login(world.me)
    response = client.get(f"{DOWNLOAD}?{query}")
    assert response.status_code in (200, 400, 404), response.status_code  # a NUL is refused app-wide (400)
    if response.status_code == 200:  # the first format= wins; an id in the query means nothing
        assert world.me.id_number in response.get_data(as_text=True)


def test_item1_only_ever_ones_own_whatever_the_query(client, db, actions, world):
    """No id in the URL: a linked person (the family owner) asking with my id gets their own data only."""
    actions.login(world.owner)
    for url in (f"{SCREEN}?person_id={world.me.id}", f"{DOWNLOAD}?person_id={world.me.id}&member={world.me.id}"):
        body = client.get(url).get_data(as_text=True)
        assert world.owner.id_number in body
        for leak in (world.me.id_number, PHONE, "黄恺", "甲广场"):
            assert leak not in body, (url, leak)
        assert "*凯凯" in body  # the link itself, in the owner's words for me, masked


def test_item1_reading_ones_own_data_writes_no_audit_row(client, db, actions, world):
    actions.login(world.me)
    before = count(db, AuditLog)
    for url in (SCREEN, DOWNLOAD, f"{DOWNLOAD}?format=html", f"{DOWNLOAD}?format=pdf"):
        assert client.get(url).status_code == 200
    assert count(db, AuditLog) == before


def _statements(db, client, person_id: int, url: str) -> int:
    db.session.remove()
    sign_in(client, person_id)
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return len(seen)


def test_item5_statements_do_not_grow_with_the_rows(client, db):
    few, many = make_person(db, "少记录", phone="13800000002"), make_person(db, "多记录", phone="13800000040")
    records_of_every_kind(db, few, school_name="少中学", tag="少", rows=2)
    records_of_every_kind(db, many, school_name="多中学", tag="多", rows=40)
    db.session.commit()
    few_id, many_id = few.id, many.id
    for url in (SCREEN, DOWNLOAD, f"{DOWNLOAD}?format=html", f"{DOWNLOAD}?format=pdf"):
        assert _statements(db, client, few_id, url) == _statements(db, client, many_id, url), url


def test_item11_copies_are_counted_per_account(client, db, actions, world, clock):
    """10 copies an hour per account; the 11th brings the screen back with the message (429, never a 500), another
    account is not held back, and an hour later it works again."""
    actions.login(world.me)
    for fmt in ["json", "html", "pdf"] * 3 + ["json"]:
        assert client.get(f"{DOWNLOAD}?format={fmt}").status_code == 200, fmt
    for fmt in ("pdf", "json"):
        refused = client.get(f"{DOWNLOAD}?format={fmt}")
        assert refused.status_code == 429 and refused.mimetype == "text/html"
        assert "Content-Disposition" not in refused.headers
        body = text(refused)
        assert "下载副本过于频繁，请1小时后再试" in body and 'role="alert"' in body and "下载PDF" in body
        assert world.me.id_number in body  # the screen itself, whole
    assert count(db, RateEvent) == 10  # a refused copy is not counted
    actions.logout()
    actions.login(world.owner)
    assert client.get(DOWNLOAD).status_code == 200
    actions.logout()
    actions.login(world.me)
    clock(DEFAULT_NOW + timedelta(hours=1, seconds=1))
    assert client.get(f"{DOWNLOAD}?format=pdf").status_code == 200


def test_item11_the_pdf_lists_fewer_rows_and_says_so(client, db, actions, world, monkeypatch):
    """The PDF (slow to draw) stops at PDF_LIMIT a section and says where the rest is; the web page copy does not."""
    monkeypatch.setattr(my_data, "PDF_LIMIT", 1)
    actions.login(world.me)
    document = pdfium.PdfDocument(client.get(f"{DOWNLOAD}?format=pdf").get_data())
    words = "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    words = words.replace("\r", "").replace("\n", "")
    assert "记录过多，PDF只列出最近的1条。全部记录请下载网页版或JSON。" in words
    assert words.count("甲广场") == 1  # one of my two checks
    page = text(client.get(f"{DOWNLOAD}?format=html"))
    assert page.count("甲广场") == 2 and "记录过多" not in page

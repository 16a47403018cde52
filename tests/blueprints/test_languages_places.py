"""公共场所 in 繁體中文 and English (issue 15): the place admin's and the inspector's screens, 扫码登记, the citizen's
体温正常快速打卡, 数据统计 and the printable 葵花码 poster, with their refusals, flashes and form errors.
简体中文 stays as it was (tests/blueprints/test_places_*.py, test_checkin.py, tests/services/test_poster_pdf.py)."""

from __future__ import annotations

import html
import re

import pypdfium2 as pdfium
import pytest

from tests.blueprints import support
from tests.blueprints.support import location
from tests.blueprints.test_languages import choose, html_lang
from tests.factories import make_inspector, make_person, make_place
from yks_web import clock
from yks_web.models.place import Place
from yks_web.privacy import mask_name
from yks_web.services import code_tokens, place_posters, places

SECRET = "test-secret"  # tests/conftest.py's SECRET_KEY, as tests/blueprints/test_places_inspector.py uses it
_TITLE = re.compile(r"<h1>(.*?)</h1>", re.S)
_FORM_KEY = re.compile(r'name="form_key" value="([0-9a-f]{32})"')
_TICKET = re.compile(r"/places/(\d+)/check/([A-Za-z0-9_-]+)$")


def text(response) -> str:
    """The page as read: an apostrophe (English) is &#39; in the HTML."""
    return html.unescape(support.text(response))


def title(response) -> str:
    return _TITLE.search(text(response)).group(1).strip()


@pytest.fixture
def admin(db):
    person = make_person(db, "林场主", phone="13800000009")
    db.session.commit()
    return person


@pytest.fixture
def place(db, admin) -> Place:
    place = make_place(db, admin, "天河城", address="天河路1号", phone="13800000001")
    db.session.commit()
    return place


@pytest.fixture
def inspector(db, place):
    person = make_inspector(db, place, "赵检测")
    db.session.commit()
    return person


def scan(actions, place: Place, person) -> str:
    """The inspector scans `person`'s 粤康码 at `place`: the 登记 screen's URL."""
    token = code_tokens.issue(person.id, clock.now(), SECRET)
    response = actions.post(f"/places/{place.id}/check", {"code": f"https://yks.test/code/scan/{token}"})
    assert response.status_code == 303 and _TICKET.search(location(response)), text(response)
    return location(response)


# -- 公共场所管理员 --------------------------------------------------------------------------------------------------


def test_the_entry_and_the_admin_home_in_english(client, actions, admin, place):
    actions.login(admin)
    choose(client, "en")
    entry = client.get("/places/")
    assert html_lang(entry) == "en"
    assert title(entry) == "Public places: health checks of visitors"
    page = text(entry)
    assert "Public place administrator" in page and "Public place inspector" in page
    assert "Link places, scan Yuekang Codes, check and record temperatures" in page

    home = client.get("/places/admin")
    assert title(home) == "My places"
    page = text(home)
    for words in ("Place name", "Type of place", "Shopping centre or shop", "Place declaration code", "Copy code",
                  "Statistics", "Members", "Edit details", "Quick check-in Sunflower Code", "New Sunflower Code",
                  "Become an inspector of this place"):
        assert words in page, words
    assert "商场商店" not in page  # the stored kind is shown in the reader's language
    assert "天河城" in page  # the place's name is data


def test_the_admin_home_in_traditional(client, actions, admin, place):
    actions.login(admin)
    choose(client, "zh_Hant_HK")
    response = client.get("/places/admin")
    assert html_lang(response) == "zh-Hant-HK"
    assert title(response) == "我的場所"
    page = text(response)
    for words in ("場所名稱", "場所類型", "商場商店", "場所申報碼", "複製號碼", "數據統計", "成員管理"):
        assert words in page, words


def test_create_form_and_its_errors_in_english(client, actions, db):
    newcomer = make_person(db, "钱场主", phone="13800000007")
    db.session.commit()
    actions.login(newcomer)
    choose(client, "en")
    response = client.get("/places/admin/create")
    assert title(response) == "Create a public place"
    page = text(response)
    for words in ("Area", "Street address", "Type of place", "Choose the type of place", "Residential estate",
                  "Transport", "Place name", "Mobile number", "Create"):
        assert words in page, words
    answer = actions.post("/places/admin/create", {"city": "4401", "district": "440106", "town": "440106006",
                                                   "address": "", "kind": "", "name": "", "phone": "13800000007"})
    page = text(answer)
    assert "Enter the address" in page and "Enter the place name" in page and "Choose the type of place" in page
    assert "请填写" not in page


def test_create_then_the_flash_in_english(client, actions, db):
    newcomer = make_person(db, "钱场主", phone="13800000007")
    db.session.commit()
    actions.login(newcomer)
    choose(client, "en")
    response = actions.post("/places/admin/create", {
        "city": "4401", "district": "440106", "town": "440106006", "address": "天河路1号", "kind": "写字楼",
        "name": "天河大厦", "phone": "13800000007"})
    assert response.status_code == 303
    page = text(client.get(location(response)))
    assert "Public place created. Copy the place declaration code to this place's inspectors" in page
    assert "Office building" in page


def test_members_and_the_hand_over_in_english(client, actions, admin, place, inspector):
    actions.login(admin)
    choose(client, "en")
    response = client.get(f"/places/{place.id}/members")
    assert title(response) == "Members"
    page = text(response)
    assert "Inspectors (1)" in page and "Hand over" in page and "Unlink" in page
    link = re.search(rf"/places/{place.id}/members/(\d+)/handover", page)
    confirm = text(client.get(link.group(0)))
    assert f"Make {mask_name('赵检测')} the place administrator?" in confirm
    assert f"They have {places.HANDOVER_DAYS} days to confirm; until then you remain" in confirm
    sent = actions.post(link.group(0))
    assert f"Hand-over sent to {mask_name('赵检测')}; it takes effect once they confirm" in text(
        client.get(location(sent)))


def test_reissuing_the_poster_asks_in_english(client, actions, admin, place):
    actions.login(admin)
    choose(client, "en")
    response = client.get(f"/places/{place.id}/poster/reissue")
    assert title(response) == "New Sunflower Code"
    assert "Make a new Quick check-in Sunflower Code?" in text(response)


# -- 公共场所检测员 --------------------------------------------------------------------------------------------------


def test_binding_a_wrong_place_code_is_refused_in_english(client, actions, db, place):
    newcomer = make_person(db, "孙检测")
    db.session.commit()
    actions.login(newcomer)
    choose(client, "en")
    response = client.get("/places/inspector")
    assert title(response) == "My places"
    assert "You have not linked a public place yet." in text(response)
    wrong = "3999999999" if place.code != "3999999999" else "3999999998"  # a place code's shape, no such place
    answer = text(actions.post("/places/inspector/bind", {"code": wrong}))
    assert "No such place declaration code. Check it with the place administrator and enter it again" in answer
    empty = text(actions.post("/places/inspector/bind", {"code": ""}))
    assert "Enter the place declaration code" in empty


def test_binding_the_place_code_flashes_in_english(client, actions, db, place):
    newcomer = make_person(db, "孙检测")
    db.session.commit()
    actions.login(newcomer)
    choose(client, "en")
    response = actions.post("/places/inspector/bind", {"code": place.code})
    assert response.status_code == 303
    page = text(client.get(location(response)))
    assert "Public place linked: 天河城" in page
    assert "Shopping centre or shop" in page


def test_scanning_and_recording_in_english(client, actions, db, place, inspector):
    citizen = make_person(db, "张三", phone="13800000019")
    db.session.commit()
    actions.login(inspector)
    choose(client, "en")
    check = client.get(f"/places/{place.id}/check")
    assert title(check) == "Temperature check"
    page = text(check)
    assert "Scan Yuekang Code" in page and "Quick check-in (normal temperature)" in page
    empty = actions.post(f"/places/{place.id}/check", {"code": ""})
    assert "Scan or paste the Yuekang Code the person shows" in text(empty)

    url = scan(actions, place, citizen)
    person = client.get(url)
    assert title(person) == "Temperature check and record"
    page = text(person)
    for words in ("Health code status", "Green code", "Temperature result", "Normal", "Fever", "Submit",
                  "A record cannot be changed"):
        assert words in page, words
    unchosen = text(actions.post(url, {}))
    assert "Choose the temperature result: normal or fever" in unchosen
    recorded = actions.post(url, {"result": "正常"})
    assert recorded.status_code == 303
    assert f"Recorded: {mask_name('张三')}, normal temperature" in text(client.get(location(recorded)))


def test_a_forged_scan_result_is_refused_in_english(client, actions, place, inspector):
    actions.login(inspector)
    choose(client, "en")
    response = client.get(f"/places/{place.id}/check/{'A' * 70}")
    assert response.status_code == 404
    assert "Invalid scan result. Scan again" in text(response)


def test_the_inspector_screens_in_traditional(client, actions, db, place, inspector):
    actions.login(inspector)
    choose(client, "zh_Hant_HK")
    assert title(client.get(f"/places/{place.id}/check")) == "體溫檢測"
    assert title(client.get(f"/places/{place.id}/my-stats")) == "數據統計"
    page = text(client.get(f"/places/{place.id}/my-stats"))
    assert "今日檢測人數" in page and "累計檢測人數" in page


# -- 数据统计 --------------------------------------------------------------------------------------------------------


def test_statistics_in_english(client, actions, db, admin, place, inspector):
    citizen = make_person(db, "张三")
    db.session.commit()
    actions.login(inspector)
    actions.post(scan(actions, place, citizen), {"result": "发热"})
    actions.login(admin)
    choose(client, "en")
    response = client.get(f"/places/{place.id}/stats")
    assert title(response) == "Statistics"
    page = text(response)
    for words in ("Today's overview", "People with fever today", "People checked in total", "Men and women (Today)",
                  "Ages (Today)", "Visitors by hour (Today)", "Male", "Unknown", "65 and over", "Total",
                  "Inspectors' records", "Sunflower Code check-ins", "‹ Previous day"):
        assert words in page, words
    assert "葵花码打卡" not in page and "未知" not in page
    earlier = text(client.get(f"/places/{place.id}/stats?day=2026-11-19"))
    assert "Overview, " in earlier and "People checked, " in earlier


def test_statistics_in_traditional(client, actions, admin, place):
    actions.login(admin)
    choose(client, "zh_Hant_HK")
    page = text(client.get(f"/places/{place.id}/stats"))
    assert "今日概況" in page and "男女比例（今日）" in page and "葵花碼打卡" in page


# -- 体温正常快速打卡 and the poster ---------------------------------------------------------------------------------


def test_quick_check_in_in_english(client, actions, db, place):
    citizen = make_person(db, "黄恺")
    db.session.commit()
    token = place_posters.live(db.session, place.id).token
    actions.login(citizen)
    choose(client, "en")
    response = client.get(f"/p/{token}")
    assert title(response) == "Quick check-in (normal temperature)"
    page = text(response)
    assert "Temperature normal, check in" in page and "Check-in time" in page and "Checked in by" in page
    key = _FORM_KEY.search(page).group(1)
    done = client.get(location(actions.post(f"/p/{token}", {"form_key": key})))
    assert title(done) == "Checked in"
    assert "Show Yuekang Code" in text(done) and "Normal" in text(done)


def test_an_out_of_date_poster_says_why_in_english(client, actions, db, admin, place):
    citizen = make_person(db, "黄恺")
    db.session.commit()
    old = place_posters.live(db.session, place.id).token
    places.reissue_poster(db.session, place, clock.utcnow(), actor_id=admin.id)
    db.session.commit()
    actions.login(citizen)
    choose(client, "en")
    response = client.get(f"/p/{old}")
    assert response.status_code == 410
    assert title(response) == "Sunflower Code out of date"
    assert "This Sunflower Code is out of date: the place made a new one." in text(response)
    unknown = client.get("/p/0000000000")
    assert unknown.status_code == 404 and title(unknown) == "Invalid Sunflower Code"


def test_the_poster_page_and_pdf_in_english(client, actions, admin, place):
    actions.login(admin)
    choose(client, "en")
    response = client.get(f"/places/{place.id}/poster")
    assert title(response) == "Quick check-in (normal temperature)"
    page = text(response)
    assert "People scan and check in with one tap, normal temperature by default · Made on " in page
    assert "Download for printing (PDF)" in page
    pdf = client.get(f"/places/{place.id}/poster.pdf")
    assert pdf.status_code == 200
    assert f"sunflower-code-{place.id}.pdf" in pdf.headers["Content-Disposition"]
    words = pdfium.PdfDocument(pdf.data)[0].get_textpage().get_text_range()
    lines = [line.strip() for line in words.splitlines()]
    assert lines[0] == "天河城"  # the place's name is data
    for expected in ("Quick check-in (normal temperature)", "Scan with your phone to check in (normal temperature)",
                     "Scan to open Yuekang Code"):
        assert expected in lines, (expected, lines)
    assert any(line.startswith("Made on ") for line in lines), lines
    assert not re.search("[\u4e00-\u9fff]", "".join(lines[1:])), lines  # nothing else left in Chinese

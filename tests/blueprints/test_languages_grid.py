"""网格居民健康情况采集 in 繁體中文 and English (issue 15): the grid admin's, the 网格员's and the 区划管理员's screens,
their refusals, flashes and form errors, the offline queue's JSON answers, the PWA manifest, and the 站内消息 a
dissolved grid leaves each worker in that worker's own language. 简体中文 stays as it was (the grid tests)."""

from __future__ import annotations

import html
import json
import re
from datetime import date

import pytest
from sqlalchemy import select

from tests.blueprints import support
from tests.blueprints.test_grid_key_people import scene as key_scene
from tests.blueprints.test_languages import choose, html_lang
from tests.factories import id_number, make_district_admin, make_grid, make_grid_staff, make_person
from yks_web.models.grid import Grid, GridVisit
from yks_web.models.messages import Message
from yks_web.privacy import mask_name
from yks_web.services.identity import build_id_card_number

FORM = {"city": "4401", "district": "440106", "town": "440106006", "name": "石牌一社区网格"}
_CHINESE = re.compile("[\u4e00-\u9fff]+")


def _bound_worker(db, *, authorised: bool = False):
    grid = make_grid(db, "周网管", "一社区网格", status="active")
    staff = make_grid_staff(db, grid, "吴网格", authorised=authorised)
    staff.is_current = True
    db.session.commit()
    return grid, staff


def text(response) -> str:
    """The page as read: an apostrophe (English) is &#39; in the HTML."""
    return html.unescape(support.text(response))


def title(response) -> str:
    return re.search(r"<h1>(.*?)</h1>", text(response)).group(1)


def _missing(page: str, words: list[str]) -> list[str]:
    return [word for word in words if word not in page]


# -- the chooser, 我的网格, 创建网格 -------------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "lang", "words"), [
    ("en", "en", ["<h1>Neighbourhood grids: residents' health</h1>", ">Grid administrator<", ">Grid worker<",
                  "Create a grid, share its grid declaration code, dissolve it", 'aria-label="Choose your role"']),
    ("zh_Hant_HK", "zh-Hant-HK", ["<h1>網格居民健康情況採集</h1>", ">網格管理員<", ">網格員<",
                                  "創建網格、分發網格申報碼、解散網格"]),
])
def test_the_chooser_in_each_language(client, db, actions, language, lang, words):
    actions.login(make_person(db, "周网管"))
    choose(client, language)
    page = text(client.get("/grid/"))
    assert html_lang(client.get("/grid/")) == lang
    assert _missing(page, words) == []


def test_create_a_grid_in_english_with_its_refusals_and_flash(client, db, actions):
    actions.login(make_person(db, "周网管"))
    choose(client, "en")
    form = client.get("/grid/admin/create", follow_redirects=True)
    assert title(form) == "Create grid"
    page = text(form)
    assert "Grid name" in page and ">Next</button>" in page
    assert 'placeholder="Please enter the grid name, e.g. Shipai Subdistrict Community 1 Grid"' in page
    refused = text(actions.post("/grid/admin/create", {**FORM, "name": "", "confirmed": "1"}))
    assert "Please enter the grid name" in refused
    long = text(actions.post("/grid/admin/create", {**FORM, "name": "格" * 51, "confirmed": "1"}))
    assert "The grid name can be at most 50 characters" in long
    town = text(actions.post("/grid/admin/create", {**FORM, "town": "440304001", "confirmed": "1"}))
    assert "Please choose the area down to the town or subdistrict" in town
    step = actions.post("/grid/admin/create", FORM)
    assert title(step) == "Confirm the new grid"
    assert "A grid organisation cannot be deleted once created." in text(step) and ">Create</button>" in text(step)
    done = actions.post("/grid/admin/create", {**FORM, "confirmed": "1"}, follow_redirects=True)
    page = text(done)
    assert title(done) == "My grid"
    assert "Grid created. Ask your direct superior district administrator to confirm it" in page
    assert "Waiting for the district administrator" in page  # the stored status, shown in English
    assert db.session.scalar(select(Grid.status)) == "pending"  # … and stored as it always was
    assert "Until then grid workers cannot bind with its grid declaration code" in page
    assert 'data-copy-done="Code copied"' in page and "0 people" in page and "0 visits" in page


def test_my_grid_in_traditional_chinese_counts_one_person(client, db, actions):
    grid = make_grid(db, "周网管", "一社区网格", status="active")
    make_grid_staff(db, grid, "吴网格")
    db.session.commit()
    actions.login(grid.admin)
    choose(client, "zh_Hant_HK")
    page = text(client.get("/grid/admin"))
    assert _missing(page, ["<h1>我的網格</h1>", "網格申報碼", "已生效", "綁定網格員", "1人", "查看數據統計"]) == []
    choose(client, "en")
    assert "1 person" in text(client.get("/grid/admin"))


def test_dissolve_in_english_refuses_a_wrong_name_and_tells_each_worker_in_their_language(client, db, actions):
    grid = make_grid(db, "周网管", "石牌街道一社区网格", status="active")
    english = make_grid_staff(db, grid, "吴网格").person
    english.language = "en"
    chinese = make_grid_staff(db, grid, "郑网格").person  # never chose: the source language
    db.session.commit()
    actions.login(grid.admin)
    choose(client, "en")
    page = client.get(f"/grid/{grid.id}/dissolve")
    assert title(page) == "Dissolve grid" and "Dissolve the grid “石牌街道一社区网格”?" in text(page)
    wrong = text(actions.post(f"/grid/{grid.id}/dissolve", {"name": "别的网格"}))
    assert "The name entered does not match this grid's name. Please enter it again" in wrong
    empty = text(actions.post(f"/grid/{grid.id}/dissolve", {"name": ""}))
    assert "Please enter the grid name to confirm" in empty
    done = actions.post(f"/grid/{grid.id}/dissolve", {"name": "石牌街道一社区网格"}, follow_redirects=True)
    assert "The grid “石牌街道一社区网格” has been dissolved and its data deleted" in text(done)
    told = dict(db.session.execute(select(Message.person_id, Message.text)).all())
    assert told[english.id].startswith("The grid “石牌街道一社区网格” you were bound to has been dissolved")
    assert told[chinese.id] == ("您绑定的网格“石牌街道一社区网格”已被网格管理员解散，该网格的数据已清空，"
                                "您无需再为该网格采集")


# -- 网格员 ---------------------------------------------------------------------------------------------------------


def test_the_worker_page_and_binding_in_english(client, db, actions):
    grid, staff = _bound_worker(db)
    actions.login(staff.person)
    choose(client, "en")
    response = client.get("/grid/worker")
    page = text(response)
    assert title(response) == "My grids"
    assert _missing(page, ["My grid organisations", ">Current organisation<", "Not authorised", ">Unbind</a>",
                           "Add a binding", 'placeholder="Please enter the 10-digit grid declaration code"',
                           "Visits recorded today", ">Start collecting</a>"]) == []
    unknown = text(actions.post("/grid/worker", {"code": "6999999999"}))
    assert "No such grid declaration code. Please check it with your grid administrator and enter it again" in unknown
    assert "Please enter the grid declaration code" in text(actions.post("/grid/worker", {"code": ""}))
    pending = make_grid(db, "谢网管", "二社区网格")
    db.session.commit()
    refused = text(actions.post("/grid/worker", {"code": pending.code}))
    assert "The grid is waiting for the district administrator's confirmation. Until then grid workers" in refused
    confirm = client.get(f"/grid/{grid.id}/leave")
    assert title(confirm) == "Unbind" and "Unbind from 一社区网格?" in text(confirm)
    left = actions.post(f"/grid/{grid.id}/leave", follow_redirects=True)
    assert "Unbound from 一社区网格" in text(left)
    assert "You are not bound to a grid yet." in text(left)


def test_collect_and_the_manual_form_in_english(client, db, actions):
    grid, staff = _bound_worker(db)
    actions.login(staff.person)
    choose(client, "en")
    collect = client.get("/grid/collect")
    assert title(collect) == "Start collecting"
    assert _missing(text(collect), ["Current organisation: 一社区网格", ">Enter by hand<", ">Scan Yuekang Code<",
                                    "Visits recorded in total"]) == []
    manual = client.get(f"/grid/{grid.id}/collect/manual")
    page = text(manual)
    assert title(manual) == "Enter by hand"
    assert _missing(page, ["For a child or baby without an ID card, choose the birth certificate",
                           ">Mainland resident ID card</option>", "Address", "Temperature (℃, optional)",
                           "Fever, cough or other symptoms?", ">Submit</button>", "Waiting to upload:",
                           'placeholder="Optional, 11-digit mobile number"']) == []
    bad = text(actions.post(f"/grid/{grid.id}/collect/manual", {
        "name": "黄小明", "id_type": "id_card", "id_number": "", "address": "", "temperature": "50",
        "symptoms": "", "travel": "no", "contact": "no", "client_key": "k" * 32}))
    assert "Please enter the address" in bad
    assert "The temperature should be between 34.0 and 43.0℃. Please check it" in bad
    assert "Please choose Yes or No" in bad


def test_collect_of_a_pending_grid_says_why_in_traditional_chinese(client, db, actions):
    grid = make_grid(db, "周网管", "一社区网格")
    staff = make_grid_staff(db, grid, "吴网格")
    staff.is_current = True
    db.session.commit()
    actions.login(staff.person)
    choose(client, "zh_Hant_HK")
    page = text(client.get("/grid/collect"))
    assert "<h1>開始信息採集</h1>" in page and "網格待區劃管理員確認，確認後方可進行信息採集，記錄無法上傳" in page


def test_the_offline_queues_json_answers_in_english(client, db, actions):
    grid, staff = _bound_worker(db)
    actions.login(staff.person)
    choose(client, "en")
    token = client.get("/grid/visits/token").get_json()["csrf"]
    data = {"grid_id": str(grid.id), "name": "黄小明", "id_type": "id_card",
            "id_number": build_id_card_number("440106", date(1990, 5, 1), 7),
            "address": "", "symptoms": "no", "travel": "no", "contact": "no", "client_key": "q" * 32}
    invalid = client.post("/grid/visits", data=data, headers={"X-CSRFToken": token})
    body = invalid.get_json()
    assert invalid.status_code == 422
    assert body["message"] == "Something in the record is wrong. Please correct it and submit again"
    assert body["errors"]["address"] == ["Please enter the address"]
    staff.active = False
    db.session.commit()
    refused = client.post("/grid/visits", data={**data, "address": "一社区1栋"}, headers={"X-CSRFToken": token})
    assert refused.status_code == 409
    assert refused.get_json()["message"] == ("You are no longer a grid worker of this grid (unbound). "
                                             "The record cannot be uploaded")


def test_the_manifest_speaks_the_browsers_language(client):
    english = client.get("/grid/manifest.webmanifest", headers={"Accept-Language": "en-GB"})
    manifest = json.loads(text(english))
    assert manifest["name"] == "Yueshengshi · Grid collection" and manifest["short_name"] == "Grid collection"
    assert manifest["lang"] == "en" and "Accept-Language" in english.headers["Vary"]
    hant = json.loads(text(client.get("/grid/manifest.webmanifest", headers={"Accept-Language": "zh-HK"})))
    assert hant["name"] == "粵省事·網格採集" and hant["lang"] == "zh-Hant-HK"
    source = json.loads(text(client.get("/grid/manifest.webmanifest")))
    assert source["name"] == "粤省事·网格采集" and source["lang"] == "zh-CN"  # as it always was


# -- 网格成员管理, 管理员变更, 查看数据统计 -------------------------------------------------------------------------


def test_members_and_authorising_in_english(client, db, actions):
    grid, staff = _bound_worker(db)
    actions.login(grid.admin)
    choose(client, "en")
    response = client.get(f"/grid/{grid.id}/members")
    page = text(response)
    assert title(response) == "Grid members"
    assert _missing(page, ["Grid workers of 一社区网格", ">Change of administrator</a>", ">Authorise</button>",
                           "Not authorised", "Bound 2026-11-20"]) == []
    done = actions.post(f"/grid/{grid.id}/members/{staff.id}/authorise", follow_redirects=True)
    assert f"{mask_name('吴网格')} is authorised" in text(done) and ">Withdraw authorisation</button>" in text(done)
    unbind = client.get(f"/grid/{grid.id}/members/{staff.id}/unbind")
    assert f"Unbind the grid worker {mask_name('吴网格')}?" in text(unbind)


def test_the_handover_in_english(client, db, actions):
    grid = make_grid(db, "周网管", "一社区网格", status="active")
    db.session.commit()
    actions.login(grid.admin)
    choose(client, "en")
    form = client.get(f"/grid/{grid.id}/handover")
    assert title(form) == "Change of administrator"
    assert "New administrator's name" in text(form) and "ID card number" in text(form)
    empty = text(actions.post(f"/grid/{grid.id}/handover", {"name": "", "id_number": ""}))
    assert "Please enter the new administrator's name" in empty
    assert "Please enter the new administrator's ID card number" in empty
    own = text(actions.post(f"/grid/{grid.id}/handover", {"name": grid.admin.name,
                                                           "id_number": grid.admin.id_number}))
    assert "The new administrator cannot be you." in own
    invalid = client.get("/grid/handover/" + "x" * 43)
    assert title(invalid) == "Change of administrator"
    assert "This change-of-administrator link is invalid or has expired" in text(invalid)


def test_statistics_in_english(client, db, actions):
    grid, _ = _bound_worker(db)
    actions.login(grid.admin)
    choose(client, "en")
    response = client.get(f"/grid/{grid.id}/stats")
    assert title(response) == "View statistics"
    assert _missing(text(response), ["Daily check results", "Grid workers' work",
                                     "No checks yet. Once grid workers record visits"]) == []


# -- 重点管控人员 ----------------------------------------------------------------------------------------------------


def test_key_people_in_english_and_locked_for_a_worker_not_authorised(client, db, actions):
    grid, authorised, plain, red, observed, _, _ = key_scene(db)
    actions.login(authorised.person)
    choose(client, "en")
    response = client.get(f"/grid/{grid.id}/key-people")
    page = text(response)
    assert title(response) == "People under key control"
    assert _missing(page, ["Red code", "Red code: Close contact", "Medical observation: Inbound traveller",
                           ">Details</a>", "Last visited Nov 20 · 一社区1栋102"]) == []
    detail = client.get(f"/grid/{grid.id}/key-people/{red.id}")
    assert title(detail) == "Person under key control"
    assert _missing(text(detail), ["Health code status", "Red code reason", "This grid's visits",
                                   "Personal health declaration", ">Mainland resident ID card<"]) == []
    actions.login(plain.person)
    locked = text(client.get(f"/grid/{grid.id}/key-people"))
    assert "Once your grid administrator authorises you, you can see this grid's list" in locked


# -- 区划管理员 ------------------------------------------------------------------------------------------------------


def test_the_district_admin_in_english_confirms_and_rejects(client, db, actions):
    town = make_district_admin(db, "梁区划", "440106006")
    first = make_grid(db, "周网管", "一社区网格")
    second = make_grid(db, "谢网管", "二社区网格")
    db.session.commit()
    actions.login(town.person)
    choose(client, "en")
    response = client.get("/grid/district")
    page = text(response)
    assert title(response) == "District administrator"
    assert _missing(page, [">Town (subdistrict)<", "Grids to confirm", f"Grid administrator {mask_name('周网管')}",
                           ">Confirm</a>"]) == []
    grid_page = client.get(f"/grid/district/grids/{first.id}")
    assert title(grid_page) == "Confirm grid" and "Waiting for the district administrator" in text(grid_page)
    confirmed = actions.post(f"/grid/district/grids/{first.id}/confirm", {}, follow_redirects=True)
    assert "The grid “一社区网格” is confirmed and now in effect" in text(confirmed)
    no_reason = text(actions.post(f"/grid/district/grids/{second.id}", {"reason": ""}))
    assert "Please give the reason for not approving" in no_reason
    too_long = text(actions.post(f"/grid/district/grids/{second.id}", {"reason": "因" * 101}))
    assert "At most 100 characters" in too_long
    rejected = actions.post(f"/grid/district/grids/{second.id}", {"reason": "名称不规范"}, follow_redirects=True)
    assert "The grid “二社区网格” was not approved" in text(rejected)


def test_an_english_page_keeps_no_chinese_but_data(client, db, actions):
    """The worker page in English: what Chinese is left is the grid's name, its area and the language switch."""
    grid, staff = _bound_worker(db)
    actions.login(staff.person)
    choose(client, "en")
    page = text(client.get("/grid/worker"))
    left = set(_CHINESE.findall(page)) - {"一社区网格", "广东省广州市天河区石牌街道", "简体中文", "繁體中文"}
    assert left == set(), left


def test_a_visit_submitted_in_english_is_stored_as_typed_and_the_done_page_speaks_english(client, db, actions):
    grid, staff = _bound_worker(db)
    actions.login(staff.person)
    choose(client, "en")
    key = re.search(r'name="client_key"[^>]*value="([^"]*)"', text(client.get(f"/grid/{grid.id}/collect/manual")))
    response = actions.post(f"/grid/{grid.id}/collect/manual", {
        "name": "黄小明", "id_type": "id_card", "id_number": build_id_card_number("440106", date(1990, 5, 1), 7),
        "phone": "", "address": "一社区3栋101", "temperature": "36.5", "symptoms": "yes", "travel": "no",
        "contact": "no", "remarks": "", "client_key": key.group(1), "recorded_at": ""})
    assert response.status_code == 303
    done = client.get(support.location(response))
    page = text(done)
    assert title(done) == "Submitted"
    assert "This visit's check of *小明 has been recorded for 一社区网格." in page
    assert ">Continue collecting</a>" in page and "Visits recorded today</dt><dd>1<" in page
    visit = db.session.scalar(select(GridVisit))
    assert (visit.has_symptoms, visit.address) == (True, "一社区3栋101")  # what was chosen, not its label
    choose(client, "zh_Hant_HK")
    assert "*小明的本次上門核查信息已登記至一社区网格。" in text(client.get(support.location(response)))


def test_the_successors_page_in_english(client, db, actions):
    grid = make_grid(db, "周网管", "一社区网格", status="active")
    number = id_number()
    successor = make_person(db, "陈继任", number)
    db.session.commit()
    actions.login(grid.admin)
    choose(client, "en")
    sent = actions.post(f"/grid/{grid.id}/handover", {"name": "陈继任", "id_number": number}, follow_redirects=True)
    page = text(sent)
    assert "Submitted. The identity QR code is ready" in page and 'alt="Identity QR code for the change' in page
    assert ">Cancel the change</button>" in page and 'data-copy-done="Link copied"' in page
    link = re.search(r'id="handover-link" type="text" readonly value="([^"]+)"', page).group(1)
    path = link.removeprefix("http://yks.test")
    actions.login(successor)
    offer = text(client.get(path))
    assert "You are invited to become the grid administrator of:" in offer
    assert ">Become grid administrator</button>" in offer and "Current administrator" in offer
    accepted = actions.post(path, follow_redirects=True)
    assert "Identity verified. You are now the grid administrator of “一社区网格”" in text(accepted)

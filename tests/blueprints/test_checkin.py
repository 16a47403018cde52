"""体温正常快速打卡, the citizen's side (SPEC O4; issue 10 items 5 and 8; guide "同时，检测员可使用
“体温正常快速打卡”…"): scan the 葵花码 → 实名认证 if need be, then back → one tap 【体温正常，确认打卡】 → 打卡成功
→ 【出示粤康码】. Old posters (renamed place, 重新生成葵花码) refuse with a clear message and record nothing; odd
tokens are never a 500."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from tests.blueprints.support import (
    assert_fragment,
    assert_whole_page,
    collapse,
    count,
    location,
    location_path,
    query_param,
    text,
)
from tests.blueprints.test_places_posters import live_token, pdf_codes
from tests.factories import id_number, make_person, make_place, register_identity
from yks_web import clock
from yks_web.models.health import TemperatureCheck
from yks_web.models.people import Person
from yks_web.services import checkins, place_checks, place_posters

HX = {"HX-Request": "true"}
PHONE = "13800138000"
BUTTON = "体温正常，确认打卡"
_FORM_KEY = re.compile(r'name="form_key" value="([0-9a-f]{32})"')


@pytest.fixture
def place(db):
    place = make_place(db)
    db.session.commit()
    return place


@pytest.fixture
def citizen(db):
    person = make_person(db, "黄恺")
    db.session.commit()
    return person


def form_key(page: str) -> str:
    return _FORM_KEY.search(page).group(1)


def checks(db) -> list[TemperatureCheck]:
    db.session.expire_all()
    return list(db.session.scalars(select(TemperatureCheck).order_by(TemperatureCheck.id)))


def check_in(client, actions, token: str):
    page = text(client.get(f"/p/{token}"))
    return actions.post(f"/p/{token}", {"form_key": form_key(page)})


# -- coming in ----------------------------------------------------------------------------------------------


def test_item5_anonymous_scan_goes_through_login_and_back(client, db, actions, sms, place):
    """Not logged in: 实名认证 first, then back to the 葵花码's page (the access gate's `next`)."""
    token = live_token(db, place)
    response = client.get(f"/p/{token}")
    assert response.status_code == 302 and location_path(response) == "/auth/login"
    next_url = query_param(response, "next")
    assert next_url == f"/p/{token}"
    assert f'name="next" value="{next_url}"' in text(client.get(location(response)))

    number = id_number()
    register_identity(db, "黄恺", number, phone=PHONE)
    db.session.commit()
    actions.post("/auth/login", {"name": "黄恺", "id_type": "id_card", "id_number": number, "phone": PHONE,
                                 "next": next_url})
    response = actions.post("/auth/verify", {"code": sms.last_code(PHONE)})
    assert response.status_code == 303 and location(response) == next_url
    page = text(client.get(next_url))
    assert BUTTON in page and "天河城购物中心" in page


def test_item5_anonymous_post_records_nothing(client, db, actions, place):
    response = actions.post(f"/p/{live_token(db, place)}", {"form_key": "a" * 32})
    assert response.status_code == 302 and location_path(response) == "/auth/login"
    assert client.post(f"/p/{live_token(db, place)}", data={"form_key": "a" * 32}).status_code == 400  # no CSRF
    assert checks(db) == []


def test_item5_check_in_page_shows_place_time_and_masked_name(client, db, actions, place, citizen):
    actions.login(citizen)
    response = client.get(f"/p/{live_token(db, place)}")
    assert_whole_page(response)
    page = collapse(text(response))
    assert "天河城购物中心" in page and "场所名称" in page
    assert "2026-11-20 09:00" in page  # conftest's clock, Asia/Shanghai
    assert "*恺" in page and "黄恺" not in page
    assert page.count(f">{BUTTON}</button>") == 1  # one button, one tap
    assert form_key(page)


def test_item5_check_in_page_fragment_for_htmx(client, db, actions, place, citizen):
    actions.login(citizen)
    assert_fragment(client.get(f"/p/{live_token(db, place)}", headers=HX))


def test_item5_token_is_case_insensitive(client, db, actions, place, citizen):
    actions.login(citizen)
    token = live_token(db, place)
    response = check_in(client, actions, token.lower())
    assert response.status_code == 303
    assert location_path(response).startswith(f"/p/{token}/done/")  # the canonical token from there on
    assert len(checks(db)) == 1


# -- checking in --------------------------------------------------------------------------------------------


def test_item5_one_tap_records_a_normal_check_and_shows_success(client, db, actions, place, citizen):
    actions.login(citizen)
    token = live_token(db, place)
    response = check_in(client, actions, token)
    assert response.status_code == 303
    [check] = checks(db)
    assert location(response) == f"/p/{token}/done/{check.id}"
    assert (check.person_id, check.place_id, check.place_name) == (citizen.id, place.id, "天河城购物中心")
    assert (check.result, check.method, check.inspector_id) == ("正常", place_checks.CHECKIN, None)
    assert check.local_day.isoformat() == "2026-11-20" and check.local_hour == 9

    done = client.get(location(response))
    assert_whole_page(done)
    page = collapse(text(done))
    assert "打卡成功" in page and "天河城购物中心" in page and "2026-11-20 09:00:00" in page
    assert re.search(r'<a [^>]*href="/code/"[^>]*>出示粤康码</a>', page)
    assert_fragment(client.get(location(response), headers=HX))


def test_item5_double_tap_records_once(client, db, actions, place, citizen):
    actions.login(citizen)
    token = live_token(db, place)
    key = form_key(text(client.get(f"/p/{token}")))
    first = actions.post(f"/p/{token}", {"form_key": key})
    second = actions.post(f"/p/{token}", {"form_key": key})
    assert first.status_code == second.status_code == 303
    assert location(first) == location(second)
    assert len(checks(db)) == 1


def test_item5_a_missing_or_odd_form_key_still_checks_in_once(client, db, actions, place, citizen):
    actions.login(citizen)
    token = live_token(db, place)
    for odd in ("", "x" * 500, "<script>", "葵花"):
        assert actions.post(f"/p/{token}", {"form_key": odd}).status_code == 303
    assert len(checks(db)) == 4
    assert all(len(c.form_key) == 32 for c in checks(db))


def test_item5_check_in_appears_in_the_persons_temperature_history(client, db, actions, place, citizen):
    """H4: 体温检测历史 lists the check with the place's name."""
    actions.login(citizen)
    check_in(client, actions, live_token(db, place))
    page = collapse(text(client.get("/code/history/temperature")))
    assert "天河城购物中心" in page and "正常" in page
    assert "暂无体温检测记录" not in page


def test_item5_done_is_for_the_checks_own_person_only(client, db, actions, place, citizen):
    actions.login(citizen)
    token = live_token(db, place)
    done = location(check_in(client, actions, token))
    check = checks(db)[0]
    other_place = make_place(db, make_person(db, "赵其他"), "东站")
    assert client.get(f"/p/{live_token(db, other_place)}/done/{check.id}").status_code == 404  # another poster
    assert client.get(f"/p/{token}/done/{check.id + 1000}").status_code == 404
    assert client.get(f"/p/{token}/done/99999999999999999999").status_code == 404
    assert client.get(f"/p/NOTATOKEN/done/{check.id}").status_code == 404
    stranger = make_person(db, "孙路人")
    db.session.commit()
    actions.login(stranger)
    response = client.get(done)
    assert response.status_code == 404 and "天河城购物中心" not in text(response)


def test_item5_check_ins_are_rate_limited_per_account(client, db, actions, place, citizen):
    actions.login(citizen)
    token = live_token(db, place)
    for _ in range(checkins.PER_ACCOUNT.count):
        assert actions.post(f"/p/{token}", {"form_key": ""}).status_code == 303
    refused = actions.post(f"/p/{token}", {"form_key": "b" * 32})
    assert refused.status_code == 429
    page = text(refused)
    assert "打卡过于频繁，请1小时后再试" in page and BUTTON in page  # the screen stays, with the message
    assert len(checks(db)) == checkins.PER_ACCOUNT.count
    # another account at the same place is not held back
    neighbour = make_person(db, "陈丽")
    db.session.commit()
    actions.login(neighbour)
    assert check_in(client, actions, token).status_code == 303


# -- old posters and odd tokens -----------------------------------------------------------------------------


@pytest.mark.parametrize("reason", [place_posters.REISSUED, place_posters.RENAMED])
def test_item5_old_poster_refuses_and_the_new_one_works(client, db, actions, place, citizen, reason):
    actions.login(citizen)
    old = live_token(db, place)
    key = form_key(text(client.get(f"/p/{old}")))  # the page was open when the poster changed
    if reason == place_posters.RENAMED:
        place.name = "天河城广场"
    place_posters.reissue(db.session, place, reason, clock.utcnow())
    db.session.commit()
    new = live_token(db, place)

    page = client.get(f"/p/{old}")
    assert page.status_code == 410
    assert place_posters.RETIRED_MESSAGES[reason] in text(page) and BUTTON not in text(page)
    refused = actions.post(f"/p/{old}", {"form_key": key})
    assert refused.status_code == 410 and place_posters.RETIRED_MESSAGES[reason] in text(refused)
    assert checks(db) == []
    assert_fragment(client.get(f"/p/{old.lower()}", headers=HX), status=410)

    assert check_in(client, actions, new).status_code == 303
    [check] = checks(db)
    assert check.place_name == ("天河城广场" if reason == place_posters.RENAMED else "天河城购物中心")


@pytest.mark.parametrize("token", [
    "ZZZZZZZZZZ", "zzzzzzzzzz", "0000000000", "IIIIIIIIII", "short", "X" * 5000, "葵花码葵花码葵花码葵", "%00",
    "abc%20def", "..", "A.B", "%E2%80%AE1234567890",
])
def test_item5_unknown_or_odd_token_is_a_404_page_never_a_500(client, db, actions, citizen, token):
    actions.login(citizen)
    response = client.get(f"/p/{token}")
    assert response.status_code == 404 and "无效的葵花码" in text(response)
    posted = actions.post(f"/p/{token}", {"form_key": "c" * 32})
    assert posted.status_code == 404 and "无效的葵花码" in text(posted)
    assert checks(db) == []


def test_item5_unknown_token_pages_whole_and_fragment(client, db, actions, citizen):
    actions.login(citizen)
    assert_whole_page(client.get("/p/ZZZZZZZZZZ"), status=404)
    assert_fragment(client.get("/p/ZZZZZZZZZZ", headers=HX), status=404)


def test_item5_a_check_in_is_the_citizens_own(client, db, actions, place, citizen):
    """The check carries the logged-in person and nobody else: no inspector, no one chosen by the form."""
    actions.login(citizen)
    token = live_token(db, place)
    key = form_key(text(client.get(f"/p/{token}")))
    actions.post(f"/p/{token}", {"form_key": key, "person_id": str(place.admin_id), "result": "发热"})
    [check] = checks(db)
    assert check.person_id == citizen.id and check.result == "正常"
    assert db.session.get(Person, citizen.id).name == "黄恺"
    assert count(db, TemperatureCheck, TemperatureCheck.inspector_id.is_not(None)) == 0


def test_item8_the_printed_posters_code_checks_a_citizen_in(client, db, actions, place, citizen):
    """Issue 10 item 8: the PDF poster's QR, decoded from the rendered page, is the URL that checks a citizen in."""
    actions.login(place.admin)
    codes, _ = pdf_codes(client.get(f"/places/{place.id}/poster.pdf").data)
    scanned = max(codes, key=lambda c: c[1])[0]  # the big code
    path = urlsplit(scanned).path
    actions.login(citizen)
    response = check_in(client, actions, path.removeprefix("/p/"))
    assert response.status_code == 303 and "打卡成功" in text(client.get(location(response)))
    [check] = checks(db)
    assert (check.person_id, check.place_id) == (citizen.id, place.id)

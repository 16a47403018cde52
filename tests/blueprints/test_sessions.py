"""Login sessions (SPEC I4a, issue 8 item 4): logout and 退出所有设备 end sessions server-side, an idle
timeout and an absolute lifetime bound them, and login starts a new session with a new CSRF token."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import event, select

from tests.blueprints.support import count, location_path, text
from tests.conftest import DEFAULT_NOW, sign_in
from tests.factories import id_number, make_person
from yks_web import config
from yks_web.models.sessions import LoginSession

PHONE = "13800138000"
COOKIE = "session"
_CSRF = re.compile(r'"X-CSRFToken": "([^"]+)"')


@pytest.fixture
def real_limits(app, monkeypatch):
    """The production defaults (the shared test app keeps sessions for years: other tests move the clock)."""
    monkeypatch.setitem(app.config, "SESSION_ABSOLUTE_HOURS", config.SESSION_ABSOLUTE_HOURS)
    monkeypatch.setitem(app.config, "SESSION_IDLE_HOURS", config.SESSION_IDLE_HOURS)


def get(client, url: str):
    """A request as a browser makes it: the cookie is what decides (each request has its own `g`)."""
    return client.get(url)


def csrf(client) -> str:
    return _CSRF.search(text(get(client, "/"))).group(1)


def post(client, url: str, data: dict | None = None):
    payload = {"csrf_token": csrf(client), **(data or {})}
    return client.post(url, data=payload)


def log_in_by_sms(client, sms, person_number: str, name: str = "黄恺"):
    """The real 实名认证: identity + phone, the SMS code, 同意授权并登录."""
    post(client, "/auth/login", {"name": name, "id_type": "id_card", "id_number": person_number, "phone": PHONE})
    return post(client, "/auth/verify", {"code": sms.last_code(PHONE)})


def cookie(client) -> str:
    return client.get_cookie(COOKIE, domain="yks.test").value


def replay(client, value: str) -> None:
    client.set_cookie(COOKIE, value, domain="yks.test")


def logged_in(client) -> bool:
    """Whether 个人中心 opens (it shows the full ID number) or sends to 实名认证."""
    response = get(client, "/me")
    if response.status_code == 302:
        assert location_path(response) == "/auth/login"
        return False
    assert response.status_code == 200 and "个人中心" in text(response)
    return True


@pytest.fixture
def person(db):
    number = id_number()
    made = make_person(db, "黄恺", number=number, phone=PHONE)
    db.session.commit()
    return made, number


def test_i4a_a_replayed_pre_logout_cookie_gets_the_login_page(client, db, sms, person):
    """Issue 8 item 4: the cookie captured before 退出登录, replayed after it, opens nothing."""
    _, number = person
    assert log_in_by_sms(client, sms, number).status_code == 303
    before_logout = cookie(client)
    assert logged_in(client)
    assert number in text(get(client, "/me"))

    response = post(client, "/auth/logout")
    assert response.status_code == 303 and location_path(response) == "/"
    assert not logged_in(client)

    replay(client, before_logout)
    response = get(client, "/me")
    assert response.status_code == 302 and location_path(response) == "/auth/login"
    assert number not in text(get(client, "/"))
    assert count(db, LoginSession) == 0


def test_i4a_logout_ends_this_session_only(app, client, db, sms, person):
    """退出登录 on the phone leaves the same person's laptop logged in."""
    made, number = person
    log_in_by_sms(client, sms, number)
    laptop = app.test_client()
    sign_in(laptop, made.id)
    assert logged_in(client) and logged_in(laptop)
    post(client, "/auth/logout")
    assert not logged_in(client)
    assert logged_in(laptop)
    assert count(db, LoginSession, LoginSession.person_id == made.id) == 1


def test_i4a_logout_everywhere_from_the_personal_centre_ends_every_session(app, client, db, sms, person):
    """个人中心 →【退出所有设备】→ a confirm screen (a plain form, no JavaScript) → every device logged out;
    another person's session stays."""
    made, number = person
    log_in_by_sms(client, sms, number)
    phone_cookie = cookie(client)
    laptop = app.test_client()
    sign_in(laptop, made.id)
    other = app.test_client()
    sign_in(other, make_person(db, "李四").id)

    me = text(get(client, "/me"))
    assert 'href="/auth/logout-everywhere"' in me and "退出所有设备" in me
    confirm = text(get(client, "/auth/logout-everywhere"))
    assert "退出所有设备" in confirm and "取消" in confirm
    assert 'method="post" action="/auth/logout-everywhere"' in confirm and "hx-confirm" not in confirm
    assert count(db, LoginSession) == 3  # nothing ends by opening the confirm screen

    response = post(client, "/auth/logout-everywhere")
    assert response.status_code == 303 and location_path(response) == "/"
    assert "已退出所有设备" in text(get(client, "/"))
    assert not logged_in(client) and not logged_in(laptop)
    replay(client, phone_cookie)
    assert not logged_in(client)
    assert logged_in(other)
    assert count(db, LoginSession, LoginSession.person_id == made.id) == 0


def test_i4a_logout_everywhere_needs_a_login(client):
    for response in (get(client, "/auth/logout-everywhere"), post(client, "/auth/logout-everywhere")):
        assert response.status_code == 302 and location_path(response) == "/auth/login"


def test_i4a_idle_timeout_counts_from_the_last_request(client, db, person, clock, real_limits):
    """Idle 36 hours: each request renews the stamp, so a daily user stays in; a day and a half away ends it."""
    made, _ = person
    sign_in(client, made.id)
    idle = timedelta(hours=config.SESSION_IDLE_HOURS)
    clock(DEFAULT_NOW + idle - timedelta(minutes=1))
    assert logged_in(client)
    clock(DEFAULT_NOW + 2 * idle - timedelta(minutes=2))  # 36 h after the last request, less a minute
    assert logged_in(client)
    clock(DEFAULT_NOW + 3 * idle)
    assert not logged_in(client)
    clock(DEFAULT_NOW)  # back in time: the cookie was forgotten, not merely out of date
    assert not logged_in(client)


def test_i4a_absolute_lifetime_ends_even_a_busy_session(client, db, person, clock, real_limits):
    """Used every day, a session still ends 7 days after login."""
    made, _ = person
    sign_in(client, made.id)
    for day in range(1, 7):
        clock(DEFAULT_NOW + timedelta(days=day))
        assert logged_in(client), day
    clock(DEFAULT_NOW + timedelta(hours=config.SESSION_ABSOLUTE_HOURS, minutes=1))
    assert not logged_in(client)


def test_i4a_login_starts_a_new_session_and_csrf_token(client, db, sms, person, clock):
    """What the cookie held before login (a planted session) is gone, and the old CSRF token is refused."""
    made, number = person
    old_token = csrf(client)
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    log_in_by_sms(client, sms, number)
    with client.session_transaction() as session:
        assert "planted" not in session and "sms" not in session
        first_sid = session["_sid"]
        assert session["_user_id"] == str(made.id)
    new_token = csrf(client)
    assert new_token != old_token
    refused = client.post("/auth/logout", data={"csrf_token": old_token})
    assert refused.status_code == 400
    assert logged_in(client)
    stored = db.session.scalars(select(LoginSession.token_hash)).all()
    assert len(stored) == 1 and first_sid not in stored  # only a hash is kept
    clock(DEFAULT_NOW + timedelta(minutes=2))  # past the SMS interval: log in again, same browser
    log_in_by_sms(client, sms, number)
    with client.session_transaction() as session:
        assert session["_sid"] != first_sid


def test_i4a_the_session_cookie_is_httponly_samesite_lax_and_secure_in_production(
    app, client, sms, person, monkeypatch
):
    _, number = person
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", True)  # what production has by default
    response = log_in_by_sms(client, sms, number)
    set_cookie = response.headers["Set-Cookie"]
    assert set_cookie.startswith(f"{COOKIE}=")
    assert "HttpOnly" in set_cookie and "SameSite=Lax" in set_cookie and "Secure" in set_cookie
    assert "Expires=" in set_cookie  # lives at most as long as the session may (PERMANENT_SESSION_LIFETIME)


def test_i4a_the_cookie_is_sent_again_only_when_it_changes(client, db, sms, person, clock):
    """A logged-in page does not sign and send the cookie again (issue 14 item 4); the idle stamp's renewal, at
    most once a minute, does, with the expiry moved on."""
    _, number = person
    log_in_by_sms(client, sms, number)
    assert logged_in(client)  # the first page after login stores the session's new CSRF token
    first = cookie(client)
    response = get(client, "/declare/")
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    assert cookie(client) == first
    clock(DEFAULT_NOW + timedelta(minutes=5))
    response = get(client, "/declare/")
    assert "Expires=" in response.headers["Set-Cookie"] and cookie(client) != first
    assert "Set-Cookie" not in get(client, "/declare/").headers


def test_i4a_a_cookie_naming_another_person_or_no_session_is_anonymous(client, db, person):
    """The token must belong to the person the cookie names; a pre-issue-8 cookie (no token) opens nothing."""
    made, _ = person
    other = make_person(db, "李四")
    sign_in(client, made.id)
    with client.session_transaction() as session:
        session["_user_id"] = str(other.id)
    assert not logged_in(client)
    with client.session_transaction() as session:
        session.clear()
        session["_user_id"] = str(made.id)
        session["_fresh"] = True
    assert not logged_in(client)


def test_i4a_the_user_is_loaded_with_its_session_in_one_statement(client, db, person):
    """Issue 8 item 4: checking the session costs no extra round trip."""
    person_id = person[0].id
    db.session.remove()
    sign_in(client, person_id)
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert logged_in(client)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    touching = [s for s in seen if "login_session" in s]
    assert len(touching) == 1 and "FROM person JOIN login_session" in touching[0], touching
    assert seen[0] == touching[0]


def test_i4a_logging_in_as_someone_else_on_the_same_phone_ends_the_earlier_session(client, db, sms, person):
    """Review finding: a copy of the first person's cookie must not outlive the switch to another account."""
    made, number = person
    assert log_in_by_sms(client, sms, number).status_code == 303
    first_cookie = cookie(client)
    other_number = id_number()
    make_person(db, "陈晓黄", number=other_number, phone="13800138001")
    db.session.commit()
    post(client, "/auth/login", {"name": "陈晓黄", "id_type": "id_card", "id_number": other_number,
                                 "phone": "13800138001"})
    assert post(client, "/auth/verify", {"code": sms.last_code("13800138001")}).status_code == 303
    assert logged_in(client)
    replay(client, first_cookie)
    assert not logged_in(client)
    assert count(db, LoginSession, LoginSession.person_id == made.id) == 0

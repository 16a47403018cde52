"""Fixtures shared by every test: app, client, db, clock, login (STYLE §9)."""

from __future__ import annotations

import os
import re
from datetime import datetime

import pytest
from flask import has_app_context
from flask.testing import FlaskClient

from tests.database import database_url, empty_tables, reset_schema
from yks_web import auth_setup, create_app
from yks_web import clock as app_clock
from yks_web.config import session_limits
from yks_web.extensions import db as _db
from yks_web.services import login_sessions

# A weekday morning before the 11:30 deadline, in Asia/Shanghai.
DEFAULT_NOW = datetime(2026, 11, 20, 9, 0)


@pytest.fixture(scope="session")
def app():
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url(),
            "SECRET_KEY": "test-secret",
            "DATA_KEY": "test-data-key",
            "LOOKUP_KEY": "test-lookup-key",
            "SMS_SENDER": "recording",
            "SHOW_SMS_CODE": False,
            "SERVER_NAME": "yks.test",
            "SESSION_COOKIE_SECURE": False,  # the test client speaks http; production's default is tested apart
            # Tests move the clock by weeks after logging in; test_sessions.py puts the real limits back.
            "SESSION_ABSOLUTE_HOURS": 24 * 3650,
            "SESSION_IDLE_HOURS": 24 * 3650,
            # A developer's catalogues built apart (docs/I18N.md: trying new msgstrs before `make messages`).
            **({"BABEL_TRANSLATION_DIRECTORIES": os.environ["YKS_TEST_TRANSLATIONS"]}
               if os.environ.get("YKS_TEST_TRANSLATIONS") else {}),
        }
    )
    app.test_client_class = RequestClient
    reset_schema(app)
    return app


class RequestClient(FlaskClient):
    """The test client, each request in an app context of its own, as a server runs it (issue 9 item 11).

    Flask 3.1 reuses an active app context for a request (RequestContext.push), so the test body's context
    (the `db` fixture) would hand one `g` to every request: Flask-Login's g._login_user and Flask-WTF's
    g.csrf_token outlived their request, and a per-request cache could pass a test wrongly. Here each request
    gets a fresh app context (a fresh `g`; its teardown_appcontext runs when the request ends) that uses the
    test's database session (one transaction shared with the test body, which reads what a request wrote and
    adds rows for it without committing).
    """

    def open(self, *args, **kwargs):
        if not has_app_context():
            return super().open(*args, **kwargs)
        test_session = _db.session()
        with self.application.app_context():
            _db.session.registry.set(test_session)
            try:
                return super().open(*args, **kwargs)
            finally:
                _db.session.registry.clear()  # the test's session outlives the request (no remove() on it)


@pytest.fixture
def db(app):
    with app.app_context():
        yield _db
    empty_tables(app)


@pytest.fixture
def client(app, db):
    return app.test_client()


@pytest.fixture(autouse=True)
def clock():
    """The app's clock, frozen at DEFAULT_NOW; call clock(datetime) to move it."""
    app_clock.set_now(DEFAULT_NOW)
    yield app_clock.set_now
    app_clock.set_now(None)


@pytest.fixture
def sms(app):
    sender = app.extensions["sms_sender"]
    sender.outbox.clear()
    return sender


_CSRF = re.compile(r'"X-CSRFToken": "([^"]+)"')


class Actions:
    """flaskr's AuthActions: log in as someone, and post forms with the CSRF token."""

    def __init__(self, client):
        self.client = client

    def login(self, person) -> None:
        """A real login session (SPEC I4a) without the SMS round trip: a LoginSession row and its cookie."""
        sign_in(self.client, person.id)

    def logout(self) -> None:
        """Forget the cookie (the browser's side only; POST /auth/logout ends the session server-side)."""
        with self.client.session_transaction() as session:
            session.clear()

    def csrf(self) -> str:
        page = self.client.get("/").get_data(as_text=True)
        return _CSRF.search(page).group(1)

    def post(self, url: str, data: dict | None = None, **kwargs):
        payload = {"csrf_token": self.csrf(), **(data or {})}
        return self.client.post(url, data=payload, **kwargs)


def sign_in(client, person_id: int) -> str:
    """Start a login session for `person_id` as auth_setup.log_in does (committed, as a real login is: a refused
    request's rollback must not undo it) and put it in the client's cookie; returns the session token."""
    now = app_clock.utcnow()
    token = login_sessions.start(_db.session, person_id, now, session_limits(client.application.config)[0])
    _db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = str(person_id)
        session["_fresh"] = True
        session[auth_setup.TOKEN] = token
        session[auth_setup.SEEN] = login_sessions.stamp(now)
    return token


@pytest.fixture
def actions(client):
    return Actions(client)

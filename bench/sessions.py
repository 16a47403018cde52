"""Logged-in requests without the SMS login: a session cookie signed with the server's SECRET_KEY.

The cookie holds what flask_login.login_user() writes (_user_id, _fresh, _id for session protection),
the login session's token and idle stamp (auth_setup.log_in; a LoginSession row per person)
and the raw CSRF token Flask-WTF would have stored on the first page, so no response has to rewrite
the session: every client sends the same cookie for the whole run, as a browser would.
"""

from __future__ import annotations

import hashlib

from flask import Flask
from flask_login.utils import _create_identifier
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select

from yks_web import clock
from yks_web.extensions import db
from yks_web.models.sessions import LoginSession
from yks_web.services import login_sessions

USER_AGENT = "yks-bench/1.0"
REMOTE_ADDR = "127.0.0.1"


def session_cookie(app: Flask, person_id: int, address: str = REMOTE_ADDR) -> str:
    """The cookie of a client connecting from `address` (Flask-Login's session identifier hashes it)."""
    with app.test_request_context("/", headers={"User-Agent": USER_AGENT}, environ_base={"REMOTE_ADDR": address}):
        identifier = _create_identifier()
        token = _login_session(person_id)
        seen = login_sessions.stamp(clock.utcnow())
    data = {
        "_user_id": str(person_id), "_fresh": True, "_id": identifier, "csrf_token": _raw_csrf(person_id),
        "_sid": token, "_seen": seen, "_permanent": True,  # auth_setup.log_in makes every login session permanent
    }
    return app.session_interface.get_signing_serializer(app).dumps(data)


def _login_session(person_id: int) -> str:
    """The person's LoginSession row (issue 8 item 4), one per person whatever the number of cookies made."""
    token = hashlib.sha256(f"bench-session-{person_id}".encode()).hexdigest()
    digest = login_sessions.token_hash(token)
    if db.session.scalar(select(LoginSession.id).where(LoginSession.token_hash == digest)) is None:
        db.session.add(LoginSession(person_id=person_id, token_hash=digest, created_at=clock.utcnow()))
        db.session.commit()
    return token


def _raw_csrf(person_id: int) -> str:
    return hashlib.sha1(f"bench-csrf-{person_id}".encode()).hexdigest()


def csrf_token(app: Flask, person_id: int) -> str:
    """The form's csrf_token as Flask-WTF renders it for this session (what a form page already open holds)."""
    secret = app.config.get("WTF_CSRF_SECRET_KEY") or app.config["SECRET_KEY"]
    return URLSafeTimedSerializer(secret, salt="wtf-csrf-token").dumps(_raw_csrf(person_id))


def cookie_name(app: Flask) -> str:
    return app.config.get("SESSION_COOKIE_NAME", "session")

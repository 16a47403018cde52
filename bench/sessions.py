"""Logged-in requests without the SMS login: a session cookie signed with the server's SECRET_KEY.

The cookie holds what flask_login.login_user() writes (_user_id, _fresh, _id for session protection)
and the raw CSRF token Flask-WTF would have stored on the first page, so no response has to rewrite
the session: every client sends the same cookie for the whole run, as a browser would.
"""

from __future__ import annotations

import hashlib

from flask import Flask
from flask_login.utils import _create_identifier
from itsdangerous import URLSafeTimedSerializer

USER_AGENT = "yks-bench/1.0"
REMOTE_ADDR = "127.0.0.1"


def session_cookie(app: Flask, person_id: int) -> str:
    with app.test_request_context("/", headers={"User-Agent": USER_AGENT}, environ_base={"REMOTE_ADDR": REMOTE_ADDR}):
        identifier = _create_identifier()
    data = {"_user_id": str(person_id), "_fresh": True, "_id": identifier, "csrf_token": _raw_csrf(person_id)}
    return app.session_interface.get_signing_serializer(app).dumps(data)


def _raw_csrf(person_id: int) -> str:
    return hashlib.sha1(f"bench-csrf-{person_id}".encode()).hexdigest()


def csrf_token(app: Flask, person_id: int) -> str:
    """The form's csrf_token as Flask-WTF renders it for this session (what a form page already open holds)."""
    secret = app.config.get("WTF_CSRF_SECRET_KEY") or app.config["SECRET_KEY"]
    return URLSafeTimedSerializer(secret, salt="wtf-csrf-token").dumps(_raw_csrf(person_id))


def cookie_name(app: Flask) -> str:
    return app.config.get("SESSION_COOKIE_NAME", "session")

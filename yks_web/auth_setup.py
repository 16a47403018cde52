"""Flask-Login wiring: the session cookie names a live login session of a Person (SPEC I4, I4a; issue 8 item 4).

The signed cookie carries Flask-Login's _user_id, the session token (_sid) and when the person was last
seen (_seen). The user loader accepts it only if the LoginSession row still exists and is younger than the
absolute lifetime, and the stamp is younger than the idle timeout: one SELECT, the same on every node.
"""

from __future__ import annotations

from flask import Flask, current_app, g, session
from flask_login import current_user, login_user, logout_user

from yks_web import clock
from yks_web.config import session_limits
from yks_web.extensions import db, login_manager
from yks_web.i18n import N_
from yks_web.models.people import Person
from yks_web.services import login_sessions

TOKEN = "_sid"
SEEN = "_seen"


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = N_("请先完成实名认证")  # flashed through gettext (i18n_setup)
    login_manager.login_message_category = "info"
    # The signed cookie itself expires with the longest a session may live.
    app.config["PERMANENT_SESSION_LIFETIME"] = session_limits(app.config)[0]

    @login_manager.user_loader
    def load_person(person_id: str) -> Person | None:
        token, seen = session.get(TOKEN), session.get(SEEN)
        if not (person_id.isdigit() and isinstance(token, str) and isinstance(seen, int)):
            return None
        absolute, idle = session_limits(current_app.config)
        now = clock.utcnow()
        person = login_sessions.live_person(
            db.session, int(person_id), token, seen, now, absolute=absolute, idle=idle
        )
        if person is None:
            # Ended, expired or idle: drop it from the cookie so later requests do not look again.
            for key in ("_user_id", "_fresh", "_id", TOKEN, SEEN):
                session.pop(key, None)
            return None
        if login_sessions.stamp(now) - seen >= login_sessions.SEEN_GRANULARITY:
            session[SEEN] = login_sessions.stamp(now)
        return person


def log_in(person: Person) -> None:
    """Start a new session for `person` (the caller commits): a new cookie, a new CSRF token, a new row.

    Whatever the cookie held before (a pre-login session an attacker may have planted) is dropped, and a
    session it still named (someone else logged in on this phone before) ends server-side too: a copy of
    that cookie must not outlive the switch.
    """
    earlier = session.get(TOKEN)
    if isinstance(earlier, str):
        login_sessions.end(db.session, earlier)
    session.clear()
    g.pop("csrf_token", None)  # Flask-WTF caches the request's token here; the next page makes a new one
    absolute, _ = session_limits(current_app.config)
    now = clock.utcnow()
    token = login_sessions.start(db.session, person.id, now, absolute)
    login_user(person)
    session.permanent = True
    session[TOKEN] = token
    session[SEEN] = login_sessions.stamp(now)


def log_out(*, everywhere: bool = False) -> None:
    """End this session (or all of the person's sessions) server-side, then forget the cookie (the caller
    commits)."""
    token = session.get(TOKEN)
    if everywhere and current_user.is_authenticated:
        login_sessions.end_all(db.session, current_user.id)
    elif isinstance(token, str):
        login_sessions.end(db.session, token)
    logout_user()
    session.clear()
    g.pop("csrf_token", None)

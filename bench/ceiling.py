"""The stack ceiling (issue 14 item 1): the least a declaration submission can cost on this stack, by the leanest
reasonable means. The benchmark's own app, never part of yks_web; bench/run.py serves it with its own gunicorn
(the app server's worker count and class, the next port) beside the app's server, for each database.

    gunicorn … 'bench.ceiling:app'

`POST /declare/org/<org>/person/<person>` takes the request the app's submissions take (the same session cookie,
CSRF token and form body, on another port) and does, per request:

  * the session cookie: one itsdangerous check of Flask's signed cookie with the app's SECRET_KEY (the same salt,
    key derivation and serializer as Flask's session), then the idle stamp the cookie carries (auth_setup);
  * the CSRF token: one itsdangerous check of the posted token, compared with the session's raw token (what
    Flask-WTF's validate_csrf does);
  * the form body, parsed by Werkzeug, its answers turned into column values as the floor (bench/serve.py) does;
  * ONE round trip: an `INSERT INTO declaration (…) SELECT … FROM login_session WHERE <the cookie's session is
    live> RETURNING id`, so the login session's check (Flask-Login's user loader) costs no statement of its own.
    PostgreSQL: psycopg 3, prepared once per connection (prepare=True), autocommit: the INSERT is its own durable
    transaction (synchronous_commit as the server has it). SQLite: the standard library's sqlite3 (its statement
    cache prepares it), the app's pragmas (WAL, synchronous=NORMAL, busy timeout), the INSERT then COMMIT. One
    connection per worker process, opened at its first request (after gunicorn's fork);
  * 303 to /declare/done/<id>, as the app answers.

What it skips, and the app does not: the Person row itself (only the session's row is checked, inside the INSERT),
Flask-Login's session-protection identifier, the organisation, membership, deadline, report and replay checks,
WTForms' validation of every answer (this only requires the NOT NULL text answers; an empty or over-long form_key is
replaced by a fresh one, as the app does), the previous declaration (`changed` is always false), SQLAlchemy,
templates, and Flask's session and CSRF extensions (the checks above are written out). A replayed form_key answers
409, a missing or ended session 403, a bad token or form 400, a database gone (or SQLite locked past its busy
timeout) 503. The rows it inserts are valid rows of the app's schema (source 'self': only the session's own person
may post).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import sqlite3
import uuid
from datetime import timedelta

import psycopg
from flask import Flask, Response, request
from flask.json.tag import TaggedJSONSerializer
from itsdangerous import BadData, URLSafeTimedSerializer

from yks_web import clock, sqlite_tuning
from yks_web.config import SESSION_ABSOLUTE_HOURS, SESSION_IDLE_HOURS
from yks_web.forms.declaration import BOOL_FIELDS
from yks_web.models.declaration import ANSWER_FIELDS
from yks_web.services import login_sessions

ABSOLUTE = timedelta(hours=float(os.environ.get("YKS_SESSION_ABSOLUTE_HOURS", SESSION_ABSOLUTE_HOURS)))
IDLE = timedelta(hours=float(os.environ.get("YKS_SESSION_IDLE_HOURS", SESSION_IDLE_HOURS)))
COOKIE = "session"  # Flask's SESSION_COOKIE_NAME, which the app leaves as it is
REQUIRED = ("nationality", "household_region", "location_province", "location_city", "health_status")

COLUMNS = ("organisation_id", "person_id", "day", "actor_id", "source", "changed", "form_key", "created_at",
           *ANSWER_FIELDS)


def _statement(mark) -> str:
    """The INSERT…SELECT: a declaration row only if the cookie's login session is live (one statement)."""
    values = ", ".join("login_session.person_id" if c == "actor_id" else mark(c) for c in COLUMNS)
    return (f"INSERT INTO declaration ({', '.join(COLUMNS)}) SELECT {values} FROM login_session "
            f"WHERE login_session.token_hash = {mark('token_hash')} AND login_session.person_id = {mark('actor_id')} "
            f"AND login_session.created_at > {mark('oldest')} RETURNING id")


CASTS = {"day": "date", "created_at": "timestamp", "oldest": "timestamp", "temperature": "numeric"}
PG_INSERT = _statement(lambda c: f"%({c})s" + (f"::{CASTS[c]}" if c in CASTS else ""))
SQLITE_INSERT = _statement(lambda c: f":{c}")

app = Flask(__name__)  # no secret_key: Flask opens no session of its own; the cookie is read below
_connection = None
DATABASE_URL, SQLITE = "", False
COOKIE_SERIALIZER: URLSafeTimedSerializer | None = None
CSRF_SERIALIZER: URLSafeTimedSerializer | None = None


def configure(secret_key: str, database_url: str) -> None:
    """The app's SECRET_KEY and database (the server's environment, read at import; a test passes its own)."""
    global DATABASE_URL, SQLITE, COOKIE_SERIALIZER, CSRF_SERIALIZER
    DATABASE_URL, SQLITE = database_url, database_url.startswith("sqlite:///")
    # Flask's signed session cookie (flask.sessions.SecureCookieSessionInterface) and Flask-WTF's CSRF token.
    COOKIE_SERIALIZER = URLSafeTimedSerializer(
        secret_key, salt="cookie-session", serializer=TaggedJSONSerializer(),
        signer_kwargs={"key_derivation": "hmac", "digest_method": hashlib.sha1},
    )
    CSRF_SERIALIZER = URLSafeTimedSerializer(secret_key, salt="wtf-csrf-token")
    close()


def close() -> None:
    global _connection
    if _connection is not None:
        _connection.close()
        _connection = None


if os.environ.get("SECRET_KEY") and os.environ.get("DATABASE_URL"):
    configure(os.environ["SECRET_KEY"], os.environ["DATABASE_URL"])


def _connect():
    if SQLITE:
        conn = sqlite3.connect(DATABASE_URL.removeprefix("sqlite:///"), timeout=10)
        sqlite_tuning._tune(conn, None)  # the app's pragmas, from the app's own module
        return conn
    return psycopg.connect(DATABASE_URL.replace("+psycopg", ""), autocommit=True)


def _insert(values: dict) -> int | None:
    """The one round trip; the new row's id, or None when the session is not live."""
    global _connection
    if _connection is None:
        _connection = _connect()
    if not SQLITE:
        try:
            row = _connection.execute(PG_INSERT, values, prepare=True).fetchone()
        except psycopg.OperationalError:
            _connection = None  # the server went away: a new connection at the next request
            raise
        return row[0] if row else None
    try:
        row = _connection.execute(SQLITE_INSERT, values).fetchone()
        _connection.commit()
    except sqlite3.Error:
        _connection.rollback()
        raise
    return row[0] if row else None


@app.get("/healthz")
def healthz():
    return "ok"


@app.post("/declare/org/<int:org_id>/person/<int:person_id>")
def submit(org_id: int, person_id: int):
    if COOKIE_SERIALIZER is None or CSRF_SERIALIZER is None:
        return Response(status=503)  # started without the app's SECRET_KEY and DATABASE_URL
    try:
        session = COOKIE_SERIALIZER.loads(request.cookies.get(COOKIE, ""), max_age=int(ABSOLUTE.total_seconds()))
    except BadData:
        return Response(status=403)
    user, token, seen = session.get("_user_id"), session.get("_sid"), session.get("_seen")
    if user != str(person_id) or not isinstance(token, str) or not isinstance(seen, int):
        return Response(status=403)  # another's declaration (the app's proxies) is not the ceiling's work
    utc_now = clock.utcnow()
    if login_sessions.stamp(utc_now) - seen > IDLE.total_seconds():
        return Response(status=403)
    form = request.form
    try:
        posted = CSRF_SERIALIZER.loads(form.get("csrf_token", ""))
    except BadData:
        return Response(status=400)
    if not isinstance(posted, str) or not hmac.compare_digest(session.get("csrf_token", ""), posted):
        return Response(status=400)
    values = {name: (form.get(name) == "yes") if name in BOOL_FIELDS else (form.get(name) or None)
              for name in ANSWER_FIELDS}
    values["remarks"] = values["remarks"] or ""
    today = clock.now().date()
    day = {"today": today, "yesterday": today - timedelta(days=1)}.get(form.get("day", "today"))
    if day is None or any(values[name] is None for name in REQUIRED):
        return Response(status=400)
    form_key = form.get("form_key") or ""
    values |= {
        "organisation_id": org_id, "person_id": person_id, "actor_id": person_id, "day": day, "source": "self",
        "changed": False, "form_key": form_key if 0 < len(form_key) <= 64 else uuid.uuid4().hex,
        "created_at": utc_now, "token_hash": login_sessions.token_hash(token), "oldest": utc_now - ABSOLUTE,
    }
    if SQLITE:  # stored as SQLAlchemy stores them on SQLite: ISO text
        values |= {"day": day.isoformat(), "created_at": utc_now.isoformat(" ", "microseconds"),
                   "oldest": values["oldest"].isoformat(" ", "microseconds")}
    try:
        new_id = _insert(values)
    except psycopg.errors.UniqueViolation:
        return Response(status=409)  # the form_key was posted before
    except sqlite3.IntegrityError as exc:
        return Response(status=409 if "UNIQUE" in str(exc) else 400)
    except (psycopg.errors.IntegrityError, psycopg.errors.DataError):
        return Response(status=400)
    except (psycopg.OperationalError, sqlite3.OperationalError):
        return Response(status=503)  # the database is gone, or SQLite stayed locked past the busy timeout
    if new_id is None:
        return Response(status=403)  # logged out, or the session outlived its absolute lifetime
    return Response(status=303, headers={"Location": f"/declare/done/{new_id}"})

"""Login sessions (SPEC I4a, issue 8 item 4): started at login, ended by logout, bounded in time.

A session is a LoginSession row plus what the signed cookie carries: the person id, a random token
(stored here only as its SHA-256) and when the person was last seen. Every app node checks the same row,
so logout on one node is logout on all. The idle stamp lives in the signed cookie, so no request has to
write to the database to stay logged in; the absolute lifetime is the row's age.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from functools import cache

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from yks_web.models.people import Person
from yks_web.models.sessions import LoginSession

# How often the idle stamp in the cookie is renewed: a finer stamp only rewrites cookies more often.
SEEN_GRANULARITY = 60


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def stamp(utc_now: datetime) -> int:
    """The idle stamp the cookie carries: whole seconds since the epoch of a naive UTC time."""
    return int(utc_now.replace(tzinfo=UTC).timestamp())


def start(session: Session, person_id: int, utc_now: datetime, absolute: timedelta) -> str:
    """A new session for `person_id`; returns the token for the cookie. The person's sessions that have
    outlived `absolute` are deleted on the way, so the table holds live sessions only."""
    session.execute(
        delete(LoginSession).where(LoginSession.person_id == person_id, LoginSession.created_at <= utc_now - absolute)
    )
    token = secrets.token_urlsafe(32)
    session.add(LoginSession(person_id=person_id, token_hash=token_hash(token), created_at=utc_now))
    session.flush()
    return token


def live_person(
    session: Session, person_id: int, token: str, seen: int, utc_now: datetime, *, absolute: timedelta, idle: timedelta
) -> Person | None:
    """The person whose live session `token` names, in one SELECT; None when the session was ended, is
    older than `absolute`, or was last seen (`seen`, the cookie's stamp) longer than `idle` ago."""
    if stamp(utc_now) - seen > idle.total_seconds():
        return None
    return session.scalar(
        _live_person_query(), {"person_id": person_id, "token_hash": token_hash(token), "since": utc_now - absolute}
    )


@cache
def _live_person_query():
    """Built once: every logged-in request runs it, and building a select costs more than running this one
    (issue 14 item 4)."""
    return (
        select(Person)
        .join(LoginSession, LoginSession.person_id == Person.id)
        .where(
            Person.id == bindparam("person_id"),
            LoginSession.token_hash == bindparam("token_hash"),
            LoginSession.created_at > bindparam("since"),
        )
    )


def end(session: Session, token: str) -> None:
    """退出登录: this session only."""
    session.execute(delete(LoginSession).where(LoginSession.token_hash == token_hash(token)))


def end_all(session: Session, person_id: int) -> int:
    """退出所有设备: every session of the person, on every device; returns how many were live."""
    return session.execute(delete(LoginSession).where(LoginSession.person_id == person_id)).rowcount

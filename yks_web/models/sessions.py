"""Login sessions: one row per login, so logout ends a session on every app node (SPEC I4a, issue 8 item 4)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from yks_web.clock import utcnow
from yks_web.extensions import db


class LoginSession(db.Model):
    """A live login. The cookie carries a random token; only its SHA-256 is stored, so a copy of the
    database opens no session. Logout deletes the row; a cookie naming a deleted row is anonymous."""

    __tablename__ = "login_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

"""Rate-limit events: one row per counted attempt (identity look-ups, code resolves; SPEC I3, O8)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from yks_web.clock import utcnow
from yks_web.extensions import db


class RateEvent(db.Model):
    __tablename__ = "rate_event"
    __table_args__ = (Index("ix_rate_event_kind_key_at", "kind", "key", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    key: Mapped[str] = mapped_column(String(64))  # a keyed hash: no address or account in clear
    at: Mapped[datetime] = mapped_column(default=utcnow)

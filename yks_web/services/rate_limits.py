"""Counted attempts per account and per address (SPEC I3, O8, issue 8 item 3).

`hit` locks the key, counts the window and records the attempt in one unit of work, so parallel
requests cannot all pass a limit of N (check-then-insert under the lock, see services/locks.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from yks_web.i18n import N_, gettext
from yks_web.models.security import RateEvent
from yks_web.privacy import lookup_hash
from yks_web.services.errors import DomainError
from yks_web.services.locks import lock_key

TOO_MANY = N_("操作过于频繁，请稍后再试")


class RateLimited(DomainError):
    pass


@dataclass(frozen=True)
class Limit:
    kind: str
    count: int
    window: timedelta
    message: str = TOO_MANY


def hit(session: Session, limit: Limit, keys: list[str], now: datetime) -> None:
    """Count one attempt against every key (e.g. ["person:12", "ip:1.2.3.4"]); raise when over.

    `now` is naive UTC. Keys are stored as keyed hashes. Nothing is recorded when refused, so a
    refused burst does not extend the wait.
    """
    hashed = [lookup_hash("rate", limit.kind, key) for key in keys]
    for key in sorted(hashed):  # one order, so two requests never wait on each other crosswise
        lock_key(session, limit.kind, key)
    since = now - limit.window
    counts = dict(
        session.execute(
            select(RateEvent.key, func.count())
            .where(RateEvent.kind == limit.kind, RateEvent.key.in_(hashed), RateEvent.at > since)
            .group_by(RateEvent.key)
        ).all()
    )
    if any(counts.get(key, 0) >= limit.count for key in hashed):
        raise RateLimited(gettext(limit.message))  # a limit's message is an N_-marked constant
    session.add_all(RateEvent(kind=limit.kind, key=key, at=now) for key in hashed)
    session.flush()


def prune(session: Session, before: datetime) -> int:
    """Forget attempts older than every window (an operator's periodic clean-up)."""
    return session.execute(delete(RateEvent).where(RateEvent.at < before)).rowcount

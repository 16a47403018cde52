"""站内消息 (issue 12 item 3): send to many in one statement, read the unread, mark them read."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from yks_web.models.messages import KINDS, Message

TEXT_MAX = 200


def send(session: Session, person_ids: Iterable[int], kind: str, text: str, utc_now: datetime) -> int:
    """One message per person (one INSERT for all of them); the caller commits. Returns how many."""
    if kind not in KINDS:
        raise ValueError(f"unknown message kind {kind!r}")
    rows = [{"person_id": pid, "kind": kind, "text": text[:TEXT_MAX], "created_at": utc_now}
            for pid in dict.fromkeys(person_ids)]
    if rows:
        session.execute(insert(Message), rows)
    return len(rows)


def unread(session: Session, person_id: int, limit: int = 20) -> list[Message]:
    """The person's unread messages, newest first."""
    return list(session.scalars(
        select(Message).where(Message.person_id == person_id, Message.read_at.is_(None))
        .order_by(Message.created_at.desc(), Message.id.desc()).limit(limit)
    ))


def mark_read(session: Session, person_id: int, utc_now: datetime) -> int:
    """知道了: every unread message of this person (only theirs) is read."""
    return session.execute(
        update(Message).where(Message.person_id == person_id, Message.read_at.is_(None)).values(read_at=utc_now)
    ).rowcount

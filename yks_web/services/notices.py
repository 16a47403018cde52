"""代申报通知 (SPEC P10, I5; issue 8 item 2): a person is told each time someone else declares in their name.

School declarations by a 代填人 ("proxy"), by the collector (代填报 / 代他人申报: "collector", 快速填充:
"quickfill") and 健康申报 by a family owner ("family"). A person's own submissions write nothing, so
their declaration keeps its statement count; a list (quick-fill) is one INSERT.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session, joinedload

from yks_web.models.consent import DeclarationNotice
from yks_web.models.school import Organisation


def declared_for(
    session: Session,
    *,
    person_id: int,
    actor_id: int,
    kind: str,
    source: str,
    utc_now: datetime,
    organisation_id: int | None = None,
    day: date | None = None,
) -> DeclarationNotice | None:
    """Add the notice to the unit of work (flushed with the declaration); nothing for one's own."""
    if person_id == actor_id:
        return None
    notice = DeclarationNotice(
        person_id=person_id, actor_id=actor_id, kind=kind, source=source, organisation_id=organisation_id,
        day=day, created_at=utc_now,
    )
    session.add(notice)
    return notice


def declared_for_many(
    session: Session,
    *,
    person_ids: Iterable[int],
    actor_id: int,
    kind: str,
    source: str,
    utc_now: datetime,
    organisation_id: int | None = None,
    day: date | None = None,
) -> int:
    """One notice per person in a single INSERT; returns how many."""
    rows = [
        {"person_id": person_id, "actor_id": actor_id, "kind": kind, "source": source,
         "organisation_id": organisation_id, "day": day, "created_at": utc_now, "read_at": None}
        for person_id in dict.fromkeys(person_ids)
        if person_id != actor_id
    ]
    if rows:
        session.execute(insert(DeclarationNotice), rows)
    return len(rows)


def unread_count(session: Session, person_id: int) -> int:
    return session.scalar(
        select(func.count()).where(DeclarationNotice.person_id == person_id, DeclarationNotice.read_at.is_(None))
    )


def latest(session: Session, person_id: int, limit: int = 100) -> list[DeclarationNotice]:
    """Newest first, with the actor and the organisation (and its school) in the same query."""
    return list(
        session.scalars(
            select(DeclarationNotice)
            .options(
                joinedload(DeclarationNotice.actor),
                joinedload(DeclarationNotice.organisation).joinedload(Organisation.school),
            )
            .where(DeclarationNotice.person_id == person_id)
            .order_by(DeclarationNotice.created_at.desc(), DeclarationNotice.id.desc())
            .limit(limit)
        )
    )


def mark_read(session: Session, person_id: int, utc_now: datetime) -> int:
    """全部标为已读: only this person's notices."""
    return session.execute(
        update(DeclarationNotice)
        .where(DeclarationNotice.person_id == person_id, DeclarationNotice.read_at.is_(None))
        .values(read_at=utc_now)
    ).rowcount

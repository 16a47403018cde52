"""The audit log of reads (SPEC P6, P10): who read whose data, in which role, for what.

A list screen writes one row per person shown in a single INSERT (executemany → one statement),
so its query count does not grow with the list.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import insert
from sqlalchemy.orm import Session

from yks_web.models.people import AuditLog


def record(
    session: Session,
    *,
    actor_id: int,
    role: str,
    action: str,
    subject_ids: Iterable[int],
    utc_now: datetime,
    organisation_id: int | None = None,
    context: str = "",
) -> int:
    """One audit row per subject (people reading their own data are not recorded); returns the count."""
    rows = [
        {
            "actor_id": actor_id, "role": role, "action": action, "subject_id": subject_id,
            "organisation_id": organisation_id, "context": context[:100], "created_at": utc_now,
        }
        for subject_id in dict.fromkeys(subject_ids)
        if subject_id != actor_id
    ]
    if rows:
        session.execute(insert(AuditLog), rows)
    return len(rows)

"""Rows of a person's history tables, newest first (我的粤康码, H4)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from yks_web.models.health import ObservationNotice, TemperatureCheck

_NEWEST = {
    TemperatureCheck: TemperatureCheck.checked_at,
    ObservationNotice: ObservationNotice.issued_at,
}


def records_of(session: Session, model, person_id: int, limit: int = 100) -> list:
    return list(
        session.scalars(
            select(model).where(model.person_id == person_id).order_by(_NEWEST[model].desc(), model.id.desc())
            .limit(limit)
        )
    )

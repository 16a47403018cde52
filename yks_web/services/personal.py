"""健康申报 of 粤康码 (SPEC H4): a person's own declaration, idempotent, kept as history."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from yks_web.i18n import gettext
from yks_web.models.health import PersonalDeclaration
from yks_web.services import notices
from yks_web.services.errors import DomainError

FIELDS = (
    "location_province", "location_city", "temperature", "temperature_band",
    "has_symptoms", "risk_travel", "contact_case", "remarks",
)


def submit(
    session: Session, *, person_id: int, actor_id: int, answers: Mapping, form_key: str, utc_now: datetime
) -> PersonalDeclaration:
    existing = session.scalar(select(PersonalDeclaration).where(PersonalDeclaration.form_key == form_key))
    if existing is not None:
        if existing.person_id != person_id:
            raise DomainError(gettext("表单已失效，请重新填写"))
        return existing
    declaration = PersonalDeclaration(
        person_id=person_id, actor_id=actor_id, form_key=form_key, created_at=utc_now,
        **{name: answers[name] for name in FIELDS},
    )
    try:
        with session.begin_nested():
            session.add(declaration)
            # A family owner declared in this person's name: they are told (P10, issue 8 item 2).
            notices.declared_for(session, person_id=person_id, actor_id=actor_id, kind="personal", source="family",
                                 utc_now=utc_now)
    except IntegrityError:  # the same form twice at once: keep the first
        return session.scalars(select(PersonalDeclaration).where(PersonalDeclaration.form_key == form_key)).one()
    return declaration


def history(session: Session, person_id: int, limit: int = 100) -> list[PersonalDeclaration]:
    return list(
        session.scalars(
            select(PersonalDeclaration)
            .where(PersonalDeclaration.person_id == person_id)
            .order_by(PersonalDeclaration.created_at.desc(), PersonalDeclaration.id.desc())
            .limit(limit)
        )
    )

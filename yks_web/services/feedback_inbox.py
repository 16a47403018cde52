"""帮助与反馈 for the operators (issue 16 item 2): what people reported from 个人中心, newest first, with the
【注销账号申请】 of those whose roles only an operator can end (services/account_deletion_plan.request_deletion).

One statement whatever the number of rows: each row with its sender's masked name, masked ID and phone. The
operator reads people's data here, so the caller audits the senders shown (SPEC P6).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from yks_web.models.people import Feedback, Person
from yks_web.privacy import mask_name, mask_phone
from yks_web.services.account_deletion_plan import REQUEST_PREFIX

SHOWN = 100  # the newest rows on the page


@dataclass(frozen=True)
class Row:
    person_id: int
    name: str  # masked
    id_masked: str
    phone: str  # masked, "" when none
    text: str
    created_at: datetime  # naive UTC
    deletion_request: bool


def latest(session: Session, limit: int = SHOWN) -> list[Row]:
    rows = session.execute(
        select(Feedback.person_id, Person.name, Person.id_masked, Person.phone, Feedback.text, Feedback.created_at)
        .join(Person, Person.id == Feedback.person_id)
        .order_by(Feedback.created_at.desc(), Feedback.id.desc())
        .limit(limit)
    ).all()
    return [
        Row(person_id=pid, name=mask_name(name), id_masked=id_masked, phone=mask_phone(phone) if phone else "",
            text=text, created_at=at, deletion_request=text.startswith(REQUEST_PREFIX))
        for pid, name, id_masked, phone, text, at in rows
    ]

"""家庭成员 (SPEC H3): show a child's or an elder's code from one's own phone. No fixed limit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from yks_web.models.health import RELATIONS, FamilyMember
from yks_web.services.errors import DomainError
from yks_web.services.identity import Identity, IdentityMismatch, find_or_create_person


class FamilyError(DomainError):
    pass


def members(session: Session, owner_id: int) -> list[FamilyMember]:
    return list(
        session.scalars(
            select(FamilyMember)
            .options(joinedload(FamilyMember.member))
            .where(FamilyMember.owner_id == owner_id, FamilyMember.active.is_(True))
            .order_by(FamilyMember.id)
        )
    )


def add(session: Session, owner_id: int, identity: Identity, relation: str, utc_now: datetime) -> FamilyMember:
    """添加家庭成员 by identity; adding someone already there is not a second row."""
    if relation not in RELATIONS:
        raise FamilyError("请选择与本人关系")
    try:
        person = find_or_create_person(session, identity)
    except IdentityMismatch as exc:
        raise FamilyError(exc.message) from exc
    if person.id == owner_id:
        raise FamilyError("不能添加本人为家庭成员")
    row = session.scalar(
        select(FamilyMember).where(FamilyMember.owner_id == owner_id, FamilyMember.member_id == person.id)
    )
    if row is None:
        row = FamilyMember(owner_id=owner_id, member_id=person.id, relation=relation, created_at=utc_now)
        session.add(row)
    elif row.active:
        raise FamilyError(f"{person.name}已是您的家庭成员")
    row.active = True
    row.relation = relation
    session.flush()
    return row


def remove(session: Session, owner_id: int, family_member_id: int) -> FamilyMember | None:
    row = session.get(FamilyMember, family_member_id)
    if row is None or row.owner_id != owner_id or not row.active:
        return None
    row.active = False
    return row


def may_show(session: Session, viewer_id: int, person_id: int) -> bool:
    """Whose code the viewer may show: their own, or an active family member's (P7)."""
    if viewer_id == person_id:
        return True
    return (
        session.scalar(
            select(FamilyMember.id).where(
                FamilyMember.owner_id == viewer_id,
                FamilyMember.member_id == person_id,
                FamilyMember.active.is_(True),
            )
        )
        is not None
    )

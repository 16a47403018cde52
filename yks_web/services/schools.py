"""Schools and the roll-up a school admin sees (SPEC W1, W11)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from yks_web.models import Collector, DailyReport, Declaration, Membership, Organisation, School
from yks_web.models.school import SCHOOL_TYPES, Invite
from yks_web.services import invites
from yks_web.services.errors import DomainError


class SchoolError(DomainError):
    pass


def create_school(
    session: Session, *, name: str, school_type: str, region: str, utc_now: datetime
) -> tuple[School, Invite]:
    """A school and the invite link for its first admin."""
    name, region = name.strip(), region.strip()
    if not name or len(name) > 100:
        raise SchoolError("学校名称应为1–100个字")
    if school_type not in SCHOOL_TYPES:
        raise SchoolError("学校类型应为：" + "、".join(SCHOOL_TYPES))
    if not region or len(region) > 100:
        raise SchoolError("地区应为1–100个字")
    school = School(name=name, school_type=school_type, region=region, created_at=utc_now)
    session.add(school)
    session.flush()
    invite = invites.create(session, kind="school_admin", school_id=school.id, utc_now=utc_now)
    return school, invite


def organisation_rows(session: Session, school_id: int, day: date) -> list[dict]:
    """Every organisation with joined count, declared that day and report state: 4 queries."""
    orgs = session.scalars(
        select(Organisation)
        .options(joinedload(Organisation.collector).joinedload(Collector.person))
        .where(Organisation.school_id == school_id)
        .order_by(Organisation.id)
    ).all()
    joined = dict(
        session.execute(
            select(Membership.organisation_id, func.count())
            .join(Organisation, Organisation.id == Membership.organisation_id)
            .where(Organisation.school_id == school_id, Membership.active.is_(True))
            .group_by(Membership.organisation_id)
        ).all()
    )
    declared = dict(
        session.execute(
            select(Declaration.organisation_id, func.count(func.distinct(Declaration.person_id)))
            .join(Organisation, Organisation.id == Declaration.organisation_id)
            .join(
                Membership,
                (Membership.organisation_id == Declaration.organisation_id)
                & (Membership.person_id == Declaration.person_id)
                & Membership.active.is_(True),
            )
            .where(Organisation.school_id == school_id, Declaration.day == day)
            .group_by(Declaration.organisation_id)
        ).all()
    )
    submitted = set(
        session.scalars(
            select(DailyReport.organisation_id)
            .join(Organisation, Organisation.id == DailyReport.organisation_id)
            .where(Organisation.school_id == school_id, DailyReport.day == day)
        )
    )
    return [
        {
            "org": org,
            "joined": joined.get(org.id, 0),
            "declared": declared.get(org.id, 0),
            "submitted": org.id in submitted,
        }
        for org in orgs
    ]

"""Schools (SPEC W1). The day a school admin sees is org_day.of_school (W11, issue 9 item 1)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from yks_web.i18n import gettext
from yks_web.models import School
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
        raise SchoolError(gettext("学校名称应为1–100个字"))
    if school_type not in SCHOOL_TYPES:
        types = gettext("、").join(gettext(t) for t in SCHOOL_TYPES)
        raise SchoolError(gettext("学校类型应为：%(types)s", types=types))
    if not region or len(region) > 100:
        raise SchoolError(gettext("地区应为1–100个字"))
    school = School(name=name, school_type=school_type, region=region, created_at=utc_now)
    session.add(school)
    session.flush()
    invite = invites.create(session, kind="school_admin", school_id=school.id, utc_now=utc_now)
    return school, invite


"""组织机构管理员 (SPEC O1, O8; guide 二 (一) 1, FAQ (三) 2): bind one institution, 修改信息 once a week.

One admin ↔ one institution both ways: the schema's unique `Institution.admin_id`, so a double tap or two tabs
binding at once end with one institution, never two and never a 500. The 组织机构申报码 is made at once and
never changes; a collision with an existing code (1 in 10⁹ per code) is retried with a fresh one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from yks_web.i18n import gettext
from yks_web.models.institution import Institution
from yks_web.services import share_codes, weekly_edits
from yks_web.services.errors import DomainError
from yks_web.services.locks import lock_row

CODE_ATTEMPTS = 5


@dataclass(frozen=True)
class Details:
    """What the 绑定 and 修改信息 forms give (address only at binding: the FAQ's 修改范围 has no address)."""

    name: str
    level: str
    phone: str
    address: str = ""


def of_admin(session: Session, person_id: int) -> Institution | None:
    """The one institution `person_id` administers, if any."""
    return session.scalar(select(Institution).where(Institution.admin_id == person_id))


def register(session: Session, admin_id: int, details: Details, utc_now: datetime) -> Institution:
    """绑定组织机构: the admin's institution with a fresh 申报码; the one already bound when there is one
    (a double tap, another tab). The caller commits."""
    existing = of_admin(session, admin_id)
    if existing is not None:
        return existing
    for _ in range(CODE_ATTEMPTS):
        institution = Institution(
            code=share_codes.generate("institution"), name=details.name, address=details.address,
            level=details.level, admin_id=admin_id, created_at=utc_now,
        )
        institution.set_phone(details.phone)
        try:
            with session.begin_nested():
                session.add(institution)
        except IntegrityError:
            existing = of_admin(session, admin_id)  # the twin request committed first: its institution stands
            if existing is not None:
                return existing
            continue  # the code was taken: draw another
        return institution
    raise DomainError(gettext("申报码生成失败，请稍后重试"))


def edit_opens(institution: Institution, local_now: datetime) -> date | None:
    """None when 修改信息 is allowed now; else the Monday it opens again."""
    return weekly_edits.next_edit_day(institution.edited_at, local_now)


def edit(session: Session, institution: Institution, details: Details, *, utc_now: datetime,
         local_now: datetime) -> bool:
    """修改信息 (行政归属层级, 组织机构名称, 管理员手机号), at most once per natural week; the code stays. Saving the
    form unchanged edits nothing and does not use up the week (returns False), as for a place."""
    lock_row(session, Institution, institution.id)  # two tabs saving at once: the second sees the first's edit
    session.refresh(institution)
    if (institution.name, institution.level, institution.phone) == (details.name, details.level, details.phone):
        return False
    opens = edit_opens(institution, local_now)
    if opens is not None:
        raise DomainError(weekly_edits.refusal(opens))
    institution.name, institution.level = details.name, details.level
    institution.set_phone(details.phone)
    institution.edited_at = utc_now
    session.flush()
    return True

"""组织机构成员 (SPEC O1, O8; guide 二 (一) 2): bind by 组织机构申报码, the list, 解绑, and the day's declaration.

One member may bind many institutions; MAX_INSTITUTIONS caps one person's bindings at a number no real
member reaches, so a stolen account cannot bind every code it guesses. A well-formed code counts against
share_codes' limits before it is looked up (counted_code; the caller commits even when refused, so attempts count).

The declaration is the member's personal health declaration (services/personal: it is in their own
健康申报历史) with the institution's other fields: 当前是否在岗 and 工作地点. It belongs to the local day it
was made on; a later one the same day supersedes it for the admin's counts, and both are kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from yks_web.i18n import N_, gettext
from yks_web.models.institution import Institution, InstitutionDeclaration, InstitutionMember
from yks_web.services import personal, share_codes
from yks_web.services.errors import DomainError

MAX_INSTITUTIONS = 50
UNKNOWN_CODE = N_("组织机构申报码不存在，请向组织机构管理员确认后重新输入")


class BindRefused(DomainError):
    pass


def binding(session: Session, institution_id: int, person_id: int) -> InstitutionMember | None:
    """The member's active binding to this institution."""
    return session.scalar(
        select(InstitutionMember).where(
            InstitutionMember.institution_id == institution_id, InstitutionMember.person_id == person_id,
            InstitutionMember.active.is_(True),
        )
    )


@dataclass(frozen=True)
class Bound:
    """A line of 绑定组织机构管理: the institution and whether the member declared for it today."""

    institution: Institution
    declared_today: bool


def bound_institutions(session: Session, person_id: int, today: date) -> list[Bound]:
    """The member's bound institutions in binding order, each with today's 已申报/未申报 (one query)."""
    declared = (
        select(InstitutionDeclaration.id)
        .where(InstitutionDeclaration.institution_id == InstitutionMember.institution_id,
               InstitutionDeclaration.person_id == person_id, InstitutionDeclaration.day == today)
        .exists()
    )
    rows = session.execute(
        select(InstitutionMember, declared.label("declared"))
        .options(joinedload(InstitutionMember.institution))
        .where(InstitutionMember.person_id == person_id, InstitutionMember.active.is_(True))
        .order_by(InstitutionMember.bound_at, InstitutionMember.id)
    ).all()
    return [Bound(row[0].institution, bool(row.declared)) for row in rows]


def bind(session: Session, person_id: int, institution: Institution, utc_now: datetime) -> InstitutionMember:
    """Bind (or bind again) `person_id` to `institution`; the caller commits."""
    member = session.scalar(
        select(InstitutionMember).where(
            InstitutionMember.institution_id == institution.id, InstitutionMember.person_id == person_id
        )
    )
    if member is not None and member.active:
        return member
    bound = session.scalar(
        select(func.count()).select_from(InstitutionMember)
        .where(InstitutionMember.person_id == person_id, InstitutionMember.active.is_(True))
    )
    if bound >= MAX_INSTITUTIONS:
        raise BindRefused(
            gettext("一个成员最多绑定%(num)d个组织机构，请先解绑不再需要申报的组织机构", num=MAX_INSTITUTIONS)
        )
    if member is not None:
        member.active, member.bound_at, member.ended_at = True, utc_now, None
        session.flush()
        return member
    member = InstitutionMember(institution_id=institution.id, person_id=person_id, bound_at=utc_now)
    try:
        with session.begin_nested():
            session.add(member)
    except IntegrityError:  # a double tap's twin bound first: that binding stands
        return session.scalars(
            select(InstitutionMember).where(
                InstitutionMember.institution_id == institution.id, InstitutionMember.person_id == person_id
            )
        ).one()
    return member


def bind_by_code(session: Session, person_id: int, typed: str, *, address: str,
                 utc_now: datetime) -> InstitutionMember:
    """绑定组织机构 by the 组织机构申报码: counted, then checked (kind, existence), then bound."""
    try:
        code = share_codes.counted_code(session, typed, "institution", person_id=person_id, address=address,
                                        utc_now=utc_now)
    except share_codes.CodeRefused as refused:
        raise BindRefused(refused.message) from None
    institution = session.scalar(select(Institution).where(Institution.code == code))
    if institution is None:
        raise BindRefused(gettext(UNKNOWN_CODE))
    return bind(session, person_id, institution, utc_now)


def unbind(session: Session, member: InstitutionMember, utc_now: datetime) -> None:
    """解绑: the row and the declarations stay for the institution's history."""
    member.active, member.ended_at = False, utc_now
    session.flush()


def declare(
    session: Session, *, institution_id: int, person_id: int, answers: Mapping, on_duty: bool, work_place: str,
    form_key: str, day: date, utc_now: datetime,
) -> InstitutionDeclaration:
    """提交: the personal declaration and the institution's fields of `day`; the same form twice is one."""
    own = personal.submit(session, person_id=person_id, actor_id=person_id, answers=answers, form_key=form_key,
                          utc_now=utc_now)
    found = session.scalar(select(InstitutionDeclaration).where(InstitutionDeclaration.personal_id == own.id))
    if found is not None:
        if found.institution_id != institution_id:
            raise DomainError(gettext("表单已失效，请重新填写"))
        return found
    row = InstitutionDeclaration(
        institution_id=institution_id, person_id=person_id, day=day, personal_id=own.id, on_duty=on_duty,
        work_place=work_place, created_at=utc_now,
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:  # the same form twice at once: keep the first
        return session.scalars(
            select(InstitutionDeclaration).where(InstitutionDeclaration.personal_id == own.id)
        ).one()
    return row


def own_declaration(session: Session, institution_id: int, person_id: int,
                    declaration_id: int) -> InstitutionDeclaration | None:
    """提交成功 shows the member's own declaration for this institution only."""
    return session.scalar(
        select(InstitutionDeclaration).options(joinedload(InstitutionDeclaration.personal))
        .where(and_(InstitutionDeclaration.id == declaration_id, InstitutionDeclaration.person_id == person_id,
                    InstitutionDeclaration.institution_id == institution_id))
    )

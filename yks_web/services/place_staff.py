"""公共场所检测员 bindings (SPEC O2, O8; FAQ 11): bind by 场所申报码, list, unbind.

One inspector may bind many places and a place many inspectors; MAX_PLACES caps one person's bindings
at a number no real guard reaches (a mall's gates are one place), so a stolen account cannot bind every
code it guesses. A well-formed code counts against share_codes' limits before it is looked up (counted_code).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from yks_web.i18n import N_, gettext
from yks_web.models.place import Place, PlaceHandover, PlaceStaff
from yks_web.services import share_codes
from yks_web.services.errors import DomainError

MAX_PLACES = 20
UNKNOWN_CODE = N_("场所申报码不存在，请向场所管理员确认后重新输入")


class BindRefused(DomainError):
    pass


def active_places(session: Session, person_id: int) -> list[PlaceStaff]:
    """我的场所 of an inspector: the active bindings with their places, in binding order (one query)."""
    return list(
        session.scalars(
            select(PlaceStaff).options(joinedload(PlaceStaff.place))
            .where(PlaceStaff.person_id == person_id, PlaceStaff.active.is_(True))
            .order_by(PlaceStaff.bound_at, PlaceStaff.id)
        )
    )


def inspectors(session: Session, place_id: int) -> list[PlaceStaff]:
    """成员管理: the place's active inspectors with their people (one query)."""
    return list(
        session.scalars(
            select(PlaceStaff).options(joinedload(PlaceStaff.person))
            .where(PlaceStaff.place_id == place_id, PlaceStaff.active.is_(True))
            .order_by(PlaceStaff.bound_at, PlaceStaff.id)
        )
    )


def bind(session: Session, person_id: int, place: Place, utc_now: datetime) -> PlaceStaff:
    """Bind (or bind again) `person_id` to `place`; the caller commits. Raises BindRefused over MAX_PLACES."""
    staff = session.scalar(select(PlaceStaff).where(PlaceStaff.place_id == place.id, PlaceStaff.person_id == person_id))
    if staff is not None and staff.active:
        return staff
    bound = session.scalar(
        select(func.count()).select_from(PlaceStaff)
        .where(PlaceStaff.person_id == person_id, PlaceStaff.active.is_(True))
    )
    if bound >= MAX_PLACES:
        raise BindRefused(gettext("一个检测员最多绑定%(num)d个场所，请先解除不再负责的场所", num=MAX_PLACES))
    if staff is None:
        staff = PlaceStaff(place_id=place.id, person_id=person_id, bound_at=utc_now)
        try:
            with session.begin_nested():  # added inside: a refused INSERT leaves nothing pending behind
                session.add(staff)
        except IntegrityError:  # a double tap's twin bound first: the unique (place, person) says so
            return session.scalar(
                select(PlaceStaff).where(PlaceStaff.place_id == place.id, PlaceStaff.person_id == person_id))
        return staff
    staff.active, staff.bound_at, staff.ended_at, staff.ended_by = True, utc_now, None, ""
    session.flush()
    return staff


def bind_by_code(session: Session, person_id: int, typed: str, *, address: str, utc_now: datetime) -> PlaceStaff:
    """绑定公共场所 by the 场所申报码 the admin shared: counted, then checked (kind, existence), then bound."""
    try:
        code = share_codes.counted_code(session, typed, "place", person_id=person_id, address=address,
                                        utc_now=utc_now)
    except share_codes.CodeRefused as refused:
        raise BindRefused(refused.message) from None
    place = session.scalar(select(Place).where(Place.code == code))
    if place is None:
        raise BindRefused(gettext(UNKNOWN_CODE))
    return bind(session, person_id, place, utc_now)


def unbind(session: Session, staff: PlaceStaff, by: str, utc_now: datetime) -> None:
    """解除绑定, by the inspector ("self") or the place admin ("admin"); the row stays for the place's history. An
    open 更换绑定 offer of the place to this inspector ends with the binding (nobody who left becomes its admin)."""
    staff.active, staff.ended_at, staff.ended_by = False, utc_now, by
    session.execute(
        update(PlaceHandover)
        .where(PlaceHandover.place_id == staff.place_id, PlaceHandover.to_id == staff.person_id,
               PlaceHandover.decided_at.is_(None))
        .values(decided_at=utc_now, outcome="cancelled")
    )

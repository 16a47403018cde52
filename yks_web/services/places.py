"""公共场所管理员 (SPEC O2; guide 二 (二) (1), FAQ (二) 1–8): create the one place, edit it once a week, hand it over.

One admin ↔ one place both ways (FAQ 4): `Place.admin_id` is unique, so a double tap or a race that gets
past the check here still cannot make a second place; it is answered with the place that won.
修改信息 is allowed once per natural week, Monday–Sunday in Asia/Shanghai (FAQ 6): `next_edit_day` is that
rule alone. 更换绑定 (FAQ 7) is an offer to one of the place's inspectors, pending 7 days, which the
recipient accepts or refuses; one pending offer per place, a new one replaces the old.
The 场所申报码 never changes (FAQ 3); a new 场所名称 retires the live 葵花码 (its name is printed on it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from yks_web.i18n import N_, gettext
from yks_web.models.people import Person
from yks_web.models.place import Place, PlaceHandover, PlaceStaff
from yks_web.services import access, place_posters, place_staff, share_codes, weekly_edits
from yks_web.services.errors import DomainError
from yks_web.services.locks import lock_row

HANDOVER_DAYS = 7
CODE_TRIES = 5
ACCEPTED, REFUSED, CANCELLED = "accepted", "refused", "cancelled"

ALREADY_ADMIN = N_("您已是其他公共场所的管理员，一个管理员只能绑定一个场所，无法接受更换绑定")
HANDOVER_GONE = N_("该更换绑定邀请已失效")
HANDOVER_SELF = N_("不能将场所管理员更换为自己")


class PlaceRefused(DomainError):
    """`message`: the refusal in the reader's language; `reason`: the N_ constant it says where a caller tells it
    apart (HANDOVER_GONE), compared as it is, never the translated message ("" for the others)."""

    def __init__(self, message: str, reason: str = ""):
        super().__init__(message)
        self.reason = reason


class AlreadyAdmin(DomainError):
    """The person administers a place already (one admin ↔ one place): `place` is theirs."""

    def __init__(self, place: Place):
        super().__init__(gettext("您已创建公共场所，一个管理员只能创建一个场所"))
        self.place = place


class NotAdmin(DomainError):
    """The actor is no longer the place's admin (a hand-over was accepted meanwhile): the screen answers 404."""

    def __init__(self):
        super().__init__(gettext("您不是本场所管理员"))


@dataclass(frozen=True)
class PlaceInfo:
    """What 创建公共场所 asks and 修改信息 may change (FAQ 6)."""

    area_code: str  # a town's 9 digits (services/areas)
    address: str
    kind: str
    name: str
    phone: str


# -- reading -----------------------------------------------------------------------------------------------


def admin_place(session: Session, person_id: int) -> Place | None:
    """The one place `person_id` administers (我的场所), or None."""
    return session.scalar(select(Place).where(Place.admin_id == person_id))


def active_staff(session: Session, place_id: int, staff_id: int) -> PlaceStaff | None:
    """One of the place's active inspectors, with the person (成员管理's actions), or None."""
    return session.scalar(
        select(PlaceStaff).options(joinedload(PlaceStaff.person))
        .where(PlaceStaff.id == staff_id, PlaceStaff.place_id == place_id, PlaceStaff.active.is_(True))
    )


# -- 修改信息: once per natural week ---------------------------------------------------------------------


def next_edit_day(edited_at_utc: datetime | None, local_now: datetime) -> date | None:
    """None when the place may be edited at `local_now`; else the Monday it opens again (services/weekly_edits)."""
    return weekly_edits.next_edit_day(edited_at_utc, local_now)


edit_refused_message = weekly_edits.refusal


# -- 创建公共场所 --------------------------------------------------------------------------------------------


def create(session: Session, admin_id: int, info: PlaceInfo, utc_now: datetime) -> Place:
    """创建公共场所 with its fixed 场所申报码 and its first 葵花码; the caller commits.

    Raises AlreadyAdmin when `admin_id` administers a place already, also when a twin request created it
    a moment ago (the unique admin_id).
    """
    lock_row(session, Person, admin_id)  # two taps of 【确认创建】 at once: the second waits and finds the first
    existing = admin_place(session, admin_id)
    if existing is not None:
        raise AlreadyAdmin(existing)
    for _ in range(CODE_TRIES):
        place = Place(code=share_codes.generate("place"), name=info.name, kind=info.kind, area_code=info.area_code,
                      address=info.address, admin_id=admin_id, created_at=utc_now)
        place.set_phone(info.phone)
        try:
            with session.begin_nested():
                session.add(place)
                session.flush()
        except IntegrityError:
            existing = admin_place(session, admin_id)
            if existing is not None:
                raise AlreadyAdmin(existing) from None
            continue  # the rare collision of a random code: draw another
        place_posters.issue(session, place, utc_now)
        return place
    raise PlaceRefused(gettext("创建失败，请稍后重试"))


# -- 修改信息 -----------------------------------------------------------------------------------------------


def edit(session: Session, place: Place, actor_id: int, info: PlaceInfo, *, utc_now: datetime,
         local_now: datetime) -> bool:
    """修改信息 (FAQ 6); the caller commits. Returns whether anything changed (an unchanged form uses no edit).

    Raises PlaceRefused (with the date it opens again) within the week of the last edit, NotAdmin when the
    actor handed the place over meanwhile. A new name retires the live 葵花码 and issues another.
    """
    lock_row(session, Place, place.id)
    session.refresh(place)  # what the lock holder committed (edited_at, admin_id)
    if place.admin_id != actor_id:
        raise NotAdmin()
    changed = (place.area_code, place.address, place.kind, place.name, place.phone) != (
        info.area_code, info.address, info.kind, info.name, info.phone)
    if not changed:
        return False
    opens = next_edit_day(place.edited_at, local_now)
    if opens is not None:
        raise PlaceRefused(edit_refused_message(opens))
    renamed = place.name != info.name
    place.area_code, place.address, place.kind, place.name = info.area_code, info.address, info.kind, info.name
    place.set_phone(info.phone)
    place.edited_at = utc_now
    session.flush()
    if renamed:
        place_posters.reissue(session, place, place_posters.RENAMED, utc_now)
    return True


def _lock_as_admin(session: Session, place: Place, actor_id: int | None) -> None:
    """Lock the place's row and, for an actor, check they are still its admin after the lock (a hand-over accepted
    a moment ago ends their admin screens: NotAdmin, which the views answer with 404)."""
    lock_row(session, Place, place.id)
    if actor_id is not None:
        session.refresh(place)
        if place.admin_id != actor_id:
            raise NotAdmin()


def reissue_poster(session: Session, place: Place, utc_now: datetime, actor_id: int | None = None):
    """重新生成葵花码: the printed posters stop working (their check-ins are refused with a message)."""
    _lock_as_admin(session, place, actor_id)
    return place_posters.reissue(session, place, place_posters.REISSUED, utc_now)


# -- 成员管理: 解除绑定 ------------------------------------------------------------------------------------


def unbind_inspector(session: Session, place: Place, staff: PlaceStaff, utc_now: datetime,
                     actor_id: int | None = None) -> None:
    """解除绑定 by the admin (FAQ 8); an offer of the place to that inspector ends with it (place_staff.unbind)."""
    _lock_as_admin(session, place, actor_id)
    place_staff.unbind(session, staff, "admin", utc_now)


# -- 更换绑定 ----------------------------------------------------------------------------------------------


def pending_handover(session: Session, place_id: int, utc_now: datetime) -> PlaceHandover | None:
    """The place's open offer (undecided, unexpired), with its recipient, or None."""
    return session.scalar(
        select(PlaceHandover).options(joinedload(PlaceHandover.to_person))
        .where(PlaceHandover.place_id == place_id, PlaceHandover.decided_at.is_(None),
               PlaceHandover.expires_at > utc_now)
        .order_by(PlaceHandover.id.desc()).limit(1)
    )


def offers_for(session: Session, person_id: int, utc_now: datetime) -> list[PlaceHandover]:
    """The open offers made to `person_id`, with their places (the notice on 公共场所人员健康情况采集)."""
    return list(session.scalars(
        select(PlaceHandover).options(joinedload(PlaceHandover.place))
        .where(PlaceHandover.to_id == person_id, PlaceHandover.decided_at.is_(None),
               PlaceHandover.expires_at > utc_now)
        .order_by(PlaceHandover.id)
    ))


def offer_for(session: Session, handover_id: int, person_id: int, utc_now: datetime) -> PlaceHandover | None:
    """The offer `handover_id` when it is made to `person_id` and still open; None for anything else."""
    offer = session.scalar(
        select(PlaceHandover).options(joinedload(PlaceHandover.place), joinedload(PlaceHandover.from_person))
        .where(PlaceHandover.id == handover_id)
    )
    if offer is None or offer.to_id != person_id or offer.decided_at is not None or offer.expires_at <= utc_now:
        return None
    return offer


def _cancel_open(session: Session, place_id: int, utc_now: datetime) -> None:
    session.execute(
        update(PlaceHandover).where(PlaceHandover.place_id == place_id, PlaceHandover.decided_at.is_(None))
        .values(decided_at=utc_now, outcome=CANCELLED)
    )


def offer_handover(session: Session, place: Place, staff: PlaceStaff, actor_id: int, utc_now: datetime
                   ) -> PlaceHandover:
    """更换绑定: offer the place to inspector `staff`, pending HANDOVER_DAYS; an earlier open offer ends."""
    lock_row(session, Place, place.id)
    session.refresh(place)
    if place.admin_id != actor_id:
        raise NotAdmin()
    session.refresh(staff)
    if not staff.active or staff.place_id != place.id:
        raise PlaceRefused(gettext("该检测员已解除绑定"))
    if staff.person_id == actor_id:
        raise PlaceRefused(gettext(HANDOVER_SELF), HANDOVER_SELF)
    _cancel_open(session, place.id, utc_now)
    offer = PlaceHandover(place_id=place.id, from_id=actor_id, to_id=staff.person_id, created_at=utc_now,
                          expires_at=utc_now + timedelta(days=HANDOVER_DAYS))
    session.add(offer)
    session.flush()
    return offer


def cancel_handover(session: Session, place: Place, utc_now: datetime, actor_id: int | None = None) -> None:
    """【取消】 the place's open offer."""
    _lock_as_admin(session, place, actor_id)
    _cancel_open(session, place.id, utc_now)


def _open_offer_locked(session: Session, handover_id: int, person_id: int, utc_now: datetime) -> PlaceHandover:
    """The offer with its place's row locked, re-read after the lock; PlaceRefused when it is no longer open."""
    offer = offer_for(session, handover_id, person_id, utc_now)
    if offer is None:
        raise PlaceRefused(gettext(HANDOVER_GONE), HANDOVER_GONE)
    lock_row(session, Place, offer.place_id)
    session.refresh(offer)
    session.refresh(offer.place)
    if offer.decided_at is not None or offer.place.admin_id != offer.from_id:
        raise PlaceRefused(gettext(HANDOVER_GONE), HANDOVER_GONE)
    if not access.inspector_of(session, person_id, offer.place_id):  # they left the place meanwhile
        raise PlaceRefused(gettext(HANDOVER_GONE), HANDOVER_GONE)
    return offer


def accept_handover(session: Session, handover_id: int, person_id: int, utc_now: datetime) -> Place:
    """【接受】: the recipient becomes the place's admin (the former admin keeps any inspector binding)."""
    offer = _open_offer_locked(session, handover_id, person_id, utc_now)
    lock_row(session, Person, person_id)  # serialised with the recipient's own 创建公共场所
    if admin_place(session, person_id) is not None:
        raise PlaceRefused(gettext(ALREADY_ADMIN), ALREADY_ADMIN)
    place = offer.place
    try:
        with session.begin_nested():
            place.admin_id = person_id
            session.flush()
    except IntegrityError:  # the recipient created a place meanwhile: the unique admin_id says no
        session.refresh(place)
        raise PlaceRefused(gettext(ALREADY_ADMIN), ALREADY_ADMIN) from None
    offer.decided_at, offer.outcome = utc_now, ACCEPTED
    session.flush()
    return place


def refuse_handover(session: Session, handover_id: int, person_id: int, utc_now: datetime) -> None:
    """【拒绝】: the offer ends; the place keeps its admin."""
    offer = _open_offer_locked(session, handover_id, person_id, utc_now)
    offer.decided_at, offer.outcome = utc_now, REFUSED
    session.flush()

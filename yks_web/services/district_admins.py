"""区划管理员 (SPEC O6; issue 12 item 1): appointed at 市 (4-digit area), 县(区) (6) or 镇(街) (9) level.

The operator appoints city-level ones (CLI `flask yks district appoint` or /operator/districts:
appointed_by None). A 区划管理员 appoints the level directly below inside their own area (a district inside
their city, a town inside their district) and revokes those they appointed; a town-level one appoints nobody.
They confirm or reject grids and never authorise a 网格员 (FAQ 6): that is the grid admin's alone.

Who confirms a grid — its direct superior: the active 区划管理员 of the grid's town; if the town has none,
those of its district; if none either, those of its city (the nearest staffed level above). Only they may
confirm or reject it; an admin higher up sees the grids of their area in their list but cannot decide for a
level that is staffed below them. A grid in an area with no 区划管理员 at all waits until one is appointed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, joinedload

from yks_web.i18n import N_, gettext
from yks_web.models.grid import LEVEL_LABELS, PENDING, DistrictAdmin, Grid
from yks_web.models.people import Person
from yks_web.services import areas, identity
from yks_web.services.errors import DomainError
from yks_web.services.locks import lock_row

NOBODY = N_("未找到该姓名和证件号码对应的已实名认证用户，请核对后重试（对方须先登录粤康码完成实名认证）")
ALREADY = N_("该用户已是该区域的区划管理员")
NOT_BELOW = N_("只能任命本辖区下一级区域的区划管理员")
NOT_CITY = N_("请选择所在城市")


class AppointRefused(DomainError):
    pass


def level_label(area_code: str) -> str:
    return LEVEL_LABELS.get(len(area_code or ""), "")


# -- reading ---------------------------------------------------------------------------------------------


def active_rows(session: Session, person_id: int) -> list[DistrictAdmin]:
    """The user's live appointments (one person may hold several areas), broadest first."""
    rows = session.scalars(
        select(DistrictAdmin).where(DistrictAdmin.person_id == person_id, DistrictAdmin.revoked_at.is_(None))
    ).all()
    return sorted(rows, key=lambda r: (len(r.area_code), r.area_code))


def is_district_admin(session: Session, person_id: int) -> bool:
    return session.scalar(
        select(DistrictAdmin.id).where(DistrictAdmin.person_id == person_id, DistrictAdmin.revoked_at.is_(None))
        .limit(1)
    ) is not None


def covers(session: Session, person_id: int, area_code: str) -> bool:
    """Whether `person_id` is a live 区划管理员 of `area_code` or of an area containing it."""
    return any(areas.within(area_code, row.area_code) for row in active_rows(session, person_id))


def appointed_by(session: Session, person_id: int) -> list[DistrictAdmin]:
    """The live appointments `person_id` made (the list with 【撤销】), with the appointee."""
    return list(session.scalars(
        select(DistrictAdmin).options(joinedload(DistrictAdmin.person))
        .where(DistrictAdmin.appointed_by_id == person_id, DistrictAdmin.revoked_at.is_(None))
        .order_by(DistrictAdmin.area_code, DistrictAdmin.id)
    ))


def city_level(session: Session) -> list[DistrictAdmin]:
    """The operator's list: live city-level appointments, with the appointee."""
    return list(session.scalars(
        select(DistrictAdmin).options(joinedload(DistrictAdmin.person))
        .where(DistrictAdmin.appointed_by_id.is_(None), DistrictAdmin.revoked_at.is_(None))
        .order_by(DistrictAdmin.area_code, DistrictAdmin.id)
    ))


def appointable_areas(session: Session, person_id: int) -> list[areas.Area]:
    """The areas one level below each of the user's non-town areas: where they may appoint."""
    out: list[areas.Area] = []
    for row in active_rows(session, person_id):
        if len(row.area_code) < 9:
            out.extend(areas.children(row.area_code))
    return out


# -- appointing ---------------------------------------------------------------------------------------------


def find_verified(session: Session, name: str, id_number: str, id_type: str = "id_card") -> Person:
    """The verified person (实名认证 done) with this 姓名 and 证件; AppointRefused(NOBODY) otherwise."""
    if identity.validate_id(id_type, id_number or "") or identity.validate_name(name):
        raise AppointRefused(gettext(NOBODY))
    who = identity.make_identity(name, id_type, id_number)
    person = identity.find_person(session, who)
    if person is None or person.name_verified_at is None or person.name != who.name:
        raise AppointRefused(gettext(NOBODY))
    return person


def appoint(session: Session, person: Person, area_code: str, *, appointed_by_id: int | None,
            utc_now: datetime) -> DistrictAdmin:
    """Appoint `person` over `area_code`; the caller commits.

    appointed_by_id None is the operator: city level only. Anyone else must be a live 区划管理员 of the area
    directly above `area_code` (AppointRefused otherwise).
    """
    area = areas.get(area_code)
    if appointed_by_id is None:
        if area is None or area.level != "city":
            raise AppointRefused(gettext(NOT_CITY))
    else:
        if area is None or area.level == "city" or not any(
                row.area_code == area.parent for row in active_rows(session, appointed_by_id)):
            raise AppointRefused(gettext(NOT_BELOW))
    lock_row(session, Person, person.id)  # a double tap: the second finds the first's row
    existing = session.scalar(select(DistrictAdmin.id).where(
        DistrictAdmin.person_id == person.id, DistrictAdmin.area_code == area_code, DistrictAdmin.revoked_at.is_(None)))
    if existing is not None:
        raise AppointRefused(gettext(ALREADY))
    row = DistrictAdmin(person_id=person.id, area_code=area_code, appointed_by_id=appointed_by_id,
                        appointed_at=utc_now)
    session.add(row)
    session.flush()
    return row


def appointment_of(session: Session, appointment_id: int, appointer_id: int | None) -> DistrictAdmin | None:
    """A live appointment made by `appointer_id` (None: the operator's city-level ones), or None (→ 404)."""
    row = session.get(DistrictAdmin, appointment_id)
    if row is None or row.revoked_at is not None or row.appointed_by_id != appointer_id:
        return None
    return row


def revoke(session: Session, row: DistrictAdmin, utc_now: datetime) -> None:
    """撤销: the appointment ends (kept for the record); those the revoked admin appointed stay. Caller commits."""
    row.revoked_at = utc_now


# -- grids to confirm -----------------------------------------------------------------------------------------


def direct_superior_area(session: Session, area_code: str) -> str | None:
    """The grid's town if it has a live 区划管理员, else the nearest staffed level above; None when none."""
    chain = [a.code for a in areas.chain(area_code)]
    staffed = set(session.scalars(
        select(DistrictAdmin.area_code).where(DistrictAdmin.area_code.in_(chain), DistrictAdmin.revoked_at.is_(None))
    ))
    return next((code for code in reversed(chain) if code in staffed), None)


def _superiors(session: Session, area_codes: Iterable[str]) -> dict[str, str | None]:
    """direct_superior_area for many grid areas in one query."""
    chains = {code: [a.code for a in areas.chain(code)] for code in set(area_codes)}
    every = {c for chain in chains.values() for c in chain}
    staffed = set(session.scalars(
        select(DistrictAdmin.area_code).where(DistrictAdmin.area_code.in_(every), DistrictAdmin.revoked_at.is_(None))
    )) if every else set()
    return {code: next((c for c in reversed(chain) if c in staffed), None) for code, chain in chains.items()}


def may_decide(session: Session, person_id: int, grid: Grid) -> bool:
    """Whether `person_id` is among the grid's direct superiors (the one level that confirms it)."""
    superior = direct_superior_area(session, grid.area_code)
    return superior is not None and any(row.area_code == superior for row in active_rows(session, person_id))


def grids_of_area(session: Session, person_id: int) -> list[tuple[Grid, bool]]:
    """The pending grids in the user's areas, each with whether the user decides it (direct superior)."""
    scopes = [row.area_code for row in active_rows(session, person_id)]
    if not scopes:
        return []
    grids = [g for g in session.scalars(
        select(Grid).options(joinedload(Grid.admin))
        .where(Grid.status == PENDING, or_(*(Grid.area_code.startswith(s) for s in scopes)))
        .order_by(Grid.created_at, Grid.id)
    ) if any(areas.within(g.area_code, s) for s in scopes)]
    superiors = _superiors(session, (g.area_code for g in grids))
    return [(g, superiors[g.area_code] in scopes) for g in grids]

"""网格员 bindings (SPEC O6, O8; issue 12 items 2, 5; FAQ (四)): bind by 网格申报码, 设为当前组织, 解绑, 授权.

One worker may bind many grids; exactly one active binding is `is_current` (the first bound is current, and
unbinding the current one makes the oldest remaining one current). A grid that is not confirmed yet (pending or
rejected) binds nobody (grids.binds_nobody_reason). A well-formed code counts against share_codes' limits
before it is looked up (counted_code), as for 公共场所 inspectors (services/place_staff).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from yks_web.i18n import N_, gettext
from yks_web.models.grid import ACTIVE, Grid, GridStaff
from yks_web.services import grids, share_codes
from yks_web.services.errors import DomainError

MAX_GRIDS = 20
UNKNOWN_CODE = N_("网格申报码不存在，请向网格管理员确认后重新输入")  # compared as it is; gettext where said


class BindRefused(DomainError):
    pass


def active_grids(session: Session, person_id: int) -> list[GridStaff]:
    """查看我的网格组织: the worker's active bindings with their grids, current first (one query)."""
    return list(session.scalars(
        select(GridStaff).options(joinedload(GridStaff.grid))
        .where(GridStaff.person_id == person_id, GridStaff.active.is_(True))
        .order_by(GridStaff.is_current.desc(), GridStaff.bound_at, GridStaff.id)
    ))


def members(session: Session, grid_id: int) -> list[GridStaff]:
    """网格成员管理: the grid's active workers with their people (one query)."""
    return list(session.scalars(
        select(GridStaff).options(joinedload(GridStaff.person))
        .where(GridStaff.grid_id == grid_id, GridStaff.active.is_(True))
        .order_by(GridStaff.bound_at, GridStaff.id)
    ))


def binding(session: Session, grid_id: int, person_id: int) -> GridStaff | None:
    """The person's active binding to the grid, or None."""
    return session.scalar(select(GridStaff).where(
        GridStaff.grid_id == grid_id, GridStaff.person_id == person_id, GridStaff.active.is_(True)))


def _has_current(session: Session, person_id: int) -> bool:
    return session.scalar(select(GridStaff.id).where(
        GridStaff.person_id == person_id, GridStaff.active.is_(True), GridStaff.is_current.is_(True)).limit(1)
    ) is not None


def bind(session: Session, person_id: int, grid: Grid, utc_now: datetime) -> GridStaff:
    """Bind (or bind again) `person_id` to an active `grid`; the caller commits."""
    reason = grids.binds_nobody_reason(grid)
    if reason is not None or grid.status != ACTIVE:
        raise BindRefused(reason or gettext(UNKNOWN_CODE))
    staff = session.scalar(select(GridStaff).where(GridStaff.grid_id == grid.id, GridStaff.person_id == person_id))
    if staff is not None and staff.active:
        return staff
    bound = session.scalar(select(func.count()).select_from(GridStaff)
                           .where(GridStaff.person_id == person_id, GridStaff.active.is_(True)))
    if bound >= MAX_GRIDS:
        raise BindRefused(gettext("一个网格员最多绑定%(max)d个网格，请先解绑不再负责的网格", max=MAX_GRIDS))
    current = not _has_current(session, person_id)
    if staff is None:
        staff = GridStaff(grid_id=grid.id, person_id=person_id, bound_at=utc_now, is_current=current)
        try:
            with session.begin_nested():
                session.add(staff)
        except IntegrityError:  # a double tap's twin bound first
            return session.scalar(
                select(GridStaff).where(GridStaff.grid_id == grid.id, GridStaff.person_id == person_id))
        return staff
    staff.active, staff.bound_at, staff.ended_at = True, utc_now, None
    staff.authorised, staff.is_current = False, current
    session.flush()
    return staff


def bind_by_code(session: Session, person_id: int, typed: str, *, address: str, utc_now: datetime) -> GridStaff:
    """新增绑定 by the 网格申报码: counted, then checked (kind, existence, confirmed), then bound."""
    try:
        code = share_codes.counted_code(session, typed, "grid", person_id=person_id, address=address,
                                        utc_now=utc_now)
    except share_codes.CodeRefused as refused:
        raise BindRefused(refused.message) from None
    grid = session.scalar(select(Grid).where(Grid.code == code))
    if grid is None:
        raise BindRefused(gettext(UNKNOWN_CODE))
    return bind(session, person_id, grid, utc_now)


def set_current(session: Session, staff: GridStaff) -> None:
    """设为当前组织: `staff` becomes the worker's one current grid. Caller commits."""
    for other in active_grids(session, staff.person_id):
        other.is_current = other.id == staff.id
    session.flush()


def unbind(session: Session, staff: GridStaff, utc_now: datetime) -> None:
    """解绑 (by the worker or the grid admin); the row stays, ended. The oldest remaining binding becomes
    current when this one was. Caller commits."""
    was_current = staff.is_current
    staff.active, staff.is_current, staff.authorised, staff.ended_at = False, False, False, utc_now
    session.flush()
    if was_current:
        rest = active_grids(session, staff.person_id)
        if rest:
            rest[0].is_current = True
            session.flush()


def set_authorised(session: Session, staff: GridStaff, authorised: bool) -> None:
    """授权 / 取消授权 by the grid admin (never a 区划管理员: FAQ 6). Caller commits."""
    staff.authorised = authorised
    session.flush()

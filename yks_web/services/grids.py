"""网格管理员 (SPEC O6, O8; issue 12 items 2–3): create the one grid, have it confirmed, dissolve it.

One admin ↔ one grid: `Grid.admin_id` is unique, so a double tap of 【确认创建】 or a race past the check
here still cannot make a second grid; it is answered with the grid that won (AlreadyAdmin).
A new grid is pending: its 网格申报码 (starting with 6) binds nobody until the direct superior 区划管理员
(services/district_admins) confirms it; a rejected grid shows the reason.
解散网格 deletes the grid and every row of it (visits, hand-overs, workers) for good; `dissolve` returns the active
workers, whom the screen tells by a 站内消息 (services/messages: it names the grid in words, references nothing).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from yks_web.i18n import N_, gettext
from yks_web.models.grid import ACTIVE, PENDING, REJECTED, Grid, GridHandover, GridStaff, GridVisit
from yks_web.models.people import Person
from yks_web.services import areas, district_admins, share_codes
from yks_web.services.errors import DomainError
from yks_web.services.locks import lock_row

CODE_TRIES = 5
NAME_MAX = 50
REASON_MAX = 100
# N_: compared as they are; gettext where a refusal is said.
NOT_TOWN = N_("请选择所在区域，填写到乡镇街道一级")
NAME_MISMATCH = N_("输入的网格名称与本网格名称不一致，请重新输入")
DECIDED = N_("该网格已处理，无需重复操作")


class GridRefused(DomainError):
    pass


class AlreadyAdmin(DomainError):
    """The person administers a grid already: `grid` is theirs."""

    def __init__(self, grid: Grid):
        super().__init__(gettext("您已创建网格，一个管理员只能创建一个网格"))
        self.grid = grid


def admin_grid(session: Session, person_id: int) -> Grid | None:
    """The one grid `person_id` administers (我的网格), or None."""
    return session.scalar(select(Grid).where(Grid.admin_id == person_id))


def binds_nobody_reason(grid: Grid) -> str | None:
    """Why the 网格申报码 binds nobody yet (None once the grid is confirmed)."""
    if grid.status == PENDING:
        return gettext("网格待区划管理员确认，确认前网格员无法使用网格申报码绑定")
    if grid.status == REJECTED:
        return gettext("网格未通过区划管理员确认（原因：%(reason)s），网格员无法使用网格申报码绑定",
                       reason=grid.reject_reason)
    return None


def create(session: Session, admin_id: int, area_code: str, name: str, utc_now: datetime) -> Grid:
    """创建网格 (pending, with its 网格申报码); the caller commits. AlreadyAdmin for a second grid."""
    name = (name or "").strip()
    if not areas.is_town(area_code):
        raise GridRefused(gettext(NOT_TOWN))
    if not name or len(name) > NAME_MAX:
        raise GridRefused(gettext("网格名称不能超过%(max)d个字", max=NAME_MAX) if name else gettext("请填写网格名称"))
    lock_row(session, Person, admin_id)  # two taps at once: the second waits and finds the first
    existing = admin_grid(session, admin_id)
    if existing is not None:
        raise AlreadyAdmin(existing)
    for _ in range(CODE_TRIES):
        grid = Grid(code=share_codes.generate("grid"), name=name, area_code=area_code, admin_id=admin_id,
                    status=PENDING, created_at=utc_now)
        try:
            with session.begin_nested():
                session.add(grid)
                session.flush()
        except IntegrityError:
            existing = admin_grid(session, admin_id)
            if existing is not None:
                raise AlreadyAdmin(existing) from None
            continue  # a random code collided: draw another
        return grid
    raise GridRefused(gettext("创建失败，请稍后重试"))


# -- the 区划管理员's decision -----------------------------------------------------------------------------------


def _decide(session: Session, grid: Grid, actor_id: int, utc_now: datetime) -> None:
    lock_row(session, Grid, grid.id)
    session.refresh(grid)
    if grid.status != PENDING:
        raise GridRefused(gettext(DECIDED))
    if not district_admins.may_decide(session, actor_id, grid):
        raise GridRefused(gettext("只有该网格所在区域的直属上级区划管理员可以确认"))
    grid.decided_by_id, grid.decided_at = actor_id, utc_now


def confirm(session: Session, grid: Grid, actor_id: int, utc_now: datetime) -> None:
    """确认: the grid becomes active and its code binds workers. Caller commits."""
    _decide(session, grid, actor_id, utc_now)
    grid.status = ACTIVE


def reject(session: Session, grid: Grid, actor_id: int, reason: str, utc_now: datetime) -> None:
    """不通过, with the reason the grid admin is shown. Caller commits."""
    reason = (reason or "").strip()
    if not reason or len(reason) > REASON_MAX:
        raise GridRefused(gettext("不通过原因不能超过%(max)d个字", max=REASON_MAX) if reason
                          else gettext("请填写不通过的原因"))
    _decide(session, grid, actor_id, utc_now)
    grid.status, grid.reject_reason = REJECTED, reason


# -- 解散网格 ---------------------------------------------------------------------------------------------------


def workers_to_tell(session: Session, grid_id: int) -> list[Person]:
    """The grid's active 网格员, to be told it was dissolved (read before `dissolve`)."""
    return list(session.scalars(
        select(Person).join(GridStaff, GridStaff.person_id == Person.id)
        .where(GridStaff.grid_id == grid_id, GridStaff.active.is_(True)).order_by(GridStaff.id)
    ))


def dissolve(session: Session, grid: Grid, actor_id: int, typed_name: str) -> list[Person]:
    """解散网格: the admin typed the grid's name exactly; everything of the grid is deleted. Caller commits.

    Returns the workers to tell. GridRefused(NAME_MISMATCH) for another name; GridRefused when the actor is
    no longer the admin (a hand-over accepted meanwhile).
    """
    lock_row(session, Grid, grid.id)
    session.refresh(grid)
    if grid.admin_id != actor_id:
        raise GridRefused(gettext("您不是本网格管理员"))
    if (typed_name or "").strip() != grid.name:
        raise GridRefused(gettext(NAME_MISMATCH))
    workers = workers_to_tell(session, grid.id)
    for model in (GridVisit, GridHandover, GridStaff):
        session.execute(delete(model).where(model.grid_id == grid.id))
    session.execute(delete(Grid).where(Grid.id == grid.id))
    session.expunge(grid)
    return workers

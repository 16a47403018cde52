"""管理员变更 (SPEC O6; issue 12 item 4; guide 二 (三) (1) 6), FAQ (四) 8): hand a grid to a successor.

The admin types the successor's 姓名 and 身份证号码; `start` keeps the name and the ID's lookup hash (the same hash
Person.id_hash holds, services/identity.make_identity(...).hash), never the number, under a random token valid
HOURS hours. The link (its 身份认证 QR) is a bearer link: anyone logged in may open it and see which grid it is,
but only the person whose 实名认证 (Person.name_verified_at, set by the real-name source at their own login)
gives exactly that name and ID may accept it. A mismatch says only that it does not match (never what was
expected), and attempts are counted per account, so the link is no oracle for someone's ID.

Rules and decisions:
- Only the grid's current admin starts or cancels (撤销变更). A new start ends the grid's earlier open offers; an
  offer is ended (cancelled) by moving its expires_at to that moment, so the row is kept with what it was.
- One use: accepting records accepted_at / accepted_by_id; the link then answers "invalid". A double tap of the
  successor is answered with the grid again (nothing changes twice).
- The successor must not administer another grid (Grid.admin_id is unique): AlreadyAdmin's message says so.
- On acceptance grid.admin_id becomes the successor at once, so the old admin loses every 网格管理员 screen
  (blueprints/grid.grid_for answers 404). The old admin is not made a 网格员: a binding they had made themselves
  by code stays as it was, like any worker's. A successor who is a 网格员 of the grid keeps that binding (and its
  授权): they are admin and worker, and records they queued still arrive. The grid's workers (GridStaff) and
  records (GridVisit) are not touched: they belong to the grid, not to its admin.
- The grid's row is locked (services/locks.lock_row) by start, cancel and accept, as by 解散网格, so two accepts
  give one admin, an offer cancelled or replaced meanwhile cannot be accepted, and a dissolved grid's link is gone
  (dissolving deletes its hand-overs).
"""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from yks_web.i18n import N_, gettext
from yks_web.models.grid import Grid, GridHandover
from yks_web.models.people import Person
from yks_web.services import grids, identity
from yks_web.services.errors import DomainError
from yks_web.services.locks import lock_row
from yks_web.services.rate_limits import Limit, hit

HOURS = 24
TOKEN_MAX = 64  # GridHandover.token's length; token_urlsafe(32) is 43 characters
# N_: compared as they are; gettext where a refusal is said.
MISMATCH = N_("您的实名认证信息与继任管理员信息不一致，无法接任")
NOT_VERIFIED = N_("您尚未完成实名认证，请先完成实名认证后再接任")
GONE = N_("该管理员变更链接无效或已过期，请联系网格管理员重新生成")
ALREADY_ADMIN = N_("您已是其他网格的管理员，一个管理员只能管理一个网格，无法接任")
SELF = N_("继任管理员不能是您本人，请填写继任管理员的姓名和身份证号码")
NOT_ADMIN = N_("您不是本网格管理员")
NAME_EMPTY = N_("请填写继任管理员姓名")
ID_EMPTY = N_("请填写继任管理员身份证号码")
# Enough for a successor who mistyped nothing but tried a few times; far too few to try IDs against a link.
ACCEPTS_PER_ACCOUNT = Limit("grid_handover_accept", 10, timedelta(hours=1), N_("接任尝试过于频繁，请1小时后再试"))


class HandoverRefused(DomainError):
    """Refused, with the form field the message belongs beside (None: the page)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class NotAdmin(HandoverRefused):
    """The actor is not (or no longer) the grid's admin: the views answer 404."""

    def __init__(self):
        super().__init__(gettext(NOT_ADMIN))


class HandoverGone(HandoverRefused):
    """Unknown, used, expired, cancelled, or the grid is gone."""

    def __init__(self):
        super().__init__(gettext(GONE))


def _is_open(offer: GridHandover, utc_now: datetime) -> bool:
    return offer.accepted_at is None and offer.expires_at > utc_now and offer.grid.admin_id == offer.from_id


def pending(session: Session, grid_id: int, utc_now: datetime) -> GridHandover | None:
    """The grid's open offer (not accepted, not expired or cancelled), newest first, or None."""
    return session.scalar(
        select(GridHandover).where(GridHandover.grid_id == grid_id, GridHandover.accepted_at.is_(None),
                                   GridHandover.expires_at > utc_now)
        .order_by(GridHandover.id.desc()).limit(1)
    )


def open_offer(session: Session, token: str | None, utc_now: datetime) -> GridHandover | None:
    """The offer behind a link, with its grid and that grid's admin, while it can be accepted; None for an unknown,
    used, expired or cancelled link, or a grid that was dissolved or handed over another way."""
    if not token or len(token) > TOKEN_MAX:
        return None
    offer = session.scalar(
        select(GridHandover).options(joinedload(GridHandover.grid).joinedload(Grid.admin))
        .where(GridHandover.token == token)
    )
    if offer is None or not _is_open(offer, utc_now):
        return None
    return offer


def _end_open(session: Session, grid_id: int, utc_now: datetime) -> None:
    session.execute(
        update(GridHandover).where(GridHandover.grid_id == grid_id, GridHandover.accepted_at.is_(None),
                                   GridHandover.expires_at > utc_now)
        .values(expires_at=utc_now).execution_options(synchronize_session="fetch")
    )


def _lock_as_admin(session: Session, grid: Grid, actor_id: int) -> None:
    lock_row(session, Grid, grid.id)
    session.refresh(grid)
    if grid.admin_id != actor_id:
        raise NotAdmin()


def start(session: Session, grid: Grid, actor_id: int, name: str, id_number: str, utc_now: datetime
          ) -> GridHandover:
    """管理员变更 submitted: a new one-time link for (name, 身份证号码), valid HOURS hours; the grid's earlier open
    links end. HandoverRefused with the field ("name" / "id_number") for what cannot be a successor; NotAdmin.
    The caller commits."""
    if not (name or "").strip():
        raise HandoverRefused(gettext(NAME_EMPTY), "name")
    if not (id_number or "").strip():
        raise HandoverRefused(gettext(ID_EMPTY), "id_number")
    message = identity.validate_name(name)
    if message:
        raise HandoverRefused(message, "name")
    message = identity.validate_id("id_card", id_number)
    if message:
        raise HandoverRefused(message, "id_number")
    _lock_as_admin(session, grid, actor_id)
    successor = identity.make_identity(name, "id_card", id_number)
    actor = session.get(Person, actor_id)
    if actor is not None and actor.id_type == "id_card" and actor.id_hash == successor.hash:
        raise HandoverRefused(gettext(SELF), "id_number")
    _end_open(session, grid.id, utc_now)
    offer = GridHandover(grid_id=grid.id, from_id=actor_id, successor_name=successor.name,
                         successor_id_hash=successor.hash, token=secrets.token_urlsafe(32), created_at=utc_now,
                         expires_at=utc_now + timedelta(hours=HOURS))
    session.add(offer)
    session.flush()
    return offer


def cancel(session: Session, grid: Grid, actor_id: int, utc_now: datetime) -> bool:
    """撤销变更: the grid's open link ends now. False when none was open. NotAdmin. The caller commits."""
    _lock_as_admin(session, grid, actor_id)
    ended = pending(session, grid.id, utc_now) is not None
    _end_open(session, grid.id, utc_now)
    return ended


def matches(offer: GridHandover, person: Person) -> bool:
    """Whether the person's verified identity is the successor's (the name and the 身份证 hash)."""
    return (
        person.name_verified_at is not None
        and person.id_type == "id_card"
        and hmac.compare_digest(person.id_hash or "", offer.successor_id_hash)
        and identity.normalize_name(person.name) == offer.successor_name
    )


def accept(session: Session, token: str, person: Person, utc_now: datetime) -> Grid:
    """【确认成为网格管理员】: the person becomes the grid's admin; the old admin loses the role at once.

    Counted per account first (RateLimited when over); then HandoverGone, NOT_VERIFIED, MISMATCH (no detail) or
    ALREADY_ADMIN. When refused the caller commits all the same, so the attempt counts; on success it commits.
    """
    hit(session, ACCEPTS_PER_ACCOUNT, [f"person:{person.id}"], utc_now)
    found = open_offer(session, token, utc_now)
    if found is None:
        accepted = _accepted_by(session, token, person.id)
        if accepted is not None:  # the successor's double tap: the grid is theirs already
            return accepted
        raise HandoverGone()
    lock_row(session, Grid, found.grid_id)  # serialised with 解散网格, another accept, 撤销变更 and a new start
    offer = session.get(GridHandover, found.id, populate_existing=True)
    grid = session.get(Grid, found.grid_id, populate_existing=True)
    if offer is None or grid is None:
        raise HandoverGone()
    if offer.accepted_at is not None and offer.accepted_by_id == person.id and grid.admin_id == person.id:
        return grid  # its twin accepted while this one waited for the lock
    if not _is_open(offer, utc_now):
        raise HandoverGone()
    if person.name_verified_at is None:
        raise HandoverRefused(gettext(NOT_VERIFIED))
    if not matches(offer, person):
        raise HandoverRefused(gettext(MISMATCH))
    lock_row(session, Person, person.id)  # serialised with the successor's own 创建网格 (grids.create)
    if grids.admin_grid(session, person.id) is not None:
        raise HandoverRefused(gettext(ALREADY_ADMIN))
    try:
        with session.begin_nested():
            grid.admin_id = person.id
            session.flush()
    except IntegrityError:  # they became another grid's admin meanwhile: the unique admin_id says no
        raise HandoverRefused(gettext(ALREADY_ADMIN)) from None
    offer.accepted_at, offer.accepted_by_id = utc_now, person.id
    session.flush()
    _end_open(session, grid.id, utc_now)  # none should be open; a link of the old admin must never outlive this
    return grid


def _accepted_by(session: Session, token: str | None, person_id: int) -> Grid | None:
    """The grid, when this very link was accepted by `person_id` and the grid is still theirs."""
    if not token or len(token) > TOKEN_MAX:
        return None
    offer = session.scalar(select(GridHandover).options(joinedload(GridHandover.grid))
                           .where(GridHandover.token == token, GridHandover.accepted_by_id == person_id))
    if offer is None or offer.grid.admin_id != person_id:
        return None
    return offer.grid

"""Invite links: operator → school admin, admin → collector, collector → member (SPEC W1–W3, S1)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from yks_web.i18n import N_, gettext
from yks_web.models.school import Invite
from yks_web.services.errors import DomainError

TTL = {
    "school_admin": timedelta(days=7),
    "collector": timedelta(days=7),
    "member": timedelta(days=30),
}
# A shared card is reused while it still has this long to run, so links already sent keep working.
REUSE_MARGIN = {"member": timedelta(days=7), "collector": timedelta(days=1), "school_admin": timedelta(days=1)}
INVALID = N_("邀请链接无效或已过期，请联系发出邀请的人重新发送邀请卡片。")
SINGLE_USE = {"school_admin"}  # an admin link makes one admin; cards for collectors and members are shared


class InviteInvalid(DomainError):
    def __init__(self):
        super().__init__(gettext(INVALID))


def create(
    session: Session,
    *,
    kind: str,
    school_id: int,
    utc_now: datetime,
    organisation_id: int | None = None,
    created_by_id: int | None = None,
) -> Invite:
    invite = Invite(
        token=secrets.token_urlsafe(24),
        kind=kind,
        school_id=school_id,
        organisation_id=organisation_id,
        created_by_id=created_by_id,
        created_at=utc_now,
        expires_at=utc_now + TTL[kind],
    )
    session.add(invite)
    session.flush()
    return invite


def current_or_new(
    session: Session, *, kind: str, school_id: int, utc_now: datetime,
    organisation_id: int | None = None, created_by_id: int | None = None,
) -> Invite:
    """The live shareable invite of this kind, while it has a week to run; else a new one."""
    current = session.scalar(
        select(Invite)
        .where(
            Invite.kind == kind,
            Invite.school_id == school_id,
            Invite.organisation_id.is_(None) if organisation_id is None else Invite.organisation_id == organisation_id,
            Invite.expires_at > utc_now + REUSE_MARGIN[kind],
        )
        .order_by(Invite.id.desc())
        .limit(1)
    )
    return current or create(
        session, kind=kind, school_id=school_id, organisation_id=organisation_id,
        created_by_id=created_by_id, utc_now=utc_now,
    )


@dataclass(frozen=True)
class AdminLink:
    """The one live school-admin link of a school, and what became of the earlier ones."""

    invite: Invite
    reused: bool  # the link already handed out, still unused and live
    revoked: int  # earlier unused links that no longer work


def school_admin_link(session: Session, *, school_id: int, utc_now: datetime, renew: bool = False) -> AdminLink:
    """A school has at most one live unused admin link (SPEC W1, issue 9 item 9): the one handed out before while
    it has a day to run (unless `renew`), else a new one, and every earlier unused link is revoked."""
    unused = session.scalars(
        select(Invite)
        .where(Invite.kind == "school_admin", Invite.school_id == school_id, Invite.used_at.is_(None),
               Invite.expires_at > utc_now)
        .order_by(Invite.id.desc())
    ).all()
    if unused and not renew and unused[0].expires_at > utc_now + REUSE_MARGIN["school_admin"]:
        for older in unused[1:]:  # from before this rule: only the newest stays live
            older.expires_at = utc_now
        return AdminLink(unused[0], reused=True, revoked=len(unused) - 1)
    for older in unused:
        older.expires_at = utc_now  # resolve() treats it as expired
    invite = create(session, kind="school_admin", school_id=school_id, utc_now=utc_now)
    return AdminLink(invite, reused=False, revoked=len(unused))


def member_invite(
    session: Session, *, org_id: int, school_id: int, creator_id: int | None, utc_now: datetime
) -> Invite:
    """The organisation's current invite card (W3): links already sent in chats keep working."""
    return current_or_new(
        session, kind="member", school_id=school_id, organisation_id=org_id, created_by_id=creator_id,
        utc_now=utc_now,
    )


def resolve(session: Session, token: str, kind: str | None, utc_now: datetime) -> Invite:
    """The live invite behind `token` (of `kind`, if given), or InviteInvalid (forged, wrong kind, expired)."""
    if not token or len(token) > 64:
        raise InviteInvalid()
    invite = session.scalar(select(Invite).where(Invite.token == token))
    if invite is None or (kind and invite.kind != kind) or invite.expires_at <= utc_now:
        raise InviteInvalid()
    if invite.kind in SINGLE_USE and invite.used_at is not None:
        raise InviteInvalid()
    return invite


def use(invite: Invite, utc_now: datetime) -> None:
    """Spend a single-use invite."""
    if invite.kind in SINGLE_USE:
        invite.used_at = utc_now

"""体温正常快速打卡 葵花码 (SPEC O4; issue 10 item 5): the short token a place's poster QR holds.

The poster's QR holds `/p/<token>`: 10 characters of Crockford's base32 (50 bits), short so an old phone
reads the QR from a metre away, random so a poster cannot be derived from the 场所申报码 (which only
inspectors get, O8) nor from another place's poster. A place has one live token; renaming the place or
【重新生成葵花码】 retires it, and a retired token still names its place so the citizen is told why.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from yks_web.i18n import N_, gettext
from yks_web.models.place import Place, PlacePoster
from yks_web.services.locks import lock_row

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
LENGTH = 10
RENAMED, REISSUED = "renamed", "reissued"
RETIRED_MESSAGES = {
    RENAMED: N_("此葵花码已失效：场所名称已修改，请扫描现场张贴的最新葵花码"),
    REISSUED: N_("此葵花码已失效：场所已重新生成葵花码，请扫描现场张贴的最新葵花码"),
}


def new_token() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def issue(session: Session, place: Place, utc_now: datetime) -> PlacePoster:
    """A new live poster for `place` (retire the old one first: `retire_live`)."""
    poster = PlacePoster(token=new_token(), place_id=place.id, place_name=place.name, issued_at=utc_now)
    session.add(poster)
    session.flush()
    return poster


def retire_live(session: Session, place_id: int, reason: str, utc_now: datetime) -> None:
    session.execute(
        update(PlacePoster).where(PlacePoster.place_id == place_id, PlacePoster.retired_at.is_(None))
        .values(retired_at=utc_now, retired_reason=reason)
    )


def reissue(session: Session, place: Place, reason: str, utc_now: datetime) -> PlacePoster:
    retire_live(session, place.id, reason, utc_now)
    return issue(session, place, utc_now)


def live_or_issue(session: Session, place: Place, utc_now: datetime) -> PlacePoster:
    """The live poster, or a new one for a place without (the caller commits); two first views issue one."""
    lock_row(session, Place, place.id)
    return live(session, place.id) or issue(session, place, utc_now)


def live(session: Session, place_id: int) -> PlacePoster | None:
    return session.scalar(
        select(PlacePoster).where(PlacePoster.place_id == place_id, PlacePoster.retired_at.is_(None))
    )


@dataclass(frozen=True)
class Found:
    poster: PlacePoster | None
    message: str | None  # why it cannot be used (retired), None when live


def find(session: Session, token: str) -> Found | None:
    """The poster a scanned token names (live or retired), None when it names none."""
    token = (token or "").upper()
    if len(token) != LENGTH or any(ch not in ALPHABET for ch in token):
        return None
    poster = session.get(PlacePoster, token)
    if poster is None:
        return None
    if poster.retired_at is not None:
        return Found(poster, gettext(RETIRED_MESSAGES.get(poster.retired_reason, RETIRED_MESSAGES[REISSUED])))
    return Found(poster, None)

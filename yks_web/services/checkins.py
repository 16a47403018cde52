"""体温正常快速打卡 (SPEC O4; issue 10 item 5): a citizen checks in at a place by scanning its 葵花码.

The citizen writes their own check, 正常, with no inspector (guide: "无需检测员扫码登记…即可快速打卡，默认体温
正常"). Only a live poster checks anyone in: a retired one (renamed place, 重新生成葵花码) writes nothing and
says why. A double tap of the one button records once (form_key); an account checks in at most
PER_ACCOUNT times an hour, more than anyone passes doors, so a script cannot flood a place's 数据统计.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from yks_web.i18n import N_, gettext
from yks_web.models.health import TemperatureCheck
from yks_web.models.people import Person
from yks_web.models.place import Place, PlacePoster
from yks_web.services import place_checks, place_posters
from yks_web.services.errors import DomainError
from yks_web.services.rate_limits import Limit, hit

PER_ACCOUNT = Limit("place_checkin", 30, timedelta(hours=1), N_("打卡过于频繁，请1小时后再试"))
UNKNOWN = N_("无效的葵花码")


class PosterUnusable(DomainError):
    """The token names no poster (`poster` None) or a retired one (`poster` set, `message` says why)."""

    def __init__(self, message: str, poster: PlacePoster | None = None):
        super().__init__(message)
        self.poster = poster


def live_poster(session: Session, token: str) -> PlacePoster:
    """The live poster `token` names (any case), else PosterUnusable."""
    found = place_posters.find(session, token)
    if found is None:
        raise PosterUnusable(gettext(UNKNOWN))
    if found.message is not None:
        raise PosterUnusable(found.message, found.poster)
    return found.poster


def check_in(
    session: Session, *, poster: PlacePoster, person: Person, form_key: str, utc_now: datetime, local_now: datetime,
) -> place_checks.Recorded:
    """Record `person` 正常 at the poster's place (the caller commits). A repeated form_key is the same check
    and costs no attempt; raises RateLimited over PER_ACCOUNT (the caller rolls back), and
    place_checks.CheckinRefused after an inspector's 发热 that day (the caller shows its message)."""
    earlier = session.scalar(
        select(TemperatureCheck).where(TemperatureCheck.form_key == form_key, TemperatureCheck.person_id == person.id)
    )
    if earlier is not None:
        return place_checks.Recorded(earlier, None, True)
    hit(session, PER_ACCOUNT, [f"person:{person.id}"], utc_now)
    place = session.get(Place, poster.place_id)
    return place_checks.record(
        session, place=place, person=person, result=place_checks.RESULTS[0], method=place_checks.CHECKIN,
        inspector_id=None, form_key=form_key, utc_now=utc_now, local_now=local_now,
    )

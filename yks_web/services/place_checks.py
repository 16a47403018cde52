"""体温检测与登记 (SPEC O3, O4): writing one check of a person at a place, by an inspector's scan or a 快速打卡.

Checks are never edited (FAQ 12). A check of the same person at the same place on the same local day
supersedes the one before it (`supersedes_id`): an inspector who chose 发热 by mistake scans again and
chooses 正常, and 数据统计 counts the person once, with the later result. Only an inspector corrects a
发热: a citizen's own 快速打卡 after one the same day at that place is refused (FEVER_STANDS), so tapping
体温正常 on the poster never erases what the inspector measured. Sex and birth year are copied
from the person's ID number here, once, so statistics never decrypt it (issue 10 item 6).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from yks_web.i18n import N_, gettext
from yks_web.models.health import TemperatureCheck
from yks_web.models.people import Person
from yks_web.models.place import Place
from yks_web.privacy import sex_and_birth_year
from yks_web.services.errors import DomainError
from yks_web.services.locks import lock_key

RESULTS = (N_("正常"), N_("发热"))  # stored in TemperatureCheck.result; shown with `| tr`
SCAN, CHECKIN = "scan", "checkin"


FEVER_STANDS = N_("您今日在本场所的体温检测结果为发热，不能快速打卡，请联系现场检测员复测")


class BadResult(DomainError):
    pass


class CheckinRefused(DomainError):
    pass


@dataclass(frozen=True)
class Recorded:
    check: TemperatureCheck
    superseded: TemperatureCheck | None  # the same day's earlier check it corrects, if any
    repeated: bool  # the same form_key was already recorded (a double tap): nothing new was written


def record(
    session: Session, *, place: Place, person: Person, result: str, method: str, inspector_id: int | None,
    form_key: str | None, utc_now: datetime, local_now: datetime,
) -> Recorded:
    """Write a check (the caller commits). `local_now` is Asia/Shanghai, `utc_now` naive UTC (the clock's)."""
    if result not in RESULTS:
        raise BadResult(gettext("请选择体温检测结果：正常或发热"))
    if form_key:
        earlier = _same_form(session, form_key, person.id)
        if earlier is not None:
            return Recorded(earlier, None, True)
    day = local_now.date()
    lock_key(session, "place_check", f"{place.id}:{person.id}")  # two scans of one person: one supersedes the other
    previous = session.scalar(
        select(TemperatureCheck)
        .where(TemperatureCheck.place_id == place.id, TemperatureCheck.person_id == person.id,
               TemperatureCheck.local_day == day)
        .order_by(TemperatureCheck.checked_at.desc(), TemperatureCheck.id.desc())
        .limit(1)
    )
    if method == CHECKIN and previous is not None and previous.result == "发热":
        raise CheckinRefused(gettext(FEVER_STANDS))
    sex, birth_year = sex_and_birth_year(person.id_type, person.id_number)
    check = TemperatureCheck(
        person_id=person.id, place_id=place.id, place_name=place.name, inspector_id=inspector_id, result=result,
        method=method, sex=sex, birth_year=birth_year, checked_at=utc_now, local_day=day, local_hour=local_now.hour,
        supersedes_id=previous.id if previous is not None else None, form_key=form_key,
    )
    try:
        with session.begin_nested():  # added inside: a refused INSERT leaves nothing pending behind
            session.add(check)
    except IntegrityError:  # the twin of a double tap committed first: answer with its check
        earlier = _same_form(session, form_key, person.id)
        if earlier is None:
            raise
        return Recorded(earlier, None, True)
    return Recorded(check, previous, False)


def _same_form(session: Session, form_key: str, person_id: int) -> TemperatureCheck | None:
    """The check this form already wrote; a key another person's check holds is not this form's (None)."""
    return session.scalar(
        select(TemperatureCheck).where(TemperatureCheck.form_key == form_key, TemperatureCheck.person_id == person_id)
    )

"""Demo data of 公共场所 (issue 10) for `make run`: a shopping centre, its admin, a guard bound as inspector,
and a week of temperature checks (scans and 葵花码 check-ins, a few fevers) by the demo's students.

Loaded once, beside the school demo (yks_web/demo.py); a database whose demo predates places gets them too.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from yks_web.clock import TZ
from yks_web.models import Person, Place
from yks_web.services import place_checks, place_posters, place_staff, realname_table, share_codes
from yks_web.services.identity import build_id_card_number, make_identity

PLACE_NAME = "天河城购物中心"  # i18n: data (the demo's records)
PLACE_AREA = "440106006"  # 广州市天河区石牌街道
ADMIN = ("何场管", build_id_card_number("440106", date(1983, 4, 12), 71), "13800000008")  # i18n: data
GUARD = ("罗保安", build_id_card_number("440106", date(1975, 10, 3), 81), "13800000009")  # i18n: data


def load(session: Session, *, person_factory, students: list[Person], today: date, utc_now: datetime) -> Place:
    """The demo place (created once). `person_factory(session, name, id_number, phone)` is demo._person."""
    place = session.scalar(select(Place).where(Place.name == PLACE_NAME))
    if place is not None:
        return place
    admin = person_factory(session, *ADMIN)
    guard = person_factory(session, *GUARD)
    for person in (admin, guard):
        realname_table.set_record(session, make_identity(person.name, person.id_type, person.id_number),
                                  utc_now=utc_now, today=today, phone=person.phone)
    place = Place(code=share_codes.generate("place"), name=PLACE_NAME, kind="商场商店",  # i18n: data
                  area_code=PLACE_AREA, address="天河路208号", admin_id=admin.id,  # i18n: data
                  created_at=utc_now - timedelta(days=8))
    place.set_phone(ADMIN[2])
    session.add(place)
    session.flush()
    place_posters.issue(session, place, utc_now - timedelta(days=8))
    for person in (guard, admin):  # 管理员可同时绑定成为检测员
        place_staff.bind(session, person.id, place, utc_now - timedelta(days=8))
    _checks(session, place, [guard.id, admin.id], students, utc_now)
    return place


def _checks(session: Session, place: Place, inspectors: list[int], people: list[Person], utc_now: datetime) -> None:
    rng = random.Random(2022)
    now_local = utc_now.replace(tzinfo=ZoneInfo("UTC")).astimezone(TZ)
    for offset in range(6, -1, -1):
        day = now_local.date() - timedelta(days=offset)
        for n, person in enumerate(rng.sample(people, min(len(people), 30))):
            hour = rng.choice((8, 9, 10, 11, 12, 12, 13, 14, 17, 18, 18, 19, 20))
            local = datetime(day.year, day.month, day.day, hour, rng.randrange(60), tzinfo=TZ)
            if local > now_local:
                continue
            by_poster = rng.random() < 0.3  # a 葵花码 check-in is always 体温正常
            fever = not by_poster and rng.random() < 0.05
            place_checks.record(
                session, place=place, person=person, result="发热" if fever else "正常",  # i18n: data (stored results)
                method=place_checks.CHECKIN if by_poster else place_checks.SCAN,
                inspector_id=None if by_poster else inspectors[n % len(inspectors)],
                form_key=f"demo-place:{day}:{person.id}", local_now=local,
                utc_now=local.astimezone(ZoneInfo("UTC")).replace(tzinfo=None),
            )
    session.flush()

"""Demo data of 网格居民健康情况采集 (issue 12; SPEC O6, O8) for `make run`: in 广州市天河区石牌街道,

- 区划管理员 at each level down to the town: 广州市 (appointed by the operator), 天河区 (appointed by the city's),
  石牌街道 (appointed by the district's) — the town's is the direct superior who confirms the town's grids;
- a 网格管理员 whose grid (石牌街道一社区网格) that 区划管理员 confirmed, so its 网格申报码 binds workers;
- a 网格员 bound to it by that code and 授权ed by the grid admin, with a few household visits of the last days;
- a second 网格管理员 whose grid (石牌街道二社区网格) still waits for the town's 区划管理员 to 确认.

Loaded once, beside the school, place and institution demos (yks_web/demo.py); a database whose demo predates
grids gets them too. The appointments, confirmation and binding go through the services, as the screens do.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from yks_web.clock import TZ
from yks_web.models import Person
from yks_web.models.grid import Grid
from yks_web.services import district_admins, grid_staff, grid_visits, grids, realname_table
from yks_web.services.identity import build_id_card_number, find_person, make_identity

TOWN = "440106006"  # 广州市天河区石牌街道 (the demo place's town)
GRID_NAME = "石牌街道一社区网格"  # i18n: data
PENDING_GRID_NAME = "石牌街道二社区网格"  # i18n: data
CITY_ADMIN = ("梁市区划", build_id_card_number("440104", date(1972, 3, 18), 101), "13800000012")  # i18n: data
DISTRICT_ADMIN = ("冯区区划", build_id_card_number("440106", date(1976, 7, 9), 103), "13800000013")  # i18n: data
TOWN_ADMIN = ("梁区划", build_id_card_number("440106", date(1981, 11, 2), 105), "13800000014")  # i18n: data
GRID_ADMIN = ("郑网管", build_id_card_number("440106", date(1984, 5, 26), 107), "13800000015")  # i18n: data
PENDING_ADMIN = ("谢网管", build_id_card_number("440106", date(1987, 1, 30), 109), "13800000016")  # i18n: data
WORKER = ("邓网格", build_id_card_number("440106", date(1990, 9, 12), 111), "13800000017")  # i18n: data
HOUSEHOLDS = (  # (姓名, 证件号码, 手机号, 住址): the households the worker visited, one a day or two
    ("陈秀兰", build_id_card_number("440106", date(1956, 4, 3), 121), "13900001201", "石牌东路12号301房"),  # i18n: data
    ("林国华", build_id_card_number("440106", date(1962, 8, 17), 123),  # i18n: data
     "13900001202", "石牌东路12号302房"),  # i18n: data
    ("何美玲", build_id_card_number("440106", date(1979, 2, 21), 125), "13900001203", "石牌西路8号502房"),  # i18n: data
    ("吴志明", build_id_card_number("440106", date(1968, 12, 5), 127), "13900001204", "石牌西路8号601房"),  # i18n: data
    ("黄丽娟", build_id_card_number("440106", date(1993, 6, 14), 129), "13900001205", "华师路3号105房"),  # i18n: data
)


def load(session: Session, *, person_factory, today: date, utc_now: datetime) -> Grid | None:
    """The demo grids (created once); the active one is returned. `person_factory(session, name, id_number,
    phone)` is demo._person (a verified person, as after 实名认证).

    Loaded once: when the town's 区划管理员 exists, whatever was done since (a grid dissolved or handed over, an
    appointment revoked) stays as it is, and the grid is returned if it still exists."""
    if find_person(session, make_identity(TOWN_ADMIN[0], "id_card", TOWN_ADMIN[1])) is not None:
        return session.scalar(select(Grid).where(Grid.name == GRID_NAME))
    people = {who: person_factory(session, *who)
              for who in (CITY_ADMIN, DISTRICT_ADMIN, TOWN_ADMIN, GRID_ADMIN, PENDING_ADMIN, WORKER)}
    for person in people.values():
        realname_table.set_record(session, make_identity(person.name, person.id_type, person.id_number),
                                  utc_now=utc_now, today=today, phone=person.phone)
    since = utc_now - timedelta(days=6)
    city = district_admins.appoint(session, people[CITY_ADMIN], TOWN[:4], appointed_by_id=None, utc_now=since)
    district = district_admins.appoint(session, people[DISTRICT_ADMIN], TOWN[:6], appointed_by_id=city.person_id,
                                       utc_now=since)
    town = district_admins.appoint(session, people[TOWN_ADMIN], TOWN, appointed_by_id=district.person_id,
                                   utc_now=since)
    grid = grids.create(session, people[GRID_ADMIN].id, TOWN, GRID_NAME, since + timedelta(hours=1))
    grids.confirm(session, grid, town.person_id, since + timedelta(hours=3))
    grids.create(session, people[PENDING_ADMIN].id, TOWN, PENDING_GRID_NAME, utc_now - timedelta(hours=2))
    staff = grid_staff.bind(session, people[WORKER].id, grid, since + timedelta(hours=5))
    grid_staff.set_authorised(session, staff, True)
    _visits(session, grid, people[WORKER], utc_now)
    session.flush()
    return grid


def _visits(session: Session, grid: Grid, worker: Person, utc_now: datetime) -> None:
    """A few 手动录入 visits through grid_visits.record: yesterday's three and today's two (between today's first
    minute and now), so the counts show something whatever the hour."""
    now_local = utc_now.replace(tzinfo=ZoneInfo("UTC")).astimezone(TZ)
    midnight = now_local.replace(hour=0, minute=1, second=0, microsecond=0)
    for n, (name, number, phone, address) in enumerate(HOUSEHOLDS):
        if n < 3:
            local = now_local - timedelta(days=1, minutes=30 * (n + 1))
        else:
            local = max(now_local - timedelta(minutes=30 * (n + 1)), midnight)
        answers = grid_visits.VisitAnswers(name=name, id_type="id_card", id_number=number, address=address,
                                           has_symptoms=False, risk_travel=False, contact_case=False, phone=phone,
                                           temperature=Decimal("36.5"))
        grid_visits.record(session, grid_id=grid.id, worker_id=worker.id, answers=answers,
                           client_key=f"demo-grid-visit-{n}", method="manual", utc_now=utc_now,
                           recorded_at=local.astimezone(ZoneInfo("UTC")).replace(tzinfo=None))

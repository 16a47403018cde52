"""The benchmark's 公共场所 and 组织机构 (issue 10 item 9, issue 11 item 3), seeded beside the school by bench/seed.py.

- People of their own, after the school's ids: the two places' admins and inspectors, the institution's admin
  and members, and VISITORS who pass the gates (all ages, both sexes: their ID numbers say so, and every
  check copies sex and birth year from them as services/place_checks does).
- The 数据统计 place (a shopping centre): STATS_CHECKS TemperatureCheck rows over STATS_DAYS days, more at
  weekends, by hour of a mall's day (today only until the server's 10:00), by STATS_INSPECTORS inspectors
  and the 葵花码's 体温正常快速打卡 (CHECKIN_SHARE, no inspector), a few % 发热, and SUPERSEDED of the
  person-days checked twice, the earlier check corrected by the later one (FAQ 12: supersedes_id).
- The gate (an office tower) where scans and 体温检测 POSTs are measured: GATE_INSPECTORS inspectors (many
  accounts, so the scan rate limits are not what the load measures) and a month of its own checks, so a
  POST's same-day look-up reads a real day.
- The institution: INSTITUTION_MEMBERS bound members and INSTITUTION_DAYS days of their declarations
  (PersonalDeclaration + InstitutionDeclaration), INSTITUTION_TODAY_RATE of them by 10:00 today, 3 %
  declaring twice a day (the newest wins).

Every row is written with the school's sinks (executemany on SQLite, COPY on PostgreSQL); ids are explicit
and the random choices seeded, so both databases hold the same data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from bench import settings

# A shopping centre's day: checks by local hour (opening 8:00, closing 22:00).
MALL_HOURS = {7: 1, 8: 3, 9: 5, 10: 7, 11: 8, 12: 9, 13: 8, 14: 7, 15: 7, 16: 7, 17: 8, 18: 9, 19: 9, 20: 7,
              21: 4, 22: 1}
# An office tower's gate: the morning rush, lunch, the evening.
GATE_HOURS = {7: 3, 8: 10, 9: 8, 10: 3, 11: 2, 12: 4, 13: 5, 14: 2, 15: 1, 16: 1, 17: 2, 18: 2, 19: 1}
# Visitors' ages (years) by band, as a city's population passing a mall: children, young, middle, older, old.
AGE_WEIGHTS = [((3, 17), 15), ((18, 34), 33), ((35, 49), 26), ((50, 64), 16), ((65, 88), 10)]
INSPECTOR_WEIGHTS = [30, 25, 20, 15, 10]  # the 数据统计 place's inspectors' shares of the scans
SURNAMES = "黄李陈张刘王杨赵周吴林何郭罗梁宋郑谢韩唐冯许邓曾彭"
GIVEN = ["建华", "丽娟", "国强", "秀英", "志明", "海燕", "伟", "芳", "军", "敏", "静", "磊", "婷", "强", "洁",
         "勇", "艳", "杰", "娜", "涛", "超", "霞", "斌", "玲", "鹏"]


@dataclass
class Extras:
    """Who is who in the places and the institution: person ids follow the school's `first_person - 1`."""

    first_person: int
    today: date
    visitors: int = settings.VISITORS
    stats_checks: int = settings.STATS_CHECKS
    gate_checks: int = settings.GATE_CHECKS
    stats_inspectors: int = settings.STATS_INSPECTORS
    gate_inspectors: int = settings.GATE_INSPECTORS
    institution_members: int = settings.INSTITUTION_MEMBERS

    STATS_PLACE, GATE_PLACE, INSTITUTION = 1, 2, 1

    def __post_init__(self):
        pid = self.first_person
        self.stats_admin, self.gate_admin, self.institution_admin = pid, pid + 1, pid + 2
        pid += 3
        self.stats_inspector_ids = list(range(pid, pid + self.stats_inspectors))
        pid += self.stats_inspectors
        self.gate_inspector_ids = list(range(pid, pid + self.gate_inspectors))
        pid += self.gate_inspectors
        self.member_ids = list(range(pid, pid + self.institution_members))
        pid += self.institution_members
        self.visitor_ids = list(range(pid, pid + self.visitors))
        pid += self.visitors
        self.last_person = pid - 1

    def manifest(self) -> dict:
        return {
            "places": {
                "stats": {"id": self.STATS_PLACE, "admin_id": self.stats_admin, "checks": self.stats_checks,
                          "days": settings.STATS_DAYS, "inspectors": self.stats_inspector_ids},
                "gate": {"id": self.GATE_PLACE, "admin_id": self.gate_admin, "checks": self.gate_checks,
                         "inspectors": self.gate_inspector_ids},
            },
            "visitors": [self.visitor_ids[0], self.visitor_ids[-1]] if self.visitor_ids else [],
            "institution": {"id": self.INSTITUTION, "admin_id": self.institution_admin,
                            "members": self.institution_members, "days": settings.INSTITUTION_DAYS},
        }


# -- people ------------------------------------------------------------------------------------------------


def people_rows(extras: Extras, sink, privacy, build_id_card_number, created):
    """The places' and the institution's people: adults of working age, and visitors of every age."""
    rng = random.Random(31)
    used: set[str] = set()
    ages = [span for span, _ in AGE_WEIGHTS]
    weights = [w for _, w in AGE_WEIGHTS]
    visitors = set(extras.visitor_ids)
    labels = {extras.stats_admin: "商场管理员", extras.gate_admin: "大厦管理员", extras.institution_admin: "机构管理员"}
    for pid in range(extras.first_person, extras.last_person + 1):
        low, high = rng.choices(ages, weights)[0] if pid in visitors else (23, 58)
        birth = extras.today - timedelta(days=rng.randint(low * 365 + 1, high * 365 + 360))
        region = ("440103", "440104", "440105", "440111", "440303")[pid % 5]  # the school's are 440106
        sequence = pid % 1000
        number = build_id_card_number(region, birth, sequence)
        while number in used:  # the same birthday and sequence drawn twice: the next sequence number
            sequence += 1
            number = build_id_card_number(region, birth, sequence)
        used.add(number)
        name = labels.get(pid) or SURNAMES[(pid * 3) % len(SURNAMES)] + GIVEN[(pid * 11) % len(GIVEN)]
        yield (pid, name, "id_card", privacy.encrypt(number), privacy.mask_id(number),
               privacy.lookup_hash("id_card", number), None, None, sink.boolean(False), created), number


# -- places ------------------------------------------------------------------------------------------------


def place_rows(extras: Extras, sink, privacy, created, bound):
    """The two places, their live 葵花码 posters and their inspectors."""
    places = [
        (extras.STATS_PLACE, "3108260001", "天河基准测试购物中心", "商场商店", "440106004", "天河路 208 号",
         "13800000001", extras.stats_admin),
        (extras.GATE_PLACE, "3108260002", "越秀基准测试大厦", "写字楼", "440104003", "北京路 88 号",
         "13800000002", extras.gate_admin),
    ]
    yield "place", ("id", "code", "name", "kind", "area_code", "address", "phone", "phone_masked", "admin_id",
                    "created_at", "edited_at"), [
        (pid, code, name, kind, area, address, privacy.encrypt(phone), privacy.mask_phone(phone), admin, created,
         None) for pid, code, name, kind, area, address, phone, admin in places]
    yield "place_poster", ("token", "place_id", "place_name", "issued_at", "retired_at", "retired_reason"), [
        (f"BENCH{pid:05d}", pid, name, created, None, "") for pid, _, name, *_ in places]
    active = sink.boolean(True)
    staff = [(extras.STATS_PLACE, p) for p in extras.stats_inspector_ids]
    staff += [(extras.GATE_PLACE, p) for p in extras.gate_inspector_ids]
    yield "place_staff", ("id", "place_id", "person_id", "active", "bound_at", "ended_at", "ended_by"), [
        (n, place_id, person_id, active, bound, None, "") for n, (place_id, person_id) in enumerate(staff, 1)]


class Checks:
    """TemperatureCheck rows of a place, day by day; ids continue from one place to the next."""

    COLUMNS = ("id", "person_id", "checked_at", "result", "place_name", "place_id", "inspector_id", "method", "sex",
               "birth_year", "local_day", "local_hour", "supersedes_id", "form_key")

    def __init__(self, sink, facts: dict[int, tuple[str, int | None]], utc):
        self.sink, self.facts, self.utc = sink, facts, utc
        self.next_id = 1

    def rows(self, place_id: int, name: str, inspectors: list[int], total: int, days: int, today: date,
             visitors: list[int], hours: dict[int, int], seed: int, weekend: float):
        """`total` rows over `days` days ending today (today only until 10:00), weekend days `weekend` × busier."""
        if total <= 0 or not visitors:
            return
        rng = random.Random(seed)
        day_list = [today - timedelta(days=offset) for offset in range(days - 1, -1, -1)]
        whole_day = sum(hours.values())
        by_morning = sum(w for h, w in hours.items() if h < 10)
        weights = [(weekend if d.weekday() >= 5 else 1.0) * (by_morning / whole_day if d == today else 1.0)
                   for d in day_list]
        shares = [total * w / sum(weights) for w in weights]
        counts = [int(s) for s in shares]
        for i in sorted(range(days), key=lambda i: counts[i] - shares[i])[: total - sum(counts)]:
            counts[i] += 1  # largest remainders: the days add up to `total`
        inspector_weights = [INSPECTOR_WEIGHTS[i % len(INSPECTOR_WEIGHTS)] for i in range(len(inspectors))]
        for day, count in zip(day_list, counts, strict=True):
            day_hours = {h: w for h, w in hours.items() if day != today or h < 10}
            hour_keys, hour_weights = list(day_hours), list(day_hours.values())
            people = rng.sample(visitors, min(count, len(visitors)))
            written = 0
            for person in people:
                if written >= count:
                    break
                hour = rng.choices(hour_keys, hour_weights)[0]
                minute = rng.randrange(55)
                sex, born = self.facts[person]
                corrected = bool(inspectors) and count - written >= 2 and rng.random() < settings.SUPERSEDED
                checkin = not corrected and (not inspectors or rng.random() < settings.CHECKIN_SHARE)
                inspector = None if checkin else rng.choices(inspectors, inspector_weights)[0]
                supersedes = None
                if corrected:  # first scan 发热 by mistake (or a re-measure), corrected minutes later (FAQ 12)
                    first = "发热" if rng.random() < 0.7 else "正常"
                    yield self._row(person, day, hour, minute, first, name, place_id, inspector, "scan", sex, born,
                                    None)
                    supersedes = self.next_id - 1
                    written += 1
                    minute += rng.randint(1, 4)
                fever = not checkin and rng.random() < settings.FEVER_SHARE
                yield self._row(person, day, hour, minute, "发热" if fever else "正常", name, place_id, inspector,
                                "checkin" if checkin else "scan", sex, born, supersedes)
                written += 1

    def _row(self, person, day, hour, minute, result, name, place_id, inspector, method, sex, born, supersedes):
        row_id = self.next_id
        self.next_id += 1
        return (row_id, person, self.sink.timestamp(self.utc(day, hour, minute)), result, name, place_id, inspector,
                method, sex, born, self.sink.day(day), hour, supersedes, f"seed-check:{row_id}")


# -- the institution ---------------------------------------------------------------------------------------


PERSONAL_COLUMNS = ("id", "person_id", "actor_id", "form_key", "created_at", "location_province", "location_city",
                    "temperature", "temperature_band", "has_symptoms", "risk_travel", "contact_case", "remarks")
INSTITUTION_COLUMNS = ("id", "institution_id", "person_id", "day", "personal_id", "on_duty", "work_place",
                       "created_at")


def institution_rows(extras: Extras, sink, privacy, created, bound):
    yield "institution", ("id", "code", "name", "address", "level", "phone", "phone_masked", "admin_id",
                          "created_at", "edited_at"), [
        (extras.INSTITUTION, "1108260001", "广州市基准测试局", "越秀区府前路 1 号", "市级",
         privacy.encrypt("13800000003"), privacy.mask_phone("13800000003"), extras.institution_admin, created,
         None)]
    active = sink.boolean(True)
    yield "institution_member", ("id", "institution_id", "person_id", "active", "bound_at", "ended_at"), [
        (n, extras.INSTITUTION, pid, active, bound, None) for n, pid in enumerate(extras.member_ids, 1)]


class InstitutionDeclarations:
    """The members' declarations, oldest day first: PersonalDeclaration rows, and the institution's rows after."""

    def __init__(self, extras: Extras, sink, utc):
        self.extras, self.sink, self.utc = extras, sink, utc
        self.institution: list[tuple] = []

    def personal_rows(self):
        extras, sink = self.extras, self.sink
        rng = random.Random(41)
        no, yes = sink.boolean(False), sink.boolean(True)
        decl_id = 0
        for offset in range(settings.INSTITUTION_DAYS - 1, -1, -1):
            day = extras.today - timedelta(days=offset)
            rate = settings.INSTITUTION_TODAY_RATE if offset == 0 else settings.INSTITUTION_PAST_RATE
            for n, pid in enumerate(extras.member_ids):
                if rng.random() >= rate:
                    continue
                for _ in range(2 if rng.random() < 0.03 else 1):
                    decl_id += 1
                    minute = (n * 7 + decl_id) % 200  # 06:40–09:59 local
                    created = sink.timestamp(self.utc(day, 6 + (40 + minute) // 60, (40 + minute) % 60))
                    roll = rng.random()
                    if roll < 0.005:
                        temperature, band = Decimal("37.6"), None
                    elif roll < 0.08:
                        temperature, band = None, "37.3℃以下"
                    else:
                        temperature, band = Decimal(f"36.{rng.randint(1, 8)}"), None
                    symptoms = roll < 0.005 or rng.random() < 0.005
                    yield (decl_id, pid, pid, f"seed-inst:{decl_id}", created, "广东省", "广州市",
                           sink.number(temperature), band, yes if symptoms else no,
                           yes if rng.random() < 0.003 else no, yes if rng.random() < 0.001 else no, "")
                    on_duty = rng.random() < 0.9
                    self.institution.append((decl_id, extras.INSTITUTION, pid, sink.day(day), decl_id,
                                             sink.boolean(on_duty), "机关大楼" if on_duty else "居家办公", created))


def seed(extras: Extras, sink, privacy, build_id_card_number, utc, rows: dict, timings: dict, clock) -> None:
    """Write everything of issues 10 and 11 through `sink`; row counts into `rows`, seconds into `timings`."""
    created = sink.timestamp(utc(extras.today - timedelta(days=90), 9))
    bound = sink.timestamp(utc(extras.today - timedelta(days=30), 9))
    mark = clock()
    facts: dict[int, tuple[str, int | None]] = {}

    def people():
        for row, number in people_rows(extras, sink, privacy, build_id_card_number, created):
            facts[row[0]] = privacy.sex_and_birth_year("id_card", number)
            yield row

    columns = ("id", "name", "id_type", "id_number", "id_masked", "id_hash", "phone", "phone_hash", "is_operator",
               "created_at")
    rows["person"] = rows.get("person", 0) + sink.write("person", columns, people())
    timings["people of the places and the institution"] = clock() - mark
    mark = clock()
    for table, table_columns, table_rows in place_rows(extras, sink, privacy, created, bound):
        rows[table] = sink.write(table, table_columns, table_rows)
    checks = Checks(sink, facts, utc)

    def all_checks():
        yield from checks.rows(extras.STATS_PLACE, "天河基准测试购物中心", extras.stats_inspector_ids,
                               extras.stats_checks, settings.STATS_DAYS, extras.today, extras.visitor_ids, MALL_HOURS,
                               seed=101, weekend=1.4)
        yield from checks.rows(extras.GATE_PLACE, "越秀基准测试大厦", extras.gate_inspector_ids, extras.gate_checks, 30,
                               extras.today, extras.visitor_ids, GATE_HOURS, seed=102, weekend=0.3)

    rows["temperature_check"] = sink.write("temperature_check", Checks.COLUMNS, all_checks())
    timings["places, inspectors, temperature checks"] = clock() - mark
    mark = clock()
    for table, table_columns, table_rows in institution_rows(extras, sink, privacy, created, bound):
        rows[table] = sink.write(table, table_columns, table_rows)
    declarations = InstitutionDeclarations(extras, sink, utc)
    rows["personal_declaration"] = sink.write("personal_declaration", PERSONAL_COLUMNS, declarations.personal_rows())
    rows["institution_declaration"] = sink.write("institution_declaration", INSTITUTION_COLUMNS,
                                                 declarations.institution)
    timings["institution, members, declarations"] = clock() - mark

"""Seed the benchmark school fast: bulk inserts (SQLite executemany, PostgreSQL COPY) after `flask db upgrade`.

One school, its admin, ORGANISATIONS collectors each with one organisation of MEMBERS joined members
(10 % of them declared by a parent, 代他人填报), DAYS days of declarations (~92 % of members a day, 3 %
of them submitting twice: latest wins), and the collector's daily report with its entries for every day
before yesterday (yesterday and today are still open). Beside the school, bench/seed_places.py seeds a
public place with 100,000 temperature checks (数据统计), a gate with many inspectors (scans, 体温检测) and an
institution of 5,000 members with their declarations (看板); bench/seed_groups.py 40 团体码 groups of 500.
Ids are given explicitly, so the seed is the same on both databases; the manifest (JSON) tells the load
generator who is who.

    python -m bench.seed sqlite|postgresql [--orgs N --members N --days N --url URL --manifest PATH]
                         [--visitors N --checks N --gate-checks N --inspectors N --gate-inspectors N
                          --institution-members N --groups N --group-people N]

Run it with the environment of settings.app_env(): the keys must be the server's (ID numbers are
encrypted with YKS_DATA_KEY, looked up by a hash keyed with YKS_LOOKUP_KEY).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from bench import seed_groups, seed_places, settings

PAST_RATE = 0.92  # share of members declaring on a past day
TODAY_RATE = 0.85  # by 10:00 today
TWICE_RATE = 0.03  # of those, submitting a second time the same day (latest wins)
SWITCH_RATE = 0.05  # a member's situation changes from one declaration to the next
QUICKFILL_RATE = 0.02  # past declarations that were the collector's 快速填充
UTC = ZoneInfo("UTC")

SURNAMES = "黄李陈张刘王杨赵周吴林何郭罗梁宋郑谢韩唐冯许邓曾彭"
GIVEN = ["晓明", "宇轩", "子涵", "梓萱", "浩然", "一诺", "欣怡", "俊杰", "思远", "雨桐", "嘉怡", "泽宇", "佳琪",
         "志强", "诗涵", "天佑", "若曦", "明轩", "可馨", "子墨", "嘉豪", "紫琳", "宏伟", "静怡", "文博"]


def _answers(**overrides) -> dict:
    values = {
        "nationality": "中国", "household_region": "广东省广州市", "stay_on_campus": False, "returned": True,
        "location_province": "广东省", "location_city": "广州市", "temperature": Decimal("36.5"),
        "temperature_band": None, "has_symptoms": False, "risk_travel": False, "contact_case": False,
        "left_to_city": False, "left_to_abroad": False, "returned_today": True, "health_status": "健康",
        "remarks": "",
    }
    values.update(overrides)
    return values


# The situations a declaration describes, with how often each is picked.
PROFILES = [
    *[(_answers(temperature=Decimal(f"36.{t}")), 12) for t in range(2, 9)],
    (_answers(temperature=None, temperature_band="37.3℃以下"), 6),
    (_answers(location_city="深圳市", left_to_city=True, returned_today=False), 4),
    (_answers(stay_on_campus=True, remarks="假期留校"), 3),
    (_answers(temperature=Decimal("37.6"), has_symptoms=True, health_status="居家观察"), 1),
    (_answers(temperature=Decimal("36.6"), health_status="居家观察", remarks="居家观察第3天"), 1),
]


class Plan:
    """Who is who: ids are assigned here, identically for every database."""

    def __init__(self, orgs: int, members: int, days: int, today: date, groups: int = settings.GROUPS,
                 group_people: int = settings.GROUP_PEOPLE, **extra_sizes):
        self.orgs, self.members, self.days, self.today = orgs, members, days, today
        self.admin_id = 1
        self.collector_ids = [2 + k for k in range(orgs)]  # person ids
        first_member = 2 + orgs
        self.member_ids = [[first_member + k * members + i for i in range(members)] for k in range(orgs)]
        self.first_parent = first_member + orgs * members
        rng = random.Random(7)
        proxied = [pid for org in self.member_ids for pid in org if rng.random() < settings.PROXIED]
        self.parent_of = {pid: self.first_parent + n for n, pid in enumerate(proxied)}
        self.person_count = self.first_parent + len(proxied) - 1  # the school's people; the places' follow
        self.extras = seed_places.Extras(self.person_count + 1, today, **extra_sizes)
        self.groups = seed_groups.Groups(self.extras.member_ids + self.extras.visitor_ids, today, groups,
                                         group_people)

    def manifest(self, kind: str, url: str) -> dict:
        return {
            "kind": kind, "url": url, "today": self.today.isoformat(), "school_id": 1, "admin_id": self.admin_id,
            "organisations": [
                {"id": k + 1, "collector_id": self.collector_ids[k], "members": self.member_ids[k]}
                for k in range(self.orgs)
            ],
        } | self.extras.manifest() | self.groups.manifest()


def utc(day: date, hour: int, minute: int = 0) -> datetime:
    """Naive UTC of a Shanghai wall-clock time, as the app stores timestamps."""
    local = datetime(day.year, day.month, day.day, hour, minute, tzinfo=settings.TZ)
    return local.astimezone(UTC).replace(tzinfo=None)


# -- writing rows -------------------------------------------------------------------------------------------


class SqliteSink:
    """executemany in one transaction, values in the text forms SQLAlchemy's SQLite dialect writes."""

    def __init__(self, url: str):
        self.conn = sqlite3.connect(urlsplit(url).path)
        self.conn.execute("PRAGMA synchronous=OFF")  # this connection only; the journal mode is the app's

    day = staticmethod(date.isoformat)
    boolean = staticmethod(int)
    json = staticmethod(json.dumps)

    @staticmethod
    def timestamp(moment: datetime) -> str:
        return moment.strftime("%Y-%m-%d %H:%M:%S.%f")

    @staticmethod
    def number(value: Decimal | None):
        return None if value is None else float(value)

    def write(self, table: str, columns: tuple[str, ...], rows) -> int:
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        count, batch = 0, []
        for row in rows:
            batch.append(row)
            if len(batch) >= 20000:
                self.conn.executemany(sql, batch)
                count += len(batch)
                batch.clear()
        self.conn.executemany(sql, batch)
        self.conn.commit()
        return count + len(batch)

    def finish(self, tables: list[str]) -> None:
        # PostgreSQL's autovacuum would have analysed tables this size; SQLite has no such thing, and the
        # app never runs ANALYZE: leave SQLite's planner as a real deployment would find it.
        self.conn.close()


class PostgresSink:
    """COPY per table, foreign-key triggers off while loading (the data is consistent by construction)."""

    def __init__(self, url: str):
        import psycopg

        self.url = url.replace("+psycopg", "")
        self.conn = psycopg.connect(self.url)
        self.conn.execute("SET session_replication_role = replica")

    day = staticmethod(lambda d: d)
    boolean = staticmethod(bool)
    json = staticmethod(json.dumps)
    timestamp = staticmethod(lambda m: m)
    number = staticmethod(lambda v: v)

    def write(self, table: str, columns: tuple[str, ...], rows) -> int:
        count = 0
        with self.conn.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        self.conn.commit()
        return count

    def finish(self, tables: list[str]) -> None:
        import psycopg

        for table in tables:
            self.conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT coalesce(max(id), 1) FROM {table}))"
            )
        self.conn.commit()
        self.conn.close()
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")


def reset_database(kind: str, url: str) -> None:
    if kind == "sqlite":
        path = Path(urlsplit(url).path)
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    server, _, name = url.replace("+psycopg", "").rpartition("/")
    if name in settings.NEVER_USE:
        raise SystemExit(f"refusing to drop the database {name!r}")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


# -- the rows ----------------------------------------------------------------------------------------------


def people_rows(plan: Plan, sink, privacy, build_id_card_number):
    """Admin, collectors, members, parents: encrypted ID numbers, keyed lookup hashes."""
    created = sink.timestamp(utc(plan.today - timedelta(days=60), 9))
    adults = date(1980, 1, 1)
    students = date(2006, 9, 1)
    for pid in range(1, plan.person_count + 1):
        is_student = plan.collector_ids[-1] < pid < plan.first_parent
        base = students if is_student else adults
        number = build_id_card_number("440106", base + timedelta(days=pid // 1000), pid % 1000)
        surname = SURNAMES[pid % len(SURNAMES)]
        if pid == plan.admin_id:
            name = "李校管"
        elif pid in plan.collector_ids:
            name = f"{surname}老师{pid - 1}"
        elif is_student:
            name = surname + GIVEN[(pid * 7) % len(GIVEN)]
        else:
            name = surname + "家长"
        yield (pid, name, "id_card", privacy.encrypt(number), privacy.mask_id(number),
               privacy.lookup_hash("id_card", number), None, None, sink.boolean(False), created)


def school_rows(plan: Plan, sink):
    created = sink.timestamp(utc(plan.today - timedelta(days=60), 9))
    joined = sink.timestamp(utc(plan.today - timedelta(days=40), 20))
    yield "school", ("id", "name", "school_type", "region", "created_at"), [
        (1, "广州市基准测试中学", "高中", "广东省广州市越秀区", created)]
    yield "school_admin", ("id", "school_id", "person_id", "created_at"), [(1, 1, plan.admin_id, created)]
    yield "collector", ("id", "school_id", "person_id", "created_at"), [
        (k + 1, 1, pid, created) for k, pid in enumerate(plan.collector_ids)]
    yield "organisation", ("id", "school_id", "collector_id", "target", "school_type", "major", "name", "size",
                           "created_at"), [
        (k + 1, 1, k + 1, "student", "高中", "", f"高{1 + k // 34}({1 + k % 34})班", settings.ORG_SIZE, created)
        for k in range(plan.orgs)]
    active = sink.boolean(True)
    yield "membership", ("id", "organisation_id", "person_id", "active", "joined_via", "joined_at", "left_at"), (
        (n, k + 1, pid, active, "proxy" if pid in plan.parent_of else "invite", joined, None)
        for n, (k, pid) in enumerate(
            ((k, pid) for k in range(plan.orgs) for pid in plan.member_ids[k]), start=1))
    org_of = {pid: k + 1 for k in range(plan.orgs) for pid in plan.member_ids[k]}
    yield "proxy_binding", ("id", "proxy_id", "declarant_id", "organisation_id", "active", "created_at"), [
        (n, parent, pid, org_of[pid], active, joined) for n, (pid, parent) in enumerate(plan.parent_of.items(), 1)]


class Declarations:
    """The declaration rows, oldest day first; the reports of closed days are collected on the way."""

    COLUMNS = ("id", "organisation_id", "person_id", "day", "actor_id", "source", "changed", "form_key",
               "created_at", "nationality", "household_region", "stay_on_campus", "returned",
               "location_province", "location_city", "temperature", "temperature_band", "has_symptoms",
               "risk_travel", "contact_case", "left_to_city", "left_to_abroad", "returned_today", "health_status",
               "remarks")
    REPORT_COLUMNS = ("id", "organisation_id", "day", "submitted_by_id", "submitted_at", "in_school_count",
                      "leave_count", "sick_absence_count", "missing_notes", "remarks", "totals")
    ENTRY_COLUMNS = ("id", "report_id", "person_id", "declaration_id")

    def __init__(self, plan: Plan, sink, answer_rules, answer_fields):
        self.plan, self.sink = plan, sink
        answers = [a for a, _ in PROFILES]
        self.weights = [w for _, w in PROFILES]
        self.values = [
            tuple(self._value(a[name]) for name in answer_fields) for a in answers
        ]
        self.changed = [[sink.boolean(answer_rules.is_changed(p, c)) for c in answers] for p in answers]
        self.stats = [answer_rules.totals([0], {0: a}) for a in answers]
        self.reports: list[tuple] = []
        self.entries: list[tuple] = []
        self.count = 0

    def _value(self, value):
        if isinstance(value, bool):
            return self.sink.boolean(value)
        if isinstance(value, Decimal):
            return self.sink.number(value)
        return value

    def rows(self):
        plan, sink = self.plan, self.sink
        rng = random.Random(2020)
        profiles = range(len(PROFILES))
        state = {pid: rng.choices(profiles, self.weights)[0] for org in plan.member_ids for pid in org}
        last: dict[int, int] = {}  # person → profile of their previous declaration
        decl_id = report_id = entry_id = 0
        for offset in range(plan.days - 1, -1, -1):
            day = plan.today - timedelta(days=offset)
            day_value = sink.day(day)
            rate = TODAY_RATE if offset == 0 else PAST_RATE
            reported = offset >= 2
            for k, members in enumerate(plan.member_ids):
                org_id, collector = k + 1, plan.collector_ids[k]
                latest: dict[int, tuple[int, int]] = {}  # person → (declaration id, profile)
                for n, pid in enumerate(members):
                    if rng.random() >= rate:
                        continue
                    times = 2 if rng.random() < TWICE_RATE else 1
                    for _ in range(times):
                        if rng.random() < SWITCH_RATE:
                            state[pid] = rng.choices(profiles, self.weights)[0]
                        profile = state[pid]
                        if reported and rng.random() < QUICKFILL_RATE:
                            actor, source = collector, "quickfill"
                        elif pid in plan.parent_of:
                            actor, source = plan.parent_of[pid], "proxy"
                        else:
                            actor, source = pid, "self"
                        previous = last.get(pid)
                        changed = self.changed[previous][profile] if previous is not None else sink.boolean(False)
                        decl_id += 1
                        minute = (n * 7 + decl_id) % 240
                        created = utc(day, 6 + minute // 60, minute % 60) if offset == 0 else utc(
                            day, 7 + minute // 20, minute % 60)
                        yield (decl_id, org_id, pid, day_value, actor, source, changed, f"seed:{decl_id}",
                               sink.timestamp(created), *self.values[profile])
                        last[pid] = profile
                        latest[pid] = (decl_id, profile)
                if reported:
                    report_id += 1
                    totals = {key: 0 for key in self.stats[0]}
                    for _, profile in latest.values():
                        for key, value in self.stats[profile].items():
                            totals[key] += value
                    totals["not_declared"] = len(members) - len(latest)
                    self.reports.append((
                        report_id, org_id, day_value, collector, sink.timestamp(utc(day, 21, k % 60)),
                        len(latest), len(members) - len(latest), 0, sink.json([]), "", sink.json(totals)))
                    for pid in members:
                        entry_id += 1
                        self.entries.append((entry_id, report_id, pid, latest[pid][0] if pid in latest else None))
        self.count = decl_id


def seed(kind: str, url: str, plan: Plan) -> dict:
    """Create the schema with the app's migrations and load the plan; return what took how long."""
    os.environ["DATABASE_URL"] = url
    from flask_migrate import upgrade

    from yks_web import create_app, privacy
    from yks_web.extensions import db
    from yks_web.models.declaration import ANSWER_FIELDS
    from yks_web.services import answers as answer_rules
    from yks_web.services.identity import build_id_card_number

    timings: dict[str, float] = {}
    rows: dict[str, int] = {}
    started = time.perf_counter()
    reset_database(kind, url)
    app = create_app()
    with app.app_context():
        upgrade()
        db.engine.dispose()  # the bulk load has the database to itself
    timings["schema (flask db upgrade)"] = time.perf_counter() - started

    sink = SqliteSink(url) if kind == "sqlite" else PostgresSink(url)
    mark = time.perf_counter()
    person_columns = ("id", "name", "id_type", "id_number", "id_masked", "id_hash", "phone", "phone_hash",
                      "is_operator", "created_at")
    rows["person"] = sink.write("person", person_columns, people_rows(plan, sink, privacy, build_id_card_number))
    timings["people (Fernet-encrypted ID numbers)"] = time.perf_counter() - mark
    mark = time.perf_counter()
    for table, columns, table_rows in school_rows(plan, sink):
        rows[table] = sink.write(table, columns, table_rows)
    timings["school, organisations, memberships"] = time.perf_counter() - mark
    mark = time.perf_counter()
    declarations = Declarations(plan, sink, answer_rules, ANSWER_FIELDS)
    rows["declaration"] = sink.write("declaration", Declarations.COLUMNS, declarations.rows())
    timings["declarations"] = time.perf_counter() - mark
    mark = time.perf_counter()
    rows["daily_report"] = sink.write("daily_report", Declarations.REPORT_COLUMNS, declarations.reports)
    rows["report_entry"] = sink.write("report_entry", Declarations.ENTRY_COLUMNS, declarations.entries)
    timings["daily reports and entries"] = time.perf_counter() - mark
    seed_places.seed(plan.extras, sink, privacy, build_id_card_number, utc, rows, timings, time.perf_counter)
    seed_groups.seed(plan.groups, sink, utc, rows, timings, time.perf_counter)
    mark = time.perf_counter()
    sink.finish([table for table in rows if table != "place_poster"])  # tables with an id sequence
    if kind == "postgresql":
        timings["sequences, VACUUM ANALYZE"] = time.perf_counter() - mark
    timings["total"] = time.perf_counter() - started
    return {"rows": rows, "seconds": {k: round(v, 1) for k, v in timings.items()}}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=["sqlite", "postgresql"])
    parser.add_argument("--orgs", type=int, default=settings.ORGANISATIONS)
    parser.add_argument("--members", type=int, default=settings.MEMBERS)
    parser.add_argument("--days", type=int, default=settings.DAYS)
    parser.add_argument("--visitors", type=int, default=settings.VISITORS)
    parser.add_argument("--checks", type=int, default=settings.STATS_CHECKS, help="checks of the 数据统计 place")
    parser.add_argument("--gate-checks", type=int, default=settings.GATE_CHECKS)
    parser.add_argument("--inspectors", type=int, default=settings.STATS_INSPECTORS,
                        help="inspectors of the 数据统计 place")
    parser.add_argument("--gate-inspectors", type=int, default=settings.GATE_INSPECTORS)
    parser.add_argument("--institution-members", type=int, default=settings.INSTITUTION_MEMBERS)
    parser.add_argument("--groups", type=int, default=settings.GROUPS, help="团体码 groups")
    parser.add_argument("--group-people", type=int, default=settings.GROUP_PEOPLE, help="people in each group")
    parser.add_argument("--url", help="database URL (default: the benchmark's database of that kind)")
    parser.add_argument("--manifest", type=Path, help="where to write who is who (JSON)")
    parser.add_argument("--result", type=Path, help="where to write row counts and timings (JSON)")
    args = parser.parse_args(argv)
    url = args.url or settings.database_url(args.kind)
    plan = Plan(args.orgs, args.members, args.days, settings.bench_today(), visitors=args.visitors,
                stats_checks=args.checks, gate_checks=args.gate_checks, stats_inspectors=args.inspectors,
                gate_inspectors=args.gate_inspectors, institution_members=args.institution_members,
                groups=args.groups, group_people=args.group_people)
    result = seed(args.kind, url, plan)
    manifest = args.manifest or settings.manifest_path(args.kind)
    manifest.parent.mkdir(parents=True, exist_ok=True)
    manifest.write_text(json.dumps(plan.manifest(args.kind, url)))
    if args.result:
        args.result.write_text(json.dumps(result, ensure_ascii=False))
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()

"""The benchmark's 团体码 (issue 13 item 7), seeded beside the places by bench/seed.py.

GROUPS full groups of GROUP_PEOPLE people each (the cap: creator, 5 admins and members), made of the places'
people (the institution's members, then the visitors; every group its own slice). Every one of them has health
data in the provider's tables (health_code for the yellow and red, a latest nucleic_acid_test, 0–3
vaccinations), and the group's snapshot (group_member's columns) as the last 【刷新数据】 at 09:00 left it, so at
the server's 10:00 each group may be refreshed again (once: the 30-minute cap), and 成员管理 / 数据统计 read a
real snapshot. Ids explicit, random choices seeded: both databases hold the same data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bench import settings
from yks_web.models.group import GROUP_TYPES, SHARED
from yks_web.services.group_data import test_window
from yks_web.services.health_data import NucleicAcidRecord

ADMINS = 5
YELLOW, RED = 0.06, 0.02  # shares of people whose code is yellow / red
TESTED = 0.92  # people with a test in the provider (the rest: none)
POSITIVE = 0.01
DOSES = [(3, 60), (2, 25), (1, 5), (0, 10)]
MANUFACTURERS = ("北京科兴", "北京生物", "武汉生物")
SOURCE = "广东省卫生健康委员会"


@dataclass
class Groups:
    """Who is in which group: consecutive slices of `pool` (the institution's members, then the visitors), the
    first of each slice its creator."""

    pool: list[int]
    today: date
    count: int = settings.GROUPS
    size: int = settings.GROUP_PEOPLE

    def __post_init__(self):
        if len(self.pool) < self.count * self.size:
            raise SystemExit(f"not enough people for {self.count} groups of {self.size}")
        self.members = {g + 1: self.pool[g * self.size:(g + 1) * self.size] for g in range(self.count)}

    def manifest(self) -> dict:
        """Each group, its creator, and one member's group_member id (rows are numbered group by group)."""
        return {"groups": [{"id": g, "creator_id": people[0], "people": len(people),
                            "member_id": (g - 1) * self.size + len(people) // 2 + 1}
                           for g, people in self.members.items()]}


def _window(result: str | None, sampled: datetime | None, at: datetime) -> str:
    """The 核酸 bucket as services/group_data.test_window files it (the same rule, not a copy)."""
    return test_window(NucleicAcidRecord(sampled, result, "") if result else None, at)


def seed(groups: Groups, sink, utc, rows: dict, timings: dict, clock) -> None:
    """Write the groups, their members (with the 09:00 snapshot), consents and everyone's health data."""
    mark = clock()
    rng = random.Random(53)
    created = utc(groups.today - timedelta(days=20), 9)
    snapshot = utc(groups.today, 9)
    health, tests, vaccines = [], [], []
    facts: dict[int, tuple] = {}
    everyone = [pid for people in groups.members.values() for pid in people]
    # The member the manifest names (bench/queries.py's 成员信息) is yellow with 2 doses in every group, so the
    # filtered 成员管理 it counts (黄码, 2剂次) lists at least one row on the small seed as on the full one.
    shown = {people[len(people) // 2] for people in groups.members.values()}
    for pid in everyone:
        roll = rng.random()
        colour = "red" if roll < RED else "yellow" if roll < RED + YELLOW else "green"
        if pid in shown:
            colour = "yellow"
        code = ("green", "未发现健康问题", None, "", "")
        if colour != "green":
            decided = snapshot - timedelta(hours=rng.randint(2, 72))
            code = (colour, "防控区域重点人员，请凭码检测", decided, "广州市",
                    "经大数据分析显示：您近期行程涉及疫情防控重点区域，请按要求进行核酸检测")
            health.append((len(health) + 1, pid, colour, code[1], sink.timestamp(decided), "广州市", code[4],
                           sink.timestamp(decided)))
        test = (None, None, None)
        if rng.random() < TESTED:
            sampled = snapshot - timedelta(minutes=rng.randint(60, 100 * 60))
            result = "阳性" if rng.random() < POSITIVE else "阴性"
            tested = sampled + timedelta(hours=rng.randint(4, 12))
            test = (result, sampled, tested)
            tests.append((len(tests) + 1, pid, sink.timestamp(sampled), result, "广州达瑞医学检验实验室",
                          sink.timestamp(tested), SOURCE))
        doses = 2 if pid in shown else rng.choices([d for d, _ in DOSES], [w for _, w in DOSES])[0]
        records = []
        for dose in range(1, doses + 1):
            on = date(2021, 3, 1) + timedelta(days=60 * (dose - 1) + pid % 30)
            maker = MANUFACTURERS[pid % len(MANUFACTURERS)]
            vaccines.append((len(vaccines) + 1, pid, dose, sink.day(on), maker, "越秀区接种点"))
            records.append({"dose": dose, "on": on.isoformat(), "manufacturer": maker, "site": "越秀区接种点"})
        facts[pid] = (code, test, doses, records)
    rows["health_code"] = rows.get("health_code", 0) + sink.write(
        "health_code", ("id", "person_id", "colour", "reason", "decided_at", "decided_city", "guidance",
                        "updated_at"), health)
    rows["nucleic_acid_test"] = rows.get("nucleic_acid_test", 0) + sink.write(
        "nucleic_acid_test", ("id", "person_id", "sampled_at", "result", "institution", "tested_at", "source"), tests)
    rows["vaccination"] = rows.get("vaccination", 0) + sink.write(
        "vaccination", ("id", "person_id", "dose", "vaccinated_on", "manufacturer", "site"), vaccines)
    timings["health data of the groups' people"] = clock() - mark

    mark = clock()
    yes = sink.boolean(True)
    rows["group_code"] = sink.write(
        "group_code", ("id", "name", "kind", "area_code", "address", "creator_id", "allow_join", "people",
                       "created_at", "updated_at", "refreshed_at"),
        [(g, f"基准测试团体-{g}", GROUP_TYPES[g % len(GROUP_TYPES)], "440104", f"北京路 {g} 号", people[0], yes,
          len(people), sink.timestamp(created), sink.timestamp(created), sink.timestamp(snapshot))
         for g, people in groups.members.items()])

    def member_rows():
        member_id = 0
        for g, people in groups.members.items():
            for n, pid in enumerate(people):
                member_id += 1
                role = "creator" if n == 0 else "admin" if n <= ADMINS else "member"
                (colour, reason, decided, city, guidance), (result, sampled, tested), doses, records = facts[pid]
                joined = created + timedelta(minutes=n)
                yield (member_id, g, pid, role, f"备注{n}" if n % 3 == 0 else "", None,
                       None if n == 0 else people[0], sink.timestamp(joined), sink.timestamp(snapshot),
                       colour, reason, sink.timestamp(decided) if decided else None, city, guidance,
                       result or "", sink.timestamp(sampled) if sampled else None,
                       sink.timestamp(tested) if tested else None, "广州达瑞医学检验实验室" if result else "",
                       SOURCE if result else "", _window(result, sampled, snapshot), doses,
                       sink.day(date.fromisoformat(records[-1]["on"])) if records else None, sink.json(records))

    rows["group_member"] = sink.write(
        "group_member", ("id", "group_id", "person_id", "role", "remark", "phone", "invited_by_id", "joined_at",
                         "snapshot_at", "code_colour", "code_reason", "code_decided_at", "code_city",
                         "code_guidance", "test_result", "test_sampled_at", "test_tested_at", "test_institution",
                         "test_source", "test_window", "vaccine_doses", "vaccine_last_on", "vaccine_records"),
        member_rows())
    rows["group_consent"] = sink.write(
        "group_consent", ("id", "group_id", "person_id", "group_name", "scope", "agreement_version", "granted_at",
                          "ended_at", "ended_reason"),
        ((n, g, pid, f"基准测试团体-{g}", sink.json(list(SHARED)), "2022-05", sink.timestamp(created), None, "")
         for n, (g, pid) in enumerate(((g, pid) for g, people in groups.members.items() for pid in people), 1)))
    timings["groups, members (with their snapshot), consents"] = clock() - mark

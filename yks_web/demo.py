"""Demo data for `make run` (issue 2 item 5): a school, its admin, a collector with a
50-member class, and 7 days of declarations — self, proxy, changed and missing.

Every demo person is also a record of the built-in real-name source (issue 8 item 1), so the printed
accounts log in; 黄伟斌's family (a grown son in the class and a young child) share one 户籍 household.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from yks_web import demo_grid, demo_groups, demo_o, demo_places
from yks_web.i18n import N_
from yks_web.models import (
    Collector,
    DailyReport,
    Declaration,
    FamilyMember,
    Grid,
    Institution,
    Membership,
    Organisation,
    Person,
    Place,
    ProxyBinding,
    ReportEntry,
    SchoolAdmin,
    TemperatureCheck,
)
from yks_web.privacy import lookup_hash
from yks_web.services import answers as answer_rules
from yks_web.services import (
    family,
    health_data,
    health_records,
    invites,
    membership,
    place_posters,
    realname_table,
    schools,
)
from yks_web.services.identity import build_id_card_number, find_person, make_identity

SURNAMES = "黄李陈张刘王杨赵周吴林何郭罗梁宋郑谢韩唐冯许邓曾彭"  # i18n: data
GIVEN = ["晓明", "宇轩", "子涵", "梓萱", "浩然", "一诺", "欣怡", "俊杰", "思远", "雨桐",  # i18n: data
         "嘉怡", "泽宇", "佳琪", "志强", "诗涵", "天佑", "若曦", "明轩", "可馨", "子墨"]  # i18n: data
MEMBERS = 50
PROXIED = 10  # students declared by a parent
PARENT_GIVEN = ["建国", "丽华", "志明", "秀英", "海峰", "美玲", "国强", "淑芬", "文杰", "红梅"]  # i18n: data
HOUSEHOLD = "440106012345"  # 黄伟斌's 户籍户号: his son in the class and his young child share it
CHILD = ("黄小宝", build_id_card_number("440106", date(2016, 6, 1), 71))  # i18n: data


@dataclass(frozen=True)
class Account:
    role: str  # printed to whoever runs `make run`: N_, the command says it with gettext
    name: str
    id_number: str
    phone: str


ACCOUNTS = [
    Account(N_("平台运营人员"), "王运营",  # i18n: data (a name)
            build_id_card_number("440104", date(1985, 3, 2), 11), "13800000001"),
    Account(N_("学校管理员"), "李校管",  # i18n: data (a name)
            build_id_card_number("440104", date(1978, 6, 15), 21), "13800000002"),
    Account(N_("采集员（班主任）"), "蒋小华",  # i18n: data (a name)
            build_id_card_number("440106", date(1988, 9, 9), 31), "13800000003"),
    Account(N_("学生（本人填报）"), "黄恺",  # i18n: data (a name)
            build_id_card_number("440106", date(2008, 1, 1), 1), "13800000004"),
    Account(N_("家长（代他人填报）"), "黄伟斌",  # i18n: data (a name)
            build_id_card_number("440106", date(1980, 5, 20), 41), "13800000005"),
    Account(N_("居民（黄码）"), "陈晓黄",  # i18n: data (a name)
            build_id_card_number("440103", date(1990, 7, 7), 51), "13800000006"),
    Account(N_("居民（红码）"), "刘晓红",  # i18n: data (a name)
            build_id_card_number("440105", date(1992, 8, 8), 61), "13800000007"),
    Account(N_("公共场所管理员"), *demo_places.ADMIN),
    Account(N_("公共场所检测员（保安）"), *demo_places.GUARD),
    Account(N_("组织机构管理员"), *demo_o.INSTITUTION_ADMIN),
    Account(N_("医护人员"), *demo_o.DOCTOR),
    Account(N_("区划管理员（广州市）"), *demo_grid.CITY_ADMIN),
    Account(N_("区划管理员（天河区）"), *demo_grid.DISTRICT_ADMIN),
    Account(N_("区划管理员（石牌街道）"), *demo_grid.TOWN_ADMIN),
    Account(N_("网格管理员（已生效）"), *demo_grid.GRID_ADMIN),
    Account(N_("网格管理员（待确认）"), *demo_grid.PENDING_ADMIN),
    Account(N_("网格员（已授权）"), *demo_grid.WORKER),
    Account(N_("团体创建人"), *demo_groups.CREATOR),
]


def _person(session: Session, name: str, id_number: str, phone: str | None = None) -> Person:
    identity = make_identity(name, "id_card", id_number)
    person = find_person(session, identity)
    if person is None:
        person = Person(name=name, id_type="id_card", id_number=id_number, id_hash=identity.hash)
        session.add(person)
    if phone:
        person.phone = phone
        person.phone_hash = lookup_hash("phone", phone)
    session.flush()
    person.name_verified_at = person.name_verified_at or person.created_at  # the source's names (_realname)
    return person


def _answers(rng: random.Random, moved: bool) -> dict:
    fever = rng.random() < 0.03
    return {
        "nationality": "中国",  # i18n: data
        "household_region": "广东省广州市",  # i18n: data
        "stay_on_campus": False,
        "returned": True,
        "location_province": "广东省",  # i18n: data
        "location_city": "深圳市" if moved else "广州市",  # i18n: data
        "temperature": Decimal("37.6") if fever else Decimal(f"36.{rng.randint(2, 8)}"),
        "temperature_band": None,
        "has_symptoms": fever,
        "risk_travel": False,
        "contact_case": False,
        "left_to_city": moved,
        "left_to_abroad": False,
        "returned_today": not moved,
        "health_status": "居家观察" if fever else "健康",  # i18n: data
        "remarks": "",
    }


def load(session: Session, *, today: date, utc_now: datetime, base_url: str) -> dict:
    """Create the demo world once; return the accounts and links to print."""
    operator_account, admin_account, collector_account, student_account, parent_account = ACCOUNTS[:5]
    existing = find_person(session, make_identity(operator_account.name, "id_card", operator_account.id_number))
    if existing is not None:
        if not realname_table.record_count(session):  # a demo loaded before the real-name source existed
            _realname(session, today, utc_now)
        org = session.scalar(select(Organisation).order_by(Organisation.id).limit(1))
        _places(session, org, today, utc_now)
        return _summary(session, org, utc_now, base_url)

    operator = _person(session, operator_account.name, operator_account.id_number, operator_account.phone)
    operator.is_operator = True
    school, _ = schools.create_school(
        session, name="广州市第一示范中学", school_type="高中",  # i18n: data
        region="广东省广州市越秀区", utc_now=utc_now,  # i18n: data
    )
    admin = _person(session, admin_account.name, admin_account.id_number, admin_account.phone)
    session.add(SchoolAdmin(school_id=school.id, person_id=admin.id))
    collector_person = _person(session, collector_account.name, collector_account.id_number, collector_account.phone)
    collector = Collector(school_id=school.id, person_id=collector_person.id)
    session.add(collector)
    session.flush()
    org = Organisation(school_id=school.id, collector_id=collector.id, target="student",
                       school_type="高中",  # i18n: data
                       major="", name="高一(1)班", size=MEMBERS + 2)  # i18n: data
    session.add(org)
    session.flush()

    rng = random.Random(2020)
    students = [_person(session, student_account.name, student_account.id_number, student_account.phone)]
    for i in range(1, MEMBERS):
        surname = "黄" if i == 1 else SURNAMES[i % len(SURNAMES)]  # students[1] is 黄伟斌's son (i18n: data)
        name = surname + GIVEN[(i * 7) % len(GIVEN)]
        number = build_id_card_number("440106", date(2008, 1 + i % 12, 1 + i % 28), i + 100)
        students.append(_person(session, name, number))
    joined_at = utc_now - timedelta(days=10)
    for student in students:
        membership.join(session, org, student, "invite", joined_at)

    parent = _person(session, parent_account.name, parent_account.id_number, parent_account.phone)
    proxies: dict[int, Person] = {}
    for i, student in enumerate(students[1 : PROXIED + 1], start=1):
        proxy = parent if i == 1 else _person(
            session, student.name[0] + PARENT_GIVEN[i - 1], build_id_card_number("440106", date(1980, 1, i), 500 + i)
        )
        session.add(ProxyBinding(proxy_id=proxy.id, declarant_id=student.id, organisation_id=org.id,
                                 created_at=joined_at, typed_name=student.name))
        proxies[student.id] = proxy
    session.flush()

    previous: dict[int, dict] = {}
    for offset in range(6, -1, -1):
        day = today - timedelta(days=offset)
        missing_rate = 0.3 if offset == 0 else 0.1
        latest: dict[int, Declaration] = {}
        for n, student in enumerate(students):
            if n > 0 and rng.random() < missing_rate:
                continue
            values = _answers(rng, moved=rng.random() < 0.08)
            actor = proxies.get(student.id, student)
            declaration = Declaration(
                organisation_id=org.id, person_id=student.id, actor_id=actor.id, day=day,
                source="proxy" if student.id in proxies else "self",
                form_key=f"demo:{day}:{student.id}",
                created_at=utc_now - timedelta(days=offset, hours=2, minutes=n),
                changed=answer_rules.is_changed(previous.get(student.id), values),
                **values,
            )
            session.add(declaration)
            previous[student.id] = values
            latest[student.id] = declaration
        session.flush()
        if offset >= 2:  # past days were reported; yesterday and today are still open
            ids = [s.id for s in students]
            report = DailyReport(
                organisation_id=org.id, day=day, submitted_by_id=collector_person.id,
                submitted_at=utc_now - timedelta(days=offset - 1, hours=14),
                in_school_count=len(latest), leave_count=len(students) - len(latest), sick_absence_count=0,
                remarks="", missing_notes=[],
                totals=answer_rules.totals(ids, {p: d.answers() for p, d in latest.items()}),
            )
            session.add(report)
            session.flush()
            session.add_all(ReportEntry(report_id=report.id, person_id=p,
                                        declaration_id=latest[p].id if p in latest else None) for p in ids)
    session.flush()
    _health(session, students, parent, utc_now)
    _realname(session, today, utc_now)
    _places(session, org, today, utc_now)
    return _summary(session, org, utc_now, base_url)


def _places(session: Session, org: Organisation, today: date, utc_now: datetime) -> None:
    """公共场所 (issue 10): the class's students are the shopping centre's visitors; then 组织机构 and 医护人员."""
    students = list(session.scalars(
        select(Person).join(Membership, Membership.person_id == Person.id).where(Membership.organisation_id == org.id)
    ))
    demo_places.load(session, person_factory=_person, students=students, today=today, utc_now=utc_now)
    # 组织机构 and 医护人员 (issue 11): the parents work at one institution; the red-coded resident is observed.
    parents = list(session.scalars(
        select(Person).join(ProxyBinding, ProxyBinding.proxy_id == Person.id)
        .where(ProxyBinding.organisation_id == org.id).order_by(Person.id).distinct()
    ))
    red_hash = make_identity("", "id_card", ACCOUNTS[6].id_number).hash
    red = session.scalar(select(Person).where(Person.id_hash == red_hash))
    demo_o.load(session, person_factory=_person, members=parents, observed=red, today=today, utc_now=utc_now)
    demo_grid.load(session, person_factory=_person, today=today, utc_now=utc_now)  # 网格 (issue 12)
    # 团体码 (issue 13): the parents and the yellow- and red-coded residents are members of one group.
    yellow_hash = make_identity("", "id_card", ACCOUNTS[5].id_number).hash
    yellow = session.scalar(select(Person).where(Person.id_hash == yellow_hash))
    demo_groups.load(session, person_factory=_person, members=[p for p in (*parents, yellow, red) if p is not None],
                     today=today, utc_now=utc_now)


def _health(session: Session, students: list[Person], parent: Person, utc_now: datetime) -> None:
    """粤康码 demo (H1–H4): green, yellow and red people, tests, doses, a family member, histories."""
    yellow_account, red_account = ACCOUNTS[5:7]
    yellow = _person(session, yellow_account.name, yellow_account.id_number, yellow_account.phone)
    red = _person(session, red_account.name, red_account.id_number, red_account.phone)
    health_data.set_status(
        session, yellow.id, colour="yellow", reason="14日内有中高风险地区旅居史", city="广州市",  # i18n: data
        guidance="请自行居家健康监测，3天内完成2次核酸检测，结果均为阴性后自动转为绿码。",  # i18n: data
        utc_now=utc_now,
    )
    health_data.set_status(
        session, red.id, colour="red", reason="密切接触者", city="广州市",  # i18n: data
        guidance="请配合属地落实集中隔离医学观察，解除医学观察后凭告知书转为绿码。", utc_now=utc_now,  # i18n: data
    )
    student = students[0]
    for hours, person in ((10, student), (30, parent), (20, yellow)):
        health_records.add_test(session, person.id, sampled_at=utc_now - timedelta(hours=hours),
                                result="阴性",  # i18n: data
                                institution="广州市第一人民医院")  # i18n: data
    for dose, person in ((1, student), (2, student), (1, parent), (2, parent), (3, parent)):
        health_records.add_vaccination(session, person.id, dose=dose,
                                       vaccinated_on=(utc_now - timedelta(days=200 - 60 * dose)).date(),
                                       manufacturer="北京科兴")  # i18n: data
    health_records.add_entry(session, yellow.id, arrived_on=(utc_now - timedelta(days=3)).date(),
                             from_region="上海市", destination="广州市天河区",  # i18n: data
                             transport="高铁 G101", utc_now=utc_now)  # i18n: data
    session.add(TemperatureCheck(person_id=student.id, checked_at=utc_now - timedelta(hours=3),
                                 result="正常",  # i18n: data
                                 place_name="广州市第一示范中学东门"))  # i18n: data
    child = _person(session, *CHILD)
    for member, basis in ((students[1], "household"), (child, "guardian")):  # I7: no phone / a minor
        row = FamilyMember(owner_id=parent.id, member_id=member.id, relation="子女", created_at=utc_now,  # i18n: data
                           typed_name=member.name)
        session.add(row)
        family.consent(row, basis, utc_now)
    session.flush()


def _realname(session: Session, today: date, utc_now: datetime) -> None:
    """Every demo person as a record of the built-in real-name source (SPEC I6); one household for the family."""
    parent_number = ACCOUNTS[4].id_number
    family_numbers = {parent_number, CHILD[1]}
    son = session.scalar(
        select(ProxyBinding.declarant_id).join(Person, Person.id == ProxyBinding.proxy_id)
        .where(Person.id_hash == make_identity("", "id_card", parent_number).hash).limit(1)
    )
    for person in session.scalars(select(Person).order_by(Person.id)):
        in_family = person.id_number in family_numbers or person.id == son
        realname_table.set_record(
            session, make_identity(person.name, person.id_type, person.id_number), utc_now=utc_now, today=today,
            phone=person.phone, household=HOUSEHOLD if in_family else None,
        )


def _summary(session: Session, org: Organisation, utc_now: datetime, base_url: str) -> dict:
    member_invite = invites.member_invite(
        session, org_id=org.id, school_id=org.school_id, creator_id=None, utc_now=utc_now
    )
    collector_invite = invites.current_or_new(session, kind="collector", school_id=org.school_id, utc_now=utc_now)
    place = session.scalar(select(Place).where(Place.name == demo_places.PLACE_NAME))
    poster = place_posters.live(session, place.id)
    return {
        "place": place.name, "place_code": place.code, "poster": f"{base_url}/p/{poster.token}",
        "institution": demo_o.INSTITUTION,
        "institution_code": session.scalar(select(Institution.code).where(Institution.name == demo_o.INSTITUTION)),
        "grid": demo_grid.GRID_NAME,
        "grid_code": session.scalar(select(Grid.code).where(Grid.name == demo_grid.GRID_NAME)),
        "accounts": ACCOUNTS,
        "organisation": org.name,
        "member_invite": f"{base_url}/invite/{member_invite.token}",
        "collector_invite": f"{base_url}/invite/{collector_invite.token}",
    }

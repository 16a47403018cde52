"""Plain factory functions for test data (STYLE §9)."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from yks_web import clock
from yks_web.models import Collector, Declaration, Organisation, Person, ProxyBinding, School, SchoolAdmin
from yks_web.models.realname import RealNameRecord
from yks_web.privacy import lookup_hash
from yks_web.services.identity import build_id_card_number, make_identity
from yks_web.services.membership import join
from yks_web.services.realname_table import household_hash, id_card_birth_date

_sequence = itertools.count(1)


def id_number(seq: int | None = None) -> str:
    n = seq if seq is not None else next(_sequence)
    return build_id_card_number("440106", date(2000 + n % 20, 1 + n % 12, 1 + n % 28), n)


def register_identity(db, name: str = "黄恺", number: str | None = None, *, id_type: str = "id_card",
                      phone: str | None = None, household: str | None = None, birth_date: date | None = None,
                      father=None, mother=None) -> RealNameRecord:
    """A record of the built-in real-name source (issue 8 item 1), written directly as a test scene.

    father / mother: (id_type, id_number) of the parents on a 出生医学证明.
    """
    number = number or id_number()
    identity = make_identity(name, id_type, number)
    if birth_date is None and id_type == "id_card":
        birth_date = id_card_birth_date(number)
    record = RealNameRecord(
        id_type=id_type, id_number=identity.id_number, id_hash=identity.hash, name=identity.name,
        phone_hash=lookup_hash("phone", phone) if phone else None, household_hash=household_hash(household) if
        household else None, birth_date=birth_date, father_hash=lookup_hash(*father) if father else None,
        mother_hash=lookup_hash(*mother) if mother else None,
    )
    db.session.add(record)
    db.session.flush()
    return record


def ensure_registered(db, name: str, number: str, *, id_type: str = "id_card",
                      phone: str | None = None) -> RealNameRecord:
    """The source's record of this 证件 (with `phone`, the one it holds), made under `name` unless there is
    one already (e2e logins)."""
    identity = make_identity(name, id_type, number)
    record = db.session.scalar(
        select(RealNameRecord).where(RealNameRecord.id_type == id_type, RealNameRecord.id_hash == identity.hash)
    )
    return record or register_identity(db, name, number, id_type=id_type, phone=phone)


def make_person(db, name: str = "黄恺", number: str | None = None, phone: str | None = None, *,
                verified: bool = True, register: bool = True, household: str | None = None, **kw) -> Person:
    """A person who can log in: the real-name source holds them (register) and, unless told otherwise,
    they have logged in before, so their name is the verified one."""
    number = number or id_number()
    identity = make_identity(name, "id_card", number)
    if register:
        register_identity(db, name, number, household=household, phone=phone)
    kw.setdefault("name_verified_at", clock.utcnow() if verified else None)
    person = Person(name=name, id_type="id_card", id_number=number, id_hash=identity.hash, **kw)
    if phone:
        person.phone = phone
        person.phone_hash = lookup_hash("phone", phone)
    db.session.add(person)
    db.session.flush()
    return person


def student_name(i: int) -> str:
    """学生〇, 学生一 …: names are letters only (issue 8 item 10), so they can be typed into the forms."""
    return "学生" + "".join("〇一二三四五六七八九"[int(d)] for d in str(i))


def make_school(db, name: str = "广州市第一示范中学", **kw) -> School:
    school = School(name=name, school_type=kw.pop("school_type", "高中"), region=kw.pop("region", "广东省广州市"), **kw)
    db.session.add(school)
    db.session.flush()
    return school


def make_admin(db, school: School, person: Person | None = None) -> Person:
    person = person or make_person(db, "李校管")
    db.session.add(SchoolAdmin(school_id=school.id, person_id=person.id))
    db.session.flush()
    return person


def make_org(db, school: School | None = None, collector: Person | None = None, *, members: int = 0,
             size: int = 50, name: str = "高一(1)班") -> Organisation:
    """A collector's organisation with `members` joined members."""
    school = school or make_school(db)
    collector = collector or make_person(db, "蒋小华")
    row = Collector(school_id=school.id, person_id=collector.id)
    db.session.add(row)
    db.session.flush()
    org = Organisation(school_id=school.id, collector_id=row.id, target="student", school_type="高中",
                       major="", name=name, size=size)
    db.session.add(org)
    db.session.flush()
    for i in range(members):
        join(db.session, org, make_person(db, student_name(i)), "invite", clock.utcnow())
    db.session.flush()
    return org


def bind(db, org: Organisation, proxy: Person, declarant: Person) -> ProxyBinding:
    binding = ProxyBinding(proxy_id=proxy.id, declarant_id=declarant.id, organisation_id=org.id)
    db.session.add(binding)
    join(db.session, org, declarant, "proxy", clock.utcnow())
    db.session.flush()
    return binding


def answers(**overrides) -> dict:
    """A healthy member's declaration answers."""
    values = {
        "nationality": "中国",
        "household_region": "广东省广州市",
        "stay_on_campus": False,
        "returned": True,
        "location_province": "广东省",
        "location_city": "广州市",
        "temperature": Decimal("36.5"),
        "temperature_band": None,
        "has_symptoms": False,
        "risk_travel": False,
        "contact_case": False,
        "left_to_city": False,
        "left_to_abroad": False,
        "returned_today": True,
        "health_status": "健康",
        "remarks": "",
    }
    values.update(overrides)
    return values


def declare(db, org: Organisation, person: Person, day: date, *, actor: Person | None = None,
            source: str = "self", changed: bool = False, **overrides) -> Declaration:
    """A declaration row written directly (no deadline rules): for setting up a scene."""
    declaration = Declaration(
        organisation_id=org.id, person_id=person.id, actor_id=(actor or person).id, day=day, source=source,
        changed=changed, form_key=f"factory:{next(_sequence)}", **answers(**overrides),
    )
    db.session.add(declaration)
    db.session.flush()
    return declaration


def form_answers(**overrides) -> dict:
    """The declaration form as a browser posts it."""
    data = {
        "nationality": "中国",
        "household_region": "广东省广州市",
        "stay_on_campus": "no",
        "returned": "yes",
        "location_province": "广东省",
        "location_city": "广州市",
        "temperature": "36.5",
        "temperature_band": "",
        "has_symptoms": "no",
        "risk_travel": "no",
        "contact_case": "no",
        "left_to_city": "no",
        "left_to_abroad": "no",
        "returned_today": "yes",
        "health_status": "健康",
        "remarks": "",
        "day": "today",
    }
    data.update(overrides)
    return data

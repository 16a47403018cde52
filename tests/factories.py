"""Plain factory functions for test data (STYLE §9)."""

from __future__ import annotations

import itertools
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select

from yks_web import clock
from yks_web.health_setup import provider
from yks_web.models import Collector, Declaration, Organisation, Person, ProxyBinding, School, SchoolAdmin
from yks_web.models.grid import DistrictAdmin, Grid, GridStaff, GridVisit
from yks_web.models.health import ObservationNotice, TemperatureCheck
from yks_web.models.institution import Institution, InstitutionDeclaration
from yks_web.models.medical import VIA_CLI, MedicalObservation, MedicalStaff
from yks_web.models.place import Place, PlaceHandover, PlacePoster, PlaceStaff
from yks_web.models.realname import RealNameRecord
from yks_web.privacy import lookup_hash
from yks_web.services import (
    grid_visits,
    grids,
    institution_members,
    institutions,
    medical_notices,
    medical_staff,
    observations,
    place_checks,
    place_staff,
    places,
)
from yks_web.services import group_members as group_members_service
from yks_web.services import groups as groups_service
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


# -- 公共场所 (issue 10) and 组织机构 (issue 11): made through their services, as the screens make them ----------


def _someone(db, person: Person | str | None, default: str) -> Person:
    """`person` itself, or a new person named `person` (or `default`)."""
    return person if isinstance(person, Person) else make_person(db, person or default)


def make_place(db, admin: Person | None = None, name: str = "天河城购物中心", *, kind: str = "商场商店",
               area_code: str = "440106006", address: str = "天河路208号", phone: str = "13800138001",
               poster: bool = True) -> Place:
    """A place as 创建公共场所 leaves it (services/places.create): its admin (a new 李场管 unless given), its fixed
    场所申报码 and, unless poster=False, its live 葵花码. Area 440106006 is 广州市天河区石牌街道."""
    admin = admin or make_person(db, "李场管")
    info = places.PlaceInfo(area_code=area_code, address=address, kind=kind, name=name, phone=phone)
    place = places.create(db.session, admin.id, info, clock.utcnow())
    if not poster:  # a place from before posters were issued at creation
        db.session.execute(delete(PlacePoster).where(PlacePoster.place_id == place.id))
    db.session.flush()
    return place


def make_place_staff(db, place: Place, person: Person | str | None = None, *, active: bool = True) -> PlaceStaff:
    """An inspector's binding to `place` (place_staff.bind), for a person or a new one of that name;
    active=False: unbound since (by the admin), the row kept for the place's history."""
    person = _someone(db, person, "赵检测")
    staff = place_staff.bind(db.session, person.id, place, clock.utcnow())
    if not active:
        place_staff.unbind(db.session, staff, by="admin", utc_now=clock.utcnow())
    db.session.flush()
    return staff


def make_inspector(db, place: Place, person: Person | str | None = None, *, active: bool = True) -> Person:
    """公共场所检测员 of `place`: `person`, or a new person of that name (赵检测 unless told)."""
    return make_place_staff(db, place, person, active=active).person


def make_handover(db, place: Place, staff: PlaceStaff) -> PlaceHandover:
    """更换绑定 offered by the place's admin to the inspector of `staff`, waiting for their answer."""
    return places.offer_handover(db.session, place, staff, place.admin_id, clock.utcnow())


def make_check(db, place: Place, person: Person, *, result: str = "正常", inspector: Person | None = None,
               at: datetime | None = None) -> TemperatureCheck:
    """A check as place_checks.record writes it: an inspector's scan, or a 快速打卡 without one. `at` is the
    local (Asia/Shanghai) moment, the clock's now unless given; the clock itself is not moved."""
    local_now = clock.now() if at is None else at if at.tzinfo else at.replace(tzinfo=clock.TZ)
    return place_checks.record(
        db.session, place=place, person=person, result=result,
        method=place_checks.SCAN if inspector else place_checks.CHECKIN,
        inspector_id=inspector.id if inspector else None, form_key=None,
        utc_now=local_now.astimezone(ZoneInfo("UTC")).replace(tzinfo=None), local_now=local_now,
    ).check


def make_institution(db, admin: Person | None = None, name: str = "天河区某某公司", *, level: str = "其他",
                     phone: str = "13800000001", address: str = "天河路1号") -> Institution:
    """An institution as 绑定组织机构 leaves it (services/institutions.register), with its 组织机构申报码; its
    admin is a new "<name>管理员" unless given."""
    admin = admin or make_person(db, f"{name}管理员")
    details = institutions.Details(name=name, level=level, phone=phone, address=address)
    institution = institutions.register(db.session, admin.id, details, clock.utcnow())
    db.session.flush()
    return institution


def make_institution_member(db, institution: Institution, person: Person | str | None = None, *,
                            at: datetime | None = None) -> Person:
    """组织机构成员 of `institution` (institution_members.bind), bound at `at` (naive UTC; the clock's unless given):
    `person`, or a new person of that name (陈成员 unless told)."""
    person = _someone(db, person, "陈成员")
    institution_members.bind(db.session, person.id, institution, at or clock.utcnow())
    db.session.flush()
    return person


def make_institution_declaration(db, institution: Institution, person: Person, *, day: date | None = None,
                                 **overrides) -> InstitutionDeclaration:
    """成员申报 of a member for `day` (today unless told): a healthy member's answers (the personal declaration's
    part of them), 在岗 at 本部."""
    return institution_members.declare(
        db.session, institution_id=institution.id, person_id=person.id, answers=answers(**overrides), on_duty=True,
        work_place="本部", form_key=f"factory:{next(_sequence)}", day=day or clock.today(), utc_now=clock.utcnow(),
    )


# -- 医护人员 (issue 11 items 4–6): enabled as the operator enables them, notices issued as 【提交】 issues them ----


def make_medical_staff(db, person: Person, *, unit: str = "越秀区人民医院", position: str = "主治医师") -> MedicalStaff:
    """医护人员 enabled for `person` (their verified name and their phone: they must have one), as by the CLI."""
    values, errors = medical_staff.clean({"name": person.name, "phone": person.phone, "unit": unit,
                                          "position": position})
    assert not errors, errors
    return medical_staff.enable(db.session, values, actor_id=None, via=VIA_CLI, utc_now=clock.utcnow())


def make_observation(db, person: Person, *, reason: str = "密切接触者", since: date = date(2026, 11, 6),
                     colour: str = "red") -> MedicalObservation:
    """医学观察 of `person` since `since`, added by the operator; with `colour`, the code turns that colour."""
    return observations.add(db.session, person.id, reason=reason, started_on=since, unit="越秀区集中隔离点",
                            created_by_id=None, utc_now=clock.utcnow(), today=clock.today(), colour=colour)


def make_notice(db, staff: MedicalStaff, issuer: Person, observation: MedicalObservation) -> ObservationNotice:
    """解除医学观察电子告知书 of `observation`, issued today by `issuer` (enabled as `staff`)."""
    person = db.session.get(Person, observation.person_id)
    return medical_notices.issue(
        db.session, provider(), staff=staff, issuer_id=issuer.id, person=person, observation_id=observation.id,
        released_on=clock.today(), remarks="", form_key=f"factory:{next(_sequence)}",
        cap=medical_notices.DEFAULT_PER_DAY, utc_now=clock.utcnow(), local_now=clock.now(),
    ).notice


def make_district_admin(db, person: Person | str | None = None, area_code: str = "440106006", *,
                        appointed_by: Person | None = None) -> DistrictAdmin:
    """A 区划管理员 of `area_code` (city 4 digits, district 6, town 9; default 广州市天河区石牌街道), for a person
    or a new one of that name; appointed_by None is the operator's (CLI/page) appointment, written directly."""
    person = _someone(db, person, "区划管")
    row = DistrictAdmin(person_id=person.id, area_code=area_code,
                        appointed_by_id=appointed_by.id if appointed_by else None, appointed_at=clock.utcnow())
    db.session.add(row)
    db.session.flush()
    return row


def make_grid(db, admin: Person | str | None = None, name: str = "石牌街道一社区网格", *,
              area_code: str = "440106006", status: str = "pending", reason: str = "") -> Grid:
    """A grid as 创建网格 leaves it (services/grids.create: pending, its 网格申报码 starting with 6), for `admin` (a
    new 周网管 unless given); status "active" / "rejected" (with `reason`) as if a 区划管理员 had decided."""
    admin = _someone(db, admin, "周网管")
    grid = grids.create(db.session, admin.id, area_code, name, clock.utcnow())
    if status != "pending":
        grid.status, grid.decided_at, grid.reject_reason = status, clock.utcnow(), reason
    db.session.flush()
    return grid


def make_grid_staff(db, grid: Grid, person: Person | str | None = None, *, authorised: bool = False,
                    active: bool = True) -> GridStaff:
    """A 网格员's binding to `grid`, written directly (the binding screens come with issue 12 item 5)."""
    person = _someone(db, person, "吴网格")
    staff = GridStaff(grid_id=grid.id, person_id=person.id, authorised=authorised, active=active,
                      bound_at=clock.utcnow(), ended_at=None if active else clock.utcnow())
    db.session.add(staff)
    db.session.flush()
    return staff


_new_number = id_number  # make_grid_visit's argument shadows it


def make_grid_visit(db, grid: Grid, worker: Person | int, person: Person | None = None, *, name: str = "黄小明",
                    id_type: str = "id_card", id_number: str | None = None, address: str = "石牌街道一社区1栋101",
                    method: str = "manual", at: datetime | None = None, **answers) -> GridVisit:
    """A 网格员's door-to-door visit as services/grid_visits.record stores it, written directly (the grid's status and
    the binding are not checked): of `person` (their name and 证件) when given, else of the typed `name`/证件. `at` is
    the local (Asia/Shanghai) moment, the clock's now unless given; `answers` are VisitAnswers' (has_symptoms …)."""
    local = clock.now() if at is None else at if at.tzinfo else at.replace(tzinfo=clock.TZ)
    utc = local.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)
    if person is not None:
        name, id_type, id_number = person.name, person.id_type, person.id_number
    identity = make_identity(name, id_type, id_number or _new_number())
    visit = GridVisit(
        grid_id=grid.id, worker_id=worker if isinstance(worker, int) else worker.id,
        person_id=person.id if person is not None else None, name=identity.name, id_type=id_type,
        id_number=identity.id_number, id_hash=identity.hash, address=address, method=method,
        client_key=f"factory-{next(_sequence)}", recorded_at=utc, created_at=utc,
        local_day=grid_visits.local_day(utc), **answers,
    )
    db.session.add(visit)
    db.session.flush()
    return visit


# -- 团体码 (issue 13): made through services/groups and group_members, as the screens make them ------------------


def make_group(db, creator: Person | str | None = None, name: str = "数字广东广报14楼", *, kind: str = "企业",
               area_code: str = "440105", address: str = "阅江西路118号", phone: str = "13800000012"):
    """A group as 创建团体 leaves it (services/groups.create): its creator (a new 李晓明 unless given) is its first
    person, with a consent row. Area 440105 is 广州市海珠区."""
    creator = _someone(db, creator, "李晓明")
    group = groups_service.create(db.session, creator.id, groups_service.GroupInfo(name, kind, area_code, address),
                                  phone=phone, utc_now=clock.utcnow())
    db.session.flush()
    return group


def make_group_member(db, group, person: Person | str | None = None, *, role: str = "member", remark: str = "",
                      phone: str = "13900000000"):
    """`person` (a new 张三 unless given) joins `group` through a fresh invitation (services/group_members.join,
    so the 500 cap and the switch hold, and the consent is recorded); role "admin" as if the creator set it."""
    person = _someone(db, person, "张三")
    invite = group_members_service.invite(db.session, group, group.creator_id, clock.utcnow())
    member, _ = group_members_service.join(db.session, invite.token, person.id, remark=remark, phone=phone,
                                           utc_now=clock.utcnow())
    if role == "admin":
        group_members_service.set_admin(db.session, group, group.creator_id, member)
    db.session.flush()
    return member

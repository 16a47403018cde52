"""注销账号 (issue 16 item 2; SPEC P6, P10): everything about the person goes, what others hold by right stays in the
least identifying form, roles others depend on block, and the number of statements does not grow with the data.

The key test builds a person with rows in nearly every table, deletes the account, then walks db.metadata's tables:
no column that names a person holds the deleted ids, no column holds their 证件 hash, phone hash, name, 证件 number
or phone (encrypted columns are read back decrypted), JSON included — except the real-name source's record, which
is not the account's — and each kept row is named and checked to be there, anonymous.
"""

from __future__ import annotations

import json
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import JSON, String, Text, event, func, select

from tests.factories import (
    bind,
    declare,
    make_admin,
    make_check,
    make_district_admin,
    make_grid,
    make_grid_staff,
    make_grid_visit,
    make_group,
    make_group_member,
    make_handover,
    make_institution,
    make_institution_declaration,
    make_institution_member,
    make_medical_staff,
    make_notice,
    make_observation,
    make_org,
    make_person,
    make_place,
    make_place_staff,
    make_school,
)
from tests.family_helpers import make_family_link
from yks_web import clock
from yks_web.models import (
    AuditLog,
    Collector,
    DailyReport,
    Declaration,
    DeclarationNotice,
    EntryRegistration,
    FamilyConsentCode,
    Feedback,
    ForeignTeacher,
    Group,
    GroupMember,
    HealthCode,
    Invite,
    MedicalAlert,
    MedicalImportReport,
    MedicalStaff,
    Message,
    NucleicAcidTest,
    ObservationNotice,
    Person,
    PersonalDeclaration,
    PlaceHandover,
    RateEvent,
    RealNameRecord,
    ReportDraft,
    ReportEntry,
    SchoolAdmin,
    SmsChallenge,
    SmsSend,
    TeacherDeclaration,
    TeacherImportReport,
    TemperatureCheck,
    Vaccination,
)
from yks_web.models.grid import DistrictAdmin, GridHandover, GridVisit
from yks_web.models.people import refers_to
from yks_web.privacy import Encrypted, lookup_hash
from yks_web.services import (
    access,
    account_deletion,
    account_deletion_plan,
    audit,
    grid_handover,
    grid_stats,
    group_members,
    login_sessions,
    medical_staff,
    org_day,
    place_stats,
    rate_limits,
    reports,
    share_codes,
    sms,
)
from yks_web.services.account_deletion import GOES, KEPT, PERSON_COLUMNS
from yks_web.services.deleted_accounts import DELETED_ID_TYPE, DELETED_NAME
from yks_web.services.membership import join

TODAY = date(2026, 11, 20)  # conftest.DEFAULT_NOW
YESTERDAY = TODAY - timedelta(days=1)
PHONE = "13900001111"
NAME = "司徒离"
CHILD = "司徒小宝"


@dataclass
class World:
    """The person who deletes their account (`person`), the child who goes with them, and the kept rows by name."""

    person: Person
    child: Person
    others: dict[str, Person] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)


def rows(db, model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def build(db, n: int = 3, *, name: str = NAME, child_name: str = CHILD, phone: str = PHONE) -> World:
    """A person with data in as many tables as the app has, `n` of each kind that can repeat.

    Their school class (a report submitted yesterday counting their declaration, today's naming them as missing),
    their own declarations and the ones they filled as 代填人, a 代填人 of their own, family links both ways (a child
    without an account who goes with them, an adult who stays), 健康申报 for themselves and for family, a group and
    its consent, check-ins and checks they made as 检测员, a grid visit about them and ones they made as 网格员, their
    released 医学观察 and its notice, a notice they issued as (since revoked) 医护人员, appointments, hand-overs
    offered to them, sessions, SMS, rate counters, messages, notices, audit rows both ways.
    """
    now = clock.utcnow()
    person = make_person(db, name, phone=phone)
    w = World(person=person, child=None)  # type: ignore[arg-type]
    school = make_school(db, f"第{person.id}中学")
    collector = make_person(db, "蒋采集")
    org = make_org(db, school, collector, members=2)
    join(db.session, org, person, "invite", now)
    declarant, other_member = make_person(db, "龙小申"), make_person(db, "韦同学")
    bind(db, org, person, declarant)  # the person is 代填人 of 龙小申
    proxy = make_person(db, "柯代填")
    bind(db, org, proxy, person)  # and has a 代填人 of their own
    join(db.session, org, other_member, "invite", now)
    for k in range(n):  # history: not in any report
        declare(db, org, person, TODAY - timedelta(days=3 + k), remarks=f"{name}自述")
        declare(db, org, declarant, TODAY - timedelta(days=3 + k), actor=person, source="proxy")
    counted = declare(db, org, person, YESTERDAY, remarks=f"{name}说头疼", temperature=Decimal("37.1"))
    declare(db, org, other_member, YESTERDAY)
    reports.submit_report(db.session, org_id=org.id, day=YESTERDAY, actor_id=collector.id,
                          supplement=reports.Supplement(3, 0, 0, remarks=f"{name}昨日已返校"),
                          now=clock.now(), utc_now=now)
    for_declarant = declare(db, org, declarant, TODAY, actor=person, source="proxy")
    report = reports.submit_report(
        db.session, org_id=org.id, day=TODAY, actor_id=collector.id,
        supplement=reports.Supplement(2, 1, 0, remarks=f"{name}请假",
                                      missing_notes=[{"person_id": person.id, "reason": "病假"}]),
        now=clock.now(), utc_now=now)
    db.session.add(ReportDraft(organisation_id=org.id, day=TODAY + timedelta(days=1), updated_at=now,
                               data={"in_school_count": 1, "reasons": {str(person.id): "病假",
                                                                      str(other_member.id): "事假"}}))
    # another school where the person is one of two admins, and a collector without an organisation yet
    school2 = make_school(db, "第二中学")
    make_admin(db, school2, person)
    make_admin(db, school2, make_person(db, "甘校管"))
    db.session.add(Collector(school_id=school2.id, person_id=person.id))
    invite = Invite(token=f"t-{person.id}", kind="collector", school_id=school2.id, created_by_id=person.id,
                    expires_at=now + timedelta(days=1))
    teacher = ForeignTeacher(school_id=school.id, name="Tom Lee", teaching_level="高中", nationality="英国",
                             continent="欧洲", current_location="广东省内", lives_on_campus=True, covid_status="无")
    db.session.add_all([invite, teacher])
    db.session.flush()
    teacher_declaration = TeacherDeclaration(school_id=school.id, organisation_id=org.id, teacher_id=teacher.id,
                                             actor_id=person.id, changes={"remarks": ["", "已返校"]})
    db.session.add_all([teacher_declaration, TeacherImportReport(school_id=school2.id, person_id=person.id, added=1)])
    # 家庭成员: a child without an account (goes), an adult who logged in (stays), an owner who added the person
    child = make_person(db, child_name, verified=False, register=False)
    w.child = child
    adult = make_person(db, "司徒父")
    child_link = make_family_link(db, person, child)
    make_family_link(db, person, adult, "父母")
    owner = make_person(db, "孔家长")
    owner_link = make_family_link(db, owner, person, "子女", consented=False)
    db.session.add(FamilyConsentCode(family_member_id=owner_link.id, phone_hash=lookup_hash("phone", phone),
                                     expires_at=now + timedelta(minutes=5)))
    db.session.add(FamilyConsentCode(family_member_id=child_link.id, phone_hash="", expires_at=now))
    # 健康申报: own, for the child, for the adult (kept: the adult's)
    for who, form in ((person, "own"), (child, "child"), (adult, "adult")):
        for k in range(n):
            db.session.add(PersonalDeclaration(
                person_id=who.id, actor_id=person.id, form_key=f"{form}-{person.id}-{k}", location_province="广东省",
                location_city="广州市", has_symptoms=False, risk_travel=False, contact_case=False,
                remarks=f"{name}代报" if who is adult else ""))
    db.session.flush()
    for_adult = db.session.scalar(select(PersonalDeclaration.id).where(PersonalDeclaration.person_id == adult.id)
                                  .limit(1))
    # the built-in health data (green by the end: the observation is released by a notice)
    db.session.add_all([NucleicAcidTest(person_id=person.id, sampled_at=now, result="阴性"),
                        Vaccination(person_id=person.id, dose=1, vaccinated_on=date(2021, 5, 1)),
                        EntryRegistration(person_id=person.id, arrived_on=date(2026, 11, 1), from_region="香港"),
                        NucleicAcidTest(person_id=child.id, sampled_at=now, result="阴性")])
    doctor = make_person(db, "张医生", phone="138" + phone[3:10] + "7")
    doctor_staff = make_medical_staff(db, doctor)
    make_notice(db, doctor_staff, doctor, make_observation(db, person))
    # the person was 医护人员 (revoked since) and released someone's observation
    observed = make_person(db, "李观察", phone="138" + phone[3:10] + "8")
    own_staff = make_medical_staff(db, person)
    issued = make_notice(db, own_staff, person, make_observation(db, observed))
    db.session.add_all([MedicalAlert(person_id=person.id, staff_id=own_staff.id, day=TODAY, cap=50),
                        MedicalImportReport(person_id=person.id, added=0)])
    medical_staff.revoke(db.session, own_staff, actor_id=None, utc_now=now)
    # 公共场所: check-ins of the person; the person as 检测员 of someone else; an offer of the place to them
    place = make_place(db, make_person(db, "林场主"), "天河城")
    staff = make_place_staff(db, place, person)
    for _ in range(n):
        make_check(db, place, person)
    checked = make_person(db, "钱顾客")
    kept_check = make_check(db, place, checked, inspector=person)
    offer = make_handover(db, place, staff)
    # 组织机构 member with a declaration
    institution = make_institution(db, make_person(db, "欧阳机构"), "天河区某某公司")
    make_institution_member(db, institution, person)
    make_institution_declaration(db, institution, person)
    # 网格: a worker of someone's grid, with a visit they recorded; a visit about them; a hand-over to their 证件
    grid = make_grid(db, make_person(db, "周网管"), status="active")
    make_grid_staff(db, grid, person, authorised=True)
    resident = make_person(db, "谭居民")
    kept_visit = make_grid_visit(db, grid, person, resident)
    about_them = make_grid_visit(db, grid, make_person(db, "吴网格"), person, phone=phone)
    grid_handover.start(db.session, grid, grid.admin_id, name, person.id_number, now)
    # 区划管理员: the person's revoked appointment, and one they made
    city = make_district_admin(db, "冯市管", "4401")
    own_appointment = make_district_admin(db, person, "440106", appointed_by=city.person)
    own_appointment.revoked_at = now
    made = make_district_admin(db, "许镇管", "440106001", appointed_by=person)
    # 团体码: a member of someone's group (with its consent), an admin who made an invitation
    group = make_group(db, make_person(db, "梁团长"), "兴趣小组")
    make_group_member(db, group, person, role="admin", remark=name)
    group_members.invite(db.session, group, person.id, now)
    # sessions, SMS, rate counters, messages, notices, feedback, audit rows both ways
    for _ in range(n):
        login_sessions.start(db.session, person.id, now, timedelta(days=7))
    sms.issue_code(db.session, sms.RecordingSender(), account_deletion_plan.make_identity(name, "id_card",
                                                                                          person.id_number),
                   phone, "10.0.0.1", now - timedelta(minutes=10))
    rate_limits.hit(db.session, share_codes.BIND_PER_ACCOUNT, [f"person:{person.id}"], now)
    db.session.add_all(
        [Message(person_id=person.id, kind="grid_dissolved", text="网格已解散") for _ in range(n)]
        + [DeclarationNotice(person_id=person.id, actor_id=proxy.id, kind="school", source="proxy",
                             organisation_id=org.id, day=TODAY) for _ in range(n)]
        + [Feedback(person_id=person.id, text=f"我是{name}")]
        + [AuditLog(actor_id=collector.id, action="view_declaration", role="collector", subject_id=person.id,
                    organisation_id=org.id) for _ in range(n)]
        + [AuditLog(actor_id=person.id, action="view_declaration", role="inspector", subject_id=checked.id)
           for _ in range(n)])
    to_declarant = DeclarationNotice(person_id=declarant.id, actor_id=person.id, kind="school", source="proxy",
                                     organisation_id=org.id, day=TODAY)
    db.session.add(to_declarant)
    db.session.flush()
    w.others = {"collector": collector, "declarant": declarant, "other_member": other_member, "proxy": proxy,
                "adult": adult, "owner": owner, "observed": observed, "checked": checked, "resident": resident,
                "doctor": doctor}
    w.ids = {"org": org.id, "report": report.id, "counted": counted.id, "for_declarant": for_declarant.id,
             "for_adult": for_adult, "kept_check": kept_check.id, "kept_visit": kept_visit.id,
             "issued": issued.id, "own_staff": own_staff.id, "offer": offer.id, "own_appointment": own_appointment.id,
             "made": made.id, "group": group.id, "invite": invite.id, "teacher_declaration": teacher_declaration.id,
             "to_declarant": to_declarant.id, "about_them": about_them.id}
    db.session.commit()
    return w


@contextmanager
def statements(db):
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def person_fks():
    """(table, column) of every column that references person.id: by foreign key, or without one (audit_log's,
    issue 14) by what it declares (refers_to)."""
    from yks_web.extensions import db

    return [(t, c) for t in db.metadata.sorted_tables for c in t.columns if refers_to(c) == "person.id"]


def assert_nothing_left(db, ids: list[int], *, hashes: list[str], names: list[str], secrets: list[str]) -> list[str]:
    """Walk every table: no person column holds `ids`, no hash column `hashes`, no text `names`, no decrypted value
    `secrets`, no JSON any of them. The real-name source's records are not the account's and are skipped.
    Returns the tables walked (for the test to see the walk was real)."""
    walked = []
    for table in db.metadata.sorted_tables:
        if table.name == "realname_record":
            continue
        walked.append(table.name)
        for row in db.session.execute(select(table)).mappings():
            for column in table.columns:
                value = row[column.name]
                if value is None:
                    continue
                where = f"{table.name}.{column.name} = {value!r}"
                if refers_to(column) == "person.id" or (table.name == "person" and column.name == "id"):
                    assert value not in ids, where
                if isinstance(column.type, Encrypted):
                    assert value not in secrets, where
                elif isinstance(column.type, JSON):
                    dumped = json.dumps(value, ensure_ascii=False)
                    assert not any(name in dumped for name in names), where
                    assert not any(f'"person_id": {i}' in dumped or f'"{i}"' in dumped for i in ids), where
                elif isinstance(column.type, String | Text):
                    assert value not in hashes, where
                    assert not any(name in value for name in names), where
                    assert not any(h in value for h in hashes if h), where
    return walked


def test_item2_every_column_naming_a_person_is_placed():
    placed = set(PERSON_COLUMNS)
    in_schema = {f"{t.name}.{c.name}" for t, c in person_fks()}
    assert in_schema - placed == set(), "place these in account_deletion.PERSON_COLUMNS and handle them"
    assert {k for k in placed - in_schema if not k.startswith("reminder_log.")} == set(), "stale names"


def test_item2_every_role_is_placed():
    plan = account_deletion_plan
    assert set(access.ROLES) == plan.BLOCKING_ROLES | plan.ENDING_ROLES | plan.OTHER_ROLES
    assert not (plan.BLOCKING_ROLES & plan.ENDING_ROLES) and not (plan.BLOCKING_ROLES & plan.OTHER_ROLES)


def test_item2_delete_account_leaves_nothing_of_the_person_and_keeps_what_others_hold(db):
    w = build(db)
    person, child = w.person, w.child
    pid, cid = person.id, child.id
    secrets = [person.id_number, child.id_number, PHONE]
    hashes = [person.id_hash, child.id_hash, person.phone_hash,
              *[lookup_hash("rate", kind, f"person:{pid}") for kind in ("bind_code_account",)]]
    others_before = {name: (rows(db, Declaration, Declaration.person_id == p.id),
                            rows(db, AuditLog, AuditLog.subject_id == p.id)) for name, p in w.others.items()}
    report_before = db.session.get(DailyReport, w.ids["report"])
    totals, entries = dict(report_before.totals), rows(db, ReportEntry, ReportEntry.report_id == w.ids["report"])
    people_in_group = db.session.get(Group, w.ids["group"]).people
    audit_rows = rows(db, AuditLog)
    as_subject, as_reader = rows(db, AuditLog, AuditLog.subject_id == pid), rows(db, AuditLog, AuditLog.actor_id == pid)
    assert as_subject >= 3 and as_reader >= 3
    assert rows(db, RateEvent) and rows(db, SmsChallenge) and rows(db, FamilyConsentCode) == 2

    own_checks = rows(db, TemperatureCheck, TemperatureCheck.person_id == pid)
    assert own_checks == 3

    deleted = account_deletion.delete_account(db.session, person, clock.utcnow())
    db.session.commit()
    db.session.expire_all()

    assert sorted(deleted.person_ids) == sorted([pid, cid])
    tomb = deleted.anonymous[pid]
    assert deleted.anonymous[cid] != tomb  # one anonymous row per person who went
    walked = assert_nothing_left(db, [pid, cid], hashes=hashes, names=[NAME, CHILD], secrets=secrets)
    assert len(walked) == len(db.metadata.sorted_tables) - 1
    # the kept rows, by name, anonymous
    counted = db.session.get(Declaration, w.ids["counted"])
    assert (counted.person_id, counted.actor_id, counted.remarks) == (tomb, tomb, "")
    assert counted.temperature == Decimal("37.1")  # what the report counted stays
    assert db.session.get(Declaration, w.ids["for_declarant"]).actor_id == tomb
    report = db.session.get(DailyReport, w.ids["report"])
    assert report.totals == totals and rows(db, ReportEntry, ReportEntry.report_id == report.id) == entries
    assert report.missing_notes == [{"person_id": tomb, "name": DELETED_NAME, "reason": "病假"}]
    assert report.remarks == "***请假"
    assert rows(db, ReportEntry, ReportEntry.person_id == tomb) == 2  # yesterday's (declared) and today's (missing)
    draft = db.session.scalar(select(ReportDraft).where(ReportDraft.organisation_id == w.ids["org"]))
    assert draft.data["reasons"] == {str(w.others["other_member"].id): "事假"}
    assert db.session.get(PersonalDeclaration, w.ids["for_adult"]).actor_id == tomb
    assert db.session.get(TemperatureCheck, w.ids["kept_check"]).inspector_id == tomb
    assert db.session.get(GridVisit, w.ids["kept_visit"]).worker_id == tomb
    # the place's checks and the grid's visit about them stay for their figures, anonymous
    assert rows(db, TemperatureCheck, TemperatureCheck.person_id == tomb) == own_checks
    visit = db.session.get(GridVisit, w.ids["about_them"])
    assert (visit.person_id, visit.name, visit.id_number, visit.phone, visit.address) == (
        tomb, DELETED_NAME, "", None, "")
    assert visit.id_hash == db.session.get(Person, tomb).id_hash
    issued = db.session.get(ObservationNotice, w.ids["issued"])
    assert (issued.issuer_id, issued.issuer_name) == (tomb, DELETED_NAME)
    staff = db.session.get(MedicalStaff, w.ids["own_staff"])
    assert (staff.name, staff.phone, staff.phone_hash, staff.phone_masked) == (DELETED_NAME, "", "", "")
    offer = db.session.get(PlaceHandover, w.ids["offer"])
    assert (offer.to_id, offer.outcome) == (tomb, "cancelled") and offer.decided_at is not None
    assert db.session.get(DistrictAdmin, w.ids["own_appointment"]).person_id == tomb
    assert db.session.get(DistrictAdmin, w.ids["made"]).appointed_by_id == tomb
    assert db.session.get(Invite, w.ids["invite"]).created_by_id == tomb
    assert db.session.get(TeacherDeclaration, w.ids["teacher_declaration"]).actor_id == tomb
    assert db.session.get(DeclarationNotice, w.ids["to_declarant"]).actor_id == tomb
    assert rows(db, AuditLog) == audit_rows and rows(db, AuditLog, AuditLog.subject_id == tomb) == as_subject
    assert rows(db, AuditLog, AuditLog.actor_id == tomb) == as_reader
    handover = db.session.scalar(select(GridHandover))
    assert (handover.successor_name, handover.successor_id_hash) == ("", "")
    assert handover.expires_at <= clock.utcnow()  # nobody can accept it now
    assert db.session.get(Group, w.ids["group"]).people == people_in_group - 1
    assert rows(db, SmsSend) == 1  # the address's count stays; the phone's does not
    # what went
    assert rows(db, Person, Person.id.in_([pid, cid])) == 0
    assert rows(db, RateEvent) == 0 and rows(db, SmsChallenge) == 0 and rows(db, FamilyConsentCode) == 0
    for model in (Feedback, Message, MedicalAlert, MedicalImportReport, TeacherImportReport, HealthCode, Vaccination,
                  EntryRegistration, NucleicAcidTest, Collector):
        assert rows(db, model, model.person_id.in_([pid, cid])) == 0, model
    assert rows(db, SchoolAdmin) == 1  # 甘校管 stays admin of 第二中学
    # the real-name source keeps its record: the person may log in again, as someone new
    assert rows(db, RealNameRecord, RealNameRecord.name == NAME) == 1
    # the person's 已注销用户 row: nobody's 证件, no phone, never verified
    anonymous = db.session.get(Person, tomb)
    assert (anonymous.name, anonymous.id_type, anonymous.phone_hash, anonymous.phone, anonymous.name_verified_at,
            anonymous.id_number) == (DELETED_NAME, DELETED_ID_TYPE, None, None, None, "")
    assert anonymous.id_hash.startswith("deleted-") and anonymous.id_hash != person.id_hash
    # everyone else's own data untouched
    for name, p in w.others.items():
        assert (rows(db, Declaration, Declaration.person_id == p.id),
                rows(db, AuditLog, AuditLog.subject_id == p.id)) == others_before[name], name
        assert db.session.get(Person, p.id) is not None, name


def test_item2_statement_count_does_not_grow_with_the_data(db):
    small = build(db, 1)
    db.session.refresh(small.person)  # loaded, as the logged-in user is
    with statements(db) as seen_small:
        account_deletion.delete_account(db.session, small.person, clock.utcnow())
    db.session.commit()
    large = build(db, 12, name="欧阳多", child_name="欧阳宝", phone="13900002222")
    db.session.refresh(large.person)
    assert rows(db, Declaration, Declaration.person_id == large.person.id) == 13
    with statements(db) as seen_large:
        account_deletion.delete_account(db.session, large.person, clock.utcnow())
    db.session.commit()
    assert len(seen_small) == len(seen_large), (len(seen_small), len(seen_large))
    someone = make_person(db, "新用户", phone="13900003333")
    with statements(db) as seen_plan:
        account_deletion_plan.what_happens(db.session, someone)
        account_deletion_plan.blockers(db.session, someone)
    assert len(seen_plan) == 3  # the counts, the family, the blockers


def test_item2_what_happens_names_what_goes_what_stays_and_why(db):
    w = build(db, 2)
    plan = account_deletion_plan.what_happens(db.session, w.person,
                                              {"audit_log": "1095", "reports": "180", "checkins": "14"})
    deleted = {line.what: line.count for line in plan.deleted}
    assert deleted["您本人的学校健康申报（未计入已提交报告的）"] == 2  # yesterday's is counted by the report
    assert deleted["家庭成员关系（您添加的和添加您的）及其验证码"] == 3
    assert deleted["登录状态：所有设备上的登录（全部退出）"] == 2
    assert deleted["实名信息：姓名、证件号码、手机号"] is None
    kept = {line.what: line for line in plan.kept}
    assert kept["采集员已提交给学校的每日报告中关于您的记录"].count == 2
    assert "180天" in kept["采集员已提交给学校的每日报告中关于您的记录"].why
    assert kept["场所的体温检测与打卡记录"].count == 2 and "14天" in kept["场所的体温检测与打卡记录"].why
    assert kept["网格员入户登记的关于您的记录"].count == 1  # linked to them, as 我的数据 lists them
    read_of_me = rows(db, AuditLog, AuditLog.subject_id == w.person.id)
    assert kept["他人查阅您的信息的记录"].count == read_of_me >= 2
    assert "1095天" in kept["他人查阅您的信息的记录"].why and "1095天" in kept["您查阅他人信息的记录"].why
    assert kept["您查阅他人信息的记录"].count is None  # audit_log.actor_id has no index: named, not counted
    assert kept["您代他人填报的申报（代填人、家长、采集员代填、家庭成员代申报）"].count == 2 + 1 + 2 + 2
    fates = {f.name: f for f in plan.family}
    assert fates[CHILD].goes and not fates["司徒父"].goes and "独立的用户" in fates["司徒父"].why
    assert [f.name for f in plan.family_going] == [CHILD]


def test_item2_a_family_member_stays_when_someone_else_holds_them(db):
    person = make_person(db, NAME, phone=PHONE)
    in_class, shared, held = (make_person(db, name, verified=False, register=False)
                              for name in ("司徒甲", "司徒乙", "司徒丙"))
    for child in (in_class, shared, held):
        make_family_link(db, person, child)
    join(db.session, make_org(db), in_class, "proxy", clock.utcnow())
    make_family_link(db, make_person(db, "司徒母"), shared)
    make_observation(db, held)  # red, under 医学观察
    db.session.commit()
    why = {f.name: f.why for f in account_deletion_plan.what_happens(db.session, person).family}
    assert why == {"司徒甲": "已加入学校班级等组织，组织的记录属于学校", "司徒乙": "还有其他家庭成员管理人",
                   "司徒丙": "健康码非绿码或正在医学观察，须保留至解除"}
    account_deletion.delete_account(db.session, person, clock.utcnow())
    db.session.commit()
    assert rows(db, Person, Person.id.in_([in_class.id, shared.id, held.id])) == 3


@pytest.mark.parametrize("role", ["collector", "school_admin", "place_admin", "institution_admin", "grid_admin",
                                  "district_admin", "group_creator", "medical_staff", "health_code", "observation",
                                  "operator"])
def test_item2_a_role_others_depend_on_blocks_and_says_how(db, role):
    person = make_person(db, NAME, phone=PHONE)
    if role == "collector":
        make_org(db, collector=person)
    elif role == "school_admin":
        make_admin(db, make_school(db), person)
    elif role == "place_admin":
        make_place(db, person)
    elif role == "institution_admin":
        make_institution(db, person)
    elif role == "grid_admin":
        make_grid(db, person)
    elif role == "district_admin":
        make_district_admin(db, person, "440106")
    elif role == "group_creator":
        make_group_member(db, make_group(db, person))
    elif role == "medical_staff":
        make_medical_staff(db, person)
    elif role == "health_code":
        db.session.add(HealthCode(person_id=person.id, colour="yellow", reason="次密接"))
    elif role == "operator":  # the only one
        person.is_operator = True
    else:
        make_observation(db, person, colour="")
    db.session.commit()
    found = account_deletion_plan.blockers(db.session, person)
    assert [b.kind for b in found] == [role]
    assert found[0].what and found[0].how
    with pytest.raises(account_deletion.DeletionRefused) as refused:
        account_deletion.delete_account(db.session, person, clock.utcnow())
    assert refused.value.blockers == found
    db.session.rollback()
    assert db.session.get(Person, person.id) is not None


def test_item2_what_is_handed_over_blocks_no_more(db):
    """A co-admin of the school, a revoked appointment or 医护人员 row, a group of the person alone: nothing blocks,
    and the group goes with the account."""
    person = make_person(db, NAME, phone=PHONE)
    school = make_school(db)
    make_admin(db, school, person)
    make_admin(db, school)
    make_district_admin(db, person, "440106").revoked_at = clock.utcnow()
    medical_staff.revoke(db.session, make_medical_staff(db, person), actor_id=None, utc_now=clock.utcnow())
    group_id = make_group(db, person).id
    db.session.commit()
    assert account_deletion_plan.blockers(db.session, person) == []
    account_deletion.delete_account(db.session, person, clock.utcnow())
    db.session.commit()
    assert rows(db, Group, Group.id == group_id) == 0


def test_item2_the_code_must_be_the_one_sent_for_this_and_to_the_persons_phone(db):
    person = make_person(db, NAME, phone=PHONE)
    db.session.commit()
    sender = sms.RecordingSender()
    challenge, code = account_deletion_plan.send_code(db.session, sender, person, ip="10.0.0.1", utc_now=clock.utcnow())
    assert sender.texts[-1] == (PHONE, sms.message_text(code, sms.ACCOUNT_DELETE))
    with pytest.raises(sms.SmsError, match=account_deletion_plan.NOT_SENT):
        account_deletion_plan.check_code(db.session, person, None, code, clock.utcnow())
    with pytest.raises(sms.SmsError, match=account_deletion_plan.NOT_SENT):
        account_deletion_plan.check_code(db.session, person, str(challenge.id), code, clock.utcnow())
    other = make_person(db, "别人", phone="13900003333")
    with pytest.raises(sms.SmsError, match=account_deletion_plan.NOT_SENT):
        account_deletion_plan.check_code(db.session, other, challenge.id, code, clock.utcnow())
    with pytest.raises(sms.SmsError, match="验证码错误"):
        account_deletion_plan.check_code(db.session, person, challenge.id, "000000" if code != "000000" else "111111",
                                    clock.utcnow())
    account_deletion_plan.check_code(db.session, person, challenge.id, code, clock.utcnow())
    with pytest.raises(sms.SmsError, match="已使用"):
        account_deletion_plan.check_code(db.session, person, challenge.id, code, clock.utcnow())
    no_phone = make_person(db, "无手机")
    with pytest.raises(sms.SmsError, match="未绑定手机号"):
        account_deletion_plan.send_code(db.session, sender, no_phone, ip="10.0.0.1", utc_now=clock.utcnow())


def test_item2_kept_and_gone_markers_are_the_two_kinds(db):
    assert set(PERSON_COLUMNS.values()) <= {GOES, KEPT, account_deletion.BLOCKS}


# -- issue 16 review: one anonymous row per deletion, names struck, duty records kept, indexes -------------------


def _figures(db, org_id: int, school_id: int, day: date) -> dict:
    """What the collector's 数据详情/数据统计 and the school's dashboard show of a day."""
    the_day = org_day.of_organisation(db.session, org_id, day)
    counted = {c.organisation.id: (c.members, c.declared) for c in org_day.counts_of_school(db.session, school_id, day)}
    return {"totals": the_day.totals(), "members": len(the_day.members), "declared": len(the_day.declared),
            "missing": len(the_day.missing), "distinct": len(set(the_day.member_ids)), "school": counted[org_id]}


def test_item2_two_deletions_in_one_class_leave_every_figure_as_it_was(db):
    """Review finding 1: A declared with a fever, B did not declare, C declared; A and B delete their accounts. The
    submitted day's figures (totals, 已填报/未填报, the school's counts) stay exactly as submitted: A and B stay two
    members, each behind their own 已注销用户 row."""
    school = make_school(db)
    org = make_org(db, school)
    a, b, c = make_person(db, "甲同学", phone="13900004441"), make_person(db, "乙同学"), make_person(db, "丙同学")
    for member in (a, b, c):
        join(db.session, org, member, "invite", clock.utcnow())
    declare(db, org, a, YESTERDAY, temperature=Decimal("38.1"))
    declare(db, org, c, YESTERDAY)
    reports.submit_report(db.session, org_id=org.id, day=YESTERDAY, actor_id=org.collector.person_id,
                          supplement=reports.Supplement(3, 0, 0, missing_notes=[{"person_id": b.id, "reason": "病假"}]),
                          now=clock.now(), utc_now=clock.utcnow())
    db.session.commit()
    before = _figures(db, org.id, school.id, YESTERDAY)
    assert (before["declared"], before["missing"], before["distinct"]) == (2, 1, 3)

    first = account_deletion.delete_account(db.session, a, clock.utcnow())
    second = account_deletion.delete_account(db.session, b, clock.utcnow())
    db.session.commit()
    db.session.expire_all()

    assert _figures(db, org.id, school.id, YESTERDAY) == before
    the_day = org_day.of_organisation(db.session, org.id, YESTERDAY)
    anonymous = {first.anonymous[a.id], second.anonymous[b.id]}
    assert len(anonymous) == 2 and anonymous < set(the_day.member_ids)
    assert sorted(m.name for m in the_day.members) == sorted([DELETED_NAME, DELETED_NAME, "丙同学"])
    fever = the_day.behind("fever") if "fever" in before["totals"] else []
    assert [m.person_id for m in fever] in ([], [first.anonymous[a.id]])
    report = reports.get_report(db.session, org.id, YESTERDAY)
    assert report.missing_notes == [{"person_id": second.anonymous[b.id], "name": DELETED_NAME, "reason": "病假"}]


def test_item2_every_name_they_went_by_is_struck_from_what_is_kept(db):
    """Review finding 2: the class knows 王晓明 as 王小明, the 代填人 as 小明, the family as 明明, a 网格员 typed
    王小名; every one of those names goes from the kept report's remarks, every 未填报 reason, the open draft's
    remarks and reasons, and what the person wrote for others."""
    org = make_org(db)
    person = make_person(db, "王晓明", phone="13900005551")
    classmate, proxy, owner = make_person(db, "赵同学"), make_person(db, "钱代填"), make_person(db, "孙家长")
    join(db.session, org, person, "invite", clock.utcnow()).typed_name = "王小明"
    join(db.session, org, classmate, "invite", clock.utcnow())
    bind(db, org, proxy, person).typed_name = "小明"
    make_family_link(db, owner, person, "子女").typed_name = "明明"
    grid = make_grid(db, make_person(db, "周网管"), status="active")
    make_grid_visit(db, grid, make_person(db, "吴网格"), person).name = "王小名"
    declare(db, org, classmate, TODAY, actor=person, source="proxy", remarks="王小名代填")
    reports.submit_report(
        db.session, org_id=org.id, day=TODAY, actor_id=org.collector.person_id,
        supplement=reports.Supplement(2, 0, 0, remarks="王小明发烧",
                                      missing_notes=[{"person_id": person.id, "reason": "王晓明说发烧"},
                                                     {"person_id": classmate.id, "reason": "和明明一起请假"}]),
        now=clock.now(), utc_now=clock.utcnow())
    db.session.add(ReportDraft(organisation_id=org.id, day=TODAY + timedelta(days=1), updated_at=clock.utcnow(),
                               data={"remarks": "小明请假", "reasons": {str(person.id): "病假",
                                                                      str(classmate.id): "与王小明同行"}}))
    db.session.commit()
    pid = person.id

    deleted = account_deletion.delete_account(db.session, person, clock.utcnow())
    db.session.commit()
    db.session.expire_all()

    assert_nothing_left(db, [pid], hashes=[], names=["王晓明", "王小明", "小明", "明明", "王小名"], secrets=[])
    report = reports.get_report(db.session, org.id, TODAY)
    assert report.remarks == "***发烧"
    assert [n["reason"] for n in report.missing_notes] == ["***说发烧", "和***一起请假"]
    assert report.missing_notes[0]["person_id"] == deleted.anonymous[pid]
    draft = db.session.scalar(select(ReportDraft).where(ReportDraft.organisation_id == org.id))
    assert draft.data == {"remarks": "***请假", "reasons": {str(classmate.id): "与***同行"}}
    assert db.session.scalar(select(Declaration.remarks).where(Declaration.person_id == classmate.id)) == "***代填"


def test_item2_a_group_with_others_ended_consents_stays_empty_and_its_creator_can_go(db):
    """Review finding 4: a member who left (their consent ended, kept as their record) no longer blocks the creator;
    the group stays, empty and closed, so that record stays readable to them. Only people in it now block."""
    creator, left = make_person(db, NAME, phone=PHONE), make_person(db, "周离开")
    group = make_group(db, creator)
    member = make_group_member(db, group, left)
    db.session.commit()
    assert [b.kind for b in account_deletion_plan.blockers(db.session, creator)] == ["group_creator"]
    group_members.remove(db.session, group, creator.id, member, clock.utcnow())
    db.session.commit()
    assert account_deletion_plan.blockers(db.session, creator) == []

    deleted = account_deletion.delete_account(db.session, creator, clock.utcnow())
    db.session.commit()
    db.session.expire_all()
    kept = db.session.get(Group, group.id)
    assert (kept.creator_id, kept.allow_join, kept.address, kept.people) == (
        deleted.anonymous[creator.id], False, "", 0)
    consents = group_members.consents_of(db.session, left.id)
    assert [(c.group_name, c.ended_at is not None) for c in consents] == [(group.name, True)]
    assert rows(db, GroupMember, GroupMember.group_id == group.id) == 0


def test_item2_the_last_operator_blocks_and_another_unblocks(db):
    """Review finding 5."""
    person = make_person(db, NAME, phone=PHONE, is_operator=True)
    db.session.commit()
    found = account_deletion_plan.blockers(db.session, person)
    assert [b.kind for b in found] == ["operator"] and "make-operator" in found[0].how
    make_person(db, "另一位运营", is_operator=True)
    db.session.commit()
    assert account_deletion_plan.blockers(db.session, person) == []


def test_item4_a_request_to_the_operators_is_recorded_once(db):
    """Review finding 4: a collector (only the operators can end it) asks; the request is a 帮助与反馈 row, once."""
    person = make_person(db, NAME, phone=PHONE)
    make_org(db, collector=person, name="高二(3)班")
    db.session.commit()
    found = account_deletion_plan.blockers(db.session, person)
    assert found[0].needs_operator and account_deletion_plan.requested_at(db.session, person) is None
    assert account_deletion_plan.request_deletion(db.session, person, found, clock.utcnow())
    db.session.commit()
    assert not account_deletion_plan.request_deletion(db.session, person, found, clock.utcnow())
    texts = list(db.session.scalars(select(Feedback.text).where(Feedback.person_id == person.id)))
    assert len(texts) == 1 and "高二(3)班的采集员" in texts[0] and person.id_number not in texts[0]
    assert account_deletion_plan.requested_at(db.session, person) is not None
    place_admin = make_person(db, "林场主")
    make_place(db, place_admin)  # handed over in the app: nothing to ask
    assert not account_deletion_plan.request_deletion(db.session, place_admin,
                                                      account_deletion_plan.blockers(db.session, place_admin),
                                                      clock.utcnow())


def test_item2_a_deleted_reader_is_shown_as_deleted_not_masked(db):
    """Review finding 7: 查阅记录 and a place's 数据统计 show 已注销用户 whole (masking it named nobody anyway)."""
    reader, subject = make_person(db, NAME, phone=PHONE), make_person(db, "钱顾客")
    place = make_place(db, make_person(db, "林场主"))
    make_place_staff(db, place, reader)
    make_check(db, place, subject, inspector=reader)
    audit.record(db.session, actor_id=reader.id, role="inspector", action="view_health", subject_ids=[subject.id],
                 utc_now=clock.utcnow())
    db.session.commit()
    account_deletion.delete_account(db.session, reader, clock.utcnow())
    db.session.commit()
    reads, _ = audit.reads_of(db.session, subject.id)
    assert [r.reader for r in reads] == [DELETED_NAME]
    labels = [row.label for row in place_stats.of_place(db.session, place.id, TODAY).inspectors]
    assert DELETED_NAME in labels and "*" + DELETED_NAME[1:] not in labels


def test_item2_the_places_and_grids_figures_stay_and_no_visit_keeps_their_number(db):
    """Review finding 8: a place's check-ins and a grid's visits are its duty records: kept, anonymous, every figure
    as before; a visit that carries only their 证件 hash (the typed name did not match) loses the number too."""
    person = make_person(db, NAME, phone=PHONE)
    place = make_place(db, make_person(db, "林场主"))
    make_check(db, place, person)  # 快速打卡
    make_check(db, place, person, result="发热", inspector=make_person(db, "门卫"))
    grid = make_grid(db, make_person(db, "周网管"), status="active")
    worker = make_person(db, "吴网格")
    linked = make_grid_visit(db, grid, worker, person, temperature=Decimal("38.0"))
    typed = make_grid_visit(db, grid, worker, name="司徒理", id_number=person.id_number)  # not linked: name differs
    assert typed.person_id is None and typed.id_hash == person.id_hash
    db.session.commit()
    place_before = place_stats.of_place(db.session, place.id, TODAY)
    grid_before = (grid_stats.summary(db.session, grid.id, TODAY), grid_stats.daily(db.session, grid.id))
    plan = account_deletion_plan.what_happens(db.session, person)
    assert {line.what: line.count for line in plan.kept}["网格员入户登记的关于您的记录"] == 1  # as 我的数据

    deleted = account_deletion.delete_account(db.session, person, clock.utcnow())
    db.session.commit()
    db.session.expire_all()
    place_after = place_stats.of_place(db.session, place.id, TODAY)
    assert (place_after.checked_total, place_after.fever_total, place_after.sexes, place_after.ages) == (
        place_before.checked_total, place_before.fever_total, place_before.sexes, place_before.ages)
    assert (grid_stats.summary(db.session, grid.id, TODAY), grid_stats.daily(db.session, grid.id)) == grid_before
    anonymous = db.session.get(Person, deleted.anonymous[person.id])
    for visit_id in (linked.id, typed.id):
        visit = db.session.get(GridVisit, visit_id)
        assert (visit.name, visit.id_number, visit.address) == (DELETED_NAME, "", "")
        assert visit.id_hash == anonymous.id_hash
    assert db.session.get(GridVisit, linked.id).person_id == anonymous.id
    assert db.session.get(GridVisit, typed.id).person_id is None


def test_item2_a_shared_phone_keeps_the_other_persons_code(db):
    """Review finding 13: the person's codes go, another person's login on the same phone keeps its code."""
    person = make_person(db, NAME, phone=PHONE)
    relative = make_person(db, "司徒亲", phone=PHONE)
    db.session.commit()
    mine, _ = account_deletion_plan.send_code(db.session, sms.RecordingSender(), person, ip="10.0.0.1",
                                              utc_now=clock.utcnow())
    theirs, _ = sms.issue_code(db.session, sms.RecordingSender(),
                               account_deletion_plan.make_identity("司徒亲", "id_card", relative.id_number), PHONE,
                               "10.0.0.2", clock.utcnow() + timedelta(minutes=2))
    db.session.commit()
    mine_id, theirs_id = mine.id, theirs.id
    account_deletion.delete_account(db.session, person, clock.utcnow())
    db.session.commit()
    assert rows(db, SmsChallenge, SmsChallenge.id == mine_id) == 0
    assert rows(db, SmsChallenge, SmsChallenge.id == theirs_id) == 1


HOT_TABLES = ("grid_visit", "report_entry", "declaration", "personal_declaration", "audit_log")


def _scans(db, recorded: list[tuple[str, object]]) -> list[str]:
    """The hot tables each recorded statement would read whole (the database's own plan): SQLite's SCAN, or
    PostgreSQL's Seq Scan with sequential scans discouraged (so any usable index is chosen, whatever the size)."""
    found = []
    with db.engine.connect() as connection:
        postgres = connection.dialect.name == "postgresql"
        if postgres:
            connection.exec_driver_sql("SET enable_seqscan = off")
        for statement, parameters in recorded:
            if not statement.lstrip().upper().startswith(("SELECT", "UPDATE", "DELETE")):
                continue
            prefix = "EXPLAIN " if postgres else "EXPLAIN QUERY PLAN "
            plan = [str(row[-1]) for row in connection.exec_driver_sql(prefix + statement, parameters)]
            for table in HOT_TABLES:
                scan = re.compile(rf"^\s*(->\s*)?{'Seq Scan on' if postgres else 'SCAN'} {table}(\s|$)")
                if any(scan.match(line) for line in plan):
                    found.append(f"{table}: {statement[:80]}")
        connection.rollback()
    return found


@contextmanager
def statements_with_parameters(db):
    seen: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if not executemany:
            seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def test_item2_the_page_and_the_deletion_read_the_persons_rows_by_index(db):
    """Review finding 6: the page's counts never read a hot table whole; the deletion reads only audit_log whole
    (audit_log.actor_id is not indexed, for the list screens' bulk inserts)."""
    w = build(db, 2)
    with statements_with_parameters(db) as page:
        account_deletion_plan.what_happens(db.session, w.person)
        account_deletion_plan.blockers(db.session, w.person)
    assert _scans(db, page) == []
    with statements_with_parameters(db) as deletion:
        account_deletion.delete_account(db.session, w.person, clock.utcnow())
    assert {scan.split(":")[0] for scan in _scans(db, deletion)} == {"audit_log"}, _scans(db, deletion)
    db.session.rollback()

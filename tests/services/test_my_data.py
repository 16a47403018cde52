"""我的数据 (issue 16 item 1; SPEC P6, P10): every kind of record about a person, theirs unmasked, others masked,
nobody else's; a constant number of statements; every person column of the schema read or explained."""

from __future__ import annotations

import ctypes
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from sqlalchemy import JSON, event, select

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
from yks_web.config import RETENTION_DAYS
from yks_web.models import (
    DailyReport,
    EntryRegistration,
    Feedback,
    GridHandover,
    HealthCode,
    Membership,
    Message,
    NucleicAcidTest,
    Person,
    ReminderLog,
    ReportDraft,
    ReportEntry,
    Vaccination,
)
from yks_web.models.people import refers_to
from yks_web.privacy import Encrypted, mask_name
from yks_web.services import (
    account_deletion,
    audit,
    login_sessions,
    my_data,
    my_data_pdf,
    notices,
    personal,
    retention,
)
from yks_web.services.membership import join

PHONE = "13800138123"
LIFETIME = timedelta(days=7)


@dataclass
class World:
    me: Person
    owner: Person  # added me as a family member
    child: Person  # whom I added
    parent_proxy: Person  # fills my school declarations
    declarant: Person  # whose declarations I fill
    collector: Person
    stranger: Person  # linked to nobody here, with records of every kind


def records_of_every_kind(db, person: Person, *, school_name: str, tag: str, rows: int = 2) -> None:
    """Records about `person` in every table a section reads (their own school, place, grid, group …)."""
    school = make_school(db, school_name)
    collector = make_person(db, f"采集{tag}")
    org = make_org(db, school, collector, name=f"{tag}班")
    join(db.session, org, person, "invite", clock.utcnow())
    for i in range(rows):
        declare(db, org, person, clock.today() - timedelta(days=i), temperature=Decimal("36.4"))
        personal.submit(db.session, person_id=person.id, actor_id=person.id, form_key=f"{tag}-p{i}",
                        utc_now=clock.utcnow(), answers={
                            "location_province": "广东省", "location_city": f"{tag}市", "temperature": Decimal("36.6"),
                            "temperature_band": None, "has_symptoms": False, "risk_travel": False,
                            "contact_case": False, "remarks": ""})
    report = DailyReport(organisation_id=org.id, day=clock.today(), submitted_by_id=collector.id, in_school_count=1,
                         leave_count=0, sick_absence_count=0,
                         missing_notes=[{"person_id": collector.id, "reason": f"{tag}别人的原因"},
                                        {"person_id": person.id, "reason": f"{tag}病假"}])
    db.session.add(report)
    db.session.flush()
    db.session.add(ReportEntry(report_id=report.id, person_id=person.id, declaration_id=None))
    # 提交本日数据 typed but not submitted: the person's reason, and another member's (not theirs to see)
    db.session.add_all([ReportDraft(organisation_id=org.id, day=clock.today() - timedelta(days=i + 1),
                                    data={"reasons": {str(person.id): f"{tag}事假{i}", str(collector.id): "别人"}})
                        for i in range(rows)])
    db.session.add(ReportDraft(organisation_id=org.id, day=clock.today() - timedelta(days=rows + 1),
                               data={"reasons": {str(collector.id): "别人"}, "remarks": ""}))
    db.session.add_all([ReminderLog(organisation_id=org.id, person_id=person.id, day=clock.today() - timedelta(days=i),
                                    slot="h10" if i else "daily", sent_by_id=collector.id if i else None, messages=2)
                        for i in range(rows)])
    place = make_place(db, name=f"{tag}广场")
    inspector = make_place_staff(db, place, f"检测{tag}").person
    for i in range(rows):
        make_check(db, place, person, inspector=inspector, at=clock.now() - timedelta(days=i))
    grid = make_grid(db, f"网管{tag}", name=f"{tag}网格", status="active")
    worker = make_grid_staff(db, grid, f"网格{tag}").person
    for i in range(rows):  # the worker typed my phone, then a relative's
        make_grid_visit(db, grid, worker, person, address=f"{tag}街{i}号", temperature=Decimal("36.5"),
                        phone=person.phone if i == 0 else "13766660000")
    # typed with my 证件 but not linked to me (a name spelt another way): mine too
    make_grid_visit(db, grid, worker, None, name=f"{tag}手录", id_number=person.id_number, address=f"{tag}手录街")
    institution = make_institution(db, name=f"{tag}公司")
    make_institution_member(db, institution, person)
    make_institution_declaration(db, institution, person, work_place=f"{tag}本部")
    group = make_group(db, f"团长{tag}", name=f"{tag}团体")
    make_group_member(db, group, person, remark=f"{tag}备注", phone="13900000077")
    db.session.add_all([
        HealthCode(person_id=person.id, colour="yellow", reason=f"{tag}原因", decided_at=clock.utcnow()),
        NucleicAcidTest(person_id=person.id, sampled_at=clock.utcnow(), result="阴性", institution=f"{tag}医院"),
        Vaccination(person_id=person.id, dose=1, vaccinated_on=date(2021, 5, 1), manufacturer=f"{tag}生物"),
        EntryRegistration(person_id=person.id, arrived_on=date(2026, 11, 1), from_region=f"{tag}省"),
        Message(person_id=person.id, kind="grid_dissolved", text=f"{tag}网格已解散"),
        Feedback(person_id=person.id, text=f"{tag}的反馈"),
    ])
    doctor = make_person(db, f"医生{tag}", phone=f"1370000{len(tag):04d}")
    observation = make_observation(db, person)
    make_notice(db, make_medical_staff(db, doctor), doctor, observation)
    login_sessions.start(db.session, person.id, clock.utcnow(), LIFETIME)
    audit.record(db.session, actor_id=collector.id, role="collector", action="view_day", subject_ids=[person.id],
                 utc_now=clock.utcnow(), context=f"{tag}班")
    db.session.flush()


def build_world(db) -> World:
    """黄恺 with a record of every kind, family and 代填人 links both ways, roles; 赵陌生 with records of every kind."""
    me = make_person(db, "黄恺", phone=PHONE)
    records_of_every_kind(db, me, school_name="广州市第一示范中学", tag="甲")
    owner, child = make_person(db, "陈丽"), make_person(db, "黄小宝")
    make_family_link(db, owner, me, "配偶").typed_name = "黄凯凯"  # the owner's words for me
    make_family_link(db, me, child, "子女").typed_name = "宝宝"  # mine for the child: theirs, masked
    personal.submit(db.session, person_id=child.id, actor_id=me.id, form_key="for-child", utc_now=clock.utcnow(),
                    answers={"location_province": "广东省", "location_city": "广州市", "temperature": Decimal("36.5"),
                             "temperature_band": None, "has_symptoms": False, "risk_travel": False,
                             "contact_case": False, "remarks": ""})
    school = make_school(db, "代填中学")
    collector = make_person(db, "蒋小华")
    org = make_org(db, school, collector, name="代填班")
    parent_proxy, declarant = make_person(db, "林家长"), make_person(db, "林小同")
    bind(db, org, parent_proxy, me).typed_name = "黄小恺"  # the 代填人's words for me
    bind(db, org, me, declarant)
    db.session.scalar(select(Membership).where(Membership.person_id == me.id, Membership.organisation_id == org.id)
                      ).typed_name = "黄小恺"  # the class's name for me
    declare(db, org, me, clock.today(), actor=parent_proxy, source="proxy")
    declare(db, org, declarant, clock.today(), actor=me, source="proxy")  # mine to fill, theirs to own
    notices.declared_for(db.session, person_id=me.id, actor_id=parent_proxy.id, kind="school", source="proxy",
                         utc_now=clock.utcnow(), organisation_id=org.id, day=clock.today())
    # roles: 采集员 of another school, 检测员 who checked someone, creator of a group
    make_org(db, make_school(db, "角色中学"), me, name="我的班")
    role_place = make_place(db, name="角色商场")
    make_place_staff(db, role_place, me)
    make_check(db, role_place, declarant, inspector=me)
    make_group(db, me, name="我建的团体")
    handover_grid = make_grid(db, "老网管", name="接任网格", status="active")
    db.session.add_all([
        GridHandover(grid_id=handover_grid.id, from_id=handover_grid.admin_id, successor_name="黄恺",
                     successor_id_hash=me.id_hash, token="t-mine", expires_at=clock.utcnow() + timedelta(hours=24)),
        GridHandover(grid_id=handover_grid.id, from_id=handover_grid.admin_id, successor_name="别人",
                     successor_id_hash="another-digest", token="t-other", expires_at=clock.utcnow()),
    ])
    stranger = make_person(db, "赵陌生", phone="13811110000")
    records_of_every_kind(db, stranger, school_name="陌生中学", tag="乙")
    db.session.commit()
    return World(me, owner, child, parent_proxy, declarant, collector, stranger)


@pytest.fixture
def world(db) -> World:
    return build_world(db)


def collect(db, person: Person, limit: int = my_data.EXPORT_LIMIT, days=None) -> my_data.MyData:
    return my_data.collect(db.session, person, utc_now=clock.utcnow(), retention_days=days or RETENTION_DAYS,
                           session_lifetime=LIFETIME, limit=limit)


def section(data: my_data.MyData, key: str) -> my_data.Section:
    return next(s for s in data.sections if s.key == key)


def test_item1_every_section_has_the_persons_rows(db, world):
    data = collect(db, world.me)
    assert [p.title for p in data.parts] == ["身份信息", "健康申报", "体温与核查记录", "健康码与医疗记录", "家庭成员",
                                             "代填人", "组织与团体", "担任的角色", "登录设备", "查阅记录", "消息与反馈"]
    rows = {s.key: s.rows for s in data.sections}
    assert rows["identity"] == [{
        "name": "黄恺", "id_type": "内地居民身份证", "id_number": world.me.id_number, "phone": PHONE,
        "name_verified_at": rows["identity"][0]["name_verified_at"], "created_at": rows["identity"][0]["created_at"],
        "language": "",
    }]
    assert sorted(r["filled_by"] for r in rows["school_declarations"]) == sorted(["本人", "本人", "代填人 *家长"])
    assert {r["organisation"] for r in rows["school_declarations"]} == {"广州市第一示范中学 甲班", "代填中学 代填班"}
    assert [r["filled_by"] for r in rows["personal_declarations"]] == ["本人"] * 3
    assert {r["institution"] for r in rows["personal_declarations"]} == {"", "甲公司"}
    assert rows["report_entries"] == [{"day": clock.today(), "organisation": "广州市第一示范中学 甲班",
                                       "submitted_at": rows["report_entries"][0]["submitted_at"], "declared": False,
                                       "reason": "甲病假"}]  # the collector's note on me, not on the other member
    assert [(r["day"], r["reason"]) for r in rows["report_drafts"]] == [
        (clock.today() - timedelta(days=1), "甲事假0"), (clock.today() - timedelta(days=2), "甲事假1")]
    assert {r["how"] for r in rows["reminders"]} == {"每日定时提醒", "采集员 *集甲 一键提醒"}
    assert [(r["source"], r["actor"]) for r in rows["notices"]] == [("代填人代为填报", "*家长")]
    checks = [(r["place"], r["inspector"], r["method"]) for r in rows["checkins"]]
    assert checks == [("甲广场", "*测甲", "检测员扫码")] * 2
    born = int(world.me.id_number[6:10])
    assert {(r["sex"], r["birth_year"]) for r in rows["checkins"]} == {
        ("男" if int(world.me.id_number[16]) % 2 else "女", born)}  # what the place's statistics keep
    visits = {r["address"]: r for r in rows["grid_visits"]}
    assert set(visits) == {"甲街0号", "甲街1号", "甲手录街"}  # the unlinked one typed with my 证件 too
    assert {r["id_number"] for r in visits.values()} == {world.me.id_number}  # what the worker typed: mine, whole
    assert visits["甲手录街"]["name"] == "甲手录"
    assert visits["甲街0号"]["phone"] == PHONE  # my own phone, whole
    assert visits["甲街1号"]["phone"] == "137****0000"  # someone else's (a relative's?), masked
    assert [r["colour"] for r in rows["health_code"]] == ["绿码"]  # red under observation, green once released
    assert [r["institution"] for r in rows["tests"]] == ["甲医院"]
    assert [r["manufacturer"] for r in rows["vaccinations"]] == ["甲生物"]
    assert [r["from_region"] for r in rows["entries"]] == ["甲省"]
    assert [r["reason"] for r in rows["observations"]] == ["密切接触者"]
    assert [r["issuer"] for r in rows["observation_notices"]] == ["*生甲"]
    family = {(r["direction"], r["name"], r["relation"], r["status"]) for r in rows["family"]}
    assert family == {("将我添加为家庭成员的人", "*丽", "配偶", "已生效"),
                      ("我添加的家庭成员", "*宝", "子女", "已生效")}  # the name I gave them, masked
    assert {r["typed_for_me"] for r in rows["family"]} == {"黄凯凯", ""}  # the owner's name for me, whole
    assert {r["id_number"] for r in rows["family"]} == {world.owner.masked_id, world.child.masked_id}
    proxies = {(r["direction"], r["name"], r["organisation"], r["typed_for_me"]) for r in rows["proxies"]}
    assert proxies == {("代我填报的代填人", "*家长", "代填中学 代填班", "黄小恺"),
                       ("我代其填报的申报人", "*小同", "代填中学 代填班", "")}
    assert {(r["organisation"], r["typed_name"]) for r in rows["memberships"]} == {("甲班", ""), ("代填班", "黄小恺")}
    assert [r["institution"] for r in rows["institution_memberships"]] == ["甲公司"]
    groups = {(r["group"], r["role"], r["phone"]) for r in rows["groups"]}
    assert groups == {("甲团体", "成员", "13900000077"), ("我建的团体", "创建人", "13800000012")}
    assert {r["group"] for r in rows["group_consents"]} == {"甲团体", "我建的团体"}
    assert {(r["role"], r["name"], r["note"]) for r in rows["roles"]} == {
        ("学校采集员", "角色中学", "我的班"), ("公共场所检测员", "角色商场", ""), ("团体创建人", "我建的团体", ""),
        ("网格管理员变更（邀请您接任）", "接任网格", "网格管理员填写的接任人姓名：黄恺；未接任")}
    assert rows["work"] == [{"what": "作为检测员记录的体温检测", "count": 1},
                            {"what": "作为代填人或采集员为他人提交的学校健康申报", "count": 1},
                            {"what": "为家庭成员提交的个人健康申报", "count": 1}]
    assert len(rows["sessions"]) == 1
    assert {(r["role"], r["context"], r["reader"]) for r in rows["reads"]} == {
        ("采集员", "甲班", "*集甲"), ("医护人员", "越秀区人民医院", "*生甲")}  # the doctor who released my observation
    assert [r["text"] for r in rows["messages"]] == ["甲网格已解散"]
    assert [r["text"] for r in rows["feedback"]] == ["甲的反馈"]


def test_item1_nobody_elses_records_and_others_masked(db, world):
    text = my_data.dumps(collect(db, world.me)).decode()
    stranger = world.stranger
    for leak in ("乙", stranger.name, mask_name(stranger.name), stranger.id_number, stranger.masked_id, "13811110000",
                 world.owner.id_number, world.child.id_number, world.declarant.id_number, world.owner.name,
                 world.declarant.name, world.collector.name):
        assert leak not in text, leak
    assert world.me.id_number in text and PHONE in text


def test_item1_a_linked_person_sees_the_link_and_nothing_else_of_mine(db, world):
    """The family owner and my 代填人 see that they are linked to me (masked), never my records."""
    for other in (world.owner, world.parent_proxy):
        data = collect(db, other)
        text = my_data.dumps(data).decode()
        for leak in (world.me.id_number, PHONE, "黄恺", "甲", "广州市第一示范中学"):
            assert leak not in text, (other.name, leak)
        assert {world.owner: "*凯凯", world.parent_proxy: "*小恺"}[other] in text  # I, in the words they typed
        assert section(data, "reads").rows == [] and section(data, "checkins").rows == []
    assert [r["direction"] for r in section(collect(db, world.owner), "family").rows] == ["我添加的家庭成员"]
    assert [r["direction"] for r in section(collect(db, world.parent_proxy), "proxies").rows] == ["我代其填报的申报人"]


def test_item1_the_json_copy(db, world):
    copy = json.loads(my_data.dumps(collect(db, world.me)))
    assert (copy["schema"], copy["version"], copy["timezone"]) == ("yks_web/my-data", 1, "Asia/Shanghai")
    assert copy["generated_at"] == "2026-11-20T09:00:00+08:00"
    sections = {s["key"]: s for part in copy["parts"] for s in part["sections"]}
    assert sections["identity"]["rows"][0]["id_number"] == world.me.id_number
    check = sections["checkins"]["rows"][0]
    assert check["checked_at"] == "2026-11-20T09:00:00+08:00"
    own = [r for r in sections["school_declarations"]["rows"] if r["organisation"].endswith("甲班")]
    assert [r["temperature"] for r in own] == ["36.4℃"] * 2 and own[0]["day"] == "2026-11-20"
    assert sections["vaccinations"]["rows"][0]["vaccinated_on"] == "2021-05-01"
    assert all(set(row) == {f["key"] for f in s["fields"]} for s in sections.values() for row in s["rows"])
    assert sections["checkins"]["kept"] == "保存28天，到期后自动删除" and not sections["checkins"]["truncated"]


def test_item1_kept_follows_the_settings_and_a_bad_one_is_no_error(db, world):
    days = {**RETENTION_DAYS, "checkins": "14", "grid_visits": "abc"}
    data = collect(db, world.me, days=days)
    assert section(data, "checkins").kept == "保存14天，到期后自动删除"
    assert section(data, "grid_visits").kept == "按运营方设定的期限自动删除"
    assert section(data, "sessions").kept == "退出登录时删除；最长7天后自动失效并删除"
    assert section(data, "reads").kept == "保存1095天，到期后自动删除"
    assert section(data, "reminders").kept == "保存2天，到期后自动删除"  # not "while the account lasts"
    assert section(collect(db, world.me, days={**RETENTION_DAYS, "reminders": "5"}), "reminders").kept == \
        "保存5天，到期后自动删除"


def test_item1_kept_is_the_retention_of_every_table_a_section_reads():
    """A section whose rows retention deletes says so, by that kind's setting; one reading several kinds says each
    goes by its own; none claims "kept while the account lasts" for a table retention purges."""
    purged = {part.model.__tablename__: kind for kind, parts in retention._KINDS.items() for part in parts}
    for spec in my_data.SPECS:
        kinds = {purged[table] for table, _column in spec.covers if table in purged}
        if len(kinds) == 1:
            assert spec.kept == kinds.pop(), spec.key
        elif kinds:
            assert spec.kept == "不同记录按其各自的保存期限删除", spec.key
        else:
            assert spec.kept not in retention.KINDS, spec.key


def test_item1_the_screen_shows_the_newest_and_says_there_is_more(db, world):
    data = collect(db, world.me, limit=1)
    checkins = section(data, "checkins")
    assert len(checkins.rows) == 1 and checkins.more
    assert not section(data, "tests").more


def test_item1_the_pdf_copy_has_every_section_as_text(db, world):
    body = my_data_pdf.render(collect(db, world.me))
    assert body.startswith(b"%PDF")
    document = pdfium.PdfDocument(body)
    words = "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    flat = words.replace("\r", "").replace("\n", "")
    for s in collect(db, world.me).sections:
        assert s.title in flat, s.title
    assert world.me.id_number in flat and "甲广场" in flat and "*家长" in flat


def _statements(db, person: Person) -> int:
    db.session.expire_all()
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        collect(db, person)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return len(seen)


def test_item5_statements_do_not_grow_with_the_rows(db):
    """2 or 40 of each kind of row: the same statements (one a section)."""
    few, many = make_person(db, "少记录", phone="13800000002"), make_person(db, "多记录", phone="13800000040")
    records_of_every_kind(db, few, school_name="少中学", tag="少", rows=2)
    records_of_every_kind(db, many, school_name="多中学", tag="多", rows=40)
    db.session.commit()
    assert len(section(collect(db, many), "school_declarations").rows) == 40
    assert len(section(collect(db, many), "checkins").rows) == 40
    counted = _statements(db, few)
    assert counted == _statements(db, many)
    assert counted <= len(my_data.SPECS) + 1  # one a section; the person row once when it was expired


def _person_columns(db) -> set[tuple[str, str]]:
    found = set()
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if column.name == "person_id" or refers_to(column) == "person.id":  # audit_log's: no FK (issue 14)
                found.add((table.name, column.name))
    return found


def _value_columns(db) -> set[tuple[str, str]]:
    """Columns that may hold something about a person by value rather than by key: an encrypted number, a digest,
    a name someone typed, a JSON document (a report's notes, a draft's reasons, a snapshot)."""
    found = set()
    for table in db.metadata.sorted_tables:
        if table.name == "person":  # the person's own row: test_item1_every_column_of_the_person_row_…
            continue
        for column in table.columns:
            if isinstance(column.type, Encrypted | JSON) or column.name.endswith("_hash") \
                    or column.name in ("typed_name", "successor_name"):
                found.add((table.name, column.name))
    return found


def test_item1_the_schema_walk_sees_columns_about_a_person_by_value(db):
    """The walk below is not only foreign keys: the reviewer's missed ones are among what it sees."""
    seen = _value_columns(db)
    assert {("daily_report", "missing_notes"), ("report_draft", "data"), ("membership", "typed_name"),
            ("proxy_binding", "typed_name"), ("grid_handover", "successor_id_hash"), ("grid_visit", "phone")} <= seen


def test_item1_every_person_column_is_read_or_explained(db):
    """A new table (or column) about people must be read by a section or listed in my_data.NOT_ABOUT with why."""
    columns = _person_columns(db) | _value_columns(db)
    missing = columns - set(my_data.COVERED) - set(my_data.NOT_ABOUT)
    assert not missing, f"read these in a my_data section, or say in my_data.NOT_ABOUT why they are not about the " \
                        f"person: {sorted(missing)}"
    assert not set(my_data.COVERED) & set(my_data.NOT_ABOUT)
    stale = (set(my_data.COVERED) | set(my_data.NOT_ABOUT)) - columns
    assert not stale, f"no such person column: {sorted(stale)}"
    assert all(reason.strip() for reason in my_data.NOT_ABOUT.values())


def test_item1_every_role_held_is_named(db):
    """One statement for every role table (a UNION): the same answers on SQLite and PostgreSQL."""
    busy = make_person(db, "全能", phone="13800000099", is_operator=True)
    make_admin(db, make_school(db, "管理中学"), busy)
    make_org(db, make_school(db, "采集中学"), busy, name="采集班")
    make_place(db, busy, name="我管的场所", phone="13800000099")  # my own phone
    make_place_staff(db, make_place(db, name="我检测的场所"), busy, active=False)
    make_institution(db, busy, name="我管的机构")
    make_district_admin(db, busy, "440106")
    make_grid(db, busy, name="我管的网格", status="active")
    make_grid_staff(db, make_grid(db, name="我走访的网格"), busy, authorised=True)
    make_group(db, busy, name="我的团体")
    make_medical_staff(db, busy, unit="越秀区人民医院", position="护士")
    db.session.commit()
    rows = section(collect(db, busy), "roles").rows
    roles = {(r["role"], r["name"], r["note"], r["until"] is not None) for r in rows}
    assert roles == {
        ("平台运营", "", "", False), ("学校管理员", "管理中学", "", False), ("学校采集员", "采集中学", "采集班", False),
        ("公共场所管理员", "我管的场所", "联系手机号：13800000099", False),
        ("公共场所检测员", "我检测的场所", "", True),
        ("组织机构管理员", "我管的机构", "联系手机号：138****0001", False),  # a number typed for it, not mine
        ("区划管理员", "广东省广州市天河区", "县（区）级", False),
        ("网格管理员", "我管的网格", "已生效", False), ("网格员", "我走访的网格", "已授权", False),
        ("团体创建人", "我的团体", "", False), ("医护人员", "越秀区人民医院", "护士", False),
    }


def test_item1_every_column_of_the_person_row_is_shown_or_explained(db):
    identity = {key for key, _label in next(s for s in my_data.SPECS if s.key == "identity").fields}
    columns = {column.key for column in Person.__table__.columns}
    assert columns - identity - set(my_data.PERSON_NOT_SHOWN) == set()
    assert not set(my_data.PERSON_NOT_SHOWN) - columns


def test_item1_a_person_with_nothing_but_an_identity(db):
    alone = make_person(db, "孤单")
    data = collect(db, alone)
    assert [s.key for s in data.sections if s.rows] == ["identity"]
    assert section(data, "identity").rows[0]["phone"] == ""
    assert my_data.shown(None) == "—" and my_data.shown(True) == "是"
    assert my_data.shown(datetime(2026, 11, 20, 9, 0, tzinfo=clock.TZ)) == "2026-11-20 09:00:00"


def test_item1_a_deleted_account_shows_as_deleted_not_masked(db, world):
    """Rows others keep after an account is deleted (services/account_deletion) name 已注销用户, whole: a 代填人's
    declaration and notice, an inspector's check, a grid worker's visit, a family owner's read of my data."""
    audit.record(db.session, actor_id=world.owner.id, role="family_owner", action="view_health",
                 subject_ids=[world.me.id], utc_now=clock.utcnow(), context="家庭成员")
    gone = [world.parent_proxy, world.owner,
            *db.session.scalars(select(Person).where(Person.name.in_(["检测甲", "网格甲"])))]
    assert len(gone) == 4
    for person in gone:
        account_deletion.delete_account(db.session, person, clock.utcnow())
    db.session.commit()
    data = collect(db, world.me)
    rows = {s.key: s.rows for s in data.sections}
    assert "代填人 已注销用户" in {r["filled_by"] for r in rows["school_declarations"]}
    assert [r["actor"] for r in rows["notices"]] == ["已注销用户"]
    assert {r["inspector"] for r in rows["checkins"]} == {"已注销用户"}
    assert {r["worker"] for r in rows["grid_visits"]} == {"已注销用户"}
    assert ("家庭成员管理人", "已注销用户") in {(r["role"], r["reader"]) for r in rows["reads"]}
    assert ("采集员", "*集甲") in {(r["role"], r["reader"]) for r in rows["reads"]}  # the living stay masked
    assert "*注销用户" not in my_data.dumps(data).decode()



def _pdf_text_by_mode(body: bytes) -> dict[int, list[str]]:
    """Each text object of the PDF by its render mode (0 fill, 2 fill then stroke: our bold)."""
    document = pdfium.PdfDocument(body)
    found: dict[int, list[str]] = {}
    for page in document:
        textpage = page.get_textpage()
        for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT]):
            size = pdfium_c.FPDFTextObj_GetText(obj.raw, textpage.raw, None, 0)
            buffer = ctypes.create_string_buffer(size)
            pdfium_c.FPDFTextObj_GetText(obj.raw, textpage.raw, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)),
                                         size)
            mode = pdfium_c.FPDFTextObj_GetTextRenderMode(obj.raw)
            found.setdefault(mode, []).append(buffer.raw[:size - 2].decode("utf-16-le"))
    return found


def test_item1_the_pdf_copy_is_bold_only_in_its_headings(db, world):
    """Bold (stroked) text is the headings alone: the render mode outlives a text object, so one left stroked
    would make every later line bold (and the grey hints black)."""
    data = collect(db, world.me)
    modes = _pdf_text_by_mode(my_data_pdf.render(data))
    headings = {"我的数据", *(p.title for p in data.parts), *(s.title for s in data.sections)}
    assert set(modes[2]) <= headings and len(modes[2]) >= len(data.sections)
    assert "身份信息" in modes[2] and f"证件号码：{world.me.id_number}" in modes[0]

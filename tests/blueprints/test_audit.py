"""Every screen and export that shows a named person's health data writes one audit row per person shown,
in one INSERT; the person sees those reads on their own 查阅记录 (issue 8 item 9, SPEC P6, P10, Q3)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from tests.blueprints.support import TODAY, YESTERDAY, count, text
from tests.blueprints.test_query_counts import statements
from tests.factories import declare, make_admin, make_org, make_person, make_school
from yks_web import clock
from yks_web.blueprints.access_log import PAGE_SIZE
from yks_web.models import AuditLog, Organisation, ReportDraft
from yks_web.services import audit, membership, reports

DAY = f"/workbench/day/{TODAY.isoformat()}"


@pytest.fixture
def scene(db):
    """高一(1)班 today: 学生〇 has a fever, 学生一 is healthy, 学生二 and 学生三 have not declared (学生二 with a
    reason in the draft); yesterday's report is submitted with 学生三's reason."""
    school = make_school(db)
    admin = make_admin(db, school)
    org = make_org(db, school, make_person(db, "蒋小华"), members=4, size=4)
    people = [m.person for m in membership.members(db.session, org.id)]
    declare(db, org, people[0], TODAY, temperature=None, temperature_band="38.1–39℃")
    declare(db, org, people[1], TODAY)
    declare(db, org, people[0], YESTERDAY)
    reports.submit_report(db.session, org_id=org.id, day=YESTERDAY, actor_id=org.collector.person_id,
                          supplement=reports.Supplement(4, 1, 0, missing_notes=[
                              {"person_id": people[3].id, "name": people[3].name, "reason": "病假"}]),
                          now=clock.now(), utc_now=clock.utcnow())
    db.session.add(ReportDraft(organisation_id=org.id, day=TODAY, updated_at=clock.utcnow(), data={
        "in_school_count": 4, "leave_count": 0, "sick_absence_count": 0, "remarks": "",
        "reasons": {str(people[2].id): "发热就医"}}))
    operator = make_person(db, "王运营", is_operator=True)
    db.session.commit()
    # Plain ids: `statements` starts each request with a fresh session, as production does.
    return (Ids(school.id, school.name), Ids(admin.id), Ids(org.id, collector=Ids(org.collector.person_id)),
            [Ids(p.id) for p in people], Ids(operator.id))


@dataclass(frozen=True)
class Ids:
    id: int
    name: str = ""
    collector: Ids | None = None


def reads(db, before: int) -> list[AuditLog]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditLog).where(AuditLog.id > before).order_by(AuditLog.id)))


def last_id(db) -> int:
    return db.session.scalar(select(AuditLog.id).order_by(AuditLog.id.desc()).limit(1)) or 0


def audited_get(db, client, reader_id: int, url: str) -> list[AuditLog]:
    """GET `url` as `reader_id`; the audit rows it wrote, checked to come from exactly one INSERT."""
    before = last_id(db)
    seen = statements(db, client, reader_id, url)
    inserts = [s for s in seen if s.lstrip().upper().startswith("INSERT INTO AUDIT_LOG")]
    rows = reads(db, before)
    assert len(inserts) == (1 if rows else 0), (url, inserts)
    return rows


def collector_cases(org, people):
    p = people
    return [
        (DAY, "view_day", {p[0].id, p[1].id}),  # 申报详情: the declared members
        (f"{DAY}/member/{p[0].id}", "view_declaration", {p[0].id}),
        (f"{DAY}/stat/fever", "view_stat", {p[0].id}),  # 发热 drill-down
        (f"{DAY}/stat/declared", "view_stat", {p[0].id, p[1].id}),
        (f"{DAY}/report", "view_report", {p[2].id}),  # the reason typed for 学生二
        (f"{DAY}/report/summary", "view_report", {p[2].id}),
        (f"/workbench/day/{YESTERDAY.isoformat()}/report/view", "view_report", {p[3].id}),
        (f"{DAY}/member/{p[2].id}/fill", "proxy_fill", {p[2].id}),  # 代填报
    ]


def test_item9_each_collector_screen_writes_one_row_per_person_shown(db, client, scene):
    _, _, org, people, _ = scene
    collector_id = org.collector.id
    for url, action, subjects in collector_cases(org, people):
        rows = audited_get(db, client, collector_id, url)
        assert sorted(r.subject_id for r in rows) == sorted(subjects), url
        assert {(r.actor_id, r.role, r.action, r.organisation_id, r.context) for r in rows} == {
            (collector_id, "collector", action, org.id, "高一(1)班")}, url


def test_item9_school_admin_screens_and_exports(db, client, scene):
    school, admin, org, people, _ = scene
    base = f"/school/{school.id}"
    context = f"{school.name} 高一(1)班"
    cases = [
        (f"{base}/org/{org.id}/{TODAY.isoformat()}", "view_org_day", {people[0].id, people[1].id}, context),
        (f"{base}/org/{org.id}/{YESTERDAY.isoformat()}", "view_org_day", {people[0].id, people[3].id}, context),
        (f"{base}/org/{org.id}/{TODAY.isoformat()}/member/{people[1].id}", "view_declaration", {people[1].id},
         context),
        (f"{base}/export/{TODAY.isoformat()}.csv", "export_csv", {p.id for p in people}, school.name),
        (f"{base}/export/{TODAY.isoformat()}.xlsx", "export_xlsx", {p.id for p in people}, school.name),
    ]
    for url, action, subjects, where in cases:
        rows = audited_get(db, client, admin.id, url)
        assert sorted(r.subject_id for r in rows) == sorted(subjects), url
        assert {(r.role, r.action, r.context) for r in rows} == {("school_admin", action, where)}, url


def test_item9_operator_person_page_is_audited(db, client, scene):
    *_, people, operator = scene
    rows = audited_get(db, client, operator.id, f"/operator/health/{people[0].id}")
    assert [(r.subject_id, r.role, r.action) for r in rows] == [(people[0].id, "operator", "view_health")]


def test_item9_screens_without_health_data_of_others_write_nothing(db, client, scene):
    school, admin, org, people, _ = scene
    before = count(db, AuditLog)
    statements(db, client, admin.id, f"/school/{school.id}")  # counts only
    statements(db, client, org.collector.id, "/workbench/")
    assert count(db, AuditLog) == before


def test_item9_audit_insert_is_one_statement_whatever_the_list_size(db, client, scene):
    school, admin, org, people, _ = scene
    small = len(statements(db, client, admin.id, f"/school/{school.id}/export/{TODAY.isoformat()}.csv"))
    db.session.remove()
    org = db.session.get(Organisation, org.id)
    for _ in range(60):
        person = make_person(db, "新同学")
        membership.join(db.session, org, person, "invite", clock.utcnow())
        declare(db, org, person, TODAY)
    db.session.commit()
    rows = audited_get(db, client, admin.id, f"/school/{school.id}/export/{TODAY.isoformat()}.csv")
    assert len(rows) == 64
    assert len(statements(db, client, admin.id, f"/school/{school.id}/export/{TODAY.isoformat()}.csv")) == small


# -- 查阅记录 ---------------------------------------------------------------------------------------------


def test_item9_a_person_sees_who_read_their_data(db, client, actions, scene, clock):
    school, admin, org, people, operator = scene
    clock(datetime(2026, 11, 20, 9, 5))
    statements(db, client, org.collector.id, f"{DAY}/member/{people[0].id}")
    clock(datetime(2026, 11, 20, 10, 30))
    statements(db, client, admin.id, f"/school/{school.id}/export/{TODAY.isoformat()}.xlsx")
    clock(datetime(2026, 11, 20, 11, 0))
    statements(db, client, operator.id, f"/operator/health/{people[0].id}")
    actions.login(people[0])
    page = text(client.get("/me/reads"))
    found = re.findall(r'<li class="list-row">(.*?)</li>', page, re.S)
    lines = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", item)).strip() for item in found]
    assert lines == [
        "平台运营 · 健康数据管理 *运营 · 查看健康码与检测记录 2026-11-20 11:00:00",
        f"学校管理员 · {school.name} *校管 · 导出申报数据（Excel） 2026-11-20 10:30:00",
        "采集员 · 高一(1)班 *小华 · 查看个人健康申报 2026-11-20 09:05:00",
    ]
    assert "蒋小华" not in page and "李校管" not in page and "王运营" not in page  # readers' names masked
    assert 'href="/me/reads"' in text(client.get("/me"))  # linked from 个人中心


def test_item9_a_person_never_sees_reads_of_someone_else(db, client, actions, scene):
    school, admin, org, people, _ = scene
    statements(db, client, org.collector.id, f"{DAY}/member/{people[0].id}")
    actions.login(people[1])
    page = text(client.get("/me/reads"))
    assert "暂无他人查阅您的信息" in page and "查看个人健康申报" not in page
    actions.login(people[0])
    assert "查看个人健康申报" in text(client.get("/me/reads?page=1"))


def test_item9_own_reads_are_not_recorded(db, scene):
    *_, people, _ = scene
    written = audit.record(db.session, actor_id=people[0].id, role="collector", action="view_day",
                           subject_ids=[people[0].id, people[1].id, people[1].id], utc_now=clock.utcnow())
    assert written == 1


def test_item9_reads_are_paginated_with_constant_queries(db, client, actions, scene):
    _, _, org, people, _ = scene
    collector_id = org.collector.id
    for minute in range(PAGE_SIZE + 5):
        audit.record(db.session, actor_id=collector_id, role="collector", action="view_day", subject_ids=[
            people[0].id], utc_now=clock.utcnow() + timedelta(minutes=minute), context="高一(1)班")
    audit.record(db.session, actor_id=collector_id, role="collector", action="view_day",
                 subject_ids=[people[1].id], utc_now=clock.utcnow(), context="高一(1)班")
    db.session.commit()
    actions.login(people[0])
    first = text(client.get("/me/reads"))
    assert first.count("查看申报详情") == PAGE_SIZE and 'href="/me/reads?page=2"' in first
    assert "2026-11-20 09:24:00" in first  # newest first: the 25th read, at 09:00 + 24 minutes
    second = text(client.get("/me/reads?page=2"))
    assert second.count("查看申报详情") == 5 and "较新的记录" in second and "?page=3" not in second
    assert "2026-11-20 09:00:00" in second
    for bad in ("0", "-1", "x", "99999999999999999999", "²", "①", "9" * 5000):
        assert client.get(f"/me/reads?page={bad}").status_code == 200
    full = len(statements(db, client, people[0].id, "/me/reads"))
    few = len(statements(db, client, people[1].id, "/me/reads"))
    assert full == few


def test_item9_reads_page_and_fragment(db, client, actions, scene):
    *_, people, _ = scene
    actions.login(people[0])
    page = text(client.get("/me/reads"))
    assert page.lstrip().startswith("<!doctype html>") and 'id="screen"' in page
    fragment = client.get("/me/reads", headers={"HX-Request": "true"})
    assert "<html" not in text(fragment) and 'id="screen"' in text(fragment)
    assert "HX-Request" in fragment.headers["Vary"]


def test_item9_reads_need_a_login(client, db):
    response = client.get("/me/reads")
    assert response.status_code in (302, 303) and "/auth/login" in response.headers["Location"]

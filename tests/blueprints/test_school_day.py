"""W11 学校管理: any day by date, drill-down into a report and its members, CSV/XLSX export (SPEC W11, P6, Q3)."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from tests.blueprints.support import TODAY, YESTERDAY, count, text
from tests.blueprints.test_query_counts import build, statements
from tests.factories import declare, make_admin, make_org, make_person, make_school
from yks_web import clock
from yks_web.models import AuditLog, School
from yks_web.services import membership, reports


def plain(page: str) -> str:
    """The page as a reader sees it: tags gone, spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


@pytest.fixture
def school_day(db):
    """Two classes: 高一(1)班 submitted yesterday's report; 高一(2)班 has not."""
    school = make_school(db)
    admin = make_admin(db, school)
    one = make_org(db, school, make_person(db, "蒋小华"), members=3, size=4, name="高一(1)班")
    two = make_org(db, school, make_person(db, "王老师"), members=2, size=2, name="高一(2)班")
    first = [m.person for m in membership.members(db.session, one.id)]
    second = [m.person for m in membership.members(db.session, two.id)]
    declare(db, one, first[0], YESTERDAY, temperature=None, temperature_band="38.1–39℃", has_symptoms=True)
    declare(db, one, first[1], YESTERDAY)
    declare(db, two, second[0], YESTERDAY)
    reports.submit_report(db.session, org_id=one.id, day=YESTERDAY, actor_id=one.collector.person_id,
                          supplement=reports.Supplement(3, 1, 0, remarks="一人请假",
                                                        missing_notes=[{"person_id": first[2].id,
                                                                        "name": first[2].name, "reason": "请假"}]),
                          now=clock.now(), utc_now=clock.utcnow())
    db.session.commit()
    return school, admin, one, two, first, second


def test_w11_dashboard_any_past_day(client, db, actions, school_day):
    school, admin, one, two, *_ = school_day
    actions.login(admin)
    html = text(client.get(f"/school/{school.id}?day={YESTERDAY.isoformat()}"))
    page = plain(html)
    assert "11月19日申报情况" in page
    assert "已提交数据的组织 1 / 2" in page
    assert "已加入成员 5 / 6人" in page and "已申报 3人" in page
    assert f"/school/{school.id}/org/{one.id}/{YESTERDAY.isoformat()}" in html
    assert client.get(f"/school/{school.id}?day={(TODAY + timedelta(days=1)).isoformat()}").status_code == 404
    assert client.get(f"/school/{school.id}?day=not-a-date").status_code == 404


def test_w11_drill_down_into_a_submitted_report_and_its_members(client, db, actions, school_day):
    school, admin, one, _, first, _ = school_day
    actions.login(admin)
    page = plain(text(client.get(f"/school/{school.id}/org/{one.id}/{YESTERDAY.isoformat()}")))
    assert "已提交" in page and "发热 1人" in page and "已填报 2人" in page and "未填报 1人" in page
    assert "当日在校人数 3" in page and "一人请假" in page and "请假" in page
    assert f"{first[0].name}（{first[0].masked_id}）" in page and first[0].id_number not in page
    before = count(db, AuditLog)
    detail = text(client.get(f"/school/{school.id}/org/{one.id}/{YESTERDAY.isoformat()}/member/{first[0].id}"))
    assert "38.1–39℃" in detail and "个人健康状态" in detail
    assert count(db, AuditLog) == before + 1  # P6: the read is written down


def test_w11_an_unsubmitted_day_shows_the_live_state(client, db, actions, school_day):
    school, admin, _, two, _, second = school_day
    actions.login(admin)
    page = plain(text(client.get(f"/school/{school.id}/org/{two.id}/{YESTERDAY.isoformat()}")))
    assert "采集员尚未提交该日数据" in page and "已填报1人" in page


def test_w11_other_schools_and_other_organisations_are_404(client, db, actions, school_day):
    school, admin, one, *_ = school_day
    other_school = make_school(db, "别的学校")
    other_org = make_org(db, other_school, make_person(db, "别的老师"))
    outsider = make_person(db, "路人")
    db.session.commit()
    actions.login(admin)
    assert client.get(f"/school/{school.id}/org/{other_org.id}/{YESTERDAY.isoformat()}").status_code == 404
    assert client.get(f"/school/{other_school.id}/export/{YESTERDAY.isoformat()}.csv").status_code == 404
    actions.login(outsider)
    assert client.get(f"/school/{school.id}/org/{one.id}/{YESTERDAY.isoformat()}").status_code == 404
    assert client.get(f"/school/{school.id}/export/{YESTERDAY.isoformat()}.xlsx").status_code == 404


def test_w11_export_csv_with_masked_ids(client, db, actions, school_day):
    school, admin, one, two, first, second = school_day
    actions.login(admin)
    response = client.get(f"/school/{school.id}/export/{YESTERDAY.isoformat()}.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert rows[0][:5] == ["组织名称", "数据已提交", "姓名", "证件号码", "是否填报"]
    body = rows[1:]
    assert len(body) == 5
    row = {(r[0], r[3]): r for r in body}  # (组织, masked ID): names repeat across classes
    assert row[("高一(1)班", first[0].masked_id)][1] == "是" and row[("高一(1)班", first[0].masked_id)][8] == "是"
    assert row[("高一(1)班", first[2].masked_id)][4] == "否"
    assert row[("高一(2)班", second[0].masked_id)][1] == "否" and row[("高一(2)班", second[0].masked_id)][4] == "是"
    for person in first + second:
        assert person.id_number not in response.get_data(as_text=True)


def test_w11_export_xlsx_opens_in_openpyxl(client, db, actions, school_day):
    school, admin, one, _, first, _ = school_day
    actions.login(admin)
    response = client.get(f"/school/{school.id}/export/{YESTERDAY.isoformat()}.xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.get_data()), read_only=True).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "组织名称" and len(rows) == 6
    assert [r[2] for r in rows[1:4]] == [p.name for p in first]
    assert all(r[3] and "*" in r[3] for r in rows[1:])
    assert not any(p.id_number in str(r) for r in rows for p in first)


def test_q3_drill_down_and_export_take_constant_queries(db, client):
    school = make_school(db)
    admin = make_admin(db, school)
    small = build(db, school, "小班老师", 5)
    db.session.commit()
    urls = [f"/school/{school.id}/org/{small.org_id}/{TODAY.isoformat()}",
            f"/school/{school.id}/export/{TODAY.isoformat()}.csv"]
    first = [len(statements(db, client, admin.id, url)) for url in urls]
    db.session.remove()
    school = db.session.get(School, school.id)
    large = build(db, school, "大班老师", 300)
    db.session.commit()
    urls[0] = f"/school/{school.id}/org/{large.org_id}/{TODAY.isoformat()}"
    assert [len(statements(db, client, admin.id, url)) for url in urls] == first


def test_issue9_item5_an_organisation_over_its_组织人数_is_flagged(client, db, actions, school_day):
    """54/52 is never shown silently: the row is marked and the admin is told who can change it."""
    school, admin, one, two, *_ = school_day
    membership.join(db.session, two, make_person(db, "王小明"), "invite", clock.utcnow())  # 3 joined, 组织人数 2
    db.session.commit()
    actions.login(admin)
    page = plain(text(client.get(f"/school/{school.id}")))
    assert "已加入 3/2 超出1人" in page and "已加入 3/4" in page
    assert page.count("超出1人") == 1
    assert "1个组织已加入人数超出组织人数" in page
    assert "请联系其采集员在工作台【修改组织信息】或在【成员管理】中删除成员" in page
    page = plain(text(client.get(f"/school/{school.id}/org/{two.id}/{TODAY.isoformat()}")))
    assert "已加入3人，超出组织人数1人，请联系采集员在工作台【修改组织信息】或在【成员管理】中删除成员" in page
    assert "超出" not in text(client.get(f"/school/{school.id}/org/{one.id}/{TODAY.isoformat()}"))

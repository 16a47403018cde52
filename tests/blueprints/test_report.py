"""提交本日数据 (SPEC W9): supplement → 【下一步】 → summary with clickable statistics → 【提交数据】 → 【确定】."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from tests.blueprints.support import TODAY, YESTERDAY, collapse, count, form_key, location, text
from tests.factories import declare, form_answers, make_person
from yks_web import clock
from yks_web.models import DailyReport, Declaration, ReportDraft, ReportEntry
from yks_web.services import answers, deadlines, membership, org_day

DAY = f"/workbench/day/{TODAY.isoformat()}"
YDAY = f"/workbench/day/{YESTERDAY.isoformat()}"


def supplement(**overrides) -> dict:
    data = {"in_school_count": "2", "leave_count": "1", "sick_absence_count": "0", "remarks": "一人请假"}
    data.update(overrides)
    return data


def test_w9_report_flow_from_supplement_to_view(client, db, actions, scene):
    healthy, feverish, silent = scene.members
    declare(db, scene.org, healthy, TODAY)
    declare(db, scene.org, feverish, TODAY, actor=make_person(db, "家长"), source="proxy",
            temperature=Decimal("37.8"), has_symptoms=True, health_status="居家观察")
    db.session.commit()
    actions.login(scene.collector)

    page = collapse(text(client.get(f"{DAY}/report")))
    assert "提交11月20日数据" in page
    for label in ("当日在校人数", "请假人数", "因病缺勤人数", "未填报成员说明（1人）", "备注", ">下一步<"):
        assert label in page, label
    assert f'name="reason-{silent.id}"' in page
    assert f'name="reason-{healthy.id}"' not in page

    response = actions.post(f"{DAY}/report", supplement(**{f"reason-{silent.id}": "病假，已电话确认"}))
    assert response.status_code == 303 and location(response) == f"{DAY}/report/summary"

    summary = collapse(text(client.get(f"{DAY}/report/summary")))
    for label in ("成员填报数据", "已填报", "未填报", "发热", "居家观察", "采集员补充数据", "一人请假",
                  "病假，已电话确认", silent.name, ">提交数据<", ">确定<", "数据提交后不可修改"):
        assert label in summary, label
    assert "<span>已填报</span><span><strong>2</strong>人" in summary
    assert "<span>发热</span><span><strong>1</strong>人" in summary

    # each statistic opens the members behind it
    links = re.findall(rf'href="({DAY}/stat/[a-z_0-9]+)"', summary)
    assert len(links) == len(answers.STAT_LABELS)
    for link in links:
        assert client.get(link).status_code == 200, link
    declared = text(client.get(f"{DAY}/stat/declared"))
    assert healthy.name in declared and feverish.name in declared and silent.name not in declared
    fever = text(client.get(f"{DAY}/stat/fever"))
    assert feverish.name in fever and healthy.name not in fever
    assert f'href="{DAY}/member/{feverish.id}"' in fever
    missing = text(client.get(f"{DAY}/stat/not_declared"))
    assert silent.name in missing and healthy.name not in missing
    assert f"{DAY}/report/summary" in missing  # back to the summary

    response = actions.post(f"{DAY}/report/submit")
    assert response.status_code == 303 and location(response) == f"{DAY}/report/view"
    view = collapse(text(client.get(f"{DAY}/report/view")))
    assert "数据提交成功" in view and "已提交" in view and "病假，已电话确认" in view
    db.session.expire_all()
    report = db.session.scalar(select(DailyReport))
    assert (report.day, report.submitted_by_id, report.in_school_count, report.leave_count) == (
        TODAY, scene.collector.id, 2, 1)
    assert report.totals["declared"] == 2 and report.totals["fever"] == 1 and report.totals["not_declared"] == 1
    assert report.missing_notes == [{"person_id": silent.id, "name": silent.name, "reason": "病假，已电话确认"}]
    assert count(db, ReportEntry, ReportEntry.report_id == report.id) == 3
    assert count(db, ReportDraft) == 0

    home = collapse(text(client.get("/workbench/")))
    assert "已提交" in home and f'href="{DAY}/report/view"' in home and "查看数据" in home


def test_w9_submitted_day_is_immutable(client, db, actions, scene):
    """W9: no second report, no edit of the supplement, no more declarations or quick-fill that day."""
    declare(db, scene.org, scene.members[0], TODAY)
    db.session.commit()
    actions.login(scene.collector)
    actions.post(f"{DAY}/report", supplement())
    actions.post(f"{DAY}/report/submit")

    response = actions.post(f"{DAY}/report/submit")  # a replayed 【确定】
    assert response.status_code == 303 and location(response) == f"{DAY}/report/view"
    assert count(db, DailyReport) == 1

    response = actions.post(f"{DAY}/report", supplement(in_school_count="99"))
    assert response.status_code == 303 and location(response) == f"{DAY}/report/view"
    assert client.get(f"{DAY}/report").status_code == 303
    db.session.expire_all()
    assert db.session.scalar(select(DailyReport.in_school_count)) == 2

    before = count(db, Declaration)
    actions.post(f"{DAY}/quickfill", {"key": "late"})
    silent = scene.members[2]
    url = f"{DAY}/member/{silent.id}/fill"
    response = actions.post(url, form_answers(form_key="late-fill-key"))
    assert response.status_code == 200
    page = text(response)  # refused, and said once in the collector's words (issue 9 item 7)
    assert org_day.COLLECTOR_SUBMITTED in page and deadlines.REPORT_SUBMITTED not in page
    assert count(db, Declaration) == before

    page = text(client.get(DAY))
    assert "代填报" not in page and "快速填充未报数据" not in page
    # the collector is told in the collector's words, once (issue 9 item 7), not the member's "请联系采集员"
    assert page.count(org_day.COLLECTOR_SUBMITTED) == 1 and "请联系采集员" not in page


def test_w9_statistics_of_a_submitted_report_stay_as_submitted(client, db, actions, scene):
    """A member removed after the report still appears behind its statistics (records stay)."""
    member = scene.members[0]
    declare(db, scene.org, member, TODAY)
    db.session.commit()
    actions.login(scene.collector)
    actions.post(f"{DAY}/report", supplement())
    actions.post(f"{DAY}/report/submit")
    membership.leave(db.session, membership.active_membership(db.session, scene.org_id, member.id), clock.utcnow())
    db.session.commit()
    page = text(client.get(f"{DAY}/stat/declared"))
    assert member.name in page
    assert f"{DAY}/report/view" in page


def test_w9_summary_without_supplement_goes_back_to_it(client, db, actions, scene):
    actions.login(scene.collector)
    response = client.get(f"{DAY}/report/summary")
    assert response.status_code == 303 and location(response) == f"{DAY}/report"
    response = actions.post(f"{DAY}/report/submit")
    assert response.status_code == 303 and location(response) == f"{DAY}/report"
    assert count(db, DailyReport) == 0


def test_w9_supplement_is_kept_between_steps(client, db, actions, scene):
    actions.login(scene.collector)
    silent = scene.members[0]
    actions.post(f"{DAY}/report", supplement(in_school_count="7", **{f"reason-{silent.id}": "外出比赛"}))
    page = text(client.get(f"{DAY}/report"))
    assert 'value="7"' in page and 'value="外出比赛"' in page


def test_w9_bad_supplement_is_refused_and_kept(client, db, actions, scene):
    actions.login(scene.collector)
    silent = scene.members[0]
    response = actions.post(
        f"{DAY}/report",
        supplement(in_school_count="-1", leave_count="abc", remarks="备" * 501, **{f"reason-{silent.id}": "因" * 101}),
    )
    assert response.status_code == 200
    page = text(response)
    assert "当日在校人数应为0–5000" in page
    assert "请假人数" in page and "field-error" in page
    assert "备注不能超过500个字" in page
    assert "不能超过100个字" in page
    assert "因" * 101 in page  # nothing typed is lost
    assert count(db, ReportDraft) == 0


def test_w9_yesterday_report_before_1130(client, db, actions, scene, clock):
    declare(db, scene.org, scene.members[0], YESTERDAY)
    db.session.commit()
    actions.login(scene.collector)
    clock(datetime(2026, 11, 20, 11, 29))
    page = collapse(text(client.get("/workbench/?day=yesterday")))
    assert f'href="{YDAY}/report">数据上报（提交11月19日数据）</a>' in page
    actions.post(f"{YDAY}/report", supplement())
    response = actions.post(f"{YDAY}/report/submit")
    assert location(response) == f"{YDAY}/report/view"
    db.session.expire_all()
    assert db.session.scalar(select(DailyReport.day)) == YESTERDAY


def test_w9_yesterday_report_after_1130_is_refused_with_the_reason(client, db, actions, scene, clock):
    """W9: after 11:30 the button is disabled with the reason, and the steps refuse."""
    declare(db, scene.org, scene.members[0], YESTERDAY)
    db.session.commit()
    actions.login(scene.collector)
    actions.post(f"{YDAY}/report", supplement())  # a draft typed in time
    clock(datetime(2026, 11, 20, 11, 31))

    closed = org_day.COLLECTOR_YESTERDAY_CLOSED
    page = collapse(text(client.get("/workbench/?day=yesterday")))
    assert 'disabled aria-describedby="day-closed">数据上报（提交11月19日数据）</button>' in page
    assert page.count(closed) == 1
    assert f'href="{YDAY}/report"' not in page
    # 申报详情 says it once (issue 9 item 7: not the member's and the report's message one after the other)
    page = text(client.get(YDAY))
    assert page.count(closed) == 1 and 'disabled aria-describedby="day-closed">提交本日数据' in page
    assert deadlines.YESTERDAY_CLOSED not in page and deadlines.REPORT_YESTERDAY_CLOSED not in page

    response = client.get(f"{YDAY}/report")
    assert response.status_code == 303 and location(response) == YDAY
    assert text(client.get(YDAY)).count(closed) == 1  # no flash repeating the notice
    response = actions.post(f"{YDAY}/report/submit")
    assert response.status_code == 303 and location(response) == YDAY
    assert text(client.get(YDAY)).count(closed) == 1
    assert count(db, DailyReport) == 0
    # today's report is still open
    assert "提交11月20日数据）</a>" in collapse(text(client.get("/workbench/")))


def test_w9_members_cannot_submit_a_reported_day_but_can_the_next(client, db, actions, scene):
    """S8: the report closes its own day only."""
    member = scene.members[0]
    actions.login(scene.collector)
    actions.post(f"{YDAY}/report", supplement())
    actions.post(f"{YDAY}/report/submit")
    actions.login(member)
    url = f"/declare/org/{scene.org_id}/person/{member.id}"
    page = text(client.get(url))
    assert 'value="yesterday" class="btn block" disabled' in page
    key = form_key(page)
    response = actions.post(url, form_answers(form_key=key, day="yesterday"))
    assert deadlines.REPORT_SUBMITTED in text(response)
    assert count(db, Declaration) == 0
    response = actions.post(url, form_answers(form_key=key, day="today"))
    assert response.status_code == 303
    assert count(db, Declaration) == 1

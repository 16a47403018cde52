"""One answer to "who is a member and who declared on day D" on every screen (issue 9 item 1; SPEC W6, W9, W11).

The scene of the issue: the collector submits yesterday's report, then a member 退出组织. Yesterday (submitted) the
leaver is still there everywhere; today (open) they are gone everywhere: 申报详情, the statistic drill-downs, the
report's supplement, summary and view, the 工作台's counts, the school admin's dashboard, organisation day, member
day and export all show the same figures and names.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from decimal import Decimal

import pytest

from tests.blueprints.support import TODAY, YESTERDAY, text
from tests.factories import declare, make_admin, make_org, make_person, make_school
from yks_web import clock
from yks_web.models import Organisation, Person, School
from yks_web.services import membership

SIZE = 3


def plain(page: str) -> str:
    """The page's words, tags and spaces gone: the figures below are written without spaces too."""
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", page))


@dataclass
class Scene:
    school: School
    org: Organisation
    collector: Person
    admin: Person
    leaver: Person  # 黄恺: declared both days (yesterday with fever), leaves after yesterday's report
    stayer: Person  # 李晓明: declared both days
    silent: Person  # 张子涵: never declared


@pytest.fixture
def left_after_the_report(db, client, actions) -> Scene:
    school = make_school(db)
    admin = make_admin(db, school)
    collector = make_person(db, "蒋小华")
    org = make_org(db, school, collector, size=SIZE)
    leaver, stayer, silent = (make_person(db, name) for name in ("黄恺", "李晓明", "张子涵"))
    for person in (leaver, stayer, silent):
        membership.join(db.session, org, person, "invite", clock.utcnow())
    declare(db, org, leaver, YESTERDAY, temperature=Decimal("38.2"))
    declare(db, org, stayer, YESTERDAY)
    declare(db, org, leaver, TODAY)
    declare(db, org, stayer, TODAY)
    db.session.commit()

    actions.login(collector)  # 09:00: yesterday's report is still open
    day = f"/workbench/day/{YESTERDAY.isoformat()}"
    form = {"in_school_count": "2", "leave_count": "1", "sick_absence_count": "0", f"reason-{silent.id}": "请假"}
    assert actions.post(f"{day}/report", form).status_code == 303
    assert actions.post(f"{day}/report/submit").status_code == 303

    actions.login(leaver)  # 【退出组织】 → 确定退出组织？ → 【确定】
    assert actions.post(f"/declare/org/{org.id}/leave").status_code == 303
    assert membership.active_membership(db.session, org.id, leaver.id) is None
    return Scene(school, org, collector, admin, leaver, stayer, silent)


def collector_pages(client, actions, scene: Scene, day) -> dict[str, str]:
    actions.login(scene.collector)
    base = f"/workbench/day/{day.isoformat()}"
    tab = "?day=yesterday" if day == YESTERDAY else ""
    pages = {
        "home": client.get(f"/workbench/{tab}"),
        "申报详情": client.get(base),
        "已填报": client.get(f"{base}/stat/declared"),
        "未填报": client.get(f"{base}/stat/not_declared"),
        "发热": client.get(f"{base}/stat/fever"),
    }
    if day == YESTERDAY:
        pages["数据统计"] = client.get(f"{base}/report/view")
    else:
        pages["补充数据"] = client.get(f"{base}/report")
        actions.post(f"{base}/report", {"in_school_count": "2", "leave_count": "0", "sick_absence_count": "0"})
        pages["数据详情"] = client.get(f"{base}/report/summary")
    for name, response in pages.items():
        assert response.status_code == 200, name
    return {name: plain(text(response)) for name, response in pages.items()}


def school_pages(client, actions, scene: Scene, day) -> dict[str, str]:
    actions.login(scene.admin)
    school, org = scene.school.id, scene.org.id
    pages = {
        "学校管理": client.get(f"/school/{school}?day={day.isoformat()}"),
        "组织": client.get(f"/school/{school}/org/{org}/{day.isoformat()}"),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
    return {name: plain(text(response)) for name, response in pages.items()}


def export_rows(client, actions, scene: Scene, day) -> list[list[str]]:
    actions.login(scene.admin)
    response = client.get(f"/school/{scene.school.id}/export/{day.isoformat()}.csv")
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))[1:]


def shown(person: Person) -> str:
    return f"{person.name}（{person.masked_id}）"


def test_yesterday_submitted_the_leaver_is_still_there_everywhere(client, db, actions, left_after_the_report):
    scene = left_after_the_report
    leaver, stayer, silent = scene.leaver, scene.stayer, scene.silent
    c = collector_pages(client, actions, scene, YESTERDAY)
    assert f"已申报2/{SIZE}" in c["home"] and "已加入成员3人" in c["home"] and "已提交" in c["home"]
    assert "未填报成员（1人）" in c["申报详情"] and "已填报成员（2人）" in c["申报详情"]
    for person in (leaver, stayer, silent):
        assert shown(person) in c["申报详情"]
    assert "（2人）" in c["已填报"] and shown(leaver) in c["已填报"] and shown(stayer) in c["已填报"]
    assert "（1人）" in c["未填报"] and shown(silent) in c["未填报"]
    assert "（1人）" in c["发热"] and shown(leaver) in c["发热"]
    assert "已填报2人" in c["数据统计"] and "未填报1人" in c["数据统计"] and "发热1人" in c["数据统计"]
    assert f"{silent.name}请假" in c["数据统计"]

    s = school_pages(client, actions, scene, YESTERDAY)
    assert f"已加入3/{SIZE}" in s["学校管理"] and "已申报2已提交" in s["学校管理"]
    assert "已加入成员3/3人" in s["学校管理"] and "已申报2人" in s["学校管理"]
    assert "成员（3人，已填报2人）" in s["组织"] and "已填报2人" in s["组织"] and "发热1人" in s["组织"]
    for person in (leaver, stayer, silent):
        assert shown(person) in s["组织"]
    assert [(r[2], r[4]) for r in export_rows(client, actions, scene, YESTERDAY)] == [
        (leaver.name, "是"), (stayer.name, "是"), (silent.name, "否")]

    # the leaver's own day opens on both sides
    actions.login(scene.collector)
    member = f"/workbench/day/{YESTERDAY.isoformat()}/member/{leaver.id}"
    assert "38.2℃" in text(client.get(member))
    actions.login(scene.admin)
    member = f"/school/{scene.school.id}/org/{scene.org.id}/{YESTERDAY.isoformat()}/member/{leaver.id}"
    assert "38.2℃" in text(client.get(member))


def test_today_open_the_leaver_is_gone_everywhere(client, db, actions, left_after_the_report):
    scene = left_after_the_report
    leaver, stayer, silent = scene.leaver, scene.stayer, scene.silent
    c = collector_pages(client, actions, scene, TODAY)
    for name, page in c.items():
        assert leaver.name not in page, name
    assert f"已申报1/{SIZE}" in c["home"] and "已加入成员2人" in c["home"] and "未提交" in c["home"]
    assert "未填报成员（1人）" in c["申报详情"] and "已填报成员（1人）" in c["申报详情"]
    assert shown(stayer) in c["申报详情"] and shown(silent) in c["申报详情"]
    assert "（1人）" in c["已填报"] and shown(stayer) in c["已填报"]
    assert "（1人）" in c["未填报"] and shown(silent) in c["未填报"]
    assert "（0人）" in c["发热"]
    assert "未填报成员说明（1人）" in c["补充数据"] and shown(silent) in c["补充数据"]
    assert "已填报1人" in c["数据详情"] and "未填报1人" in c["数据详情"]

    s = school_pages(client, actions, scene, TODAY)
    for name, page in s.items():
        assert leaver.name not in page, name
    assert f"已加入2/{SIZE}" in s["学校管理"] and "已申报1未提交" in s["学校管理"]
    assert "成员（2人，已填报1人）" in s["组织"]
    assert [(r[2], r[4]) for r in export_rows(client, actions, scene, TODAY)] == [
        (stayer.name, "是"), (silent.name, "否")]

    # not a member of the open day: no page of theirs on either side
    actions.login(scene.collector)
    assert client.get(f"/workbench/day/{TODAY.isoformat()}/member/{leaver.id}").status_code == 404
    actions.login(scene.admin)
    url = f"/school/{scene.school.id}/org/{scene.org.id}/{TODAY.isoformat()}/member/{leaver.id}"
    assert client.get(url).status_code == 404

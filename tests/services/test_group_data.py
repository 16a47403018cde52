"""团体码 data (SPEC G4, G5; issue 13 items 5–8): the snapshot, 【刷新数据】 once per 30 minutes (also for two
presses at once), the filters and 数据统计 — in a constant number of statements for 5 or 500 members."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.factories import make_person
from tests.services.test_health_data import statements
from yks_web.extensions import db as _db
from yks_web.models.group import Group, GroupMember
from yks_web.models.health import HealthCode, NucleicAcidTest, Vaccination
from yks_web.services import group_data, group_members, groups
from yks_web.services.health_data import NucleicAcidRecord, TableHealthData

T0 = datetime(2026, 11, 20, 1, 0)
INFO = groups.GroupInfo("数字广东广报14楼", "企业", "440105", "阅江西路118号")


def _group_with(db, people: list) -> Group:
    group = groups.create(db.session, people[0].id, INFO, phone="13800000012", utc_now=T0)
    invite = group_members.invite(db.session, group, group.creator_id, T0)
    for person in people[1:]:
        group_members.join(db.session, invite.token, person.id, remark=f"{person.name}家长", phone="13900000000",
                           utc_now=T0)
    return group


def _health(db, person, *, colour: str | None = None, test_hours: float | None = None, result: str = "阴性",
            doses: int = 0) -> None:
    if colour:
        db.session.add(HealthCode(person_id=person.id, colour=colour, reason="防控区域重点人员", decided_at=T0,
                                  decided_city="广州市", guidance="请按要求进行核酸检测"))
    if test_hours is not None:
        db.session.add(NucleicAcidTest(person_id=person.id, sampled_at=T0 - timedelta(hours=test_hours),
                                       result=result, institution="广州达瑞医学检验实验室",
                                       tested_at=T0 - timedelta(hours=test_hours - 6)))
    for dose in range(1, doses + 1):
        db.session.add(Vaccination(person_id=person.id, dose=dose, vaccinated_on=date(2021, 3 * dose, 28),
                                   manufacturer="北京科兴", site="天河区接种点"))
    db.session.flush()


@pytest.mark.parametrize("hours, result, window", [
    (1, "阴性", "24"), (24, "阴性", "24"), (24.1, "阴性", "48"), (48, "阴性", "48"), (60, "阴性", "72"),
    (72.5, "阴性", "other"), (2, "阳性", "other"),
])
def test_item5_the_test_window_is_counted_back_from_the_snapshot(hours, result, window):
    record = NucleicAcidRecord(T0 - timedelta(hours=hours), result, "实验室")
    assert group_data.test_window(record, T0) == window
    assert group_data.test_window(None, T0) == "other"


def test_item6_refresh_takes_every_members_snapshot(db):
    people = [make_person(db, n) for n in ("李晓明", "张三", "李四")]
    _health(db, people[1], colour="yellow", test_hours=30, doses=2)
    _health(db, people[2], colour="red", test_hours=3, result="阳性", doses=3)
    group = _group_with(db, people)
    later = T0 + timedelta(minutes=1)
    group_data.refresh(db.session, group.id, TableHealthData(db.session), later)
    db.session.expire_all()
    rows = {m.person_id: m for m in db.session.scalars(select(GroupMember).where(GroupMember.group_id == group.id))}
    zhang = rows[people[1].id]
    assert (zhang.snapshot_at, zhang.code_colour, zhang.code_reason, zhang.code_city) == (
        later, "yellow", "防控区域重点人员", "广州市")
    assert (zhang.test_result, zhang.test_window, zhang.test_institution, zhang.test_source) == (
        "阴性", "48", "广州达瑞医学检验实验室", "广东省卫生健康委员会")
    assert zhang.vaccine_doses == 2 and [r["dose"] for r in zhang.vaccine_records] == [1, 2]
    assert rows[people[2].id].test_window == "other" and rows[people[2].id].code_colour == "red"
    assert rows[people[0].id].code_colour == "green" and rows[people[0].id].vaccine_doses == 0
    assert db.session.get(Group, group.id).refreshed_at == later


def test_item6_refresh_at_most_once_per_30_minutes(db):
    group = _group_with(db, [make_person(db, "李晓明")])
    provider = TableHealthData(db.session)
    group_data.refresh(db.session, group.id, provider, T0)
    with pytest.raises(group_data.RefreshRefused) as refused:
        group_data.refresh(db.session, group.id, provider, T0 + timedelta(minutes=29, seconds=59))
    assert refused.value.allowed_at == T0 + timedelta(minutes=30)
    db.session.refresh(group)
    assert group_data.refresh_allowed_at(group, T0 + timedelta(minutes=10)) == T0 + timedelta(minutes=30)
    assert group_data.refresh_allowed_at(group, T0 + timedelta(minutes=30)) is None
    group_data.refresh(db.session, group.id, provider, T0 + timedelta(minutes=30))


def test_item6_snapshot_data_stays_until_the_next_refresh(db):
    people = [make_person(db, "李晓明"), make_person(db, "张三")]
    group = _group_with(db, people)
    group_data.refresh(db.session, group.id, TableHealthData(db.session), T0)
    _health(db, people[1], colour="red")  # the provider changes after the refresh
    assert group_data.stats(db.session, group.id).code == {"green": 2, "yellow": 0, "red": 0}
    red = group_data.Filters(code="red")
    assert group_data.members(db.session, group.id, red) == []


class Counter:
    def __init__(self):
        self.calls = 0

    def wrap(self, provider):
        counter = self

        class Counting:
            def __getattr__(self, name):
                attr = getattr(provider, name)
                if name == "statuses":
                    counter.calls += 1
                return attr
        return Counting()


def test_item6_two_admins_pressing_at_once_refresh_once(app, db):
    """Two sessions (two app nodes' requests) press 【刷新数据】 at the same moment: one refresh, one refusal."""
    group = _group_with(db, [make_person(db, "李晓明"), make_person(db, "张三")])
    db.session.commit()
    barrier, results, counter = threading.Barrier(2), [], Counter()

    def press():
        with app.app_context():
            session = _db.session
            barrier.wait()
            try:
                group_data.refresh(session, group.id, counter.wrap(TableHealthData(session)), T0)
                session.commit()
                results.append("refreshed")
            except group_data.RefreshRefused:
                session.rollback()
                results.append("refused")
            except Exception as error:  # SQLite's "database is locked" would show here, and fail the test
                session.rollback()
                results.append(repr(error))
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=press) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(results) == ["refreshed", "refused"]
    assert counter.calls == 1


def test_item5_keyword_and_filters_combine(db):
    people = [make_person(db, n) for n in ("李晓明", "张三", "张四", "王五")]
    _health(db, people[1], colour="yellow", test_hours=10, doses=2)
    _health(db, people[2], colour="yellow", test_hours=50, doses=3)
    _health(db, people[3], colour="red", doses=1)
    group = _group_with(db, people)
    group_data.refresh(db.session, group.id, TableHealthData(db.session), T0)

    def names(**args):
        return [m.person.name for m in group_data.members(db.session, group.id, group_data.Filters.parse(args))]

    assert names() == ["李晓明", "张三", "张四", "王五"]
    assert names(code="yellow") == ["张三", "张四"]
    assert names(code="yellow", test="24") == ["张三"]
    assert names(code="yellow", vaccine="3") == ["张四"]
    assert names(q="张") == ["张三", "张四"]
    assert names(q="王五家长") == ["王五"]  # 备注
    assert names(q="%") == [] and names(q="_") == []  # wildcards are letters here
    assert names(vaccine="0") == ["李晓明"]
    assert names(code="purple", test="99") == names()  # a hand-edited URL is no filter, never an error
    assert group_data.Filters.parse({"q": " 张 ", "code": "red"}).query_args() == {"q": "张", "code": "red"}


def test_item6_stats_count_every_bucket(db):
    people = [make_person(db, n) for n in ("李晓明", "张三", "张四", "王五")]
    _health(db, people[1], colour="yellow", test_hours=10, doses=2)
    _health(db, people[2], colour="yellow", test_hours=50, doses=4)
    _health(db, people[3], colour="red", test_hours=30, doses=1)
    group = _group_with(db, people)
    group_data.refresh(db.session, group.id, TableHealthData(db.session), T0)
    got = group_data.stats(db.session, group.id)
    assert got.code == {"green": 1, "yellow": 2, "red": 1}
    assert got.test == {"24": 1, "48": 1, "72": 1, "other": 1}
    assert got.vaccine == {"3": 1, "2": 1, "1": 1, "0": 1}


@pytest.mark.parametrize("size", [5, 500])
def test_item7_refresh_list_and_stats_take_constant_statements(db, size):
    people = [make_person(db, f"成员{i}", register=False) for i in range(size)]
    group_id = _group_with(db, people).id
    db.session.commit()
    provider = TableHealthData(db.session)
    with statements(db) as refreshed:  # the claim, the members, one bulk read per kind, one executemany UPDATE
        group_data.refresh(db.session, group_id, provider, T0)
    with statements(db) as listed:
        rows = group_data.members(db.session, group_id, group_data.Filters(code="green", vaccine="0"))
        [m.person.name for m in rows]
    with statements(db) as counted:
        group_data.stats(db.session, group_id)
    assert len(rows) == size
    assert (len(refreshed), len(listed), len(counted)) == (6, 1, 1)

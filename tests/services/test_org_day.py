"""org_day: who is a member and who declared on day D, one answer for every screen (issue 9 items 1 and 5; SPEC S8,
W6, W9, W11)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
from sqlalchemy import event

from tests.blueprints.support import TODAY, YESTERDAY
from tests.database import postgresql_only
from tests.factories import declare, make_org, make_person, make_school
from tests.plan_work import nested_loop_work
from yks_web.clock import TZ
from yks_web.models import Declaration, Person
from yks_web.services import membership, org_day, reports
from yks_web.services.membership import join

MORNING = datetime(2026, 11, 20, 9, 0, tzinfo=TZ)
LATE = datetime(2026, 11, 20, 11, 31, tzinfo=TZ)
UTC_NOW = datetime(2026, 11, 20, 1, 0)


def leave(db, org, person) -> None:
    membership.leave(db.session, membership.active_membership(db.session, org.id, person.id), UTC_NOW)
    db.session.flush()


def submit(db, org, day=YESTERDAY, notes=()):
    return reports.submit_report(
        db.session, org_id=org.id, day=day, actor_id=org.collector.person_id,
        supplement=reports.Supplement(3, 0, 0, missing_notes=list(notes)), now=MORNING, utc_now=UTC_NOW)


@pytest.fixture
def scene(db):
    """高一(1)班 (组织人数 4): 黄恺 declared yesterday twice (the later one with fever), 李晓明 declared yesterday,
    张子涵 did not; the collector submitted yesterday's report."""
    school = make_school(db)
    org = make_org(db, school, make_person(db, "蒋小华"), size=4)
    people = [make_person(db, name) for name in ("黄恺", "李晓明", "张子涵")]
    for person in people:
        join(db.session, org, person, "invite", UTC_NOW)
    huang, li, zhang = people
    declare(db, org, huang, YESTERDAY)
    declare(db, org, huang, YESTERDAY, temperature=Decimal("38.2"))  # latest wins
    declare(db, org, li, YESTERDAY)
    submit(db, org, notes=[{"person_id": zhang.id, "reason": "请假"}])
    db.session.flush()
    return org, people


def names(day: org_day.OrgDay) -> list[str]:
    return [m.name for m in day.members]


def test_an_open_day_is_the_members_joined_now_and_their_latest_declarations(db, scene):
    org, (huang, li, zhang) = scene
    declare(db, org, huang, TODAY)
    declare(db, org, li, TODAY, has_symptoms=True)
    declare(db, org, li, TODAY)  # latest wins: no symptoms
    leave(db, org, huang)
    today = org_day.of_organisation(db.session, org.id, TODAY)
    assert not today.submitted and today.report is None
    assert names(today) == ["李晓明", "张子涵"]
    assert [m.name for m in today.declared] == ["李晓明"] and [m.name for m in today.missing] == ["张子涵"]
    assert today.member(li.id).declaration.has_symptoms is False
    assert today.member(huang.id) is None  # left: gone from the open day
    assert today.totals()["declared"] == 1 and today.totals()["symptoms"] == 0
    assert today.joined == 2 and today.not_joined == 2 and today.over_size == 0
    assert today.updated == today.member(li.id).declaration.created_at


def test_a_submitted_day_is_exactly_its_report_after_a_member_leaves_and_another_joins(db, scene):
    org, (huang, li, zhang) = scene
    leave(db, org, huang)
    newcomer = make_person(db, "王小明")
    join(db.session, org, newcomer, "invite", UTC_NOW)
    declare(db, org, newcomer, YESTERDAY)  # written directly: the screens refuse it, the report ignores it
    yesterday = org_day.of_organisation(db.session, org.id, YESTERDAY)
    assert yesterday.submitted
    assert names(yesterday) == ["黄恺", "李晓明", "张子涵"]  # the leaver stays, the newcomer is not there
    assert [m.name for m in yesterday.declared] == ["黄恺", "李晓明"]
    assert yesterday.member(huang.id).declaration.temperature == Decimal("38.2")
    # the figures the report wrote are the ones the day gives
    assert yesterday.totals() == yesterday.report.totals
    assert [m.name for m in yesterday.behind("fever")] == ["黄恺"]
    assert [m.name for m in yesterday.behind("not_declared")] == ["张子涵"]
    assert yesterday.joined == 3  # joined now (李晓明, 张子涵, 王小明): the organisation's 成员加入情况
    assert yesterday.report.missing_notes == [{"person_id": zhang.id, "name": "张子涵", "reason": "请假"}]


def test_names_are_the_organisations_claim_until_the_person_logs_in(db, scene):
    """Issue 8 item 1 kept: the collector's typed name, never someone else's, until the person's own login."""
    org, _ = scene
    stranger = make_person(db, "代填人的说法", verified=False)
    join(db.session, org, stranger, "collector", UTC_NOW).typed_name = "采集员的说法"
    db.session.flush()
    assert org_day.of_organisation(db.session, org.id, TODAY).member(stranger.id).name == "采集员的说法"


def test_member_reads_one_member_of_the_day(db, scene):
    org, (huang, li, zhang) = scene
    leave(db, org, huang)
    report, member = org_day.member(db.session, org.id, YESTERDAY, huang.id)
    assert report is not None and member.name == "黄恺" and member.declared
    report, member = org_day.member(db.session, org.id, TODAY, huang.id)
    assert report is None and member is None
    assert org_day.member(db.session, org.id, TODAY, zhang.id)[1].declared is False


def test_of_school_lists_every_organisation_in_order_and_nothing_of_other_schools(db, scene):
    org, _ = scene
    other = make_org(db, org.school, make_person(db, "王老师"), name="高一(2)班")
    make_org(db, make_school(db, "别的学校"), make_person(db, "别校老师"), name="外校班")
    days = org_day.of_school(db.session, org.school_id, YESTERDAY)
    assert [(d.organisation.name, d.submitted, len(d.members)) for d in days] == [
        ("高一(1)班", True, 3), ("高一(2)班", False, 0)]
    assert days[1].organisation.collector.person.name == "王老师"
    assert org_day.of_school(db.session, make_school(db, "空学校").id, TODAY) == []
    assert set(org_day.days(db.session, [org.id, other.id, 999_999], TODAY)) == {org.id, other.id}


def test_over_size_is_said_never_silently_dropped(db, scene):
    """Issue 9 item 5: 5 joined in an organisation of 4."""
    org, _ = scene
    for name in ("王一", "王二"):
        join(db.session, org, make_person(db, name), "invite", UTC_NOW)
    today = org_day.of_organisation(db.session, org.id, TODAY)
    assert (today.joined, today.not_joined, today.over_size, today.members_over_size) == (5, 0, 1, 1)
    yesterday = org_day.of_organisation(db.session, org.id, YESTERDAY)
    assert (yesterday.over_size, yesterday.members_over_size) == (1, 0)  # its report had 3 members


def _statements(db, run) -> int:
    seen = []

    def record(conn, cursor, statement, *args):
        seen.append(statement)

    db.session.commit()
    db.session.expire_all()
    event.listen(db.engine, "before_cursor_execute", record)
    try:
        run()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return len(seen)


def test_a_school_day_takes_five_statements_whatever_its_size(db, scene):
    """Q3: organisations with their collectors, reports, the reports' entries, the joined members with their latest
    declarations (and who entered them), the joined counts of the reported organisations."""
    org, _ = scene
    other = make_org(db, org.school, make_person(db, "王老师"), members=2, name="高一(2)班")
    school_id, seen = org.school_id, []

    def run():
        for day in org_day.of_school(db.session, school_id, YESTERDAY):
            seen.append(day.organisation.collector.person.name)
            seen.extend((m.name, m.masked_id, m.declared and m.declaration.actor.name) for m in day.members)

    small = _statements(db, run)
    for i in range(30):
        join(db.session, other, make_person(db, f"学生{'〇一二三四五六七八九'[i % 10]}号"), "invite", UTC_NOW)
    for m in membership.members(db.session, other.id)[:20]:
        declare(db, other, m.person, YESTERDAY, actor=org.collector.person, source="collector")
    assert small == _statements(db, run) == 5
    assert "蒋小华" in seen and "王老师" in seen


def test_collector_closed_speaks_to_the_collector(db):
    """Issue 9 item 7: one message, in the collector's words, when the day can no longer be filled or reported."""
    assert org_day.collector_closed(TODAY, LATE, False) is None
    assert org_day.collector_closed(YESTERDAY, MORNING, False) is None
    assert org_day.collector_closed(YESTERDAY, LATE, False) == org_day.COLLECTOR_YESTERDAY_CLOSED
    assert org_day.collector_closed(TODAY, MORNING, True) == org_day.COLLECTOR_SUBMITTED
    assert org_day.collector_closed(datetime(2026, 11, 1).date(), MORNING, False) == org_day.COLLECTOR_DAY_PAST
    for message in (org_day.COLLECTOR_SUBMITTED, org_day.COLLECTOR_YESTERDAY_CLOSED, org_day.COLLECTOR_DAY_PAST):
        assert "联系采集员" not in message


def test_the_report_takes_the_open_day_as_every_screen_showed_it(db, scene):
    """submit_report writes org_day's open day: its entries are the joined members, the declarations the latest."""
    org, (huang, li, zhang) = scene
    declare(db, org, li, TODAY)
    leave(db, org, zhang)
    shown = org_day.of_organisation(db.session, org.id, TODAY)
    report = submit(db, org, day=TODAY)
    assert sorted(e.person_id for e in report.entries) == sorted(shown.member_ids)
    assert report.totals == shown.totals()
    assert org_day.of_organisation(db.session, org.id, TODAY).member_ids == shown.member_ids


def test_the_school_list_counts_in_sql_what_the_days_show(db, scene):
    """学校管理's figures (counts_of_school) are the org_day answer counted without loading members: the same
    members and declared figures for a submitted day (after a member left), an open day (a member with two
    declarations counts once, a leaver not at all) and an organisation with nobody."""
    org, (huang, li, zhang) = scene
    other = make_org(db, org.school, make_person(db, "王老师"), name="高一(2)班", size=1)
    for name in ("王一", "王二"):
        join(db.session, other, make_person(db, name), "invite", UTC_NOW)
    make_org(db, org.school, make_person(db, "赵老师"), name="高一(3)班")
    leave(db, org, li)
    declare(db, org, huang, TODAY)
    declare(db, org, huang, TODAY, temperature=Decimal("36.8"))
    declare(db, org, zhang, TODAY)
    declare(db, org, li, TODAY)  # 李晓明 has left: not counted today
    db.session.flush()
    for day in (YESTERDAY, TODAY):
        full = [(d.organisation.id, d.submitted, len(d.members), len(d.declared), d.members_over_size)
                for d in org_day.of_school(db.session, org.school_id, day)]
        counted = [(c.organisation.id, c.submitted, c.members, c.declared, c.members_over_size)
                   for c in org_day.counts_of_school(db.session, org.school_id, day)]
        assert counted == full, day
    assert counted[0][2:4] == (2, 2) and counted[1][2:5] == (2, 0, 1)



@postgresql_only
def test_the_days_latest_declarations_stay_cheap_when_the_planner_nests_loops(db):
    """joined_select's NOT EXISTS names the member, not the declaration (issue 14): with tables not yet analysed
    PostgreSQL planned nested loops and rebuilt the whole day's anti-join for every member, 19.5 s for 500 members.
    Nested loops forced here (tests/plan_work.py): nothing but look-ups runs once per member (the old shape ran its
    anti-join, a nested loop, for every one), and doubling the class at most quadruples the rows the plan touches
    (the old shape's grew eightfold: 1.6 million for 100 members, 12.7 million for 200)."""
    work = {}
    for size in (100, 200):
        org = make_org(db, make_school(db), make_person(db, f"老师{size}"), members=size, size=size + 10)
        for i, member in enumerate(membership.members(db.session, org.id)):
            declare(db, org, member.person, TODAY)
            if i % 3 == 0:
                declare(db, org, member.person, TODAY)  # superseded by a later one of the day
        query = org_day.joined_select([org.id], TODAY, None, Person.id, Declaration.id)
        work[size] = nested_loop_work(db.session, lambda q=query: db.session.execute(q).all())
        assert sum(1 for *_, declaration_id in db.session.execute(query) if declaration_id) == size
    assert work[100].rebuilt == work[200].rebuilt == [], work
    assert work[200].rows <= 4.5 * work[100].rows, work

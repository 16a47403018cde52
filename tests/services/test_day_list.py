"""day_list: 申报详情's lean rows say what org_day's members say (issue 14 item 4; SPEC W6, S8, S9, I6, P6)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
from sqlalchemy import event, update

from tests.blueprints.support import TODAY, YESTERDAY
from tests.factories import declare, make_org, make_person, make_school
from yks_web.clock import TZ
from yks_web.models import Person
from yks_web.services import day_list, membership, org_day, reports
from yks_web.services.membership import join

MORNING = datetime(2026, 11, 20, 9, 0, tzinfo=TZ)
UTC_NOW = datetime(2026, 11, 20, 1, 0)


@pytest.fixture
def scene(db):
    """高一(1)班 (组织人数 5): 黄恺 declared twice each day (latest wins), a parent filled in for 李晓明 (数据有变动),
    张子涵 is silent, 代填人 has not logged in (the collector's typed name shows) and is stored without a masked
    ID number (it is then read and masked); 王五 logged in under another name than the one typed for him.
    Yesterday's report is submitted; 黄恺 left after it."""
    school = make_school(db)
    org = make_org(db, school, make_person(db, "蒋小华"), size=5)
    huang, li, zhang = (make_person(db, name) for name in ("黄恺", "李晓明", "张子涵"))
    unverified = make_person(db, "别人的说法", verified=False)
    renamed = make_person(db, "王五")
    parent = make_person(db, "家长")
    for person in (huang, li, zhang, unverified, renamed):
        join(db.session, org, person, "invite", UTC_NOW)
    membership.active_membership(db.session, org.id, unverified.id).typed_name = "采集员的说法"
    membership.active_membership(db.session, org.id, renamed.id).typed_name = "王小五"
    db.session.execute(update(Person).where(Person.id == unverified.id).values(id_masked=""))
    for day in (YESTERDAY, TODAY):
        declare(db, org, huang, day, temperature=Decimal("38.2"))
        declare(db, org, huang, day, source="quickfill")  # the latest counts
        declare(db, org, li, day, actor=parent, source="proxy", changed=True)
        declare(db, org, renamed, day, actor=org.collector.person, source="collector")
    reports.submit_report(
        db.session, org_id=org.id, day=YESTERDAY, actor_id=org.collector.person_id,
        supplement=reports.Supplement(4, 0, 0, missing_notes=[]), now=MORNING, utc_now=UTC_NOW)
    membership.leave(db.session, membership.active_membership(db.session, org.id, huang.id), UTC_NOW)
    db.session.flush()
    db.session.expire_all()
    return org, unverified


def as_org_day_says(day: org_day.OrgDay) -> list[tuple]:
    return [(m.person_id, m.name, m.masked_id, m.declaration.source if m.declared else None,
             m.declared and m.declaration.changed, m.declared and m.declaration.actor.name) for m in day.members]


def as_listed(day) -> list[tuple]:
    return [(m.person_id, m.name, m.masked_id, m.source, m.declared and m.changed, m.declared and m.actor_name)
            for m in day.members]


@pytest.mark.parametrize("which", ["open", "submitted"])
def test_the_rows_are_org_days_members_in_its_order(db, scene, which):
    org, unverified = scene
    the_day = TODAY if which == "open" else YESTERDAY
    full = org_day.of_organisation(db.session, org.id, the_day)
    lean = day_list.of_organisation(db.session, org, the_day)
    assert as_listed(lean) == as_org_day_says(full)
    assert (lean.report is None) == (which == "open") and lean.report == full.report
    assert (lean.joined, lean.not_joined, lean.over_size) == (full.joined, full.not_joined, full.over_size) == (4, 1, 0)
    assert [m.person_id for m in lean.declared] == [m.person_id for m in full.declared]
    shown = {m.name: m for m in lean.members}
    assert "采集员的说法" in shown and "王五" in shown and "王小五" not in shown  # SPEC I6
    assert shown["采集员的说法"].masked_id == unverified.masked_id != ""  # masked from the number (P6)
    assert shown["李晓明"].actor_name == "家长" and shown["李晓明"].changed
    if which == "submitted":
        assert "黄恺" in shown and shown["黄恺"].source == "quickfill"  # left after the report: still in it (S9)
    else:
        assert "黄恺" not in shown and shown["张子涵"].declared is False


@pytest.mark.parametrize(("which", "expected"), [("open", 2), ("submitted", 3)])
def test_statements_do_not_grow_with_the_members(db, scene, which, expected):
    """Q3: the report, the members (with who declared), and for a submitted day the members joined now."""
    org, _ = scene
    the_day = TODAY if which == "open" else YESTERDAY

    def count() -> int:
        assert org.size == 5  # the organisation as the loader gives it, loaded (the fixture expired it)
        seen = []
        listener = lambda *args: seen.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            day_list.of_organisation(db.session, org, the_day)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    small = count()
    for i in range(30):
        person = make_person(db, f"学生{'〇一二三四五六七八九'[i % 10]}号")
        join(db.session, org, person, "invite", UTC_NOW)
        declare(db, org, person, TODAY, actor=org.collector.person, source="collector")
    db.session.flush()
    assert small == count() == expected

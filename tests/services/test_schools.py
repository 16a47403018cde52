"""Schools and the roll-up a school admin sees (SPEC W1, W11)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import event, func, select

from tests.factories import declare, make_org, make_school
from yks_web.models import DailyReport, School
from yks_web.models.school import SCHOOL_TYPES
from yks_web.services import invites, membership
from yks_web.services.schools import SchoolError, create_school, organisation_rows

T0 = datetime(2026, 11, 20, 1, 0)  # naive UTC
TODAY = datetime(2026, 11, 20).date()
YESTERDAY = TODAY - timedelta(days=1)


def schools(db) -> int:
    return db.session.scalar(select(func.count()).select_from(School))


# --- W1: creating a school ---------------------------------------------------------------------


def test_w1_create_school_with_its_admin_invite(db):
    school, invite = create_school(db.session, name=" 广州市第一示范中学 ", school_type="高中",
                                   region=" 广东省广州市 ", utc_now=T0)
    assert (school.name, school.school_type, school.region, school.created_at) == (
        "广州市第一示范中学", "高中", "广东省广州市", T0,
    )
    assert (invite.kind, invite.school_id) == ("school_admin", school.id)
    assert invites.resolve(db.session, invite.token, "school_admin", T0).school.name == "广州市第一示范中学"


def test_w1_school_types_are_the_guides():
    assert SCHOOL_TYPES == ["学前", "小学", "初中", "高中", "中职", "高职", "全日制大学", "其他"]


@pytest.mark.parametrize("school_type", SCHOOL_TYPES)
def test_w1_every_school_type_accepted(db, school_type):
    school, _ = create_school(db.session, name="某校", school_type=school_type, region="广东省", utc_now=T0)
    assert school.school_type == school_type


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": ""}, "学校名称应为1–100个字"),
        ({"name": "   "}, "学校名称应为1–100个字"),
        ({"name": "校" * 101}, "学校名称应为1–100个字"),
        ({"school_type": "大学"}, "学校类型应为：学前、小学、初中、高中、中职、高职、全日制大学、其他"),
        ({"school_type": ""}, "学校类型应为：学前、小学、初中、高中、中职、高职、全日制大学、其他"),
        ({"region": ""}, "地区应为1–100个字"),
        ({"region": "区" * 101}, "地区应为1–100个字"),
    ],
)
def test_w1_create_school_validation(db, fields, message):
    values = {"name": "广州市第一示范中学", "school_type": "高中", "region": "广东省广州市", **fields}
    with pytest.raises(SchoolError) as refused:
        create_school(db.session, utc_now=T0, **values)
    assert refused.value.message == message
    assert schools(db) == 0


def test_w1_hundred_characters_accepted(db):
    school, _ = create_school(db.session, name="校" * 100, school_type="其他", region="区" * 100, utc_now=T0)
    db.session.commit()
    assert len(db.session.get(School, school.id).name) == 100


# --- W11: every organisation of the school --------------------------------------------------------


@pytest.fixture
def scene(db):
    school = make_school(db)
    class_1 = make_org(db, school, members=3, name="高一(1)班")
    class_2 = make_org(db, school, name="高一(2)班")
    elsewhere = make_org(db, make_school(db, "别的学校"), members=2, name="外校班")
    first, second, leaver = (m.person for m in membership.members(db.session, class_1.id))
    declare(db, class_1, first, TODAY)
    declare(db, class_1, first, TODAY)  # twice, one person
    declare(db, class_1, second, YESTERDAY)
    declare(db, class_1, leaver, TODAY)
    membership.leave(db.session, membership.active_membership(db.session, class_1.id, leaver.id), T0)
    for person in (m.person for m in membership.members(db.session, elsewhere.id)):
        declare(db, elsewhere, person, TODAY)
    db.session.add(DailyReport(organisation_id=class_1.id, day=TODAY, submitted_by_id=class_1.collector.person_id,
                               in_school_count=0, leave_count=0, sick_absence_count=0))
    db.session.flush()
    return school, class_1, class_2


def test_w11_organisation_rows_today(db, scene):
    school, class_1, class_2 = scene
    rows = organisation_rows(db.session, school.id, TODAY)
    assert [(r["org"].id, r["joined"], r["declared"], r["submitted"]) for r in rows] == [
        (class_1.id, 2, 1, True),
        (class_2.id, 0, 0, False),
    ]
    assert rows[0]["org"].collector.person.name == "蒋小华"


def test_w11_organisation_rows_yesterday(db, scene):
    school, class_1, class_2 = scene
    rows = organisation_rows(db.session, school.id, YESTERDAY)
    assert [(r["joined"], r["declared"], r["submitted"]) for r in rows] == [(2, 1, False), (0, 0, False)]


def test_w11_school_without_organisations(db):
    assert organisation_rows(db.session, make_school(db).id, TODAY) == []


def test_w11_organisation_rows_in_four_queries(app, db, scene):
    """No N+1: the collectors come with the organisations."""
    school_id = scene[0].id
    db.session.commit()
    db.session.expire_all()
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        rows = organisation_rows(db.session, school_id, TODAY)
        names = [r["org"].collector.person.name for r in rows]
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert names == ["蒋小华", "蒋小华"]
    assert len(statements) == 4, statements

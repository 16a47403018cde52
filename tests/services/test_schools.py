"""Schools and the roll-up a school admin sees (SPEC W1, W11)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from yks_web.models import School
from yks_web.models.school import SCHOOL_TYPES
from yks_web.services import invites
from yks_web.services.schools import SchoolError, create_school

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


# W11's day of every organisation: tests/services/test_org_day.py (issue 9 item 1).

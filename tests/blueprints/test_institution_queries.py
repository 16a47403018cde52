"""The admin's 组织机构 screens take a constant number of SQL statements whatever the number of members
(SPEC Q3; issue 11 item 3): 3 members against 60, counted as tests/blueprints/test_query_counts.py does."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from tests.blueprints.support import TODAY
from tests.blueprints.test_query_counts import statements
from tests.factories import make_person, student_name
from yks_web import clock
from yks_web.services import institution_members, institutions


def build(db, size: int, prefix: str) -> tuple[int, int]:
    """An institution of `size` members: two of three declared today (some twice, some with fever), one in ten
    declared and then unbound, yesterday's data too. Returns (admin id, institution id)."""
    admin = make_person(db, f"{prefix}管理员")
    institution = institutions.register(
        db.session, admin.id,
        institutions.Details(name=f"{prefix}机构", level="其他", phone="13800000001", address="天河路1号"),
        clock.utcnow() - timedelta(days=5),
    )
    for i in range(size):
        person = make_person(db, prefix + student_name(i))
        member = institution_members.bind(db.session, person.id, institution, clock.utcnow() - timedelta(days=3))
        for day, times in ((TODAY, 1 + (i % 2)), (TODAY - timedelta(days=1), 1)):
            if i % 3 == 2 and day == TODAY:
                continue
            for n in range(times):
                institution_members.declare(
                    db.session, institution_id=institution.id, person_id=person.id, on_duty=bool(i % 2),
                    work_place="本部", form_key=f"{prefix}-{i}-{day}-{n}", day=day, utc_now=clock.utcnow(),
                    answers={"location_province": "广东省", "location_city": "广州市",
                             "temperature": Decimal("38.1") if i % 4 == 0 else Decimal("36.5"),
                             "temperature_band": None, "has_symptoms": i % 5 == 0, "risk_travel": False,
                             "contact_case": False, "remarks": ""})
        if i % 10 == 9:
            institution_members.unbind(db.session, member, clock.utcnow())
    db.session.commit()
    return admin.id, institution.id


@pytest.fixture
def small_and_large(db):
    return build(db, 3, "小"), build(db, 60, "大")


PAGES = ["/institution/{id}", "/institution/{id}/board", "/institution/{id}/board?day=" + (TODAY - timedelta(days=1))
         .isoformat(), "/institution/{id}/export.csv", "/institution/{id}/export.xlsx", "/institution/{id}/binder"]


def test_q3_item3_admin_screens_take_constant_queries(db, client, small_and_large):
    (small_admin, small), (large_admin, large) = small_and_large
    small_counts = {page: len(statements(db, client, small_admin, page.format(id=small))) for page in PAGES}
    large_counts = {page: len(statements(db, client, large_admin, page.format(id=large))) for page in PAGES}
    assert small_counts == large_counts
    assert all(n <= 12 for n in small_counts.values()), small_counts

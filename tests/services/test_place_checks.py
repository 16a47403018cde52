"""体温检测与登记 written once and never edited (SPEC O3, O4; FAQ 12): who may correct what (review of issue 10)."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy.exc import IntegrityError

from tests.factories import make_check, make_inspector, make_person, make_place
from yks_web import clock
from yks_web.services import place_checks

MORNING, NOON = datetime(2026, 11, 20, 9, 0), datetime(2026, 11, 20, 12, 0)


def test_o3_an_inspectors_rescan_corrects_the_same_days_check(db):
    place = make_place(db)
    guard, citizen = make_inspector(db, place), make_person(db, "王市民")
    fever = make_check(db, place, citizen, result="发热", inspector=guard, at=MORNING)
    corrected = make_check(db, place, citizen, result="正常", inspector=guard, at=NOON)
    assert corrected.supersedes_id == fever.id


def test_o4_a_citizens_own_checkin_never_erases_an_inspectors_fever(db):
    """Tapping 体温正常 on the 葵花码 after the inspector measured 发热 that day is refused and writes nothing."""
    place = make_place(db)
    guard, citizen = make_inspector(db, place), make_person(db, "王市民")
    make_check(db, place, citizen, result="发热", inspector=guard, at=MORNING)
    with pytest.raises(place_checks.CheckinRefused, match="发热"):
        make_check(db, place, citizen, at=NOON)


def test_o4_a_checkin_after_a_normal_scan_or_on_another_day_is_fine(db):
    place = make_place(db)
    guard, citizen = make_inspector(db, place), make_person(db, "王市民")
    make_check(db, place, citizen, result="发热", inspector=guard, at=datetime(2026, 11, 19, 9, 0))
    normal = make_check(db, place, citizen, result="正常", inspector=guard, at=MORNING)
    checkin = make_check(db, place, citizen, at=NOON)
    assert checkin.supersedes_id == normal.id and checkin.result == "正常"


def test_o3_a_form_key_held_by_another_persons_check_is_not_this_forms(db):
    place = make_place(db)
    first, second = make_person(db, "王市民"), make_person(db, "李市民")
    now, utc = clock.now(), clock.utcnow()
    kept = place_checks.record(db.session, place=place, person=first, result="正常", method=place_checks.CHECKIN,
                               inspector_id=None, form_key="k" * 32, utc_now=utc, local_now=now)
    assert not kept.repeated
    again = place_checks.record(db.session, place=place, person=first, result="正常", method=place_checks.CHECKIN,
                                inspector_id=None, form_key="k" * 32, utc_now=utc, local_now=now)
    assert again.repeated and again.check.id == kept.check.id
    with pytest.raises(IntegrityError):  # the unique key refuses it; never another person's check handed back
        place_checks.record(db.session, place=place, person=second, result="正常", method=place_checks.CHECKIN,
                            inspector_id=None, form_key="k" * 32, utc_now=utc, local_now=now)


def test_o3_the_twin_of_a_double_tap_that_committed_first_is_answered_with_its_check(db, monkeypatch):
    """The race the form_key look-up cannot see: the INSERT meets the twin's row and answers with it (no 500)."""
    place = make_place(db)
    citizen = make_person(db, "王市民")
    now, utc = clock.now(), clock.utcnow()
    twin = place_checks.record(db.session, place=place, person=citizen, result="正常", method=place_checks.CHECKIN,
                               inspector_id=None, form_key="t" * 32, utc_now=utc, local_now=now).check
    real = place_checks._same_form
    calls = []
    monkeypatch.setattr(place_checks, "_same_form",
                        lambda *a: real(*a) if calls.append(a) or len(calls) > 1 else None)  # first look: None
    again = place_checks.record(db.session, place=place, person=citizen, result="正常", method=place_checks.CHECKIN,
                                inspector_id=None, form_key="t" * 32, utc_now=utc, local_now=now)
    assert len(calls) == 2 and again.repeated and again.check.id == twin.id

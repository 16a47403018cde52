"""健康申报 of 粤康码: a person's own declaration, idempotent per form, kept as history (SPEC H4, P4, I5)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.factories import make_person
from yks_web.models import PersonalDeclaration
from yks_web.services import personal
from yks_web.services.errors import DomainError

T0 = datetime(2026, 11, 20, 1, 0)


def answers(**overrides) -> dict:
    values = {
        "location_province": "广东省",
        "location_city": "广州市",
        "temperature": Decimal("36.5"),
        "temperature_band": None,
        "has_symptoms": False,
        "risk_travel": False,
        "contact_case": False,
        "remarks": "",
    }
    values.update(overrides)
    return values


def submit(db, person, *, actor=None, form_key="key-1", at=T0, **overrides) -> PersonalDeclaration:
    return personal.submit(db.session, person_id=person.id, actor_id=(actor or person).id,
                           answers=answers(**overrides), form_key=form_key, utc_now=at)


def rows(db) -> int:
    return db.session.scalar(select(func.count()).select_from(PersonalDeclaration))


def test_h4_submit_keeps_every_answer(db):
    person = make_person(db)
    row = submit(db, person, location_city="深圳市", temperature=Decimal("37.4"), has_symptoms=True,
                 risk_travel=True, contact_case=False, remarks="咳嗽两天")
    db.session.commit()
    db.session.expire_all()
    saved = db.session.get(PersonalDeclaration, row.id)
    assert (saved.person_id, saved.actor_id, saved.form_key, saved.created_at) == (person.id, person.id, "key-1", T0)
    assert (saved.location_province, saved.location_city, saved.temperature, saved.temperature_band) == (
        "广东省", "深圳市", Decimal("37.4"), None)
    assert (saved.has_symptoms, saved.risk_travel, saved.contact_case, saved.remarks) == (True, True, False, "咳嗽两天")


def test_h4_temperature_band_instead_of_a_value(db):
    person = make_person(db)
    row = submit(db, person, temperature=None, temperature_band="37.3℃以下")
    assert (row.temperature, row.temperature_band) == (None, "37.3℃以下")


def test_p4_the_same_form_twice_is_one_declaration(db):
    person = make_person(db)
    first = submit(db, person, form_key="tap-twice")
    second = submit(db, person, form_key="tap-twice", location_city="深圳市", at=T0 + timedelta(seconds=2))
    assert second.id == first.id
    assert second.location_city == "广州市"  # the first one is kept
    assert rows(db) == 1


def test_p4_the_same_form_twice_after_a_commit_is_one_declaration(db):
    person = make_person(db)
    first = submit(db, person, form_key="committed")
    db.session.commit()
    db.session.expire_all()
    assert submit(db, person, form_key="committed").id == first.id
    assert rows(db) == 1


def test_p4_another_persons_form_key_is_refused(db):
    person, other = make_person(db, "黄恺"), make_person(db, "陈丽")
    submit(db, person, form_key="someone-elses")
    with pytest.raises(DomainError) as excinfo:
        submit(db, other, form_key="someone-elses")
    assert excinfo.value.message == "表单已失效，请重新填写"
    assert rows(db) == 1


def test_h4_new_form_keys_make_new_declarations(db):
    person = make_person(db)
    submit(db, person, form_key="a")
    submit(db, person, form_key="b", at=T0 + timedelta(hours=1))
    assert rows(db) == 2


def test_i5_a_family_member_declares_with_the_actor_recorded(db):
    parent, child = make_person(db, "黄伟斌"), make_person(db, "黄小宝")
    row = submit(db, child, actor=parent, form_key="for-child")
    assert (row.person_id, row.actor_id) == (child.id, parent.id)
    assert [d.id for d in personal.history(db.session, child.id)] == [row.id]
    assert personal.history(db.session, parent.id) == []


def test_h4_history_is_newest_first_and_only_ones_own(db):
    person, other = make_person(db, "黄恺"), make_person(db, "陈丽")
    for i, hours in enumerate((5, 1, 30)):
        submit(db, person, form_key=f"k{i}", at=T0 - timedelta(hours=hours), remarks=f"{hours}小时前")
    submit(db, other, form_key="other", at=T0)
    history = personal.history(db.session, person.id)
    assert [d.remarks for d in history] == ["1小时前", "5小时前", "30小时前"]


def test_h4_history_same_moment_newest_row_first(db):
    person = make_person(db)
    first = submit(db, person, form_key="k1")
    second = submit(db, person, form_key="k2")
    assert [d.id for d in personal.history(db.session, person.id)] == [second.id, first.id]


def test_h4_history_is_limited(db):
    person = make_person(db)
    for i in range(5):
        submit(db, person, form_key=f"k{i}", at=T0 + timedelta(minutes=i))
    assert len(personal.history(db.session, person.id, limit=3)) == 3
    assert personal.history(db.session, person.id, limit=3)[0].form_key == "k4"


def test_h4_no_declarations_is_an_empty_history(db):
    assert personal.history(db.session, make_person(db).id) == []

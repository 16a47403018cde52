"""医学观察 in the built-in health data (SPEC H2, O7; issue 11 item 5): the operator records them, a notice releases
one, and the code colour follows where that observation was its only reason."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tests.factories import make_person
from yks_web.models.medical import MedicalObservation
from yks_web.services import health_data, observations
from yks_web.services.health_data import ObservationRecord, TableHealthData

UTC_NOW = datetime(2026, 11, 20, 1, 0)
TODAY = date(2026, 11, 20)
SINCE = date(2026, 11, 6)


def observe(db, person, reason="密切接触者", colour="red", since=SINCE, unit="越秀区集中隔离点"):
    row = observations.add(db.session, person.id, reason=reason, started_on=since, unit=unit, created_by_id=None,
                           utc_now=UTC_NOW, today=TODAY, colour=colour)
    db.session.flush()
    return row


def status(db, person):
    return TableHealthData(db.session).status(person.id)


@pytest.fixture
def person(db):
    return make_person(db, "张三")


def test_h2_an_observation_with_a_colour_sets_the_code_for_its_reason(db, person):
    observe(db, person)
    code = status(db, person)
    assert (code.colour, code.reason) == ("red", "密切接触者")
    assert TableHealthData(db.session).observations(person.id) == [
        ObservationRecord(db.session.query(MedicalObservation).one().id, "密切接触者", SINCE, "越秀区集中隔离点")]


def test_h2_an_observation_without_a_colour_leaves_the_code(db, person):
    observe(db, person, colour="")
    assert status(db, person).colour == "green"
    assert len(observations.open_of(db.session, person.id)) == 1


@pytest.mark.parametrize("kwargs, message", [
    ({"reason": "  "}, "请填写医学观察原因"),
    ({"since": date(2027, 1, 1)}, "开始日期应在2019年12月1日至今天之间"),
    ({"since": date(2019, 1, 1)}, "开始日期应在2019年12月1日至今天之间"),
    ({"colour": "green"}, "健康码颜色应为 yellow 或 red"),
    ({"reason": "长" * 51}, "医学观察原因不超过50字，观察地点/单位不超过100字"),
])
def test_h2_an_impossible_observation_is_refused(db, person, kwargs, message):
    with pytest.raises(observations.ObservationError) as refused:
        observe(db, person, **kwargs)
    assert refused.value.message == message


def test_item5_releasing_the_only_reason_turns_the_code_green(db, person):
    row = observe(db, person)
    released = TableHealthData(db.session).release_observation(person.id, row.id, notice_id=None, utc_now=UTC_NOW)
    assert released.reason == "密切接触者"
    assert row.released_at == UTC_NOW
    code = status(db, person)
    assert (code.colour, code.reason) == ("green", health_data.GREEN_REASON)
    assert observations.open_of(db.session, person.id) == []


def test_item5_another_open_observation_keeps_the_code(db, person):
    first = observe(db, person, reason="入境人员")
    observe(db, person, reason="入境人员", colour="", since=date(2026, 11, 10))
    observations.release(db.session, person.id, first.id, notice_id=None, utc_now=UTC_NOW)
    assert status(db, person).colour == "red"
    assert len(observations.open_of(db.session, person.id)) == 1


def test_item5_a_code_red_for_another_reason_stays_red(db, person):
    row = observe(db, person)
    health_data.set_status(db.session, person.id, colour="red", reason="核酸检测阳性", city="广州市", guidance="",
                           utc_now=UTC_NOW)
    observations.release(db.session, person.id, row.id, notice_id=None, utc_now=UTC_NOW)
    assert (status(db, person).colour, status(db, person).reason) == ("red", "核酸检测阳性")


def test_item5_a_yellow_code_for_the_reason_turns_green_too(db, person):
    row = observe(db, person, colour="yellow", reason="入境人员")
    observations.release(db.session, person.id, row.id, notice_id=None, utc_now=UTC_NOW)
    assert status(db, person).colour == "green"


def test_item5_an_observation_is_released_once_and_only_for_its_person(db, person):
    row = observe(db, person)
    other = make_person(db, "李四")
    with pytest.raises(observations.ObservationError):
        observations.release(db.session, other.id, row.id, notice_id=None, utc_now=UTC_NOW)
    observations.release(db.session, person.id, row.id, notice_id=None, utc_now=UTC_NOW)
    with pytest.raises(observations.ObservationError) as again:
        observations.release(db.session, person.id, row.id, notice_id=None, utc_now=UTC_NOW)
    assert again.value.message == observations.NOT_OPEN
    with pytest.raises(observations.ObservationError):
        observations.release(db.session, person.id, 999999, notice_id=None, utc_now=UTC_NOW)


def test_h2_all_of_lists_open_and_released_newest_first(db, person):
    old = observe(db, person, since=date(2026, 10, 1), colour="")
    new = observe(db, person, since=date(2026, 11, 1), colour="")
    observations.release(db.session, person.id, old.id, notice_id=None, utc_now=UTC_NOW)
    assert [o.id for o in observations.all_of(db.session, person.id)] == [new.id, old.id]

"""信息采集上报 (issue 12 items 5, 6; SPEC O6; guide 二 (三) (2) 3)–4); FAQ (四) 4): services/grid_visits — what a
网格员 typed, recording a visit once per client_key, who may record, the device's time, 今日登记次数 / 累计登记次数."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import event, select

from tests.factories import id_number, make_grid, make_grid_staff, make_grid_visit, make_person
from yks_web import clock
from yks_web.models.grid import GridVisit
from yks_web.services import grid_visits, grids
from yks_web.services.grid_visits import DISSOLVED, KEY_TAKEN, PENDING_GRID, UNBOUND, VisitRefused

NOW = datetime(2026, 11, 20, 1, 0)  # naive UTC: 09:00 in Beijing (conftest.DEFAULT_NOW)


def typed(**changes) -> dict:
    data = {"name": "黄小明", "id_type": "id_card", "id_number": id_number(1), "phone": "", "address": "一社区3栋101",
            "temperature": "", "symptoms": "no", "travel": "no", "contact": "no", "remarks": ""}
    return {**data, **changes}


def answers(**changes) -> grid_visits.VisitAnswers:
    found, errors = grid_visits.validate_entry(typed(**changes))
    assert not errors, errors
    return found


@pytest.fixture
def staff(db):
    """吴网格, bound to an active grid."""
    grid = make_grid(db, "周网管", "一社区网格", status="active")
    return make_grid_staff(db, grid, "吴网格")


def record(db, staff, key: str = "k" * 32, *, worker_id: int | None = None, at: datetime | None = None,
           utc_now: datetime = NOW, **changes) -> grid_visits.Recorded:
    return grid_visits.record(
        db.session, grid_id=staff.grid_id, worker_id=worker_id or staff.person_id, answers=answers(**changes),
        client_key=key, recorded_at=at, utc_now=utc_now, method=grid_visits.MANUAL,
    )


# -- validate_entry ------------------------------------------------------------------------------------------------


def test_item5_a_valid_entry_becomes_answers(db):
    found = answers(name="  黄小明 ", phone="１３８００００００５１", temperature="36.5",
                    symptoms="yes", remarks=" 咳嗽 ")
    assert (found.name, found.phone, found.temperature, found.has_symptoms, found.risk_travel, found.remarks) == (
        "黄小明", "13800000051", Decimal("36.5"), True, False, "咳嗽")


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"name": ""}, "name", "请填写姓名"),
    ({"name": "黄\u202e明"}, "name", "姓名不能包含控制字符或不可见字符"),
    ({"id_type": "drivers_licence"}, "id_type", "请选择证件类型"),
    ({"id_number": "440106199005010000"}, "id_number", "身份证号码校验位不正确，请核对"),
    ({"id_type": "birth_cert", "id_number": "123"}, "id_number", "出生医学证明编号应为1位字母加9位数字"),
    ({"phone": "1380000"}, "phone", "请填写11位中国大陆手机号"),
    ({"address": "  "}, "address", "请填写住址"),
    ({"address": "楼" * 101}, "address", "住址不能超过100个字"),
    ({"temperature": "33.9"}, "temperature", "体温应在34.0–43.0℃之间，请核对"),
    ({"temperature": "43.1"}, "temperature", "体温应在34.0–43.0℃之间，请核对"),
    ({"temperature": "36.55"}, "temperature", "体温请保留一位小数，如 36.5"),
    ({"temperature": "发烧"}, "temperature", "体温请填写数字，如 36.5"),
    ({"symptoms": None}, "symptoms", "请选择是或否"),
    ({"contact": "maybe"}, "contact", "请选择是或否"),
    ({"remarks": "备" * 201}, "remarks", "备注不能超过200个字"),
])
def test_item5_each_field_is_checked_with_its_message(changes, field, message):
    found, errors = grid_visits.validate_entry(typed(**changes))
    assert found is None and errors == {field: [message]}


def test_faq4_a_birth_certificate_is_a_valid_id_and_phone_and_temperature_are_optional():
    """FAQ (四) 4: 可通过添加出生医学证明为小孩，婴儿提交采集信息."""
    found = answers(name="黄宝宝", id_type="birth_cert", id_number="a123456789", phone="", temperature="")
    assert (found.id_type, found.id_number, found.phone, found.temperature) == (
        "birth_cert", "A123456789", None, None)
    assert grid_visits.parse_temperature("34.0") == (Decimal("34.0"), None)
    assert grid_visits.parse_temperature("４３℃") == (Decimal("43.0"), None)


@pytest.mark.parametrize("raw", ["1e9999999", "-36.5", "NaN", "Infinity", "36,5", "3" * 9, "36.5.1", "０x24"])
def test_q2_a_temperature_that_is_not_a_plain_number_is_a_message_never_a_500(raw):
    value, message = grid_visits.parse_temperature(raw)
    assert value is None and message


def test_item5_a_scan_asks_no_identity():
    found, errors = grid_visits.validate_entry({"address": "一社区", "symptoms": "no", "travel": "no",
                                                "contact": "yes"}, identity=False)
    assert not errors and found.contact_case and found.name == ""


# -- record: once per client_key ---------------------------------------------------------------------------------


def test_item5_record_stores_and_a_replay_answers_the_stored_visit(db, staff):
    first = record(db, staff)
    again = record(db, staff, address="another address: the first record stands")
    assert not first.repeated and again.repeated and again.visit.id == first.visit.id
    assert db.session.scalars(select(GridVisit)).all() == [first.visit]
    assert first.visit.address == "一社区3栋101"


def test_item5_a_key_stored_by_another_worker_is_refused_not_returned(db, staff):
    record(db, staff)
    other = make_grid_staff(db, staff.grid, "郑网格")
    with pytest.raises(VisitRefused) as refused:
        record(db, staff, worker_id=other.person_id)
    assert refused.value.message == KEY_TAKEN
    assert len(db.session.scalars(select(GridVisit)).all()) == 1


def test_item5_two_workers_with_their_own_keys_both_store(db, staff):
    other = make_grid_staff(db, staff.grid, "郑网格")
    record(db, staff, "a" * 32)
    record(db, staff, "b" * 32, worker_id=other.person_id)
    assert sorted(v.worker_id for v in db.session.scalars(select(GridVisit))) == sorted(
        [staff.person_id, other.person_id])


def test_item5_the_insert_race_answers_the_twins_visit(db, staff, monkeypatch):
    """The twin of a double tap stored the key between the look-up and the INSERT: the IntegrityError is caught
    in a SAVEPOINT and the twin's visit answered."""
    twin = record(db, staff).visit
    answers_in_turn = iter([None, twin])  # the look-up before the INSERT misses it, the one after finds it
    monkeypatch.setattr(grid_visits, "_stored", lambda session, key: next(answers_in_turn))
    again = record(db, staff)
    assert again.repeated and again.visit is twin
    assert len(db.session.scalars(select(GridVisit)).all()) == 1


def test_item5_a_malformed_key_or_method_is_the_callers_bug(db, staff):
    with pytest.raises(ValueError):
        record(db, staff, "short")


# -- who may record -----------------------------------------------------------------------------------------------


def test_item5_an_unbound_worker_is_told_so(db, staff):
    staff.active = False
    db.session.flush()
    with pytest.raises(VisitRefused) as refused:
        record(db, staff)
    assert refused.value.message == UNBOUND


def test_item5_a_dissolved_grid_and_a_stranger_hear_the_same(db, staff):
    stranger = make_person(db, "路人")
    with pytest.raises(VisitRefused) as refused:
        record(db, staff, worker_id=stranger.id)  # never bound: nothing about the grid
    assert refused.value.message == DISSOLVED
    grid_id, worker_id = staff.grid_id, staff.person_id
    grids.dissolve(db.session, staff.grid, staff.grid.admin_id, "一社区网格")
    with pytest.raises(VisitRefused) as refused:
        grid_visits.record(db.session, grid_id=grid_id, worker_id=worker_id, answers=answers(), client_key="k" * 32,
                           recorded_at=None, utc_now=NOW, method=grid_visits.MANUAL)
    assert refused.value.message == DISSOLVED


def test_item5_a_grid_not_active_says_why(db):
    pending = make_grid_staff(db, make_grid(db, "周网管", "一社区网格"), "吴网格")
    refused_grid = make_grid(db, "郑网管", "二社区网格", status="rejected", reason="名称不规范")
    rejected = make_grid_staff(db, refused_grid, "郑网格")
    with pytest.raises(VisitRefused) as refused:
        record(db, pending)
    assert refused.value.message == PENDING_GRID
    with pytest.raises(VisitRefused) as refused:
        record(db, rejected, "r" * 32)
    assert "名称不规范" in refused.value.message
    assert db.session.scalars(select(GridVisit)).all() == []


# -- the device's time -------------------------------------------------------------------------------------------


def test_item7_recorded_at_is_clamped_to_the_last_seven_days(db, staff):
    future = record(db, staff, "f" * 32, at=NOW + timedelta(days=2)).visit
    ancient = record(db, staff, "a" * 32, at=NOW - timedelta(days=30)).visit
    inside = record(db, staff, "i" * 32, at=NOW - timedelta(days=3)).visit
    assert future.recorded_at == NOW and ancient.recorded_at == NOW - timedelta(days=7)
    assert inside.recorded_at == NOW - timedelta(days=3) and inside.created_at == NOW
    assert record(db, staff, "n" * 32).visit.recorded_at == NOW  # none sent: now


def test_item7_local_day_is_the_beijing_day_at_midnight(db, staff):
    """15:59:59 UTC is 23:59:59 in Beijing (that day); 16:00 UTC is the next day's first second."""
    late = record(db, staff, "l" * 32, at=datetime(2026, 11, 19, 15, 59, 59)).visit
    early = record(db, staff, "e" * 32, at=datetime(2026, 11, 19, 16, 0)).visit
    assert (late.local_day.isoformat(), early.local_day.isoformat()) == ("2026-11-19", "2026-11-20")


@pytest.mark.parametrize(("raw", "expected"), [
    ("2026-11-19T15:30:00Z", datetime(2026, 11, 19, 15, 30)),
    ("2026-11-19T23:30:00+08:00", datetime(2026, 11, 19, 15, 30)),
    ("2026-11-19T23:30:00", datetime(2026, 11, 19, 15, 30)),  # no offset: the device's Beijing time
    ("", None), ("yesterday", None), ("9" * 100, None),
    ("0001-01-01T00:00:00", None), ("9999-12-31T23:59:59-01:00", None),  # off the calendar in UTC: now, not a 500
])
def test_item7_the_devices_time_is_read_as_iso_8601(raw, expected):
    assert grid_visits.parse_recorded_at(raw) == expected


# -- linking and counting ----------------------------------------------------------------------------------------


def test_item6_a_manual_entry_is_linked_to_the_person_with_that_id(db, staff):
    number = id_number(41)
    known = make_person(db, "林居民", number)
    linked = record(db, staff, "p" * 32, name="林居民", id_number=number).visit
    unknown = record(db, staff, "u" * 32, name="陌生人", id_number=id_number(42)).visit
    assert (linked.person_id, unknown.person_id) == (known.id, None)
    assert linked.id_hash == known.id_hash


def test_item6_an_id_number_under_another_name_links_nobody(db, staff):
    """A typed number alone (or a typo that passes the check digit) never files a visit under a stranger: the
    key-person list would otherwise show that stranger's health to whoever typed the number."""
    number = id_number(43)
    make_person(db, "林居民", number)
    visit = record(db, staff, "x" * 32, name="王某某", id_number=number).visit
    assert visit.person_id is None


def test_item5_counts_today_and_in_total_in_one_query(db, staff):
    other = make_grid_staff(db, staff.grid, "郑网格")
    elsewhere = make_grid_staff(db, make_grid(db, "钱网管", "二社区网格", status="active"), staff.person)
    for at in (datetime(2026, 11, 20, 8, 0), datetime(2026, 11, 20, 0, 0), datetime(2026, 11, 19, 23, 59)):
        make_grid_visit(db, staff.grid, staff.person_id, at=at)
    make_grid_visit(db, staff.grid, other.person_id)  # another worker's
    make_grid_visit(db, elsewhere.grid, staff.person_id)  # another grid's
    db.session.flush()
    queries = []

    def listener(*args):
        queries.append(args[2])

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        found = grid_visits.counts(db.session, staff.person_id, staff.grid_id, clock.today())
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert found == (2, 3) and len(queries) == 1
    assert grid_visits.counts(db.session, make_person(db, "新人").id, staff.grid_id, clock.today()) == (0, 0)

"""The health data provider (SPEC H2): status, nucleic-acid tests, vaccinations and 入粤登记 as real rows
that an operator sets; bulk reads in a constant number of queries (Q3); bad values refused (Q2)."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import event, func, select

from tests.factories import make_person
from yks_web import health_setup
from yks_web.models import EntryRegistration, HealthCode, NucleicAcidTest, Person, Vaccination
from yks_web.services import health_data, health_records
from yks_web.services.health_data import (
    GREEN,
    GREEN_REASON,
    CodeStatus,
    HealthDataError,
    NucleicAcidRecord,
    TableHealthData,
    VaccineRecord,
    set_status,
)

T0 = datetime(2026, 11, 20, 1, 0)  # naive UTC = 09:00 Shanghai


def provider(db) -> TableHealthData:
    return TableHealthData(db.session)


def status_refused(db, person_id, **kw) -> str:
    values = {"colour": "red", "reason": "密切接触者", "city": "广州市", "guidance": "", "utc_now": T0}
    values.update(kw)
    with pytest.raises(HealthDataError) as excinfo:
        set_status(db.session, person_id, **values)
    return excinfo.value.message


def rows(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@contextmanager
def statements(db):
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


# --- status ---------------------------------------------------------------------------------------------------


def test_h2_status_defaults_to_green_with_no_problem_found(db):
    person = make_person(db)
    status = provider(db).status(person.id)
    assert status == GREEN
    assert (status.colour, status.label, status.reason) == ("green", "绿码", "未发现健康问题")
    assert status.decided_at is None
    assert rows(db, HealthCode) == 0  # reading never writes


@pytest.mark.parametrize(("colour", "label"), [("green", "绿码"), ("yellow", "黄码"), ("red", "红码")])
def test_h1_status_label_is_the_colour_in_words(colour, label):
    assert CodeStatus(colour, "原因", None, "", "").label == label


def test_h2_set_status_red_is_read_back_with_its_reason_time_city_and_guidance(db):
    person = make_person(db)
    row = set_status(db.session, person.id, colour="red", reason=" 密切接触者 ", city=" 广州市 ",
                     guidance=" 请配合集中隔离医学观察。 ", utc_now=T0)
    assert (row.colour, row.reason, row.decided_city, row.guidance) == ("red", "密切接触者", "广州市",
                                                                        "请配合集中隔离医学观察。")
    db.session.expire_all()
    status = provider(db).status(person.id)
    assert status == CodeStatus("red", "密切接触者", T0, "广州市", "请配合集中隔离医学观察。")
    assert status.label == "红码"


def test_h2_set_status_again_updates_the_one_row(db):
    person = make_person(db)
    set_status(db.session, person.id, colour="yellow", reason="14日内有中高风险地区旅居史", city="", guidance="",
               utc_now=T0)
    later = T0 + timedelta(days=3)
    set_status(db.session, person.id, colour="green", reason="", city="广州市", guidance="", utc_now=later)
    assert rows(db, HealthCode) == 1
    status = provider(db).status(person.id)
    assert (status.colour, status.reason, status.decided_at) == ("green", GREEN_REASON, later)


def test_h2_green_may_keep_an_explicit_reason(db):
    person = make_person(db)
    set_status(db.session, person.id, colour="green", reason="已解除医学观察", city="", guidance="", utc_now=T0)
    assert provider(db).status(person.id).reason == "已解除医学观察"


@pytest.mark.parametrize("colour", ["yellow", "red"])
@pytest.mark.parametrize("reason", ["", "   "])
def test_h2_yellow_and_red_need_a_reason(db, colour, reason):
    person = make_person(db)
    assert status_refused(db, person.id, colour=colour, reason=reason) == "黄码、红码须填写原因"
    assert rows(db, HealthCode) == 0


@pytest.mark.parametrize("colour", ["blue", "", "RED", "红码"])
def test_h2_unknown_colour_is_refused(db, colour):
    person = make_person(db)
    assert "颜色应为" in status_refused(db, person.id, colour=colour)
    assert rows(db, HealthCode) == 0


@pytest.mark.parametrize(
    "overrides",
    [{"reason": "因" * 101}, {"city": "城" * 51}, {"guidance": "指" * 1001}],
    ids=["reason-101", "city-51", "guidance-1001"],
)
def test_q2_overlong_status_fields_are_refused(db, overrides):
    person = make_person(db)
    assert "不超过" in status_refused(db, person.id, **overrides)
    assert rows(db, HealthCode) == 0


def test_h2_status_fields_at_their_limits_are_kept(db):
    person = make_person(db)
    set_status(db.session, person.id, colour="red", reason="因" * 100, city="城" * 50, guidance="指" * 1000,
               utc_now=T0)
    db.session.commit()
    db.session.expire_all()
    status = provider(db).status(person.id)
    assert (len(status.reason), len(status.decided_city), len(status.guidance)) == (100, 50, 1000)


# --- bulk reads ----------------------------------------------------------------------------------------------


def test_h2_bulk_methods_return_one_entry_per_id(db):
    green, red, tested = make_person(db, "甲"), make_person(db, "乙"), make_person(db, "丙")
    set_status(db.session, red.id, colour="red", reason="密切接触者", city="", guidance="", utc_now=T0)
    health_records.add_test(db.session, tested.id, sampled_at=T0, result="阴性")
    health_records.add_vaccination(db.session, tested.id, dose=1, vaccinated_on=date(2021, 5, 1))
    ids = [green.id, red.id, tested.id]
    data = provider(db)

    statuses = data.statuses(ids)
    assert set(statuses) == set(ids)
    assert [statuses[i].colour for i in ids] == ["green", "red", "green"]

    doses = data.vaccinations(ids)
    assert set(doses) == set(ids)
    assert doses[green.id] == [] and len(doses[tested.id]) == 1

    tests = data.latest_tests(ids)
    assert set(tests) == {tested.id}  # no test, no entry: the page shows 暂无核酸检测记录
    assert data.statuses([]) == {} and data.latest_tests([]) == {} and data.vaccinations([]) == {}


def test_h2_bulk_methods_accept_any_iterable_and_unknown_ids(db):
    person = make_person(db)
    data = provider(db)
    assert set(data.statuses(iter([person.id, 999_999]))) == {person.id, 999_999}
    assert data.statuses((person.id,))[person.id] == GREEN
    assert data.vaccinations({999_999}) == {999_999: []}
    assert data.latest_tests(iter([999_999])) == {}


def _people_with_data(db, n: int) -> list[int]:
    people = [Person(name=f"人{i}", id_type="id_card", id_number=f"X{i}", id_hash=f"bulk-{n}-{i}") for i in range(n)]
    db.session.add_all(people)
    db.session.flush()
    for i, person in enumerate(people):
        if i % 3 == 0:
            db.session.add(HealthCode(person_id=person.id, colour="yellow", reason="时空伴随", decided_at=T0))
        db.session.add(NucleicAcidTest(person_id=person.id, sampled_at=T0 - timedelta(hours=30), result="阴性"))
        db.session.add(NucleicAcidTest(person_id=person.id, sampled_at=T0 - timedelta(hours=6), result="阴性"))
        db.session.add(Vaccination(person_id=person.id, dose=1, vaccinated_on=date(2021, 5, 1)))
        db.session.add(Vaccination(person_id=person.id, dose=2, vaccinated_on=date(2021, 6, 1)))
    db.session.flush()
    return [p.id for p in people]


def _query_counts(db, ids: list[int]) -> dict[str, int]:
    data = provider(db)
    counts = {}
    for name in ("statuses", "latest_tests", "vaccinations"):
        with statements(db) as seen:
            result = getattr(data, name)(ids)
        assert len(result) == len(ids), name
        counts[name] = len(seen)
    return counts


def test_q3_bulk_methods_take_a_constant_number_of_queries_for_3_and_300_people(db):
    few, many = _people_with_data(db, 3), _people_with_data(db, 300)
    few_counts, many_counts = _query_counts(db, few), _query_counts(db, many)
    assert few_counts == many_counts
    assert all(n == 1 for n in many_counts.values()), many_counts


# --- nucleic-acid tests, vaccinations, 入粤登记 -------------------------------------------------------------------


def test_h2_latest_test_is_the_newest(db):
    """By 采样时间, not by insertion order: an operator may enter an older result after a newer one
    (`yks health test --hours-ago 30` after `--hours-ago 6`, or the operator page's 采样时间)."""
    person = make_person(db)
    for hours, result in ((72, "阴性"), (6, "阳性"), (30, "阴性")):
        health_records.add_test(db.session, person.id, sampled_at=T0 - timedelta(hours=hours), result=result,
                                institution=f"{hours}小时前的机构")
    latest = provider(db).latest_tests([person.id])[person.id]
    assert latest == NucleicAcidRecord(T0 - timedelta(hours=6), "阳性", "6小时前的机构", None, "广东省卫生健康委员会")


def test_h2_latest_test_is_per_person(db):
    a, b = make_person(db, "甲"), make_person(db, "乙")
    health_records.add_test(db.session, a.id, sampled_at=T0 - timedelta(hours=1), result="阴性")
    health_records.add_test(db.session, b.id, sampled_at=T0 - timedelta(hours=50), result="阳性")
    latest = provider(db).latest_tests([a.id, b.id])
    assert (latest[a.id].result, latest[b.id].result) == ("阴性", "阳性")


@pytest.mark.parametrize("result", ["", "阴", "negative", "可疑"])
def test_q2_test_result_must_be_negative_or_positive(db, result):
    person = make_person(db)
    with pytest.raises(HealthDataError, match="检测结果应为阴性或阳性"):
        health_records.add_test(db.session, person.id, sampled_at=T0, result=result)
    assert rows(db, NucleicAcidTest) == 0


def test_h2_vaccinations_are_ordered_by_dose(db):
    person = make_person(db)
    for dose in (3, 1, 2):
        health_records.add_vaccination(db.session, person.id, dose=dose, vaccinated_on=date(2021, dose, 1),
                                       manufacturer="北京科兴", site="越秀区接种点")
    doses = provider(db).vaccinations([person.id])[person.id]
    assert [d.dose for d in doses] == [1, 2, 3]
    assert doses[0] == VaccineRecord(1, date(2021, 1, 1), "北京科兴", "越秀区接种点")


def test_h2_duplicate_dose_is_refused(db):
    person = make_person(db)
    health_records.add_vaccination(db.session, person.id, dose=1, vaccinated_on=date(2021, 5, 1))
    with pytest.raises(HealthDataError, match="第1剂已有接种记录"):
        health_records.add_vaccination(db.session, person.id, dose=1, vaccinated_on=date(2021, 6, 1))
    assert rows(db, Vaccination) == 1
    other = make_person(db, "另一人")
    health_records.add_vaccination(db.session, other.id, dose=1, vaccinated_on=date(2021, 6, 1))  # per person
    assert rows(db, Vaccination) == 2


@pytest.mark.parametrize("dose", [0, 6, -1])
def test_q2_dose_out_of_range_is_refused(db, dose):
    person = make_person(db)
    with pytest.raises(HealthDataError, match="剂次应为1–5"):
        health_records.add_vaccination(db.session, person.id, dose=dose, vaccinated_on=date(2021, 5, 1))
    assert rows(db, Vaccination) == 0


def test_h2_entries_are_newest_first(db):
    person = make_person(db)
    for day, region in ((date(2026, 10, 1), "上海市"), (date(2026, 11, 18), "湖南省"), (date(2026, 9, 9), "北京市")):
        health_records.add_entry(db.session, person.id, arrived_on=day, from_region=region, destination="广州市",
                                 transport="高铁", utc_now=T0)
    entries = provider(db).entries(person.id)
    assert [e.from_region for e in entries] == ["湖南省", "上海市", "北京市"]
    assert entries[0].registered_at == T0 and entries[0].destination == "广州市"
    assert provider(db).entries(make_person(db, "无记录").id) == []


@pytest.mark.parametrize("region", ["", "   "])
def test_q2_entry_needs_where_from(db, region):
    person = make_person(db)
    with pytest.raises(HealthDataError, match="请填写出发地"):
        health_records.add_entry(db.session, person.id, arrived_on=date(2026, 11, 1), from_region=region, utc_now=T0)
    assert rows(db, EntryRegistration) == 0


@pytest.mark.parametrize(
    ("kind", "kwargs"),
    [
        ("test", {"institution": "机" * 101}),
        ("vaccination", {"manufacturer": "厂" * 51}),
        ("vaccination", {"site": "点" * 101}),
        ("entry", {"from_region": "地" * 51}),
        ("entry", {"destination": "地" * 101}),
        ("entry", {"transport": "车" * 51}),
    ],
    ids=["institution-101", "manufacturer-51", "site-101", "from-51", "destination-101", "transport-51"],
)
def test_q2_overlong_record_text_is_refused_not_stored(db, kind, kwargs):
    """Q2: over-long text is refused with a message, never stored (and never a database error on PostgreSQL).

    The operator page's forms check lengths, but the CLI (`yks health test --institution`, `vaccinate
    --manufacturer`, `entry --from/--transport`) calls these services directly.
    """
    person = make_person(db)
    add = {
        "test": lambda **kw: health_records.add_test(db.session, person.id, sampled_at=T0, result="阴性", **kw),
        "vaccination": lambda **kw: health_records.add_vaccination(
            db.session, person.id, dose=1, vaccinated_on=date(2021, 5, 1), **kw),
        "entry": lambda **kw: health_records.add_entry(
            db.session, person.id, arrived_on=date(2026, 11, 1), utc_now=T0, **{"from_region": "上海市", **kw}),
    }[kind]
    with pytest.raises(HealthDataError):
        add(**kwargs)
    db.session.rollback()
    assert rows(db, NucleicAcidTest) + rows(db, Vaccination) + rows(db, EntryRegistration) == 0


# --- choosing the provider -----------------------------------------------------------------------------------


class FakeSource:
    """A stand-in for an external source, built like the built-in one with the request's session."""

    def __init__(self, session):
        self.session = session

    def statuses(self, person_ids):
        return {pid: CodeStatus("yellow", "外部来源", None, "", "") for pid in person_ids}

    def latest_tests(self, person_ids):
        return {}

    def vaccinations(self, person_ids):
        return {pid: [] for pid in person_ids}

    def entries(self, person_id):
        return []


def test_h2_the_built_in_provider_is_the_default(app, db):
    assert app.extensions["health_data"] is TableHealthData
    assert isinstance(health_setup.provider(), TableHealthData)


def test_h2_another_provider_can_be_configured_by_class_path():
    other = Flask("other")
    other.config["HEALTH_DATA_PROVIDER"] = f"{__name__}:FakeSource"
    health_setup.init_app(other)
    assert other.extensions["health_data"] is FakeSource
    source = other.extensions["health_data"](None)
    assert source.statuses([1])[1].label == "黄码"


def test_h2_module_exports_the_interface():
    assert hasattr(health_data, "HealthDataProvider")
    for name in ("statuses", "latest_tests", "vaccinations", "entries"):
        assert callable(getattr(TableHealthData, name))

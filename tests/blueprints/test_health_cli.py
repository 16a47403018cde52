"""`flask yks health …` and the demo's 粤康码 data (SPEC H2, Q2; issue 4 item 3)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.blueprints.support import count
from tests.factories import make_person
from yks_web.demo import ACCOUNTS
from yks_web.models import EntryRegistration, FamilyMember, HealthCode, NucleicAcidTest, Person, Vaccination
from yks_web.services.health_data import TableHealthData

UTC_NOW = datetime(2026, 11, 20, 1, 0)


@pytest.fixture
def runner(app, db):
    return app.test_cli_runner()


@pytest.fixture
def resident(db) -> Person:
    person = make_person(db, "刘晓红")
    db.session.commit()
    return person


def health(runner, resident, command, *args, name=None):
    return runner.invoke(args=["yks", "health", command, "--name", name or resident.name,
                               "--id-number", resident.id_number, *args])


def status_of(db, person):
    db.session.expire_all()
    return TableHealthData(db.session).status(person.id)


def test_h2_health_command_group_lists_its_commands(runner):
    result = runner.invoke(args=["yks", "health", "--help"])
    assert result.exit_code == 0
    for command in ("status", "test", "vaccinate", "entry"):
        assert command in result.output


def test_h2_cli_sets_a_red_code(runner, db, resident):
    result = health(runner, resident, "status", "--colour", "red", "--reason", "密切接触者", "--city", "广州市",
                    "--guidance", "请配合集中隔离医学观察。")
    assert result.exit_code == 0, result.output
    assert "刘晓红：红码" in result.output
    status = status_of(db, resident)
    assert (status.colour, status.reason, status.decided_city, status.guidance, status.decided_at) == (
        "red", "密切接触者", "广州市", "请配合集中隔离医学观察。", UTC_NOW)


def test_h2_cli_sets_green_again(runner, db, resident):
    health(runner, resident, "status", "--colour", "yellow", "--reason", "时空伴随")
    result = health(runner, resident, "status", "--colour", "green")
    assert result.exit_code == 0
    assert status_of(db, resident).reason == "未发现健康问题"
    assert count(db, HealthCode) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--colour", "red"], "黄码、红码须填写原因"),
        (["--colour", "yellow", "--reason", "  "], "黄码、红码须填写原因"),
        (["--colour", "red", "--reason", "因" * 101], "不超过"),
        (["--colour", "blue", "--reason", "x"], "Invalid value for '--colour'"),
    ],
)
def test_q2_cli_status_refuses_bad_values(runner, db, resident, args, message):
    result = health(runner, resident, "status", *args)
    assert result.exit_code == 2
    assert message in result.output
    assert count(db, HealthCode) == 0


@pytest.mark.parametrize("command", ["status", "test", "vaccinate", "entry"])
def test_q2_cli_unknown_person_is_an_error(runner, db, resident, command):
    extra = {"status": ["--colour", "red", "--reason", "密接"], "test": [],
             "vaccinate": ["--dose", "1", "--on", "2021-05-01"], "entry": ["--on", "2026-11-18", "--from", "上海市"]}
    result = health(runner, resident, command, *extra[command], name="刘晓洪")
    assert result.exit_code == 2
    assert "未找到该人员，请核对姓名与证件号码" in result.output
    people = count(db, Person)
    other = runner.invoke(args=["yks", "health", command, "--name", "查无此人", "--id-number", "11010519491231002X",
                                *extra[command]])
    assert other.exit_code == 2 and "未找到该人员" in other.output
    assert count(db, Person) == people
    assert count(db, HealthCode) + count(db, NucleicAcidTest) + count(db, Vaccination) == 0


def test_q2_cli_bad_id_number_is_an_error(runner, resident):
    result = runner.invoke(args=["yks", "health", "status", "--name", "刘晓红", "--id-number", "110105194912310021",
                                 "--colour", "green"])
    assert result.exit_code == 2 and "身份证号码校验位不正确" in result.output


def test_h2_cli_identity_by_other_document(runner, db):
    child = Person(name="陈小宝", id_type="birth_cert", id_number="O440012345", id_hash="")
    from yks_web.services.identity import make_identity

    child.id_hash = make_identity("陈小宝", "birth_cert", "O440012345").hash
    db.session.add(child)
    db.session.commit()
    result = runner.invoke(args=["yks", "health", "status", "--name", "陈小宝", "--id-type", "birth_cert",
                                 "--id-number", "O440012345", "--colour", "yellow", "--reason", "时空伴随"])
    assert result.exit_code == 0, result.output
    assert status_of(db, child).colour == "yellow"


def test_h2_cli_adds_a_nucleic_acid_test(runner, db, resident):
    result = health(runner, resident, "test", "--result", "阳性", "--hours-ago", "5", "--institution", "越秀区医院")
    assert result.exit_code == 0, result.output
    assert "刘晓红：核酸阳性" in result.output
    row = db.session.scalar(select(NucleicAcidTest))
    assert (row.person_id, row.result, row.institution) == (resident.id, "阳性", "越秀区医院")
    assert row.sampled_at == UTC_NOW - timedelta(hours=5)


def test_h2_cli_test_defaults_to_negative_twelve_hours_ago(runner, db, resident):
    assert health(runner, resident, "test").exit_code == 0
    row = db.session.scalar(select(NucleicAcidTest))
    assert (row.result, row.sampled_at) == ("阴性", UTC_NOW - timedelta(hours=12))


@pytest.mark.parametrize(("args", "message"), [(["--result", "可疑"], "Invalid value for '--result'"),
                                               (["--hours-ago", "-1"], "Invalid value for '--hours-ago'"),
                                               (["--institution", "机" * 101], "检测机构不能超过100个字")])
def test_q2_cli_test_refuses_bad_values(runner, db, resident, args, message):
    result = health(runner, resident, "test", *args)
    assert result.exit_code == 2 and message in result.output
    assert count(db, NucleicAcidTest) == 0


def test_h2_cli_vaccinates_and_refuses_a_duplicate_dose(runner, db, resident):
    result = health(runner, resident, "vaccinate", "--dose", "1", "--on", "2021-05-01", "--manufacturer", "北京科兴")
    assert result.exit_code == 0, result.output
    assert "刘晓红：第1剂" in result.output
    again = health(runner, resident, "vaccinate", "--dose", "1", "--on", "2021-06-01")
    assert again.exit_code == 2 and "第1剂已有接种记录" in again.output
    rows = db.session.scalars(select(Vaccination)).all()
    assert [(v.dose, v.vaccinated_on, v.manufacturer) for v in rows] == [(1, date(2021, 5, 1), "北京科兴")]


@pytest.mark.parametrize(("args", "message"), [(["--dose", "6", "--on", "2021-05-01"], "Invalid value for '--dose'"),
                                               (["--dose", "1", "--on", "2021/05/01"], "Invalid value for '--on'"),
                                               (["--dose", "1"], "Missing option '--on'"),
                                               (["--dose", "1", "--on", "2021-05-01", "--manufacturer", "厂" * 51],
                                                "疫苗厂家不能超过50个字")])
def test_q2_cli_vaccinate_refuses_bad_values(runner, db, resident, args, message):
    result = health(runner, resident, "vaccinate", *args)
    assert result.exit_code == 2 and message in result.output
    assert count(db, Vaccination) == 0


def test_h2_cli_adds_an_entry_registration(runner, db, resident):
    result = health(runner, resident, "entry", "--on", "2026-11-18", "--from", "上海市", "--transport", "高铁")
    assert result.exit_code == 0, result.output
    assert "刘晓红：入粤登记 上海市" in result.output
    entries = TableHealthData(db.session).entries(resident.id)
    assert [(e.arrived_on, e.from_region, e.transport) for e in entries] == [(date(2026, 11, 18), "上海市", "高铁")]


@pytest.mark.parametrize(("args", "message"), [(["--on", "2026-11-18", "--from", "   "], "请填写出发地"),
                                               (["--on", "2026-11-18"], "Missing option '--from'"),
                                               (["--on", "2026-11-18", "--from", "地" * 51], "出发地不能超过50个字"),
                                               (["--on", "2026-11-18", "--from", "上海市", "--transport", "车" * 51],
                                                "交通方式不能超过50个字"),
                                               (["--on", "18/11/2026", "--from", "上海市"],
                                                "Invalid value for '--on'")])
def test_q2_cli_entry_refuses_bad_values_with_a_message(runner, db, resident, args, message):
    """A blank --from is refused like the other commands' bad values: a usage error with the reason
    (exit 2), not an unhandled HealthDataError traceback."""
    result = health(runner, resident, "entry", *args)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 2 and message in result.output
    assert count(db, EntryRegistration) == 0


# --- demo data ------------------------------------------------------------------------------------------------


def test_issue4_demo_has_green_yellow_and_red_people_with_records(runner, db):
    result = runner.invoke(args=["yks", "demo", "--base-url", "http://yks.test"])
    assert result.exit_code == 0, result.output
    colours = {row.colour for row in db.session.scalars(select(HealthCode))}
    assert {"yellow", "red"} <= colours
    for account in ACCOUNTS[5:]:
        assert account.name in result.output and account.id_number in result.output
    data = TableHealthData(db.session)
    by_name = {p.name: p.id for p in db.session.scalars(select(Person))}
    statuses = data.statuses([by_name["陈晓黄"], by_name["刘晓红"], by_name["黄恺"]])
    assert [statuses[by_name[n]].label for n in ("陈晓黄", "刘晓红", "黄恺")] == ["黄码", "红码", "绿码"]
    assert all(s.reason for s in statuses.values())
    assert count(db, NucleicAcidTest) >= 1 and count(db, Vaccination) >= 1 and count(db, EntryRegistration) >= 1
    assert count(db, FamilyMember) >= 1


def test_issue4_demo_twice_adds_no_second_health_data(runner, db):
    runner.invoke(args=["yks", "demo"])
    before = (count(db, HealthCode), count(db, NucleicAcidTest), count(db, Vaccination), count(db, FamilyMember))
    result = runner.invoke(args=["yks", "demo"])
    assert result.exit_code == 0, result.output
    assert (count(db, HealthCode), count(db, NucleicAcidTest), count(db, Vaccination),
            count(db, FamilyMember)) == before

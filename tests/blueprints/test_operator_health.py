"""健康数据管理 (/operator/health): the operator sets the built-in provider's data (SPEC H2, P7, Q2; issue 4 item 3)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tests.blueprints.support import collapse, count, location, location_path, text
from tests.factories import make_person
from yks_web.models import EntryRegistration, HealthCode, NucleicAcidTest, Person, Vaccination


@pytest.fixture
def operator(db) -> Person:
    person = make_person(db, "王运营", is_operator=True)
    db.session.commit()
    return person


@pytest.fixture
def resident(db) -> Person:
    person = make_person(db, "刘晓红")
    db.session.commit()
    return person


def url(person, action: str = "") -> str:
    return f"/operator/health/{person.id}" + (f"/{action}" if action else "")


def status_form(**overrides) -> dict:
    data = {"colour": "red", "reason": "密切接触者", "decided_city": "广州市",
            "guidance": "请配合属地落实集中隔离医学观察。"}
    data.update(overrides)
    return data


# --- who may use it -------------------------------------------------------------------------------------------


def test_p7_health_operator_pages_need_a_login(client, resident):
    assert location_path(client.get("/operator/health")) == "/auth/login"
    assert location_path(client.get(url(resident))) == "/auth/login"


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/operator/health"), ("post", "/operator/health"), ("get", "{p}"), ("post", "{p}/status"),
     ("post", "{p}/test"), ("post", "{p}/vaccination"), ("post", "{p}/entry")],
)
def test_p7_health_operator_pages_are_404_for_non_operators(client, actions, db, resident, method, path):
    """Operator-only endpoints do not exist for anyone else (issue 8 item 12: one status, 404)."""
    actions.login(resident)
    target = path.format(p=url(resident))
    if method == "get":
        response = client.get(target)
    else:
        response = actions.post(target, status_form())
    assert response.status_code == 404
    assert count(db, HealthCode) == 0


# --- finding a person -------------------------------------------------------------------------------------------


def test_h2_find_a_person_by_identity(client, actions, operator, resident):
    actions.login(operator)
    page = text(client.get("/operator/health"))
    assert "<h1>健康数据管理</h1>" in page and "查找人员" in page
    response = actions.post("/operator/health", {"name": "刘晓红", "id_type": "id_card",
                                                 "id_number": resident.id_number})
    assert response.status_code == 303
    assert location(response) == url(resident)


@pytest.mark.parametrize("name", ["刘晓洪", "刘"])
def test_i1a_wrong_name_finds_no_one(client, actions, operator, resident, name):
    actions.login(operator)
    response = actions.post("/operator/health", {"name": name, "id_type": "id_card",
                                                 "id_number": resident.id_number})
    assert response.status_code == 200
    assert "未找到该人员，请核对姓名与证件号码" in text(response)


def test_h2_unknown_person_is_not_created(client, actions, db, operator):
    actions.login(operator)
    before = count(db, Person)
    response = actions.post("/operator/health", {"name": "查无此人", "id_type": "id_card",
                                                 "id_number": "11010519491231002X"})
    assert "未找到该人员" in text(response)
    assert count(db, Person) == before


@pytest.mark.parametrize(
    ("data", "message"),
    [({"name": "", "id_type": "id_card", "id_number": "11010519491231002X"}, "请填写姓名"),
     ({"name": "刘晓红", "id_type": "id_card", "id_number": "110105194912310021"}, "身份证号码校验位不正确"),
     ({"name": "刘晓红", "id_type": "", "id_number": "x"}, "请选择证件类型")],
)
def test_q2_find_form_errors_are_shown_beside_the_fields(client, actions, operator, data, message):
    actions.login(operator)
    response = actions.post("/operator/health", data)
    assert response.status_code == 200
    assert 'class="field-error"' in text(response) and message in text(response)


@pytest.mark.parametrize("person_id", ["999999", "99999999999"])
def test_q2_unknown_person_page_is_404(client, actions, operator, person_id):
    actions.login(operator)
    assert client.get(f"/operator/health/{person_id}").status_code == 404
    assert actions.post(f"/operator/health/{person_id}/status", status_form()).status_code == 404


def test_h2_person_page_shows_the_current_data_masked(client, actions, operator, resident):
    actions.login(operator)
    page = text(client.get(url(resident)))
    assert "刘晓红" in page and resident.masked_id in page and resident.id_number not in page
    assert "绿码（未发现健康问题）" in page
    for heading in ("设置健康码", "添加核酸检测", "添加疫苗接种", "添加入粤登记"):
        assert heading in page


# --- the code status ----------------------------------------------------------------------------------------------


def test_h2_set_red_with_reason_then_the_persons_code_is_red(client, actions, db, operator, resident):
    actions.login(operator)
    response = actions.post(url(resident, "status"), status_form())
    assert response.status_code == 303 and location(response) == url(resident)
    page = text(client.get(url(resident)))
    assert "健康码已更新" in page and "红码（密切接触者）" in page
    db.session.expire_all()
    row = db.session.query(HealthCode).one()
    assert (row.person_id, row.colour, row.reason, row.decided_city) == (resident.id, "red", "密切接触者", "广州市")
    assert row.decided_at == datetime(2026, 11, 20, 1, 0)

    actions.login(resident)
    code = text(client.get("/code/"))
    assert 'role="status">红码' in collapse(code) and "密切接触者" in code
    assert "请配合属地落实集中隔离医学观察。" in text(client.get("/code/guidance"))


def test_h2_set_back_to_green(client, actions, db, operator, resident):
    actions.login(operator)
    actions.post(url(resident, "status"), status_form())
    actions.post(url(resident, "status"), status_form(colour="green", reason=""))
    actions.login(resident)
    code = text(client.get("/code/"))
    assert "绿码" in code and "未发现健康问题" in code and "红码" not in code
    assert count(db, HealthCode) == 1


@pytest.mark.parametrize("colour", ["yellow", "red"])
def test_q2_yellow_or_red_without_a_reason_is_refused_with_a_message(client, actions, db, operator, resident,
                                                                     colour):
    actions.login(operator)
    response = actions.post(url(resident, "status"), status_form(colour=colour, reason="  "))
    page = text(response)
    assert response.status_code == 200
    assert 'role="alert"' in page and "黄码、红码须填写原因" in page
    assert count(db, HealthCode) == 0


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"colour": "blue"}, "不是有效的选择"),
        ({"colour": ""}, "不是有效的选择"),
        ({"reason": "因" * 101}, "原因不能超过100个字"),
        ({"decided_city": "城" * 51}, "判定城市不能超过50个字"),
        ({"guidance": "指" * 1001}, "解除指引不能超过1000个字"),
    ],
)
def test_q2_bad_status_input_gets_a_message_not_a_500(client, actions, db, operator, resident, overrides, message):
    actions.login(operator)
    response = actions.post(url(resident, "status"), status_form(**overrides))
    assert response.status_code == 200
    assert message in text(response)
    assert count(db, HealthCode) == 0


# --- nucleic-acid tests, vaccinations, 入粤登记 ----------------------------------------------------------------


def test_h2_add_a_nucleic_acid_test(client, actions, db, operator, resident):
    actions.login(operator)
    response = actions.post(url(resident, "test"), {"sampled_at": "2026-11-19T10:30", "result": "阴性",
                                                    "institution": "广州市第一人民医院"})
    assert response.status_code == 303
    page = text(client.get(url(resident)))
    assert "已添加核酸检测记录" in page and "阴性 2026-11-19 10:30:00" in page
    db.session.expire_all()
    row = db.session.query(NucleicAcidTest).one()
    assert row.sampled_at == datetime(2026, 11, 19, 2, 30)  # stored in UTC
    assert (row.person_id, row.result, row.institution) == (resident.id, "阴性", "广州市第一人民医院")
    actions.login(resident)
    assert "广州市第一人民医院" in text(client.get("/code/mine"))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"sampled_at": "", "result": "阴性"}, "请填写采样时间"),
        ({"sampled_at": "昨天", "result": "阴性"}, "不是有效的日期与时间值"),
        ({"sampled_at": "2026-11-19T10:30", "result": "可疑"}, "不是有效的选择"),
        ({"sampled_at": "2026-11-19T10:30", "result": "阴性", "institution": "机" * 101}, "检测机构不能超过100个字"),
    ],
)
def test_q2_bad_test_input_gets_a_message(client, actions, db, operator, resident, data, message):
    actions.login(operator)
    response = actions.post(url(resident, "test"), data)
    assert response.status_code == 200
    assert message in text(response)
    assert count(db, NucleicAcidTest) == 0


def test_q2_sampled_at_at_the_edge_of_the_calendar_is_not_a_500(client, actions, db, operator, resident):
    """0001-01-01T00:00 in Shanghai is before year 1 in UTC: converting it must not crash the page."""
    actions.login(operator)
    response = actions.post(url(resident, "test"), {"sampled_at": "0001-01-01T00:00", "result": "阴性"})
    assert response.status_code in (200, 303)
    assert response.status_code == 303 or "采样时间" in text(response)


def test_h2_add_vaccinations_and_refuse_a_duplicate_dose(client, actions, db, operator, resident):
    actions.login(operator)
    for dose, day in (("2", "2021-06-01"), ("1", "2021-05-01")):
        response = actions.post(url(resident, "vaccination"), {"dose": dose, "vaccinated_on": day,
                                                               "manufacturer": "北京科兴", "site": "越秀区接种点"})
        assert response.status_code == 303
    assert "<dt>疫苗接种</dt><dd>2剂</dd>" in text(client.get(url(resident)))
    response = actions.post(url(resident, "vaccination"), {"dose": "1", "vaccinated_on": "2021-07-01"})
    page = text(response)
    assert response.status_code == 200 and "第1剂已有接种记录" in page
    assert count(db, Vaccination) == 2
    db.session.expire_all()
    assert db.session.query(Vaccination).filter_by(dose=1).one().vaccinated_on == date(2021, 5, 1)
    actions.login(resident)
    mine = text(client.get("/code/mine"))
    assert mine.index("第1剂") < mine.index("第2剂")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"dose": "", "vaccinated_on": "2021-05-01"}, "请填写剂次"),
        ({"dose": "abc", "vaccinated_on": "2021-05-01"}, "不是有效的整数"),
        ({"dose": "9", "vaccinated_on": "2021-05-01"}, "剂次应为1–5"),
        ({"dose": "0", "vaccinated_on": "2021-05-01"}, "剂次应为1–5"),
        ({"dose": "99999999999999999999", "vaccinated_on": "2021-05-01"}, "剂次应为1–5"),
        ({"dose": "1", "vaccinated_on": ""}, "请填写接种日期"),
        ({"dose": "1", "vaccinated_on": "2021-02-30"}, "不是有效的日期值"),
        ({"dose": "1", "vaccinated_on": "2021-05-01", "manufacturer": "厂" * 51}, "疫苗厂家不能超过50个字"),
        ({"dose": "1", "vaccinated_on": "2021-05-01", "site": "点" * 101}, "接种单位不能超过100个字"),
    ],
)
def test_q2_bad_vaccination_input_gets_a_message(client, actions, db, operator, resident, data, message):
    actions.login(operator)
    response = actions.post(url(resident, "vaccination"), data)
    assert response.status_code == 200
    assert message in text(response)
    assert count(db, Vaccination) == 0


def test_h2_add_an_entry_registration(client, actions, db, operator, resident):
    actions.login(operator)
    response = actions.post(url(resident, "entry"), {"arrived_on": "2026-11-18", "from_region": " 上海市 ",
                                                     "destination": "广州市天河区", "transport": "高铁 G101"})
    assert response.status_code == 303
    assert "已添加入粤登记记录" in text(client.get(url(resident)))
    db.session.expire_all()
    row = db.session.query(EntryRegistration).one()
    assert (row.arrived_on, row.from_region, row.destination, row.transport) == (
        date(2026, 11, 18), "上海市", "广州市天河区", "高铁 G101")
    actions.login(resident)
    page = text(client.get("/code/history/entries"))
    assert "上海市" in page and "广州市天河区" in page and "2026-11-18" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"arrived_on": "", "from_region": "上海市"}, "请填写入粤日期"),
        ({"arrived_on": "2026-13-01", "from_region": "上海市"}, "不是有效的日期值"),
        ({"arrived_on": "2026-11-18", "from_region": "   "}, "请填写出发地"),
        ({"arrived_on": "2026-11-18", "from_region": "地" * 51}, "出发地不能超过50个字"),
        ({"arrived_on": "2026-11-18", "from_region": "上海市", "destination": "地" * 101}, "目的地不能超过100个字"),
        ({"arrived_on": "2026-11-18", "from_region": "上海市", "transport": "车" * 51}, "交通方式不能超过50个字"),
    ],
)
def test_q2_bad_entry_input_gets_a_message(client, actions, db, operator, resident, data, message):
    actions.login(operator)
    response = actions.post(url(resident, "entry"), data)
    assert response.status_code == 200
    assert message in text(response)
    assert count(db, EntryRegistration) == 0


def test_q2_a_failed_form_keeps_the_other_forms_and_the_typed_value(client, actions, operator, resident):
    actions.login(operator)
    page = text(actions.post(url(resident, "entry"), {"arrived_on": "2026-11-18", "from_region": "",
                                                      "transport": "自驾"}))
    assert 'value="自驾"' in page
    for heading in ("设置健康码", "添加核酸检测", "添加疫苗接种"):
        assert heading in page


def test_q2_posts_without_csrf_are_refused(client, actions, db, operator, resident):
    actions.login(operator)
    response = client.post(url(resident, "status"), data=status_form())
    assert response.status_code == 400
    assert count(db, HealthCode) == 0

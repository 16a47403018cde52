"""医护人员 出具电子告知书 (SPEC O7, O9, H4; issue 11 items 4, 5, 6): the entry says why not to anyone not enabled;
enabled staff scan a 粤康码 with the one scanner, see the person's data (masked) and open observations, 【提交】 a
notice that appears in the person's history and lifts the observation (the code turns green where that was its
only reason); 我的工作台 → 已出具的电子告知书; the daily cap."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import event, select

from tests.blueprints.support import assert_fragment, assert_whole_page, collapse, count, location, text
from tests.conftest import DEFAULT_NOW, sign_in
from tests.factories import make_person
from yks_web import clock as app_clock
from yks_web.models import AuditLog, MedicalAlert, ObservationNotice, Person
from yks_web.models.medical import VIA_CLI, MedicalStaff
from yks_web.services import code_tokens, medical_notices, medical_staff, observations, scan_input, scan_tickets
from yks_web.services.health_data import TableHealthData

SECRET = "test-secret"
HTMX = {"HX-Request": "true"}
PHONE = "13800000001"
_TICKET = re.compile(r"^/medical/issue/([A-Za-z0-9_-]+)$")
_ISSUED = re.compile(r"^/medical/notices/(\d+)$")


@dataclass
class Scene:
    doctor: Person  # 张医生, enabled at 越秀区人民医院
    staff: MedicalStaff
    observed: Person  # 李观察: red code, 密切接触者, under observation since 11-06
    healthy: Person  # 王健康: green, no observation
    stranger: Person  # logged in, not enabled


def enable(db, name="张医生", phone=PHONE, unit="越秀区人民医院", position="主治医师") -> MedicalStaff:
    values, errors = medical_staff.clean({"name": name, "phone": phone, "unit": unit, "position": position})
    assert not errors
    return medical_staff.enable(db.session, values, actor_id=None, via=VIA_CLI, utc_now=app_clock.utcnow())


def observe(db, person, reason="密切接触者", since=date(2026, 11, 6), colour="red"):
    return observations.add(db.session, person.id, reason=reason, started_on=since, unit="越秀区集中隔离点",
                            created_by_id=None, utc_now=app_clock.utcnow(), today=app_clock.today(), colour=colour)


@pytest.fixture
def scene(db) -> Scene:
    doctor = make_person(db, "张医生", phone=PHONE)
    staff = enable(db)
    observed = make_person(db, "李观察", phone="13900000019")
    observe(db, observed)
    healthy = make_person(db, "王健康")
    stranger = make_person(db, "路人甲", phone="13700000000")
    db.session.commit()
    return Scene(doctor, staff, observed, healthy, stranger)


def code_url(person: Person) -> str:
    return f"https://yks.test/code/scan/{code_tokens.issue(person.id, app_clock.now(), SECRET)}"


def scan(actions, person: Person):
    return actions.post("/medical/", {"code": code_url(person)})


def ticket_url(actions, person: Person) -> str:
    response = scan(actions, person)
    assert response.status_code == 303, text(response)
    url = location(response)
    assert _TICKET.match(url), url
    return url


def observation_id(db, person) -> int:
    return observations.open_of(db.session, person.id)[0].id


def submit(actions, url, db, person, **overrides):
    form = {"observation": str(observation_id(db, person)), "released_on": "2026-11-20", "remarks": "观察期满"}
    form.update(overrides)
    return actions.post(url, form)


def field_error(page: str) -> str:
    found = re.search(r'class="field-error"[^>]*>([^<]*)<', page)
    assert found, "a message beside the field"
    return found.group(1)


# --- who may (item 4) -------------------------------------------------------------------------------------------


def test_item4_anyone_not_enabled_sees_why_not_on_the_entry(client, actions, scene):
    actions.login(scene.stranger)
    response = client.get("/medical/")
    assert_whole_page(response)
    assert medical_staff.NOT_ENABLED in text(response)
    assert 'id="scanner"' not in text(response)
    assert_fragment(client.get("/medical/", headers=HTMX))


def test_item4_the_entry_is_in_the_workbench_of_the_home_page(client, actions, scene):
    actions.login(scene.stranger)
    page = text(client.get("/"))
    assert "医护人员出具证明" in page and 'href="/medical/"' in page


def test_item4_every_other_screen_is_404_to_someone_not_enabled(client, actions, db, scene):
    actions.login(scene.doctor)
    url = ticket_url(actions, scene.observed)
    notice_url = location(submit(actions, url, db, scene.observed))
    actions.login(scene.stranger)
    assert actions.post("/medical/", {"code": code_url(scene.observed)}).status_code == 404
    for path in (url, notice_url, "/medical/workbench", "/medical/notices"):
        assert client.get(path).status_code == 404, path
    assert actions.post(url, {"observation": "1", "released_on": "2026-11-20"}).status_code == 404
    assert count(db, AuditLog, AuditLog.actor_id == scene.stranger.id) == 0


def test_item4_a_revoked_staff_member_is_told_why_not_again(client, actions, db, scene):
    medical_staff.revoke(db.session, scene.staff, actor_id=None, via=VIA_CLI, utc_now=app_clock.utcnow())
    db.session.commit()
    actions.login(scene.doctor)
    assert medical_staff.NOT_ENABLED in text(client.get("/medical/"))
    assert client.get("/medical/workbench").status_code == 404


def test_item4_anonymous_visitors_log_in_first(client, scene):
    response = client.get("/medical/")
    assert response.status_code in (302, 303) and "/auth/login" in response.headers["Location"]


# --- 扫描粤康码 → 出具电子告知书 (item 5) -----------------------------------------------------------------------------


def test_o9_the_entry_is_the_one_scanner_with_my_workbench(client, actions, scene):
    actions.login(scene.doctor)
    response = client.get("/medical/")
    assert_whole_page(response)
    page = text(response)
    assert 'id="scanner"' in page and 'action="/medical/"' in page and 'name="code"' in page
    assert "越秀区人民医院" in page and 'href="/medical/workbench"' in page and "我的工作台" in page
    assert "扫码直达粤康码" in page
    assert_fragment(client.get("/medical/", headers=HTMX))


def test_item5_a_scan_prefills_the_notice_with_the_persons_masked_data(client, actions, db, scene):
    actions.login(scene.doctor)
    url = ticket_url(actions, scene.observed)
    response = client.get(url)
    assert_whole_page(response)
    page = collapse(text(response))
    assert "*观察" in page and "李观察" not in page
    assert scene.observed.masked_id in page and scene.observed.id_number not in page
    assert "<dt>健康码状态</dt><dd>红码</dd>" in page and "<dt>红码原因</dt><dd>密切接触者</dd>" in page
    assert "密切接触者（2026-11-06起，越秀区集中隔离点）" in page
    assert 'value="2026-11-20"' in page  # 解除日期 defaults to today
    assert "越秀区人民医院" in page and "张医生" in page
    assert re.search(r'name="observation"[^>]*checked|checked[^>]*name="observation"', page)  # the only one
    assert ">提交<" in page
    assert_fragment(client.get(url, headers=HTMX))
    reads = db.session.query(AuditLog).filter_by(subject_id=scene.observed.id).all()
    assert sorted(r.action for r in reads) == ["resolve_code", "view_observation"]
    assert {r.role for r in reads} == {"medical_staff"} and {r.context for r in reads} == {"越秀区人民医院"}
    client.get(url)  # a reload is not another read
    assert count(db, AuditLog, AuditLog.subject_id == scene.observed.id) == 2


def test_item5_submit_issues_the_notice_which_the_person_sees_and_their_code_turns_green(client, actions, db, scene):
    actions.login(scene.doctor)
    url = ticket_url(actions, scene.observed)
    response = submit(actions, url, db, scene.observed)
    assert response.status_code == 303
    done = location(response)
    assert _ISSUED.match(done)
    notice = db.session.query(ObservationNotice).one()
    success = client.get(done)
    assert_whole_page(success)
    page = text(success)
    assert "出具成功" in page and notice.number in page and f"http://yks.test/n/{notice.number}" in page
    assert "继续扫码" in page and "已出具的电子告知书" in page
    assert_fragment(client.get(done, headers=HTMX))
    assert TableHealthData(db.session).status(scene.observed.id).colour == "green"
    assert TableHealthData(db.session).observations(scene.observed.id) == []
    # the person: history (H4) and code page
    actions.login(scene.observed)
    history = text(client.get("/code/history/notices"))
    assert notice.number in history and "越秀区人民医院" in history and "张医生" in history and "有效" in history
    assert "data:image/png;base64," in history and f'href="/n/{notice.number}/pdf"' in history
    assert "下载PDF" in history
    assert "绿码" in text(client.get("/code/"))


def test_item5_a_double_submit_is_one_notice(client, actions, db, scene):
    actions.login(scene.doctor)
    url = ticket_url(actions, scene.observed)
    form = {"observation": str(observation_id(db, scene.observed)), "released_on": "2026-11-20"}
    first = actions.post(url, form)
    second = actions.post(url, form)
    assert second.status_code == 303 and location(second) == location(first)
    assert count(db, ObservationNotice) == 1


def test_item5_choose_which_observation_the_notice_ends(client, actions, db, scene):
    second = observe(db, scene.observed, reason="入境人员", since=date(2026, 11, 10), colour="")
    db.session.commit()
    actions.login(scene.doctor)
    url = ticket_url(actions, scene.observed)
    page = text(client.get(url))
    assert "入境人员（2026-11-10起" in page and "checked" not in page  # two: the staff member chooses
    missing = actions.post(url, {"released_on": "2026-11-20"})
    assert missing.status_code == 200 and field_error(text(missing)) == "请选择需要解除的医学观察"
    assert actions.post(url, {"observation": str(second.id), "released_on": "2026-11-20"}).status_code == 303
    assert [o.reason for o in observations.open_of(db.session, scene.observed.id)] == ["密切接触者"]
    assert TableHealthData(db.session).status(scene.observed.id).colour == "red"  # still under observation


@pytest.mark.parametrize("form, message", [
    ({"released_on": "2026-11-21"}, "解除日期不能晚于今天"),
    ({"released_on": "昨天"}, None),
    ({"released_on": ""}, "请填写解除日期，如：2026-11-20"),
    ({"observation": "abc"}, None),
    ({"observation": "999999"}, None),
    ({"remarks": "长" * 201}, "备注不能超过200个字"),
])
def test_item5_bad_input_stays_on_the_form_with_the_message(client, actions, db, scene, form, message):
    actions.login(scene.doctor)
    url = ticket_url(actions, scene.observed)
    response = submit(actions, url, db, scene.observed, **form)
    assert response.status_code == 200
    if message:
        assert field_error(text(response)) == message
    else:
        assert 'class="field-error"' in text(response)
    assert count(db, ObservationNotice) == 0


def test_item5_a_release_date_before_the_observation_is_said_above_the_form(client, actions, db, scene):
    actions.login(scene.doctor)
    response = submit(actions, ticket_url(actions, scene.observed), db, scene.observed, released_on="2026-11-01")
    assert response.status_code == 200 and "解除日期不能早于医学观察开始日期（2026-11-06）" in text(response)
    assert count(db, ObservationNotice) == 0


def test_item5_a_person_without_an_open_observation_is_said_so(client, actions, db, scene):
    actions.login(scene.doctor)
    url = ticket_url(actions, scene.healthy)
    response = client.get(url)
    assert response.status_code == 200
    page = text(response)
    assert medical_notices.NONE_OPEN == "该人员当前没有需要解除的医学观察" and medical_notices.NONE_OPEN in page
    assert 'id="issue-form"' not in page and "继续扫码" in page


@pytest.mark.parametrize("typed, message", [
    ("", scan_input.EMPTY),
    ("https://yks.test/p/7K3M9QXB2D", scan_input.POSTER),
    ("hello", scan_input.UNKNOWN),
    ("A" * code_tokens.LENGTH, code_tokens.EXPIRED),
])
def test_o9_what_is_not_a_live_code_gets_the_scanners_message(client, actions, db, scene, typed, message):
    actions.login(scene.doctor)
    response = actions.post("/medical/", {"code": typed})
    assert response.status_code == 200 and field_error(text(response)) == message


def test_o9_an_expired_code_is_refused(client, actions, clock, scene):
    actions.login(scene.doctor)
    old = code_url(scene.observed)
    clock(DEFAULT_NOW + timedelta(minutes=3))
    response = actions.post("/medical/", {"code": old})
    assert response.status_code == 200 and field_error(text(response)) == code_tokens.EXPIRED


def test_o9_another_staff_members_or_a_forged_ticket_is_refused(client, actions, db, scene, clock):
    other = make_person(db, "陈医生", phone="13800000002")
    enable(db, "陈医生", "13800000002", unit="越秀区妇幼保健院")
    db.session.commit()
    actions.login(scene.doctor)
    url = ticket_url(actions, scene.observed)
    actions.login(other)
    response = client.get(url)
    assert response.status_code == 404 and medical_notices.NOT_YOURS in text(response)
    assert actions.post(url, {"observation": "1", "released_on": "2026-11-20"}).status_code == 404
    assert client.get("/medical/issue/not-a-ticket").status_code == 404
    actions.login(scene.doctor)
    clock(DEFAULT_NOW + timedelta(minutes=31))
    old = client.get(url)
    assert old.status_code == 200 and scan_tickets.EXPIRED in text(old)


# --- 我的工作台 → 已出具的电子告知书 ---------------------------------------------------------------------------------


def issue_for(actions, db, person):
    url = ticket_url(actions, person)
    assert submit(actions, url, db, person).status_code == 303


def statements(db, client, person_id: int, url: str) -> int:
    db.session.remove()
    sign_in(client, person_id)
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert response.status_code == 200
    return len(seen)


def test_item5_my_workbench_lists_my_notices_in_constant_queries(client, actions, db, scene):
    actions.login(scene.doctor)
    issue_for(actions, db, scene.observed)
    one = statements(db, client, scene.doctor.id, "/medical/notices")
    more = [make_person(db, f"观察{'一二三四五'[i]}") for i in range(5)]
    for person in more:
        observe(db, person)
    db.session.commit()
    actions.login(scene.doctor)
    for person in more:
        issue_for(actions, db, person)
    assert statements(db, client, scene.doctor.id, "/medical/notices") == one
    actions.login(scene.doctor)
    response = client.get("/medical/notices")
    assert_whole_page(response)
    page = text(response)
    assert page.count("告知书编号") == 6 and "*观察" in page and "李观察" not in page
    assert_fragment(client.get("/medical/notices", headers=HTMX))
    workbench = client.get("/medical/workbench")
    assert_whole_page(workbench)
    assert "已出具的电子告知书" in text(workbench) and "6 / 50份" in text(workbench)
    assert_fragment(client.get("/medical/workbench", headers=HTMX))
    other = make_person(db, "陈医生", phone="13800000002")
    enable(db, "陈医生", "13800000002")
    db.session.commit()
    actions.login(other)
    assert "暂未出具电子告知书" in text(client.get("/medical/notices"))
    notice = db.session.query(ObservationNotice).first()
    assert client.get(f"/medical/notices/{notice.id}").status_code == 404  # not theirs


# --- the daily cap (item 6) -------------------------------------------------------------------------------------


def test_item6_beyond_the_daily_cap_is_refused_and_the_operator_sees_one_alert(app, client, actions, db, scene):
    app.config["MEDICAL_NOTICES_PER_DAY"] = 1
    try:
        second = make_person(db, "赵观察")
        observe(db, second)
        db.session.commit()
        actions.login(scene.doctor)
        issue_for(actions, db, scene.observed)
        url = ticket_url(actions, second)
        for _ in range(2):
            refused = submit(actions, url, db, second)
            assert refused.status_code == 200 and medical_notices.cap_message(1) in text(refused)
        assert count(db, ObservationNotice) == 1 and count(db, MedicalAlert) == 1
        operator = make_person(db, "孙运营", is_operator=True)
        db.session.commit()
        actions.login(operator)
        page = text(client.get("/operator/medical"))
        assert "张医生（越秀区人民医院）" in page and "出具电子告知书已达每日上限1份" in page
    finally:
        app.config.pop("MEDICAL_NOTICES_PER_DAY")


def test_o9_a_code_scanned_with_the_phones_own_camera_offers_the_notice(client, actions, db, scene):
    """The phone's camera app opens /code/scan/<token>: 医护人员 get 【出具电子告知书】, which posts the token to
    their scanner and lands on the pre-filled notice, as a scan in /medical/ does."""
    actions.login(scene.doctor)
    token = code_tokens.issue(scene.observed.id, app_clock.now(), SECRET)
    page = text(client.get(f"/code/scan/{token}"))
    assert "出具电子告知书" in page and 'action="/medical/"' in page and "*观察" not in page  # read once, below
    response = actions.post("/medical/", {"code": token})
    assert response.status_code == 303 and _TICKET.match(location(response))
    roles = db.session.scalars(
        select(AuditLog.role).where(AuditLog.subject_id == scene.observed.id, AuditLog.action == "resolve_code")
    ).all()
    assert roles == ["medical_staff"]  # one read: the notice's scan, not the camera app's landing


def test_o9_the_scan_result_offers_no_notice_to_an_inspector_who_is_not_medical_staff(client, actions, db, scene):
    from tests.factories import make_person as person
    from yks_web.models.place import Place, PlaceStaff

    guard = person(db, "保安甲")
    admin = person(db, "场管甲")
    place = Place(code="3000000001", name="某商场", kind="商场商店", area_code="440106006", address="某路1号",
                  admin_id=admin.id)
    place.set_phone("13800138000")
    db.session.add(place)
    db.session.flush()
    db.session.add(PlaceStaff(place_id=place.id, person_id=guard.id))
    db.session.commit()
    actions.login(guard)
    page = text(client.get(f"/code/scan/{code_tokens.issue(scene.observed.id, app_clock.now(), SECRET)}"))
    assert "在此场所登记体温" in page and "出具电子告知书" not in page

"""Every screen is a whole page normally and only its fragment for htmx (SPEC P3, STYLE §3, §9)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.blueprints.support import TODAY, YESTERDAY, assert_fragment, assert_whole_page, text
from tests.factories import bind, declare, form_answers, make_admin, make_person
from yks_web import clock
from yks_web.models import Collector, ReportDraft
from yks_web.services import invites, reports

DAY = f"/workbench/day/{TODAY.isoformat()}"
YDAY = f"/workbench/day/{YESTERDAY.isoformat()}"


@dataclass
class World:
    people: dict
    ids: dict


@pytest.fixture
def world(db, scene) -> World:
    """One of everything a screen can show: declarations, a proxy, a draft, a report, admin, operator."""
    member, proxied, _ = scene.members
    parent = make_person(db, "黄伟斌")
    bind(db, scene.org, parent, proxied)
    declaration = declare(db, scene.org, member, TODAY)
    declare(db, scene.org, proxied, TODAY, actor=parent, source="proxy", changed=True)
    declare(db, scene.org, member, YESTERDAY)
    db.session.add(ReportDraft(organisation_id=scene.org.id, day=TODAY, updated_at=clock.utcnow(), data={
        "in_school_count": 3, "leave_count": 0, "sick_absence_count": 0, "remarks": "", "reasons": {}}))
    reports.submit_report(db.session, org_id=scene.org.id, day=YESTERDAY, actor_id=scene.collector.id,
                          supplement=reports.Supplement(3, 0, 0), now=clock.now(), utc_now=clock.utcnow())
    admin = make_admin(db, scene.school)
    operator = make_person(db, "王运营", is_operator=True)
    teacher = make_person(db, "新老师")  # joined the school, no organisation yet
    db.session.add(Collector(school_id=scene.school.id, person_id=teacher.id))
    stranger = make_person(db, "路人")
    collector_token = invites.create(db.session, kind="collector", school_id=scene.school.id,
                                     created_by_id=admin.id, utc_now=clock.utcnow()).token
    admin_token = invites.create(db.session, kind="school_admin", school_id=scene.school.id,
                                 utc_now=clock.utcnow()).token
    db.session.commit()
    return World(
        people={"member": member, "parent": parent, "collector": scene.collector, "admin": admin,
                "operator": operator, "teacher": teacher, "stranger": stranger, "anonymous": None},
        ids={"org": scene.org.id, "member": member.id, "proxied": proxied.id, "declaration": declaration.id,
             "school": scene.school.id, "token": scene.token, "collector_token": collector_token,
             "admin_token": admin_token, "silent": scene.members[2].id},
    )


SCREENS = [
    ("anonymous", "/"),
    ("anonymous", "/auth/login"),
    ("anonymous", "/auth/login?next=/declare/"),
    ("anonymous", "/no-such-page"),
    ("member", "/me"),
    ("member", "/declare/"),
    ("member", "/invite/{token}"),
    ("member", "/invite/forged-token"),
    ("member", "/declare/org/{org}/self"),
    ("member", "/declare/org/{org}/person/{member}"),
    ("member", "/declare/done/{declaration}"),
    ("stranger", "/declare/org/{org}/self?t={token}"),
    ("parent", "/declare/"),
    ("parent", "/declare/org/{org}/declarants?t={token}"),
    ("parent", "/declare/org/{org}/proxy?t={token}"),
    ("parent", "/declare/org/{org}/person/{proxied}"),
    ("stranger", "/invite/{collector_token}"),
    ("teacher", "/workbench/create"),
    ("stranger", "/workbench/"),
    ("stranger", "/invite/{admin_token}"),
    ("collector", "/workbench/"),
    ("collector", "/workbench/?day=yesterday"),
    ("collector", DAY),
    ("collector", YDAY),
    ("collector", DAY + "/member/{member}"),
    ("collector", DAY + "/member/{silent}/fill"),
    ("collector", DAY + "/proxy-new"),
    ("collector", DAY + "/report"),
    ("collector", DAY + "/report/summary"),
    ("collector", DAY + "/stat/declared"),
    ("collector", YDAY + "/report/view"),
    ("collector", YDAY + "/stat/fever"),
    ("collector", "/workbench/invite/card"),
    ("collector", "/workbench/guide"),
    ("collector", "/workbench/members/add"),
    ("collector", "/workbench/org"),
    ("collector", "/workbench/org/modify"),
    ("collector", "/workbench/members"),
    ("collector", "/workbench/members?select=1"),
    ("member", DAY),  # the 404 screen
    ("admin", "/school/{school}"),
    ("operator", "/operator/"),
]


# The error screens in the table; every other row is a screen its user is entitled to: 200 (issue 9 item 11).
NOT_FOUND = {("anonymous", "/no-such-page"), ("member", "/invite/forged-token"), ("member", DAY)}


def login_as(actions, world: World, role: str) -> None:
    person = world.people[role]
    if person is None:
        actions.logout()
    else:
        actions.login(person)


@pytest.mark.parametrize(("role", "template"), SCREENS, ids=[f"{r}:{u}" for r, u in SCREENS])
def test_p3_screen_is_a_page_normally_and_a_fragment_for_htmx(client, actions, world, role, template):
    login_as(actions, world, role)
    url = template.format(**world.ids)
    page = client.get(url)
    assert page.status_code == (404 if (role, template) in NOT_FOUND else 200), page.status_code
    assert_whole_page(page, page.status_code)
    fragment = client.get(url, headers={"HX-Request": "true"})
    assert_fragment(fragment, page.status_code)
    restore = client.get(url, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert_whole_page(restore, page.status_code)


def test_p3_sms_verify_screen(client, actions, sms):
    actions.post("/auth/login", {"name": "黄恺", "id_type": "id_card", "id_number": "11010519491231002X",
                                 "phone": "13800138000"})
    assert_whole_page(client.get("/auth/verify"))
    assert_fragment(client.get("/auth/verify", headers={"HX-Request": "true"}))


def test_p3_invalid_form_swaps_its_errors_in_place_for_htmx(client, actions, world):
    """P3/STYLE §7: an invalid htmx post gets its fragment back with status 200."""
    login_as(actions, world, "member")
    url = "/declare/org/{org}/person/{member}".format(**world.ids)
    response = actions.post(url, form_answers(form_key="htmx-key", temperature="50"),
                            headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert_fragment(response)
    assert "体温应在35.0–42.0℃之间" in text(response)


def test_p3_invalid_login_swaps_its_errors_in_place_for_htmx(client, actions):
    response = actions.post("/auth/login", {"name": "", "id_type": "id_card", "id_number": "1", "phone": "1"},
                            headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert_fragment(response)
    assert "请填写姓名" in text(response)


def test_p3_csrf_failure_is_a_fragment_for_htmx(client, actions, world):
    login_as(actions, world, "collector")
    response = client.post("/workbench/org/modify", data={"name": "x", "size": "1"}, headers={"HX-Request": "true"})
    assert_fragment(response, 400)
    assert "页面已过期" in text(response)


def test_p3_every_page_is_marked_no_store(client, actions, world):
    """Personal data must not be cached by the browser or a proxy (P6)."""
    login_as(actions, world, "collector")
    response = client.get(DAY + "/member/{member}".format(**world.ids))
    assert response.headers["Cache-Control"] == "no-store"


def test_p3_pages_carry_the_csrf_header_for_htmx(client, actions, world):
    login_as(actions, world, "member")
    page = text(client.get("/declare/"))
    assert "hx-headers='{\"X-CSRFToken\":" in page
    assert 'hx-boost="true"' in page


def test_p3_yesterday_tab_is_the_same_screen(client, actions, world):
    """W4: the 昨日 tab swaps the same screen with yesterday's figures."""
    login_as(actions, world, "collector")
    fragment = " ".join(text(client.get("/workbench/?day=yesterday", headers={"HX-Request": "true"})).split())
    assert "已申报 <strong>1</strong>/50" in fragment
    assert 'class="tab active" aria-current="page">昨日(11月19日)' in fragment

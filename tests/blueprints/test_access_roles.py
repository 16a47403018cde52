"""The registry's object roles hold, not only its gate (SPEC P7, P9; issue 8 item 12, review finding).

The gate checks only what the user row tells (logged in, operator). The rest — collector, school admin,
member, proxy, family owner, scanner, place admin, inspector, institution admin and member, 医护人员 — is each
blueprint loader's job. This walks every endpoint whose registered roles need such a relation and calls it as
a logged-in person who holds none of them, with the REAL ids of a school that has all of them (a class,
members, a proxy, a declaration, a family link, a teacher, a collector invite, a live 粤康码 token) and of a
place, an institution, a 医护人员 and a grid whose people are all someone else (tests/blueprints/test_prg.py's
build_places, build_medical and build_grid: the place's inspector, a 更换绑定 offer, a scan ticket, a check, the
区划管理员 of 广州市, 天河区 and 五山街道 and a pending grid with a worker, the institution's member and their
declaration, the doctor's scan ticket, a notice): each answers 404. A view that forgets its loader (a
`_COLLECTOR` screen without my_org()) fails here even when its URL carries no id.
Endpoints open to any logged-in person are walked too where their URL names someone's own object (a family
link, a proxy binding, a 更换绑定 offer, a check-in, a notice): those are one's own or 404.
"""

from __future__ import annotations

from flask import current_app

from tests.blueprints.support import TODAY, text
from tests.blueprints.test_access_registry import rules
from tests.blueprints.test_prg import World, build_grid, build_group, build_medical, build_places
from tests.factories import bind, declare, make_admin, make_person, register_identity
from tests.family_helpers import make_family_link
from yks_web import clock
from yks_web.models import ForeignTeacher, Person
from yks_web.models.realname import RealNameRecord
from yks_web.services import access, code_tokens, invites

# Roles anyone logged in may hold for some object of their own: those endpoints answer the plain person too…
OPEN_TO_ANYONE = {"public", "person", "invitee"}
# … except where the URL names an object that is someone's own: the person's side of a link or binding, the
# recipient's 更换绑定 offer, the citizen's check-in, the person's notice (invite cards and 葵花码 are not: bearer
# cards by design, for whoever holds them).
OWN_OBJECTS = {"link_id", "binding_id", "family_member_id", "handover_id", "check_id", "number"}


def world(db, scene) -> dict:
    """Real ids of every kind of object a URL of the app names."""
    member, declarant = scene.members[0], scene.members[1]
    proxy = make_person(db, "黄伟斌")
    binding = bind(db, scene.org, proxy, declarant)
    declaration = declare(db, scene.org, member, TODAY)
    owner = make_person(db, "陈丽")
    link = make_family_link(db, owner, member)
    make_admin(db, scene.school)
    teacher = ForeignTeacher(school_id=scene.school.id, name="Tom Lee", teaching_level="高中", nationality="英国",
                             continent="欧洲", current_location="广州", lives_on_campus=True, covid_status="无")
    db.session.add(teacher)
    invite = invites.create(db.session, kind="collector", school_id=scene.school.id, utc_now=clock.utcnow())
    register_identity(db, "登记人", None)
    record = db.session.query(RealNameRecord).first()
    others = World(people={"member": member.id})
    build_places(db, others)
    build_medical(db, others)
    build_grid(db, others)
    build_group(db, others)  # 团体码: 梁团长's group, its admin and member, an invitation
    db.session.commit()
    names = [db.session.get(Person, person_id).name for person_id in others.people.values()]
    return others.ids | {
        "org_id": scene.org.id, "person_id": member.id, "school_id": scene.school.id, "binding_id": binding.id,
        "declaration_id": declaration.id, "family_member_id": link.id, "link_id": link.id, "teacher_id": teacher.id,
        "record_id": record.id, "day": TODAY.isoformat(), "key": "fever", "fmt": None,
        "token": invite.token, "names": [member.name, declarant.name, scene.collector.name, *names],
        "code": code_tokens.issue(member.id, clock.now(), current_app.config["SECRET_KEY"]),
    }


def url_for_rule(rule, ids: dict) -> str:
    values = {}
    for name in rule.arguments:
        converter = rule._converters[name]
        values[name] = sorted(converter.items)[0] if hasattr(converter, "items") else ids[name]
    if rule.endpoint == "health_code.scan":
        values["token"] = ids["code"]
    if rule.endpoint.startswith("checkin."):
        values["token"] = ids["poster"]  # the place's live 葵花码 (a check that is not the user's: 404)
    if "ticket" in values and rule.endpoint.startswith("medical."):
        values["ticket"] = ids["medical_ticket"]
    if "appointment_id" in values and rule.endpoint.startswith("operator."):
        values["appointment_id"] = ids["city_appointment_id"]
    if "staff_id" in values and rule.endpoint.startswith("operator."):
        values["staff_id"] = ids["medical_staff_id"]
    if "staff_id" in values and rule.endpoint.startswith("grid."):
        values["staff_id"] = ids["grid_staff_id"]  # the grid's worker's binding
    if "declaration_id" in values and rule.endpoint.startswith("institution."):
        values["declaration_id"] = ids["institution_declaration_id"]
    path = rule.build(values, append_unknown=False)[1]
    return path + (f"?t={ids['code']}" if rule.endpoint == "health_code.resolve" else "")


def test_p9_every_relation_endpoint_is_404_to_a_person_without_the_relation(client, db, actions, scene):
    ids = world(db, scene)
    stranger = make_person(db, "路人")
    db.session.commit()
    actions.login(stranger)
    tried = 0
    for rule in rules(client.application):
        roles = access.ENDPOINTS.get(rule.endpoint, frozenset())
        if roles & OPEN_TO_ANYONE and not (roles <= {"person", "family_owner"} and OWN_OBJECTS & rule.arguments):
            continue
        url = url_for_rule(rule, ids)
        calls = ([("GET", lambda u=url: client.get(u))] if "GET" in rule.methods else []) + (
            [("POST", lambda u=url: actions.post(u))] if "POST" in rule.methods else [])
        for method, call in calls:
            response = call()
            tried += 1
            assert response.status_code == 404, (method, url, sorted(roles), response.status_code)
            body = text(response)
            assert not any(name in body for name in ids["names"]), (method, url)
    # every collector, school admin, proxy, member, family owner, scanner and operator route, every place,
    # institution, 医护人员 and 网格/区划管理员 route, and every person route on someone's own object
    assert tried >= 130

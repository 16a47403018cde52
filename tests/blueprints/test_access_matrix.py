"""Two tenants, every role of one against every endpoint with the other's ids: 0 leaks (SPEC P7, P9; issue 8 item 12).

Tenant A and tenant B each have a school with its admin, a collector with an organisation of members, a
proxy with a declarant, a family owner with a consented member and a pending request, a plain person, a
foreign teacher, a declaration, invite cards and a live 粤康码 token; a place with its admin, an inspector
(offered the place: 更换绑定), its 葵花码, a member's check-in and the inspector's scan of that member; an
institution with its admin and a member who declared; an enabled 医护人员 who scanned a person and released
their 医学观察 with a notice; 区划管理员 of its city, a district and a town, and a pending grid with its admin
and a worker. One operator serves both. Logged in as every role of A (and anonymous), the test
walks app.url_map and calls every endpoint — GET and POST (with CSRF, through Actions.post) — once for each
combination of its URL variables in which at least one is B's (B's school, organisation, people, binding,
declaration, family links, teacher, tokens, place, inspector binding, offer, check, scan tickets, institution,
its declaration, 医护人员, notice), plus B's ids in the query (?member=, ?t=) and in posted fields. Every such
request must answer 404, or send an anonymous caller to 实名认证; no response may carry a name, masked name,
ID number or masked ID number of a B person, B's organisation, school, teacher, place, institution or hospital.

Invite cards are bearer capabilities by design (S2, W2: a card in a chat opens the organisation to whoever
holds it), so B's own cards are never presented for B's own objects; they are presented against A's
objects (the card must belong to the object) and B's code token is presented where an invite is expected.
So are a place's 葵花码 (printed at its door for anyone to check in), a notice's number (anyone verifies a
notice) and a grid's 管理员变更 link (anyone may open it; only the successor's own 实名认证 accepts it): B's poster is
presented only against A's check-ins, B's number only for 【下载PDF】, and only A's own link is opened.
The operator's own duties (the operator pages, scanning) read anyone's data by design and are only
checked to answer; so is scanning a 粤康码 for the inspector and the 医护人员 (any citizen's code, at the gate).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode, urlsplit

import pytest
from flask import current_app
from sqlalchemy import select

from tests.blueprints.support import TODAY
from tests.factories import (
    bind,
    declare,
    make_admin,
    make_check,
    make_district_admin,
    make_grid,
    make_grid_staff,
    make_grid_visit,
    make_group,
    make_group_member,
    make_handover,
    make_institution,
    make_institution_declaration,
    make_institution_member,
    make_medical_staff,
    make_notice,
    make_observation,
    make_org,
    make_person,
    make_place,
    make_place_staff,
    make_school,
)
from tests.family_helpers import make_family_link
from yks_web import clock
from yks_web.models import ForeignTeacher, Person, TeacherAssignment
from yks_web.models.realname import RealNameRecord
from yks_web.privacy import mask_id, mask_name
from yks_web.services import (
    access,
    code_tokens,
    grid_handover,
    group_members,
    invites,
    medical_notices,
    membership,
    place_posters,
    scan_tickets,
)
from yks_web.services.identity import build_id_card_number

REGIONS = {"A": "440106", "B": "510104"}  # masked IDs of the two tenants never coincide (44…/51…)
_sequence = itertools.count(100)


@dataclass
class Tenant:
    tag: str
    school_id: int = 0
    org_id: int = 0
    people: dict[str, int] = field(default_factory=dict)  # role → person id
    binding_id: int = 0
    declaration_id: int = 0
    family_link_id: int = 0
    pending_link_id: int = 0
    teacher_id: int = 0
    record_id: int = 0  # the real-name source's record of a member
    member_invite: str = ""
    collector_invite: str = ""
    code_token: str = ""
    place_id: int = 0
    staff_id: int = 0  # the inspector's binding
    handover_id: int = 0
    check_id: int = 0  # member 一's check-in at the place
    poster_token: str = ""
    place_ticket: str = ""  # the inspector's scan of member 一
    institution_id: int = 0
    institution_declaration_id: int = 0
    medical_staff_id: int = 0
    notice_id: int = 0
    notice_number: str = ""
    medical_ticket: str = ""  # the doctor's scan of 观
    grid_id: int = 0  # a pending grid of the tenant's district
    grid_staff_id: int = 0  # its worker's binding (网格员 格)
    grid_ticket: str = ""  # 格's 扫粤康码 of member 一 (信息采集)
    grid_handover_token: str = "x"  # its admin's 管理员变更 link, for a successor who is none of the tenant's roles
    appointment_id: int = 0  # the district's 区划管理员's appointment of a town's
    group_id: int = 0  # 团体码: 团's group with an admin (理) and a member (成)
    group_member_id: int = 0  # 成's row in it
    group_invite_id: int = 0  # a live invitation of it
    group_token: str = ""
    leaks: set[str] = field(default_factory=set)  # what must never reach the other tenant


def build_tenant(db, tag: str, secret: str) -> Tenant:
    t = Tenant(tag)
    mark = "甲" if tag == "A" else "乙"
    family = "赵" if tag == "A" else "钱"

    def person(role: str, **kw):
        number = build_id_card_number(REGIONS[tag], date(1980 + len(t.people), 1 + len(t.people) % 12, 3),
                                      next(_sequence))
        p = make_person(db, f"{family}{mark}{role}", number, **kw)
        t.people[role] = p.id
        t.leaks |= {p.name, mask_name(p.name), number, mask_id(number)}
        return p

    school = make_school(db, f"{mark}城中学")
    t.school_id = school.id
    make_admin(db, school, person("管"))
    collector = person("采")
    org = make_org(db, school, collector, name=f"{mark}班")
    t.org_id = org.id
    first, second = person("一"), person("二")
    for member in (first, second):
        membership.join(db.session, org, member, "invite", clock.utcnow())
    t.binding_id = bind(db, org, person("代"), person("申")).id
    t.declaration_id = declare(db, org, first, TODAY).id
    t.family_link_id = make_family_link(db, person("户"), person("亲")).id
    t.pending_link_id = make_family_link(db, db.session.get(Person, t.people["户"]), second, "其他",
                                         consented=False).id
    person("路")
    t.record_id = db.session.scalar(select(RealNameRecord.id).where(RealNameRecord.id_hash == first.id_hash))
    teacher = ForeignTeacher(school_id=school.id, name=f"{'Anna' if tag == 'A' else 'Berta'} Teacher{mark}",
                             teaching_level="高中", nationality="英国", continent="欧洲", current_location="广东省内",
                             lives_on_campus=False, covid_status="无")
    db.session.add(teacher)
    db.session.flush()
    db.session.add(TeacherAssignment(organisation_id=org.id, teacher_id=teacher.id))
    t.teacher_id = teacher.id
    t.member_invite = invites.member_invite(db.session, org_id=org.id, school_id=school.id,
                                            creator_id=collector.id, utc_now=clock.utcnow()).token
    t.collector_invite = invites.create(db.session, kind="collector", school_id=school.id,
                                        utc_now=clock.utcnow()).token
    t.code_token = code_tokens.issue(first.id, clock.now(), secret)
    t.leaks |= {teacher.name, org.name, school.name}
    build_places(db, t, first, person, secret)
    build_group(db, t, person)
    return t


def build_places(db, t: Tenant, first: Person, person, secret: str) -> None:
    """The tenant's place, institution and 医护人员 (issues 10, 11), each role a person of the tenant."""
    mark = "甲" if t.tag == "A" else "乙"
    place = make_place(db, person("场"), f"{mark}城广场")
    staff = make_place_staff(db, place, person("检"))
    t.place_id, t.staff_id, t.handover_id = place.id, staff.id, make_handover(db, place, staff).id
    t.poster_token = place_posters.live(db.session, place.id).token
    t.check_id = make_check(db, place, first).id
    t.place_ticket = scan_tickets.seal(place_id=place.id, person_id=first.id, inspector_id=staff.person_id,
                                      now=clock.now(), secret=secret)
    institution = make_institution(db, person("机"), f"{mark}城机构")
    t.institution_id = institution.id
    t.institution_declaration_id = make_institution_declaration(
        db, institution, make_institution_member(db, institution, person("员"))).id
    doctor = person("医", phone="1380000004" + ("1" if t.tag == "A" else "2"))
    staff_row = make_medical_staff(db, doctor, unit=f"{mark}城人民医院")
    observed = person("观")
    notice = make_notice(db, staff_row, doctor, make_observation(db, observed))
    make_observation(db, observed, reason="入境人员")  # still open: 出具电子告知书 has something to release
    t.medical_staff_id, t.notice_id, t.notice_number = staff_row.id, notice.id, notice.number
    t.medical_ticket = medical_notices.seal_ticket(staff_person_id=doctor.id, person_id=observed.id, now=clock.now(),
                                                   secret=secret)
    t.leaks |= {place.name, institution.name, staff_row.unit}
    build_grid(db, t, person)


GRID_AREAS = {"A": ("4401", "440106", "440106001", "440106006"), "B": ("4403", "440304", "440304001", "440304002")}


def build_grid(db, t: Tenant, person) -> None:
    """The tenant's 网格 (issue 12): 区划管理员 of its city (the operator's), district (区) and a town (镇, appointed
    by 区), and a pending grid of another town of the district (区 confirms it) with its admin (网), a worker (格)
    and an authorised worker (授) who met 观 at the door (a 重点管控人员: under 医学观察)."""
    mark = "甲" if t.tag == "A" else "乙"
    city, district, town, grid_town = GRID_AREAS[t.tag]
    make_district_admin(db, person("市"), city)
    boss = make_district_admin(db, person("区"), district, appointed_by=db.session.get(Person, t.people["市"]))
    t.appointment_id = make_district_admin(db, person("镇"), town, appointed_by=boss.person).id
    grid = make_grid(db, person("网"), f"{mark}城网格", area_code=grid_town)
    t.grid_staff_id = make_grid_staff(db, grid, person("格")).id
    t.grid_ticket = scan_tickets.seal(place_id=grid.id, person_id=t.people["一"], inspector_id=t.people["格"],
                                      now=clock.now(), secret=current_app.config["SECRET_KEY"], kind="grid")
    authorised = make_grid_staff(db, grid, person("授"), authorised=True)  # 已授权网格员, who met 观 (医学观察)
    make_grid_visit(db, grid, authorised.person_id, db.session.get(Person, t.people["观"]),
                    address=f"{mark}城网格1栋101")
    t.grid_id = grid.id
    successor = f"{'赵' if t.tag == 'A' else '钱'}{mark}继任"  # typed by the admin; nobody of either tenant
    t.grid_handover_token = grid_handover.start(db.session, grid, grid.admin_id, successor,
                                                build_id_card_number(REGIONS[t.tag], date(1990, 1, 1), next(_sequence)),
                                                clock.utcnow()).token
    t.leaks |= {grid.name, grid.code, successor, mask_name(successor)}


def build_group(db, t: Tenant, person) -> None:
    """The tenant's 团体码 group (issue 13): its creator (团), an admin (理), a member (成) with a 备注, and a live
    invitation (a bearer link by design: only A's own is opened)."""
    mark = "甲" if t.tag == "A" else "乙"
    group = make_group(db, person("团"), f"{mark}城团体")
    make_group_member(db, group, person("理"), role="admin")
    member = make_group_member(db, group, person("成"), remark=f"{mark}城备注")
    invite = group_members.invite(db.session, group, group.creator_id, clock.utcnow())
    t.group_id, t.group_member_id, t.group_invite_id, t.group_token = group.id, member.id, invite.id, invite.token
    t.leaks |= {group.name, member.remark}


@pytest.fixture
def tenants(app, db):
    a = build_tenant(db, "A", app.config["SECRET_KEY"])
    b = build_tenant(db, "B", app.config["SECRET_KEY"])
    operator = make_person(db, "孙运营", is_operator=True)
    db.session.commit()
    assert not any(leak in " ".join(a.leaks) for leak in b.leaks)  # the two tenants share no marker
    return a, b, operator.id


ROLES_OF_A = {
    "anonymous": None, "plain": "路", "school_admin": "管", "collector": "采", "member": "一", "proxy": "代",
    "declarant": "申", "family_owner": "户", "family_member": "亲", "place_admin": "场", "inspector": "检",
    "institution_admin": "机", "institution_member": "员", "medical_staff": "医", "grid_admin": "网",
    "grid_worker": "格", "grid_authorised": "授", "district_admin": "区", "group_creator": "团", "group_admin": "理",
    "group_member": "成", "operator": "operator",
}
SCANNING = ("health_code.scan", "health_code.resolve")
# What each role reads of anyone by design: only checked to answer.
DUTIES = {"operator": ("operator.", *SCANNING), "inspector": SCANNING, "medical_staff": SCANNING}


def candidates(name: str, rule, me: int | None, a: Tenant, b: Tenant) -> list[tuple[object, bool]]:
    """Values for one URL variable: (value, is it B's)."""
    endpoint = rule.endpoint
    if name == "school_id":
        return [(a.school_id, False), (b.school_id, True)]
    if name == "org_id":
        return [(a.org_id, False), (b.org_id, True)]
    if name == "person_id":
        own = me or a.people["一"]
        return [(own, False)] + [(b.people[r], True) for r in ("一", "申", "亲")]
    if name == "binding_id":
        return [(b.binding_id, True)]
    if name == "declaration_id":
        return [(b.institution_declaration_id if endpoint.startswith("institution.") else b.declaration_id, True)]
    if name in ("family_member_id", "link_id"):
        return [(b.family_link_id, True), (b.pending_link_id, True)] + (
            [(b.binding_id, True)] if name == "link_id" else [])
    if name == "teacher_id":
        return [(b.teacher_id, True)]
    if name == "record_id":
        return [(b.record_id, True)]
    if name == "token":
        if endpoint == "checkin.done":
            return [(a.poster_token, False), (b.poster_token, True)]
        if endpoint.startswith("checkin."):  # a poster is for anyone who scans it: A's own
            return [(a.poster_token, False)]
        if endpoint.startswith("grid.handover"):  # a 管理员变更 link is for whoever holds it (only a match accepts)
            return [(a.grid_handover_token, False)]
        if endpoint.startswith("group."):  # a 团体码 invitation is for whoever holds it: A's own
            return [(a.group_token, False)]
        return [(b.collector_invite, True)] if endpoint.startswith("school.") else [(b.code_token, True)]
    if name == "place_id":
        return [(a.place_id, False), (b.place_id, True)]
    if name == "staff_id":
        return [(b.medical_staff_id if endpoint.startswith("operator.") else
                 b.grid_staff_id if endpoint.startswith("grid.") else b.staff_id, True)]
    if name == "handover_id":
        return [(b.handover_id, True)]
    if name == "check_id":
        return [(b.check_id, True)]
    if name == "ticket":
        return [(b.medical_ticket if endpoint.startswith("medical.") else
                 b.grid_ticket if endpoint.startswith("grid.") else b.place_ticket, True)]
    if name == "institution_id":
        return [(a.institution_id, False), (b.institution_id, True)]
    if name == "grid_id":
        return [(a.grid_id, False), (b.grid_id, True)]
    if name == "appointment_id":
        return [(a.appointment_id, False), (b.appointment_id, True)]
    if name == "group_id":
        return [(a.group_id, False), (b.group_id, True)]
    if name == "member_id":
        return [(b.group_member_id, True)]
    if name == "invite_id":
        return [(b.group_invite_id, True)]
    if name == "notice_id":
        return [(b.notice_id, True)]
    if name == "number":  # anyone may verify a notice by its number: A's own; B's only for 【下载PDF】
        return [(a.notice_number, False)] if endpoint == "notice.verify" else [(b.notice_number, True)]
    if name == "day":
        return [(TODAY.isoformat(), False)]
    if name == "kind":
        return [("declarations", False)]
    if name == "key":
        return [("declared", False)]
    if name == "filename":
        return [("css/app.css", False)]
    converter = rule._converters[name]
    if hasattr(converter, "items"):
        return [(sorted(converter.items)[0], False)]
    raise AssertionError(f"teach the access matrix what to put in <{name}> of {rule.rule} ({endpoint})")


def query_variants(rule, values: dict, me: int | None, a: Tenant, b: Tenant) -> list[tuple[dict, bool]]:
    """Query strings (and posted fields) carrying B's ids where the endpoint reads them."""
    endpoint = rule.endpoint
    if endpoint.startswith("health_code.") and endpoint not in (
        "health_code.scan", "health_code.resolve", "health_code.declare_menu"
    ):  # the menu shows nobody's data
        return [({}, False)] + [({"member": b.people[r]}, True) for r in ("一", "亲", "户")]
    if endpoint == "health_code.resolve":
        return [({"t": b.code_token}, True)]
    if endpoint.startswith("declare.") and "org_id" in values:
        if values["org_id"] == a.org_id:  # B's card must not open A's organisation (to a member it is just noise)
            return [({}, False), ({"t": b.member_invite}, me not in {a.people[r] for r in "一二申"})]
        return [({}, False), ({"t": a.member_invite}, True)]  # nor A's card B's organisation
    return [({}, False)]


def requests_for(rule, me: int | None, a: Tenant, b: Tenant):
    names = sorted(rule.arguments)
    options = [candidates(name, rule, me, a, b) for name in names]
    seen = []
    for combo in itertools.product(*options):
        values = {name: value for name, (value, _) in zip(names, combo, strict=True)}
        crossed = any(is_b for _, is_b in combo)
        for query, query_crossed in query_variants(rule, values, me, a, b):
            seen.append((rule.build(values, append_unknown=False)[1], query, crossed or query_crossed))
    cross = [r for r in seen if r[2]]
    return cross or seen[:1]  # an endpoint without any id still gets called, for the body check


def body_leaks(response, leaks: set[str]) -> list[str]:
    body = response.get_data().decode("utf-8", "replace") + response.headers.get("Location", "")  # PNGs too
    return sorted(leak for leak in leaks if leak in body)


def walk(app, client, db, actions, tenants, roles=tuple(ROLES_OF_A), prefix: str = "") -> tuple[int, list[str]]:
    """Every endpoint (starting with `prefix`) as every role in `roles`: the number of requests, and each leak or
    request not refused."""
    a, b, operator_id = tenants
    rules = sorted((r for r in app.url_map.iter_rules() if r.endpoint.startswith(prefix)),
                   key=lambda r: (r.endpoint.startswith("auth.logout"), r.endpoint))  # logging out comes last
    tried, problems = 0, []
    for role in roles:
        key = ROLES_OF_A[role]
        me = None if key is None else operator_id if key == "operator" else a.people[key]
        actions.logout()
        if me is not None:
            actions.login(db.session.get(Person, me))
        for rule in rules:
            duty = rule.endpoint.startswith(DUTIES.get(role, ()))
            for path, query, crossed in requests_for(rule, me, a, b):
                for method in ("GET", "POST"):
                    if method not in rule.methods:
                        continue
                    url = path + ("?" + urlencode(query) if query else "")
                    form = {"person": b.people["一"], "teacher": b.teacher_id, **query}
                    response = client.get(url) if method == "GET" else actions.post(url, form)
                    tried += 1
                    where = f"{role} {method} {url}"
                    if duty:
                        if response.status_code not in (200, 303, 404):
                            problems.append(f"{where}: {response.status_code}")
                        with client.session_transaction() as session:
                            session.pop("_flashes", None)  # the duty's own message is not for the next page
                        continue
                    leaked = body_leaks(response, b.leaks)
                    if leaked:
                        problems.append(f"{where}: shows {leaked}")
                    if crossed and not refused(response, role):
                        problems.append(f"{where}: answered {response.status_code} "
                                        f"{response.headers.get('Location', '')}")
    return tried, problems


def test_p7_no_role_of_one_tenant_reaches_the_other_tenants_data(app, client, db, actions, tenants):
    tried, problems = walk(app, client, db, actions, tenants)
    print(f"\naccess matrix: {tried} requests, {len(problems)} leaks")
    assert not problems, f"{len(problems)} of {tried} requests leaked or were not refused:\n" + "\n".join(problems)
    assert tried > 4000


def test_p7_the_matrix_sees_a_leak_when_a_loader_lets_one_through(app, client, db, actions, tenants, monkeypatch):
    """The walk is not blind: a family check that always says yes is caught on the code screens, a school
    check that always says yes on the school screens, and an inspector check that always says yes on the place
    screens."""
    monkeypatch.setattr(access, "may_show_code", lambda session, viewer_id, person_id: True)
    _, problems = walk(app, client, db, actions, tenants, roles=("plain",), prefix="health_code.")
    assert any(p.startswith("plain GET /code/mine?member=") and "shows" in p for p in problems), problems
    monkeypatch.setattr(access, "school_admin_of", lambda session, person_id, school_id: True)
    _, problems = walk(app, client, db, actions, tenants, roles=("collector",), prefix="school.")
    assert any(p.startswith(f"collector GET /school/{tenants[1].school_id}/org/") for p in problems), problems
    monkeypatch.setattr(access, "inspector_of", lambda session, person_id, place_id: True)
    _, problems = walk(app, client, db, actions, tenants, roles=("inspector",), prefix="places.")
    assert any(p.startswith(f"inspector GET /places/{tenants[1].place_id}/check") and "shows" in p
               for p in problems), problems


def refused(response, role: str) -> bool:
    """404, or the anonymous caller sent to 实名认证."""
    if response.status_code == 404:
        return True
    if response.status_code in (302, 303):
        return role == "anonymous" and urlsplit(response.headers["Location"]).path == "/auth/login"
    return False


def test_p9_the_matrix_covers_every_endpoint_and_every_role(app):
    """The walk above takes its endpoints from app.url_map and knows every URL variable they use."""
    roles = "管采一二代申户亲路场检机员医观市区镇网格授团理成"
    a, b = Tenant("A", people=dict.fromkeys(roles, 1)), Tenant("B", people=dict.fromkeys(roles, 2))
    for rule in app.url_map.iter_rules():
        assert requests_for(rule, 1, a, b), rule.endpoint
    assert set(ROLES_OF_A) >= {"anonymous", "plain", "school_admin", "collector", "member", "proxy", "family_owner",
                               "place_admin", "inspector", "institution_admin", "institution_member",
                               "medical_staff", "grid_admin", "grid_worker", "district_admin", "operator"}
    assert set(access.ENDPOINTS) <= {rule.endpoint for rule in app.url_map.iter_rules()}

"""Who may do what, as plain functions (SPEC P7, P9; issue 8 items 8 and 12)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.factories import bind, declare, make_admin, make_org, make_person, make_school
from tests.family_helpers import make_family_link
from yks_web import clock
from yks_web.services import access, membership
from yks_web.services.access import ENDPOINTS, GATE_ORDER, ROLES, Role

ANONYMOUS = SimpleNamespace(is_authenticated=False, is_operator=False, id=None)


@pytest.fixture
def world(db):
    school, other_school = make_school(db), make_school(db, "广州市第二中学")
    collector = make_person(db, "蒋小华")
    org = make_org(db, school, collector, members=2)
    other_org = make_org(db, other_school, make_person(db, "王老师"), name="初一(1)班")
    admin = make_admin(db, school)
    members = [m.person for m in membership.members(db.session, org.id)]
    parent, child = make_person(db, "家长甲"), make_person(db, "孩子甲")
    binding = bind(db, org, parent, child)
    operator = make_person(db, "王运营", is_operator=True)
    plain = make_person(db, "路人")
    db.session.commit()
    return SimpleNamespace(school=school, other_school=other_school, org=org, other_org=other_org, admin=admin,
                           collector=collector, members=members, parent=parent, child=child, binding=binding,
                           operator=operator, plain=plain)


def test_p9_operator_is_read_from_the_person_row(world):
    assert access.is_operator(world.operator)
    assert not access.is_operator(world.plain)
    assert not access.is_operator(ANONYMOUS)
    assert not access.is_operator(SimpleNamespace(is_authenticated=False, is_operator=True))


def test_item8_scanning_is_a_role_held_by_operators_for_now(db, world):
    assert access.scanning_role(db.session, world.operator) == "operator"
    assert access.may_scan(db.session, world.operator)
    for person in (world.plain, world.collector, world.admin, world.parent, ANONYMOUS):
        assert access.scanning_role(db.session, person) is None
        assert not access.may_scan(db.session, person)
        assert not access.holds(db.session, person, "scanner")


def test_item8_a_coming_scanner_role_is_one_predicate_more(db, world, monkeypatch):
    """Place inspectors (and later grid workers, medical staff) join by a predicate, not a new mechanism."""
    inspectors = {world.plain.id}
    monkeypatch.setattr(access, "SCANNERS", [*access.SCANNERS, ("inspector", lambda s, p: p.id in inspectors)])
    assert access.scanning_role(db.session, world.plain) == "inspector"
    assert access.holds(db.session, world.plain, "scanner")
    assert access.scanning_role(db.session, world.operator) == "operator"
    assert not access.may_scan(db.session, world.collector)


def test_p9_a_coming_object_role_fits_the_same_declaration(db, world, monkeypatch):
    """A place admin: a Role with its scope and predicate, its endpoints listed with its name — the gate and the
    loader's `holds` follow without code of their own."""
    place_admins = {(world.plain.id, 7)}
    role = Role("place_admin", "场所管理员", "person", "place", lambda s, p, place_id: (p.id, place_id) in place_admins)
    monkeypatch.setitem(ROLES, "place_admin", role)
    monkeypatch.setitem(ENDPOINTS, "places.dashboard", frozenset({"place_admin"}))
    assert access.gate("places.dashboard") == "person"
    assert access.holds(db.session, world.plain, "place_admin", 7)
    assert not access.holds(db.session, world.plain, "place_admin", 8)
    assert not access.holds(db.session, world.collector, "place_admin", 7)


def test_p7_collector_org_is_the_collectors_own(db, world):
    assert access.collector_org(db.session, world.collector.id).id == world.org.id
    for person in (world.plain, world.admin, world.members[0], world.operator):
        assert access.collector_org(db.session, person.id) is None
    assert access.holds(db.session, world.collector, "collector", world.org.id)
    assert not access.holds(db.session, world.collector, "collector", world.other_org.id)
    assert not access.holds(db.session, world.plain, "collector")


def test_p7_school_admin_of_one_school_only(db, world):
    assert access.school_admin_of(db.session, world.admin.id, world.school.id)
    assert not access.school_admin_of(db.session, world.admin.id, world.other_school.id)
    assert not access.school_admin_of(db.session, world.collector.id, world.school.id)
    assert not access.school_admin_of(db.session, world.operator.id, world.school.id)  # no implied admin


def test_s9_member_now_or_before(db, world):
    leaver = world.members[1]
    membership.leave(db.session, membership.active_membership(db.session, world.org.id, leaver.id), clock.utcnow())
    assert access.ever_member(db.session, world.org.id, world.members[0].id)
    assert access.ever_member(db.session, world.org.id, leaver.id)  # the form says they left
    assert not access.ever_member(db.session, world.other_org.id, world.members[0].id)
    assert not access.ever_member(db.session, world.org.id, world.plain.id)
    assert access.holds(db.session, world.members[0], "member", world.org.id)


def test_s4_proxy_binding_is_active_proxy_declarant_and_org(db, world):
    assert access.proxy_binding(db.session, world.parent.id, world.child.id, world.org.id).id == world.binding.id
    assert access.proxy_binding(db.session, world.parent.id, world.child.id, world.other_org.id) is None
    assert access.proxy_binding(db.session, world.plain.id, world.child.id, world.org.id) is None
    assert access.proxy_binding(db.session, world.child.id, world.parent.id, world.org.id) is None
    assert access.is_binding_proxy(world.binding, world.parent.id)
    assert access.holds(db.session, world.parent, "proxy", world.binding.id)
    assert not access.is_binding_proxy(world.binding, world.child.id)
    assert not access.is_binding_proxy(None, world.parent.id)
    world.binding.active = False
    assert not access.is_binding_proxy(world.binding, world.parent.id)
    assert access.proxy_binding(db.session, world.parent.id, world.child.id, world.org.id) is None


def test_s8_declaration_is_seen_by_its_actor_and_its_person(db, world):
    from tests.blueprints.support import TODAY

    declaration = declare(db, world.org, world.child, TODAY, actor=world.parent, source="proxy")
    assert access.may_see_declaration(declaration, world.parent.id)
    assert access.may_see_declaration(declaration, world.child.id)
    assert not access.may_see_declaration(declaration, world.collector.id)
    assert not access.may_see_declaration(None, world.parent.id)


def test_h3_may_show_code_delegates_to_consented_family_links(db, world):
    make_family_link(db, world.parent, world.child)
    make_family_link(db, world.plain, world.members[0], consented=False)
    assert access.may_show_code(db.session, world.parent.id, world.parent.id)
    assert access.may_show_code(db.session, world.parent.id, world.child.id)
    assert access.holds(db.session, world.parent, "family_owner", world.child.id)
    assert not access.may_show_code(db.session, world.child.id, world.parent.id)  # not the other way round
    assert not access.may_show_code(db.session, world.plain.id, world.members[0].id)  # still pending consent
    assert not access.may_show_code(db.session, world.operator.id, world.child.id)


def test_p9_every_role_is_declared_with_a_gate_and_a_predicate():
    for name, role in ROLES.items():
        assert role.name == name and role.label and role.gate in GATE_ORDER and callable(role.holds)
    assert {"public", "person", "operator", "scanner", "collector", "school_admin", "member", "proxy",
            "family_owner", "invitee"} <= set(ROLES)
    assert {ROLES[name].scope for name in ("collector", "school_admin", "member", "proxy", "family_owner")} == {
        "organisation", "school", "binding", "person"}


def test_p9_every_registered_endpoint_names_known_roles():
    for endpoint, roles in ENDPOINTS.items():
        assert roles and roles <= set(ROLES), endpoint


def test_p9_gate_is_the_weakest_gate_of_the_endpoints_roles():
    assert access.gate("static") == "public"
    assert access.gate("home.index") == "public"
    assert access.gate("home.me") == "person"
    assert access.gate("health_code.scan") == "person"  # scanners are not all operators: the view asks may_scan
    assert access.gate("workbench.day_detail") == "person"  # the loader decides whose organisation it is
    assert access.gate("operator.index") == "operator"
    assert access.gate("no.such_endpoint") is None


def test_p9_anonymous_holds_only_public(db):
    for name in ROLES:
        expected = name == "public"
        if ROLES[name].scope:
            continue  # object roles are asked of logged-in people only (the gate runs first)
        assert access.holds(db.session, ANONYMOUS, name) is expected, name

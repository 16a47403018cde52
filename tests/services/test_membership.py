"""Joining, leaving and proxy bindings (SPEC S4–S10, W5)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from tests.factories import bind, id_number, make_org, make_person, make_school
from yks_web.models import Membership, Person, ProxyBinding
from yks_web.models.security import RateEvent
from yks_web.services import membership, org_day
from yks_web.services.identity import IdentityMismatch, make_identity
from yks_web.services.membership import (
    OTHER_ORG,
    OTHER_ORG_WAYS,
    PROXY_LIMIT,
    REMOVED_BY_DECLARANT,
    MembershipError,
    active_membership,
    bind_proxy,
    declarant_list,
    member_ids,
)

T0 = datetime(2026, 11, 20, 1, 0)  # naive UTC


def joined_count(session, org_id: int) -> int:
    """成员加入情况 as the screens read it (org_day, issue 9 item 1): the members joined now."""
    return org_day.of_organisation(session, org_id, T0.date()).joined


def bindings_of(db, declarant) -> list[ProxyBinding]:
    return list(db.session.scalars(select(ProxyBinding).where(ProxyBinding.declarant_id == declarant.id)))


# --- join / leave / rejoin ---------------------------------------------------------------------


def test_join_makes_an_active_member(db):
    org = make_org(db)
    person = make_person(db, "李明")
    row = membership.join(db.session, org, person, "invite", T0)
    assert (row.organisation_id, row.person_id, row.active, row.joined_via, row.joined_at) == (
        org.id, person.id, True, "invite", T0,
    )
    assert active_membership(db.session, org.id, person.id).id == row.id
    assert member_ids(db.session, org.id) == [person.id]
    assert joined_count(db.session, org.id) == 1


def test_join_twice_keeps_one_row(db):
    org = make_org(db)
    person = make_person(db)
    first = membership.join(db.session, org, person, "invite", T0)
    again = membership.join(db.session, org, person, "manual", T0 + timedelta(hours=1))
    assert again.id == first.id
    assert again.joined_via == "invite" and again.joined_at == T0
    assert db.session.scalar(select(func.count()).select_from(Membership)) == 1


def test_s9_leave_keeps_the_row_but_ends_membership(db):
    org = make_org(db, members=2)
    leaver, stayer = member_ids(db.session, org.id)
    row = active_membership(db.session, org.id, leaver)
    membership.leave(db.session, row, T0)
    db.session.flush()
    assert row.active is False and row.left_at == T0
    assert active_membership(db.session, org.id, leaver) is None
    assert member_ids(db.session, org.id) == [stayer]
    assert joined_count(db.session, org.id) == 1
    assert db.session.get(Membership, row.id) is not None


def test_s9_rejoin_reactivates_the_same_row(db):
    org = make_org(db)
    person = make_person(db)
    row = membership.join(db.session, org, person, "invite", T0)
    membership.leave(db.session, row, T0 + timedelta(days=1))
    again = membership.join(db.session, org, person, "manual", T0 + timedelta(days=2))
    assert again.id == row.id
    assert (again.active, again.joined_via, again.joined_at, again.left_at) == (
        True, "manual", T0 + timedelta(days=2), None,
    )
    assert member_ids(db.session, org.id) == [person.id]


def test_w5_leave_deactivates_proxy_bindings_of_that_org_only(db):
    here = make_org(db)
    elsewhere = make_org(db, make_school(db, "深圳市实验学校"))
    declarant, proxy_a, proxy_b = make_person(db, "李明"), make_person(db, "李父"), make_person(db, "李母")
    binding_here = bind(db, here, proxy_a, declarant)
    other_proxy_here = bind(db, here, proxy_b, declarant)
    binding_elsewhere = bind(db, elsewhere, proxy_a, declarant)
    membership.leave(db.session, active_membership(db.session, here.id, declarant.id), T0)
    db.session.flush()
    db.session.expire_all()
    assert binding_here.active is False
    assert other_proxy_here.active is False
    assert binding_elsewhere.active is True
    assert [b.organisation_id for b in declarant_list(db.session, proxy_a.id)] == [elsewhere.id]


def test_members_and_member_ids_in_joining_order(db):
    org = make_org(db)
    people = [make_person(db, name) for name in ("甲", "乙", "丙")]
    for p in reversed(people):
        membership.join(db.session, org, p, "invite", T0)
    expected = [p.id for p in reversed(people)]
    assert member_ids(db.session, org.id) == expected
    rows = membership.members(db.session, org.id)
    assert [m.person_id for m in rows] == expected
    assert [m.person.name for m in rows] == ["丙", "乙", "甲"]


def test_member_ids_are_per_organisation(db):
    school = make_school(db)
    first, second = make_org(db, school, members=3), make_org(db, school, members=1, name="高一(2)班")
    assert len(member_ids(db.session, first.id)) == 3
    assert len(member_ids(db.session, second.id)) == 1
    assert not set(member_ids(db.session, first.id)) & set(member_ids(db.session, second.id))
    assert joined_count(db.session, first.id) == 3 and joined_count(db.session, second.id) == 1


# --- S4: binding --------------------------------------------------------------------------


def test_s4_bind_proxy_binds_and_joins(db):
    org = make_org(db)
    proxy, declarant = make_person(db, "李父"), make_person(db, "李明")
    binding = bind_proxy(db.session, org, proxy, declarant, T0)
    db.session.flush()
    assert (binding.proxy_id, binding.declarant_id, binding.organisation_id, binding.active) == (
        proxy.id, declarant.id, org.id, True,
    )
    member = active_membership(db.session, org.id, declarant.id)
    assert member.joined_via == "proxy"
    assert active_membership(db.session, org.id, proxy.id) is None  # the proxy does not join


def test_s4_binding_again_is_idempotent(db):
    org = make_org(db)
    proxy, declarant = make_person(db), make_person(db)
    first = bind_proxy(db.session, org, proxy, declarant, T0)
    again = bind_proxy(db.session, org, proxy, declarant, T0)
    assert again.id == first.id
    assert len(bindings_of(db, declarant)) == 1


def test_s4_proxy_cannot_bind_self(db):
    org = make_org(db)
    person = make_person(db)
    with pytest.raises(MembershipError) as refused:
        bind_proxy(db.session, org, person, person, T0)
    assert "本人填报" in refused.value.message
    assert bindings_of(db, person) == []
    assert active_membership(db.session, org.id, person.id) is None


def test_s4_declarant_already_member_of_this_org_can_be_bound(db):
    org = make_org(db)
    declarant = make_person(db)
    membership.join(db.session, org, declarant, "invite", T0)
    bind_proxy(db.session, org, make_person(db), declarant, T0)
    assert active_membership(db.session, org.id, declarant.id).joined_via == "invite"


def test_s9_rebinding_after_leave_rejoins(db):
    org = make_org(db)
    proxy, declarant = make_person(db), make_person(db)
    first = bind_proxy(db.session, org, proxy, declarant, T0)
    membership.leave(db.session, active_membership(db.session, org.id, declarant.id), T0)
    db.session.flush()
    again = bind_proxy(db.session, org, proxy, declarant, T0 + timedelta(days=1))
    db.session.flush()
    assert again.id == first.id and again.active
    assert active_membership(db.session, org.id, declarant.id) is not None


# --- S6: at most two proxies --------------------------------------------------------------------


def test_s6_third_proxy_refused(db):
    org = make_org(db)
    declarant = make_person(db, "李明")
    first, second, third = (make_person(db, n) for n in ("李父", "李母", "李叔"))
    bind_proxy(db.session, org, first, declarant, T0)
    bind_proxy(db.session, org, second, declarant, T0)
    with pytest.raises(MembershipError) as refused:
        bind_proxy(db.session, org, third, declarant, T0)
    assert refused.value.message == PROXY_LIMIT
    assert "删除申报人" in PROXY_LIMIT and "2位代填人" in PROXY_LIMIT
    assert {b.proxy_id for b in bindings_of(db, declarant)} == {first.id, second.id}


def test_s6_an_existing_proxy_can_still_declare_at_the_limit(db):
    org = make_org(db)
    declarant = make_person(db)
    first, second = make_person(db), make_person(db)
    bind_proxy(db.session, org, first, declarant, T0)
    bind_proxy(db.session, org, second, declarant, T0)
    membership.check_can_bind(db.session, org, first, declarant)
    assert bind_proxy(db.session, org, second, declarant, T0).proxy_id == second.id


def test_s6_after_unbinding_a_third_proxy_can_bind(db):
    org = make_org(db)
    declarant = make_person(db)
    first, second, third = make_person(db), make_person(db), make_person(db)
    binding = bind_proxy(db.session, org, first, declarant, T0)
    bind_proxy(db.session, org, second, declarant, T0)
    binding.active = False  # 删除申报人 unbinds only
    db.session.flush()
    bind_proxy(db.session, org, third, declarant, T0)
    db.session.flush()
    active = {b.proxy_id for b in bindings_of(db, declarant) if b.active}
    assert active == {second.id, third.id}
    assert declarant_list(db.session, first.id) == []
    # the unbound declarant stays a member of the organisation (S5)
    assert active_membership(db.session, org.id, declarant.id) is not None


def test_s6_after_the_declarant_left_new_proxies_can_bind(db):
    org = make_org(db)
    declarant = make_person(db)
    bind(db, org, make_person(db), declarant)
    bind(db, org, make_person(db), declarant)
    membership.leave(db.session, active_membership(db.session, org.id, declarant.id), T0)
    db.session.flush()
    bind_proxy(db.session, org, make_person(db), declarant, T0)
    bind_proxy(db.session, org, make_person(db), declarant, T0)
    db.session.flush()
    assert sum(b.active for b in bindings_of(db, declarant)) == 2


# --- S10: another organisation of the same school ------------------------------------------------


def test_s10_member_of_another_org_of_the_same_school_refused(db):
    school = make_school(db)
    class_1, class_2 = make_org(db, school), make_org(db, school, name="高一(2)班")
    declarant = make_person(db, "李明")
    membership.join(db.session, class_1, declarant, "invite", T0)
    proxy = make_person(db, "李父")
    with pytest.raises(MembershipError) as refused:
        bind_proxy(db.session, class_2, proxy, declarant, T0)
    assert refused.value.message == OTHER_ORG == "该用户已经是其他组织的成员"
    assert refused.value.ways == OTHER_ORG_WAYS
    assert len(refused.value.ways) == 2
    assert "本人填报" in refused.value.ways[0] and "【代填报】" in refused.value.ways[1]
    assert active_membership(db.session, class_2.id, declarant.id) is None
    assert bindings_of(db, declarant) == []


def test_s10_other_school_is_fine(db):
    first = make_org(db, make_school(db, "广州市第一示范中学"))
    second = make_org(db, make_school(db, "广州市第二中学"))
    declarant = make_person(db)
    membership.join(db.session, first, declarant, "invite", T0)
    bind_proxy(db.session, second, make_person(db), declarant, T0)
    assert active_membership(db.session, second.id, declarant.id) is not None
    assert active_membership(db.session, first.id, declarant.id) is not None


def test_s10_former_member_of_another_org_is_fine(db):
    school = make_school(db)
    class_1, class_2 = make_org(db, school), make_org(db, school, name="高一(2)班")
    declarant = make_person(db)
    row = membership.join(db.session, class_1, declarant, "invite", T0)
    membership.leave(db.session, row, T0)
    db.session.flush()
    bind_proxy(db.session, class_2, make_person(db), declarant, T0)
    assert active_membership(db.session, class_2.id, declarant.id) is not None


# --- S5, S7: 申报人列表 -------------------------------------------------------------------------


def test_s5_s7_declarant_list_one_row_per_person_and_org(db):
    org_a = make_org(db, make_school(db, "甲校"), name="一班")
    org_b = make_org(db, make_school(db, "乙校"), name="二班")
    proxy, someone_else = make_person(db, "李父"), make_person(db, "王父")
    child_1, child_2 = make_person(db, "李明"), make_person(db, "李亮")
    bind(db, org_b, proxy, child_1)
    bind(db, org_a, proxy, child_2)
    bind(db, org_a, proxy, child_1)
    bind(db, org_a, someone_else, make_person(db, "王小"))
    rows = declarant_list(db.session, proxy.id)
    assert [(r.organisation.name, r.declarant.name) for r in rows] == [
        ("一班", "李亮"),
        ("一班", "李明"),
        ("二班", "李明"),
    ]


def test_s5_declarant_list_leaves_out_unbound(db):
    org = make_org(db)
    proxy = make_person(db)
    kept = bind(db, org, proxy, make_person(db, "留"))
    dropped = bind(db, org, proxy, make_person(db, "删"))
    dropped.active = False
    db.session.flush()
    assert [r.id for r in declarant_list(db.session, proxy.id)] == [kept.id]
    assert declarant_list(db.session, make_person(db).id) == []


# --- P10: a declarant's removal lasts; a proxy's own unbind does not (issue 8 item 2) ------------------


def removed_by_declarant(db, org, proxy, declarant) -> ProxyBinding:
    binding = bind(db, org, proxy, declarant)
    binding.active, binding.removed_by_declarant_at = False, T0
    db.session.flush()
    return binding


def test_p10_a_proxy_the_declarant_removed_cannot_bind_again(db):
    org = make_org(db)
    declarant, proxy = make_person(db, "李明"), make_person(db, "李父")
    binding = removed_by_declarant(db, org, proxy, declarant)
    with pytest.raises(MembershipError) as refused:
        bind_proxy(db.session, org, proxy, declarant, T0)
    assert refused.value.message == REMOVED_BY_DECLARANT
    assert "谁可以代我操作" in REMOVED_BY_DECLARANT and "重新允许" in REMOVED_BY_DECLARANT
    assert binding.active is False and binding.removed_by_declarant_at == T0


def test_p10_the_removal_covers_the_declarant_in_any_organisation(db):
    first = make_org(db, make_school(db, "广州市第一示范中学"))
    second = make_org(db, make_school(db, "广州市第二中学"))
    declarant, proxy = make_person(db), make_person(db)
    removed_by_declarant(db, first, proxy, declarant)
    with pytest.raises(MembershipError):
        membership.check_can_bind(db.session, second, proxy, declarant)
    bind_proxy(db.session, second, make_person(db), declarant, T0)  # other proxies are not concerned


def test_s5_the_proxys_own_unbind_lets_them_bind_again(db):
    org = make_org(db)
    declarant, proxy = make_person(db), make_person(db)
    binding = bind_proxy(db.session, org, proxy, declarant, T0)
    membership.unbind_by_proxy(binding)
    db.session.flush()
    assert binding.active is False and binding.removed_by_declarant_at is None
    assert bind_proxy(db.session, org, proxy, declarant, T0).id == binding.id and binding.active


def test_s6_removed_bindings_do_not_count_towards_the_limit(db):
    org = make_org(db)
    declarant = make_person(db)
    removed_by_declarant(db, org, make_person(db), declarant)
    removed_by_declarant(db, org, make_person(db), declarant)
    bind_proxy(db.session, org, make_person(db), declarant, T0)
    bind_proxy(db.session, org, make_person(db), declarant, T0)
    with pytest.raises(MembershipError) as refused:
        bind_proxy(db.session, org, make_person(db), declarant, T0)
    assert refused.value.message == PROXY_LIMIT


# --- claims: every refusal before a person is written (issue 8 items 1 and 3) ---------------------------


def people(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Person))


def lookups(db) -> int:
    return db.session.scalar(select(func.count()).select_from(RateEvent))


def test_s4_claim_declarant_refuses_a_known_person_before_writing_anything_else(db):
    org = make_org(db)
    declarant, proxy = make_person(db, "李明"), make_person(db, "李父")
    removed_by_declarant(db, org, proxy, declarant)
    before = people(db)
    with pytest.raises(MembershipError):
        membership.claim_declarant(db.session, org, proxy, make_identity("李明", "id_card", declarant.id_number),
                                   utc_now=T0, ip="10.0.0.9")
    assert people(db) == before and lookups(db) == 2


def test_s4_claim_declarant_makes_an_unknown_证件_an_unverified_person(db):
    org, proxy = make_org(db), make_person(db, "李父")
    before = people(db)
    claim = membership.claim_declarant(db.session, org, proxy, make_identity("李小明", "id_card", id_number()),
                                       utc_now=T0, ip="10.0.0.9")
    assert people(db) == before + 1 and claim.person.name_verified_at is None and lookups(db) == 2
    assert bindings_of(db, claim.person) == []  # bound at the confirm step only


def test_w3_claim_member_joins_with_the_collectors_typed_name_and_refuses_a_wrong_one(db):
    org, collector = make_org(db), make_person(db, "蒋小华")
    member = make_person(db, "李明")
    joined = membership.claim_member(db.session, org, collector.id, make_identity("李小明", "id_card", id_number()),
                                     "manual", utc_now=T0, ip="10.0.0.9")
    assert (joined.active, joined.joined_via, joined.typed_name) == (True, "manual", "李小明")
    before = people(db)
    with pytest.raises(IdentityMismatch):
        membership.claim_member(db.session, org, collector.id, make_identity("冒名者", "id_card", member.id_number),
                                "manual", utc_now=T0, ip="10.0.0.9")
    assert people(db) == before and active_membership(db.session, org.id, member.id) is None
    assert lookups(db) == 4

"""A declarant's removal of a 代填人 lasts (SPEC P10, S5, S6; issue 8 item 2, review finding).

谁可以代我操作 → 移除 used to deactivate the binding only: the removed proxy opened the invite card again,
typed the declarant's name + 证件 (代他人填报) and was bound again. Now the removal is kept on the binding,
the invite flow refuses that proxy with a message saying who can change it, and the declarant can
【重新允许】 them on the same screen (a confirm page, no JavaScript needed). The proxy's own 【删除申报人】 is
not a removal by the declarant: they may add the declarant again later, as before.
"""

from __future__ import annotations

import re

import pytest

from tests.blueprints.support import count, location, text
from tests.blueprints.test_query_counts import statements
from tests.factories import bind, make_org, make_person, make_school
from yks_web import clock
from yks_web.models import Membership, Organisation, Person, ProxyBinding
from yks_web.services import invites
from yks_web.services.membership import PROXY_LIMIT, REMOVED_BY_DECLARANT


def proxy_step(actions, scene, declarant, org_id=None, token=None):
    """代他人填报 step one: the declarant's name + 证件 from the organisation's invite card."""
    org_id, token = org_id or scene.org_id, token or scene.token
    return actions.post(f"/declare/org/{org_id}/proxy", {
        "t": token, "name": declarant.name, "id_type": "id_card", "id_number": declarant.id_number})


def confirm_step(actions, scene, org_id=None, token=None):
    return actions.post(f"/declare/org/{org_id or scene.org_id}/proxy/confirm", {"t": token or scene.token})


def binding_of(db, binding_id: int) -> ProxyBinding:
    db.session.expire_all()
    return db.session.get(ProxyBinding, binding_id)


@pytest.fixture
def removed(db, scene, client, actions):
    """黄恺 removed her father 黄伟斌 on 谁可以代我操作."""
    child = scene.members[0]
    father = make_person(db, "黄伟斌")
    binding = bind(db, scene.org, father, child)
    db.session.commit()
    actions.login(child)
    assert actions.post(f"/delegates/proxy/{binding.id}/remove").status_code == 303
    return child, father, binding


def test_p10_the_declarants_removal_is_recorded_on_the_binding(db, client, removed):
    _, _, binding = removed
    row = binding_of(db, binding.id)
    assert row.active is False and row.removed_by_declarant_at is not None
    assert "也不能通过邀请卡片重新添加您" in text(client.get("/delegates/"))


def test_p10_a_removed_proxy_cannot_bind_again_through_the_invite_card(db, client, actions, scene, removed):
    child, father, binding = removed
    actions.login(father)
    response = proxy_step(actions, scene, child)
    assert response.status_code == 200
    page = text(response)
    assert REMOVED_BY_DECLARANT in page and "个人中心 → 谁可以代我操作" in page and "重新允许" in page
    assert 'role="alert"' in page
    assert f'value="{child.name}"' in page  # nothing typed is lost beside the message
    assert confirm_step(actions, scene).status_code == 404  # step one bound nothing and kept nothing
    row = binding_of(db, binding.id)
    assert row.active is False and row.removed_by_declarant_at is not None
    assert count(db, ProxyBinding, ProxyBinding.proxy_id == father.id, ProxyBinding.active.is_(True)) == 0
    assert client.get(f"/declare/org/{scene.org_id}/person/{child.id}").status_code == 404


def test_p10_a_removal_between_the_two_steps_still_refuses_the_binding(db, client, actions, scene):
    """The proxy passed step one before the declarant removed them: 【下一步】 on the confirm page refuses."""
    child = scene.members[0]
    father = make_person(db, "黄伟斌")
    binding = bind(db, scene.org, father, child)
    db.session.commit()
    actions.login(father)
    assert proxy_step(actions, scene, child).status_code == 303
    with client.session_transaction() as session:
        pending = dict(session["pending_declarant"])
    actions.login(child)
    assert actions.post(f"/delegates/proxy/{binding.id}/remove").status_code == 303
    actions.login(father)
    with client.session_transaction() as session:
        session["pending_declarant"] = pending
    response = confirm_step(actions, scene)
    assert response.status_code == 200 and REMOVED_BY_DECLARANT in text(response)
    assert binding_of(db, binding.id).active is False


def test_p10_the_removal_holds_in_every_organisation(db, client, actions, scene, removed):
    """The declarant removed the person, not one class's card: another school's invite refuses them too."""
    child, father, _ = removed
    elsewhere = make_org(db, make_school(db, "广州市第二中学"), make_person(db, "王老师"), name="初一(3)班")
    token = invites.member_invite(db.session, org_id=elsewhere.id, school_id=elsewhere.school_id,
                                  creator_id=elsewhere.collector.person_id, utc_now=clock.utcnow()).token
    db.session.commit()
    actions.login(father)
    response = proxy_step(actions, scene, child, org_id=elsewhere.id, token=token)
    assert response.status_code == 200 and REMOVED_BY_DECLARANT in text(response)
    assert count(db, ProxyBinding, ProxyBinding.organisation_id == elsewhere.id) == 0
    assert count(db, Membership, Membership.organisation_id == elsewhere.id, Membership.person_id == child.id) == 0


def test_p10_the_declarant_sees_removed_proxies_and_allows_one_again_without_javascript(
        db, client, actions, scene, removed):
    child, father, binding = removed
    page = text(client.get("/delegates/"))
    assert "已移除的代填人" in page and "*伟斌" in page and "黄伟斌" not in page
    assert f'href="/delegates/proxy/{binding.id}/allow"' in page and "重新允许" in page
    confirm = text(client.get(f"/delegates/proxy/{binding.id}/allow"))
    assert "<h1>确认重新允许</h1>" in confirm and "确定重新允许代填人" in confirm and "*伟斌" in confirm
    assert re.search(rf'<form method="post" action="/delegates/proxy/{binding.id}/allow"', confirm)
    assert 'name="csrf_token"' in confirm and "hx-confirm" not in confirm
    assert binding_of(db, binding.id).removed_by_declarant_at is not None  # looking is not allowing

    response = actions.post(f"/delegates/proxy/{binding.id}/allow")
    assert response.status_code == 303 and location(response) == "/delegates/"
    page = text(client.get("/delegates/"))
    assert "已重新允许*伟斌" in page and "已移除的代填人" not in page
    row = binding_of(db, binding.id)
    assert row.removed_by_declarant_at is None and row.active is False  # allowed, not bound: the card binds

    actions.login(father)
    assert proxy_step(actions, scene, child).status_code == 303
    assert location(confirm_step(actions, scene)) == f"/declare/org/{scene.org_id}/person/{child.id}"
    assert binding_of(db, binding.id).active is True
    assert count(db, ProxyBinding) == 1  # the old row again, not a second one


def test_p10_removing_again_after_allowing_lasts_again(db, client, actions, scene, removed):
    child, father, binding = removed
    actions.post(f"/delegates/proxy/{binding.id}/allow")
    actions.login(father)
    proxy_step(actions, scene, child)
    confirm_step(actions, scene)
    actions.login(child)
    assert actions.post(f"/delegates/proxy/{binding.id}/remove").status_code == 303
    actions.login(father)
    assert REMOVED_BY_DECLARANT in text(proxy_step(actions, scene, child))


def test_s5_the_proxys_own_删除申报人_is_not_a_removal_they_may_bind_again(db, client, actions, scene):
    child = scene.members[0]
    father = make_person(db, "黄伟斌")
    binding = bind(db, scene.org, father, child)
    db.session.commit()
    actions.login(father)
    assert actions.post(f"/declare/binding/{binding.id}/remove").status_code == 303
    row = binding_of(db, binding.id)
    assert row.active is False and row.removed_by_declarant_at is None
    assert proxy_step(actions, scene, child).status_code == 303
    assert confirm_step(actions, scene).status_code == 303
    assert binding_of(db, binding.id).active is True
    actions.login(child)
    assert "已移除的代填人" not in text(client.get("/delegates/"))  # nothing for her to allow


def test_s6_the_limit_counts_only_active_bindings_not_removed_ones(db, client, actions, scene, removed):
    child, _, _ = removed
    mother, aunt, uncle = make_person(db, "陈丽"), make_person(db, "黄姨"), make_person(db, "舅舅")
    db.session.commit()
    for proxy in (mother, aunt):
        actions.login(proxy)
        assert proxy_step(actions, scene, child).status_code == 303
        assert confirm_step(actions, scene).status_code == 303
    actions.login(uncle)
    response = proxy_step(actions, scene, child)
    assert response.status_code == 200 and PROXY_LIMIT in text(response)
    assert count(db, ProxyBinding, ProxyBinding.declarant_id == child.id, ProxyBinding.active.is_(True)) == 2


# -- not yours: 404 ---------------------------------------------------------------------------------------------


def test_p7_allowing_again_is_only_for_the_declarant_who_removed(db, client, actions, scene, removed):
    child, father, binding = removed
    active = bind(db, scene.org, make_person(db, "陈丽"), child)  # an active binding is nothing to allow
    stranger = make_person(db, "路人")
    db.session.commit()
    assert client.get(f"/delegates/proxy/{active.id}/allow").status_code == 404
    assert actions.post(f"/delegates/proxy/{active.id}/allow").status_code == 404
    for person in (father, stranger):  # not even the removed proxy themself
        actions.login(person)
        assert client.get(f"/delegates/proxy/{binding.id}/allow").status_code == 404
        assert actions.post(f"/delegates/proxy/{binding.id}/allow").status_code == 404
    assert binding_of(db, binding.id).removed_by_declarant_at is not None


@pytest.mark.parametrize("raw", ["999999", "abc", "-1", "99999999999"])
def test_q2_unknown_ids_to_allow_are_404(client, actions, removed, raw):
    assert client.get(f"/delegates/proxy/{raw}/allow").status_code == 404
    # A number no id can hold matches no rule at all, GET or POST: 404 (the bound is in the converter's regex).
    assert actions.post(f"/delegates/proxy/{raw}/allow").status_code == 404


def test_q2_allowing_again_needs_the_csrf_token(db, client, removed):
    _, _, binding = removed
    assert client.post(f"/delegates/proxy/{binding.id}/allow").status_code == 400
    assert binding_of(db, binding.id).removed_by_declarant_at is not None


def test_i4_allowing_again_needs_a_login(client, actions, removed):
    _, _, binding = removed
    actions.logout()
    assert client.get(f"/delegates/proxy/{binding.id}/allow").status_code == 302


def test_the_confirm_page_is_a_whole_page_or_a_fragment(client, removed):
    _, _, binding = removed
    url = f"/delegates/proxy/{binding.id}/allow"
    page = text(client.get(url))
    assert page.startswith("<!doctype html>") and "</html>" in page
    fragment = text(client.get(url, headers={"HX-Request": "true"}))
    assert "<html" not in fragment and fragment.count('<main id="screen"') == 1 and "<h1>确认重新允许</h1>" in fragment


def test_q3_the_removed_list_costs_the_same_queries_whatever_its_length(db, client, scene, removed):
    child_id, org_id = removed[0].id, scene.org_id
    when = binding_of(db, removed[2].id).removed_by_declarant_at

    def remove_one_more(name: str, org_id: int) -> None:
        """statements() starts a fresh session, as a new request would: load by id each time."""
        org, child = db.session.get(Organisation, org_id), db.session.get(Person, child_id)
        extra = bind(db, org, make_person(db, name), child)
        extra.active, extra.removed_by_declarant_at = False, when
        db.session.commit()

    remove_one_more("陈丽", org_id)
    few = len(statements(db, client, child_id, "/delegates/"))
    remove_one_more("黄姨", org_id)
    other = make_org(db, make_school(db, "广州市第二中学"), make_person(db, "王老师"))
    remove_one_more("舅舅", other.id)
    assert len(statements(db, client, child_id, "/delegates/")) == few
    page = text(client.get("/delegates/"))
    assert "*姨" in page and "广州市第二中学" in page and page.count("重新允许<span") == 4

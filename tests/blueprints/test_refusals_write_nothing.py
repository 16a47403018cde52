"""A refused or invalid identity step writes nothing but the look-up count (issue 8 items 1 and 3, review finding;
SPEC S4, S6, S10, W3, W7, I1a).

代他人填报 used to claim the typed 证件 (an unknown one becomes an unverified Person) and only then check S6 and
S10, committing both: a refusal could leave a person behind. Now the checks run against the known person
first (an unknown 证件 is over no limit), so each refusal below leaves the Person, Membership and
ProxyBinding counts as they were, while the counted look-up (one RateEvent per account and per address)
stays: the refused answer was still an answer. The collector's 手动添加 and 代他人申报 are held to the same.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.blueprints.support import TODAY, count, location, text
from tests.factories import bind, id_number, make_org, make_person
from yks_web import clock
from yks_web.models import Membership, Person, ProxyBinding
from yks_web.models.security import RateEvent
from yks_web.services.identity import LOOKUP_TOO_MANY, LOOKUPS_PER_ACCOUNT, IdentityMismatch
from yks_web.services.membership import OTHER_ORG, PROXY_LIMIT, REMOVED_BY_DECLARANT, join
from yks_web.services.rate_limits import hit

WRONG = "冒名者"
LOOKUP = 2  # one RateEvent per account and one per address


def rows(db) -> tuple[int, int, int]:
    db.session.expire_all()
    return count(db, Person), count(db, Membership), count(db, ProxyBinding)


def identity(name: str, number: str, id_type: str = "id_card") -> dict:
    return {"name": name, "id_type": id_type, "id_number": number}


def use_up_lookups(db, person: Person) -> None:
    """The account has looked up LOOKUPS_PER_ACCOUNT identities within the hour."""
    for _ in range(LOOKUPS_PER_ACCOUNT.count):
        hit(db.session, LOOKUPS_PER_ACCOUNT, [f"person:{person.id}"], clock.utcnow())
    db.session.commit()


# -- 代他人填报 step one (S4) ----------------------------------------------------------------------------------


def proxy_post(actions, scene, data: dict):
    return actions.post(f"/declare/org/{scene.org_id}/proxy", {"t": scene.token, **data})


@pytest.fixture
def proxy(db):
    person = make_person(db, "黄伟斌")
    db.session.commit()
    return person


def refused_as_proxy(db, actions, scene, proxy, data: dict, message: str) -> None:
    """Post step one as `proxy`; it is refused with `message`, writes no row and counts the look-up."""
    before, events = rows(db), count(db, RateEvent)
    actions.login(proxy)
    response = proxy_post(actions, scene, data)
    assert response.status_code == 200 and message in text(response)
    assert rows(db) == before
    assert count(db, RateEvent) == events + LOOKUP


def test_s10_refusal_leaves_no_person_and_counts_the_look_up(db, actions, scene, proxy):
    other = make_org(db, scene.school, make_person(db, "王老师"), members=1, name="高一(2)班")
    person = db.session.scalar(select(Membership).where(Membership.organisation_id == other.id)).person
    db.session.commit()
    refused_as_proxy(db, actions, scene, proxy, identity(person.name, person.id_number), OTHER_ORG)


def test_s10_refusal_under_a_name_of_the_proxys_own_leaves_no_person(db, actions, scene, proxy):
    """An unverified member typed under another name: still the known person, refused, nothing new."""
    other = make_org(db, scene.school, make_person(db, "王老师"), name="高一(2)班")
    number = id_number()
    unverified = make_person(db, "李同学", number, verified=False)
    join(db.session, other, unverified, "manual", clock.utcnow())
    db.session.commit()
    refused_as_proxy(db, actions, scene, proxy, identity("李童鞋", number), OTHER_ORG)


def test_s6_refusal_leaves_no_person_and_counts_the_look_up(db, actions, scene, proxy):
    child = scene.members[0]
    bind(db, scene.org, make_person(db, "父亲"), child)
    bind(db, scene.org, make_person(db, "母亲"), child)
    db.session.commit()
    refused_as_proxy(db, actions, scene, proxy, identity(child.name, child.id_number), PROXY_LIMIT)


def test_p10_a_declarants_removal_refuses_without_writing(db, actions, scene, proxy):
    child = scene.members[0]
    binding = bind(db, scene.org, proxy, child)
    binding.active, binding.removed_by_declarant_at = False, clock.utcnow()
    db.session.commit()
    refused_as_proxy(db, actions, scene, proxy, identity(child.name, child.id_number), REMOVED_BY_DECLARANT)


def test_s4_ones_own_证件_is_refused_without_writing(db, actions, scene, proxy):
    refused_as_proxy(db, actions, scene, proxy, identity(proxy.name, proxy.id_number), "不能为本人代填报")


def test_i1a_a_verified_person_under_another_name_is_refused_without_writing(db, actions, scene, proxy):
    child = scene.members[0]
    refused_as_proxy(db, actions, scene, proxy, identity(WRONG, child.id_number), IdentityMismatch.message)


def test_i1a_the_name_is_checked_before_the_limits_so_they_tell_nothing(db, actions, scene, proxy):
    """A wrong name for a member of another class gets the mismatch, not S10's "member elsewhere" answer."""
    other = make_org(db, scene.school, make_person(db, "王老师"), members=1, name="高一(2)班")
    number = db.session.scalar(select(Membership).where(Membership.organisation_id == other.id)).person.id_number
    db.session.commit()
    refused_as_proxy(db, actions, scene, proxy, identity(WRONG, number), IdentityMismatch.message)
    assert OTHER_ORG not in text(proxy_post(actions, scene, identity(WRONG, number)))


def test_item3_over_the_look_up_limit_nothing_is_written_not_even_for_an_unknown_证件(db, actions, scene, proxy):
    use_up_lookups(db, proxy)
    before, events = rows(db), count(db, RateEvent)
    actions.login(proxy)
    response = proxy_post(actions, scene, identity("黄小明", id_number()))
    assert response.status_code == 200 and LOOKUP_TOO_MANY in text(response)
    assert rows(db) == before and count(db, RateEvent) == events  # a refused attempt is not recorded


@pytest.mark.parametrize("data", [
    identity("黄小明", "440106200001010001"),  # wrong check digit
    identity("黄\u202e小明", id_number()),  # a bidi override
    identity("", id_number()),
    identity("黄小明", id_number(), id_type="unknown"),
])
def test_i2_an_invalid_form_writes_nothing_and_counts_nothing(db, actions, scene, proxy, data):
    before, events = rows(db), count(db, RateEvent)
    actions.login(proxy)
    response = proxy_post(actions, scene, data)
    assert response.status_code == 200 and 'aria-invalid="true"' in text(response)
    assert rows(db) == before and count(db, RateEvent) == events


def test_s4_an_unknown_证件_is_claimed_once_when_nothing_refuses(db, client, actions, scene, proxy):
    """The control: the same step with nothing to refuse writes the unverified person and counts the look-up."""
    before, events = rows(db), count(db, RateEvent)
    actions.login(proxy)
    response = proxy_post(actions, scene, identity("黄小明", id_number()))
    assert response.status_code == 303
    assert rows(db) == (before[0] + 1, before[1], before[2])  # bound only at the confirm step
    assert count(db, RateEvent) == events + LOOKUP


def test_s6_a_refusal_at_the_confirm_step_writes_nothing(db, client, actions, scene, proxy):
    """Two other proxies bound the declarant between the two steps: 【下一步】 refuses and rolls back."""
    child = scene.members[0]
    actions.login(proxy)
    assert proxy_post(actions, scene, identity(child.name, child.id_number)).status_code == 303
    bind(db, scene.org, make_person(db, "父亲"), child)
    bind(db, scene.org, make_person(db, "母亲"), child)
    db.session.commit()
    before = rows(db)
    response = actions.post(f"/declare/org/{scene.org_id}/proxy/confirm", {"t": scene.token})
    assert response.status_code == 200 and PROXY_LIMIT in text(response)
    assert rows(db) == before


# -- the collector: 手动添加 (W3) and 代他人申报 (W7) -------------------------------------------------------------

COLLECTOR_FORMS = {
    "手动添加": "/workbench/members/add",
    "代他人申报": f"/workbench/day/{TODAY.isoformat()}/proxy-new",
}


@pytest.mark.parametrize("url", COLLECTOR_FORMS.values(), ids=COLLECTOR_FORMS.keys())
def test_i1a_the_collectors_wrong_name_is_refused_without_writing(db, actions, scene, url):
    member = scene.members[0]
    before, events = rows(db), count(db, RateEvent)
    actions.login(scene.collector)
    response = actions.post(url, identity(WRONG, member.id_number))
    assert response.status_code == 200 and IdentityMismatch.message in text(response)
    assert f'value="{WRONG}"' in text(response)  # nothing typed is lost
    assert rows(db) == before and count(db, RateEvent) == events + LOOKUP


@pytest.mark.parametrize("url", COLLECTOR_FORMS.values(), ids=COLLECTOR_FORMS.keys())
def test_item3_the_collector_over_the_limit_writes_nothing(db, actions, scene, url):
    use_up_lookups(db, scene.collector)
    before, events = rows(db), count(db, RateEvent)
    actions.login(scene.collector)
    response = actions.post(url, identity("新同学", id_number()))
    assert response.status_code == 200 and LOOKUP_TOO_MANY in text(response)
    assert rows(db) == before and count(db, RateEvent) == events


@pytest.mark.parametrize("url", COLLECTOR_FORMS.values(), ids=COLLECTOR_FORMS.keys())
@pytest.mark.parametrize("data", [identity("新同学", "440106200001010001"), identity("新\u200b同学", id_number())])
def test_i2_the_collectors_invalid_form_writes_nothing(db, actions, scene, url, data):
    before, events = rows(db), count(db, RateEvent)
    actions.login(scene.collector)
    response = actions.post(url, data)
    assert response.status_code == 200 and 'aria-invalid="true"' in text(response)
    assert rows(db) == before and count(db, RateEvent) == events


@pytest.mark.parametrize("url", COLLECTOR_FORMS.values(), ids=COLLECTOR_FORMS.keys())
def test_w3_w7_the_control_an_unknown_证件_joins_once(db, actions, scene, url):
    before, events = rows(db), count(db, RateEvent)
    actions.login(scene.collector)
    response = actions.post(url, identity("新同学", id_number()))
    assert response.status_code == 303 and location(response)
    assert rows(db) == (before[0] + 1, before[1] + 1, before[2])
    assert count(db, RateEvent) == events + LOOKUP

"""Consent to be a 家庭成员, 谁可以代我操作 and 代申报通知, without HTTP (SPEC I7, P10, I5; issue 8 item 2)."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import event, func, select

from tests.factories import answers, bind, id_number, make_org, make_person
from tests.family_helpers import FakeVerifier, make_family_link
from yks_web.clock import TZ
from yks_web.models import FamilyMember, Person, ProxyBinding
from yks_web.models.consent import DeclarationNotice, FamilyConsentCode
from yks_web.services import consent, declarations, family, membership, notices, personal
from yks_web.services.consent import ConsentError
from yks_web.services.family import FamilyError
from yks_web.services.identity import make_identity
from yks_web.services.rate_limits import RateLimited
from yks_web.services.realname import NOT_GUARDIAN
from yks_web.services.sms import RecordingSender

T0 = datetime(2026, 11, 20, 1, 0)  # naive UTC: 09:00 in Shanghai
TODAY = date(2026, 11, 20)
BIRTH_CERT = "O440012345"
PHONE = "13800000019"


def add(db, owner, verifier, *, name="黄爷爷", id_type="id_card", number=None, relation="父母", at=T0):
    return family.add(db.session, owner, make_identity(name, id_type, number or id_number()), relation,
                      verifier=verifier, today=TODAY, utc_now=at)


def refused(db, owner, verifier, **kw) -> str:
    with pytest.raises(FamilyError) as excinfo:
        add(db, owner, verifier, **kw)
    return excinfo.value.message


def total(db, model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


# -- a minor: the guardian check (I7) ------------------------------------------------------------------------------


def test_i7_a_guardian_adds_a_minor_at_once(db):
    mother = make_person(db, "陈丽")
    number = id_number()
    verifier = FakeVerifier().minor(number).guardian(mother, number)
    row = add(db, mother, verifier, name="陈小宝", number=number, relation="子女")
    assert (row.status, row.consent, row.consented_at, row.active) == ("active", "guardian", T0, True)
    assert family.may_show(db.session, mother.id, row.member_id)


def test_i7_a_parent_on_the_birth_certificate_adds_the_minor(db):
    mother = make_person(db, "陈丽")
    verifier = FakeVerifier().guardian(mother, make_identity("陈小宝", "birth_cert", BIRTH_CERT))
    row = add(db, mother, verifier, name="陈小宝", id_type="birth_cert", number=BIRTH_CERT, relation="子女")
    assert (row.status, row.consent) == ("active", "guardian")


@pytest.mark.parametrize("id_type", ["id_card", "birth_cert"])
def test_i7_someone_who_is_not_the_guardian_cannot_add_a_minor(db, id_type):
    stranger = make_person(db, "路人")
    number = BIRTH_CERT if id_type == "birth_cert" else id_number()
    verifier = FakeVerifier().minor(number) if id_type == "id_card" else FakeVerifier()
    people = total(db, Person)
    message = refused(db, stranger, verifier, name="陈小宝", id_type=id_type, number=number, relation="子女")
    assert message == NOT_GUARDIAN
    assert "监护关系" in message and "出生医学证明" in message
    assert total(db, FamilyMember) == 0 and total(db, Person) == people  # no person created under a typed name


def test_i7_a_minor_is_never_added_by_household_alone(db):
    uncle = make_person(db, "陈舅舅")
    number = id_number()
    verifier = FakeVerifier().minor(number).household(uncle, number)
    assert refused(db, uncle, verifier, name="陈小宝", number=number, relation="其他") == NOT_GUARDIAN


# -- an adult: consent, or the household check for an elder without a phone --------------------------------------


def test_i7_an_elder_without_a_phone_in_the_owners_household_is_added_at_once(db):
    son = make_person(db, "黄伟斌")
    number = id_number()
    row = add(db, son, FakeVerifier().household(son, number), number=number)
    assert (row.status, row.consent, row.consented_at) == ("active", "household", T0)
    assert family.may_show(db.session, son.id, row.member_id)


def test_i7_an_elder_without_a_phone_outside_the_household_waits(db):
    stranger = make_person(db, "路人")
    row = add(db, stranger, FakeVerifier())
    assert (row.status, row.consent, row.consented_at) == ("pending", "", None)
    assert not family.may_show(db.session, stranger.id, row.member_id)


def test_i7_an_adult_with_a_verified_phone_must_consent_even_in_the_household(db):
    son = make_person(db, "黄伟斌")
    father = make_person(db, "黄爷爷", phone=PHONE)
    verifier = FakeVerifier().household(son, father)
    row = add(db, son, verifier, number=father.id_number)
    assert row.status == "pending"
    assert "same_household" not in verifier.asked  # the household check is only for those without a phone


def test_i7_an_adult_whose_phone_only_the_source_holds_must_consent_even_in_the_household(db):
    """Never logged in here, but the real-name source holds a phone: the household is no shortcut (review)."""
    son = make_person(db, "黄伟斌")
    number = id_number()
    verifier = FakeVerifier().household(son, number).with_phone(number)
    row = add(db, son, verifier, number=number)
    assert (row.status, row.consent) == ("pending", "")
    assert not family.may_show(db.session, son.id, row.member_id)
    assert "same_household" not in verifier.asked


def test_i7_a_pending_link_gives_no_access_and_is_not_a_member_yet(db):
    stranger = make_person(db, "路人")
    victim = make_person(db, "黄恺", phone=PHONE)
    row = add(db, stranger, FakeVerifier(), name="黄恺", number=victim.id_number, relation="其他")
    assert not family.may_show(db.session, stranger.id, victim.id)
    assert family.members(db.session, stranger.id) == []  # the code switcher does not offer them
    assert [r.id for r in family.links(db.session, stranger.id)] == [row.id]  # 管理家庭成员 shows the request


def test_i7_asking_again_while_pending_is_refused(db):
    owner = make_person(db, "陈丽")
    adult = make_person(db, "陈大伯", phone=PHONE)
    add(db, owner, FakeVerifier(), name="陈大伯", number=adult.id_number)
    message = refused(db, owner, FakeVerifier(), name="陈大伯", number=adult.id_number)
    assert message == "已向陈大伯发出添加请求，正在等待对方同意"
    assert total(db, FamilyMember) == 1


def test_i7_a_removed_adult_added_again_must_consent_again(db):
    owner = make_person(db, "陈丽")
    adult = make_person(db, "陈大伯", phone=PHONE)
    row = make_family_link(db, owner, adult, "其他", consent="sms")
    family.remove(db.session, owner.id, row.id)
    again = add(db, owner, FakeVerifier(), name="陈大伯", number=adult.id_number)
    assert again.id == row.id
    assert (again.active, again.status, again.consent, again.consented_at) == (True, "pending", "", None)
    assert not family.may_show(db.session, owner.id, adult.id)


# -- the one-time code to the adult's verified phone --------------------------------------------------------------


@pytest.fixture
def pending(db):
    owner = make_person(db, "陈丽")
    adult = make_person(db, "陈大伯", phone=PHONE)
    row = add(db, owner, FakeVerifier(), name="陈大伯", number=adult.id_number, relation="其他")
    return row


def test_i7_the_code_goes_to_the_phone_the_adult_verified_and_is_stored_hashed(db, pending):
    sender = RecordingSender()
    sent = consent.send_code(db.session, sender, pending, T0)
    assert [to for to, _ in sender.outbox] == [PHONE]
    code = sender.last_code(PHONE)
    assert len(code) == 6 and code.isdigit()
    assert sent.code_hash and code not in sent.code_hash
    assert sent.expires_at == T0 + timedelta(minutes=5)


def test_i7_the_message_names_who_asks_masked_and_what_the_code_agrees_to(db, pending):
    sender = RecordingSender()
    consent.send_code(db.session, sender, pending, T0)
    [(to, text)] = sender.texts
    assert to == PHONE
    assert text.startswith("*丽申请将您添加为粤康码家庭成员，验证码" + sender.last_code(PHONE))
    assert "陈丽" not in text


def test_i7_the_right_code_makes_the_link_active(db, pending):
    sender = RecordingSender()
    consent.send_code(db.session, sender, pending, T0)
    row = consent.confirm_code(db.session, pending, sender.last_code(PHONE), T0 + timedelta(minutes=1))
    assert (row.status, row.consent, row.consented_at) == ("active", "sms", T0 + timedelta(minutes=1))
    assert family.may_show(db.session, pending.owner_id, pending.member_id)
    with pytest.raises(ConsentError, match="已处理"):
        consent.confirm_code(db.session, pending, sender.last_code(PHONE), T0)


def test_i7_a_wrong_code_counts_down_five_tries(db, pending):
    sender = RecordingSender()
    consent.send_code(db.session, sender, pending, T0)
    good = sender.last_code(PHONE)
    bad = "000000" if good != "000000" else "111111"
    messages = []
    for _ in range(5):
        with pytest.raises(ConsentError) as excinfo:
            consent.confirm_code(db.session, pending, bad, T0)
        messages.append(excinfo.value.message)
    assert messages == ["验证码错误，还可尝试4次", "验证码错误，还可尝试3次", "验证码错误，还可尝试2次",
                        "验证码错误，还可尝试1次", "验证码错误次数过多，请重新获取"]
    with pytest.raises(ConsentError, match="错误次数过多"):
        consent.confirm_code(db.session, pending, good, T0)  # even the right one, after 5 tries
    assert pending.status == "pending"


def test_i7_an_expired_code_and_no_code_are_refused(db, pending):
    with pytest.raises(ConsentError, match="请先获取验证码"):
        consent.confirm_code(db.session, pending, "123456", T0)
    sender = RecordingSender()
    consent.send_code(db.session, sender, pending, T0)
    with pytest.raises(ConsentError, match="验证码已过期"):
        consent.confirm_code(db.session, pending, sender.last_code(PHONE), T0 + timedelta(minutes=5, seconds=1))
    assert pending.status == "pending"


def test_i7_only_the_latest_code_counts(db, pending):
    sender = RecordingSender()
    consent.send_code(db.session, sender, pending, T0)
    first = sender.last_code(PHONE)
    consent.send_code(db.session, sender, pending, T0 + timedelta(seconds=61))
    second = sender.last_code(PHONE)
    if first != second:
        with pytest.raises(ConsentError):
            consent.confirm_code(db.session, pending, first, T0 + timedelta(seconds=62))
    assert consent.confirm_code(db.session, pending, second, T0 + timedelta(seconds=62)).status == "active"


def test_i7_no_code_for_an_adult_who_has_no_verified_phone_and_no_sign_of_it(db):
    """Never logged in: nothing is sent (they agree on their own login), but the request is counted like a
    real send, so the owner cannot tell the two apart by the limits either (review finding)."""
    owner = make_person(db, "陈丽")
    row = add(db, owner, FakeVerifier())
    sender = RecordingSender()
    assert consent.send_code(db.session, sender, row, T0) is None
    assert sender.outbox == []
    with pytest.raises(RateLimited, match="1分钟"):
        consent.send_code(db.session, sender, row, T0 + timedelta(seconds=30))


def test_i7_codes_are_limited_per_phone_and_per_owner(db, pending):
    sender = RecordingSender()
    consent.send_code(db.session, sender, pending, T0)
    with pytest.raises(RateLimited, match="1分钟"):
        consent.send_code(db.session, sender, pending, T0 + timedelta(seconds=30))
    for minute in range(1, 5):
        consent.send_code(db.session, sender, pending, T0 + timedelta(minutes=minute))
    with pytest.raises(RateLimited, match="1小时"):
        consent.send_code(db.session, sender, pending, T0 + timedelta(minutes=6))
    assert len(sender.outbox) == 5
    assert total(db, FamilyConsentCode) == 5


def test_i7_codes_are_counted_per_owner_and_only_capped_per_phone(db, pending):
    """Review finding: one stranger no longer uses up an adult's codes (5 an hour per owner); the phone's cap
    of 20 an hour stops SMS bombing, and past it the adult can still 【同意】 on their own login."""
    sender = RecordingSender()
    adult = pending.member
    for i in range(4):  # four strangers, five codes each, all in the same hour: the first ones were all sent
        stranger = make_person(db, f"路人{'甲乙丙丁'[i]}")
        row = add(db, stranger, FakeVerifier(), name=adult.name, number=adult.id_number, relation="其他")
        for minute in range(5):
            consent.send_code(db.session, sender, row, T0 + timedelta(minutes=minute))
    with pytest.raises(RateLimited, match="1小时"):  # 20 an hour for one phone, whoever asks
        consent.send_code(db.session, sender, pending, T0 + timedelta(minutes=6))
    assert len(sender.outbox) == 20
    consent.send_code(db.session, sender, pending, T0 + timedelta(minutes=61))  # the family's own, next hour


def test_i7_no_code_once_the_link_is_settled(db, pending):
    consent.accept(db.session, pending.member_id, pending.id, T0)
    with pytest.raises(ConsentError, match="已处理"):
        consent.send_code(db.session, RecordingSender(), pending, T0)


# -- the adult's own login: 【同意】 / 【拒绝】 ---------------------------------------------------------------------


def test_i7_the_adult_sees_the_request_and_agrees(db, pending):
    assert [r.id for r in consent.requests_for(db.session, pending.member_id)] == [pending.id]
    assert consent.requests_for(db.session, pending.owner_id) == []
    row = consent.accept(db.session, pending.member_id, pending.id, T0)
    assert (row.status, row.consent, row.consented_at) == ("active", "login", T0)
    assert family.may_show(db.session, pending.owner_id, pending.member_id)
    assert consent.requests_for(db.session, pending.member_id) == []


def test_i7_the_adult_refuses_and_nothing_is_shown(db, pending):
    row = consent.refuse(db.session, pending.member_id, pending.id)
    assert (row.status, row.active) == ("refused", False)
    assert not family.may_show(db.session, pending.owner_id, pending.member_id)
    assert family.links(db.session, pending.owner_id) == []
    assert consent.accept(db.session, pending.member_id, pending.id, T0) is None  # settled


def test_p7_only_the_member_answers_their_request(db, pending):
    other = make_person(db, "路人")
    assert consent.accept(db.session, other.id, pending.id, T0) is None
    assert consent.accept(db.session, pending.owner_id, pending.id, T0) is None  # not the owner either
    assert consent.refuse(db.session, other.id, pending.id) is None
    assert consent.accept(db.session, pending.member_id, 999_999, T0) is None
    assert pending.status == "pending"


# -- 谁可以代我操作 (P10) --------------------------------------------------------------------------------------------


def test_p10_delegates_lists_family_owners_and_proxies_with_their_organisation(db):
    child = make_person(db, "黄恺")
    mother, father, pending_owner, gone = (make_person(db, n) for n in ("陈丽", "黄伟斌", "路人", "前任"))
    a = make_family_link(db, mother, child)
    b = make_family_link(db, father, child)
    make_family_link(db, pending_owner, child, consented=False)
    family.remove(db.session, gone.id, make_family_link(db, gone, child).id)
    make_family_link(db, child, mother, "父母")  # the other direction: I act for her, not she for me
    org = make_org(db, members=0, name="高一(1)班")
    binding = bind(db, org, father, child)
    delegates = consent.delegates(db.session, child.id)
    assert [r.id for r in delegates.family] == [a.id, b.id]
    assert [r.owner.name for r in delegates.family] == ["陈丽", "黄伟斌"]
    assert [(p.binding.id, p.proxy.name, p.binding.organisation.name, p.binding.organisation.school.name)
            for p in delegates.proxies] == [(binding.id, "黄伟斌", "高一(1)班", "广州市第一示范中学")]


def test_p10_delegates_takes_three_queries_whatever_their_number(db):
    child = make_person(db, "黄恺")
    org = make_org(db, members=0)
    for i in range(6):
        make_family_link(db, make_person(db, f"家人{i}"), child)
        if i < 2:
            bind(db, org, make_person(db, f"代填{i}"), child)
        if i < 4:  # removed 代填人 (issue 8 item 2): listed for 【重新允许】 in the same screen
            removed = bind(db, org, make_person(db, f"已移除{i}"), child)
            removed.active, removed.removed_by_declarant_at = False, T0
    child_id = child.id
    db.session.expire_all()
    seen = []
    listener = lambda *args: seen.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        delegates = consent.delegates(db.session, child_id)
        names = [r.owner.name for r in delegates.family]
        names += [p.binding.organisation.school.name for p in delegates.proxies]
        names += [r.proxy.name + r.organisations[0].school.name for r in delegates.removed]
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert len(names) == 12 and len(seen) == 3


def test_p10_the_member_removes_a_family_owner(db):
    child, mother = make_person(db, "黄恺"), make_person(db, "陈丽")
    row = make_family_link(db, mother, child)
    assert consent.remove_family_owner(db.session, mother.id, row.id) is None  # not the member
    assert consent.remove_family_owner(db.session, child.id, row.id) is row
    assert row.active is False
    assert not family.may_show(db.session, mother.id, child.id)
    assert consent.delegates(db.session, child.id).family == []
    assert consent.remove_family_owner(db.session, child.id, row.id) is None  # twice


def test_p10_the_declarant_removes_a_proxy(db):
    child, father, other = make_person(db, "黄恺"), make_person(db, "黄伟斌"), make_person(db, "路人")
    org = make_org(db, members=0)
    binding = bind(db, org, father, child)
    assert consent.remove_proxy(db.session, other.id, binding.id, T0) is None
    assert consent.remove_proxy(db.session, father.id, binding.id, T0) is None  # the proxy uses 删除申报人 instead
    assert consent.remove_proxy(db.session, child.id, binding.id, T0) is binding
    assert binding.active is False and binding.removed_by_declarant_at == T0  # it lasts (issue 8 item 2)
    assert consent.delegates(db.session, child.id).proxies == []
    assert membership.active_membership(db.session, org.id, child.id) is not None  # still a member
    assert total(db, ProxyBinding, ProxyBinding.active.is_(True)) == 0


def test_p10_the_declarant_allows_a_removed_proxy_again(db):
    child, father, other = make_person(db, "黄恺"), make_person(db, "黄伟斌"), make_person(db, "路人")
    first, second = make_org(db, members=0), make_org(db, members=0)
    bindings = [bind(db, org, father, child) for org in (first, second)]
    for row in bindings:
        consent.remove_proxy(db.session, child.id, row.id, T0)
    [removed] = consent.delegates(db.session, child.id).removed  # one row per person, every organisation
    assert removed.proxy.id == father.id and {o.id for o in removed.organisations} == {first.id, second.id}
    assert consent.allow_proxy_again(db.session, other.id, removed.binding.id) is None
    assert consent.allow_proxy_again(db.session, father.id, removed.binding.id) is None  # not the proxy's to lift
    assert consent.allow_proxy_again(db.session, child.id, removed.binding.id) is removed.binding
    assert [(b.active, b.removed_by_declarant_at) for b in bindings] == [(False, None), (False, None)]
    assert consent.delegates(db.session, child.id).removed == []
    assert consent.allow_proxy_again(db.session, child.id, removed.binding.id) is None  # nothing left to allow
    assert not membership.removed_by_declarant(db.session, father.id, child.id)


# -- 代申报通知 (P10) -------------------------------------------------------------------------------------------------

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=TZ)


def school_submit(db, org, person, actor, source):
    return declarations.submit(
        db.session, org_id=org.id, person_id=person.id, actor_id=actor.id, day=TODAY, answers=answers(),
        source=source, form_key=uuid.uuid4().hex, now=NOW, utc_now=T0,
    )


def notices_of(db, person) -> list[tuple]:
    return [(n.actor_id, n.kind, n.source, n.organisation_id, n.day) for n in notices.latest(db.session, person.id)]


def test_p10_a_members_own_declaration_writes_no_notice(db):
    org = make_org(db, members=1)
    member = membership.members(db.session, org.id)[0].person
    school_submit(db, org, member, member, "self")
    assert total(db, DeclarationNotice) == 0


@pytest.mark.parametrize("source", ["proxy", "collector"])
def test_p10_someone_else_declaring_for_a_member_writes_a_notice(db, source):
    org = make_org(db, members=1)
    member = membership.members(db.session, org.id)[0].person
    actor = make_person(db, "黄伟斌") if source == "proxy" else org.collector.person
    if source == "proxy":
        bind(db, org, actor, member)  # a 代填人 declares only through a live binding (P7)
    school_submit(db, org, member, actor, source)
    assert notices_of(db, member) == [(actor.id, "school", source, org.id, TODAY)]
    assert notices.unread_count(db.session, member.id) == 1
    assert notices.unread_count(db.session, actor.id) == 0


def test_p10_a_replayed_form_writes_no_second_notice(db):
    org = make_org(db, members=1)
    member = membership.members(db.session, org.id)[0].person
    parent = make_person(db, "黄伟斌")
    bind(db, org, parent, member)
    key = uuid.uuid4().hex
    for _ in range(2):
        declarations.submit(db.session, org_id=org.id, person_id=member.id, actor_id=parent.id, day=TODAY,
                            answers=answers(), source="proxy", form_key=key, now=NOW, utc_now=T0)
    assert total(db, DeclarationNotice) == 1


def test_p10_quick_fill_tells_each_filled_member_in_one_insert(db):
    org = make_org(db, members=4)
    people = [m.person for m in membership.members(db.session, org.id)]
    yesterday = TODAY - timedelta(days=1)
    for person in people[:3]:
        declarations.submit(db.session, org_id=org.id, person_id=person.id, actor_id=person.id, day=yesterday,
                            answers=answers(), source="self", form_key=uuid.uuid4().hex, now=NOW, utc_now=T0)
    seen = []
    listener = lambda *args: seen.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        filled = declarations.quick_fill(db.session, org_id=org.id, member_ids=[p.id for p in people],
                                         actor_id=org.collector.person_id, day=TODAY, now=NOW, utc_now=T0,
                                         key_prefix="tap-1")
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert filled == 3
    told = sorted(n.person_id for n in db.session.scalars(select(DeclarationNotice)))
    assert told == sorted(p.id for p in people[:3])
    assert {n.source for n in db.session.scalars(select(DeclarationNotice))} == {"quickfill"}
    assert sum("declaration_notice" in s and s.lstrip().upper().startswith("INSERT") for s in seen) == 1


def test_p10_a_family_owner_declaring_for_a_member_writes_a_notice(db):
    child, mother = make_person(db, "黄恺"), make_person(db, "陈丽")
    values = {"location_province": "广东省", "location_city": "广州市", "temperature": Decimal("36.5"),
              "temperature_band": None, "has_symptoms": False, "risk_travel": False, "contact_case": False,
              "remarks": ""}
    personal.submit(db.session, person_id=child.id, actor_id=mother.id, answers=values, form_key="k1", utc_now=T0)
    personal.submit(db.session, person_id=child.id, actor_id=mother.id, answers=values, form_key="k1", utc_now=T0)
    personal.submit(db.session, person_id=mother.id, actor_id=mother.id, answers=values, form_key="k2", utc_now=T0)
    assert notices_of(db, child) == [(mother.id, "personal", "family", None, None)]
    assert notices_of(db, mother) == []


def test_p10_notices_newest_first_and_marked_read_per_person(db):
    child, other, mother = make_person(db, "黄恺"), make_person(db, "路人"), make_person(db, "陈丽")
    for at in (T0, T0 + timedelta(hours=1)):
        notices.declared_for(db.session, person_id=child.id, actor_id=mother.id, kind="personal", source="family",
                             utc_now=at)
    notices.declared_for(db.session, person_id=other.id, actor_id=mother.id, kind="personal", source="family",
                         utc_now=T0)
    db.session.flush()
    assert [n.created_at for n in notices.latest(db.session, child.id)] == [T0 + timedelta(hours=1), T0]
    assert notices.mark_read(db.session, child.id, T0 + timedelta(hours=2)) == 2
    assert notices.unread_count(db.session, child.id) == 0
    assert notices.unread_count(db.session, other.id) == 1
    assert notices.mark_read(db.session, child.id, T0 + timedelta(hours=3)) == 0


def test_p10_attention_counts_unread_notices_and_waiting_requests_in_one_statement(db, pending):
    member_id = pending.member_id
    notices.declared_for(db.session, person_id=member_id, actor_id=pending.owner_id, kind="personal",
                         source="family", utc_now=T0)
    db.session.flush()
    seen = []
    listener = lambda *args: seen.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        counts = consent.attention(db.session, member_id)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert (counts.unread_notices, counts.requests, len(seen)) == (1, 1, 1)
    assert consent.attention(db.session, pending.owner_id) == (0, 0)
    consent.accept(db.session, member_id, pending.id, T0)
    notices.mark_read(db.session, member_id, T0)
    assert consent.attention(db.session, member_id) == (0, 0)

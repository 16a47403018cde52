"""家庭成员: add a minor or an elder by identity, show their code, remove; no fixed limit (SPEC H3, I1a, I7, P7)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from tests.factories import id_number, make_person
from tests.family_helpers import FakeVerifier
from yks_web.models import FamilyMember, Person
from yks_web.models.health import RELATIONS
from yks_web.services import family
from yks_web.services.family import FamilyError
from yks_web.services.identity import make_identity

T0 = datetime(2026, 11, 20, 1, 0)
TODAY = date(2026, 11, 20)
BIRTH_CERT = "O440012345"  # 出生医学证明: one letter and nine digits


class Everyone(FakeVerifier):
    """The mechanics of adding (H3) under a source that finds everyone in the owner's household and
    guardian of every minor; the consent rules themselves are tested in test_consent.py (I7)."""

    def is_guardian(self, guardian, minor) -> bool:
        return True

    def same_household(self, one, other) -> bool:
        return True


def add(db, owner, name="黄小宝", id_type="id_card", number=None, relation="子女", verifier=None):
    return family.add(db.session, owner, make_identity(name, id_type, number or id_number()), relation,
                      verifier=verifier or Everyone(), today=TODAY, utc_now=T0)


def refused(db, owner, **kw) -> str:
    with pytest.raises(FamilyError) as excinfo:
        add(db, owner, **kw)
    return excinfo.value.message


def family_rows(db) -> int:
    return db.session.scalar(select(func.count()).select_from(FamilyMember))


def people(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Person))
def test_h3_add_an_elder_by_id_card_creates_the_person(db):
    owner = make_person(db, "黄伟斌")
    number = id_number()
    row = add(db, owner, name="黄爷爷", number=number, relation="父母")
    assert (row.owner_id, row.relation, row.active, row.created_at) == (owner.id, "父母", True, T0)
    assert (row.status, row.consent, row.consented_at) == ("active", "household", T0)
    assert (row.member.name, row.member.id_type, row.member.id_number) == ("黄爷爷", "id_card", number)
    assert [m.member_id for m in family.members(db.session, owner.id)] == [row.member_id]


def test_h3_add_a_minor_by_birth_certificate(db):
    owner = make_person(db, "陈丽")
    row = add(db, owner, name="陈小宝", id_type="birth_cert", number=BIRTH_CERT)
    assert (row.member.id_type, row.member.id_number, row.member.id_type_label) == (
        "birth_cert", BIRTH_CERT, "出生医学证明")
    assert (row.status, row.consent) == ("active", "guardian")


def test_h3_add_a_known_person_links_the_same_person(db):
    owner = make_person(db, "黄伟斌")
    child = make_person(db, "黄恺")
    before = people(db)
    row = add(db, owner, name="黄恺", number=child.id_number)
    assert row.member_id == child.id
    assert people(db) == before


def test_i1a_a_verified_number_with_another_name_is_refused(db):
    owner = make_person(db, "黄伟斌")
    child = make_person(db, "黄恺", name_verified_at=T0)
    before = people(db)
    message = refused(db, owner, name="黄凯", number=child.id_number)
    assert message == "证件号码与姓名不一致，请核对后重新填写"
    assert people(db) == before and family_rows(db) == 0


def test_i6_an_unverified_persons_other_name_is_only_the_owners_claim(db):
    """What the owner typed never renames the person (issue 8 item 1): the link keeps it as typed_name."""
    owner = make_person(db, "黄伟斌")
    child = make_person(db, "黄恺", verified=False)  # someone else’s claim, not yet logged in
    row = add(db, owner, name="黄凯", number=child.id_number)
    assert (row.member_id, row.typed_name, child.name) == (child.id, "黄凯", "黄恺")


def test_h3_cannot_add_oneself(db):
    owner = make_person(db, "黄伟斌")
    assert refused(db, owner, name="黄伟斌", number=owner.id_number) == "不能添加本人为家庭成员"
    assert family_rows(db) == 0


def test_h3_adding_an_active_member_again_is_refused(db):
    owner = make_person(db, "黄伟斌")
    number = id_number()
    add(db, owner, number=number)
    assert refused(db, owner, number=number, relation="其他") == "黄小宝已是您的家庭成员"
    assert family_rows(db) == 1


def test_h3_adding_a_removed_member_again_reactivates_the_row(db):
    owner = make_person(db, "黄伟斌")
    number = id_number()
    first = add(db, owner, number=number, relation="子女")
    assert family.remove(db.session, owner.id, first.id) is first
    assert family.members(db.session, owner.id) == []
    again = add(db, owner, number=number, relation="其他")
    assert again.id == first.id
    assert (again.active, again.relation) == (True, "其他")
    assert family_rows(db) == 1
    assert family.may_show(db.session, owner.id, again.member_id)


@pytest.mark.parametrize("relation", ["", "朋友", "子女 "])
def test_h3_relation_must_be_one_of_the_list(db, relation):
    owner = make_person(db)
    before = people(db)
    assert refused(db, owner, relation=relation) == "请选择与本人关系"
    assert people(db) == before and family_rows(db) == 0


def test_h3_every_listed_relation_is_accepted(db):
    owner = make_person(db)
    for relation in RELATIONS:
        assert add(db, owner, name=f"成员{relation[:1]}", relation=relation).relation == relation


def test_h3_no_fixed_upper_limit(db):
    owner = make_person(db, "黄伟斌")
    added = [add(db, owner, name=f"家人{i}", relation="其他") for i in range(12)]
    listed = family.members(db.session, owner.id)
    assert [m.id for m in listed] == [a.id for a in added]  # in the order they were added
    assert len(listed) == 12


def test_h3_the_same_person_may_be_in_two_families(db):
    mother, father = make_person(db, "陈丽"), make_person(db, "黄伟斌")
    number = id_number()
    a = add(db, mother, number=number)
    b = add(db, father, number=number)
    assert a.member_id == b.member_id and a.id != b.id
    assert family.may_show(db.session, mother.id, a.member_id) and family.may_show(db.session, father.id, a.member_id)


def test_h3_members_lists_only_the_owners_active_members(db):
    owner, other = make_person(db, "黄伟斌"), make_person(db, "陈丽")
    kept = add(db, owner, name="黄大宝")
    gone = add(db, owner, name="黄二宝")
    add(db, other, name="陈小宝")
    family.remove(db.session, owner.id, gone.id)
    assert [m.id for m in family.members(db.session, owner.id)] == [kept.id]
    assert family.members(db.session, owner.id)[0].member.name == "黄大宝"


def test_p7_may_show_only_self_and_active_members(db):
    owner, stranger = make_person(db, "黄伟斌"), make_person(db, "路人")
    row = add(db, owner)
    assert family.may_show(db.session, owner.id, owner.id)
    assert family.may_show(db.session, owner.id, row.member_id)
    assert not family.may_show(db.session, owner.id, stranger.id)
    assert not family.may_show(db.session, stranger.id, row.member_id)
    assert not family.may_show(db.session, row.member_id, owner.id)  # not symmetric
    assert not family.may_show(db.session, owner.id, 999_999)
    family.remove(db.session, owner.id, row.id)
    assert not family.may_show(db.session, owner.id, row.member_id)


def test_h3_remove_keeps_the_person_and_the_row_inactive(db):
    owner = make_person(db, "黄伟斌")
    row = add(db, owner)
    before = people(db)
    removed = family.remove(db.session, owner.id, row.id)
    assert removed is row and removed.active is False
    assert people(db) == before and family_rows(db) == 1


def test_p7_remove_refuses_another_owners_row_a_removed_row_and_unknown_ids(db):
    owner, other = make_person(db, "黄伟斌"), make_person(db, "陈丽")
    row = add(db, owner)
    assert family.remove(db.session, other.id, row.id) is None
    assert row.active is True
    assert family.remove(db.session, owner.id, 999_999) is None
    assert family.remove(db.session, owner.id, row.id) is row
    assert family.remove(db.session, owner.id, row.id) is None  # twice

"""The real-name source and third parties' claims (SPEC I6, I1a; issue 8 items 1, 3 and 10)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select, text

from tests.factories import id_number, make_person, register_identity
from yks_web.models import Person, SmsChallenge
from yks_web.models.realname import RealNameRecord
from yks_web.models.security import RateEvent
from yks_web.privacy import decrypt, lookup_hash
from yks_web.services import login
from yks_web.services.identity import (
    LOOKUP_TOO_MANY,
    LOOKUPS_PER_ACCOUNT,
    LOOKUPS_PER_ADDRESS,
    NAME_INVISIBLE,
    NAME_LETTERS,
    NAME_SHAPE,
    IdentityMismatch,
    claim_person,
    count_lookup,
    make_identity,
    normalize_name,
    shown_name,
    validate_name,
)
from yks_web.services.rate_limits import RateLimited
from yks_web.services.realname import NAME_MISMATCH, PHONE_MISMATCH, UNKNOWN
from yks_web.services.realname_table import Parent, RealNameError, TableRealName, remove_record, set_record
from yks_web.services.sms import RecordingSender, issue_code

T0 = datetime(2026, 11, 20, 1, 0)
TODAY = date(2026, 11, 20)
HOUSEHOLD = "440106012345"


def ident(name: str, number: str, id_type: str = "id_card"):
    return make_identity(name, id_type, number)


# --- item 10: names are letters --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["黄恺", "阿卜杜·热合曼", "Tom Lee", "José Martínez", "Jean-Luc Picard", "O'Brien",
                                  "𠀀名", "欧阳 娜娜"])
def test_item10_letters_and_separators_are_names(name):
    assert validate_name(name) is None


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("黄\u202e恺", NAME_INVISIBLE),  # right-to-left override
        ("黄\u200b恺", NAME_INVISIBLE),  # zero-width space
        ("黄\u2066恺", NAME_INVISIBLE),  # bidi isolate
        ("黄\ufeff恺", NAME_INVISIBLE),
        ("黄\x00恺", NAME_INVISIBLE),
        ("黄\t恺", NAME_INVISIBLE),
        ("黄恺\t", NAME_INVISIBLE),
        ("黄\n恺", NAME_INVISIBLE),
        ("黄恺1", NAME_LETTERS),
        ("<b>黄恺</b>", NAME_LETTERS),
        ("Иван", NAME_LETTERS),
        ("·黄恺", NAME_SHAPE),
        ("黄··恺", NAME_SHAPE),
        ("Tom-", NAME_SHAPE),
    ],
)
def test_item10_control_bidi_zero_width_and_other_characters_are_refused(name, message):
    assert validate_name(name) == message


def test_item10_names_are_nfkc_normalised_with_one_dot_and_single_spaces():
    assert normalize_name("ＴＯＭ　 ＬＥＥ") == "TOM LEE"
    assert normalize_name("阿卜杜 • 热合曼") == "阿卜杜·热合曼"
    assert normalize_name("O’Brien") == "O'Brien"
    assert make_identity(" 阿卜杜・热合曼 ", "id_card", id_number()).name == "阿卜杜·热合曼"


# --- the table provider ------------------------------------------------------------------------------------


def test_i6_verify_unknown_wrong_name_wrong_phone_and_right(db):
    number = id_number()
    register_identity(db, "黄恺", number, phone="13800000001")
    source = TableRealName(db.session)
    unknown = source.verify(ident("黄恺", id_number()))
    assert (unknown.ok, unknown.message) == (False, UNKNOWN)
    assert UNKNOWN == "系统未包含该身份信息"  # the guide's FAQ 7 words
    wrong = source.verify(ident("黄凯", number))
    assert (wrong.ok, wrong.message, wrong.name) == (False, NAME_MISMATCH, None)  # never tells the held name
    other_phone = source.verify(ident("黄恺", number), "13900000002")
    assert (other_phone.ok, other_phone.message) == (False, PHONE_MISMATCH)
    right = source.verify(ident("黄恺", number), "13800000001")
    assert (right.ok, right.name) == (True, "黄恺")
    assert source.verified_name(ident("随便", number)) == "黄恺"


def test_i6_guardian_in_province_is_the_same_household(db):
    parent, child, stranger = id_number(), id_number(), id_number()
    register_identity(db, "黄伟斌", parent, household=HOUSEHOLD)
    register_identity(db, "黄小宝", child, household=HOUSEHOLD, birth_date=date(2016, 6, 1))
    register_identity(db, "李四", stranger, household="440106099999")
    source = TableRealName(db.session)
    assert source.is_guardian(ident("黄伟斌", parent), ident("黄小宝", child))
    assert source.same_household(ident("黄伟斌", parent), ident("黄小宝", child))
    assert not source.is_guardian(ident("李四", stranger), ident("黄小宝", child))
    # a wrong name for the child (or the guardian) never passes: the check does not guess
    assert not source.is_guardian(ident("黄伟斌", parent), ident("黄大宝", child))
    assert not source.same_household(ident("黄伟斌", parent), ident("黄小宝", id_number()))


def test_i6_guardian_out_of_province_is_a_parent_on_the_birth_certificate(db):
    mother, father, uncle = id_number(), id_number(), id_number()
    for name, number in (("陈母", mother), ("陈父", father), ("陈舅", uncle)):
        register_identity(db, name, number)
    register_identity(db, "陈小宝", "O440012345", id_type="birth_cert", birth_date=date(2022, 3, 3),
                      father=("id_card", father), mother=("id_card", mother))
    source = TableRealName(db.session)
    baby = ident("陈小宝", "O440012345", "birth_cert")
    assert source.is_guardian(ident("陈母", mother), baby)
    assert source.is_guardian(ident("陈父", father), baby)
    assert not source.is_guardian(ident("陈舅", uncle), baby)
    assert not source.is_guardian(ident("陈母", mother), ident("陈大宝", "O440012345", "birth_cert"))


def test_i6_is_minor_by_the_source_birth_date(db):
    adult = id_number()
    register_identity(db, "成年人", adult, birth_date=date(2008, 11, 20))
    source = TableRealName(db.session)
    assert not source.is_minor(ident("成年人", adult), TODAY)  # 18 today
    assert source.is_minor(ident("成年人", adult), date(2026, 11, 19))
    assert source.is_minor(ident("婴儿", "O440012345", "birth_cert"), TODAY)


def test_i6_set_record_keeps_numbers_encrypted_and_only_hashes_of_phone_household_and_parents(db):
    number, father = id_number(), id_number()
    record = set_record(db.session, ident("黄恺", number), utc_now=T0, today=TODAY, phone="13800000001",
                        household=HOUSEHOLD)
    baby = set_record(db.session, ident("黄小宝", "O440012345", "birth_cert"), utc_now=T0, today=TODAY,
                      birth_date=date(2022, 1, 1), father=Parent("id_card", father.lower()))
    db.session.commit()
    raw = db.session.execute(text("SELECT * FROM realname_record")).mappings().all()
    dump = repr(raw)
    for secret in (number, "13800000001", HOUSEHOLD, father, "O440012345"):
        assert secret not in dump
    row = next(r for r in raw if r["id"] == record.id)
    assert decrypt(row["id_number"]) == number and row["id_hash"] == lookup_hash("id_card", number)
    assert row["phone_masked"] == "138****0001" and row["birth_date"] is not None
    assert baby.father_hash == lookup_hash("id_card", father)
    # setting again replaces the whole record, never a second row
    set_record(db.session, ident("黄恺", number), utc_now=T0, today=TODAY)
    assert db.session.scalar(select(func.count()).select_from(RealNameRecord)) == 2
    assert record.phone_hash is None and record.household_hash is None
    assert remove_record(db.session, "id_card", lookup_hash("id_card", number))
    assert not remove_record(db.session, "id_card", lookup_hash("id_card", number))


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"name": "黄\u202e恺"}, "name", NAME_INVISIBLE),
        ({"phone": "12345"}, "phone", "请填写11位中国大陆手机号"),
        ({"household": "户号"}, "household", "户籍户号应为6–20位数字或字母"),
        ({"birth_date": date(1999, 1, 1)}, "birth_date", "出生日期与身份证号码中的出生日期不一致"),
        ({"father": Parent("id_card", "123")}, "father_id_number", "父母证件仅用于出生医学证明的记录"),
    ],
)
def test_i6_set_record_refuses_bad_parts_beside_their_field(db, kwargs, field, message):
    name = kwargs.pop("name", "黄恺")
    with pytest.raises(RealNameError) as refused:
        set_record(db.session, ident(name, id_number()), utc_now=T0, today=TODAY, **kwargs)
    assert (refused.value.field, refused.value.message) == (field, message)


def test_i6_birth_certificate_dates_and_parents_are_checked(db):
    baby = ident("黄小宝", "O440012345", "birth_cert")
    with pytest.raises(RealNameError, match="出生日期应在"):
        set_record(db.session, baby, utc_now=T0, today=TODAY, birth_date=date(2027, 1, 1))
    with pytest.raises(RealNameError, match="校验位") as refused:
        set_record(db.session, baby, utc_now=T0, today=TODAY, mother=Parent("id_card", "110105194912310021"))
    assert refused.value.field == "mother_id_number"


# --- claims by third parties (item 1) --------------------------------------------------------------------


def test_i6_claim_of_an_unknown_number_makes_an_unverified_person_under_the_typed_name(db):
    number = id_number()
    person, matches = claim_person(db.session, ident("冒名者", number), utc_now=T0)
    assert matches and person.name == "冒名者" and person.name_verified_at is None


def test_i1a_claim_of_a_verified_person_under_another_name_is_refused(db):
    number = id_number()
    make_person(db, "黄恺", number)
    with pytest.raises(IdentityMismatch):
        claim_person(db.session, ident("黄凯", number), utc_now=T0)
    assert claim_person(db.session, ident("黄恺", number), utc_now=T0).name_matches


def test_i6_claim_of_an_unverified_person_under_another_name_is_accepted_silently(db):
    number = id_number()
    first, _ = claim_person(db.session, ident("张三", number), utc_now=T0)
    again, matches = claim_person(db.session, ident("李四", number), utc_now=T0)
    assert again.id == first.id and not matches
    assert again.name == "张三"  # the stored claim stays; the binding keeps 李四 (typed_name)
    assert shown_name(again, "李四") == ("李四", False)  # the second binder never sees the first claim


def test_i6_shown_name_after_verification_flags_a_wrong_typed_name(db):
    person = make_person(db, "黄恺")
    assert shown_name(person, "黄凯") == ("黄恺", True)
    assert shown_name(person, "黄恺") == ("黄恺", False)
    assert shown_name(person, "") == ("黄恺", False)


# --- item 3: look-ups are counted ------------------------------------------------------------------------


def test_item3_lookup_limits_per_account_and_per_address(db):
    assert (LOOKUPS_PER_ACCOUNT.count, LOOKUPS_PER_ADDRESS.count) == (60, 200)
    for _ in range(LOOKUPS_PER_ACCOUNT.count):
        count_lookup(db.session, actor_id=1, ip="10.0.0.1", utc_now=T0)
    with pytest.raises(RateLimited) as refused:
        claim_person(db.session, ident("黄恺", id_number()), utc_now=T0, actor_id=1, ip="10.0.0.2")
    assert refused.value.message == LOOKUP_TOO_MANY
    count_lookup(db.session, actor_id=1, ip="10.0.0.1", utc_now=T0.replace(hour=2, minute=1))  # an hour later
    for actor in range(2, 2 + LOOKUPS_PER_ADDRESS.count - LOOKUPS_PER_ACCOUNT.count - 1):
        count_lookup(db.session, actor_id=actor, ip="10.0.0.1", utc_now=T0)
    with pytest.raises(RateLimited):
        count_lookup(db.session, actor_id=999, ip="10.0.0.1", utc_now=T0)
    keys = db.session.scalars(select(RateEvent.key)).all()
    assert not any("10.0.0.1" in key for key in keys)  # kept as keyed hashes


# --- login decides by the source (items 1 and 3) ---------------------------------------------------------


def _login(db, name: str, number: str, phone: str = "13800000001", at: datetime = T0):
    sender = RecordingSender()
    challenge, code = issue_code(db.session, sender, ident(name, number), phone, "10.0.0.1", at)
    return login.finish(db.session, challenge, code, at, TableRealName(db.session))


def test_i6_login_of_an_identity_the_source_does_not_hold_is_refused(db):
    with pytest.raises(login.LoginRefused) as refused:
        _login(db, "黄恺", id_number())
    assert refused.value.message == "系统未包含该身份信息"
    assert db.session.scalar(select(func.count()).select_from(Person)) == 0


def test_i6_login_sets_the_verified_name_over_a_third_partys_claim(db):
    number = id_number()
    register_identity(db, "黄恺", number, phone="13800000001")
    claim_person(db.session, ident("冒名者", number), utc_now=T0)
    person = _login(db, "黄恺", number)
    assert (person.name, person.name_verified_at, person.phone) == ("黄恺", T0, "13800000001")
    assert db.session.scalar(select(func.count()).select_from(Person)) == 1


def test_item3_start_reads_nothing_about_the_identity(db):
    """Before the code is proved the answer is a sent code, for a known, unknown or mis-named 证件 alike."""
    number = id_number()
    make_person(db, "黄恺", number, phone="13800000009")
    for i, (name, num) in enumerate((("黄恺", number), ("黄凯", number), ("无名", id_number()))):
        challenge, code = login.start(db.session, RecordingSender(), ident(name, num), f"1390000000{i}",
                                      "10.0.0.1", T0)
        assert len(code) == 6 and challenge.id
    assert db.session.scalar(select(func.count()).select_from(SmsChallenge)) == 3

"""证件 validation and matching a person by identity (SPEC I1, I1a, I2, P6)."""

from __future__ import annotations

import hashlib
import random
from datetime import date, datetime

import pytest
from sqlalchemy import func, select, text

from tests.factories import id_number, make_person
from yks_web.models import Person
from yks_web.models.people import ID_TYPES
from yks_web.privacy import decrypt, lookup_hash
from yks_web.services.identity import (
    NAME_MAX,
    IdentityMismatch,
    build_id_card_number,
    claim_person,
    find_person,
    id_card_check_digit,
    make_identity,
    normalize_id,
    validate_id,
    validate_name,
)

# Examples printed in GB 11643-1999 and its commentary.
STANDARD_EXAMPLES = ["11010519491231002X", "440524188001010014"]
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def claim(db, identity):
    """A third party's claim (issue 8 item 1): the one person of this 证件."""
    return claim_person(db.session, identity, utc_now=datetime(2026, 11, 20, 1, 0)).person


def reference_check(first17: str) -> str:
    """ISO 7064 MOD 11-2 written from the standard, independently of the app: weights 2^(17-i) mod 11."""
    total = sum(int(c) * (2 ** (17 - i) % 11) for i, c in enumerate(first17))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def with_check(first17: str) -> str:
    return first17 + reference_check(first17)


def count_people(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Person))


# --- I2: 内地居民身份证 -------------------------------------------------------------


@pytest.mark.parametrize("number", STANDARD_EXAMPLES)
def test_i2_standard_examples_accepted(number):
    assert validate_id("id_card", number) is None


def test_i2_check_digit_is_iso7064_mod11_2():
    """I2: the app's check character equals the standard's for many random bodies (incl. X)."""
    rng = random.Random(11643)
    seen_x = False
    for _ in range(2000):
        first17 = "".join(rng.choice("0123456789") for _ in range(17))
        expected = reference_check(first17)
        seen_x |= expected == "X"
        assert id_card_check_digit(first17) == expected
    assert seen_x


def test_i2_generated_numbers_are_valid():
    for seq in range(1, 60):
        assert validate_id("id_card", id_number(seq)) is None
    assert validate_id("id_card", build_id_card_number("440106", date(2010, 2, 28), 7)) is None


@pytest.mark.parametrize("number", STANDARD_EXAMPLES)
def test_i2_every_wrong_check_character_refused(number):
    for wrong in "0123456789X":
        if wrong == number[-1]:
            continue
        assert validate_id("id_card", number[:17] + wrong) == "身份证号码校验位不正确，请核对"


@pytest.mark.parametrize(
    "birth",
    ["20011301", "20010230", "20010100", "20010229", "19990431", "00000101"],
    ids=["month-13", "feb-30", "day-00", "feb-29-non-leap", "apr-31", "year-0"],
)
def test_i2_bad_birth_date_refused(birth):
    """The check digit is right, only the date is impossible: the message names the date."""
    assert validate_id("id_card", with_check(f"440106{birth}123")) == "身份证号码中的出生日期无效"


def test_i2_leap_day_accepted():
    assert validate_id("id_card", with_check("44010620000229123")) is None


@pytest.mark.parametrize(
    "number",
    [
        "44052418800101001",  # 17 characters
        "4405241880010100140",  # 19 characters
        "440524800101001",  # first-generation 15-digit card
    ],
)
def test_i2_wrong_length_refused(number):
    assert validate_id("id_card", number) == "身份证号码应为18位"


@pytest.mark.parametrize(
    "number",
    [
        "44052418800101X014",  # X not in last place
        "040524188001010014",  # cannot start with 0
        "44052418800I010014",  # a letter in the body
        "4405241880010100-4",
    ],
)
def test_i2_malformed_refused(number):
    assert validate_id("id_card", number) is not None


def test_i2_lowercase_x_and_spaces_normalised():
    assert validate_id("id_card", "11010519491231002x") is None
    assert validate_id("id_card", " 110105 19491231 002x ") is None
    assert normalize_id(" 110105 19491231 002x ") == "11010519491231002X"
    assert make_identity(" 黄恺 ", "id_card", "11010519491231002x").id_number == "11010519491231002X"


def test_i2_empty_number_and_unknown_type():
    assert validate_id("id_card", "") == "请填写证件号码"
    assert validate_id("id_card", "   ") == "请填写证件号码"
    assert validate_id("id_card", None) == "请填写证件号码"
    assert validate_id("driving_licence", "11010519491231002X") == "请选择证件类型"
    assert validate_id("", "11010519491231002X") == "请选择证件类型"


@pytest.mark.parametrize("prefix", ["100101", "990101"])
def test_i2_region_code_must_be_a_real_province(prefix):
    """I2 says the region is validated: '10' and '99' are no province (11–15, 21–23 … 65, 71, 81–83)."""
    number = with_check(f"{prefix}20000101123")
    assert validate_id("id_card", number) is not None


# --- I1, I2: the other 证件 -------------------------------------------------------------


def test_i1_the_five_id_types():
    assert list(ID_TYPES.values()) == [
        "内地居民身份证",
        "外国护照",
        "港澳居民来往内地通行证",
        "台湾居民来往内地通行证",
        "出生医学证明",
    ]


@pytest.mark.parametrize(
    ("id_type", "number"),
    [
        ("passport", "E12345678"),
        ("passport", "e12345678"),  # normalised to upper case
        ("passport", "AB123"),
        ("passport", "A" * 17),
        ("hk_macau", "H12345678"),
        ("hk_macau", "M1234567890"),
        ("hk_macau", "h12345678"),
        ("taiwan", "12345678"),
        ("taiwan", "1234567890"),
        ("birth_cert", "A123456789"),
        ("birth_cert", "q123456789"),
    ],
)
def test_i2_other_types_valid_formats(id_type, number):
    assert validate_id(id_type, number) is None


@pytest.mark.parametrize(
    ("id_type", "number", "message"),
    [
        ("passport", "E123", "护照号码应为5–17位字母或数字"),
        ("passport", "A" * 18, "护照号码应为5–17位字母或数字"),
        ("passport", "E1234-678", "护照号码应为5–17位字母或数字"),
        ("hk_macau", "X12345678", "港澳居民来往内地通行证号码应为H或M开头，后接8或10位数字"),
        ("hk_macau", "H123456789", "港澳居民来往内地通行证号码应为H或M开头，后接8或10位数字"),
        ("hk_macau", "12345678", "港澳居民来往内地通行证号码应为H或M开头，后接8或10位数字"),
        ("taiwan", "1234567", "台湾居民来往内地通行证号码应为8或10位数字"),
        ("taiwan", "123456789", "台湾居民来往内地通行证号码应为8或10位数字"),
        ("taiwan", "T1234567", "台湾居民来往内地通行证号码应为8或10位数字"),
        ("birth_cert", "123456789", "出生医学证明编号应为1位字母加9位数字"),
        ("birth_cert", "AB12345678", "出生医学证明编号应为1位字母加9位数字"),
    ],
)
def test_i2_other_types_invalid_formats(id_type, number, message):
    assert validate_id(id_type, number) == message


# --- names ------------------------------------------------------------------------------


def test_validate_name():
    assert validate_name("黄恺") is None
    assert validate_name("  黄恺  ") is None
    assert validate_name("") == "请填写姓名"
    assert validate_name("   ") == "请填写姓名"
    assert validate_name(None) == "请填写姓名"
    assert validate_name("名" * NAME_MAX) is None
    assert validate_name("名" * (NAME_MAX + 1)) == f"姓名不能超过{NAME_MAX}个字"
    assert NAME_MAX == 30


# --- I1a: one person per 证件 ---------------------------------------------------------------


def test_i1a_same_identity_twice_is_one_person(db):
    number = id_number()
    first = claim(db, make_identity("黄恺", "id_card", number))
    again = claim(db, make_identity(" 黄恺 ", "id_card", f" {number.lower()} "))
    assert again.id == first.id
    assert count_people(db) == 1
    assert first.name == "黄恺"
    assert first.id_number == number


def test_i1a_lowercase_x_finds_the_same_person(db):
    first = claim(db, make_identity("黄恺", "id_card", "11010519491231002X"))
    again = claim(db, make_identity("黄恺", "id_card", "11010519491231002x"))
    assert again.id == first.id
    assert count_people(db) == 1


def test_i1a_known_number_with_another_name_refused(db):
    number = id_number()
    make_person(db, "黄恺", number)
    with pytest.raises(IdentityMismatch) as refused:
        claim(db, make_identity("黄凯", "id_card", number))
    assert refused.value.message == "证件号码与姓名不一致，请核对后重新填写"
    assert count_people(db) == 1


def test_i1_same_number_under_another_type_is_another_person(db):
    """A person is (证件类型, 证件号码): the same digits on a 台湾 pass and a passport are two 证件."""
    taiwan = claim(db, make_identity("林一", "taiwan", "12345678"))
    passport = claim(db, make_identity("Lin Yi", "passport", "12345678"))
    assert taiwan.id != passport.id
    assert find_person(db.session, make_identity("林一", "taiwan", "12345678")).id == taiwan.id


def test_i1a_full_width_digits_do_not_make_a_second_person(db):
    """A Chinese IME in full-width mode types ４４０… : such a number is refused or it is the same person."""
    number = "440524188001010014"
    wide = number.translate(FULL_WIDTH)
    person = claim(db, make_identity("黄恺", "id_card", number))
    for typed in (wide, number[0] + wide[1:17] + number[17], number[:6] + wide[6:14] + number[14:]):
        accepted = validate_id("id_card", typed) is None
        same = accepted and claim(db, make_identity("黄恺", "id_card", typed)).id == person.id
        assert not accepted or same, f"{typed!r} was accepted as a new person"
    assert count_people(db) == 1


# --- P6: stored encrypted, found by keyed hash --------------------------------------------------


def test_p6_id_number_stored_encrypted_and_found_by_lookup_hash(db):
    number = id_number()
    person = claim(db, make_identity("黄恺", "id_card", number))
    db.session.commit()
    raw_number, raw_hash = db.session.execute(
        text("SELECT id_number, id_hash FROM person WHERE id = :id"), {"id": person.id}
    ).one()
    assert number not in raw_number
    assert number[-6:] not in raw_number
    assert decrypt(raw_number) == number
    assert raw_hash == lookup_hash("id_card", number)
    assert number not in raw_hash
    assert raw_hash != hashlib.sha256(number.encode()).hexdigest()  # keyed, not a plain digest
    db.session.expire_all()
    found = find_person(db.session, make_identity("黄恺", "id_card", number))
    assert found.id == person.id
    assert found.id_number == number


def test_p6_unknown_identity_not_found(db):
    make_person(db)
    assert find_person(db.session, make_identity("黄恺", "id_card", id_number())) is None

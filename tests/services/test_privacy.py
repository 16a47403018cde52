"""Personal data: masking, encryption at rest, keyed lookup hashes (SPEC P6)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.factories import make_person
from yks_web.privacy import decrypt, encrypt, lookup_hash, mask_id, mask_name, mask_phone


def test_p6_mask_id_card_shape():
    assert mask_id("440106200001010011") == "44**************11"
    assert mask_id("11010519491231002X") == "11**************2X"


def test_p6_mask_id_keeps_length_and_only_the_ends():
    for number in ["E12345678", "H1234567890", "A123456789", "12345"]:
        masked = mask_id(number)
        assert len(masked) == len(number)
        assert masked[:2] == number[:2] and masked[-2:] == number[-2:]
        assert set(masked[2:-2]) == {"*"}


def test_p6_mask_id_short_is_all_stars():
    assert mask_id("1234") == "****"
    assert mask_id("") == ""


def test_p6_mask_phone_shape():
    assert mask_phone("13800000019") == "138****0019"
    assert mask_phone("13912345678") == "139****5678"


def test_p6_mask_phone_short_is_all_stars():
    assert mask_phone("1380001") == "*******"


def test_mask_name_hides_family_name():
    assert mask_name("黄恺") == "*恺"
    assert mask_name("欧阳立叶") == "*阳立叶"
    assert mask_name("黄") == "*"


def test_a_deleted_account_is_shown_whole_in_every_masked_list():
    """已注销用户 names nobody (issue 16 item 2): 代申报通知, 查阅记录 and every other masked list show it as it is."""
    assert mask_name("已注销用户") == "已注销用户"


def test_p6_person_masked_properties(db):
    person = make_person(db, number="440524188001010014", phone="13800000019")
    assert person.masked_id == "44**************14"
    assert person.masked_phone == "138****0019"
    assert make_person(db).masked_phone == ""


@pytest.mark.parametrize("plain", ["440524188001010014", "13800000019", "黄恺", ""])
def test_p6_encrypt_decrypt_round_trip(app, plain):
    token = encrypt(plain)
    assert decrypt(token) == plain
    if plain:
        assert plain not in token


def test_p6_encryption_is_randomised(app):
    assert encrypt("440524188001010014") != encrypt("440524188001010014")


def test_p6_decrypt_garbage_is_loud(app):
    with pytest.raises(ValueError, match="cannot be decrypted"):
        decrypt("not-a-fernet-token")


def test_p6_lookup_hash_deterministic_and_part_separated(app):
    assert lookup_hash("id_card", "440524188001010014") == lookup_hash("id_card", "440524188001010014")
    assert lookup_hash("id_card", "440524188001010014") != lookup_hash("passport", "440524188001010014")
    assert lookup_hash("ab", "c") != lookup_hash("a", "bc")
    assert len(lookup_hash("phone", "13800000019")) == 64


def test_p6_phone_stored_encrypted(db):
    person = make_person(db, phone="13800000019")
    db.session.commit()
    raw_phone, raw_hash = db.session.execute(
        text("SELECT phone, phone_hash FROM person WHERE id = :id"), {"id": person.id}
    ).one()
    assert "13800000019" not in raw_phone
    assert decrypt(raw_phone) == "13800000019"
    assert raw_hash == lookup_hash("phone", "13800000019")

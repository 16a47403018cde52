"""A logged-in person proves a phone by a code (团体码 G1, G3): only their own challenge, only that phone, once."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.factories import make_person
from yks_web.services import phone_codes, sms

T0 = datetime(2026, 11, 20, 1, 0)
PHONE = "13800000019"


def _sent(db, person, sender, phone=PHONE):
    challenge, code = phone_codes.send(db.session, sender, person, phone, purpose="创建团体", ip="10.0.0.1",
                                       utc_now=T0)
    assert code == sender.last_code(phone)
    return challenge


def test_the_code_proves_the_phone_once(db):
    person, sender = make_person(db, "李晓明"), sms.RecordingSender()
    challenge = _sent(db, person, sender)
    code = sender.last_code(PHONE)
    assert sender.texts[-1] == (PHONE, f"您正在创建团体，验证码{code}，5分钟内有效。如非本人操作，请勿告知他人。")
    assert phone_codes.check(db.session, person, " 138 0000 0019 ", challenge.id, code, T0) == PHONE
    with pytest.raises(sms.SmsError, match="已使用"):
        phone_codes.check(db.session, person, PHONE, challenge.id, code, T0)


def test_another_persons_challenge_or_another_phone_is_refused(db):
    person, other, sender = make_person(db, "李晓明"), make_person(db, "张三"), sms.RecordingSender()
    challenge = _sent(db, person, sender)
    code = sender.last_code(PHONE)
    with pytest.raises(sms.SmsError) as refused:
        phone_codes.check(db.session, other, PHONE, challenge.id, code, T0)
    assert refused.value.message == phone_codes.NOT_SENT
    with pytest.raises(sms.SmsError) as refused:
        phone_codes.check(db.session, person, "13900000000", challenge.id, code, T0)
    assert refused.value.message == phone_codes.OTHER_PHONE
    for missing in (None, "", "abc", 999999):
        with pytest.raises(sms.SmsError):
            phone_codes.check(db.session, person, PHONE, missing, code, T0)


def test_a_wrong_or_late_code_is_refused(db):
    person, sender = make_person(db, "李晓明"), sms.RecordingSender()
    challenge = _sent(db, person, sender)
    with pytest.raises(sms.SmsError, match="验证码错误"):
        phone_codes.check(db.session, person, PHONE, challenge.id, "000000" if sender.last_code(PHONE) != "000000"
                          else "111111", T0)
    with pytest.raises(sms.SmsError, match="过期"):
        phone_codes.check(db.session, person, PHONE, challenge.id, sender.last_code(PHONE), T0 + timedelta(minutes=6))


def test_a_wrong_phone_number_is_not_sent(db):
    sender = sms.RecordingSender()
    with pytest.raises(sms.SmsError):
        _sent(db, make_person(db, "李晓明"), sender, phone="12345")
    assert sender.outbox == []

"""实名认证 SMS codes: sender, one use, 5-minute expiry, 5 tries, rate limits (SPEC I3). Times are naive UTC."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from tests.factories import make_person
from yks_web.models import SmsSend
from yks_web.privacy import lookup_hash
from yks_web.services import sms
from yks_web.services.identity import make_identity
from yks_web.services.sms import (
    CODE_TTL,
    RecordingSender,
    SmsError,
    issue_code,
    validate_phone,
    verify_code,
)

T0 = datetime(2026, 11, 20, 1, 0)  # 09:00 in Shanghai, as naive UTC
PHONE = "13812340019"
IP = "203.0.113.7"


@pytest.fixture
def sender():
    return RecordingSender()


@pytest.fixture
def person(db):
    return make_person(db)


def send(db, sender, person, now, phone=PHONE, ip=IP):
    identity = make_identity(person.name, person.id_type, person.id_number)
    return issue_code(db.session, sender, identity, phone, ip, now)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


# --- sending -----------------------------------------------------------------------------


def test_i3_code_sent_through_the_sender(db, sender, person):
    challenge, code = send(db, sender, person, T0)
    assert len(code) == 6 and code.isdigit()
    assert sender.outbox == [(PHONE, code)]
    assert sender.last_code(PHONE) == code
    # the challenge carries the identity it verifies (nothing is written to the person yet)
    assert (challenge.name, challenge.id_type, challenge.id_number) == (person.name, "id_card", person.id_number)
    assert challenge.expires_at == T0 + timedelta(minutes=5)
    assert CODE_TTL == timedelta(minutes=5)
    assert challenge.tries == 0 and not challenge.used


def test_p6_neither_code_nor_phone_stored_in_clear(db, sender, person):
    challenge, code = send(db, sender, person, T0)
    assert challenge.phone_hash == lookup_hash("phone", PHONE)
    assert PHONE not in challenge.phone_hash
    assert code not in challenge.code_hash and len(challenge.code_hash) == 64
    row = db.session.scalars(select(SmsSend)).one()
    assert (row.phone_hash, row.ip, row.sent_at) == (lookup_hash("phone", PHONE), IP, T0)


def test_i3_same_code_hashes_differently_per_challenge(db, sender, person, monkeypatch):
    monkeypatch.setattr(sms.secrets, "randbelow", lambda n: 123456)
    first, code1 = send(db, sender, person, T0)
    second, code2 = send(db, sender, person, T0, phone="13912340019")
    assert code1 == code2 == "123456"
    assert first.code_hash != second.code_hash


def test_i3_recording_sender_last_code_per_phone():
    sender = RecordingSender()
    sender.send("13800000001", "111111")
    sender.send("13800000002", "222222")
    sender.send("13800000001", "333333")
    assert sender.last_code("13800000001") == "333333"
    assert sender.last_code("13800000002") == "222222"


# --- verifying ---------------------------------------------------------------------------


def test_i3_right_code_accepted_once(db, sender, person):
    challenge, code = send(db, sender, person, T0)
    verify_code(db.session, challenge, code, T0 + timedelta(minutes=1))
    assert challenge.used
    with pytest.raises(SmsError) as refused:
        verify_code(db.session, challenge, code, T0 + timedelta(minutes=2))
    assert refused.value.message == "验证码已使用，请重新获取"


def test_i3_code_with_spaces_accepted(db, sender, person):
    challenge, code = send(db, sender, person, T0)
    verify_code(db.session, challenge, f" {code} ", T0)
    assert challenge.used


def test_i3_code_valid_until_five_minutes(db, sender, person):
    challenge, code = send(db, sender, person, T0)
    verify_code(db.session, challenge, code, T0 + timedelta(minutes=4, seconds=59))
    assert challenge.used


def test_i3_code_expires_after_five_minutes(db, sender, person):
    challenge, code = send(db, sender, person, T0)
    with pytest.raises(SmsError) as refused:
        verify_code(db.session, challenge, code, T0 + timedelta(minutes=5, seconds=1))
    assert refused.value.message == "验证码已过期，请重新获取"
    assert not challenge.used


def test_i3_wrong_code_counts_tries_left(db, sender, person):
    challenge, code = send(db, sender, person, T0)
    messages = []
    for _ in range(5):
        with pytest.raises(SmsError) as refused:
            verify_code(db.session, challenge, wrong(code), T0)
        messages.append(refused.value.message)
    assert messages == [
        "验证码错误，还可尝试4次",
        "验证码错误，还可尝试3次",
        "验证码错误，还可尝试2次",
        "验证码错误，还可尝试1次",
        "验证码错误次数过多，请重新获取",
    ]
    assert challenge.tries == 5 and not challenge.used


def test_i3_after_five_wrong_tries_even_the_right_code_is_refused(db, sender, person):
    challenge, code = send(db, sender, person, T0)
    for _ in range(5):
        with pytest.raises(SmsError):
            verify_code(db.session, challenge, wrong(code), T0)
    with pytest.raises(SmsError) as refused:
        verify_code(db.session, challenge, code, T0)
    assert refused.value.message == "验证码错误次数过多，请重新获取"
    assert not challenge.used


def test_i3_right_code_on_the_fifth_try_accepted(db, sender, person):
    challenge, code = send(db, sender, person, T0)
    for _ in range(4):
        with pytest.raises(SmsError):
            verify_code(db.session, challenge, wrong(code), T0)
    verify_code(db.session, challenge, code, T0)
    assert challenge.used


def test_i3_tries_survive_a_reload(db, sender, person):
    """The count lives in the database: a new request sees the earlier wrong tries."""
    challenge, code = send(db, sender, person, T0)
    for _ in range(5):
        with pytest.raises(SmsError):
            verify_code(db.session, challenge, wrong(code), T0)
    db.session.commit()
    db.session.expire_all()
    with pytest.raises(SmsError, match="错误次数过多"):
        verify_code(db.session, challenge, code, T0)


@pytest.mark.parametrize("given", ["", None, "12345", "abcdef"])
def test_i3_malformed_code_is_a_wrong_try(db, sender, person, given):
    challenge, _ = send(db, sender, person, T0)
    with pytest.raises(SmsError, match="验证码错误"):
        verify_code(db.session, challenge, given, T0)
    assert challenge.tries == 1


# --- rate limits -------------------------------------------------------------------------


def test_i3_one_code_per_phone_per_minute(db, sender, person):
    send(db, sender, person, T0)
    with pytest.raises(SmsError) as refused:
        send(db, sender, person, T0 + timedelta(seconds=30))
    assert refused.value.message == "验证码发送过于频繁，请31秒后再试"
    assert len(sender.outbox) == 1
    send(db, sender, person, T0 + timedelta(seconds=60))
    assert len(sender.outbox) == 2


def test_i3_interval_is_per_phone(db, sender, person):
    send(db, sender, person, T0)
    send(db, sender, person, T0 + timedelta(seconds=1), phone="13912340019")
    assert [to for to, _ in sender.outbox] == [PHONE, "13912340019"]


def test_i3_five_codes_per_phone_per_hour(db, sender, person):
    for i in range(5):
        send(db, sender, person, T0 + timedelta(minutes=i))
    with pytest.raises(SmsError) as refused:
        send(db, sender, person, T0 + timedelta(minutes=5))
    assert refused.value.message == "该手机号获取验证码次数过多，请1小时后再试"
    assert len(sender.outbox) == 5
    # another address does not help the same phone
    with pytest.raises(SmsError, match="该手机号获取验证码次数过多"):
        send(db, sender, person, T0 + timedelta(minutes=6), ip="198.51.100.1")
    # an hour after the first code, one slot is free again
    send(db, sender, person, T0 + timedelta(minutes=60, seconds=1))
    assert len(sender.outbox) == 6


def test_i3_codes_per_address_per_hour_are_limited(db, sender, person):
    limit = sms.IP_PER_HOUR
    for i in range(limit):
        send(db, sender, person, T0 + timedelta(seconds=i), phone=f"1381234{i:04d}")
    with pytest.raises(SmsError) as refused:
        send(db, sender, person, T0 + timedelta(seconds=limit), phone="13912349999")
    assert refused.value.message == "获取验证码次数过多，请稍后再试"
    assert len(sender.outbox) == limit
    send(db, sender, person, T0 + timedelta(seconds=limit), phone="13912349999", ip="198.51.100.1")
    send(db, sender, person, T0 + timedelta(minutes=60, seconds=1), phone="13912348888")
    assert len(sender.outbox) == limit + 2


def test_i3_refused_send_is_not_counted(db, sender, person):
    send(db, sender, person, T0)
    for seconds in (10, 20, 30):
        with pytest.raises(SmsError):
            send(db, sender, person, T0 + timedelta(seconds=seconds))
    assert db.session.scalar(select(func.count()).select_from(SmsSend)) == 1


# --- phone numbers -----------------------------------------------------------------------


@pytest.mark.parametrize("phone", ["13812340019", "19912340019", "15000000000", " 13812340019 "])
def test_i3_valid_phones(phone):
    assert validate_phone(phone) is None


@pytest.mark.parametrize("phone", ["", "   ", None])
def test_i3_missing_phone(phone):
    assert validate_phone(phone) == "请填写手机号"


@pytest.mark.parametrize(
    "phone",
    ["1381234001", "138123400190", "12812340019", "23812340019", "1381234001a", "+8613812340019", "138-1234-0019"],
)
def test_i3_invalid_phones(phone):
    assert validate_phone(phone) == "请填写11位中国大陆手机号"


def test_i3_full_width_digits_do_not_escape_the_phone_limit(db, sender, person):
    """138１２３４００１９ is the same phone as 13812340019: refused, or it shares the per-phone limit."""
    send(db, sender, person, T0)
    disguised = "138１２３４００１９"
    if validate_phone(disguised) is None:
        with pytest.raises(SmsError):
            send(db, sender, person, T0 + timedelta(seconds=10), phone=disguised)
    else:
        assert validate_phone(disguised) == "请填写11位中国大陆手机号"

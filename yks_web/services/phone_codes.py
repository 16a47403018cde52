"""A logged-in person proves a phone they give, by a 6-digit code (团体码: 创建团体 and 授权并加入团体, G1, G3).

The code is the login's (services/sms: 5 minutes, 5 tries, the phone's and the address's send limits, spent
once), sent with the PHONE_CHECK text naming what it is for. The challenge carries the person's own identity,
so a code sent for one person's form is never accepted on another's, and the phone given with 提交 must be
the phone the code went to.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from yks_web.i18n import N_, gettext
from yks_web.models.people import Person, SmsChallenge
from yks_web.privacy import lookup_hash
from yks_web.services import sms
from yks_web.services.identity import make_identity

# Raised translated (gettext), the constant kept as SmsError.reason: a caller telling them apart compares that.
NOT_SENT = N_("请先获取验证码")
OTHER_PHONE = N_("手机号与接收验证码的手机号不一致，请重新获取验证码")


def send(session: Session, sender: sms.SmsSender, person: Person, phone: str, *, purpose: str, ip: str,
         utc_now: datetime) -> tuple[SmsChallenge, str]:
    """获取验证码: a code to `phone` for `person` (purpose: the words of what it is for, e.g. "创建团体"); returns the
    challenge and the code (a development page shows it, as the login does). The SMS speaks the language of the
    request that asks for it: `purpose` is an N_-marked constant, given to the sender as it is (the `task` a gateway
    receives) and said in that language by sms.message_text.

    SmsError for a wrong phone number or beyond the send limits. The caller commits."""
    problem = sms.validate_phone(phone or "")
    if problem:
        raise sms.SmsError(problem)
    identity = make_identity(person.name, person.id_type, person.id_number)
    return sms.issue_code(session, sender, identity, sms.normalize_phone(phone), ip, utc_now, sms.PHONE_CHECK,
                          task=purpose)


def check(session: Session, person: Person, phone: str, challenge_id: str | int | None, code: str,
          utc_now: datetime) -> str:
    """The code proves `phone` for `person`: returns the normalised phone, or raises SmsError with the reason
    (the try is counted either way, as at login). The caller commits."""
    try:
        challenge = session.get(SmsChallenge, int(challenge_id or 0))
    except (TypeError, ValueError):
        challenge = None
    if challenge is None or (challenge.id_type, challenge.id_number) != (person.id_type, person.id_number):
        raise sms.SmsError(gettext(NOT_SENT), NOT_SENT)
    phone = sms.normalize_phone(phone or "")
    if challenge.phone_hash != lookup_hash("phone", phone):
        raise sms.SmsError(gettext(OTHER_PHONE), OTHER_PHONE)
    sms.verify_code(session, challenge, code, utc_now)
    return phone

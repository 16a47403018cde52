"""实名认证 as a whole (SPEC I1a, I3): check the identity, send the code, and only when the
code is proved, find or create the person and bind the phone."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from yks_web.models.people import Person, SmsChallenge
from yks_web.services.errors import DomainError
from yks_web.services.identity import Identity, IdentityMismatch, find_or_create_person, find_person, make_identity
from yks_web.services.sms import SmsSender, issue_code, normalize_phone, verify_code

OTHER_PHONE = "该证件已绑定其他手机号，请使用绑定的手机号获取验证码"


class LoginRefused(DomainError):
    """field: which form field the message belongs beside."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


def _check(person: Person | None, identity: Identity, phone: str) -> None:
    if person is None:
        return
    if person.name != identity.name:
        raise LoginRefused(IdentityMismatch.message, "id_number")
    if person.phone and person.phone != phone:
        raise LoginRefused(OTHER_PHONE, "phone")


def start(
    session: Session, sender: SmsSender, identity: Identity, phone: str, ip: str, utc_now: datetime
) -> tuple[SmsChallenge, str]:
    """Send the code. Nothing about the person is written yet (no name can be squatted)."""
    phone = normalize_phone(phone)
    _check(find_person(session, identity), identity, phone)
    return issue_code(session, sender, identity, phone, ip, utc_now)


def finish(session: Session, challenge: SmsChallenge, code: str, utc_now: datetime) -> Person:
    """Prove the code, then the person: created on first login, the phone bound once."""
    verify_code(session, challenge, code, utc_now)
    identity = make_identity(challenge.name, challenge.id_type, challenge.id_number)
    person = find_or_create_person(session, identity)
    # Lock the row so two first logins with different phones cannot both bind one.
    person = session.scalars(select(Person).where(Person.id == person.id).with_for_update()).one()
    _check(person, identity, challenge.phone)
    if person.phone is None:
        person.phone = challenge.phone
        person.phone_hash = challenge.phone_hash
    return person

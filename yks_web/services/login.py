"""实名认证 as a whole (SPEC I1a, I3, I6; issue 8 items 1 and 3): send the code, and only when the
code is proved, ask the real-name source, then find or create the person and bind the phone.

Nothing about the identity is looked at before the code is proved, so `start` answers alike whether
the 证件 is known, under which name, and with which phone (no identity oracle). The refusals
("系统未包含该身份信息", "证件号码与姓名不一致", a phone the source does not hold) come from `finish`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from yks_web.i18n import gettext
from yks_web.models.people import Person, SmsChallenge
from yks_web.services import login_sessions
from yks_web.services.errors import DomainError
from yks_web.services.identity import Identity, make_identity, verified_login_person
from yks_web.services.realname import RealNameVerifier
from yks_web.services.sms import SmsSender, issue_code, normalize_phone, verify_code


class LoginRefused(DomainError):
    """field: which form field the message belongs beside."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


def start(
    session: Session, sender: SmsSender, identity: Identity, phone: str, ip: str, utc_now: datetime
) -> tuple[SmsChallenge, str]:
    """Send the code. Only the phone's and the address's send limits apply here; nothing is read about
    the identity and nothing about the person is written (no name can be squatted, none guessed)."""
    return issue_code(session, sender, identity, normalize_phone(phone), ip, utc_now)


def finish(
    session: Session, challenge: SmsChallenge, code: str, utc_now: datetime, verifier: RealNameVerifier
) -> Person:
    """Prove the code, then the identity and the phone with the real-name source; the person gets the
    verified name and the verified phone.

    Whatever a third party typed for this 证件 before does not matter: the source decides (I6). The
    source also decides the phone: when it holds a new one (the person changed numbers), the new one is
    bound and every session opened with the old one ends.
    """
    verify_code(session, challenge, code, utc_now)
    identity = make_identity(challenge.name, challenge.id_type, challenge.id_number)
    verdict = verifier.verify(identity, challenge.phone)
    if not verdict.ok:
        # The source's words (realname.py marks the built-in ones), in the reader's language.
        raise LoginRefused(gettext(verdict.message) if verdict.message else verdict.message, "code")
    person = verified_login_person(session, identity, verdict.name or identity.name, utc_now)
    if person.phone_hash != challenge.phone_hash:
        if person.phone_hash is not None:
            login_sessions.end_all(session, person.id)
        person.phone = challenge.phone
        person.phone_hash = challenge.phone_hash
    session.flush()
    return person

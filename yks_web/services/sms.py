"""实名认证 SMS codes: pluggable sender, 5-minute expiry, 5 tries, rate limits (SPEC I3).

The limits hold under parallel requests (issue 8 item 6): issue_code takes the phone's and the address's
write locks before check_rate reads, so of N simultaneous sends for one phone exactly one passes.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from flask_babel import force_locale
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from yks_web.i18n import LANGUAGES, N_, gettext, ngettext
from yks_web.models.people import SmsChallenge, SmsSend
from yks_web.privacy import lookup_hash, mask_phone
from yks_web.services.errors import DomainError
from yks_web.services.identity import Identity
from yks_web.services.locks import lock_key

CODE_TTL = timedelta(minutes=5)
MAX_TRIES = 5
PHONE_INTERVAL = timedelta(seconds=60)
PHONE_PER_HOUR = 5
IP_PER_HOUR = 200  # a school's Wi-Fi or a carrier's NAT puts many parents behind one address
_PHONE = re.compile(r"^1[3-9]\d{9}$", re.ASCII)
CODE_USED = N_("验证码已使用，请重新获取")
TOO_MANY_TRIES = N_("验证码错误次数过多，请重新获取")

log = logging.getLogger(__name__)


LOGIN = "login"
FAMILY_CONSENT = "family_consent"
PHONE_CHECK = "phone_check"  # a logged-in person proves a phone they give (团体码: 创建团体, 授权并加入团体)
ACCOUNT_DELETE = "account_delete"  # 注销账号: the person confirms with their own phone (issue 16 item 2)
# 提醒填报 (issue 16 item 4): no code (sent with code ""), to a member who has not declared today, and to each of
# their 代填人 naming the declarant as that 代填人 typed them (services/reminders.py).
REMINDER = "reminder"
REMINDER_PROXY = "reminder_proxy"
# What each message says. A real gateway sends pre-registered templates: it receives the purpose and the
# parameters and picks its own template for that purpose; these texts are the reference wording (issue 15: N_, said
# in the recipient's language by message_text).
TEXTS = {
    LOGIN: N_("您的验证码是{code}，5分钟内有效。"),
    FAMILY_CONSENT: N_(
        "{requester}申请将您添加为粤康码家庭成员，验证码{code}，5分钟内有效。如非本人同意，请勿告知他人。"
    ),
    PHONE_CHECK: N_("您正在{task}，验证码{code}，5分钟内有效。如非本人操作，请勿告知他人。"),
    ACCOUNT_DELETE: N_(
        "您正在注销粤省事账号，验证码{code}，5分钟内有效。注销后数据无法恢复，如非本人操作，请勿告知他人。"
    ),
    REMINDER: N_("【粤省事】{organisation}提醒您：{day}的健康申报尚未填报，请尽快在粤省事完成填报。"),
    REMINDER_PROXY: N_(
        "【粤省事】{organisation}提醒您：您代为填报的{declarant}{day}健康申报尚未填报，请尽快完成填报。"
    ),
}


# PHONE_CHECK's `task` is an N_ constant (what the code is for, 团体码's 创建团体 / 加入团体); a task listed here has
# its whole sentence, as the word order differs ("You are about to create a group"), any other fills {task}.
PHONE_CHECK_TEXTS = {
    N_("创建团体"): N_("您正在创建团体，验证码{code}，5分钟内有效。如非本人操作，请勿告知他人。"),
    N_("加入团体"): N_("您正在加入团体，验证码{code}，5分钟内有效。如非本人操作，请勿告知他人。"),
}


def message_text(code: str, purpose: str = LOGIN, language: str | None = None, **params: str) -> str:
    """The text of the message, in the recipient's `language` (a locale of i18n.LANGUAGES, e.g. Person.language)
    when the caller knows it, else in the current one: the request's (LOGIN, PHONE_CHECK, ACCOUNT_DELETE go to the
    person asking), 简体中文 outside a request. `language` travels in a sender's **params like the text's own
    parameters, so every sender (and a gateway choosing its template) sees it."""
    if language in LANGUAGES:
        with force_locale(language):
            return _text(code, purpose, params)
    return _text(code, purpose, params)


def _text(code: str, purpose: str, params: dict[str, str]) -> str:
    if purpose == PHONE_CHECK:
        task = params.get("task", "")
        if task in PHONE_CHECK_TEXTS:
            return gettext(PHONE_CHECK_TEXTS[task]).format(code=code, **params)
        params = {**params, "task": gettext(task) if task else task}
    return gettext(TEXTS[purpose]).format(code=code, **params)


class SmsSender(Protocol):
    def send(self, phone: str, code: str, purpose: str = LOGIN, **params: str) -> None:
        """Send `code` for `purpose` (LOGIN, FAMILY_CONSENT …) with that purpose's parameters (TEXTS), and
        `language=` the recipient's locale when the caller knows it (message_text)."""
        ...


@dataclass
class ConsoleSender:
    """Development: the code goes to the log (and the page shows it, in development only).

    Only with `reveal` (development) does the line carry the phone and the code; otherwise the phone is
    masked and the code left out (issue 8 item 11). Production refuses this sender (sms_setup).
    """

    reveal: bool = False

    def send(self, phone: str, code: str, purpose: str = LOGIN, **params: str) -> None:
        if self.reveal:
            log.warning("SMS to %s: %s", phone, message_text(code, purpose, **params))
        else:
            log.warning("SMS to %s: 验证码已生成（仅开发环境写入日志）", mask_phone(phone))  # i18n: data (a log line)


@dataclass
class RecordingSender:
    """Tests: every message kept in order, readable by the test."""

    outbox: list[tuple[str, str]] = field(default_factory=list)
    texts: list[tuple[str, str]] = field(default_factory=list)  # (phone, the whole message)

    def send(self, phone: str, code: str, purpose: str = LOGIN, **params: str) -> None:
        self.outbox.append((phone, code))
        self.texts.append((phone, message_text(code, purpose, **params)))

    def last_code(self, phone: str) -> str:
        return next(code for to, code in reversed(self.outbox) if to == phone)


class SmsError(DomainError):
    """`message`: the refusal in the reader's language; `reason`: the N_ constant it says where a caller tells it
    apart (phone_codes.OTHER_PHONE), compared as it is, never the translated message ("" for the others)."""

    def __init__(self, message: str, reason: str = ""):
        super().__init__(message)
        self.reason = reason


def normalize_phone(phone: str) -> str:
    """Full-width digits become ASCII, so one phone has one hash (rate limits, I3)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", phone or ""))


def validate_phone(phone: str) -> str | None:
    phone = normalize_phone(phone)
    if not phone:
        return gettext("请填写手机号")
    if not _PHONE.match(phone):
        return gettext("请填写11位中国大陆手机号")
    return None


def _digest(code: str, challenge_salt: str) -> str:
    return hmac.new(challenge_salt.encode(), code.encode(), hashlib.sha256).hexdigest()


def lock_sends(session: Session, phone_hash: str, ip: str) -> None:
    """Serialise sends for this phone and this address until the transaction ends (issue 8 item 6).

    Always the phone first, then the address, so two requests never wait for each other in a circle.
    """
    lock_key(session, "sms-phone", phone_hash)
    lock_key(session, "sms-ip", ip)


def check_rate(session: Session, phone_hash: str, ip: str, now: datetime) -> None:
    """Raise SmsError when this phone or this address has asked too often (call lock_sends first)."""
    last = session.scalar(select(func.max(SmsSend.sent_at)).where(SmsSend.phone_hash == phone_hash))
    if last is not None and now - last < PHONE_INTERVAL:
        wait = int((PHONE_INTERVAL - (now - last)).total_seconds()) + 1
        raise SmsError(ngettext("验证码发送过于频繁，请%(num)d秒后再试", "验证码发送过于频繁，请%(num)d秒后再试", wait))
    hour_ago = now - timedelta(hours=1)
    by_phone = session.scalar(
        select(func.count()).where(SmsSend.phone_hash == phone_hash, SmsSend.sent_at > hour_ago)
    )
    if by_phone >= PHONE_PER_HOUR:
        raise SmsError(gettext("该手机号获取验证码次数过多，请1小时后再试"))
    by_ip = session.scalar(select(func.count()).where(SmsSend.ip == ip, SmsSend.sent_at > hour_ago))
    if by_ip >= IP_PER_HOUR:
        raise SmsError(gettext("获取验证码次数过多，请稍后再试"))


def issue_code(
    session: Session, sender: SmsSender, identity: Identity, phone: str, ip: str, now: datetime,
    purpose: str = LOGIN, **params: str,
) -> tuple[SmsChallenge, str]:
    """Send a fresh 6-digit code to `phone` to verify `identity` (for `purpose`, TEXTS); `now` is naive UTC."""
    phone = normalize_phone(phone)
    phone_hash = lookup_hash("phone", phone)
    lock_sends(session, phone_hash, ip)
    check_rate(session, phone_hash, ip, now)
    code = f"{secrets.randbelow(10**6):06d}"
    challenge = SmsChallenge(
        name=identity.name,
        id_type=identity.id_type,
        id_number=identity.id_number,
        phone=phone,
        phone_hash=phone_hash,
        code_hash="",
        created_at=now,
        expires_at=now + CODE_TTL,
    )
    session.add(challenge)
    session.add(SmsSend(phone_hash=phone_hash, ip=ip, sent_at=now))
    session.flush()
    challenge.code_hash = _digest(code, f"{challenge.id}:{phone_hash}")
    sender.send(phone, code, purpose, **params)
    return challenge, code


def verify_code(session: Session, challenge: SmsChallenge, code: str, now: datetime) -> None:
    """Accept the code once, or raise SmsError with what the person should do.

    The try is counted, and the code spent, by conditional UPDATEs, so parallel guesses
    cannot get past the 5 tries nor use one code twice.
    """
    if challenge.used:
        raise SmsError(gettext(CODE_USED))
    if now > challenge.expires_at:
        raise SmsError(gettext("验证码已过期，请重新获取"))
    counted = session.execute(
        update(SmsChallenge)
        .where(SmsChallenge.id == challenge.id, SmsChallenge.tries < MAX_TRIES, SmsChallenge.used.is_(False))
        .values(tries=SmsChallenge.tries + 1)
    ).rowcount
    session.refresh(challenge)
    if not counted:
        raise SmsError(gettext(CODE_USED) if challenge.used else gettext(TOO_MANY_TRIES))
    given = _digest((code or "").strip(), f"{challenge.id}:{challenge.phone_hash}")
    if not hmac.compare_digest(challenge.code_hash, given):
        left = MAX_TRIES - challenge.tries
        raise SmsError(ngettext("验证码错误，还可尝试%(num)d次", "验证码错误，还可尝试%(num)d次", left) if left
                       else gettext(TOO_MANY_TRIES))
    spent = session.execute(
        update(SmsChallenge)
        .where(SmsChallenge.id == challenge.id, SmsChallenge.used.is_(False))
        .values(used=True)
    ).rowcount
    if not spent:
        raise SmsError(gettext(CODE_USED))
    session.refresh(challenge)

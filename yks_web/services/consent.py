"""Consent and 谁可以代我操作 (SPEC I7, P10; issue 8 item 2).

An adult agrees to be someone's 家庭成员 in one of two ways: the owner types the 6-digit code sent to
the phone the adult verified at login, or the adult taps 【同意】 on their own account. On the same
account a person sees everyone who can show their code or declare for them (家庭成员 owners and
代填人) and removes any of them.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, joinedload

from yks_web.i18n import DEFAULT_LOCALE, N_, gettext, ngettext
from yks_web.models.consent import DeclarationNotice, FamilyConsentCode
from yks_web.models.health import FAMILY_ACTIVE, FAMILY_PENDING, FAMILY_REFUSED, FamilyMember
from yks_web.models.people import Person
from yks_web.models.school import Organisation, ProxyBinding
from yks_web.privacy import mask_name
from yks_web.services.errors import DomainError
from yks_web.services.family import consent
from yks_web.services.rate_limits import Limit, hit
from yks_web.services.sms import CODE_TTL, FAMILY_CONSENT, MAX_TRIES, SmsSender

# What the owner is told after 【获取验证码】, whether or not a code could be sent (see send_code); gettext where shown.
SENT = N_("如对方已实名认证，验证码已发送至其实名认证的手机，请向对方获取后填写")
SEND_AGAIN = Limit("family_consent_send", 1, timedelta(seconds=60), N_("验证码发送过于频繁，请1分钟后再试"))
SEND_HOURLY = Limit("family_consent_hour", 5, timedelta(hours=1), N_("获取验证码次数过多，请1小时后再试"))
# Counted per (phone, owner): strangers adding the same adult cannot use up the codes of that adult's real
# family. The phone's own cap across owners only stops SMS bombing; past it the adult can still
# 【同意】 on their own login, which no sender limit touches.
PHONE_HOURLY = Limit("family_consent_phone", 20, timedelta(hours=1), N_("获取验证码次数过多，请1小时后再试"))


class ConsentError(DomainError):
    pass


def _digest(code: str, salt: str) -> str:
    return hmac.new(salt.encode(), code.encode(), hashlib.sha256).hexdigest()


def _salt(row: FamilyConsentCode) -> str:
    return f"family:{row.id}:{row.phone_hash}"


def send_code(
    session: Session, sender: SmsSender, link: FamilyMember, utc_now: datetime
) -> FamilyConsentCode | None:
    """Send a fresh code to the member's verified phone; limited per request and per owner.

    None when the member has no phone bound here (never logged in): they agree on their own login. The
    limits are counted the same either way, so the owner's screens never tell whether the adult has
    ever logged in (review finding: a stranger who knows name + 证件 learns nothing more).
    """
    if not link.active or link.status != FAMILY_PENDING:
        raise ConsentError(gettext("该添加请求已处理，无需验证"))
    pair = f"link:{link.id}"  # one owner asking one adult
    hit(session, SEND_AGAIN, [pair], utc_now)
    hit(session, SEND_HOURLY, [pair, f"owner:{link.owner_id}"], utc_now)
    member = link.member
    if member.phone_hash is None or not member.phone:
        return None
    hit(session, PHONE_HOURLY, [f"phone:{member.phone_hash}"], utc_now)
    code = f"{secrets.randbelow(10**6):06d}"
    row = FamilyConsentCode(
        family_member_id=link.id, phone_hash=member.phone_hash, created_at=utc_now, expires_at=utc_now + CODE_TTL
    )
    session.add(row)
    session.flush()
    row.code_hash = _digest(code, _salt(row))
    # The message names who asks (masked), so the adult knows what the code would agree to; it is written in the
    # member's language (简体中文 if they never chose one), whatever the asker reads.
    sender.send(member.phone, code, FAMILY_CONSENT, language=member.language or DEFAULT_LOCALE,
                requester=mask_name(link.owner.name))
    return row


def confirm_code(session: Session, link: FamilyMember, code: str, utc_now: datetime) -> FamilyMember:
    """The owner types the member's code: once, within 5 minutes, at most 5 tries (as SPEC I3)."""
    if not link.active or link.status != FAMILY_PENDING:
        raise ConsentError(gettext("该添加请求已处理，无需验证"))
    row = session.scalar(
        select(FamilyConsentCode)
        .where(FamilyConsentCode.family_member_id == link.id)
        .order_by(FamilyConsentCode.id.desc())
        .limit(1)
    )
    if row is None:
        raise ConsentError(gettext("请先获取验证码"))
    if row.used:
        raise ConsentError(gettext("验证码已使用，请重新获取"))
    if utc_now > row.expires_at:
        raise ConsentError(gettext("验证码已过期，请重新获取"))
    counted = session.execute(
        update(FamilyConsentCode)
        .where(FamilyConsentCode.id == row.id, FamilyConsentCode.tries < MAX_TRIES,
               FamilyConsentCode.used.is_(False))
        .values(tries=FamilyConsentCode.tries + 1)
    ).rowcount
    session.refresh(row)
    if not counted:
        raise ConsentError(gettext("验证码已使用，请重新获取") if row.used
                           else gettext("验证码错误次数过多，请重新获取"))
    if not hmac.compare_digest(row.code_hash, _digest((code or "").strip(), _salt(row))):
        left = MAX_TRIES - row.tries
        raise ConsentError(ngettext("验证码错误，还可尝试%(num)d次", "验证码错误，还可尝试%(num)d次", left) if left
                           else gettext("验证码错误次数过多，请重新获取"))
    spent = session.execute(
        update(FamilyConsentCode).where(FamilyConsentCode.id == row.id, FamilyConsentCode.used.is_(False))
        .values(used=True)
    ).rowcount
    if not spent:
        raise ConsentError(gettext("验证码已使用，请重新获取"))
    return consent(link, "sms", utc_now)


# -- the member's own account: requests, 谁可以代我操作 ------------------------------------------------------


def requests_for(session: Session, member_id: int) -> list[FamilyMember]:
    """添加请求 waiting for this person's 【同意】 or 【拒绝】, oldest first."""
    return list(
        session.scalars(
            select(FamilyMember)
            .options(joinedload(FamilyMember.owner))
            .where(
                FamilyMember.member_id == member_id,
                FamilyMember.active.is_(True),
                FamilyMember.status == FAMILY_PENDING,
            )
            .order_by(FamilyMember.id)
        )
    )


def _request(session: Session, member_id: int, link_id: int) -> FamilyMember | None:
    row = session.get(FamilyMember, link_id)
    if row is None or row.member_id != member_id or not row.active or row.status != FAMILY_PENDING:
        return None
    return row


def accept(session: Session, member_id: int, link_id: int, utc_now: datetime) -> FamilyMember | None:
    """【同意】 on the member's own login; None when it is not their pending request."""
    row = _request(session, member_id, link_id)
    return None if row is None else consent(row, "login", utc_now)


def refuse(session: Session, member_id: int, link_id: int) -> FamilyMember | None:
    """【拒绝】: the request ends; the owner may ask again, which needs consent again."""
    row = _request(session, member_id, link_id)
    if row is not None:
        row.status, row.active = FAMILY_REFUSED, False
    return row


class Attention(NamedTuple):
    unread_notices: int  # 代申报通知 not yet read
    requests: int  # 添加请求 waiting for 【同意】/【拒绝】


def attention(session: Session, person_id: int) -> Attention:
    """What 个人中心 should point out, in one statement (the home page shows it too)."""
    unread = (
        select(func.count()).select_from(DeclarationNotice)
        .where(DeclarationNotice.person_id == person_id, DeclarationNotice.read_at.is_(None))
        .scalar_subquery()
    )
    waiting = (
        select(func.count()).select_from(FamilyMember)
        .where(FamilyMember.member_id == person_id, FamilyMember.active.is_(True),
               FamilyMember.status == FAMILY_PENDING)
        .scalar_subquery()
    )
    return Attention(*session.execute(select(unread, waiting)).one())


@dataclass(frozen=True)
class Proxy:
    binding: ProxyBinding
    proxy: Person


@dataclass(frozen=True)
class RemovedProxy:
    """A 代填人 I removed, with the organisations they filled in for me: one row per person (P10)."""

    binding: ProxyBinding  # the latest removal, whose id 【重新允许】 carries
    proxy: Person
    organisations: list[Organisation]


@dataclass(frozen=True)
class Delegates:
    family: list[FamilyMember]  # owners who can show my code and declare for me
    proxies: list[Proxy]  # 代填人 who can fill my school declarations
    removed: list[RemovedProxy]  # 代填人 I removed: they cannot bind me again until I allow it


def delegates(session: Session, person_id: int) -> Delegates:
    """谁可以代我操作 (P10): three queries, whatever their number."""
    family = list(
        session.scalars(
            select(FamilyMember)
            .options(joinedload(FamilyMember.owner))
            .where(
                FamilyMember.member_id == person_id,
                FamilyMember.active.is_(True),
                FamilyMember.status == FAMILY_ACTIVE,
            )
            .order_by(FamilyMember.id)
        )
    )
    rows = session.execute(
        select(ProxyBinding, Person)
        .join(Person, Person.id == ProxyBinding.proxy_id)
        .options(joinedload(ProxyBinding.organisation).joinedload(Organisation.school))
        .where(ProxyBinding.declarant_id == person_id, ProxyBinding.active.is_(True))
        .order_by(ProxyBinding.id)
    ).all()
    removed = session.execute(
        select(ProxyBinding, Person)
        .join(Person, Person.id == ProxyBinding.proxy_id)
        .options(joinedload(ProxyBinding.organisation).joinedload(Organisation.school))
        .where(ProxyBinding.declarant_id == person_id, ProxyBinding.removed_by_declarant_at.is_not(None))
        .order_by(ProxyBinding.removed_by_declarant_at.desc(), ProxyBinding.id.desc())
    ).all()
    return Delegates(
        family=family, proxies=[Proxy(binding, proxy) for binding, proxy in rows], removed=_by_proxy(removed)
    )


def _by_proxy(rows) -> list[RemovedProxy]:
    """One row per removed person, latest removal first, listing every organisation it covers."""
    grouped: dict[int, RemovedProxy] = {}
    for binding, proxy in rows:
        if proxy.id not in grouped:
            grouped[proxy.id] = RemovedProxy(binding, proxy, [])
        grouped[proxy.id].organisations.append(binding.organisation)
    return list(grouped.values())


def family_owner(session: Session, person_id: int, link_id: int) -> FamilyMember | None:
    """One of my active 家庭成员 links (as the member); None for anything else (404)."""
    row = session.get(FamilyMember, link_id)
    if row is None or row.member_id != person_id or not row.active or row.status != FAMILY_ACTIVE:
        return None
    return row


def proxy_binding(session: Session, person_id: int, binding_id: int) -> ProxyBinding | None:
    """One of my active 代填人 bindings (as the declarant); None for anything else (404)."""
    row = session.get(ProxyBinding, binding_id)
    if row is None or row.declarant_id != person_id or not row.active:
        return None
    return row


def remove_family_owner(session: Session, person_id: int, link_id: int) -> FamilyMember | None:
    """The member ends a family link: the owner can no longer show their code or declare for them."""
    row = family_owner(session, person_id, link_id)
    if row is not None:
        row.active = False
    return row


def remove_proxy(session: Session, person_id: int, binding_id: int, utc_now: datetime) -> ProxyBinding | None:
    """The declarant ends a 代填人 binding, and it lasts: that proxy's invite card no longer binds them
    (services/membership.check_can_bind) until the declarant 【重新允许】s it (P10, S5, S6)."""
    row = proxy_binding(session, person_id, binding_id)
    if row is not None:
        row.active = False
        row.removed_by_declarant_at = utc_now
    return row


def removed_proxy(session: Session, person_id: int, binding_id: int) -> ProxyBinding | None:
    """A binding whose 代填人 I removed (as the declarant); None for anything else (404)."""
    row = session.get(ProxyBinding, binding_id)
    if row is None or row.declarant_id != person_id or row.removed_by_declarant_at is None:
        return None
    return row


def allow_proxy_again(session: Session, person_id: int, binding_id: int) -> ProxyBinding | None:
    """【重新允许】: the removed proxy may bind me again through an invite card (S4); nothing is bound now.

    Every removal of that person is lifted, whichever organisation it was in: the refusal was of the person.
    """
    row = removed_proxy(session, person_id, binding_id)
    if row is not None:
        session.execute(
            update(ProxyBinding)
            .where(ProxyBinding.declarant_id == person_id, ProxyBinding.proxy_id == row.proxy_id)
            .values(removed_by_declarant_at=None)
        )
    return row

"""解除医学观察电子告知书 (SPEC O7, H4; issue 11 items 5, 6; guide 二 (四) 2 (2)–(4)): the scan's ticket, the
notice's number, issuing it (with the daily cap), finding it for the verification page and the staff's list.

- The scan is resolved once (medical.scan_post: rate limit, audit) and the 出具电子告知书 screen carries a ticket
  sealed like the 粤康码 token (code_tokens.seal) under a purpose of its own: the staff member, the person, the
  time and 8 random bytes, which are the notice's form_key (a double tap of 【提交】 issues one notice).
- A number is "JG" + the local day + 6 characters drawn at random from 32 (no 0/O, 1/I): about a billion a day,
  so a number is not guessed from another one; the public page /n/<number> is rate-limited besides.
- A staff member issues at most MEDICAL_NOTICES_PER_DAY notices a local day; reaching it writes one MedicalAlert
  for the operator (once a staff member a day), and an attempt beyond it is refused with a message.
"""

from __future__ import annotations

import base64
import os
import re
import secrets
import struct
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from cryptography.exceptions import InvalidTag
from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from yks_web.clock import TZ
from yks_web.i18n import N_, gettext, ngettext
from yks_web.models.health import ObservationNotice
from yks_web.models.medical import MedicalAlert, MedicalStaff
from yks_web.models.people import Person
from yks_web.services import audit, code_tokens, scan_tickets
from yks_web.services.errors import DomainError
from yks_web.services.health_data import HealthDataProvider
from yks_web.services.locks import lock_key
from yks_web.services.rate_limits import Limit

DEFAULT_PER_DAY = 50
ROLE = "medical_staff"
VERIFY_LIMIT = Limit("notice_verify", 30, timedelta(minutes=1), N_("查询过于频繁，请稍后再试"))
NONE_OPEN = N_("该人员当前没有需要解除的医学观察")
NOT_FOUND = N_("未找到该告知书，请核对编号")
NOT_OPEN = N_("该医学观察已解除或不存在，请重新扫码")
RELEASED_LATER = N_("解除日期不能晚于今天")
RELEASED_BEFORE = N_("解除日期不能早于医学观察开始日期（%(day)s）")

# -- the scan's ticket -----------------------------------------------------------------------------------------

PURPOSE = b"yks-medical-scan-ticket/v1"
TTL = timedelta(minutes=30)  # time to check the person's papers and fill in the form, not a list to keep
_NONCE = 12
_PAYLOAD = struct.Struct(">III8s")  # staff member (person id), person scanned, issued at (unix seconds), key
_LENGTH = (_NONCE + _PAYLOAD.size + 16) * 4 // 3  # 48 bytes → 64 base64url characters
_SHAPE = re.compile(rf"[A-Za-z0-9_-]{{{_LENGTH}}}")
NOT_YOURS = N_("该扫码结果不属于您，请重新扫码")


class TicketRefused(DomainError):
    """A scan the staff member cannot use (as scan_tickets.TicketRefused): raised with an N_ constant, kept as
    `reason` (to compare); `message` is it in the reader's language."""

    def __init__(self, reason: str):
        super().__init__(gettext(reason))
        self.reason = reason


@dataclass(frozen=True)
class Ticket:
    staff_person_id: int
    person_id: int
    nonce: bytes

    @property
    def form_key(self) -> str:
        return "medical:" + self.nonce.hex()


def seal_ticket(*, staff_person_id: int, person_id: int, now: datetime, secret: str) -> str:
    plain = _PAYLOAD.pack(staff_person_id, person_id, int(now.timestamp()), os.urandom(8))
    return code_tokens.seal(plain, secret, PURPOSE)


def open_ticket(ticket: str, *, staff_person_id: int, now: datetime, secret: str) -> Ticket:
    """The ticket's scan when it is genuine, this staff member's and live; TicketRefused otherwise."""
    if not isinstance(ticket, str) or not _SHAPE.fullmatch(ticket):
        raise TicketRefused(scan_tickets.INVALID)
    raw = base64.urlsafe_b64decode(ticket)
    try:
        staff, person, issued, key = _PAYLOAD.unpack(
            code_tokens._cipher(secret, PURPOSE).decrypt(raw[:_NONCE], raw[_NONCE:], PURPOSE))
    except (InvalidTag, struct.error):
        raise TicketRefused(scan_tickets.INVALID) from None
    if staff != staff_person_id:
        raise TicketRefused(NOT_YOURS)
    if not -code_tokens.SKEW <= now - datetime.fromtimestamp(issued, tz=now.tzinfo) <= TTL:
        raise TicketRefused(scan_tickets.EXPIRED)
    return Ticket(staff, person, key)


# -- numbers -----------------------------------------------------------------------------------------------------

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
NUMBER = re.compile(rf"JG\d{{8}}[{ALPHABET}]{{6}}")


def new_number(day: date) -> str:
    return "JG" + day.strftime("%Y%m%d") + "".join(secrets.choice(ALPHABET) for _ in range(6))


def normalise_number(raw: str | None) -> str | None:
    """A number as typed or scanned (spaces, dashes, lower case), or None when it cannot be one."""
    number = re.sub(r"[\s-]+", "", raw or "").upper()
    return number if NUMBER.fullmatch(number) else None


# -- the daily cap -----------------------------------------------------------------------------------------------


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    """The local day as naive-UTC bounds (issued_at is naive UTC)."""
    utc = ZoneInfo("UTC")
    start = datetime.combine(day, time(), tzinfo=TZ).astimezone(utc).replace(tzinfo=None)
    return start, start + timedelta(days=1)


def local_day(utc_naive: datetime) -> date:
    """The Asia/Shanghai day of a naive-UTC timestamp (出具日期)."""
    return utc_naive.replace(tzinfo=ZoneInfo("UTC")).astimezone(TZ).date()


def issued_on_day(session: Session, issuer_id: int, day: date) -> int:
    start, end = _day_bounds(day)
    return session.scalar(select(func.count()).select_from(ObservationNotice).where(
        ObservationNotice.issuer_id == issuer_id, ObservationNotice.issued_at >= start,
        ObservationNotice.issued_at < end))


def cap_message(cap: int) -> str:
    return ngettext("您今日已出具%(num)d份电子告知书，已达每日上限，请明日再出具；如确需增加，请联系平台运营人员。",
                    "您今日已出具%(num)d份电子告知书，已达每日上限，请明日再出具；如确需增加，请联系平台运营人员。",
                    cap)


class CapReached(DomainError):
    """Refused for the cap: the caller commits anyway, so the operator's alert stays."""


class NoticeRefused(DomainError):
    """The observation is not open or the date is impossible: raised with an N_ constant, kept as `reason` (to
    compare); `message` is it in the reader's language, `params` filled in."""

    def __init__(self, reason: str, **params):
        super().__init__(gettext(reason, **params))
        self.reason = reason


def _alert(session: Session, staff: MedicalStaff, issuer_id: int, day: date, cap: int, utc_now: datetime) -> None:
    """One alert a staff member a day (the caller holds the issuer's cap lock, so no two are written)."""
    exists = session.scalar(select(MedicalAlert.id).where(MedicalAlert.person_id == issuer_id, MedicalAlert.day == day))
    if exists is None:
        session.add(MedicalAlert(person_id=issuer_id, staff_id=staff.id, day=day, cap=cap, created_at=utc_now))
        session.flush()


def recent_alerts(session: Session, today: date, days: int = 7) -> list[MedicalAlert]:
    """The operator's 提醒 of the last `days` local days, newest first, with their staff rows (one query)."""
    return list(session.scalars(
        select(MedicalAlert).options(joinedload(MedicalAlert.staff))
        .where(MedicalAlert.day > today - timedelta(days=days))
        .order_by(MedicalAlert.day.desc(), MedicalAlert.id.desc())
    ))


# -- issuing -----------------------------------------------------------------------------------------------------


def _cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"  # i18n: data (the notice's stored text)


def content(reason: str, since: date, unit: str, released_on: date) -> str:
    """The notice's text as issued and stored (ObservationNotice.content): the document of record, in Simplified
    Chinese whatever the issuer's language, as its number and the verification page show it (data, not UI)."""
    where = f"在{unit}" if unit else ""  # i18n: data
    return (f"因{reason}，自{_cn(since)}起{where}接受医学观察，经评估已符合解除医学观察条件，"  # i18n: data
            f"于{_cn(released_on)}解除医学观察。")  # i18n: data


def issued_for_scan(session: Session, form_key: str, issuer_id: int) -> ObservationNotice | None:
    """The notice this scan's 【提交】 already made, if any."""
    return session.scalar(select(ObservationNotice).where(
        ObservationNotice.form_key == form_key, ObservationNotice.issuer_id == issuer_id))


@dataclass(frozen=True)
class Issued:
    notice: ObservationNotice
    repeated: bool  # the same 【提交】 again: the notice it made the first time


def issue(
    session: Session, data: HealthDataProvider, *, staff: MedicalStaff, issuer_id: int, person: Person,
    observation_id: int, released_on: date, remarks: str, form_key: str, cap: int, utc_now: datetime,
    local_now: datetime,
) -> Issued:
    """【提交】: the notice, numbered; the observation released through the health data provider (the code colour
    follows there); an audit row for the person's 查阅记录. CapReached beyond the daily cap (commit: the alert),
    NoticeRefused when the observation is not open or the date is impossible (roll back)."""
    earlier = issued_for_scan(session, form_key, issuer_id)
    if earlier is not None:
        return Issued(earlier, True)
    today = local_now.date()
    lock_key(session, "medical-notice-cap", str(issuer_id))  # 49 + two taps at once is not 51
    earlier = issued_for_scan(session, form_key, issuer_id)  # the twin of a double tap, committed while we waited
    if earlier is not None:
        return Issued(earlier, True)
    already = issued_on_day(session, issuer_id, today)
    if already >= cap:
        _alert(session, staff, issuer_id, today, cap, utc_now)
        raise CapReached(cap_message(cap))
    observation = next((o for o in data.observations(person.id) if o.id == observation_id), None)
    if observation is None:
        raise NoticeRefused(NOT_OPEN)
    if released_on > today:
        raise NoticeRefused(RELEASED_LATER)
    if released_on < observation.started_on:
        raise NoticeRefused(RELEASED_BEFORE, day=observation.started_on.isoformat())
    number = new_number(today)
    while session.scalar(select(ObservationNotice.id).where(ObservationNotice.number == number)) is not None:
        number = new_number(today)  # one in a billion a day; the unique constraint stands behind it
    notice = ObservationNotice(
        person_id=person.id, issued_at=utc_now, issuer_name=staff.name, institution=staff.unit,
        content=content(observation.reason, observation.started_on, observation.unit, released_on),
        number=number, issuer_id=issuer_id, staff_id=staff.id, reason=observation.reason,
        observed_since=observation.started_on, released_on=released_on, remarks=(remarks or "").strip()[:200],
        form_key=form_key,
    )
    session.add(notice)
    session.flush()
    try:
        data.release_observation(person.id, observation.id, notice_id=notice.id, utc_now=utc_now)
    except DomainError:  # released by another notice a moment ago (the provider's one refusal; the caller rolls back)
        raise NoticeRefused(NOT_OPEN) from None
    audit.record(session, actor_id=issuer_id, role=ROLE, action="issue_notice", subject_ids=[person.id],
                 utc_now=utc_now, context=staff.unit)
    if already + 1 >= cap:
        _alert(session, staff, issuer_id, today, cap, utc_now)
    return Issued(notice, False)


# -- reading -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    notice: ObservationNotice
    name: str  # the person's name (screens mask it)
    id_masked: str


def find(session: Session, raw_number: str | None) -> Found | None:
    """The notice with this number and whose it is (one query), or None (unknown, malformed, forged)."""
    number = normalise_number(raw_number)
    if number is None:
        return None
    row = session.execute(
        select(ObservationNotice, Person.name, Person.id_masked)
        .join(Person, Person.id == ObservationNotice.person_id).where(ObservationNotice.number == number)
    ).first()
    return Found(*row) if row else None


def issued_by(session: Session, issuer_id: int, limit: int = 100) -> list[Found]:
    """已出具的电子告知书: the staff member's own notices, newest first (one query whatever their number)."""
    rows = session.execute(
        select(ObservationNotice, Person.name, Person.id_masked)
        .join(Person, Person.id == ObservationNotice.person_id)
        .where(ObservationNotice.issuer_id == issuer_id)
        .order_by(ObservationNotice.issued_at.desc(), ObservationNotice.id.desc()).limit(limit)
    ).all()
    return [Found(*row) for row in rows]


def issued_count(session: Session, issuer_id: int) -> int:
    return session.scalar(
        select(func.count()).select_from(ObservationNotice).where(ObservationNotice.issuer_id == issuer_id))

"""信息采集上报 (SPEC O6, O9; issue 12 items 5, 6; guide 二 (三) (2) 3)–4); FAQ (四) 4): a 网格员's door-to-door visits.

A visit is typed (手动录入: 姓名, 证件类型 incl. 出生医学证明 for a child without an ID card, 证件号码, 手机号码,
住址, the questions) or follows a scan of the person's 粤康码 (扫粤康码: the identity is the scanned person's,
only 住址 and the questions are typed). `validate_entry` is the one check of what was typed (the form, the offline
queue's sync and these rules say the same); `record` stores it once per `client_key` (the offline queue resends
what it is not sure was stored; a double tap posts twice), and only for a worker with an active binding to an
active grid.
`counts` is the worker's 今日登记次数 and 累计登记次数 in one query.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from yks_web.clock import TZ
from yks_web.i18n import N_, gettext
from yks_web.models.grid import ACTIVE, PENDING, Grid, GridStaff, GridVisit
from yks_web.models.people import ID_TYPES, Person
from yks_web.services.errors import DomainError
from yks_web.services.identity import make_identity, normalize_id, normalize_name, validate_id, validate_name
from yks_web.services.sms import normalize_phone, validate_phone

MANUAL, SCAN = "manual", "scan"
METHODS = (MANUAL, SCAN)
MIN_T, MAX_T = Decimal("34.0"), Decimal("43.0")
ADDRESS_MAX, REMARKS_MAX = 100, 200
BACKDATE = timedelta(days=7)  # an offline record may wait a week for a connection; older is "a week ago"
_CLIENT_KEY = re.compile(r"[A-Za-z0-9_-]{8,64}")
YES, NO = "yes", "no"

# N_: compared as they are; gettext when a refusal is said (a request's language; the source text outside one).
DISSOLVED = N_("该网格已解散，记录无法上传")
UNBOUND = N_("您已不是该网格的网格员（已解绑），记录无法上传")
PENDING_GRID = N_("网格待区划管理员确认，确认后方可进行信息采集，记录无法上传")
REJECTED_GRID = N_("网格未通过区划管理员确认（原因：%(reason)s），记录无法上传")
KEY_TAKEN = N_("该记录的编号已被使用，记录无法上传，请重新录入")


class VisitRefused(DomainError):
    """The visit cannot be stored for this worker and grid (dissolved, unbound, not active): the reason."""


@dataclass(frozen=True)
class VisitAnswers:
    """What a visit records, validated (validate_entry; for a scan, the scanned person's identity)."""

    name: str
    id_type: str
    id_number: str
    address: str
    has_symptoms: bool
    risk_travel: bool
    contact_case: bool
    phone: str | None = None
    temperature: Decimal | None = None
    remarks: str = ""

    @property
    def id_hash(self) -> str:
        return make_identity(self.name, self.id_type, self.id_number).hash


@dataclass(frozen=True)
class Recorded:
    visit: GridVisit
    repeated: bool  # this client_key was stored before: nothing new was stored


# -- what was typed -----------------------------------------------------------------------------------------------


def check_name(raw: str | None) -> str | None:
    return validate_name(raw)


def check_id(id_type: str | None, number: str | None) -> tuple[str | None, str | None]:
    """(message for 证件类型, message for 证件号码): 出生医学证明 is one of the types (FAQ (四) 4)."""
    if id_type not in ID_TYPES:
        return gettext("请选择证件类型"), None
    return None, validate_id(id_type, number or "")


def check_phone(raw: str | None) -> str | None:
    """手机号码 is optional (a child, an elderly person without one); when typed, 11 digits."""
    return validate_phone(raw) if normalize_phone(raw or "") else None


def check_address(raw: str | None) -> str | None:
    address = (raw or "").strip()
    if not address:
        return gettext("请填写住址")
    if len(address) > ADDRESS_MAX:
        return gettext("住址不能超过%(max)d个字", max=ADDRESS_MAX)
    return None


def parse_temperature(raw: str | None) -> tuple[Decimal | None, str | None]:
    """体温 is optional; when typed, 34.0–43.0℃ with at most one decimal."""
    raw = re.sub(r"\s+", "", unicodedata.normalize("NFKC", raw or "")).removesuffix("°C")  # ３６.５℃ is 36.5
    if not raw:
        return None, None
    if len(raw) > 8 or not re.fullmatch(r"\d+(\.\d*)?", raw):  # plain digits: no exponent, sign, NaN or Infinity
        return None, gettext("体温请填写数字，如 36.5")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return None, gettext("体温请填写数字，如 36.5")
    if value.normalize().as_tuple().exponent < -1:
        return None, gettext("体温请保留一位小数，如 36.5")
    if not MIN_T <= value <= MAX_T:
        return None, gettext("体温应在34.0–43.0℃之间，请核对")
    return value.quantize(Decimal("0.1")), None


def check_remarks(raw: str | None) -> str | None:
    return gettext("备注不能超过%(max)d个字", max=REMARKS_MAX) if len((raw or "").strip()) > REMARKS_MAX else None


def check_yes_no(raw: str | None) -> str | None:
    return None if raw in (YES, NO) else gettext("请选择是或否")


def check_client_key(raw: str | None) -> str | None:
    return None if raw and _CLIENT_KEY.fullmatch(raw) else gettext("页面已过期，请刷新后重新录入")


QUESTIONS = ("symptoms", "travel", "contact")


def validate_entry(data: Mapping[str, str | None], *, identity: bool = True) -> tuple[VisitAnswers | None,
                                                                                     dict[str, list[str]]]:
    """One entry as typed (the VisitForm's field names): (answers, {}) or (None, {field: [message]}).

    Without `identity` (扫粤康码: who it is comes from the scan) 姓名, 证件 and 手机号码 are not asked; the answers
    then carry empty identity fields for the caller to fill in (`with_person`)."""
    errors: dict[str, list[str]] = {}

    def say(field: str, message: str | None) -> None:
        if message:
            errors.setdefault(field, []).append(message)

    if identity:
        say("name", check_name(data.get("name")))
        type_error, number_error = check_id(data.get("id_type"), data.get("id_number"))
        say("id_type", type_error)
        say("id_number", number_error)
        say("phone", check_phone(data.get("phone")))
    say("address", check_address(data.get("address")))
    temperature, message = parse_temperature(data.get("temperature"))
    say("temperature", message)
    for question in QUESTIONS:
        say(question, check_yes_no(data.get(question)))
    say("remarks", check_remarks(data.get("remarks")))
    if errors:
        return None, errors
    phone = normalize_phone(data.get("phone") or "") if identity else ""
    return VisitAnswers(
        name=normalize_name(data.get("name")) if identity else "",
        id_type=(data.get("id_type") or "") if identity else "",
        id_number=normalize_id(data.get("id_number") or "") if identity else "",
        phone=phone or None, address=(data.get("address") or "").strip(), temperature=temperature,
        has_symptoms=data.get("symptoms") == YES, risk_travel=data.get("travel") == YES,
        contact_case=data.get("contact") == YES, remarks=(data.get("remarks") or "").strip(),
    ), {}


def with_person(answers: VisitAnswers, person: Person) -> VisitAnswers:
    """A scan's answers: the scanned person's name, 证件 and phone (decrypted here, stored encrypted)."""
    return VisitAnswers(
        name=person.name, id_type=person.id_type, id_number=person.id_number, phone=person.phone or None,
        address=answers.address, temperature=answers.temperature, has_symptoms=answers.has_symptoms,
        risk_travel=answers.risk_travel, contact_case=answers.contact_case, remarks=answers.remarks,
    )


def parse_recorded_at(raw: str | None) -> datetime | None:
    """The device's ISO 8601 time of recording as naive UTC; None when absent or not a time (then: now).
    A time without an offset is the device's local (Asia/Shanghai) time."""
    raw = (raw or "").strip()
    if not raw or len(raw) > 40:
        return None
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=TZ)
        return moment.astimezone(UTC).replace(tzinfo=None)
    except (ValueError, OverflowError):  # not a time, or one at the edge of the calendar (0001-01-01, 9999-12-31)
        return None


def clamp(recorded_at: datetime | None, utc_now: datetime) -> datetime:
    """The device's time within [now - 7 days, now]: a wrong phone clock neither dates a visit in the future
    nor files it under a day long gone."""
    if recorded_at is None:
        return utc_now
    return min(max(recorded_at, utc_now - BACKDATE), utc_now)


def local_day(utc: datetime) -> date:
    """The Asia/Shanghai day of a naive UTC moment (a visit at 23:59 Beijing time is that day's)."""
    return utc.replace(tzinfo=UTC).astimezone(TZ).date()


# -- who may record, and recording once ---------------------------------------------------------------------------


def not_active_reason(grid: Grid) -> str | None:
    if grid.status == ACTIVE:
        return None
    if grid.status == PENDING:
        return gettext(PENDING_GRID)
    return gettext(REJECTED_GRID, reason=grid.reject_reason or "—")


def refusal(session: Session, grid_id: int, worker_id: int) -> tuple[Grid | None, str | None]:
    """(the grid, None) when `worker_id` may record visits for it now; else (grid or None, the reason).

    One who was never bound hears what a dissolved grid says: a stranger learns nothing of a grid's existence."""
    row = session.execute(
        select(Grid, GridStaff.active).outerjoin(
            GridStaff, (GridStaff.grid_id == Grid.id) & (GridStaff.person_id == worker_id))
        .where(Grid.id == grid_id)
    ).first()
    if row is None or row.active is None:
        return None, gettext(DISSOLVED)
    grid, active = row
    if not active:
        return grid, gettext(UNBOUND)
    reason = not_active_reason(grid)
    return grid, reason


def _stored(session: Session, client_key: str) -> GridVisit | None:
    return session.scalar(select(GridVisit).where(GridVisit.client_key == client_key))


def _same(visit: GridVisit, grid_id: int, worker_id: int) -> Recorded:
    if visit.worker_id != worker_id or visit.grid_id != grid_id:
        raise VisitRefused(gettext(KEY_TAKEN))  # another worker's key (or another grid's): never their record
    return Recorded(visit, True)


def _same_person(session: Session, answers: VisitAnswers) -> int | None:
    """The Person a manual entry is of: the 证件 AND the name must match. An ID number alone links nothing, so a
    typed number (or a typo that still passes the check digit) never files a visit under a stranger, nor makes the
    form a test of anyone's health status by number (the key-person list reads the linked people)."""
    found = session.execute(select(Person.id, Person.name).where(
        Person.id_type == answers.id_type, Person.id_hash == answers.id_hash)).first()
    if found is None or normalize_name(found.name) != answers.name:
        return None
    return found.id


def record(
    session: Session, *, grid_id: int, worker_id: int, answers: VisitAnswers, client_key: str,
    recorded_at: datetime | None, utc_now: datetime, method: str, person_id: int | None = None,
) -> Recorded:
    """Store one visit, once per `client_key`; the caller commits.

    A key this worker already stored for this grid answers that visit (repeated=True), even after an unbind: it
    was stored. Otherwise VisitRefused (DISSOLVED, UNBOUND, the grid not active, or KEY_TAKEN by someone else).
    A manual entry is linked to the Person with that 证件 and that name, if any (the key-person list finds it)."""
    if method not in METHODS or check_client_key(client_key):
        raise ValueError("method and client_key are the caller's to get right")
    before = _stored(session, client_key)
    if before is not None:
        return _same(before, grid_id, worker_id)
    grid, reason = refusal(session, grid_id, worker_id)
    if reason is not None:
        raise VisitRefused(reason)
    id_hash = answers.id_hash
    if person_id is None:
        person_id = _same_person(session, answers)
    when = clamp(recorded_at, utc_now)
    visit = GridVisit(
        grid_id=grid_id, worker_id=worker_id, person_id=person_id, name=answers.name, id_type=answers.id_type,
        id_number=answers.id_number, id_hash=id_hash, phone=answers.phone, address=answers.address,
        temperature=answers.temperature, has_symptoms=answers.has_symptoms, risk_travel=answers.risk_travel,
        contact_case=answers.contact_case, remarks=answers.remarks, method=method, client_key=client_key,
        recorded_at=when, created_at=utc_now, local_day=local_day(when),
    )
    try:
        with session.begin_nested():
            session.add(visit)
    except IntegrityError:  # the twin of a double tap (or a resend) stored it first, or 解散网格 won the race
        stored = _stored(session, client_key)
        if stored is not None:
            return _same(stored, grid_id, worker_id)
        _, reason = refusal(session, grid_id, worker_id)
        if reason is not None:  # the grid went (or the binding) between the check and the INSERT
            raise VisitRefused(reason) from None
        raise
    return Recorded(visit, False)


def counts(session: Session, worker_id: int, grid_id: int, day: date) -> tuple[int, int]:
    """(今日登记次数, 累计登记次数) of this worker for this grid, in one query."""
    today, total = session.execute(
        select(func.coalesce(func.sum(case((GridVisit.local_day == day, 1), else_=0)), 0), func.count(GridVisit.id))
        .where(GridVisit.worker_id == worker_id, GridVisit.grid_id == grid_id)
    ).one()
    return int(today), int(total)

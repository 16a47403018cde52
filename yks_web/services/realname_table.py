"""The built-in real-name source (SPEC I6, issue 8 item 1): records an operator sets and the demo loads.

`TableRealName` answers the RealNameVerifier interface (services/realname.py) from the
realname_record table; `set_record`, `remove_record` and `records` are what the operator's CLI
(`flask yks realname …`) and page (/operator/realname) call.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from yks_web.i18n import gettext
from yks_web.models.people import Person
from yks_web.models.realname import RealNameRecord
from yks_web.privacy import lookup_hash, mask_id, mask_phone
from yks_web.services import login_sessions
from yks_web.services.errors import DomainError
from yks_web.services.identity import Identity, normalize_id, validate_id, validate_name
from yks_web.services.locks import lock_key
from yks_web.services.realname import NAME_MISMATCH, NO_PHONE, PHONE_MISMATCH, UNKNOWN, Verdict
from yks_web.services.sms import normalize_phone, validate_phone

ADULT_AGE = 18
_HOUSEHOLD = re.compile(r"^[0-9A-Z]{6,20}$", re.ASCII)
EARLIEST_BIRTH = date(1900, 1, 1)


class RealNameError(DomainError):
    """field: the form field (or CLI option) the message belongs beside."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Parent:
    id_type: str
    id_number: str

    @property
    def hash(self) -> str:
        return lookup_hash(self.id_type, self.id_number)


def phone_hash(phone: str) -> str:
    return lookup_hash("phone", normalize_phone(phone))


def household_hash(household: str) -> str:
    return lookup_hash("household", household)


def normalize_household(household: str | None) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", household or "")).upper()


def id_card_birth_date(number: str) -> date | None:
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def find_record(session: Session, id_type: str, id_hash: str) -> RealNameRecord | None:
    return session.scalar(
        select(RealNameRecord).where(RealNameRecord.id_type == id_type, RealNameRecord.id_hash == id_hash)
    )


class TableRealName:
    """RealNameVerifier over the realname_record table (built with the request's session)."""

    def __init__(self, session: Session):
        self.session = session

    def _record(self, identity: Identity) -> RealNameRecord | None:
        return find_record(self.session, identity.id_type, identity.hash)

    def _matching(self, identity: Identity) -> RealNameRecord | None:
        """The record, only when the name typed is the one it holds (a guardian check never guesses names)."""
        record = self._record(identity)
        return record if record is not None and record.name == identity.name else None

    def verify(self, identity: Identity, phone: str | None = None) -> Verdict:
        record = self._record(identity)
        if record is None:
            return Verdict(False, UNKNOWN)
        if record.name != identity.name:
            return Verdict(False, NAME_MISMATCH)  # never the held name: that would answer who it is
        if phone is not None:
            if record.phone_hash is None:
                return Verdict(False, NO_PHONE)
            if record.phone_hash != phone_hash(phone):
                return Verdict(False, PHONE_MISMATCH)
        return Verdict(True, name=record.name)

    def has_phone(self, identity: Identity) -> bool:
        record = self._record(identity)
        return record is not None and record.phone_hash is not None

    def verified_name(self, identity: Identity) -> str | None:
        record = self._record(identity)
        return record.name if record is not None else None

    def same_household(self, one: Identity, other: Identity) -> bool:
        first, second = self._matching(one), self._matching(other)
        return bool(
            first is not None and second is not None and first.household_hash
            and first.household_hash == second.household_hash
        )

    def is_guardian(self, guardian: Identity, minor: Identity) -> bool:
        """省内户籍: the same household; otherwise a parent on the 出生医学证明 (粤康码 guide 一(二)2)."""
        if self.same_household(guardian, minor):
            return True
        child = self._matching(minor)
        return bool(
            child is not None and self._matching(guardian) is not None
            and guardian.hash in (child.father_hash, child.mother_hash)
        )

    def is_minor(self, identity: Identity, today: date) -> bool:
        if identity.id_type == "birth_cert":
            return True
        record = self._record(identity)
        birth = record.birth_date if record is not None else None
        if birth is None and identity.id_type == "id_card":
            birth = id_card_birth_date(identity.id_number)
        return birth is not None and age_on(birth, today) < ADULT_AGE


def _checked_parent(parent: Parent | None, field: str) -> Parent | None:
    if parent is None:
        return None
    parent = Parent(parent.id_type, normalize_id(parent.id_number))
    problem = validate_id(parent.id_type, parent.id_number)
    if problem:
        raise RealNameError(problem, field)
    return parent


def set_record(
    session: Session, identity: Identity, *, utc_now: datetime, today: date, phone: str | None = None,
    household: str | None = None, birth_date: date | None = None, father: Parent | None = None,
    mother: Parent | None = None,
) -> RealNameRecord:
    """Add or replace the record of one 证件 (the whole record: what is not given is cleared).

    A 内地居民身份证's birth date is the one in its number; parents are named only on a 出生医学证明.
    """
    problem = validate_name(identity.name)
    if problem:
        raise RealNameError(problem, "name")
    problem = validate_id(identity.id_type, identity.id_number)
    if problem:
        raise RealNameError(problem, "id_number")
    if phone:
        problem = validate_phone(phone)
        if problem:
            raise RealNameError(problem, "phone")
    household = normalize_household(household)
    if household and not _HOUSEHOLD.match(household):
        raise RealNameError(gettext("户籍户号应为6–20位数字或字母"), "household")
    if identity.id_type == "id_card":
        from_number = id_card_birth_date(identity.id_number)
        if birth_date is not None and birth_date != from_number:
            raise RealNameError(gettext("出生日期与身份证号码中的出生日期不一致"), "birth_date")
        birth_date = from_number
    if birth_date is not None and not EARLIEST_BIRTH <= birth_date <= today:
        raise RealNameError(gettext("出生日期应在1900年1月1日至今天之间"), "birth_date")
    if (father or mother) and identity.id_type != "birth_cert":
        raise RealNameError(gettext("父母证件仅用于出生医学证明的记录"),
                            "father_id_number" if father else "mother_id_number")
    father = _checked_parent(father, "father_id_number")
    mother = _checked_parent(mother, "mother_id_number")

    lock_key(session, "realname", identity.hash)  # two operators saving one 证件 make one record
    record = find_record(session, identity.id_type, identity.hash)
    if record is None:
        record = RealNameRecord(id_type=identity.id_type, id_number=identity.id_number, id_hash=identity.hash)
        session.add(record)
    record.name = identity.name
    record.phone_hash = phone_hash(phone) if phone else None
    record.phone_masked = mask_phone(normalize_phone(phone)) if phone else ""
    record.household_hash = household_hash(household) if household else None
    record.household_masked = mask_id(household) if household else ""
    record.birth_date = birth_date
    record.father_hash = father.hash if father else None
    record.mother_hash = mother.hash if mother else None
    record.updated_at = utc_now
    session.flush()
    return record


def remove_record(session: Session, id_type: str, id_hash: str) -> bool:
    """Forget one 证件: its person can no longer log in, and the sessions they have end now (not in up to 7
    days); what they declared stays."""
    removed = bool(
        session.execute(
            delete(RealNameRecord).where(RealNameRecord.id_type == id_type, RealNameRecord.id_hash == id_hash)
        ).rowcount
    )
    person_id = session.scalar(select(Person.id).where(Person.id_type == id_type, Person.id_hash == id_hash))
    if removed and person_id is not None:
        login_sessions.end_all(session, person_id)
    return removed


def records(session: Session, *, limit: int = 50, offset: int = 0) -> list[RealNameRecord]:
    """The most recently set records first (the operator's list)."""
    return list(
        session.scalars(
            select(RealNameRecord).order_by(RealNameRecord.updated_at.desc(), RealNameRecord.id.desc())
            .limit(limit).offset(offset)
        )
    )


def record_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(RealNameRecord))

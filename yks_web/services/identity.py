"""证件 validation and matching a person by identity (SPEC I1, I1a, I2)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from yks_web.models.people import ID_TYPES, Person
from yks_web.privacy import lookup_hash

_ID_CARD = re.compile(r"^[1-9]\d{16}[\dX]$", re.ASCII)
# 省级行政区划代码: the first two digits of every 内地居民身份证 number.
_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 "
    "71 81 82 83".split()
)
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_FORMATS = {
    kind: (re.compile(pattern, re.ASCII), message)
    for kind, pattern, message in (
        ("passport", r"^[A-Z0-9]{5,17}$", "护照号码应为5–17位字母或数字"),
        ("hk_macau", r"^[HM]\d{8}(\d{2})?$", "港澳居民来往内地通行证号码应为H或M开头，后接8或10位数字"),
        ("taiwan", r"^\d{8}(\d{2})?$", "台湾居民来往内地通行证号码应为8或10位数字"),
        ("birth_cert", r"^[A-Z]\d{9}$", "出生医学证明编号应为1位字母加9位数字"),
    )
}
NAME_MAX = 30


def normalize_id(number: str) -> str:
    """Full-width characters (a Chinese keyboard's ４ or Ｘ) become ASCII; spaces go."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", number or "")).upper()


def id_card_check_digit(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of a 内地居民身份证 number."""
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def validate_id(id_type: str, number: str) -> str | None:
    """The message to show beside the field, or None when the number is valid."""
    if id_type not in ID_TYPES:
        return "请选择证件类型"
    number = normalize_id(number)
    if not number:
        return "请填写证件号码"
    if id_type == "id_card":
        if not _ID_CARD.match(number):
            return "身份证号码应为18位"
        if number[:2] not in _PROVINCES:
            return "身份证号码的地区码无效，请核对"
        try:
            date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        except ValueError:
            return "身份证号码中的出生日期无效"
        if id_card_check_digit(number[:17]) != number[17]:
            return "身份证号码校验位不正确，请核对"
        return None
    pattern, message = _FORMATS[id_type]
    return None if pattern.match(number) else message


def validate_name(name: str) -> str | None:
    name = (name or "").strip()
    if not name:
        return "请填写姓名"
    if len(name) > NAME_MAX:
        return f"姓名不能超过{NAME_MAX}个字"
    return None


class IdentityMismatch(Exception):
    """A known 证件号码 entered with another name (I1a)."""

    message = "证件号码与姓名不一致，请核对后重新填写"


@dataclass(frozen=True)
class Identity:
    name: str
    id_type: str
    id_number: str

    @property
    def hash(self) -> str:
        return lookup_hash(self.id_type, self.id_number)


def make_identity(name: str, id_type: str, number: str) -> Identity:
    return Identity(name.strip(), id_type, normalize_id(number))


def find_person(session: Session, identity: Identity) -> Person | None:
    return session.scalar(
        select(Person).where(Person.id_type == identity.id_type, Person.id_hash == identity.hash)
    )


def find_or_create_person(session: Session, identity: Identity) -> Person:
    """The one person with this 证件; a different name is refused (I1a)."""
    person = find_person(session, identity)
    if person is not None:
        if person.name != identity.name:
            raise IdentityMismatch()
        return person
    person = Person(
        name=identity.name,
        id_type=identity.id_type,
        id_number=identity.id_number,
        id_hash=identity.hash,
    )
    session.add(person)
    session.flush()
    return person


def build_id_card_number(region: str, birth: date, sequence: int) -> str:
    """A well-formed 内地居民身份证 number (demo data and tests)."""
    first17 = f"{region}{birth:%Y%m%d}{sequence % 1000:03d}"
    return first17 + id_card_check_digit(first17)

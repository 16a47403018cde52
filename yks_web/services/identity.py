"""证件 and name validation, matching a person by identity, and third parties' claims (SPEC I1, I1a, I2, I6).

Who a person is gets decided by the real-name source at that person's own login (services/login.py);
what a third party types (a proxy, a family owner, a collector, an operator) is only their claim:
`claim_person` (issue 8 item 1). Third parties' look-ups are counted per account and per address
(issue 8 item 3), so the one answer that tells something — "证件号码与姓名不一致" for a verified
person — cannot be asked at scale.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from yks_web.i18n import N_, gettext
from yks_web.models.people import ID_TYPES, Person
from yks_web.privacy import lookup_hash
from yks_web.services.locks import lock_key
from yks_web.services.rate_limits import Limit, hit

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
        ("passport", r"^[A-Z0-9]{5,17}$", N_("护照号码应为5–17位字母或数字")),
        ("hk_macau", r"^[HM]\d{8}(\d{2})?$", N_("港澳居民来往内地通行证号码应为H或M开头，后接8或10位数字")),
        ("taiwan", r"^\d{8}(\d{2})?$", N_("台湾居民来往内地通行证号码应为8或10位数字")),
        ("birth_cert", r"^[A-Z]\d{9}$", N_("出生医学证明编号应为1位字母加9位数字")),
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
    """The message to show beside the field (in the reader's language), or None when the number is valid."""
    if id_type not in ID_TYPES:
        return gettext("请选择证件类型")
    number = normalize_id(number)
    if not number:
        return gettext("请填写证件号码")
    if id_type == "id_card":
        if not _ID_CARD.match(number):
            return gettext("身份证号码应为18位")
        if number[:2] not in _PROVINCES:
            return gettext("身份证号码的地区码无效，请核对")
        try:
            date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        except ValueError:
            return gettext("身份证号码中的出生日期无效")
        if id_card_check_digit(number[:17]) != number[17]:
            return gettext("身份证号码校验位不正确，请核对")
        return None
    pattern, message = _FORMATS[id_type]
    return None if pattern.match(number) else gettext(message)


# Ideographs of the CJK blocks (rare characters in names live in the extensions) and 〇.
_CJK = ((0x3007, 0x3007), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2A6DF),
        (0x2A700, 0x2EBEF), (0x2F800, 0x2FA1F), (0x30000, 0x323AF))
# What people type for the 间隔号 of a transliterated name (阿卜杜·热合曼) and for an apostrophe.
_SEPARATOR_FORMS = str.maketrans({"•": "·", "・": "·", "‧": "·", "∙": "·", "⋅": "·", "‘": "'", "’": "'"})
_SEPARATORS = frozenset(" ·-'")
NAME_INVISIBLE = N_("姓名不能包含控制字符或不可见字符")
NAME_LETTERS = N_("姓名只能包含汉字、字母、间隔号“·”和空格")
NAME_SHAPE = N_("姓名中的“·”、空格、“-”或“'”只能用在两个字之间")


def _is_name_letter(ch: str) -> bool:
    code = ord(ch)
    if any(low <= code <= high for low, high in _CJK):
        return True
    return unicodedata.category(ch).startswith("L") and unicodedata.name(ch, "").startswith("LATIN ")


def _is_latin_or_mark(ch: str) -> bool:
    return unicodedata.category(ch) == "Mn" or unicodedata.name(ch, "").startswith("LATIN ")


def normalize_name(name: str | None) -> str:
    """NFKC (full-width letters, ideographic space), one form of "·" and "'", single spaces, no edge spaces.

    Only spaces are tidied: a tab or any other control character stays, so validate_name refuses it.
    """
    name = unicodedata.normalize("NFKC", name or "").translate(_SEPARATOR_FORMS)
    name = re.sub(r" *· *", "·", name)
    return re.sub(r" {2,}", " ", name).strip(" ")


def validate_name(name: str | None) -> str | None:
    """Letters (汉字, Latin with accents), with "·", a space, "-" or "'" between them (issue 8 item 10).

    No control, bidi-override (U+202E) or zero-width (U+200B) character: a name is shown to others
    (申报人列表, 成员管理, exports), and those characters make it read as something it is not.
    """
    name = normalize_name(name)
    if not name:
        return gettext("请填写姓名")
    if any(unicodedata.category(ch)[0] == "C" or unicodedata.category(ch) in ("Zl", "Zp") for ch in name):
        return gettext(NAME_INVISIBLE)
    previous = ""
    for ch in name:
        if ch in _SEPARATORS:
            if not previous or previous in _SEPARATORS:
                return gettext(NAME_SHAPE)
        elif unicodedata.category(ch) == "Mn":  # an accent NFKC could not compose onto its Latin letter
            if not (0x300 <= ord(ch) <= 0x36F and previous and _is_latin_or_mark(previous)):
                return gettext(NAME_LETTERS)
        elif not _is_name_letter(ch):
            return gettext(NAME_LETTERS)
        previous = ch
    if previous in _SEPARATORS:
        return gettext(NAME_SHAPE)
    if len(name) > NAME_MAX:
        return gettext("姓名不能超过%(max)d个字", max=NAME_MAX)
    return None


MISMATCH = N_("证件号码与姓名不一致，请核对后重新填写")


class IdentityMismatch(Exception):
    """A known 证件号码 entered with another name (I1a). `message` is the marked constant: a screen says it with
    gettext (issue 15)."""

    message = MISMATCH


@dataclass(frozen=True)
class Identity:
    name: str
    id_type: str
    id_number: str

    @property
    def hash(self) -> str:
        return lookup_hash(self.id_type, self.id_number)


def make_identity(name: str, id_type: str, number: str) -> Identity:
    return Identity(normalize_name(name), id_type, normalize_id(number))


def find_person(session: Session, identity: Identity) -> Person | None:
    return session.scalar(
        select(Person).where(Person.id_type == identity.id_type, Person.id_hash == identity.hash)
    )


LOOKUP_TOO_MANY = N_("查询证件信息过于频繁，请1小时后再试")
# A collector may hand-add a whole class (40–55 students) within the hour; beyond that one look-up a
# minute per account is plenty. An address is shared (a school's Wi-Fi, a carrier's NAT), so it gets
# several collectors' worth; both stop anyone from testing names against 证件 numbers at scale.
LOOKUPS_PER_ACCOUNT = Limit("identity_lookup_account", 60, timedelta(hours=1), LOOKUP_TOO_MANY)
LOOKUPS_PER_ADDRESS = Limit("identity_lookup_address", 200, timedelta(hours=1), LOOKUP_TOO_MANY)


class Claim(NamedTuple):
    person: Person
    name_matches: bool  # False: an unverified person whose stored name is someone else's claim


def count_lookup(session: Session, *, actor_id: int, ip: str, utc_now: datetime) -> None:
    """One third-party identity look-up by this account from this address; RateLimited when over."""
    hit(session, LOOKUPS_PER_ACCOUNT, [f"person:{actor_id}"], utc_now)
    hit(session, LOOKUPS_PER_ADDRESS, [f"ip:{ip}"], utc_now)


def _new_person(session: Session, identity: Identity, verified_at: datetime | None = None) -> Person:
    person = Person(
        name=identity.name,
        id_type=identity.id_type,
        id_number=identity.id_number,
        id_hash=identity.hash,
        name_verified_at=verified_at,
    )
    session.add(person)
    session.flush()
    return person


def claim_person(
    session: Session, identity: Identity, *, utc_now: datetime, actor_id: int | None = None, ip: str | None = None
) -> Claim:
    """The person a third party means by this 证件 (SPEC I6, issue 8 item 1).

    An unknown 证件 becomes an unverified person under the typed name. A verified person typed
    under another name is refused (I1a, IdentityMismatch). An unverified person stored under another
    name is accepted without a word about it: the other name is only someone else's claim, and the
    person's own login decides. The caller keeps `identity.name` on its binding (typed_name).
    With actor_id and ip (the web paths) the look-up is counted first (RateLimited when over); when
    the claim is refused the caller commits, so the refused look-up still counts.
    """
    if actor_id is not None and ip is not None:
        count_lookup(session, actor_id=actor_id, ip=ip, utc_now=utc_now)
    lock_key(session, "person", identity.hash)  # two first claims of one 证件 make one person
    person = find_person(session, identity)
    if person is None:
        return Claim(_new_person(session, identity), True)
    if person.name == identity.name:
        return Claim(person, True)
    if person.name_verified_at is not None:
        raise IdentityMismatch()
    return Claim(person, False)


def verified_login_person(session: Session, identity: Identity, verified_name: str, utc_now: datetime) -> Person:
    """At the person's own login, once the source has confirmed the identity: their name is the verified one.

    Whatever name a third party typed before is replaced; the bindings keep what each binder typed.
    The row is locked, so two first logins cannot both create or both bind it.
    """
    lock_key(session, "person", identity.hash)
    person = find_person(session, identity)
    if person is None:
        return _new_person(session, Identity(verified_name, identity.id_type, identity.id_number), utc_now)
    person = session.scalars(select(Person).where(Person.id == person.id).with_for_update()).one()
    person.name = verified_name
    person.name_verified_at = utc_now
    return person


def shown_name(person: Person, typed_name: str) -> tuple[str, bool]:
    """What a binder sees for a person they bound, and whether their typed name was wrong.

    Until the person logs in, the binder's own typed name (never another binder's claim); after,
    the verified name, flagged when the binder typed another one. The rule is Person.name_for, so the
    binding rows' `shown_name` (Membership, ProxyBinding, FamilyMember) use the same one.
    """
    return person.name_for(typed_name)


def build_id_card_number(region: str, birth: date, sequence: int) -> str:
    """A well-formed 内地居民身份证 number (demo data and tests)."""
    first17 = f"{region}{birth:%Y%m%d}{sequence % 1000:03d}"
    return first17 + id_card_check_digit(first17)

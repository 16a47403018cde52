"""申报码 of every kind (SPEC O8): 组织机构申报码 start with 1, 场所申报码 with 3, 网格申报码 with 6.

A code is 10 digits: the kind's first digit, then 9 random ones (10⁹ codes per kind), so typing random
codes finds nothing in the few tries the rate limits allow (BIND_PER_ACCOUNT: 10 an hour,
BIND_PER_ADDRESS: 60). Only a well-formed code counts against them (`well_formed` first): a typo costs
no try. The first digit tells every code entry which kind of code was typed when it is the wrong
kind (the grid FAQ 2 relies on it: "以1开头的不是用于网格采集").
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from yks_web.i18n import N_, gettext
from yks_web.services.errors import DomainError
from yks_web.services.rate_limits import Limit, hit

PREFIX = {"institution": "1", "place": "3", "grid": "6"}
LABEL = {"institution": N_("组织机构申报码"), "place": N_("场所申报码"), "grid": N_("网格申报码")}
LENGTH = 10
_SHAPE = _ASCII_SHAPE = re.compile(r"[0-9]{10}")

BIND_PER_ACCOUNT = Limit("bind_code_account", 10, timedelta(hours=1), N_("输入申报码次数过多，请1小时后再试"))
BIND_PER_ADDRESS = Limit("bind_code_address", 60, timedelta(hours=1), N_("输入申报码次数过多，请稍后再试"))


def generate(kind: str) -> str:
    """A fresh random code of `kind` (the caller's unique constraint catches the rare collision)."""
    return PREFIX[kind] + "".join(secrets.choice("0123456789") for _ in range(LENGTH - 1))


def normalise(typed: str | None) -> str:
    """What was typed, in plain digits (NFKC: full-width ３ is 3), without the spaces and dashes people copy along."""
    return re.sub(r"[\s\-－—]", "", unicodedata.normalize("NFKC", typed or ""))  # i18n: data


def well_formed(code: str) -> bool:
    """10 ASCII digits: the shape of every 申报码 (after `normalise`)."""
    return bool(_ASCII_SHAPE.fullmatch(code))


def kind_of(code: str) -> str | None:
    """The kind a well-formed code's first digit names, None for anything else."""
    if not _SHAPE.fullmatch(code):
        return None
    return next((kind for kind, first in PREFIX.items() if code.startswith(first)), None)


# What else people paste into a code field, and what to tell them (O8: "tells which kind of code was typed").
_OTHER_LINKS = (
    ("/invite/", N_("这是学校的邀请链接，请直接点击打开，不能在此绑定")),
    ("/p/", N_("这是公共场所的体温正常快速打卡葵花码，不能在此绑定")),
    ("/code/scan/", N_("这是粤康码，不能在此绑定")),
)


def wrong_kind_message(code: str, wanted: str, typed: str = "") -> str | None:
    """Why `code` (normalised) cannot be a `wanted` code, in the words a person understands; None when it may be
    one. `typed` is the raw text, to recognise a pasted link of another kind."""
    label, first = gettext(LABEL[wanted]), PREFIX[wanted]
    if not _SHAPE.fullmatch(code):
        lowered = (typed or code).lower()
        for part, message in _OTHER_LINKS:
            if part in lowered:
                return gettext("%(message)s；%(label)s是以%(first)s开头的%(length)d位数字", message=gettext(message),
                               label=label, first=first, length=LENGTH)
        return gettext("请输入%(length)d位数字的%(label)s", length=LENGTH, label=label)
    kind = kind_of(code)
    if kind == wanted:
        return None
    if wanted == "grid" and kind == "institution":
        return gettext("以1开头的不是用于网格采集，正确的网格申报码以6开头，请向网格管理员确认")
    if kind is None:
        return gettext("%(label)s以%(first)s开头，请检查后重新输入", label=label, first=first)
    return gettext("这是%(kind)s，不能在此绑定；%(label)s以%(first)s开头", kind=gettext(LABEL[kind]), label=label,
                   first=first)


class CodeRefused(DomainError):
    """A typed code that cannot be the wanted kind (the message says why), or too many tries (RateLimited)."""


def counted_code(session: Session, typed: str, wanted: str, *, person_id: int, address: str,
                 utc_now: datetime) -> str:
    """The code a person typed into a `wanted` code's field, normalised: a malformed one is refused at once and costs
    no try; a well-formed one counts against BIND_PER_* (rate_limits.RateLimited beyond them), then a code of
    another kind is refused naming its kind. The caller looks the code up (and commits, also when refused)."""
    code = normalise(typed)
    if not well_formed(code):
        raise CodeRefused(wrong_kind_message(code, wanted, typed))
    hit(session, BIND_PER_ACCOUNT, [f"person:{person_id}"], utc_now)
    hit(session, BIND_PER_ADDRESS, [f"ip:{address}"], utc_now)
    wrong = wrong_kind_message(code, wanted)
    if wrong:
        raise CodeRefused(wrong)
    return code

"""Real-name verification (SPEC I6): the interface the app talks to.

In production this is the public-security source behind 实名认证; the built-in provider
(services/realname_table.py) reads records an operator sets (CLI + operator page) and the demo
loads. The app never decides on its own that a name belongs to a 证件: what a third party types
(a proxy, a family owner, a collector, an operator) is only their claim until the person logs in.

Guardian checks follow the 粤康码 guide (未成年人登录使用粤康码): an in-province 户籍 minor (身份证)
passes when the guardian is in the same household; otherwise the guardian must be a parent named
on the minor's 出生医学证明.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from yks_web.i18n import N_
from yks_web.services.identity import Identity

UNKNOWN = N_("系统未包含该身份信息")  # the guide's FAQ 7 wording for an identity the source does not hold
NAME_MISMATCH = N_("证件号码与姓名不一致，请核对后重新填写")
NO_PHONE = N_("该证件没有实名登记的手机号，无法通过短信验证码认证；可由家人通过“添加家庭成员”代为出示粤康码")
PHONE_MISMATCH = N_("该手机号不是此证件实名登记的手机号，请使用本人手机号")
NOT_GUARDIAN = N_("未能核实您与该未成年人的监护关系（省内户籍需为同一户籍成员，省外需为出生医学证明上的父母）")


@dataclass(frozen=True)
class Verdict:
    ok: bool
    message: str = ""  # why not, in words to show beside the form
    name: str | None = None  # the verified name of this 证件, when the source knows it


class RealNameVerifier(Protocol):
    def verify(self, identity: Identity, phone: str | None = None) -> Verdict:
        """Does this name belong to this 证件 (and, when given, this phone to this person)?

        With a phone (a login) the source must hold that very phone: a 证件 whose record has none cannot
        log in by SMS, or whoever typed the name and number first would bind their own phone to it.
        """
        ...

    def has_phone(self, identity: Identity) -> bool:
        """Whether the source holds a phone for this 证件 (then consent goes to it, never a household shortcut)."""
        ...

    def verified_name(self, identity: Identity) -> str | None:
        """The name the source holds for this 证件, or None when it holds none."""
        ...

    def is_guardian(self, guardian: Identity, minor: Identity) -> bool:
        """Same household (in-province 户籍), or a parent on the minor's 出生医学证明."""
        ...

    def same_household(self, one: Identity, other: Identity) -> bool:
        """Both in one 户籍 household (an elder without a phone is added this way, I7)."""
        ...

    def is_minor(self, identity: Identity, today: date) -> bool:
        """Under 18 on `today` by the source's birth date (出生医学证明 holders are always minors)."""
        ...

"""扫码查验 (SPEC H1, P6, P9; issue 8 item 8): a scanner resolves a 粤康码 token — entitled, limited, audited.

Scanning is a role (services/access.SCANNERS: operators, place inspectors, medical staff and grid workers of a
confirmed grid). Every resolve counts against two limits before the token is even read:

- per account, 120 a minute: a busy door is one code every 2–3 seconds (hold the phone up, read the
  colour, wave the person on), 20–30 a minute; 120 leaves room for re-scans of a glaring screen and a
  device that reads a queue quickly, yet stops a stolen scanner account from harvesting codes in bulk.
- per address, 600 a minute: several inspectors at one gate share the venue's Wi-Fi or a carrier's
  NAT address, so the address allows five busy accounts at once.

Every successful resolve writes one audit row (action "resolve_code", the scanner's role, the subject),
which the person sees in 查阅记录.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from yks_web.i18n import N_, gettext
from yks_web.models.people import Person
from yks_web.services import access, audit, code_tokens
from yks_web.services.rate_limits import Limit, hit

PER_ACCOUNT = Limit("scan_account", 120, timedelta(minutes=1), N_("扫码过于频繁，请稍后再试"))
PER_ADDRESS = Limit("scan_address", 600, timedelta(minutes=1), N_("扫码过于频繁，请稍后再试"))
NOT_A_SCANNER = N_("该二维码仅供防疫检查人员扫码查验，扫码结果不向其他人显示。")
ACTION = "resolve_code"  # 查阅记录 says 扫码查验 (services/audit.ACTION_LABELS)


class NotAScanner(Exception):
    @property
    def message(self) -> str:
        return gettext(NOT_A_SCANNER)


@dataclass(frozen=True)
class Scan:
    role: str
    person: Person | None  # None: the token is expired, forged or names nobody


def scan(
    session: Session, scanner: Any, token: str, *, address: str, now: datetime, utc_now: datetime, secret: str,
    context: str = "", as_role: str | None = None,
) -> Scan:
    """Resolve `token` for `scanner` (the caller commits, also on a refused token: the attempt counts).

    `context` says where the scan happened (an inspector's place name), for the person's 查阅记录. `as_role`
    names the scanning role the screen is for (a place's 体温检测 scans as "inspector" even when the account is
    also an operator), and the account must hold it. Raises NotAScanner for an account without that (or any)
    scanning role (nothing is counted or read), and rate_limits.RateLimited beyond a limit (nothing is read).
    """
    role = access.scanning_role(session, scanner) if as_role is None else (
        as_role if access.holds_scanning_role(session, scanner, as_role) else None)
    if role is None:
        raise NotAScanner()
    hit(session, PER_ACCOUNT, [f"person:{scanner.id}"], utc_now)
    hit(session, PER_ADDRESS, [f"ip:{address}"], utc_now)
    try:
        person_id = code_tokens.resolve(token, now, secret)
    except code_tokens.TokenInvalid:
        return Scan(role, None)
    person = session.get(Person, person_id)
    if person is not None:
        audit.record(session, actor_id=scanner.id, role=role, action=ACTION, subject_ids=[person.id],
                     utc_now=utc_now, context=context)
    return Scan(role, person)

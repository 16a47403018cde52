"""The 登记 screen's ticket (SPEC O3, O9; issue 10 item 3, issue 12 item 5): what a scan resolved, carried in the
URL — an inspector's at a place, or a 网格员's in a grid (`kind`: each sealed under its own purpose, so one is
never the other).

The 粤康码 token lives 2 minutes and every resolve is counted and audited, so the scan is resolved once
(places.scan_post) and the 登记 screen, 【查看健康信息】 and 【提交】 carry a ticket instead: the place, the
person, the inspector, the time and 8 random bytes, sealed with AES-GCM like the token itself
(code_tokens.seal) under a purpose of its own, so a 粤康码 token is never a ticket nor a ticket a token.
It lives 10 minutes: time to measure a temperature and tap 【提交】, not a list to harvest later. The 8
random bytes make each scan one registration: they are the check's form_key, so a double tap of 【提交】
records once and only a new scan records again (FAQ 12).
"""

from __future__ import annotations

import base64
import os
import re
import struct
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography.exceptions import InvalidTag

from yks_web.i18n import N_, gettext
from yks_web.services import code_tokens
from yks_web.services.errors import DomainError

PURPOSE = b"yks-place-scan-ticket/v1"
# A ticket's kind is its purpose: a 网格员's scan (issue 12 item 5; place_id then holds the grid, inspector_id the
# worker) never opens as a place's, nor a place's as a grid's.
PURPOSES = {"place": PURPOSE, "grid": b"yks-grid-scan-ticket/v1"}
TTL = timedelta(minutes=10)
SKEW = code_tokens.SKEW
_NONCE = 12  # code_tokens.seal's AES-GCM nonce
_PAYLOAD = struct.Struct(">IIII8s")  # place, person, inspector, issued at (unix seconds), the scan's random key
_LENGTH = (_NONCE + _PAYLOAD.size + 16) * 4 // 3 + 1  # 52 bytes → 70 base64url characters, no padding
_SHAPE = re.compile(rf"[A-Za-z0-9_-]{{{_LENGTH}}}")

INVALID = N_("扫码结果无效，请重新扫码")
EXPIRED = N_("扫码结果已过期，请重新扫码")
NOT_HERE = N_("该扫码结果不属于本场所，请重新扫码")
NOT_THIS_GRID = N_("该扫码结果不属于本网格，请重新扫码")


class TicketRefused(DomainError):
    """A ticket that cannot be used: forged or malformed, expired, or of another place or inspector. Raised with
    one of the constants above, kept as `reason` (to compare); `message` is it in the reader's language."""

    def __init__(self, reason: str):
        super().__init__(gettext(reason))
        self.reason = reason


@dataclass(frozen=True)
class Ticket:
    place_id: int
    person_id: int
    inspector_id: int
    issued_at: datetime  # aware, in the timezone of the `now` it was opened with
    nonce: bytes

    @property
    def form_key(self) -> str:
        """The registration's idempotency key (TemperatureCheck.form_key): one per scan."""
        return self.nonce.hex()


def seal(*, place_id: int, person_id: int, inspector_id: int, now: datetime, secret: str, kind: str = "place") -> str:
    """A fresh ticket for one scan (`now` aware, the clock's)."""
    plain = _PAYLOAD.pack(place_id, person_id, inspector_id, int(now.timestamp()), os.urandom(8))
    return code_tokens.seal(plain, secret, PURPOSES[kind])


def _unseal(ticket: str, secret: str, kind: str = "place") -> tuple[int, int, int, int, bytes]:
    if not isinstance(ticket, str) or not _SHAPE.fullmatch(ticket):  # one spelling per ticket
        raise TicketRefused(INVALID)
    raw = base64.urlsafe_b64decode(ticket + "==")
    nonce, sealed = raw[:_NONCE], raw[_NONCE:]
    try:
        # code_tokens' own key derivation, for this purpose: one way to seal, one to open.
        purpose = PURPOSES[kind]
        return _PAYLOAD.unpack(code_tokens._cipher(secret, purpose).decrypt(nonce, sealed, purpose))
    except (InvalidTag, struct.error):
        raise TicketRefused(INVALID) from None


def _live(fields: tuple[int, int, int, int, bytes], now: datetime) -> Ticket:
    place_id, person_id, inspector_id, issued, key = fields
    issued_at = datetime.fromtimestamp(issued, tz=now.tzinfo)
    if not -SKEW <= now - issued_at <= TTL:
        raise TicketRefused(EXPIRED)
    return Ticket(place_id, person_id, inspector_id, issued_at, key)


def open(ticket: str, now: datetime, secret: str, kind: str = "place") -> Ticket:  # noqa: A001 — seal's counterpart
    """The fields of a genuine live ticket; TicketRefused (INVALID or EXPIRED) for anything else."""
    return _live(_unseal(ticket, secret, kind), now)


def open_for(ticket: str, *, place_id: int, inspector_id: int, now: datetime, secret: str,
             kind: str = "place") -> Ticket:
    """open(), and the ticket must be this inspector's scan at this place: NOT_HERE is said before EXPIRED
    (whose scan it is matters more than its age)."""
    fields = _unseal(ticket, secret, kind)
    if (fields[0], fields[2]) != (place_id, inspector_id):
        raise TicketRefused(NOT_THIS_GRID if kind == "grid" else NOT_HERE)
    return _live(fields, now)

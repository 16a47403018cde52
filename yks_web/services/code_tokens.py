"""The token inside a 粤康码 QR (SPEC H1): signed, naming the person, alive 2 minutes.

An inspector's scan resolves it to the person; the raw ID never leaves the server. The time is
our clock's (tests set it), not the signer's.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from itsdangerous import BadSignature, Signer

TTL = timedelta(minutes=2)
REFRESH_SECONDS = 60
EXPIRED = "二维码已失效，请刷新后重新出示"


class TokenInvalid(Exception):
    message = EXPIRED


def _signer(secret: str) -> Signer:
    return Signer(secret, salt="yks-health-code")


def issue(person_id: int, now: datetime, secret: str) -> str:
    payload = f"{person_id}.{int(now.timestamp())}.{secrets.token_hex(4)}"
    return _signer(secret).sign(payload).decode()


def resolve(token: str, now: datetime, secret: str) -> int:
    """The person behind a live token, or TokenInvalid (forged, malformed, expired)."""
    if not token or len(token) > 200:
        raise TokenInvalid()
    signer = _signer(secret)
    try:
        payload = signer.unsign(token).decode()
        if signer.sign(payload).decode() != token:  # one spelling per token: no base64 padding-bit variants
            raise BadSignature("non-canonical")
        person_id, issued, _ = payload.split(".")
        issued_at = datetime.fromtimestamp(int(issued), tz=now.tzinfo)
        person = int(person_id)
    except (BadSignature, ValueError, UnicodeDecodeError):
        raise TokenInvalid() from None
    if not timedelta(0) - timedelta(seconds=5) <= now - issued_at <= TTL:
        raise TokenInvalid()
    return person

"""The token inside a 粤康码 QR (SPEC H1; issue 8 item 8): opaque, naming the person, alive 2 minutes.

The token is AES-GCM sealed: a random 96-bit nonce, then the person's id and the issue time encrypted
and authenticated under a key derived from SECRET_KEY for this purpose only (HKDF-SHA256), base64url
without padding — 48 characters, so the QR stays small. Without the key it says nothing, not even the
internal person id, and any change to it is refused. Only an account entitled to scan resolves it
(services/code_scans.py). The time is our clock's (tests set it), not the issuer's.
"""

from __future__ import annotations

import base64
import os
import re
import struct
from datetime import datetime, timedelta
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from yks_web.i18n import N_, gettext

TTL = timedelta(minutes=2)
REFRESH_SECONDS = 60
SKEW = timedelta(seconds=5)  # a token "from the future" by a clock step between app nodes is still live
EXPIRED = N_("二维码已失效，请刷新后重新出示")  # shown translated: gettext(EXPIRED)

PURPOSE = b"yks-health-code-token/v1"
_NONCE = 12
_PAYLOAD = struct.Struct(">II")  # person id (< 2**31), issued at (unix seconds)
_RAW_LENGTH = _NONCE + _PAYLOAD.size + 16  # + the GCM tag
LENGTH = _RAW_LENGTH * 4 // 3  # 36 bytes → 48 characters, no padding
_SHAPE = re.compile(rf"[A-Za-z0-9_-]{{{LENGTH}}}")


class TokenInvalid(Exception):
    @property
    def message(self) -> str:
        return gettext(EXPIRED)


@lru_cache(maxsize=4)
def _cipher(secret: str, purpose: bytes = PURPOSE) -> AESGCM:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(secret.encode())
    return AESGCM(key)


def seal(plain: bytes, secret: str, purpose: bytes = PURPOSE) -> str:
    """Encrypt `plain` as a token string (issue builds on it; tests use it to forge well-sealed odd payloads)."""
    nonce = os.urandom(_NONCE)
    sealed = nonce + _cipher(secret, purpose).encrypt(nonce, plain, purpose)
    return base64.urlsafe_b64encode(sealed).decode().rstrip("=")


def issue(person_id: int, now: datetime, secret: str) -> str:
    return seal(_PAYLOAD.pack(person_id, int(now.timestamp())), secret)


def resolve(token: str, now: datetime, secret: str) -> int:
    """The person behind a live token, or TokenInvalid (forged, malformed, another purpose, expired)."""
    if not isinstance(token, str) or not _SHAPE.fullmatch(token):  # one spelling per token: no padding, no variants
        raise TokenInvalid()
    raw = base64.urlsafe_b64decode(token)
    nonce, sealed = raw[:_NONCE], raw[_NONCE:]
    try:
        person_id, issued = _PAYLOAD.unpack(_cipher(secret).decrypt(nonce, sealed, PURPOSE))
    except (InvalidTag, struct.error):
        raise TokenInvalid() from None
    age = now - datetime.fromtimestamp(issued, tz=now.tzinfo)
    if not -SKEW <= age <= TTL or person_id == 0:
        raise TokenInvalid()
    return person_id

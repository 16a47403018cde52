"""Personal data at rest (SPEC P6): encryption, keyed lookup hashes, masking.

ID and phone numbers are stored encrypted (Fernet, AES-128-CBC + HMAC) and found
again through an HMAC-SHA256 "lookup hash", so the database never holds them in
clear. The keys come from configuration; `configure` is called by create_app.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import String
from sqlalchemy.types import TypeDecorator

from yks_web.i18n import N_, gettext

_fernet: Fernet | None = None
_lookup_key: bytes = b""


def _derive(secret: str, purpose: str) -> bytes:
    return hashlib.sha256(f"{purpose}:{secret}".encode()).digest()


def configure(data_key: str, lookup_key: str) -> None:
    """Bind the process-wide keys (from config DATA_KEY / LOOKUP_KEY)."""
    global _fernet, _lookup_key
    _fernet = Fernet(base64.urlsafe_b64encode(_derive(data_key, "data")))
    _lookup_key = _derive(lookup_key, "lookup")


def encrypt(plain: str) -> str:
    assert _fernet is not None, "privacy.configure() was not called"
    return _fernet.encrypt(plain.encode()).decode()


def decrypt(token: str) -> str:
    assert _fernet is not None, "privacy.configure() was not called"
    try:
        return _fernet.decrypt(token.encode()).decode()
    except InvalidToken as exc:  # a key change must be loud, never silent garbage
        raise ValueError("personal data cannot be decrypted with the configured key") from exc


def lookup_hash(*parts: str) -> str:
    """Keyed hash to find a person by identity without storing it in clear."""
    message = "\x1f".join(parts).encode()
    return hmac.new(_lookup_key, message, hashlib.sha256).hexdigest()


class Encrypted(TypeDecorator):
    """A string column stored encrypted; Python code sees the clear value."""

    impl = String(255)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else encrypt(value)

    def process_result_value(self, value, dialect):
        return None if value is None else decrypt(value)


def mask_id(number: str) -> str:
    """44**************12: first two and last two characters kept."""
    if len(number) <= 4:
        return "*" * len(number)
    return number[:2] + "*" * (len(number) - 4) + number[-2:]


def mask_phone(phone: str) -> str:
    """138****0019."""
    if len(phone) < 8:
        return "*" * len(phone)
    return phone[:3] + "****" + phone[-4:]


# What a deleted account's anonymous row is called (services/deleted_accounts.py): no one's name, shown whole (stored
# as this msgid, in the reader's language where shown).
DELETED_ACCOUNT_NAME = N_("已注销用户")


def mask_name(name: str) -> str:
    """*立叶 style: the family name hidden (used on public screens); 已注销用户 stays whole (issue 16 item 2)."""
    if name == DELETED_ACCOUNT_NAME:
        return gettext(name)
    if len(name) <= 1:
        return "*"
    return "*" + name[1:]


def sex_and_birth_year(id_type: str, number: str | None) -> tuple[str, int | None]:
    """("M"/"F", 1990) read from an 18-digit 内地居民身份证 (GB 11643: digits 7–10 the birth year, the 17th odd
    for men); ("", None) for any other document, whose number says neither. Statistics keep only these two
    facts with a check, never the number (issue 10 item 6)."""
    if id_type != "id_card" or not number or len(number) != 18 or not number[:17].isdigit():
        return "", None
    year = int(number[6:10])
    return ("M" if int(number[16]) % 2 else "F"), (year if 1900 <= year <= 2100 else None)

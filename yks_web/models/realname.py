"""The built-in real-name source's records (SPEC I6, issue 8 item 1): what the operator sets, the demo loads.

One row per 证件 (证件类型 + 证件号码), kept like Person's (privacy.py): the number encrypted, found by a
keyed hash, shown masked. The phone, the 户籍户号 and the parents' 证件 on a 出生医学证明 are only ever
compared, so only their keyed hashes (and a masked form to show the operator) are stored.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, validates

from yks_web.clock import utcnow
from yks_web.extensions import db
from yks_web.models.people import ID_TYPES
from yks_web.privacy import Encrypted, mask_id


class RealNameRecord(db.Model):
    __tablename__ = "realname_record"
    __table_args__ = (UniqueConstraint("id_type", "id_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    id_type: Mapped[str] = mapped_column(String(16))
    id_number: Mapped[str] = mapped_column(Encrypted, deferred=True)
    id_masked: Mapped[str] = mapped_column(String(32), default="")
    id_hash: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(50))
    phone_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    phone_masked: Mapped[str] = mapped_column(String(16), default="")
    # 户籍户号 of an in-province (广东) household; None for out-of-province and foreign people.
    household_hash: Mapped[str | None] = mapped_column(String(64), index=True, nullable=True)
    household_masked: Mapped[str] = mapped_column(String(32), default="")
    birth_date: Mapped[date | None] = mapped_column(nullable=True)
    # The parents named on a 出生医学证明: lookup hashes of their (证件类型, 证件号码).
    father_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    mother_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    @validates("id_number")
    def _keep_masked(self, key: str, number: str) -> str:
        self.id_masked = mask_id(number)
        return number

    @property
    def id_type_label(self) -> str:
        return ID_TYPES.get(self.id_type, self.id_type)

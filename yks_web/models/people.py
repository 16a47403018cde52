"""People, their login challenges, and the audit log (SPEC I1–I5, P6)."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Column, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, validates

from yks_web.clock import utcnow
from yks_web.extensions import db
from yks_web.i18n import N_
from yks_web.privacy import Encrypted, mask_id, mask_phone

ID_TYPES: dict[str, str] = {  # N_: the label stays this text; a screen translates it (| tr, issue 15)
    "id_card": N_("内地居民身份证"),
    "passport": N_("外国护照"),
    "hk_macau": N_("港澳居民来往内地通行证"),
    "taiwan": N_("台湾居民来往内地通行证"),
    "birth_cert": N_("出生医学证明"),
}


class Person(UserMixin, db.Model):
    """Someone identified by (证件类型, 证件号码); may log in once a phone is verified."""

    __tablename__ = "person"
    __table_args__ = (UniqueConstraint("id_type", "id_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    id_type: Mapped[str] = mapped_column(String(16))
    # Decrypted only when read (deferred): lists show the stored masked form, not the number.
    id_number: Mapped[str] = mapped_column(Encrypted, deferred=True)
    id_masked: Mapped[str] = mapped_column(String(32), default="")
    id_hash: Mapped[str] = mapped_column(String(64))
    phone: Mapped[str | None] = mapped_column(Encrypted, nullable=True, deferred=True)
    phone_hash: Mapped[str | None] = mapped_column(String(64), index=True, nullable=True)
    is_operator: Mapped[bool] = mapped_column(default=False)
    # When the real-name source last confirmed `name` at this person's own login (SPEC I6); None while
    # the name is only what a third party typed (a proxy, family owner, collector, operator).
    name_verified_at: Mapped[datetime | None] = mapped_column(nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The language the person chose with the switch (issue 15: zh_Hans_CN, zh_Hant_HK, en); None: the cookie's,
    # else the browser's (yks_web/i18n_setup.py).
    language: Mapped[str | None] = mapped_column(String(16), nullable=True)

    @validates("id_number")
    def _keep_masked(self, key: str, number: str) -> str:
        self.id_masked = mask_id(number)
        return number

    @property
    def masked_id(self) -> str:
        """44**************12 (SPEC P6), without decrypting the number."""
        return self.id_masked or mask_id(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone) if self.phone else ""

    @property
    def id_type_label(self) -> str:
        return ID_TYPES.get(self.id_type, self.id_type)

    def name_for(self, typed_name: str) -> tuple[str, bool]:
        """What a binder who typed `typed_name` sees, and whether that typed name was wrong (SPEC I6).

        Until the person logs in, the binder's own typed name (never another binder's claim, which is
        what `name` holds then); after, the verified name, flagged when the binder typed another one.
        """
        if self.name_verified_at is None:
            return typed_name or self.name, False
        return self.name, bool(typed_name) and typed_name != self.name


class SmsChallenge(db.Model):
    """One 6-digit code sent to a phone: 5 minutes, 5 tries (SPEC I3).

    It carries the identity being verified, so no person is created (or locked to a
    name) before the code is proved; identity and phone are encrypted like Person's.
    """

    __tablename__ = "sms_challenge"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    id_type: Mapped[str] = mapped_column(String(16))
    id_number: Mapped[str] = mapped_column(Encrypted)
    phone: Mapped[str] = mapped_column(Encrypted)
    phone_hash: Mapped[str] = mapped_column(String(64))
    code_hash: Mapped[str] = mapped_column(String(64))
    tries: Mapped[int] = mapped_column(default=0)
    used: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]


class SmsSend(db.Model):
    """A record of each code sent, for the per-phone and per-IP rate limits."""

    __tablename__ = "sms_send"
    __table_args__ = (Index("ix_sms_send_phone_at", "phone_hash", "sent_at"),
                      Index("ix_sms_send_ip_at", "ip", "sent_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    phone_hash: Mapped[str] = mapped_column(String(64))
    ip: Mapped[str] = mapped_column(String(64))
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)


class Feedback(db.Model):
    """帮助与反馈: what a person reported from 个人中心."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    text: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def refers_to(column: Column) -> str | None:
    """The "table.column" a column points to: its foreign key's target or, for a column left without one on
    purpose (AuditLog's), the target its info["references"] names. Walks of the schema for "every column naming a
    person" (注销账号, 我的数据) go through this, so a column without a foreign key is not missed."""
    fk = next(iter(column.foreign_keys), None)
    return fk.target_fullname if fk is not None else column.info.get("references")


class AuditLog(db.Model):
    """Each read of a person's data by someone else (SPEC P6), shown to them in 查阅记录 (P10).

    `role` is the reader's role at the time (collector, school_admin, operator, scanner …) and
    `context` the organisation, place or grid it was read for, kept as text so the record stays
    readable after that organisation is renamed or gone.

    No foreign keys (issue 14 item 4): every list screen bulk-inserts one row per person shown
    (services/audit.py), and on PostgreSQL the three FK checks (a lookup and a FOR KEY SHARE lock
    each, per row) were about 80% of a 500-row INSERT (~17 ms with them, ~3.5 ms without). Every
    id written is of a row the request has just read, and 注销账号 repoints actor_id/subject_id
    to the deleted person's anonymous row, so the ids stay meaningful. What each column points to
    stays in info["references"], which schema walks read through `refers_to`.
    """

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_subject_at", "subject_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int] = mapped_column(info={"references": "person.id"})
    action: Mapped[str] = mapped_column(String(40))
    role: Mapped[str] = mapped_column(String(30), default="")
    context: Mapped[str] = mapped_column(String(100), default="")
    subject_id: Mapped[int | None] = mapped_column(nullable=True, info={"references": "person.id"})
    organisation_id: Mapped[int | None] = mapped_column(
        nullable=True, info={"references": "organisation.id"}
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

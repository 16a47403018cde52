"""Consent to act for someone, and the notices of what others did in their name (SPEC I7, P10; issue 8 item 2)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from yks_web.clock import utcnow
from yks_web.extensions import db
from yks_web.i18n import N_, gettext
from yks_web.models.people import Person
from yks_web.models.school import Organisation


class FamilyConsentCode(db.Model):
    """A 6-digit code sent to the phone an adult verified, to consent to being a 家庭成员 (I7).

    The owner types it in; like the login code (SPEC I3) it lasts 5 minutes, allows 5 tries and is
    kept only as a keyed digest.
    """

    __tablename__ = "family_consent_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    family_member_id: Mapped[int] = mapped_column(ForeignKey("family_member.id"), index=True)
    phone_hash: Mapped[str] = mapped_column(String(64))
    code_hash: Mapped[str] = mapped_column(String(64), default="")
    tries: Mapped[int] = mapped_column(default=0)
    used: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]


# Stored by key; the labels in the reader's language (kind_label, source_label).
NOTICE_KINDS = {"school": N_("学生/教职工个人健康申报"), "personal": N_("健康申报")}
NOTICE_SOURCES = {
    "proxy": N_("代填人代为填报"),
    "collector": N_("采集员代为填报"),
    "quickfill": N_("采集员快速填充"),
    "family": N_("家庭成员代为申报"),
}


class DeclarationNotice(db.Model):
    """Someone else submitted a declaration in this person's name (P10): shown on their account."""

    __tablename__ = "declaration_notice"
    __table_args__ = (Index("ix_declaration_notice_person_read", "person_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    actor_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    kind: Mapped[str] = mapped_column(String(12))
    source: Mapped[str] = mapped_column(String(12))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), nullable=True)
    day: Mapped[date | None] = mapped_column(nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(nullable=True)

    actor: Mapped[Person] = relationship(foreign_keys=[actor_id])
    organisation: Mapped[Organisation | None] = relationship()

    @property
    def kind_label(self) -> str:
        return gettext(NOTICE_KINDS[self.kind]) if self.kind in NOTICE_KINDS else self.kind

    @property
    def source_label(self) -> str:
        return gettext(NOTICE_SOURCES[self.source]) if self.source in NOTICE_SOURCES else self.source

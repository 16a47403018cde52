"""组织机构 (SPEC O1, O8): an institution, its one admin, its members and their daily declarations.

One admin ↔ one institution, both ways, is the schema's: `Institution.admin_id` is unique and not null.
Members are rows (`InstitutionMember`), never a flag on Person; 解绑 ends a row (`active` False) and binding
again revives it. A member's declaration for an institution is a `PersonalDeclaration` (so it is in their own
健康申报历史, H4) plus the institution's other fields here; a later one on the same day supersedes it for the
admin's counts (the newest id of the person's day wins) and both stay as history.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from yks_web.clock import utcnow
from yks_web.extensions import db
from yks_web.i18n import N_
from yks_web.models.health import PersonalDeclaration
from yks_web.models.people import Person
from yks_web.privacy import Encrypted, mask_phone

# 行政归属层级 (FAQ (三) 2), stored as the Simplified text and shown with `| tr`.
# One level per institution: "不支持多层级架构", so no parent institution.
ADMIN_LEVELS: tuple[str, ...] = (
    N_("省级"), N_("市级"), N_("县（区）级"), N_("乡镇（街道）级"), N_("村（社区）级"), N_("其他"),
)


class Institution(db.Model):
    __tablename__ = "institution"

    id: Mapped[int] = mapped_column(primary_key=True)
    # 组织机构申报码 (O8): 10 digits starting with 1, generated at binding, fixed for the institution's life.
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(50))
    address: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(10))  # 行政归属层级, one of ADMIN_LEVELS
    phone: Mapped[str] = mapped_column(Encrypted, deferred=True)  # 管理员手机号
    phone_masked: Mapped[str] = mapped_column(String(16), default="")
    admin_id: Mapped[int] = mapped_column(ForeignKey("person.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The last 修改信息 (UTC): at most one per natural week, Monday–Sunday in Asia/Shanghai (FAQ (三) 2).
    edited_at: Mapped[datetime | None] = mapped_column(nullable=True)

    admin: Mapped[Person] = relationship(foreign_keys=[admin_id])

    def set_phone(self, phone: str) -> None:
        self.phone = phone
        self.phone_masked = mask_phone(phone)


class InstitutionMember(db.Model):
    """组织机构成员: a person bound to an institution by its 申报码 (one member, many institutions)."""

    __tablename__ = "institution_member"
    __table_args__ = (
        UniqueConstraint("institution_id", "person_id"),
        Index("ix_institution_member_person", "person_id", "active"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    active: Mapped[bool] = mapped_column(default=True)
    bound_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(nullable=True)

    institution: Mapped[Institution] = relationship()
    person: Mapped[Person] = relationship()


class InstitutionDeclaration(db.Model):
    """成员健康申报 for one institution on one local day: the personal part is `personal` (H4), the institution's
    other fields are here (当前是否在岗, 工作地点)."""

    __tablename__ = "institution_declaration"
    __table_args__ = (Index("ix_institution_declaration_day", "institution_id", "day", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    day: Mapped[date]  # Asia/Shanghai
    personal_id: Mapped[int] = mapped_column(ForeignKey("personal_declaration.id"), unique=True)
    on_duty: Mapped[bool]
    work_place: Mapped[str] = mapped_column(String(50), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    institution: Mapped[Institution] = relationship()
    personal: Mapped[PersonalDeclaration] = relationship()

"""公共场所 (SPEC O2–O5): a place, its one admin, its inspectors, its 葵花码 posters and admin hand-overs.

One admin ↔ one place, both ways, is the schema's: `Place.admin_id` is unique and not null. Inspectors
are rows (`PlaceStaff`), never a flag on Person; unbinding ends a row (`active` False) and binding again
revives it, so a place's history of who checked whom stays readable. The checks themselves are
`models.health.TemperatureCheck` rows, which the person sees in 体温检测历史 (H4).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from yks_web.clock import utcnow
from yks_web.extensions import db
from yks_web.i18n import N_
from yks_web.models.people import Person
from yks_web.privacy import Encrypted, mask_phone

# 场所类型 (issue 10 item 1; the guide's and FAQ 2's kinds of place).
# Stored in Place.kind as the 简体 text and shown with `| tr` (gettext in Python).
PLACE_KINDS: tuple[str, ...] = (
    N_("住宅小区"), N_("写字楼"), N_("商场商店"), N_("餐饮"), N_("酒店住宿"), N_("文化娱乐"), N_("体育游乐"),
    N_("交通出行"), N_("医疗机构"), N_("学校"), N_("农贸市场"), N_("宗教场所"), N_("政府机关"), N_("工厂企业"),
    N_("其他"),
)


class Place(db.Model):
    __tablename__ = "place"

    id: Mapped[int] = mapped_column(primary_key=True)
    # 场所申报码 (O8): what inspectors bind with; fixed for the place's life (FAQ 3), never printed on a poster.
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(50))
    kind: Mapped[str] = mapped_column(String(10))
    area_code: Mapped[str] = mapped_column(String(12), index=True)  # a town's 9 digits (services/areas)
    address: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str] = mapped_column(Encrypted, deferred=True)  # the admin's contact 手机号
    phone_masked: Mapped[str] = mapped_column(String(16), default="")
    admin_id: Mapped[int] = mapped_column(ForeignKey("person.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The last 修改信息 (UTC): at most one per natural week, Monday–Sunday in Asia/Shanghai (FAQ 6).
    edited_at: Mapped[datetime | None] = mapped_column(nullable=True)

    admin: Mapped[Person] = relationship(foreign_keys=[admin_id])

    def set_phone(self, phone: str) -> None:
        self.phone = phone
        self.phone_masked = mask_phone(phone)


class PlaceStaff(db.Model):
    """公共场所检测员: a person bound to a place by its 场所申报码 (one inspector, many places; FAQ 11)."""

    __tablename__ = "place_staff"
    __table_args__ = (UniqueConstraint("place_id", "person_id"), Index("ix_place_staff_person", "person_id", "active"))

    id: Mapped[int] = mapped_column(primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("place.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    active: Mapped[bool] = mapped_column(default=True)
    bound_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(nullable=True)
    ended_by: Mapped[str] = mapped_column(String(10), default="")  # "self" (解除绑定) or "admin" (成员管理)

    place: Mapped[Place] = relationship()
    person: Mapped[Person] = relationship()


class PlacePoster(db.Model):
    """体温正常快速打卡 葵花码: the short token its QR holds (`/p/<token>`). Re-issuing the poster or renaming the
    place retires the live one; a retired token still names its place, so a citizen scanning an old poster is
    told it is out of date rather than that the code is unknown."""

    __tablename__ = "place_poster"
    __table_args__ = (Index("ix_place_poster_place", "place_id", "retired_at"),)

    token: Mapped[str] = mapped_column(String(16), primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("place.id"))
    place_name: Mapped[str] = mapped_column(String(50))  # the name printed on this poster
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(nullable=True)
    retired_reason: Mapped[str] = mapped_column(String(10), default="")  # "renamed" / "reissued"

    place: Mapped[Place] = relationship()


class PlaceHandover(db.Model):
    """更换绑定: the admin offers the place to another person, who confirms (issue 10 item 1)."""

    __tablename__ = "place_handover"
    __table_args__ = (Index("ix_place_handover_to", "to_id", "decided_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("place.id"), index=True)
    from_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    to_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    decided_at: Mapped[datetime | None] = mapped_column(nullable=True)
    outcome: Mapped[str] = mapped_column(String(10), default="")  # accepted / refused / cancelled

    place: Mapped[Place] = relationship()
    to_person: Mapped[Person] = relationship(foreign_keys=[to_id])
    from_person: Mapped[Person] = relationship(foreign_keys=[from_id])

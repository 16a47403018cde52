"""网格 (SPEC O6, O8; issue 12): 区划管理员, grids, their workers, admin hand-overs and door-to-door visits.

- DistrictAdmin: a person appointed over an area (a city's 4 digits, a district's 6, a town's 9). The operator
  appoints city-level ones (appointed_by None); each level appoints the level below inside its own area.
  A revoked row is kept (revoked_at) so who appointed whom stays readable.
- Grid: one admin ↔ one grid (`admin_id` unique). Created pending; the direct superior 区划管理员 confirms
  (active) or rejects it (with the reason). Its 网格申报码 starts with 6 (services/share_codes) and binds
  nobody until the grid is active. 解散网格 deletes the grid and every row of it for good.
- GridStaff: a 网格员's binding (one worker, many grids; `is_current` marks the one 设为当前组织). Only the
  grid admin authorises (never a 区划管理员: FAQ 6). Unbinding ends the row (`active` False).
- GridHandover: 管理员变更, a one-time identity link for the successor's name + ID (hash), valid 24 hours.
- GridVisit: one household visit; `client_key` is the offline client's idempotency key, so a record sent twice
  is stored once.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from yks_web.clock import utcnow
from yks_web.extensions import db
from yks_web.i18n import N_
from yks_web.models.people import Person
from yks_web.privacy import Encrypted

PENDING, ACTIVE, REJECTED = "pending", "active", "rejected"
# N_: the labels stay this text; a screen translates them where it shows them (| tr, issue 15).
STATUS_LABELS = {PENDING: N_("待区划管理员确认"), ACTIVE: N_("已生效"), REJECTED: N_("未通过")}
LEVEL_LABELS = {4: N_("市级"), 6: N_("县（区）级"), 9: N_("镇（街）级")}


class DistrictAdmin(db.Model):
    """区划管理员 of an area (市, 县(区) or 镇(街) by the code's length)."""

    __tablename__ = "district_admin"
    __table_args__ = (Index("ix_district_admin_person", "person_id", "revoked_at"),
                      Index("ix_district_admin_area", "area_code", "revoked_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    area_code: Mapped[str] = mapped_column(String(12))
    appointed_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), nullable=True)  # None: operator
    appointed_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(nullable=True)

    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    appointed_by: Mapped[Person | None] = relationship(foreign_keys=[appointed_by_id])


class Grid(db.Model):
    __tablename__ = "grid"
    __table_args__ = (Index("ix_grid_area_status", "area_code", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)  # 网格申报码 (O8): starts with 6
    name: Mapped[str] = mapped_column(String(50))
    area_code: Mapped[str] = mapped_column(String(12))  # a town's 9 digits
    admin_id: Mapped[int] = mapped_column(ForeignKey("person.id"), unique=True)
    status: Mapped[str] = mapped_column(String(10), default=PENDING)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(nullable=True)
    reject_reason: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    admin: Mapped[Person] = relationship(foreign_keys=[admin_id])

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


class GridStaff(db.Model):
    """网格员: a person bound to a grid by its 网格申报码."""

    __tablename__ = "grid_staff"
    __table_args__ = (UniqueConstraint("grid_id", "person_id"), Index("ix_grid_staff_person", "person_id", "active"))

    id: Mapped[int] = mapped_column(primary_key=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("grid.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    authorised: Mapped[bool] = mapped_column(default=False)
    is_current: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    bound_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(nullable=True)

    grid: Mapped[Grid] = relationship()
    person: Mapped[Person] = relationship()


class GridHandover(db.Model):
    """管理员变更: the link only the person whose 实名认证 matches (name, id_hash) can accept, within 24 hours."""

    __tablename__ = "grid_handover"

    id: Mapped[int] = mapped_column(primary_key=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("grid.id"), index=True)
    from_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    successor_name: Mapped[str] = mapped_column(String(50))
    successor_id_hash: Mapped[str] = mapped_column(String(64))
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None] = mapped_column(nullable=True)
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), nullable=True)

    grid: Mapped[Grid] = relationship()


class GridVisit(db.Model):
    """One household visit by a 网格员 (手动录入 or 扫粤康码)."""

    __tablename__ = "grid_visit"
    __table_args__ = (Index("ix_grid_visit_grid_day", "grid_id", "local_day"),
                      Index("ix_grid_visit_worker_day", "worker_id", "local_day"),
                      Index("ix_grid_visit_subject", "grid_id", "id_hash"),
                      # the visits about a person, whatever the grid (注销账号, 我的数据: issue 16)
                      Index("ix_grid_visit_person", "person_id"), Index("ix_grid_visit_id_hash", "id_hash"))

    id: Mapped[int] = mapped_column(primary_key=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("grid.id"))
    worker_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), nullable=True)
    name: Mapped[str] = mapped_column(String(50))
    id_type: Mapped[str] = mapped_column(String(16))
    id_number: Mapped[str] = mapped_column(Encrypted, deferred=True)
    id_hash: Mapped[str] = mapped_column(String(64))
    phone: Mapped[str | None] = mapped_column(Encrypted, nullable=True, deferred=True)
    address: Mapped[str] = mapped_column(String(100))
    temperature: Mapped[Decimal | None] = mapped_column(Numeric(3, 1), nullable=True)
    has_symptoms: Mapped[bool] = mapped_column(default=False)
    risk_travel: Mapped[bool] = mapped_column(default=False)
    contact_case: Mapped[bool] = mapped_column(default=False)
    remarks: Mapped[str] = mapped_column(String(200), default="")
    method: Mapped[str] = mapped_column(String(10), default="manual")  # manual / scan
    client_key: Mapped[str] = mapped_column(String(64), unique=True)
    recorded_at: Mapped[datetime]  # the device's time of recording (UTC)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    local_day: Mapped[date]

    grid: Mapped[Grid] = relationship()

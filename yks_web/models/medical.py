"""医护人员 and 医学观察 (SPEC O7, H2; issue 11 items 4–6; guide 二 (四)).

- MedicalStaff: a person the operator enabled to issue 解除医学观察电子告知书 (表5-2: 姓名, 联系电话, 单位名称, 职位).
  A role is a row, never a flag on Person: a logged-in person is enabled staff while a row that is not
  revoked holds their verified name and their phone (services/medical_staff). Revoking ends the row;
  enabling again makes a new one, so who could issue when stays readable.
- MedicalStaffEvent: each 开通 and 撤销, by whom and how (operator page, CLI, import): the log the operator sees.
- MedicalImportReport: an import's per-row result, kept briefly so it is a GET page of its own (PRG).
- MedicalAlert: the operator's note that a staff member reached the daily cap of notices (once a day each).
- MedicalObservation: the built-in health data's 医学观察 of a person (reason, since when, where), released by a
  notice (ObservationNotice in models/health.py, which the person sees in 我的粤康码).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from yks_web.clock import utcnow
from yks_web.extensions import db
from yks_web.i18n import N_
from yks_web.models.health import ObservationNotice
from yks_web.models.people import Person
from yks_web.privacy import Encrypted, mask_phone

# How a row came to be (MedicalStaff.enabled_via, MedicalStaffEvent.via).
VIA_PAGE, VIA_CLI, VIA_IMPORT = "page", "cli", "import"
VIA_LABELS = {VIA_PAGE: N_("运营页面"), VIA_CLI: N_("命令行"), VIA_IMPORT: N_("批量导入")}  # shown with `| tr`

# 医学观察 reasons the operator picks from (the guide's red-code groups, 图1-11); any other text is allowed too.
# Stored as the Simplified text; shown with `| tr` (typed text comes back unchanged).
OBSERVATION_REASONS: tuple[str, ...] = (
    N_("密切接触者"), N_("入境人员"), N_("疫情地高风险来粤人员"), N_("集中隔离人员"), N_("居家隔离人员"),
)


class MedicalStaff(db.Model):
    """医护人员 enabled by the operator (O7). Active while `revoked_at` is None."""

    __tablename__ = "medical_staff"
    __table_args__ = (Index("ix_medical_staff_phone", "phone_hash", "revoked_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    phone: Mapped[str] = mapped_column(Encrypted, deferred=True)  # 联系电话
    phone_hash: Mapped[str] = mapped_column(String(64))  # privacy.lookup_hash("phone", …), as Person.phone_hash
    phone_masked: Mapped[str] = mapped_column(String(16), default="")
    unit: Mapped[str] = mapped_column(String(100))  # 单位名称, printed on every notice the staff member issues
    position: Mapped[str] = mapped_column(String(50))  # 职位
    enabled_at: Mapped[datetime] = mapped_column(default=utcnow)
    enabled_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), nullable=True)  # None: the CLI
    enabled_via: Mapped[str] = mapped_column(String(10), default=VIA_PAGE)
    revoked_at: Mapped[datetime | None] = mapped_column(nullable=True)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), nullable=True)

    enabled_by: Mapped[Person | None] = relationship(foreign_keys=[enabled_by_id])
    revoked_by: Mapped[Person | None] = relationship(foreign_keys=[revoked_by_id])

    def set_phone(self, phone: str, phone_hash: str) -> None:
        self.phone = phone
        self.phone_hash = phone_hash
        self.phone_masked = mask_phone(phone)

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class MedicalStaffEvent(db.Model):
    """开通 or 撤销 of a staff row: who did it (None: the CLI), how, when."""

    __tablename__ = "medical_staff_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("medical_staff.id"), index=True)
    action: Mapped[str] = mapped_column(String(10))  # enable / revoke
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), nullable=True)
    via: Mapped[str] = mapped_column(String(10), default=VIA_PAGE)
    at: Mapped[datetime] = mapped_column(default=utcnow)

    staff: Mapped[MedicalStaff] = relationship()
    actor: Mapped[Person | None] = relationship()


class MedicalImportReport(db.Model):
    """导入 → 303 → this report by its id (as TeacherImportReport): a reload shows it again, never a 405."""

    __tablename__ = "medical_import_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)  # the operator: only theirs to read
    added: Mapped[int]
    errors: Mapped[list] = mapped_column(JSON, default=list)  # [[row number in the file, [messages]], …]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class MedicalAlert(db.Model):
    """A staff member reached the daily cap of notices (MEDICAL_NOTICES_PER_DAY): one row a staff member a day."""

    __tablename__ = "medical_alert"
    __table_args__ = (UniqueConstraint("person_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))  # the staff member who issues
    staff_id: Mapped[int] = mapped_column(ForeignKey("medical_staff.id"))
    day: Mapped[date]  # Asia/Shanghai
    cap: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    staff: Mapped[MedicalStaff] = relationship()


class MedicalObservation(db.Model):
    """医学观察 of a person in the built-in health data (H2): why, since when, where; open until a notice
    releases it (`released_at`, `released_notice_id`)."""

    __tablename__ = "medical_observation"
    __table_args__ = (Index("ix_medical_observation_person", "person_id", "released_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    reason: Mapped[str] = mapped_column(String(50))  # 密切接触者, 入境人员 …
    started_on: Mapped[date]
    unit: Mapped[str] = mapped_column(String(100), default="")  # 观察地点/单位
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), nullable=True)
    released_at: Mapped[datetime | None] = mapped_column(nullable=True)
    released_notice_id: Mapped[int | None] = mapped_column(ForeignKey("observation_notice.id"), nullable=True)

    released_notice: Mapped[ObservationNotice | None] = relationship()

"""Declarations (versions kept, latest counts) and the collector's daily report (SPEC §4, S8, W6–W9)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, Index, Numeric, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from yks_web.clock import utcnow
from yks_web.extensions import db
from yks_web.i18n import N_
from yks_web.models.people import Person

# Stored as this text (N_: a screen translates it with | tr, issue 15).
HEALTH_STATUSES = [N_("健康"), N_("居家观察"), N_("集中隔离"), N_("疑似病例"), N_("确诊病例")]
SOURCES = {
    "self": N_("自主申报"),
    "proxy": N_("代填"),
    "collector": N_("采集员代填"),
    "quickfill": N_("快速填充"),
}

# The form's answers, in the order of the guide's screen; shared by the form,
# the read-only detail, change detection and quick-fill.
ANSWER_FIELDS = (
    "nationality",
    "household_region",
    "stay_on_campus",
    "returned",
    "location_province",
    "location_city",
    "temperature",
    "temperature_band",
    "has_symptoms",
    "risk_travel",
    "contact_case",
    "left_to_city",
    "left_to_abroad",
    "returned_today",
    "health_status",
    "remarks",
)


class Declaration(db.Model):
    """One submission for (organisation, person, day). Every submission is kept."""

    __tablename__ = "declaration"
    __table_args__ = (
        Index("ix_declaration_org_day_person", "organisation_id", "day", "person_id"),
        # A person's latest declaration in an organisation (the form's previous answers, 数据有变动) is one index
        # probe, however long their history; the person's other look-ups use its first column (issue 14 item 2).
        Index("ix_declaration_person_org_id", "person_id", "organisation_id", "id"),
        # Declarations filled for someone else, by who filled them (注销账号, 我的数据: issue 16): partial, so the
        # hot self-declaration INSERT writes no entry; a query repeats `actor_id <> person_id` to use it.
        Index("ix_declaration_actor_for_others", "actor_id",
              sqlite_where=text("actor_id <> person_id"), postgresql_where=text("actor_id <> person_id")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    day: Mapped[date]
    actor_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    source: Mapped[str] = mapped_column(String(12))
    changed: Mapped[bool] = mapped_column(default=False)
    form_key: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    nationality: Mapped[str] = mapped_column(String(50))
    household_region: Mapped[str] = mapped_column(String(50))
    stay_on_campus: Mapped[bool]
    returned: Mapped[bool]
    location_province: Mapped[str] = mapped_column(String(20))
    location_city: Mapped[str] = mapped_column(String(20))
    temperature: Mapped[Decimal | None] = mapped_column(Numeric(3, 1), nullable=True)
    temperature_band: Mapped[str | None] = mapped_column(String(16), nullable=True)
    has_symptoms: Mapped[bool]
    risk_travel: Mapped[bool]
    contact_case: Mapped[bool]
    left_to_city: Mapped[bool]
    left_to_abroad: Mapped[bool]
    returned_today: Mapped[bool]
    health_status: Mapped[str] = mapped_column(String(10))
    remarks: Mapped[str] = mapped_column(String(200), default="")

    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    actor: Mapped[Person] = relationship(foreign_keys=[actor_id])

    def answers(self) -> dict:
        return {name: getattr(self, name) for name in ANSWER_FIELDS}

    @property
    def source_label(self) -> str:
        return SOURCES.get(self.source, self.source)


class DailyReport(db.Model):
    """提交本日数据: the collector's report of one day, immutable once written (W9)."""

    __tablename__ = "daily_report"
    __table_args__ = (UniqueConstraint("organisation_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    day: Mapped[date]
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    in_school_count: Mapped[int]
    leave_count: Mapped[int]
    sick_absence_count: Mapped[int]
    missing_notes: Mapped[list] = mapped_column(JSON, default=list)
    remarks: Mapped[str] = mapped_column(String(500), default="")
    totals: Mapped[dict] = mapped_column(JSON, default=dict)

    entries: Mapped[list[ReportEntry]] = relationship(back_populates="report")


class ReportEntry(db.Model):
    """Who stood behind the report: each member and the declaration counted (or none)."""

    __tablename__ = "report_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("daily_report.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)  # a person's entries (issue 16)
    declaration_id: Mapped[int | None] = mapped_column(ForeignKey("declaration.id"), nullable=True)

    report: Mapped[DailyReport] = relationship(back_populates="entries")


class ReportDraft(db.Model):
    """The supplement typed on 提交本日数据, kept between 【下一步】 and 【确定】 (reload-safe)."""

    __tablename__ = "report_draft"
    __table_args__ = (UniqueConstraint("organisation_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    day: Mapped[date]
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

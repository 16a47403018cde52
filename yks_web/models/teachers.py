"""外籍教师 (SPEC W10): the school's foreign teachers, each collector's list, and declared changes."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from yks_web.clock import utcnow
from yks_web.extensions import db
from yks_web.i18n import N_

# Stored and compared as this text (N_: shown with | tr or gettext, issue 15).
TEACHING_LEVELS = [N_("幼儿园"), N_("小学"), N_("初中"), N_("高中"), N_("中职"), N_("高职"), N_("高校"), N_("其他")]
CONTINENTS = [N_("亚洲"), N_("欧洲"), N_("北美洲"), N_("南美洲"), N_("非洲"), N_("大洋洲")]
LOCATIONS = [
    N_("广东省内"), N_("湖北省"), N_("中国境内其他地区（不含广东、湖北、港澳台地区）"), N_("港澳台地区"), N_("境外"),
]
COVID_STATES = [
    N_("无"), N_("疑似新冠肺炎"), N_("确诊新冠肺炎"), N_("密切接触者"), N_("居家医学观察"), N_("集中医学观察"),
]


class ForeignTeacher(db.Model):
    __tablename__ = "foreign_teacher"
    __table_args__ = (UniqueConstraint("school_id", "name", "nationality"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    teaching_level: Mapped[str] = mapped_column(String(10))
    nationality: Mapped[str] = mapped_column(String(40))
    continent: Mapped[str] = mapped_column(String(10))
    current_location: Mapped[str] = mapped_column(String(40))
    lives_on_campus: Mapped[bool]
    covid_status: Mapped[str] = mapped_column(String(20))
    remarks: Mapped[str] = mapped_column(String(200), default="")
    entry_date: Mapped[date | None] = mapped_column(nullable=True)
    entry_time: Mapped[str] = mapped_column(String(5), default="")
    transport: Mapped[str] = mapped_column(String(60), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class TeacherAssignment(db.Model):
    """A teacher on a collector's 外籍教师列表 (添加外籍教师 → 确认并添加)."""

    __tablename__ = "teacher_assignment"
    __table_args__ = (UniqueConstraint("organisation_id", "teacher_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("foreign_teacher.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    teacher: Mapped[ForeignTeacher] = relationship()


class TeacherDeclaration(db.Model):
    """外籍教师信息变动申报: only what changed, old and new (W10)."""

    __tablename__ = "teacher_declaration"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    teacher_id: Mapped[int] = mapped_column(ForeignKey("foreign_teacher.id"))
    actor_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    changes: Mapped[dict] = mapped_column(JSON)  # field → [old, new], as shown
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    teacher: Mapped[ForeignTeacher] = relationship()

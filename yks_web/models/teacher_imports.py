"""The result of a 外籍教师 导入, kept briefly so it is a page of its own (SPEC W10, issue 9 item 2)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from yks_web.clock import utcnow
from yks_web.extensions import db


class TeacherImportReport(db.Model):
    """导入 → 303 → this report by its id: a reload or the back button shows it again instead of a 405.
    Reports older than a day are deleted when the school imports again (services/teacher_imports)."""

    __tablename__ = "teacher_import_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))  # the admin who imported: only theirs to read
    added: Mapped[int]
    errors: Mapped[list] = mapped_column(JSON, default=list)  # [[row number in the file, [messages]], …]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

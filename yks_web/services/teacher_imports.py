"""导入外籍教师's result as a page of its own (SPEC W10, issue 9 item 2: Post/Redirect/Get).

The per-row report can name 2,000 rows, too much for the session cookie, so it is a row of its own; the
session holds only its id. Nothing personal is in it: row numbers and the messages of services/teachers.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from yks_web.models.teacher_imports import TeacherImportReport
from yks_web.services.teachers import ImportResult

KEPT_FOR = timedelta(days=1)


def save(session: Session, school_id: int, person_id: int, result: ImportResult, utc_now: datetime) -> int:
    """Keep `result` and return its id; the school's reports older than KEPT_FOR go (one DELETE)."""
    session.execute(delete(TeacherImportReport).where(
        TeacherImportReport.school_id == school_id, TeacherImportReport.created_at < utc_now - KEPT_FOR))
    report = TeacherImportReport(school_id=school_id, person_id=person_id, added=result.added,
                                 errors=[[number, list(messages)] for number, messages in result.errors],
                                 created_at=utc_now)
    session.add(report)
    session.flush()
    return report.id


def load(
    session: Session, report_id: object, school_id: int, person_id: int, utc_now: datetime
) -> ImportResult | None:
    """The report `report_id` if it is this person's import into this school and still kept; else None."""
    if not isinstance(report_id, int):
        return None
    report = session.get(TeacherImportReport, report_id)
    if report is None or (report.school_id, report.person_id) != (school_id, person_id):
        return None
    if report.created_at < utc_now - KEPT_FOR:
        return None
    errors = [(int(number), list(messages)) for number, messages in report.errors]
    return ImportResult(added=report.added, errors=errors)

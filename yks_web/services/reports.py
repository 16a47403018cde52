"""提交本日数据: the collector's immutable daily report (SPEC W9)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from yks_web.models.declaration import DailyReport, ReportEntry
from yks_web.services import org_day
from yks_web.services.deadlines import REPORT_ALREADY_SUBMITTED, report_day_closed
from yks_web.services.declarations import lock_organisation, report_submitted
from yks_web.services.errors import DomainError


class ReportRefused(DomainError):
    pass


@dataclass
class Supplement:
    """What members cannot give: the collector's figures and notes ({"person_id", "reason"}; the report names
    each noted member as the organisation knows them)."""

    in_school_count: int
    leave_count: int
    sick_absence_count: int
    remarks: str = ""
    missing_notes: list[dict] = field(default_factory=list)


def get_report(session: Session, org_id: int, day: date) -> DailyReport | None:
    return session.scalar(
        select(DailyReport).where(DailyReport.organisation_id == org_id, DailyReport.day == day)
    )


def submit_report(
    session: Session,
    *,
    org_id: int,
    day: date,
    actor_id: int,
    supplement: Supplement,
    now: datetime,
    utc_now: datetime,
) -> DailyReport:
    """Write the day's report and who stood behind it; refuse a second one.

    Its entries are the organisation's open day as every screen showed it (org_day, issue 9 item 1): the joined
    members and each one's latest declaration; from then on that day is these entries.
    """
    lock_organisation(session, org_id)
    closed = report_day_closed(day, now, report_submitted(session, org_id, day))
    if closed:
        raise ReportRefused(closed)
    the_day = org_day.of_organisation(session, org_id, day)
    members = {m.person_id: m for m in the_day.members}
    notes = [{"person_id": int(n["person_id"]), "name": members[int(n["person_id"])].name, "reason": n["reason"]}
             for n in supplement.missing_notes if int(n["person_id"]) in members]
    report = DailyReport(
        organisation_id=org_id,
        day=day,
        submitted_by_id=actor_id,
        submitted_at=utc_now,
        in_school_count=supplement.in_school_count,
        leave_count=supplement.leave_count,
        sick_absence_count=supplement.sick_absence_count,
        remarks=supplement.remarks,
        missing_notes=notes,
        totals=the_day.totals(),
    )
    try:
        with session.begin_nested():
            session.add(report)
            session.flush()
    except IntegrityError as exc:  # a second submit racing the first
        raise ReportRefused(REPORT_ALREADY_SUBMITTED) from exc
    session.add_all(
        ReportEntry(report_id=report.id, person_id=m.person_id,
                    declaration_id=m.declaration.id if m.declared else None)
        for m in the_day.members
    )
    session.flush()
    return report

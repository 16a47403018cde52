"""学校管理 (SPEC W11): every organisation's day, drill-down into a report and its members, exports."""

from __future__ import annotations

from flask import abort, redirect, url_for
from flask_login import current_user
from sqlalchemy import select

from yks_web import clock
from yks_web.blueprints.access_log import audited
from yks_web.blueprints.school import admin_school, bp, requested_day
from yks_web.converters import parse_day
from yks_web.extensions import db
from yks_web.i18n import gettext
from yks_web.models import Organisation, SchoolAdmin
from yks_web.rendering import download, render_screen
from yks_web.services import answers as answer_rules
from yks_web.services import org_day, school_day


@bp.get("/")
def index():
    school_id = db.session.scalar(
        select(SchoolAdmin.school_id).where(SchoolAdmin.person_id == current_user.id).order_by(SchoolAdmin.id)
    )
    if school_id is None:
        abort(404)
    return redirect(url_for("school.dashboard", school_id=school_id))


@bp.get("/<int:school_id>")
def dashboard(school_id: int):
    """学校管理: each organisation's day (org_day, issue 9 item 1): its members of that day against the 组织人数
    (flagged when over, item 5), who declared, report submitted or not."""
    school = admin_school(school_id)
    day = requested_day()
    rows = org_day.counts_of_school(db.session, school.id, day)  # figures only: no member is loaded
    return render_screen(
        "school/_dashboard.html", title=gettext("学校管理"), school=school, day=day, today=clock.today(), rows=rows,
        totals={
            "orgs": len(rows), "submitted": sum(r.submitted for r in rows),
            "size": sum(r.organisation.size for r in rows), "members": sum(r.members for r in rows),
            "declared": sum(r.declared for r in rows), "over": sum(1 for r in rows if r.members_over_size),
        },
    )


def school_org(school_id: int, org_id: int) -> tuple:
    school = admin_school(school_id)
    org = db.session.get(Organisation, org_id)
    if org is None or org.school_id != school.id:
        abort(404)
    return school, org


@bp.get("/<int:school_id>/org/<int:org_id>/<day>")
def organisation_day(school_id: int, org_id: int, day: str):
    """An organisation's day: its submitted report (totals, supplement) and every member; each member whose
    declaration or 未填报 reason is shown is an audited read (P6, issue 8 item 9)."""
    school, org = school_org(school_id, org_id)
    the_day = org_day.of_organisation(db.session, org.id, parse_day(day))
    report = the_day.report
    noted = [n["person_id"] for n in (report.missing_notes or []) if n.get("person_id")] if report else []
    return audited(render_screen(
        "school/_organisation_day.html", title=org.name, school=school, org=org, day=the_day.day, the_day=the_day,
        report=report, members=the_day.members, names={m.person_id: m.name for m in the_day.members},
        totals=the_day.totals(), labels=answer_rules.STAT_LABELS,
    ), role="school_admin", action="view_org_day", subject_ids=[m.person_id for m in the_day.declared] + noted,
        organisation_id=org.id, context=_context(school, org))


def _context(school, org=None) -> str:
    """Where the school admin read it, as 查阅记录 shows it."""
    return f"{school.name} {org.name}" if org is not None else school.name


@bp.get("/<int:school_id>/org/<int:org_id>/<day>/member/<int:person_id>")
def member_day(school_id: int, org_id: int, day: str, person_id: int):
    """A member of the organisation's day and their declaration, read-only (org_day, issue 9 item 1); the read is
    audited (P6)."""
    school, org = school_org(school_id, org_id)
    the_day = parse_day(day)
    _, entry = org_day.member(db.session, org.id, the_day, person_id)
    if entry is None:
        abort(404)
    return audited(render_screen(
        "school/_member_day.html", title=gettext("学生/教职工个人健康信息"), school=school, org=org, day=the_day,
        entry=entry, name=entry.name, declaration=entry.declaration,
    ), role="school_admin", action="view_declaration", subject_ids=[person_id], organisation_id=org.id,
        context=_context(school, org))


@bp.get("/<int:school_id>/export/<day>.<any(csv, xlsx):fmt>")
def export(school_id: int, day: str, fmt: str):
    """导出: every member of every organisation on that day, IDs masked (W11, P6); one audit row per person
    in the file, in one INSERT (issue 8 item 9); formula-like cells written as text (item 7)."""
    school = admin_school(school_id)
    the_day = parse_day(day)
    rows = school_day.member_days(db.session, school.id, the_day)
    name = f"{school.name}-{the_day.isoformat()}"
    body = school_day.to_csv(rows) if fmt == "csv" else school_day.to_xlsx(rows, the_day.isoformat())
    response = download(body, fmt, ascii_name=f"school-{the_day.isoformat()}", name=name)
    # The body is built: the commit in `audited` can no longer expire rows it still needs.
    return audited(response, role="school_admin", action=f"export_{fmt}", subject_ids=[r.person_id for r in rows],
                   context=_context(school))


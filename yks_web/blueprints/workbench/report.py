"""提交本日数据: supplement → 【下一步】 → summary → 【提交数据】 → 【确定】; 查看数据 (W9)."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select

from yks_web import clock
from yks_web.blueprints.access_log import audited
from yks_web.blueprints.workbench import bp, my_org, parse_day
from yks_web.extensions import db
from yks_web.forms.workbench import SupplementForm
from yks_web.models import Declaration, ReportDraft, ReportEntry
from yks_web.rendering import render_screen
from yks_web.services import answers as answer_rules
from yks_web.services import declarations, membership, reports
from yks_web.services.deadlines import report_day_closed
from yks_web.template_helpers import month_day

REASON_MAX = 100


def _closed_or_none(org_id: int, day):
    report = reports.get_report(db.session, org_id, day)
    if report is not None:
        return redirect(url_for("workbench.report_view", day=day.isoformat()), code=303)
    closed = report_day_closed(day, clock.now(), False)
    if closed:
        flash(closed, "error")
        return redirect(url_for("workbench.day_detail", day=day.isoformat()), code=303)
    return None


def _draft(org_id: int, day) -> ReportDraft | None:
    return db.session.scalar(
        select(ReportDraft).where(ReportDraft.organisation_id == org_id, ReportDraft.day == day)
    )


def _live(org_id: int, day):
    rows = membership.members(db.session, org_id)
    joined = {m.person_id for m in rows}
    latest = declarations.latest_for_day(db.session, org_id, day)
    return rows, {pid: d for pid, d in latest.items() if pid in joined}


def _audited(response, org, action: str, subject_ids):
    """The report screens name members beside their reason or statistic: one audit row each (P6, issue 8 item 9)."""
    return audited(response, role="collector", action=action, subject_ids=subject_ids, organisation_id=org.id,
                   context=org.name)


def _supplement_screen(org, the_day, form, missing, reasons, reason_errors=None):
    return render_screen(
        "workbench/_report_supplement.html", title=f"提交{month_day(the_day)}数据", org=org,
        day=the_day, form=form, missing=missing, reasons=reasons, reason_errors=reason_errors or {},
    )


def _missing(org_id: int, the_day):
    rows, latest = _live(org_id, the_day)
    return [m for m in rows if m.person_id not in latest]


@bp.get("/day/<day>/report")
def report_supplement(day: str):
    """提交本日数据, first step: the figures members cannot give and why some did not declare."""
    org = my_org()
    the_day = parse_day(day, open_only=True)
    if (closed := _closed_or_none(org.id, the_day)) is not None:
        return closed
    draft = _draft(org.id, the_day)
    data = draft.data if draft else {}
    missing = _missing(org.id, the_day)
    reasons = {m.person_id: data.get("reasons", {}).get(str(m.person_id), "") for m in missing}
    return _audited(_supplement_screen(org, the_day, SupplementForm(data=data or None), missing, reasons), org,
                    "view_report", [pid for pid, reason in reasons.items() if reason])


@bp.post("/day/<day>/report")
def report_supplement_post(day: str):
    org = my_org()
    the_day = parse_day(day, open_only=True)
    if (closed := _closed_or_none(org.id, the_day)) is not None:
        return closed
    form = SupplementForm()
    missing = _missing(org.id, the_day)
    reasons = {m.person_id: request.form.get(f"reason-{m.person_id}", "").strip() for m in missing}
    reason_errors = {pid: f"不能超过{REASON_MAX}个字" for pid, text in reasons.items() if len(text) > REASON_MAX}
    if not form.validate() or reason_errors:
        return _supplement_screen(org, the_day, form, missing, reasons, reason_errors)
    data = {
        "in_school_count": form.in_school_count.data,
        "leave_count": form.leave_count.data,
        "sick_absence_count": form.sick_absence_count.data,
        "remarks": form.remarks.data or "",
        "reasons": {str(pid): text for pid, text in reasons.items() if text},
    }
    draft = _draft(org.id, the_day)
    if draft is None:
        db.session.add(ReportDraft(organisation_id=org.id, day=the_day, data=data, updated_at=clock.utcnow()))
    else:
        draft.data = data
        draft.updated_at = clock.utcnow()
    db.session.commit()
    return redirect(url_for("workbench.report_summary", day=the_day.isoformat()), code=303)


@bp.get("/day/<day>/report/summary")
def report_summary(day: str):
    """The summary to check: each statistic opens the members behind it."""
    org = my_org()
    the_day = parse_day(day, open_only=True)
    if (closed := _closed_or_none(org.id, the_day)) is not None:
        return closed
    draft = _draft(org.id, the_day)
    if draft is None:
        return redirect(url_for("workbench.report_supplement", day=the_day.isoformat()), code=303)
    rows, latest = _live(org.id, the_day)
    totals = answer_rules.totals([m.person_id for m in rows], {p: d.answers() for p, d in latest.items()})
    names = {str(m.person_id): m.shown_name for m in rows}  # the collector's own names (issue 8 item 1)
    return _audited(render_screen(
        "workbench/_report_summary.html", title="数据详情", org=org, day=the_day, totals=totals,
        labels=answer_rules.STAT_LABELS, data=draft.data, submitted=None, names=names,
    ), org, "view_report", [int(pid) for pid in draft.data.get("reasons", {}) if pid in names])


@bp.post("/day/<day>/report/submit")
def report_submit(day: str):
    """【提交数据】 → 【确定】: write the immutable report."""
    org = my_org()
    the_day = parse_day(day, open_only=True)
    draft = _draft(org.id, the_day)
    if draft is None:
        if reports.get_report(db.session, org.id, the_day) is not None:  # a replayed 【确定】
            return redirect(url_for("workbench.report_view", day=the_day.isoformat()), code=303)
        return redirect(url_for("workbench.report_supplement", day=the_day.isoformat()), code=303)
    data = draft.data
    names = {pid: m.shown_name for pid, m in membership.of_people(
        db.session, org.id, [int(p) for p in data.get("reasons", {})]).items()}
    supplement = reports.Supplement(
        in_school_count=data["in_school_count"], leave_count=data["leave_count"],
        sick_absence_count=data["sick_absence_count"], remarks=data.get("remarks", ""),
        missing_notes=[{"person_id": int(p), "name": names.get(int(p), ""), "reason": r}
                       for p, r in data.get("reasons", {}).items()],
    )
    try:
        reports.submit_report(db.session, org_id=org.id, day=the_day, actor_id=current_user.id,
                              supplement=supplement, now=clock.now(), utc_now=clock.utcnow())
    except reports.ReportRefused as refused:
        db.session.rollback()
        flash(refused.message, "error")
        return redirect(url_for("workbench.day_detail", day=the_day.isoformat()), code=303)
    db.session.delete(draft)
    db.session.commit()
    flash("数据提交成功", "success")
    return redirect(url_for("workbench.report_view", day=the_day.isoformat()), code=303)


@bp.get("/day/<day>/report/view")
def report_view(day: str):
    """【查看数据】: the submitted report as it was submitted."""
    org = my_org()
    the_day = parse_day(day)
    report = reports.get_report(db.session, org.id, the_day)
    if report is None:
        abort(404)
    noted = [note["person_id"] for note in report.missing_notes or [] if note.get("person_id")]
    # Named as the collector knows them now: the verified name once the person has logged in (issue 8 item 1).
    names = {str(pid): m.shown_name for pid, m in membership.of_people(db.session, org.id, noted).items()}
    return _audited(render_screen(
        "workbench/_report_summary.html", title="数据统计", org=org, day=the_day, totals=report.totals,
        labels=answer_rules.STAT_LABELS, data=report_data(report), submitted=report, names=names,
    ), org, "view_report", noted)


def report_data(report) -> dict:
    return {
        "in_school_count": report.in_school_count, "leave_count": report.leave_count,
        "sick_absence_count": report.sick_absence_count, "remarks": report.remarks,
        "notes": report.missing_notes,
    }


@bp.get("/day/<day>/stat/<key>")
def stat_members(day: str, key: str):
    """The members behind one statistic (发热, 有症状 …): from the report once submitted, else live; each
    member listed is an audited read (P6, issue 8 item 9)."""
    org = my_org()
    the_day = parse_day(day)
    if key not in answer_rules.STAT_LABELS:
        abort(404)
    report = reports.get_report(db.session, org.id, the_day)
    if report is not None:
        pairs = db.session.execute(
            select(ReportEntry, Declaration)
            .outerjoin(Declaration, Declaration.id == ReportEntry.declaration_id)
            .where(ReportEntry.report_id == report.id)
            .order_by(ReportEntry.id)
        ).all()
        member_ids = [e.person_id for e, _ in pairs]
        latest = {e.person_id: d for e, d in pairs if d is not None}
    else:
        rows, latest = _live(org.id, the_day)
        member_ids = [m.person_id for m in rows]
    chosen = answer_rules.members_behind(key, member_ids, {p: d.answers() for p, d in latest.items()})
    people = membership.of_people(db.session, org.id, chosen)  # each with the collector's name for them
    return _audited(render_screen(
        "workbench/_stat.html", title=answer_rules.STAT_LABELS[key], org=org, day=the_day,
        people=[people[p] for p in chosen], latest=latest, report=report,
    ), org, "view_stat", chosen)

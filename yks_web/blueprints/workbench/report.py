"""提交本日数据: supplement → 【下一步】 → summary → 【提交数据】 → 【确定】; 查看数据 (W9)."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select

from yks_web import clock
from yks_web.blueprints.access_log import audited
from yks_web.blueprints.workbench import bp, my_org
from yks_web.converters import parse_day
from yks_web.extensions import db
from yks_web.forms.workbench import SupplementForm
from yks_web.i18n import gettext
from yks_web.models import ReportDraft
from yks_web.rendering import render_screen
from yks_web.services import answers as answer_rules
from yks_web.services import org_day, reports
from yks_web.services.deadlines import report_day_closed
from yks_web.template_helpers import month_day

REASON_MAX = 100


def _closed_or_none(the_day: org_day.OrgDay):
    """Where to go instead when the day's report can no longer be written: its report, else 申报详情, which says
    why once (issue 9 item 7: no flash repeating it)."""
    if the_day.submitted:
        return redirect(url_for("workbench.report_view", day=the_day.day.isoformat()), code=303)
    if report_day_closed(the_day.day, clock.now(), False):
        return redirect(url_for("workbench.day_detail", day=the_day.day.isoformat()), code=303)
    return None


def _draft(org_id: int, day) -> ReportDraft | None:
    return db.session.scalar(
        select(ReportDraft).where(ReportDraft.organisation_id == org_id, ReportDraft.day == day)
    )


def _open_day(org, day: str):
    """The organisation's day to report (org_day, issue 9 item 1), and where to go instead if it is closed."""
    the_day = org_day.of_organisation(db.session, org.id, parse_day(day, open_only=True))
    return the_day, _closed_or_none(the_day)


def _audited(response, org, action: str, subject_ids):
    """The report screens name members beside their reason or statistic: one audit row each (P6, issue 8 item 9)."""
    return audited(response, role="collector", action=action, subject_ids=subject_ids, organisation_id=org.id,
                   context=org.name)


def _supplement_screen(org, the_day: org_day.OrgDay, form, reasons, reason_errors=None):
    return render_screen(
        "workbench/_report_supplement.html", title=gettext("提交%(day)s数据", day=month_day(the_day.day)), org=org,
        day=the_day.day, form=form, missing=the_day.missing, reasons=reasons, reason_errors=reason_errors or {},
    )


@bp.get("/day/<day>/report")
def report_supplement(day: str):
    """提交本日数据 (数据上报), first step: the figures members cannot give and why some did not declare."""
    org = my_org()
    the_day, instead = _open_day(org, day)
    if instead is not None:
        return instead
    draft = _draft(org.id, the_day.day)
    data = draft.data if draft else {}
    reasons = {m.person_id: data.get("reasons", {}).get(str(m.person_id), "") for m in the_day.missing}
    return _audited(_supplement_screen(org, the_day, SupplementForm(data=data or None), reasons), org,
                    "view_report", [pid for pid, reason in reasons.items() if reason])


@bp.post("/day/<day>/report")
def report_supplement_post(day: str):
    org = my_org()
    the_day, instead = _open_day(org, day)
    if instead is not None:
        return instead
    form = SupplementForm()
    missing = the_day.missing
    reasons = {m.person_id: request.form.get(f"reason-{m.person_id}", "").strip() for m in missing}
    too_long = gettext("不能超过%(max)d个字", max=REASON_MAX)
    reason_errors = {pid: too_long for pid, text in reasons.items() if len(text) > REASON_MAX}
    if not form.validate() or reason_errors:
        return _supplement_screen(org, the_day, form, reasons, reason_errors)
    data = {
        "in_school_count": form.in_school_count.data,
        "leave_count": form.leave_count.data,
        "sick_absence_count": form.sick_absence_count.data,
        "remarks": form.remarks.data or "",
        "reasons": {str(pid): text for pid, text in reasons.items() if text},
    }
    draft = _draft(org.id, the_day.day)
    if draft is None:
        db.session.add(ReportDraft(organisation_id=org.id, day=the_day.day, data=data, updated_at=clock.utcnow()))
    else:
        draft.data = data
        draft.updated_at = clock.utcnow()
    db.session.commit()
    return redirect(url_for("workbench.report_summary", day=the_day.day.isoformat()), code=303)


@bp.get("/day/<day>/report/summary")
def report_summary(day: str):
    """The summary to check: each statistic opens the members behind it."""
    org = my_org()
    the_day, instead = _open_day(org, day)
    if instead is not None:
        return instead
    draft = _draft(org.id, the_day.day)
    if draft is None:
        return redirect(url_for("workbench.report_supplement", day=the_day.day.isoformat()), code=303)
    names = {str(m.person_id): m.name for m in the_day.members}  # the collector's own names (issue 8 item 1)
    return _audited(render_screen(
        "workbench/_report_summary.html", title=gettext("数据详情"), org=org, day=the_day.day, totals=the_day.totals(),
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
    supplement = reports.Supplement(
        in_school_count=data["in_school_count"], leave_count=data["leave_count"],
        sick_absence_count=data["sick_absence_count"], remarks=data.get("remarks", ""),
        missing_notes=[{"person_id": int(p), "reason": r} for p, r in data.get("reasons", {}).items()],
    )
    try:
        reports.submit_report(db.session, org_id=org.id, day=the_day, actor_id=current_user.id,
                              supplement=supplement, now=clock.now(), utc_now=clock.utcnow())
    except reports.ReportRefused:
        db.session.rollback()  # closed meanwhile: 申报详情 says why, once (issue 9 item 7)
        return redirect(url_for("workbench.day_detail", day=the_day.isoformat()), code=303)
    db.session.delete(draft)
    db.session.commit()
    flash(gettext("数据提交成功"), "success")
    return redirect(url_for("workbench.report_view", day=the_day.isoformat()), code=303)


@bp.get("/day/<day>/report/view")
def report_view(day: str):
    """【查看数据】: the submitted report as it was submitted."""
    org = my_org()
    the_day = org_day.of_organisation(db.session, org.id, parse_day(day))
    report = the_day.report
    if report is None:
        abort(404)
    noted = [note["person_id"] for note in report.missing_notes or [] if note.get("person_id")]
    # Named as the collector knows them now: the verified name once the person has logged in (issue 8 item 1).
    names = {str(m.person_id): m.name for m in the_day.members}
    return _audited(render_screen(
        "workbench/_report_summary.html", title=gettext("数据统计"), org=org, day=the_day.day, totals=the_day.totals(),
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
    """The members behind one statistic (发热, 有症状 …) of the organisation's day (the report's members once
    submitted, else the joined ones: issue 9 item 1); each member listed is an audited read (P6, issue 8 item 9)."""
    org = my_org()
    the_day = parse_day(day)
    if key not in answer_rules.STAT_LABELS:
        abort(404)
    the_day = org_day.of_organisation(db.session, org.id, the_day)
    people = the_day.behind(key)
    return _audited(render_screen(
        "workbench/_stat.html", title=gettext(answer_rules.STAT_LABELS[key]), org=org, day=the_day.day, people=people,
        report=the_day.report,
    ), org, "view_stat", [m.person_id for m in people])

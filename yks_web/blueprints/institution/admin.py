"""组织机构管理员 (SPEC O1; guide 二 (一) 1, FAQ (三) 2): 绑定组织机构, 组织机构 (申报码, counts), 绑定人信息 →
修改信息 (once per natural week), the 看板 of any day and its export."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, request, url_for
from flask_login import current_user

from yks_web import clock
from yks_web.blueprints.access_log import audited
from yks_web.blueprints.institution import bp, institution_for
from yks_web.converters import parse_day
from yks_web.extensions import db
from yks_web.forms.institution import BindInstitutionForm, InstitutionInfoForm
from yks_web.i18n import gettext
from yks_web.models.institution import Institution
from yks_web.rendering import download, render_screen
from yks_web.services import days, institution_day, institutions, weekly_edits
from yks_web.services.errors import DomainError

ROLE = "institution_admin"


def _to_dashboard(institution: Institution):
    return redirect(url_for("institution.dashboard", institution_id=institution.id), code=303)


@bp.get("/admin")
def admin_home():
    """组织机构管理员's entry (the 管理员 小程序码 lands here): the institution, or 绑定 while there is none."""
    institution = institutions.of_admin(db.session, current_user.id)
    if institution is None:
        return redirect(url_for("institution.bind"), code=303)
    return _to_dashboard(institution)


def _bind_screen(form: BindInstitutionForm, error: str | None = None):
    return render_screen("institution/_bind.html", title=gettext("绑定组织机构"), form=form, error=error)


@bp.get("/admin/bind")
def bind():
    """绑定组织机构 (图2-3): 组织机构名称, 组织机构地址, 行政归属层级, 管理员手机号 (the user's own, pre-filled)."""
    institution = institutions.of_admin(db.session, current_user.id)
    if institution is not None:  # one admin ↔ one institution
        return _to_dashboard(institution)
    form = BindInstitutionForm(formdata=None)
    form.phone.data = current_user.phone or ""
    return _bind_screen(form)


@bp.post("/admin/bind")
def bind_post():
    institution = institutions.of_admin(db.session, current_user.id)
    if institution is not None:
        return _to_dashboard(institution)
    form = BindInstitutionForm()
    if not form.validate():
        return _bind_screen(form)
    try:
        institution = institutions.register(db.session, current_user.id, form.details(), clock.utcnow())
    except DomainError as refused:
        db.session.rollback()
        return _bind_screen(form, refused.message)
    db.session.commit()
    flash(gettext("绑定成功，已生成组织机构申报码"), "success")
    return _to_dashboard(institution)


@bp.get("/<int:institution_id>")
def dashboard(institution_id: int):
    """组织机构 (图2-4): the 组织机构申报码 with 【复制】, 绑定成员, today's 已申报/未申报, 发热 and risk counts."""
    institution = institution_for(institution_id, ROLE)
    today = clock.today()
    counts = institution_day.counts(db.session, institution.id, today)
    return render_screen("institution/_dashboard.html", title=gettext("组织机构"), institution=institution, today=today,
                         counts=counts)


@bp.get("/<int:institution_id>/binder")
def binder(institution_id: int):
    """绑定人信息 → 【修改信息】 (FAQ (三) 2), or the day 修改信息 opens again."""
    institution = institution_for(institution_id, ROLE)
    opens = institutions.edit_opens(institution, clock.now())
    return render_screen("institution/_binder.html", title=gettext("绑定人信息"), institution=institution,
                         refusal=weekly_edits.refusal(opens) if opens else None)


def _edit_screen(institution: Institution, form: InstitutionInfoForm | None, refusal: str | None = None):
    return render_screen("institution/_edit.html", title=gettext("修改信息"), institution=institution, form=form,
                         refusal=refusal)


@bp.get("/<int:institution_id>/edit")
def edit(institution_id: int):
    """修改信息: 行政归属层级, 组织机构名称, 管理员手机号, pre-filled; at most once per natural week."""
    institution = institution_for(institution_id, ROLE)
    opens = institutions.edit_opens(institution, clock.now())
    if opens is not None:
        return _edit_screen(institution, None, weekly_edits.refusal(opens))
    form = InstitutionInfoForm(formdata=None, obj=institution)
    return _edit_screen(institution, form)


@bp.post("/<int:institution_id>/edit")
def edit_post(institution_id: int):
    institution = institution_for(institution_id, ROLE)
    form = InstitutionInfoForm()
    if not form.validate():
        return _edit_screen(institution, form)
    try:
        changed = institutions.edit(db.session, institution, form.details(), utc_now=clock.utcnow(),
                                    local_now=clock.now())
    except DomainError as refused:
        db.session.rollback()
        return _edit_screen(institution, form, refused.message)  # what was typed stays on the screen
    db.session.commit()
    flash(gettext("修改成功") if changed else gettext("信息未改动"), "success" if changed else "info")
    return redirect(url_for("institution.binder", institution_id=institution.id), code=303)


def _board_day(raw: str | None) -> tuple[date, str | None]:
    """?day=YYYY-MM-DD: any day up to today; a bad or future one shows today with a message (services/days)."""
    day, message = days.chosen_day(raw, clock.today())
    return day, message or None


@bp.get("/<int:institution_id>/board")
def board(institution_id: int):
    """看板 of a day: the members and their declaration that day, names and IDs masked, a page at a time (全部 /
    未申报 / 发热); each member shown is a read written down for them (P6), in one INSERT."""
    institution = institution_for(institution_id, ROLE)
    day, message = _board_day(request.args.get("day"))
    rows = institution_day.board(db.session, institution.id, day)
    page = institution_day.page_of(rows, request.args.get("show"), request.args.get("page"))
    declared = sum(1 for row in rows if row.declaration is not None)
    return audited(render_screen(
        "institution/_board.html", title=gettext("看板"), institution=institution, day=day, today=clock.today(),
        total=len(rows), page=page, shows=institution_day.SHOWS, declared=declared,
        fever=sum(1 for row in rows if row.fever), message=message,
    ), role=ROLE, action="view_org_day", subject_ids=[row.person_id for row in page.rows], context=institution.name)


@bp.get("/<int:institution_id>/export.<any(csv, xlsx):fmt>")
def export(institution_id: int, fmt: str):
    """导出 the 看板's day (?day=): IDs masked (P6), formula-like cells written as text, one audit row per
    person in the file, in one INSERT."""
    institution = institution_for(institution_id, ROLE)
    day = parse_day(request.args.get("day"))
    rows = institution_day.board(db.session, institution.id, day)
    name = f"{institution.name}-{day.isoformat()}"
    body = institution_day.to_csv(rows) if fmt == "csv" else institution_day.to_xlsx(rows, day.isoformat())
    response = download(body, fmt, ascii_name=f"institution-{day.isoformat()}", name=name)
    return audited(response, role=ROLE, action=f"export_{fmt}", subject_ids=[row.person_id for row in rows],
                   context=institution.name)

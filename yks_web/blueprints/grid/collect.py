"""信息采集上报 (SPEC O6, O9; issue 12 items 5, 6; guide 二 (三) (2) 3)–4); FAQ (四) 4): the 网格员's side.

开始信息采集 (the 当前组织: 【手动录入】, 【扫粤康码】, 今日登记次数, 累计登记次数) →
- 手动录入: the form (姓名, 证件类型 incl. 出生医学证明, 证件号码, 手机号码, 住址, the questions) → 303 → 提交成功 →
  【继续采集】 (an empty form with a new client_key). With JavaScript the form also queues offline (grid/_queue.html)
  and its queue posts to visit_sync_post (JSON), with a fresh CSRF token from visit_sync_token.
- 扫粤康码: the shared scanner → a grid ticket (services/scan_tickets, kind "grid") → the person (masked 姓名 and
  手机号, the code colour in words, 【查看健康信息】) and the questions → 提交成功 → 【继续采集】 (the scanner again).
  The ticket's random bytes are the visit's client_key: one scan, one visit.
- 查看健康信息: an unauthorised worker sees the latest 个人健康申报, an authorised one all of them; audited.
Rules: services/grid_visits.
"""

from __future__ import annotations

from flask import abort, current_app, flash, jsonify, redirect, request, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from yks_web import clock
from yks_web.blueprints import scanning
from yks_web.blueprints.access_log import audited
from yks_web.blueprints.grid import bp, grid_for, own_binding
from yks_web.converters import parse_id
from yks_web.extensions import db
from yks_web.forms.grid_visit import BIRTH_CERT_HINT, ScanVisitForm, VisitForm
from yks_web.health_setup import provider
from yks_web.i18n import gettext
from yks_web.models.grid import Grid, GridVisit
from yks_web.models.people import Person
from yks_web.privacy import mask_name
from yks_web.rendering import render_screen
from yks_web.services import grid_staff, grid_visits, personal, scan_tickets

WORKER = "grid_worker"
KIND = "grid"  # the scan ticket's kind: never a place's
ALL_DECLARATIONS = 100  # 全部个人申报信息 for an authorised worker: three months of daily declarations


def _secret() -> str:
    return current_app.config["SECRET_KEY"]




def _counts(grid: Grid) -> tuple[int, int]:
    return grid_visits.counts(db.session, current_user.id, grid.id, clock.today())


# -- 开始信息采集 ------------------------------------------------------------------------------------------------


@bp.get("/collect")
def collect():
    """开始信息采集 for the 当前组织: 【手动录入】, 【扫粤康码】, 今日登记次数, 累计登记次数."""
    staff = grid_staff.active_grids(db.session, current_user.id)
    if not staff:
        flash(gettext("您还没有绑定网格，请先输入网格管理员提供的网格申报码绑定网格"), "info")
        return redirect(url_for("grid.worker"))
    grid = staff[0].grid  # the 当前组织 comes first
    today, total = _counts(grid)
    return render_screen("grid/_collect.html", title=gettext("开始信息采集"), grid=grid, staff=staff[0],
                         reason=grid_visits.not_active_reason(grid), today=today, total=total, others=len(staff) - 1)


# -- 手动录入 ----------------------------------------------------------------------------------------------------


def _manual_screen(grid: Grid, form: VisitForm, *, refused: str | None = None):
    return render_screen("grid/_collect_manual.html", title=gettext("手动录入"), grid=grid, form=form,
                         reason=refused or grid_visits.not_active_reason(grid),
                         birth_cert_hint=gettext(BIRTH_CERT_HINT))


@bp.get("/<int:grid_id>/collect/manual")
def collect_manual(grid_id: int):
    """手动录入: an empty form with a new client_key (继续采集 lands here too)."""
    return _manual_screen(grid_for(grid_id, WORKER), VisitForm.empty())


def _record(grid_id: int, form, method: str, *, person: Person | None = None) -> grid_visits.Recorded:
    answers = form.answers if person is None else grid_visits.with_person(form.answers, person)
    return grid_visits.record(
        db.session, grid_id=grid_id, worker_id=current_user.id, answers=answers, client_key=form.client_key.data,
        recorded_at=grid_visits.parse_recorded_at(form.recorded_at.data), utc_now=clock.utcnow(), method=method,
        person_id=person.id if person is not None else None,
    )


def _done(grid: Grid, recorded: grid_visits.Recorded, method: str):
    return redirect(url_for("grid.collect_done", grid_id=grid.id, method=method, visit=recorded.visit.id), code=303)


@bp.post("/<int:grid_id>/collect/manual")
def collect_manual_post(grid_id: int):
    grid = grid_for(grid_id, WORKER)
    form = VisitForm()
    if not form.validate():
        return _manual_screen(grid, form)
    try:
        recorded = _record(grid.id, form, grid_visits.MANUAL)
    except grid_visits.VisitRefused as refused:
        db.session.rollback()
        return _manual_screen(grid, form, refused=refused.message)
    db.session.commit()
    return _done(grid, recorded, grid_visits.MANUAL)


@bp.get("/<int:grid_id>/collect/done")
def collect_done(grid_id: int):
    """提交成功: the masked name, 【继续采集】 (an empty form of the same method), 今日登记次数, 累计登记次数."""
    grid = grid_for(grid_id, WORKER)
    method = request.args.get("method", grid_visits.MANUAL)
    if method not in grid_visits.METHODS:
        method = grid_visits.MANUAL
    visit_id = parse_id(request.args.get("visit", ""))
    visit = db.session.get(GridVisit, visit_id) if visit_id is not None else None
    if visit is not None and (visit.worker_id != current_user.id or visit.grid_id != grid.id):
        abort(404)
    today, total = _counts(grid)
    again = url_for("grid.collect_manual" if method == grid_visits.MANUAL else "grid.collect_scan", grid_id=grid.id)
    return render_screen("grid/_collect_done.html", title=gettext("提交成功"), grid=grid, visit=visit, again=again,
                         today=today, total=total)


# -- the offline queue's sync (JSON, not a screen) -----------------------------------------------------------------


def _json(code: int, **body):
    response = jsonify(body)
    response.status_code = code
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/visits")
def visit_sync_post():
    """One queued record (the VisitForm's fields + grid_id, X-CSRFToken): 200 stored / repeated, 422 invalid,
    409 refused (dissolved, unbound, grid not active)."""
    form = VisitForm()
    grid_id = parse_id(request.form.get("grid_id", ""))
    valid = form.validate()
    if not valid or grid_id is None:
        errors = form.field_errors()
        if grid_id is None:
            errors["grid_id"] = [gettext("网格不存在，记录无法上传")]
        return _json(422, status="invalid", message=gettext("记录填写有误，请修改后重新提交"), errors=errors)
    try:
        recorded = _record(grid_id, form, grid_visits.MANUAL)
    except grid_visits.VisitRefused as refused:
        db.session.rollback()
        return _json(409, status="refused", message=refused.message)
    db.session.commit()
    if recorded.repeated:
        return _json(200, status="repeated", message=gettext("该记录此前已上传，未重复保存"), id=recorded.visit.id)
    return _json(200, status="stored", message=gettext("已上传：%(name)s", name=mask_name(recorded.visit.name)),
                 id=recorded.visit.id)


@bp.get("/visits/token")
def visit_sync_token():
    """A fresh CSRF token for the queue's next sync (the page's may have expired while offline)."""
    return _json(200, csrf=generate_csrf())


# -- 扫粤康码 -----------------------------------------------------------------------------------------------------


def _scan_screen(grid: Grid, *, value: str = "", error: str = "", status: int = 200):
    return render_screen("grid/_collect_scan.html", title=gettext("扫粤康码"), grid=grid, value=value, error=error,
                         reason=grid_visits.not_active_reason(grid), status=status)


@bp.get("/<int:grid_id>/collect/scan")
def collect_scan(grid_id: int):
    """扫粤康码: the shared scanner (camera, wired scanner or pasted)."""
    return _scan_screen(grid_for(grid_id, WORKER))


@bp.post("/<int:grid_id>/collect/scan")
def collect_scan_post(grid_id: int):
    grid = grid_for(grid_id, WORKER)
    reason = grid_visits.not_active_reason(grid)
    if reason is not None:  # a worker of a grid not yet confirmed scans nobody (O8)
        return _scan_screen(grid, value=request.form.get("code", "")[:scanning.MAX_TYPED], error=reason)
    try:
        person = scanning.scanned_person(WORKER, context=grid.name)
    except scanning.ScanRefused as refused:
        return _scan_screen(grid, value=refused.typed, error=refused.message, status=refused.status)
    ticket = scan_tickets.seal(place_id=grid.id, person_id=person.id, inspector_id=current_user.id,
                               now=clock.now(), secret=_secret(), kind=KIND)
    return redirect(url_for("grid.collect_person", grid_id=grid.id, ticket=ticket), code=303)


def _scanned(grid: Grid, ticket: str) -> tuple[scan_tickets.Ticket, Person]:
    """The ticket's scan and person, when it is this worker's for this grid and live; else TicketRefused."""
    opened = scan_tickets.open_for(ticket, place_id=grid.id, inspector_id=current_user.id, now=clock.now(),
                                   secret=_secret(), kind=KIND)
    person = db.session.get(Person, opened.person_id)
    if person is None:
        raise scan_tickets.TicketRefused(scan_tickets.INVALID)
    return opened, person


def _refused(grid: Grid, refused: scan_tickets.TicketRefused):
    """Back to the scanner with the reason: an old scan is 200 (the worker chatted at the door), any other 404."""
    return _scan_screen(grid, error=refused.message, status=200 if refused.reason == scan_tickets.EXPIRED else 404)


def _person_screen(grid: Grid, ticket: str, person: Person, form: ScanVisitForm, *, refused: str | None = None):
    return render_screen(
        "grid/_collect_person.html", title=gettext("信息采集"), grid=grid, ticket=ticket, person=person, form=form,
        code_status=provider().statuses([person.id])[person.id],
        reason=refused or grid_visits.not_active_reason(grid),
    )


def _scan_key(opened: scan_tickets.Ticket) -> str:
    return f"scan-{opened.form_key}"


@bp.get("/<int:grid_id>/collect/scan/<ticket>")
def collect_person(grid_id: int, ticket: str):
    """The scanned person: masked 姓名 and 手机号, the code colour in words and its reason, 【查看健康信息】, then
    住址 and the door-to-door questions, 【提交】."""
    grid = grid_for(grid_id, WORKER)
    try:
        opened, person = _scanned(grid, ticket)
    except scan_tickets.TicketRefused as refused:
        return _refused(grid, refused)
    form = ScanVisitForm(formdata=None)
    form.client_key.data = _scan_key(opened)
    return _person_screen(grid, ticket, person, form)


@bp.post("/<int:grid_id>/collect/scan/<ticket>")
def collect_person_post(grid_id: int, ticket: str):
    grid = grid_for(grid_id, WORKER)
    try:
        opened, person = _scanned(grid, ticket)
    except scan_tickets.TicketRefused as refused:
        return _refused(grid, refused)
    form = ScanVisitForm()
    form.client_key.data = _scan_key(opened)  # the scan's, whatever was posted: one scan, one visit
    if not form.validate():
        return _person_screen(grid, ticket, person, form)
    try:
        recorded = _record(grid.id, form, grid_visits.SCAN, person=person)
    except grid_visits.VisitRefused as refused:
        db.session.rollback()
        return _person_screen(grid, ticket, person, form, refused=refused.message)
    db.session.commit()
    return _done(grid, recorded, grid_visits.SCAN)


@bp.get("/<int:grid_id>/collect/scan/<ticket>/health")
def collect_health(grid_id: int, ticket: str):
    """查看健康信息: an unauthorised worker sees the latest 个人健康申报, an authorised one all of them; audited."""
    grid = grid_for(grid_id, WORKER)
    staff = own_binding(grid)
    try:
        _, person = _scanned(grid, ticket)
    except scan_tickets.TicketRefused as refused:
        return _refused(grid, refused)
    declarations = personal.history(db.session, person.id, limit=ALL_DECLARATIONS if staff.authorised else 1)
    screen = render_screen("grid/_collect_health.html", title=gettext("健康信息"), grid=grid, ticket=ticket,
                           person=person, declarations=declarations, authorised=staff.authorised,
                           shown_at_most=ALL_DECLARATIONS)
    return audited(screen, role=WORKER, action="view_declaration", subject_ids=[person.id], context=grid.name)

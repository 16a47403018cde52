"""医护人员 (SPEC O7, O9, H4; issue 11 items 4–6; guide 二 (四)): 出具电子告知书 — 扫描粤康码 (the one scanner) →
the pre-filled 出具电子告知书 → 【提交】 → 出具成功 (number, verification link); 我的工作台 → 已出具的电子告知书.

Only staff the operator enabled use it ("仅在系统后台开通了权限的人员才可使用该功能"): anyone else opening the entry
is told why, and every other screen is 404 to them (the loader current_staff). As at a place's gate, a scan is
resolved once (rate limit, audit) and the form carries a sealed ticket (services/medical_notices), never the
粤康码 token, which dies in 2 minutes.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, current_app, flash, redirect, url_for
from flask_login import current_user
from wtforms import DateField, RadioField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from yks_web import clock, qr
from yks_web.blueprints import scanning
from yks_web.extensions import db
from yks_web.forms.base import Form, strip
from yks_web.health_setup import provider
from yks_web.i18n import N_, gettext, lazy_gettext
from yks_web.models.health import ObservationNotice
from yks_web.models.medical import MedicalStaff
from yks_web.models.people import Person
from yks_web.rendering import render_screen
from yks_web.services import audit, code_tokens, medical_notices, medical_staff, scan_tickets

bp = Blueprint("medical", __name__, url_prefix="/medical")

TITLE = N_("出具电子告知书")
# The observations are health data the scan alone did not show: viewing them is a read for the person's 查阅记录,
# written once in ten minutes however often the form is reloaded.
VIEW_WINDOW = timedelta(minutes=10)
ALREADY_ISSUED = N_("该次扫码已出具电子告知书，如需为其他医学观察出具，请重新扫码")


def current_staff() -> MedicalStaff:
    """The loader: the user's active 医护人员 row; 404 for anyone the operator has not enabled (or has revoked)."""
    staff = medical_staff.staff_of(db.session, current_user)
    if staff is None:
        abort(404)
    return staff


def notice_for(notice_id: int) -> tuple[MedicalStaff, ObservationNotice]:
    """The loader of one notice: the current staff member and a notice they issued; 404 for anyone else's."""
    staff = current_staff()
    notice = db.session.get(ObservationNotice, notice_id)
    if notice is None or notice.issuer_id != current_user.id:
        abort(404)
    return staff, notice


def _secret() -> str:
    return current_app.config["SECRET_KEY"]


def _cap() -> int:
    return int(current_app.config.get("MEDICAL_NOTICES_PER_DAY", medical_notices.DEFAULT_PER_DAY))


# -- 扫描粤康码 ---------------------------------------------------------------------------------------------------


def _scanner_screen(staff: MedicalStaff, *, value: str = "", error: str = "", status: int = 200):
    code_link = url_for("health_code.show", _external=True)
    return render_screen("medical/_index.html", title=gettext(TITLE), staff=staff, value=value, error=error,
                         status=status, code_link=code_link, code_qr=qr.png_data_uri(code_link))


@bp.get("/")
def index():
    """出具电子告知书: 扫描粤康码 for enabled staff; "您尚未开通医护人员权限…" for anyone else (200, not an error)."""
    staff = medical_staff.staff_of(db.session, current_user)
    if staff is None:
        return render_screen("medical/_not_enabled.html", title=gettext(TITLE),
                             message=gettext(medical_staff.NOT_ENABLED))
    return _scanner_screen(staff)


@bp.post("/")
def scan_post():
    staff = current_staff()
    try:
        person = scanning.scanned_person("medical_staff", context=staff.unit)
    except scanning.ScanRefused as refused:
        return _scanner_screen(staff, value=refused.typed, error=refused.message, status=refused.status)
    ticket = medical_notices.seal_ticket(staff_person_id=current_user.id, person_id=person.id,
                                         now=clock.now(), secret=_secret())
    return redirect(url_for("medical.issue", ticket=ticket), code=303)


# -- 出具电子告知书 ----------------------------------------------------------------------------------------------


class IssueForm(Form):
    observation = RadioField(lazy_gettext("需要解除的医学观察"), coerce=int,
                             validators=[InputRequired(lazy_gettext("请选择需要解除的医学观察"))])
    released_on = DateField(lazy_gettext("解除日期"),
                            validators=[InputRequired(lazy_gettext("请填写解除日期，如：2026-11-20"))])
    remarks = TextAreaField(lazy_gettext("备注（选填）"), filters=[strip],
                            validators=[Optional(), Length(max=200, message=lazy_gettext("备注不能超过200个字"))])

    def validate_released_on(self, field) -> None:
        if field.data is not None and field.data > clock.today():
            raise ValidationError(gettext("解除日期不能晚于今天"))


def _scanned(ticket: str) -> tuple[medical_notices.Ticket, Person]:
    opened = medical_notices.open_ticket(ticket, staff_person_id=current_user.id, now=clock.now(), secret=_secret())
    person = db.session.get(Person, opened.person_id)
    if person is None:
        raise medical_notices.TicketRefused(code_tokens.EXPIRED)
    return opened, person


def _refused(staff: MedicalStaff, refused: medical_notices.TicketRefused):
    """Back to the scanner with the reason: an old scan is 200 (the form sat open), anything else 404."""
    expired = refused.reason == scan_tickets.EXPIRED
    return _scanner_screen(staff, error=refused.message, status=200 if expired else 404)


def _issue_screen(staff: MedicalStaff, ticket: str, person: Person, form: IssueForm, error: str = ""):
    data = provider()
    observations = data.observations(person.id)
    form.observation.choices = [(o.id, gettext(o.reason)) for o in observations]
    if form.observation.data is None and len(observations) == 1:
        form.observation.data = observations[0].id
    return render_screen(
        "medical/_issue.html", title=gettext(TITLE), staff=staff, ticket=ticket, person=person, form=form, error=error,
        code_status=data.statuses([person.id])[person.id], observations=observations,
        none_open=gettext(medical_notices.NONE_OPEN),
    )


@bp.get("/issue/<ticket>")
def issue(ticket: str):
    """出具电子告知书: the scanned person's known data (masked), the code colour and reason, the open observations
    (choose the one this notice ends), 解除日期 (today), the staff member's 单位名称, 备注 → 【提交】."""
    staff = current_staff()
    try:
        _, person = _scanned(ticket)
    except medical_notices.TicketRefused as refused:
        return _refused(staff, refused)
    form = IssueForm(formdata=None, data={"released_on": clock.today()})
    screen = _issue_screen(staff, ticket, person, form)
    audit.record_once(db.session, actor_id=current_user.id, role=medical_notices.ROLE, action="view_observation",
                      subject_id=person.id, utc_now=clock.utcnow(), within=VIEW_WINDOW, context=staff.unit)
    db.session.commit()
    return screen


@bp.post("/issue/<ticket>")
def issue_post(ticket: str):
    staff = current_staff()
    try:
        opened, person = _scanned(ticket)
    except medical_notices.TicketRefused as refused:
        return _refused(staff, refused)
    earlier = medical_notices.issued_for_scan(db.session, opened.form_key, current_user.id)
    if earlier is not None:  # the same 【提交】 again (a double tap, the back button): the notice it made
        flash(gettext(ALREADY_ISSUED), "info")
        return redirect(url_for("medical.issued", notice_id=earlier.id), code=303)
    form = IssueForm()
    form.observation.choices = [(o.id, o.reason) for o in provider().observations(person.id)]
    if not form.validate():
        return _issue_screen(staff, ticket, person, form)
    try:
        issued = medical_notices.issue(
            db.session, provider(), staff=staff, issuer_id=current_user.id, person=person,
            observation_id=form.observation.data, released_on=form.released_on.data,
            remarks=form.remarks.data or "", form_key=opened.form_key, cap=_cap(), utc_now=clock.utcnow(),
            local_now=clock.now(),
        )
    except medical_notices.CapReached as refused:
        db.session.commit()  # the operator's alert stays
        return _issue_screen(staff, ticket, person, form, refused.message)
    except medical_notices.NoticeRefused as refused:
        db.session.rollback()
        return _issue_screen(staff, ticket, person, form, refused.message)
    db.session.commit()
    if issued.repeated:
        flash(gettext(ALREADY_ISSUED), "info")
    return redirect(url_for("medical.issued", notice_id=issued.notice.id), code=303)


@bp.get("/notices/<int:notice_id>")
def issued(notice_id: int):
    """出具成功: the notice's number and its verification link, 【继续扫码】."""
    staff, notice = notice_for(notice_id)
    person = db.session.get(Person, notice.person_id)
    link = url_for("notice.verify", number=notice.number, _external=True)
    return render_screen("medical/_issued.html", title=gettext("出具成功"), staff=staff, notice=notice, person=person,
                         verify_link=link, verify_qr=qr.png_data_uri(link))


# -- 我的工作台 ---------------------------------------------------------------------------------------------------


@bp.get("/workbench")
def workbench():
    """我的工作台: who I am enabled as, today's count against the cap, 已出具的电子告知书."""
    staff = current_staff()
    today = medical_notices.issued_on_day(db.session, current_user.id, clock.today())
    return render_screen("medical/_workbench.html", title=gettext("我的工作台"), staff=staff, today=today, cap=_cap(),
                         total=medical_notices.issued_count(db.session, current_user.id))


@bp.get("/notices")
def notices():
    """已出具的电子告知书: my notices, newest first (masked names; one query whatever their number)."""
    staff = current_staff()
    rows = medical_notices.issued_by(db.session, current_user.id)
    return render_screen("medical/_notices.html", title=gettext("已出具的电子告知书"), staff=staff, rows=rows)

"""粤康码 (SPEC H1, H2, H4): 出示粤康码, the resolver inspectors use, 我的粤康码 and 健康申报.

Named `health_code`, not `code`: 场所码, 申报码, 团体码 and 验证码 are coming (issue 9 item 10). The URLs keep
the prefix /code/ on purpose: printed QR codes and bookmarks point at /code/scan/<token> and /code/."""

from __future__ import annotations

import uuid
from datetime import timedelta

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select

from yks_web import clock, qr
from yks_web.blueprints.auth import client_ip
from yks_web.converters import parse_id
from yks_web.extensions import db
from yks_web.forms.declaration import PersonalDeclarationForm
from yks_web.health_setup import provider
from yks_web.i18n import N_, gettext
from yks_web.models import ObservationNotice, Person, TemperatureCheck
from yks_web.privacy import mask_name
from yks_web.rendering import render_screen
from yks_web.services import access, audit, code_scans, code_tokens, family, personal, place_staff
from yks_web.services.errors import DomainError
from yks_web.services.health_data import GREEN_REASON
from yks_web.services.history import records_of
from yks_web.services.rate_limits import RateLimited

bp = Blueprint("health_code", __name__, url_prefix="/code")  # /code/ stays: QR codes in print

# The modules' colour on white. Yellow is a golden yellow, not brown, yet dark enough for a camera in poor light
# (issue 9 item 6: tests/blueprints/test_health_code_page.py decodes each colour from a dim, blurred photo).
QR_COLOURS = {"green": "#1b7f3b", "yellow": "#d9a000", "red": "#c62828"}


def shown_person() -> tuple[Person, str]:
    """The loader: whose code this screen is about — mine, or a family member's (`?member=`), else 404 (P7) —
    and the name the screen gives them: mine, or the one on my link (issue 8 item 1: never another's claim)."""
    raw = request.args.get("member")
    person_id = current_user.id if raw is None else parse_id(raw)
    if person_id is None or not access.may_show_code(db.session, current_user.id, person_id):
        abort(404)
    if person_id == current_user.id:
        return current_user._get_current_object(), current_user.name
    link = family.consented_link(db.session, current_user.id, person_id)  # loads the member too
    if link is not None:
        return link.member, link.shown_name
    person = db.session.get(Person, person_id)  # entitled by services/access without a family link
    if person is None:
        abort(404)
    return person, person.name


# A family owner's reads of a member's code and records, written once per half hour per screen kind:
# 出示粤康码 refreshes itself every minute while shown at a door (P6, P10, issue 8 item 9).
FAMILY_READ_WINDOW = timedelta(minutes=30)


def _family_read(response, person: Person, action: str):
    """Write down a family owner's read of a member's health data, for the member's 查阅记录."""
    if person.id != current_user.id:
        audit.record_once(
            db.session, actor_id=current_user.id, role="family_owner", action=action, subject_id=person.id,
            utc_now=clock.utcnow(), within=FAMILY_READ_WINDOW, context=N_("家庭成员"),
        )
        db.session.commit()
    return response


def _secret() -> str:
    return current_app.config["SECRET_KEY"]


def _card(person: Person, name: str) -> dict:
    """What the card shows: the colour in words, the QR of a fresh 2-minute token, the time. The QR is inline
    (qr.code_png_uri) and encodes only the resolver's address of the token, never the ID number (H1)."""
    status = provider().statuses([person.id])[person.id]
    now = clock.now()
    token = code_tokens.issue(person.id, now, _secret())
    resolver = url_for("health_code.scan", token=token, _external=True)
    return dict(person=person, name=name, code_status=status, now=now,
                refresh=current_app.config.get("CODE_REFRESH_SECONDS", code_tokens.REFRESH_SECONDS),
                qr_src=qr.code_png_uri(resolver, QR_COLOURS[status.colour]))


@bp.get("/")
def show():
    """出示粤康码: the colour, the QR with a 2-minute token, the time, and 解除指引 when not green (H1).

    The card refreshes itself with htmx (health_code.card); without JavaScript the whole page does, by a meta
    refresh inside <noscript> (issue 9 item 8), so the promise "二维码每分钟自动刷新" holds either way."""
    person, name = shown_person()
    card = _card(person, name)
    return _family_read(render_screen(
        "health_code/_show.html", title=gettext("粤康码"), noscript_refresh=card["refresh"],
        family=family.members(db.session, current_user.id), **card,
    ), person, "view_health_code")


@bp.get("/card")
def card():
    """出示粤康码's card alone, the QR inline: what the open page polls every minute (issue 14 item 3), one
    request per refresh with no page around it nor an image to fetch after it. Never a screen (a plain GET gets
    the card too): reload, back and no JavaScript all land on health_code.show."""
    person, name = shown_person()
    response = make_response(render_template("health_code/_card.html", **_card(person, name)))
    response.headers["Vary"] = "HX-Request"
    response.headers["Cache-Control"] = "no-store"
    return _family_read(response, person, "view_health_code")


def _scan(token: str) -> code_scans.Scan:
    """Resolve for the logged-in scanner; NotAScanner and RateLimited go to the caller (issue 8 item 8)."""
    try:
        found = code_scans.scan(db.session, current_user, token, address=client_ip(), now=clock.now(),
                                utc_now=clock.utcnow(), secret=_secret())
    except RateLimited:
        db.session.rollback()
        raise
    db.session.commit()  # the attempt counts and the read is audited, whatever the token held
    return found


def _scan_screen(status: int, person=None, code_status=None, message: str | None = None):
    return render_screen("health_code/_scan.html", title=gettext("扫码结果"), person=person, code_status=code_status,
                         message=message, status=status)


@bp.get("/scan/<token>")
def scan(token: str):
    """扫码结果: what a scanner (an operator) sees of a scanned code — masked identity and the status in words.
    Anyone else gets 404 and a page saying only inspectors see the result: no name, no colour.

    An inspector or 医护人员 who scanned with the phone's own camera app lands here too. They are asked first
    where the scan is for — each of their places' 【在此场所登记体温】, or 【出具电子告知书】 — and the code is
    resolved once, there (places.scan_post / medical.scan_post), so the person's 查阅记录 names the place or unit
    and the scan costs one try, not two."""
    places = place_staff.active_places(db.session, current_user.id)
    medical = access.holds_scanning_role(db.session, current_user, "medical_staff")
    if places or medical:
        return render_screen("health_code/_scan_choose.html", title=gettext("扫码结果"), token=token, places=places,
                             medical=medical)
    try:
        found = _scan(token)
    except code_scans.NotAScanner as refused:
        return _scan_screen(404, message=refused.message)
    except RateLimited as refused:
        return _scan_screen(429, message=refused.message)
    if found.person is None:
        return _scan_screen(404)
    return _scan_screen(200, found.person, provider().statuses([found.person.id])[found.person.id])


@bp.get("/resolve")
def resolve():
    """The resolver as JSON, for scanners and a valid token only (inspectors' devices)."""
    try:
        found = _scan(request.args.get("t", ""))
    except code_scans.NotAScanner as refused:
        return jsonify(error=refused.message), 404
    except RateLimited as refused:
        return jsonify(error=refused.message), 429
    if found.person is None:
        return jsonify(error=gettext(code_tokens.EXPIRED)), 404
    person = found.person
    status = provider().statuses([person.id])[person.id]
    return jsonify(
        name=mask_name(person.name), id_number=person.masked_id, colour=status.colour,
        status=gettext(status.label),
        reason=gettext(status.reason) if status.reason == GREEN_REASON else status.reason,  # else as typed
    )


@bp.get("/guidance")
def guidance():
    """解除指引: why the code is yellow or red, and how it is lifted."""
    person, _ = shown_person()
    status = provider().statuses([person.id])[person.id]
    screen = render_screen("health_code/_guidance.html", title=gettext("解除指引"), person=person, code_status=status)
    return _family_read(screen, person, "view_health_code")


@bp.get("/mine")
def mine():
    """我的粤康码: status, latest test, vaccinations and the histories (H2, H4)."""
    person, name = shown_person()
    data = provider()
    return _family_read(render_screen(
        "health_code/_mine.html", title=gettext("我的粤康码"), person=person, name=name,
        code_status=data.statuses([person.id])[person.id],
        test=data.latest_tests([person.id]).get(person.id), doses=data.vaccinations([person.id])[person.id],
    ), person, "view_health")


HISTORIES = {
    "declarations": N_("健康申报历史"),
    "temperature": N_("体温检测历史"),
    "entries": N_("入粤登记历史"),
    "notices": N_("解除医学观察电子告知书"),
}


def _corrected(checks: list[TemperatureCheck]) -> set[int]:
    """The checks a later one supersedes (FAQ 12: 已被更正), in one query whatever their number."""
    if not checks:
        return set()
    return set(db.session.scalars(
        select(TemperatureCheck.supersedes_id).where(TemperatureCheck.supersedes_id.in_([c.id for c in checks]))
    ))


@bp.get("/history/<kind>")
def history(kind: str):
    """One history of 我的粤康码, newest first, with a meaningful empty state (H4)."""
    if kind not in HISTORIES:
        abort(404)
    person, _ = shown_person()
    if kind == "declarations":
        rows = personal.history(db.session, person.id)
    elif kind == "entries":
        rows = provider().entries(person.id)
    else:
        model = TemperatureCheck if kind == "temperature" else ObservationNotice
        rows = records_of(db.session, model, person.id)
    corrected = _corrected(rows) if kind == "temperature" else set()
    screen = render_screen(f"health_code/_history_{kind}.html", title=gettext(HISTORIES[kind]), person=person,
                           rows=rows, corrected=corrected)
    return _family_read(screen, person, "view_health")


@bp.get("/declare-menu")
def declare_menu():
    """健康情况申报: 个人健康申报, or 学生/教职工个人健康申报 (S1's later-visit path)."""
    return render_screen("health_code/_declare_menu.html", title=gettext("健康情况申报"))


def _declare_screen(shown: tuple[Person, str], form: PersonalDeclarationForm, error: str | None = None):
    person, name = shown
    return render_screen(
        "health_code/_declare.html", title=gettext("健康申报"), person=person, name=name, form=form, error=error
    )


@bp.get("/declare")
def declare():
    """健康申报 (H4): for oneself or a family member."""
    shown = shown_person()
    form = PersonalDeclarationForm(formdata=None)
    form.form_key.data = uuid.uuid4().hex
    return _declare_screen(shown, form)


@bp.post("/declare")
def declare_post():
    shown = shown_person()
    person = shown[0]
    form = PersonalDeclarationForm()
    if not form.validate():
        return _declare_screen(shown, form)
    key = form.form_key.data if form.form_key.data and len(form.form_key.data) <= 64 else uuid.uuid4().hex
    try:
        personal.submit(db.session, person_id=person.id, actor_id=current_user.id, answers=form.to_answers(),
                        form_key=key, utc_now=clock.utcnow())
    except DomainError as refused:
        db.session.rollback()
        return _declare_screen(shown, form, refused.message)
    db.session.commit()
    flash(gettext("申报成功"), "success")
    member = None if person.id == current_user.id else person.id
    return redirect(url_for("health_code.history", kind="declarations", member=member), code=303)

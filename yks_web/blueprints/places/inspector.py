"""公共场所检测员 (SPEC O2, O3, O8, O9; guide 二 (二) (2), 2.2; FAQ 11–13): 绑定公共场所, 我的场所, 管理,
体温检测 (扫描粤康码 → 登记: 正常/发热 → 提交 → back to the scanner for the next person).

A scan is resolved once (scan_post: rate limit, audit with the place's name) and the 登记 screen carries a
ticket (services/scan_tickets), never the 粤康码 token: the token dies in 2 minutes and each resolve is a
read the person sees in 查阅记录.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, url_for
from flask_login import current_user
from sqlalchemy import select

from yks_web import clock
from yks_web.blueprints import scanning
from yks_web.blueprints.access_log import audited
from yks_web.blueprints.auth import client_ip
from yks_web.blueprints.places import bp, place_for
from yks_web.extensions import db
from yks_web.forms.places import BindForm, ResultForm
from yks_web.health_setup import provider
from yks_web.i18n import gettext
from yks_web.models.people import Person
from yks_web.models.place import Place, PlaceStaff
from yks_web.privacy import mask_name
from yks_web.rendering import render_screen
from yks_web.services import personal, place_checks, place_staff, scan_tickets
from yks_web.services.areas import full_name
from yks_web.services.errors import DomainError

INSPECTOR = "inspector"


def _secret() -> str:
    return current_app.config["SECRET_KEY"]


# -- 绑定公共场所, 我的场所, 管理 ------------------------------------------------------------------------------


def _bind_screen(form: BindForm):
    return render_screen("places/_inspector_bind.html", title=gettext("绑定公共场所"), form=form)


@bp.get("/inspector")
def inspector_home():
    """我的场所 (检测员): the bound places, each opening 体温检测; none yet → the bind form."""
    staff = place_staff.active_places(db.session, current_user.id)
    return render_screen("places/_inspector_home.html", title=gettext("我的场所"), staff=staff, area_name=full_name,
                         form=BindForm(formdata=None))


@bp.get("/inspector/bind")
def bind():
    """绑定公共场所: the 场所申报码 the place's admin shared."""
    return _bind_screen(BindForm(formdata=None))


@bp.post("/inspector/bind")
def bind_post():
    form = BindForm()
    if not form.validate():
        return _bind_screen(form)
    try:
        staff = place_staff.bind_by_code(db.session, current_user.id, form.code.data, address=client_ip(),
                                         utc_now=clock.utcnow())
    except DomainError as refused:  # BindRefused (wrong kind, unknown, too many places) or RateLimited
        db.session.commit()  # the attempt counts, whatever the answer (O8: codes are not guessed in a few tries)
        form.code.errors = [refused.message]
        return _bind_screen(form)
    db.session.commit()
    flash(gettext("已绑定公共场所：%(place)s", place=staff.place.name), "success")
    return redirect(url_for("places.inspector_home"), code=303)


@bp.get("/inspector/manage")
def manage():
    """管理: 新增绑定 (the bind form) and 解除绑定 of each bound place."""
    staff = place_staff.active_places(db.session, current_user.id)
    return render_screen("places/_inspector_manage.html", title=gettext("管理我的场所"), staff=staff,
                         area_name=full_name, form=BindForm(formdata=None))


def _own_binding(place: Place) -> PlaceStaff:
    staff = db.session.scalar(select(PlaceStaff).where(
        PlaceStaff.place_id == place.id, PlaceStaff.person_id == current_user.id, PlaceStaff.active.is_(True)))
    if staff is None:
        abort(404)
    return staff


@bp.get("/<int:place_id>/leave")
def leave(place_id: int):
    """解除绑定 → 确定解除绑定？ → 【确定】 / 【取消】 (never one tap)."""
    place = place_for(place_id, INSPECTOR)
    return render_screen(
        "_confirm.html", title=gettext("解除绑定"), question=gettext("确定解除绑定%(place)s？", place=place.name),
        hint=gettext("解除后将不能再为该场所扫码登记体温；如需恢复，可再次输入场所申报码绑定。"),
        action=url_for("places.leave_post", place_id=place.id), cancel=url_for("places.manage"),
    )


@bp.post("/<int:place_id>/leave")
def leave_post(place_id: int):
    place = place_for(place_id, INSPECTOR)
    place_staff.unbind(db.session, _own_binding(place), by="self", utc_now=clock.utcnow())
    db.session.commit()
    flash(gettext("已解除绑定%(place)s", place=place.name), "info")
    return redirect(url_for("places.manage"), code=303)


# -- 体温检测: the scanner, then 登记 ------------------------------------------------------------------------


def _check_screen(place: Place, *, value: str = "", error: str = "", status: int = 200):
    return render_screen("places/_check.html", title=gettext("体温检测"), place=place, value=value, error=error,
                         status=status)


@bp.get("/<int:place_id>/check")
def check(place_id: int):
    """体温检测: 扫描粤康码 (camera, wired scanner or pasted), 体温正常快速打卡, 数据统计."""
    return _check_screen(place_for(place_id, INSPECTOR))


@bp.post("/<int:place_id>/check")
def scan_post(place_id: int):
    place = place_for(place_id, INSPECTOR)
    try:
        person = scanning.scanned_person("inspector", context=place.name)
    except scanning.ScanRefused as refused:
        return _check_screen(place, value=refused.typed, error=refused.message, status=refused.status)
    ticket = scan_tickets.seal(place_id=place.id, person_id=person.id, inspector_id=current_user.id,
                               now=clock.now(), secret=_secret())
    return redirect(url_for("places.check_person", place_id=place.id, ticket=ticket), code=303)


def _scanned(place: Place, ticket: str) -> tuple[scan_tickets.Ticket, Person]:
    """The ticket's scan and person, when it is this inspector's at this place and live; else TicketRefused."""
    opened = scan_tickets.open_for(ticket, place_id=place.id, inspector_id=current_user.id, now=clock.now(),
                                   secret=_secret())
    person = db.session.get(Person, opened.person_id)
    if person is None:
        raise scan_tickets.TicketRefused(scan_tickets.INVALID)
    return opened, person


def _refused(place: Place, refused: scan_tickets.TicketRefused):
    """Back to the scanner with the reason: an old scan is 200 (it happens at a busy gate), any other 404."""
    return _check_screen(place, error=refused.message, status=200 if refused.reason == scan_tickets.EXPIRED else 404)


def _person_screen(place: Place, ticket: str, person: Person, form: ResultForm):
    return render_screen(
        "places/_check_person.html", title=gettext("体温检测与登记"), place=place, ticket=ticket, person=person,
        code_status=provider().statuses([person.id])[person.id], form=form,
    )


@bp.get("/<int:place_id>/check/<ticket>")
def check_person(place_id: int, ticket: str):
    """登记: masked 姓名 and 手机号, the code colour in words and its reason, 【查看健康信息】, 正常/发热, 【提交】."""
    place = place_for(place_id, INSPECTOR)
    try:
        _, person = _scanned(place, ticket)
    except scan_tickets.TicketRefused as refused:
        return _refused(place, refused)
    return _person_screen(place, ticket, person, ResultForm(formdata=None))


@bp.post("/<int:place_id>/check/<ticket>")
def check_person_post(place_id: int, ticket: str):
    place = place_for(place_id, INSPECTOR)
    try:
        opened, person = _scanned(place, ticket)
    except scan_tickets.TicketRefused as refused:
        return _refused(place, refused)
    form = ResultForm()
    if not form.validate():
        return _person_screen(place, ticket, person, form)
    recorded = place_checks.record(
        db.session, place=place, person=person, result=form.result.data, method=place_checks.SCAN,
        inspector_id=current_user.id, form_key=opened.form_key, utc_now=clock.utcnow(), local_now=clock.now(),
    )
    db.session.commit()
    name = mask_name(person.name)
    normal = recorded.check.result == "正常"
    if recorded.repeated:
        flash(gettext("该次扫码已登记：%(name)s 体温正常。如需更正，请重新扫码登记", name=name) if normal
              else gettext("该次扫码已登记：%(name)s 发热。如需更正，请重新扫码登记", name=name), "info")
    elif recorded.superseded is not None:
        flash(gettext("已登记：%(name)s 体温正常（已更正今日此前的登记）", name=name) if normal
              else gettext("已登记：%(name)s 发热（已更正今日此前的登记）", name=name), "success")
    else:
        flash(gettext("已登记：%(name)s 体温正常", name=name) if normal
              else gettext("已登记：%(name)s 发热", name=name), "success")
    return redirect(url_for("places.check", place_id=place.id), code=303)


@bp.get("/<int:place_id>/check/<ticket>/health")
def check_health(place_id: int, ticket: str):
    """查看健康信息: the person's latest 个人健康申报 (guide 二 (二) (2) 3)); the read is audited."""
    place = place_for(place_id, INSPECTOR)
    try:
        _, person = _scanned(place, ticket)
    except scan_tickets.TicketRefused as refused:
        return _refused(place, refused)
    latest = next(iter(personal.history(db.session, person.id, limit=1)), None)
    screen = render_screen("places/_check_health.html", title=gettext("健康信息"), place=place, ticket=ticket,
                           person=person, declaration=latest)
    return audited(screen, role=INSPECTOR, action="view_declaration", subject_ids=[person.id], context=place.name)

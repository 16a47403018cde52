"""注销账号 (issue 16 item 2; SPEC P6, P10): 个人中心 → 注销账号 → what goes, what is kept and why → the confirm step
(手机验证码 to the person's own phone + an explicit tick) → 账号已注销.

The rules are services/account_deletion_plan (what happens, blockers, the code) and services/account_deletion (the
deletion). The confirm step is one plain form (works without JavaScript): 【获取验证码】 is its second submit button,
which sends the code and redirects back to the page (a reload sends nothing again; the tick is kept through the
session); a wrong or expired code, or no tick, re-renders the page with the message beside the field and the tick
kept. Roles others depend on (blockers) replace the form with how to hand them over, and, where only the operators
can help, 【提交注销申请】 (a third submit of the same URL).
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, request, session, url_for
from flask_babel import force_locale
from flask_login import current_user
from sqlalchemy import select

from yks_web import clock
from yks_web.auth_setup import log_out
from yks_web.blueprints.auth import client_ip
from yks_web.extensions import db
from yks_web.forms.account import REQUEST, SEND_CODE, DeleteAccountForm
from yks_web.i18n import DEFAULT_LOCALE, gettext
from yks_web.models.people import Person
from yks_web.privacy import mask_phone
from yks_web.rendering import render_screen
from yks_web.services import account_deletion
from yks_web.services import account_deletion_plan as plan
from yks_web.services.locks import lock_row
from yks_web.services.sms import SmsError
from yks_web.sms_setup import sender

bp = Blueprint("account", __name__, url_prefix="/account")

CHALLENGE = "account_delete"  # the session key of the code sent for this purpose
TICKED = "account_delete_agree"  # the tick set when 【获取验证码】 was pressed, for the page it redirects to


def _handover_links(blockers: list[plan.Blocker]) -> dict[int, list[tuple[str, str]]]:
    """Where each blocker can be handed over in the app (by its position in the list): (label, url) pairs."""
    links: dict[int, list[tuple[str, str]]] = {}
    for i, b in enumerate(blockers):
        if b.kind == "place_admin":
            links[i] = [(gettext("成员管理（更换绑定）"), url_for("places.members", place_id=b.ref_id))]
        elif b.kind == "grid_admin":
            links[i] = [(gettext("管理员变更"), url_for("grid.handover", grid_id=b.ref_id)),
                        (gettext("解散网格"), url_for("grid.dissolve", grid_id=b.ref_id))]
        elif b.kind == "group_creator":
            links[i] = [(gettext("成员管理"), url_for("group.members", group_id=b.ref_id))]
        elif b.kind == "observation":
            links[i] = [(gettext("我的粤康码"), url_for("health_code.mine"))]
    return links


def _screen(form: DeleteAccountForm, status: int = 200):
    person = current_user._get_current_object()
    blockers = plan.blockers(db.session, person)
    needs_operator = any(b.needs_operator for b in blockers)
    return render_screen(
        "account/_delete.html", title=gettext("注销账号"), status=status, form=form, blockers=blockers,
        plan=plan.what_happens(db.session, person, current_app.config.get("RETENTION_DAYS")),
        links=_handover_links(blockers), phone=mask_phone(person.phone) if person.phone else "",
        family_rule=gettext(plan.FAMILY_RULE), needs_operator=needs_operator,
        requested=plan.requested_at(db.session, person) if needs_operator else None,
    )


@bp.get("/delete")
def delete():
    """注销账号: what goes, what is kept and why, the 家庭成员 rule; the blockers or the confirm step."""
    return _screen(DeleteAccountForm(formdata=None, agree=session.pop(TICKED, False)))


@bp.post("/delete")
def delete_post():
    """【获取验证码】, 【提交注销申请】, or 【确认注销】: the tick and the code, then everything about the person
    goes, in one transaction."""
    form = DeleteAccountForm()
    if SEND_CODE in request.form:
        return _send_code(form)
    if REQUEST in request.form:
        return _request()
    if not form.validate():
        return _screen(form)
    person_id = current_user.id
    lock_row(db.session, Person, person_id)  # a second tap waits here for the first, then finds nobody
    if db.session.scalar(select(Person.id).where(Person.id == person_id)) is None:
        db.session.rollback()
        return redirect(url_for("account.deleted"), code=303)
    person = current_user._get_current_object()
    if plan.blockers(db.session, person):  # a role taken on since the page was shown
        db.session.rollback()
        return _screen(form)
    try:
        plan.check_code(db.session, person, session.get(CHALLENGE), form.code.data, clock.utcnow())
    except SmsError as refused:
        db.session.commit()  # a wrong code still counts as a try
        form.code.errors = [refused.message]
        return _screen(form)
    account_deletion.delete_account(db.session, person, clock.utcnow())
    log_out()  # the sessions are gone already (every device); this forgets the cookie
    db.session.commit()
    return redirect(url_for("account.deleted"), code=303)


def _send_code(form: DeleteAccountForm):
    """The code, only to someone who may delete now (blockers first: a crafted POST sends nothing), then back to the
    page by a redirect, the tick kept."""
    form.code.data = ""
    person = current_user._get_current_object()
    if plan.blockers(db.session, person):
        return _screen(form)
    try:
        challenge, code = plan.send_code(db.session, sender(), person, ip=client_ip(), utc_now=clock.utcnow())
    except SmsError as refused:
        db.session.rollback()
        form.code.errors = [refused.message]
        return _screen(form)
    db.session.commit()
    session[CHALLENGE] = challenge.id
    session[TICKED] = bool(form.agree.data)
    flash(gettext("验证码已发送至%(phone)s", phone=mask_phone(current_user.phone)), "info")
    if current_app.config["SHOW_SMS_CODE"]:
        flash(gettext("开发环境：验证码 %(code)s", code=code), "dev")
    return redirect(url_for("account.delete"), code=303)


def _request():
    """【提交注销申请】: recorded once for the operators (帮助与反馈), only when a blocker needs them; the request is
    stored in the source language (the operators read it so), the flash is in the reader's."""
    person = current_user._get_current_object()
    with force_locale(DEFAULT_LOCALE):
        requested = plan.request_deletion(db.session, person, plan.blockers(db.session, person), clock.utcnow())
    if requested:
        db.session.commit()
        flash(gettext("已提交注销申请，运营人员处理后会为您注销账号"), "success")
    return redirect(url_for("account.delete"), code=303)


@bp.get("/deleted")
def deleted():
    """账号已注销: public (the person is logged out everywhere by now)."""
    return render_screen("account/_deleted.html", title=gettext("账号已注销"))

"""邀请采集员 (SPEC W1): the school admin's invite card for collectors, with link and QR."""

from __future__ import annotations

from flask import abort, redirect, url_for
from flask_login import current_user

from yks_web import clock, qr
from yks_web.blueprints.school import admin_school, bp
from yks_web.extensions import db
from yks_web.i18n import gettext
from yks_web.models import School
from yks_web.rendering import render_screen
from yks_web.services import invites


def collector_invite_url(school: School) -> str:
    invite = invites.current_or_new(
        db.session, kind="collector", school_id=school.id, created_by_id=current_user.id,
        utc_now=clock.utcnow(),
    )
    db.session.commit()
    return url_for("invite.open", token=invite.token, _external=True)


@bp.post("/<int:school_id>/invite")
def invite_collector(school_id: int):
    """邀请采集员: the school's live invite card (link + QR, 7 days), or a fresh one."""
    school = admin_school(school_id)
    link = collector_invite_url(school)
    token = link.rsplit("/", 1)[-1]
    return redirect(url_for("school.invite_card", school_id=school.id, token=token), code=303)


def school_invite(school_id: int, token: str):
    """The school's own live collector invite, for its admins; anything else 404 (P7, issue 8 item 12)."""
    school = admin_school(school_id)
    try:
        invite = invites.resolve(db.session, token, "collector", clock.utcnow())
    except invites.InviteInvalid:
        abort(404)
    if invite.school_id != school.id:
        abort(404)
    return school


@bp.get("/<int:school_id>/invite/<token>")
def invite_card(school_id: int, token: str):
    school = school_invite(school_id, token)
    return render_screen(
        "school/_invite_card.html", title=gettext("邀请采集员"), school=school, token=token,
        link=url_for("invite.open", token=token, _external=True),
    )


@bp.get("/<int:school_id>/invite/<token>/qr.<any(png, svg):fmt>")
def invite_qr(school_id: int, token: str, fmt: str):
    school_invite(school_id, token)
    return qr.response(url_for("invite.open", token=token, _external=True), fmt, "collector-invite")

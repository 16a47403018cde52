"""School admin (SPEC W1, W11 in part): invite collectors, see each organisation's day."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from yks_web import clock, qr
from yks_web.extensions import db
from yks_web.models import School, SchoolAdmin
from yks_web.rendering import render_screen
from yks_web.services import invites, schools

bp = Blueprint("school", __name__, url_prefix="/school")


@bp.before_request
@login_required
def _require_login():
    return None


def admin_school(school_id: int) -> School:
    """The school, only for its admins (P7)."""
    is_admin = db.session.scalar(
        select(SchoolAdmin.id).where(SchoolAdmin.school_id == school_id, SchoolAdmin.person_id == current_user.id)
    )
    if not is_admin:
        abort(404)
    return db.session.get(School, school_id)


@bp.get("/")
def index():
    school_id = db.session.scalar(
        select(SchoolAdmin.school_id).where(SchoolAdmin.person_id == current_user.id).order_by(SchoolAdmin.id)
    )
    if school_id is None:
        abort(403)
    return redirect(url_for("school.dashboard", school_id=school_id))


@bp.get("/<int:school_id>")
def dashboard(school_id: int):
    """学校管理: every organisation with joined/size, declared today, report submitted or not."""
    school = admin_school(school_id)
    today = clock.today()
    return render_screen(
        "school/_dashboard.html", title="学校管理", school=school, today=today,
        rows=schools.organisation_rows(db.session, school.id, today),
    )


def collector_invite_url(school: School) -> str:
    invite = invites.create(
        db.session, kind="collector", school_id=school.id, created_by_id=current_user.id,
        utc_now=clock.utcnow(),
    )
    db.session.commit()
    return url_for("invite.open", token=invite.token, _external=True)


@bp.post("/<int:school_id>/invite")
def invite_collector(school_id: int):
    """邀请采集员: a fresh invite card (link + QR) valid for 7 days."""
    school = admin_school(school_id)
    link = collector_invite_url(school)
    token = link.rsplit("/", 1)[-1]
    return redirect(url_for("school.invite_card", school_id=school.id, token=token), code=303)


@bp.get("/<int:school_id>/invite/<token>")
def invite_card(school_id: int, token: str):
    school = admin_school(school_id)
    try:
        invite = invites.resolve(db.session, token, "collector", clock.utcnow())
    except invites.InviteInvalid:
        abort(404)
    if invite.school_id != school.id:
        abort(404)
    return render_screen(
        "school/_invite_card.html", title="邀请采集员", school=school, token=token,
        link=url_for("invite.open", token=token, _external=True),
    )


@bp.get("/<int:school_id>/invite/<token>/qr.<any(png, svg):fmt>")
def invite_qr(school_id: int, token: str, fmt: str):
    admin_school(school_id)
    return qr.response(url_for("invite.open", token=token, _external=True), fmt, "collector-invite")

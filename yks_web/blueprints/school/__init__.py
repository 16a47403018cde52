"""School admin (SPEC W1, W10, W11): invite collectors, the day of every organisation, exports,
and the school's foreign teachers. One module per part."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, request
from flask_login import current_user, login_required
from sqlalchemy import select

from yks_web import clock
from yks_web.extensions import db
from yks_web.models import School, SchoolAdmin

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


def parse_day(raw: str | None) -> date:
    """Any day up to today (W11: 'any past day by date'); a bad or future date is 404."""
    if not raw:
        return clock.today()
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        abort(404)
    if day > clock.today():
        abort(404)
    return day


def requested_day() -> date:
    return parse_day(request.args.get("day"))


from yks_web.blueprints.school import dashboard, invites, teachers  # noqa: E402,F401

"""School admin (SPEC W1, W10, W11): invite collectors, the day of every organisation, exports,
and the school's foreign teachers. One module per part."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, request
from flask_login import current_user

from yks_web.converters import parse_day
from yks_web.extensions import db
from yks_web.models import School
from yks_web.services import access

bp = Blueprint("school", __name__, url_prefix="/school")


def admin_school(school_id: int) -> School:
    """The loader (P7, issue 8 item 12): the school, only for its admins; anyone else gets 404."""
    if not access.school_admin_of(db.session, current_user.id, school_id):
        abort(404)
    return db.session.get(School, school_id)


def requested_day() -> date:
    return parse_day(request.args.get("day"))


from yks_web.blueprints.school import dashboard, invites, teachers  # noqa: E402,F401

"""学校采集员工作台 (SPEC W2–W9): the collector's side, one module per part of the guide."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from yks_web.extensions import db
from yks_web.models import Collector, Organisation
from yks_web.services import access

bp = Blueprint("workbench", __name__, url_prefix="/workbench")


def current_collector() -> Collector | None:
    return db.session.scalar(
        select(Collector)
        .options(joinedload(Collector.school))
        .where(Collector.person_id == current_user.id)
    )


def find_my_org() -> Organisation | None:
    """The collector's one organisation, with what every screen shows of it, in one query."""
    return access.collector_org(db.session, current_user.id)


def my_org() -> Organisation:
    """The loader (P7, issue 8 item 12): the collector's organisation; anyone else gets 404, as for any
    object that is not theirs. Every screen's ids (members, days, teachers) are then checked against it."""
    org = find_my_org()
    if org is None:
        abort(404)
    return org


def to_home():
    return redirect(url_for("workbench.index"), code=303)


from yks_web.blueprints.workbench import day, home, members, reminders, report, teachers  # noqa: E402,F401

"""查阅记录 (SPEC P6, P10, issue 8 item 9): who read a person's health data, shown to that person;
and `audited`, the one way a screen or export writes its reads down."""

from __future__ import annotations

from collections.abc import Iterable

from flask import Blueprint, request
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from yks_web import clock
from yks_web.converters import parse_id
from yks_web.extensions import db
from yks_web.i18n import gettext
from yks_web.rendering import render_screen
from yks_web.services import audit

bp = Blueprint("access_log", __name__, url_prefix="/me")

PAGE_SIZE = 20
MAX_PAGE = 500  # a bigger page number is no longer a page anyone reaches by tapping 【更早的记录】


def audited(
    response: ResponseReturnValue, *, role: str, action: str, subject_ids: Iterable[int],
    organisation_id: int | None = None, context: str = "",
) -> ResponseReturnValue:
    """Write one audit row per person the (already rendered) response shows, in one INSERT, and commit.

    Called with the rendered response so the commit cannot expire what the template still reads
    (query counts stay constant in the list's size, SPEC Q3).
    """
    audit.record(
        db.session, actor_id=current_user.id, role=role, action=action, subject_ids=subject_ids,
        utc_now=clock.utcnow(), organisation_id=organisation_id, context=context,
    )
    db.session.commit()
    return response


def _page() -> int:
    """?page=N, or 1 for anything that is not a plain page number (², ①, 5,000 digits …: never a 500)."""
    page = parse_id(request.args.get("page", "1"))
    return min(page, MAX_PAGE) if page is not None else 1


@bp.get("/reads")
@login_required
def index():
    """查阅记录: who read my data, in which role, for which organisation, when; newest first."""
    page = _page()
    reads, older = audit.reads_of(db.session, current_user.id, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    return render_screen("access_log/_index.html", title=gettext("查阅记录"), reads=reads, page=page, older=older)

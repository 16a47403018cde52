"""我的数据 (issue 16 item 1; SPEC P6, P10): what is held about me, in plain words, and a copy to download.

Only ever the logged-in person's own: no id in any URL. The downloads are GETs (a link works without JavaScript)
but personal data, so never cached, and counted per account (my_data.DOWNLOADS): over the limit the screen comes
back with the message (429). Reading one's own data is not written to the audit log.
"""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_login import current_user, login_required

from yks_web import clock
from yks_web.config import session_limits
from yks_web.extensions import db
from yks_web.i18n import gettext
from yks_web.rendering import render_screen
from yks_web.services import my_data, my_data_pdf
from yks_web.services.rate_limits import RateLimited, hit

bp = Blueprint("my_data", __name__, url_prefix="/me/data")

FORMATS = {
    "json": "application/json; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
}


def _collect(limit: int) -> my_data.MyData:
    config = current_app.config
    return my_data.collect(db.session, current_user, utc_now=clock.utcnow(), retention_days=config["RETENTION_DAYS"],
                           session_lifetime=session_limits(config)[0], limit=limit)


@bp.get("")
@login_required
def index():
    """我的数据: every kind of record about me, what it is for and how long it is kept; 下载副本."""
    return _screen()


def _screen(refused: str | None = None, status: int = 200):
    return render_screen("my_data/_index.html", title=gettext("我的数据"), data=_collect(my_data.SCREEN_LIMIT),
                         shown=my_data.shown, refused=refused, status=status, pdf_limit=my_data.PDF_LIMIT,
                         export_limit=my_data.EXPORT_LIMIT)


@bp.get("/download")
@login_required
def download():
    """下载副本: ?format=json (machine-readable, the default), html (a page to keep or print) or pdf."""
    fmt = request.args.get("format", "json")
    if fmt not in FORMATS:
        abort(404)
    try:
        hit(db.session, my_data.DOWNLOADS, [f"person:{current_user.id}"], clock.utcnow())
    except RateLimited as refused:
        db.session.rollback()
        return _screen(refused.message, 429)
    db.session.commit()
    data = _collect(my_data.PDF_LIMIT if fmt == "pdf" else my_data.EXPORT_LIMIT)
    if fmt == "json":
        body = my_data.dumps(data)
    elif fmt == "html":
        body = render_template("my_data_copy.html", data=data, shown=my_data.shown).encode()
    else:
        body = my_data_pdf.render(data)
    stamp = data.generated_at.strftime("%Y%m%d")
    response = Response(body, content_type=FORMATS[fmt])
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"my-data-{stamp}.{fmt}\"; filename*=UTF-8''{quote(gettext('我的数据'))}-{stamp}.{fmt}"
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response

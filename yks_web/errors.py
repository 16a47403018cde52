"""Error screens: never a bare 500 page, and 403/404 for what is not yours (SPEC Q2, P7)."""

from __future__ import annotations

from flask import Flask, abort, current_app, redirect, request, url_for
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, IntegrityError
from werkzeug.exceptions import HTTPException

from yks_web.extensions import db
from yks_web.i18n import N_, gettext
from yks_web.rendering import render_screen

MESSAGES = {  # (title, message), marked here and said in the reader's language by _error_screen
    400: (N_("请求无效"), N_("请求的内容有误，请返回后重新操作。")),
    403: (N_("无权访问"), N_("您没有权限查看或操作该内容。")),
    404: (N_("页面不存在"), N_("您访问的内容不存在或已被删除。")),
    405: (N_("请求无效"), N_("请返回后重新操作。")),
    413: (N_("文件过大"), N_("上传的文件过大，请控制在2MB以内。")),
    429: (N_("操作过于频繁"), N_("请稍后再试。")),
    500: (N_("业务系统维护中"), N_("业务系统维护中，请稍后重试！")),
}


def _error_screen(code: int, title: str, message: str):
    return render_screen("_error.html", title=gettext(title), status=code, message=gettext(message))


def refuse_nul_bytes() -> None:
    """A NUL character is never real input, and PostgreSQL would refuse to store it: 400, not 500."""
    for values in (request.args, request.form):
        for _, entries in values.lists():
            if any("\x00" in entry for entry in entries):
                abort(400)


def _same_screen() -> str:
    """Where a repeated POST should land: its own page if it has one, else where it came from."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    try:
        adapter.match(request.path, method="GET")
        return request.full_path if request.query_string else request.path
    except HTTPException:
        referrer = request.referrer or ""
        host = request.host_url
        return referrer if referrer.startswith(host) else url_for("home.index")


def init_app(app: Flask) -> None:
    app.before_request(refuse_nul_bytes)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return _error_screen(400, N_("页面已过期"), N_("页面已过期，请返回后刷新页面再提交。"))

    @app.errorhandler(IntegrityError)
    def duplicate(error: IntegrityError):
        """A double tap raced its twin past a unique constraint: the first one won, show where it left us."""
        db.session.rollback()
        return redirect(_same_screen(), code=303)

    @app.errorhandler(DataError)
    def bad_value(error: DataError):
        db.session.rollback()
        return _error_screen(400, *MESSAGES[400])

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        title, message = MESSAGES.get(error.code or 500, (error.name, error.description))
        return _error_screen(error.code or 500, title, message)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        if app.testing:  # let the test see the traceback
            raise error
        app.logger.exception("unhandled error")
        return _error_screen(500, *MESSAGES[500])

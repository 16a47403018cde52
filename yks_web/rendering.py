"""The one "page or fragment" helper (SPEC P3, STYLE §3)."""

from __future__ import annotations

from urllib.parse import quote

from flask import Response, make_response, render_template, request
from flask.typing import ResponseReturnValue


def wants_fragment() -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


def render_screen(template: str, *, title: str, status: int = 200, **context) -> ResponseReturnValue:
    """Render a screen: the whole page normally, only `#screen` for htmx.

    `template` is the screen fragment (`<flow>/_<screen>.html`, root `<main id="screen">`).
    The htmx response carries a root-level <title> so the tab title follows.
    """
    wrapper = "_fragment.html" if wants_fragment() else "page.html"
    response = make_response(render_template(wrapper, screen=template, title=title, **context), status)
    response.headers["Vary"] = "HX-Request"
    response.headers["Cache-Control"] = "no-store"
    return response


MIMETYPES = {"csv": "text/csv; charset=utf-8",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def download(body: bytes, fmt: str, *, ascii_name: str, name: str) -> Response:
    """An export (CSV/XLSX) as an attachment: an ASCII filename for old clients, the real one (UTF-8) for the rest,
    never cached (it holds personal data)."""
    response = Response(body, mimetype=MIMETYPES[fmt])
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}.{fmt}\"; filename*=UTF-8''{quote(name)}.{fmt}"
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response

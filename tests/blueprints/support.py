"""Small helpers shared by the screen tests: dates, page text, row counts, form keys."""

from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import func, select

TODAY = date(2026, 11, 20)  # conftest.DEFAULT_NOW
YESTERDAY = TODAY - timedelta(days=1)

_FORM_KEY = re.compile(r'name="form_key"[^>]*value="([^"]*)"')


def text(response) -> str:
    return response.get_data(as_text=True)


def location(response) -> str:
    """The path (and query) a redirect points to."""
    parts = urlsplit(response.headers["Location"])
    return parts.path + (f"?{parts.query}" if parts.query else "")


def location_path(response) -> str:
    return urlsplit(response.headers["Location"]).path


def query_param(response, name: str) -> str:
    return parse_qs(urlsplit(response.headers["Location"]).query)[name][0]


def count(db, model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def form_key(page: str) -> str:
    match = _FORM_KEY.search(page)
    assert match, "the declaration form carries an idempotency key"
    return match.group(1)


def collapse(page: str) -> str:
    """Page text with whitespace runs collapsed, for labels split over template lines."""
    return re.sub(r"\s+", " ", page)


def assert_whole_page(response, status: int = 200) -> None:
    """A screen answered as a whole page (SPEC P3, STYLE §3): one #screen, Vary: HX-Request."""
    body = text(response)
    assert response.status_code == status, response.status_code
    assert body.startswith("<!doctype html>") and "</html>" in body
    assert body.count('id="screen"') == 1
    assert "HX-Request" in response.headers["Vary"]


def assert_fragment(response, status: int = 200) -> None:
    """A screen answered as its fragment for htmx (issue 9 item 10: the one copy): no page around it, its
    <title> first, one root <main id="screen">, Vary: HX-Request."""
    body = text(response)
    assert response.status_code == status, response.status_code
    assert "<!doctype html>" not in body and "<html" not in body and "<body" not in body
    assert body.lstrip().startswith("<title>")
    assert body.count('id="screen"') == 1
    assert body.count('<main id="screen"') == 1
    assert "HX-Request" in response.headers["Vary"]

"""URL converters and parsers: ids are database integers, so larger numbers are simply not found (SPEC Q2);
days are ISO dates up to today. What cannot be one is 404, never a 500."""

from __future__ import annotations

from datetime import date, timedelta

from flask import abort
from werkzeug.routing import IntegerConverter

from yks_web import clock

MAX_ID = 2**31 - 1  # PostgreSQL's integer


def _at_most(limit: int) -> str:
    """A regex of the decimal numbers 0…limit (leading zeros allowed), e.g. 0*(?:\\d{1,9}|[0-1]\\d{9}|…|2147483647)."""
    digits = str(limit)
    alternatives = [rf"\d{{1,{len(digits) - 1}}}"] if len(digits) > 1 else []
    for i, digit in enumerate(digits):
        if digit != "0":
            rest = len(digits) - i - 1
            alternatives.append(digits[:i] + f"[0-{int(digit) - 1}]" + (rf"\d{{{rest}}}" if rest else ""))
    return "0*(?:" + "|".join([*alternatives, digits]) + ")"


class IdConverter(IntegerConverter):
    """`<int:…>` that never matches a number the database cannot hold: 404, not 500.

    The bound is in the regex, not only in to_python: werkzeug answers 405 instead of 404 when the path
    matched a rule of another method before the conversion failed (a POST of /x/<too big>/remove beside
    its GET confirm screen, issue 9 item 3)."""

    regex = _at_most(MAX_ID)

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):  # noqa: A002 — werkzeug's names
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def parse_id(raw: str) -> int | None:
    """An id posted in a form, or None when it is not one (², ①, 10**30 …)."""
    if raw.isascii() and raw.isdigit() and len(raw) <= 10:
        value = int(raw)
        return value if 0 < value <= MAX_ID else None
    return None


def parse_day(raw: str | None, *, open_only: bool = False) -> date:
    """A day from the URL or the query string (issue 9 item 10: the one parser of days). Missing is today;
    any past day may be viewed (W11: 'any past day by date'); with `open_only`, only today or yesterday
    (the days that can still be declared or reported, S8). A bad or future date is 404."""
    if not raw:
        return clock.today()
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        abort(404)
    today = clock.today()
    if day > today or (open_only and day < today - timedelta(days=1)):
        abort(404)
    return day

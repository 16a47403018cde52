"""URL converters: ids are database integers, so larger numbers are simply not found (SPEC Q2)."""

from __future__ import annotations

from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # PostgreSQL's integer


class IdConverter(IntegerConverter):
    """`<int:…>` that never matches a number the database cannot hold: 404, not 500."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):  # noqa: A002 — werkzeug's names
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def parse_id(raw: str) -> int | None:
    """An id posted in a form, or None when it is not one (², ①, 10**30 …)."""
    if raw.isascii() and raw.isdigit() and len(raw) <= 10:
        value = int(raw)
        return value if 0 < value <= MAX_ID else None
    return None

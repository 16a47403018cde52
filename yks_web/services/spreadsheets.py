"""Cells for CSV/XLSX files people open in Excel or WPS (issue 8 item 7, SPEC P6).

A cell that starts with = + - @ (or a tab or carriage return, which some spreadsheet programs skip before
reading a formula) would run as a formula: `=HYPERLINK(...)` typed into 备注 becomes a live link. Such a
cell gets a leading apostrophe, as OWASP's "CSV injection" page advises, so it is shown as the text it is.
Every CSV or XLSX the app writes goes through `safe_row`.
"""

from __future__ import annotations

from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """Text that a spreadsheet would read as a formula, made plain text; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable[object]) -> list[object]:
    return [safe_cell(value) for value in values]

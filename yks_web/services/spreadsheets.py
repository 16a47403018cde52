"""Cells for CSV/XLSX files people open in Excel or WPS (issue 8 item 7, SPEC P6).

A cell that starts with = + - @ (or a tab or carriage return, which some spreadsheet programs skip before
reading a formula) would run as a formula: `=HYPERLINK(...)` typed into 备注 becomes a live link. In CSV such
a cell gets a leading apostrophe, as OWASP's "CSV injection" page advises (a CSV cell has no type).
In XLSX every text cell is written typed as text (`text_cells`): no formula is ever stored, and the
cell shows exactly what was typed, with no apostrophe to puzzle the reader.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """Text that a spreadsheet would read as a formula, made plain text; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable[object]) -> list[object]:
    """A CSV row."""
    return [safe_cell(value) for value in values]


def text_cells(sheet, values: Iterable[object]) -> list[object]:
    """An XLSX row for a write-only `sheet`: strings as cells typed text ("s"), which openpyxl would
    otherwise store as a formula when they start with "="; other values unchanged."""
    from openpyxl.cell import WriteOnlyCell

    row = []
    for value in values:
        if isinstance(value, str):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            value = cell
        row.append(value)
    return row


def csv_bytes(columns: list[str], lines: Iterable[Iterable[object]]) -> bytes:
    """A UTF-8 CSV with a header row, every cell formula-safe; the BOM makes Excel read UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerows(safe_row(line) for line in lines)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(columns: list[str], lines: Iterable[Iterable[object]], title: str) -> bytes:
    """An XLSX of one sheet named `title` (31 characters at most), a header row, every cell text."""
    from openpyxl import Workbook  # imported when an XLSX is made: the app starts without it

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.append(columns)
    for line in lines:
        sheet.append(text_cells(sheet, line))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

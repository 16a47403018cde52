"""外籍教师 import limits (issue 8 item 10, SPEC W10, Q2): rows, unpacked size, reading stops at the limit,
control characters per row, 入境日期 in range, names by the identity rules."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from openpyxl import Workbook

from tests.factories import make_school
from yks_web.services import teachers

TODAY = date(2026, 11, 20)
HEADER = list(teachers.LABELS.values())
ROW = ["Dorian Lam", "高校", "美国", "北美洲", "广东省内", "否", "无", "", "2020-03-13", "19:56", "飞机 CZ328"]


def csv_bytes(lines: list[list[str]]) -> bytes:
    return "\n".join(",".join(line) for line in [HEADER, *lines]).encode("utf-8")


def xlsx_bytes(lines) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("外籍教师")
    sheet.append(HEADER)
    for line in lines:
        sheet.append(line)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def teacher(n: int) -> list[str]:
    return [f"Teacher {chr(65 + n % 26)}{chr(65 + n // 26 % 26)}{chr(65 + n // 676 % 26)}", *ROW[1:]]


# -- rows and size -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_item10_the_row_limit_is_allowed_and_one_more_is_refused(kind):
    make = csv_bytes if kind == "csv" else xlsx_bytes
    rows = teachers.read_table(f"t.{kind}", make([teacher(n) for n in range(teachers.MAX_ROWS)]))
    assert len(rows) == teachers.MAX_ROWS
    with pytest.raises(teachers.TeacherError) as refused:
        teachers.read_table(f"t.{kind}", make([teacher(n) for n in range(teachers.MAX_ROWS + 1)]))
    assert refused.value.message == teachers.TOO_MANY_ROWS == "每个文件最多导入2000行，请分成几个文件导入"


def test_item10_blank_lines_do_not_count_but_cannot_be_endless():
    lines = [teacher(1), [""] * len(HEADER), [""] * len(HEADER), teacher(2)]
    assert len(teachers.read_table("t.csv", csv_bytes(lines))) == 2
    with pytest.raises(teachers.TeacherError, match="最多导入"):
        teachers.read_table("t.csv", csv_bytes([[""]] * teachers.MAX_SCANNED + [teacher(1)]))


def test_item10_reading_an_xlsx_stops_after_the_row_limit():
    """The 300k-row sheet of the issue, shrunk: rows past the limit are never parsed. They are made
    unreadable here, so a reader that went on would answer "无法读取" instead of the row limit.
    (The 20 MB unpacked limit bounds what openpyxl's own scan for a missing <dimension> can cost.)"""
    data = xlsx_bytes([[f"T{n}"] for n in range(6000)])
    source = zipfile.ZipFile(io.BytesIO(data))
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename.startswith("xl/worksheets/"):
                cut = body.index(b'<row r="5000"')
                body = body[:cut] + b"<&>" + body[cut:]  # not XML: fails the moment it is parsed
                # As Excel writes it: the sheet's size first (openpyxl scans for it when it is missing).
                body = body.replace(b"<sheetData", b'<dimension ref="A1:A6001"/><sheetData', 1)
            target.writestr(info, body)
    with pytest.raises(teachers.TeacherError) as refused:
        teachers.read_table("t.xlsx", broken.getvalue())
    assert refused.value.message == teachers.TOO_MANY_ROWS


def test_item10_an_xlsx_that_unpacks_beyond_the_limit_is_refused_before_it_is_opened():
    data = io.BytesIO(xlsx_bytes([ROW]))
    with zipfile.ZipFile(data, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (teachers.MAX_XLSX_UNPACKED + 1))
    assert len(data.getvalue()) < 100_000  # a zip bomb: small on the wire
    with pytest.raises(teachers.TeacherError) as refused:
        teachers.read_table("t.xlsx", data.getvalue())
    assert refused.value.message == teachers.XLSX_TOO_LARGE


@pytest.mark.parametrize("data", [b"PK\x03\x04broken", b"not a zip at all"])
def test_item10_a_damaged_xlsx_gets_a_message(data):
    with pytest.raises(teachers.TeacherError, match="无法读取该Excel文件"):
        teachers.read_table("t.xlsx", data)


def test_item10_a_csv_field_beyond_the_csv_modules_limit_gets_a_message():
    with pytest.raises(teachers.TeacherError, match="无法读取该CSV文件"):
        teachers.read_table("t.csv", csv_bytes([["x" * 200_000, *ROW[1:]]]))


def test_item10_columns_beyond_the_limit_are_not_read():
    header = ",".join(HEADER + [f"多余{n}" for n in range(500)])
    data = (header + "\n" + ",".join(ROW + ["extra"] * 500)).encode()
    rows = teachers.read_table("t.csv", data)
    assert len(rows[0]) == teachers.MAX_COLUMNS


# -- per-row checks ------------------------------------------------------------------------------------------


def test_item10_control_characters_in_any_cell_are_a_row_error_and_not_stored(db):
    school = make_school(db)
    header = [*HEADER, "说明"]
    lines = [
        ["Nul\x00Name", *ROW[1:], ""],
        [ROW[0], *ROW[1:7], "备注\x01", *ROW[8:], ""],
        [ROW[0], *ROW[1:10], "CZ\u202e823", ""],
        [ROW[0], *ROW[1:], "列外\x07"],
        ["Good Teacher", *ROW[1:], "ok"],
    ]
    data = "\n".join(",".join(line) for line in [header, *lines]).encode("utf-8")
    result = teachers.import_rows(db.session, school.id, teachers.read_table("t.csv", data), TODAY, today=TODAY)
    assert result.added == 1
    errors = dict(result.errors)
    assert sorted(errors) == [2, 3, 4, 5]
    assert any("姓名" in m and "控制字符" in m for m in errors[2])
    assert errors[3] == ["备注含有不可见的控制字符（如NUL、制表符、换行），请删除后重新填写"]
    assert errors[4] == ["交通方式及班次含有不可见的控制字符（如NUL、制表符、换行），请删除后重新填写"]
    assert errors[5] == ["第12列含有不可见的控制字符，请删除后重新导入"]
    stored = [t.name for t in teachers.school_list(db.session, school.id)]
    assert stored == ["Good Teacher"]


def form(**overrides) -> dict:
    return dict(zip(teachers.FIELDS, ROW, strict=True)) | overrides


@pytest.mark.parametrize("entry_date", ["0001-01-01", "9999-12-31", "2019-11-30", "2027-11-22"])
def test_item10_entry_dates_out_of_range_are_refused(entry_date):
    _, errors = teachers.clean(form(entry_date=entry_date), today=TODAY)
    assert errors == {"entry_date": "入境日期应在2019-12-01至2027-11-21之间"}


@pytest.mark.parametrize("entry_date", ["2019-12-01", "2026-11-20", "2027-11-21"])
def test_item10_entry_dates_in_range_are_kept(entry_date):
    values, errors = teachers.clean(form(entry_date=entry_date), today=TODAY)
    assert not errors and values["entry_date"] == date.fromisoformat(entry_date)


@pytest.mark.parametrize("name", ["Dorian\u202eLam", "Dorian\u200bLam", "Dorian\tLam", "<b>Dorian</b>"])
def test_item10_names_follow_the_identity_rules(name):
    _, errors = teachers.clean(form(name=name), today=TODAY)
    assert set(errors) == {"name"}


def test_item10_a_long_foreign_name_within_the_teacher_limit_is_kept():
    name = "Maria Fernanda Rodriguez Gonzalez de la Cruz"
    values, errors = teachers.clean(form(name=name), today=TODAY)
    assert not errors and values["name"] == name

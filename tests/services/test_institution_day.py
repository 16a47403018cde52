"""An institution's day for its admin (SPEC O1; issue 11 item 3): counts, the 看板's rows, the export's cells."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tests.database import postgresql_only
from tests.factories import make_institution, make_institution_member
from tests.plan_work import nested_loop_work
from tests.services.test_institution_members import answers
from yks_web.models.health import PersonalDeclaration
from yks_web.services import institution_day, institution_members
from yks_web.services.answers import TEMPERATURE_BANDS, has_fever

T0 = datetime(2026, 11, 20, 1, 0)  # naive UTC: Friday 09:00 in Asia/Shanghai
DAY = date(2026, 11, 20)


def declare(db, institution, person, day=DAY, at=T0, on_duty=True, **kw):
    return institution_members.declare(
        db.session, institution_id=institution.id, person_id=person.id, answers=answers(**kw), on_duty=on_duty,
        work_place="", form_key=f"{person.id}-{day}-{at}", day=day, utc_now=at,
    )


@pytest.mark.parametrize(("temperature", "band"), [
    (Decimal("36.5"), None), (Decimal("37.2"), None), (Decimal("37.3"), None), (Decimal("39.0"), None),
    *((None, band) for band in TEMPERATURE_BANDS),
])
def test_item3_the_sql_fever_rule_is_has_fever(db, temperature, band):
    """发热 counted in SQL agrees with services/answers.has_fever on every kind of stored answer."""
    institution = make_institution(db)
    person = make_institution_member(db, institution, "陈成员")
    declare(db, institution, person, temperature=temperature, temperature_band=band)
    counted = institution_day.counts(db.session, institution.id, DAY).fever
    assert counted == int(has_fever({"temperature": temperature, "temperature_band": band}))
    assert db.session.query(PersonalDeclaration).filter(institution_day.fever_clause()).count() == counted


def test_item3_counts_bound_declared_fever_and_risks(db):
    institution = make_institution(db)
    people = [make_institution_member(db, institution, name) for name in ("甲一", "乙二", "丙三", "丁四", "戊五")]
    declare(db, institution, people[0])
    declare(db, institution, people[1], temperature=Decimal("38.2"), has_symptoms=True)
    declare(db, institution, people[2], temperature=None, temperature_band="37.3–38℃", risk_travel=True)
    declare(db, institution, people[3], contact_case=True, day=DAY - timedelta(days=1), at=T0 - timedelta(days=1))
    counts = institution_day.counts(db.session, institution.id, DAY)
    assert (counts.bound, counts.declared, counts.not_declared) == (5, 3, 2)
    assert (counts.fever, counts.symptoms, counts.risk_travel, counts.contact_case) == (2, 1, 1, 0)


def test_item3_a_later_declaration_the_same_day_supersedes_for_the_counts(db):
    institution = make_institution(db)
    person = make_institution_member(db, institution, "陈成员")
    declare(db, institution, person, temperature=Decimal("38.5"))
    declare(db, institution, person, at=T0 + timedelta(hours=2), temperature=Decimal("36.6"))
    counts = institution_day.counts(db.session, institution.id, DAY)
    assert (counts.declared, counts.fever) == (1, 0)
    rows = institution_day.board(db.session, institution.id, DAY)
    assert len(rows) == 1 and rows[0].personal.temperature == Decimal("36.6")


def test_item3_another_institutions_declarations_do_not_count(db):
    ours, theirs = make_institution(db, name="甲"), make_institution(db, name="乙")
    person = make_institution_member(db, ours, "陈成员")
    institution_members.bind(db.session, person.id, theirs, T0)
    declare(db, theirs, person, temperature=Decimal("39.0"))
    assert institution_day.counts(db.session, ours.id, DAY).declared == 0
    assert institution_day.counts(db.session, theirs.id, DAY).fever == 1


def test_item3_board_lists_members_declared_first_and_those_unbound_since_with_their_declaration(db):
    institution = make_institution(db)
    silent = make_institution_member(db, institution, "甲沉默")
    declared = make_institution_member(db, institution, "乙申报")
    leaver = make_institution_member(db, institution, "丙离开")
    declare(db, institution, declared)
    declare(db, institution, leaver)
    institution_members.unbind(db.session, institution_members.binding(db.session, institution.id, leaver.id),
                               T0 + timedelta(hours=1))
    rows = institution_day.board(db.session, institution.id, DAY)
    assert [(r.name, r.bound, r.declaration is not None) for r in rows] == [
        ("丙离开", False, True), ("乙申报", True, True), ("甲沉默", True, False)]
    assert rows[2].masked_name == "*沉默" and rows[2].masked_id == silent.masked_id
    counts = institution_day.counts(db.session, institution.id, DAY)
    assert (counts.bound, counts.declared) == (2, 1)


def test_item3_a_past_days_board_leaves_out_who_bound_later(db):
    institution = make_institution(db)
    make_institution_member(db, institution, "甲早到", at=T0 - timedelta(days=3))
    make_institution_member(db, institution, "乙新来", at=T0)
    yesterday = DAY - timedelta(days=1)
    assert [r.name for r in institution_day.board(db.session, institution.id, yesterday)] == ["甲早到"]
    assert institution_day.counts(db.session, institution.id, yesterday).bound == 1


def test_item3_day_end_is_midnight_in_shanghai():
    assert institution_day.day_end_utc(DAY) == datetime(2026, 11, 20, 16, 0)


def test_item3_export_cells_are_formula_safe_and_ids_masked(db):
    institution = make_institution(db)
    person = make_institution_member(db, institution, "陈成员")
    person.name = "=cmd"
    declare(db, institution, person, remarks='=HYPERLINK("http://x")')
    rows = institution_day.board(db.session, institution.id, DAY)
    lines = list(csv.reader(io.StringIO(institution_day.to_csv(rows).decode("utf-8-sig"))))
    assert lines[0] == institution_day.COLUMNS
    assert lines[1][0] == "'=cmd" and lines[1][12] == "'=HYPERLINK(\"http://x\")"
    assert lines[1][1] == person.masked_id and "*" in lines[1][1]
    sheet = load_workbook(io.BytesIO(institution_day.to_xlsx(rows, DAY.isoformat()))).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert any(cell.value == "=cmd" and cell.data_type == "s" for cell in cells)
    assert not any(cell.data_type == "f" for cell in cells)


@postgresql_only
def test_item3_counts_and_board_stay_cheap_when_the_planner_nests_loops(db):
    """The newest declaration of the day is a NOT EXISTS naming the member (issue 14), not a per-person MAX()
    grouped apart: with tables not yet analysed PostgreSQL grouped the whole day again for every member (1.7 s for
    800 members, growing with their square). Nested loops forced (tests/plan_work.py): nothing but look-ups runs
    once per member in the counts' and the 看板's plans (the old shape ran its aggregate for every one), and
    doubling the institution at most quadruples the rows they touch."""
    work = {}
    for size in (100, 200):
        institution = make_institution(db, name=f"机构{size}")
        for i in range(size):
            person = make_institution_member(db, institution, f"成员{size}-{i}")
            declare(db, institution, person, at=T0)
            if i % 3 == 0:
                declare(db, institution, person, at=T0 + timedelta(minutes=5))  # supersedes the first
        work[size] = nested_loop_work(db.session, lambda i=institution: (
            institution_day.counts(db.session, i.id, DAY), institution_day.board(db.session, i.id, DAY)))
        assert institution_day.counts(db.session, institution.id, DAY).declared == size
    assert work[100].rebuilt == work[200].rebuilt == [], work
    assert work[200].rows <= 4.5 * work[100].rows, work

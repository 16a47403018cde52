"""One school's day, organisation by organisation and member by member (SPEC W11).

For an organisation that submitted the day, the members and declarations are those of its report
(immutable); for the others, the joined members and their latest declarations. Six queries,
whatever the number of organisations or members. Each member is named as the school knows them: the
name its collector (or a proxy joining them) typed, until the person logs in (issue 8 item 1).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from yks_web.models import DailyReport, Declaration, Membership, Organisation, Person, ReportEntry
from yks_web.services.answers import has_fever
from yks_web.services.spreadsheets import safe_row, text_cells


@dataclass(frozen=True)
class MemberDay:
    organisation: str
    submitted: bool
    person_id: int
    name: str
    masked_id: str
    declaration: Declaration | None

    @property
    def declared(self) -> bool:
        return self.declaration is not None


def member_days(session: Session, school_id: int, day: date, org_id: int | None = None) -> list[MemberDay]:
    """Every member of the school's organisations (or of one, `org_id`) on `day`."""
    query = select(Organisation).where(Organisation.school_id == school_id).order_by(Organisation.id)
    if org_id is not None:
        query = query.where(Organisation.id == org_id)
    orgs = {o.id: o for o in session.scalars(query)}
    reports = {r.organisation_id: r for r in session.scalars(
        select(DailyReport).where(DailyReport.organisation_id.in_(orgs), DailyReport.day == day))}
    rows: list[MemberDay] = []
    # Reported organisations: the report's entries and the declarations it counted.
    reported = session.execute(
        select(DailyReport.organisation_id, Person, Membership.typed_name, Declaration)
        .join(ReportEntry, ReportEntry.report_id == DailyReport.id)
        .join(Person, Person.id == ReportEntry.person_id)
        .outerjoin(Membership, and_(Membership.organisation_id == DailyReport.organisation_id,
                                    Membership.person_id == ReportEntry.person_id))
        .outerjoin(Declaration, Declaration.id == ReportEntry.declaration_id)
        .where(DailyReport.id.in_([r.id for r in reports.values()]))
        .order_by(DailyReport.organisation_id, ReportEntry.id)
    ).all() if reports else []
    for org_id, person, typed_name, declaration in reported:
        rows.append(MemberDay(orgs[org_id].name, True, person.id, person.name_for(typed_name or "")[0],
                              person.masked_id, declaration))
    # The others: joined members now, and their latest declaration of the day.
    open_orgs = [oid for oid in orgs if oid not in reports]
    if open_orgs:
        latest = (
            select(func.max(Declaration.id).label("id"))
            .where(Declaration.organisation_id.in_(open_orgs), Declaration.day == day)
            .group_by(Declaration.organisation_id, Declaration.person_id)
            .subquery()
        )
        members = session.execute(
            select(Membership.organisation_id, Person, Membership.typed_name, Declaration)
            .join(Person, Person.id == Membership.person_id)
            .outerjoin(
                Declaration,
                and_(
                    Declaration.organisation_id == Membership.organisation_id,
                    Declaration.person_id == Membership.person_id,
                    Declaration.id.in_(select(latest.c.id)),
                ),
            )
            .where(Membership.organisation_id.in_(open_orgs), Membership.active.is_(True))
            .order_by(Membership.organisation_id, Membership.id)
        ).all()
        for org_id, person, typed_name, declaration in members:
            rows.append(MemberDay(orgs[org_id].name, False, person.id, person.name_for(typed_name)[0],
                                  person.masked_id, declaration))
    return rows


COLUMNS = ["组织名称", "数据已提交", "姓名", "证件号码", "是否填报", "申报方式", "当前所在地", "体温", "是否发热",
           "发热、咳嗽等症状", "中高风险地区旅居史", "接触确诊或疑似病例", "个人健康状态", "备注"]


def _yes(value: bool) -> str:
    return "是" if value else "否"


def table(rows: list[MemberDay]) -> list[list[str]]:
    """The export's rows (IDs masked, P6), one per member, as typed; each format then keeps text that would
    run as a formula plain text (issue 8 item 7: safe_row for CSV, text_cells for XLSX)."""
    out = []
    for row in rows:
        d = row.declaration
        if d is None:
            out.append([row.organisation, _yes(row.submitted), row.name, row.masked_id, "否"] + [""] * 9)
            continue
        temperature = f"{d.temperature}℃" if d.temperature is not None else (d.temperature_band or "")
        out.append([
            row.organisation, _yes(row.submitted), row.name, row.masked_id, "是", d.source_label,
            d.location_province + d.location_city, temperature, _yes(has_fever(d.answers())), _yes(d.has_symptoms),
            _yes(d.risk_travel), _yes(d.contact_case), d.health_status, d.remarks,
        ])
    return out


def to_csv(rows: list[MemberDay]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(safe_row(line) for line in table(rows))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8


def to_xlsx(rows: list[MemberDay], title: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.append(COLUMNS)
    for line in table(rows):
        sheet.append(text_cells(sheet, line))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

"""One school's day for the school admin's export, organisation by organisation and member by member (SPEC W11).

The members and declarations are the organisations' days as every other screen shows them (org_day, issue 9
item 1): for an organisation that submitted the day, its report's; for the others, the joined members and their
latest declarations. Each member is named as the school knows them (issue 8 item 1).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from yks_web.models import Declaration
from yks_web.services import org_day, spreadsheets
from yks_web.services.answers import has_fever


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


def member_days(session: Session, school_id: int, day: date) -> list[MemberDay]:
    """Every member of the school's organisations on `day`, one row each."""
    return [MemberDay(d.organisation.name, d.submitted, m.person_id, m.name, m.masked_id, m.declaration)
            for d in org_day.of_school(session, school_id, day) for m in d.members]


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
    return spreadsheets.csv_bytes(COLUMNS, table(rows))


def to_xlsx(rows: list[MemberDay], title: str) -> bytes:
    return spreadsheets.xlsx_bytes(COLUMNS, table(rows), title)

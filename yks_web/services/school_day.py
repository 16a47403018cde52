"""One school's day for the school admin's export, organisation by organisation and member by member (SPEC W11).

The members and declarations are the organisations' days as every other screen shows them (org_day, issue 9
item 1): for an organisation that submitted the day, its report's; for the others, the joined members and their
latest declarations. Each member is named as the school knows them (issue 8 item 1).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from yks_web.i18n import N_, gettext
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


# The export's header (N_): written in the reader's language (columns()), as are 是/否 and the stored choices.
COLUMNS = [
    N_("组织名称"), N_("数据已提交"), N_("姓名"), N_("证件号码"), N_("是否填报"), N_("申报方式"), N_("当前所在地"),
    N_("体温"), N_("是否发热"), N_("发热、咳嗽等症状"), N_("中高风险地区旅居史"), N_("接触确诊或疑似病例"),
    N_("个人健康状态"), N_("备注"),
]


def columns() -> list[str]:
    return [gettext(column) for column in COLUMNS]


def _yes(value: bool) -> str:
    return gettext("是") if value else gettext("否")


def _shown(value: str | None) -> str:
    """A stored choice (体温区间, 健康状态) in the reader's language; gettext("") would be the catalogue's header."""
    return gettext(value) if value else ""


def table(rows: list[MemberDay]) -> list[list[str]]:
    """The export's rows (IDs masked, P6), one per member, as typed; each format then keeps text that would
    run as a formula plain text (issue 8 item 7: safe_row for CSV, text_cells for XLSX)."""
    out = []
    for row in rows:
        d = row.declaration
        if d is None:
            out.append([row.organisation, _yes(row.submitted), row.name, row.masked_id, _yes(False)] + [""] * 9)
            continue
        temperature = f"{d.temperature}℃" if d.temperature is not None else _shown(d.temperature_band)
        out.append([
            row.organisation, _yes(row.submitted), row.name, row.masked_id, _yes(True), _shown(d.source_label),
            d.location_province + d.location_city, temperature, _yes(has_fever(d.answers())), _yes(d.has_symptoms),
            _yes(d.risk_travel), _yes(d.contact_case), _shown(d.health_status), d.remarks,
        ])
    return out


def to_csv(rows: list[MemberDay]) -> bytes:
    return spreadsheets.csv_bytes(columns(), table(rows))


def to_xlsx(rows: list[MemberDay], title: str) -> bytes:
    return spreadsheets.xlsx_bytes(columns(), table(rows), title)

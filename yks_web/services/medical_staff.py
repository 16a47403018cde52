"""医护人员 (SPEC O7; issue 11 item 4; guide 二 (四) 2 (1)): who the operator enabled to issue 解除医学观察电子告知书.

"仅在系统后台开通了权限的人员才可使用该功能": the city collects 表5-2 (序号, 姓名, 联系电话, 单位名称, 职位) and the
platform enables those people — one by one on the operator page or the CLI, or by importing the table (CSV or
XLSX, each bad row reported by its number). A logged-in person is enabled staff while a row that is not revoked
holds their verified name and their phone (the one their login proved by SMS): the row is found by the phone's
lookup hash, so no phone number is decrypted to decide it. Every 开通 and 撤销 is a MedicalStaffEvent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, joinedload

from yks_web.i18n import N_, gettext
from yks_web.models.medical import VIA_PAGE, MedicalImportReport, MedicalStaff, MedicalStaffEvent
from yks_web.privacy import lookup_hash
from yks_web.services import identity, sms, teachers
from yks_web.services.errors import DomainError
from yks_web.services.locks import lock_key
from yks_web.services.teachers import ImportResult

NOT_ENABLED = N_("您尚未开通医护人员权限，请联系所在医疗机构向平台申请开通")
# 表5-2, in its order; 序号 is read and ignored (a list numbers its rows however it likes). A file's header is
# these Simplified words whatever the reader's language; a message names a field in the reader's (gettext).
LABELS = {"name": N_("姓名"), "phone": N_("联系电话"), "unit": N_("单位名称"), "position": N_("职位")}
HEADER = (N_("序号"), *LABELS.values())
LIMITS = {"unit": 100, "position": 50}
REPORT_KEPT_FOR = timedelta(days=1)


class StaffError(DomainError):
    pass


@dataclass(frozen=True)
class StaffValues:
    name: str
    phone: str
    unit: str
    position: str


def _text(value: Any) -> str:
    """A cell as text: an XLSX phone number typed as a number (13800000000 or 13800000000.0) reads as digits."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def clean(raw: dict) -> tuple[StaffValues | None, dict[str, str]]:
    """Typed values of one person (a form, a row of 表5-2), or a message per bad field."""
    errors: dict[str, str] = {}
    name = identity.normalize_name(_text(raw.get("name")))
    if problem := identity.validate_name(name):
        errors["name"] = problem
    phone = sms.normalize_phone(_text(raw.get("phone")))
    if sms.validate_phone(phone):
        errors["phone"] = gettext("联系电话应为11位中国大陆手机号") if phone else gettext("请填写联系电话")
    values = {}
    for field, limit in LIMITS.items():
        text = _text(raw.get(field))
        label = gettext(LABELS[field])
        if not text:
            errors[field] = gettext("请填写%(label)s", label=label)
        elif len(text) > limit:
            errors[field] = gettext("%(label)s不能超过%(limit)d个字", label=label, limit=limit)
        elif teachers.has_control(text):
            errors[field] = gettext("%(label)s含有不可见的控制字符，请删除后重新填写", label=label)
        values[field] = text
    if errors:
        return None, errors
    return StaffValues(name, phone, values["unit"], values["position"]), {}


def phone_hash(phone: str) -> str:
    """As Person.phone_hash is made at login (services/sms), so the two meet."""
    return lookup_hash("phone", sms.normalize_phone(phone))


def _active(session: Session, name: str, hashed: str) -> MedicalStaff | None:
    return session.scalar(
        select(MedicalStaff).where(
            MedicalStaff.phone_hash == hashed, MedicalStaff.name == name, MedicalStaff.revoked_at.is_(None)
        ).order_by(MedicalStaff.id.desc()).limit(1)
    )


def enable(
    session: Session, values: StaffValues, *, actor_id: int | None, via: str = VIA_PAGE, utc_now: datetime
) -> MedicalStaff:
    """开通: a new active row; StaffError when this name and phone are enabled already."""
    hashed = phone_hash(values.phone)
    lock_key(session, "medical-staff", hashed)  # two imports of one list cannot both add the person
    existing = _active(session, values.name, hashed)
    if existing is not None:
        raise StaffError(gettext("%(name)s（%(phone)s）已开通医护人员权限，单位：%(unit)s", name=values.name,
                                 phone=existing.phone_masked, unit=existing.unit))
    row = MedicalStaff(name=values.name, unit=values.unit, position=values.position, enabled_at=utc_now,
                       enabled_by_id=actor_id, enabled_via=via)
    row.set_phone(values.phone, hashed)
    session.add(row)
    session.flush()
    session.add(MedicalStaffEvent(staff_id=row.id, action="enable", actor_id=actor_id, via=via, at=utc_now))
    session.flush()
    return row


def revoke(session: Session, staff: MedicalStaff, *, actor_id: int | None, via: str = VIA_PAGE,
           utc_now: datetime) -> None:
    """撤销: the row ends (kept, with who and when); StaffError when it has ended already."""
    if staff.revoked_at is not None:
        raise StaffError(gettext("%(name)s的医护人员权限已撤销", name=staff.name))
    staff.revoked_at = utc_now
    staff.revoked_by_id = actor_id
    session.add(MedicalStaffEvent(staff_id=staff.id, action="revoke", actor_id=actor_id, via=via, at=utc_now))
    session.flush()


def staff_of(session: Session, person: Any) -> MedicalStaff | None:
    """The active row of a logged-in person: their verified name and their phone (one query; None without)."""
    if not getattr(person, "is_authenticated", False) or person.name_verified_at is None or not person.phone_hash:
        return None
    return _active(session, person.name, person.phone_hash)


def is_enabled(session: Session, person: Any) -> bool:
    return staff_of(session, person) is not None


def active_staff(session: Session, limit: int = 200) -> tuple[list[MedicalStaff], int]:
    """The enabled staff, newest first (at most `limit`), and how many there are."""
    rows = list(session.scalars(
        select(MedicalStaff).where(MedicalStaff.revoked_at.is_(None))
        .order_by(MedicalStaff.enabled_at.desc(), MedicalStaff.id.desc()).limit(limit)
    ))
    total = session.scalar(select(func.count()).select_from(MedicalStaff).where(MedicalStaff.revoked_at.is_(None)))
    return rows, total


def active_by_phone(session: Session, phone: str) -> list[MedicalStaff]:
    return list(session.scalars(
        select(MedicalStaff).where(MedicalStaff.phone_hash == phone_hash(phone), MedicalStaff.revoked_at.is_(None))
        .order_by(MedicalStaff.id)
    ))


def recent_events(session: Session, limit: int = 30) -> list[MedicalStaffEvent]:
    """开通/撤销记录, newest first, with the staff row and who acted (one query)."""
    return list(session.scalars(
        select(MedicalStaffEvent).options(joinedload(MedicalStaffEvent.staff), joinedload(MedicalStaffEvent.actor))
        .order_by(MedicalStaffEvent.at.desc(), MedicalStaffEvent.id.desc()).limit(limit)
    ))


# -- 表5-2 import ---------------------------------------------------------------------------------------------

_HEADER_NOTE = re.compile(r"[（(].*$")  # i18n: data. "姓名（必填）" as the guide's table writes its headers


def _header(cell: Any) -> str:
    return _HEADER_NOTE.sub("", re.sub(r"\s+", "", _text(cell)))


def read_table(filename: str, data: bytes) -> list[dict]:
    """Rows of a CSV or XLSX file whose first row is 表5-2's header (序号, 姓名, 联系电话, 单位名称, 职位; a
    header may carry "（必填）"). The same limits as the 外籍教师 import (kind, rows, unpacked size) refuse a file
    as a whole with StaffError."""
    try:
        if filename.lower().endswith(".xlsx"):
            lines = teachers._xlsx_lines(data)  # the import limits (issue 8 item 10): one reader of uploads
        elif filename.lower().endswith(".csv"):
            lines = teachers._csv_lines(data)
        else:
            raise StaffError(gettext("请上传CSV或Excel（.xlsx）文件"))
    except teachers.TeacherError as refused:
        raise StaffError(refused.message) from None
    if not lines:
        raise StaffError(gettext("文件为空"))
    by_label = {label: name for name, label in LABELS.items()}
    header = [by_label.get(_header(h), "") for h in lines[0]]
    missing = [label for name, label in LABELS.items() if name not in header]
    if missing:
        # The header's words are the file's: Simplified whatever the reader's language.
        expected, lacking = "、".join(HEADER), "、".join(missing)  # i18n: data
        raise StaffError(gettext("第1行应为表头：%(header)s（缺少%(missing)s）", header=expected, missing=lacking))
    return [{name: cell for name, cell in zip(header, line, strict=False) if name} for line in lines[1:]]


def import_rows(
    session: Session, rows: list[dict], *, actor_id: int | None, via: str, utc_now: datetime
) -> ImportResult:
    """开通 every valid row; every other one is reported by its row number in the file (the header is row 1)."""
    result = ImportResult()
    for number, raw in enumerate(rows, start=2):
        values, errors = clean(raw)
        if values is None:
            result.errors.append((number, list(errors.values())))
            continue
        try:
            enable(session, values, actor_id=actor_id, via=via, utc_now=utc_now)
        except StaffError as refused:
            result.errors.append((number, [refused.message]))
            continue
        result.added += 1
    return result


def save_report(session: Session, person_id: int, result: ImportResult, utc_now: datetime) -> int:
    """Keep `result` for the operator's GET page; their reports older than a day go (one DELETE)."""
    session.execute(delete(MedicalImportReport).where(
        MedicalImportReport.person_id == person_id, MedicalImportReport.created_at < utc_now - REPORT_KEPT_FOR))
    report = MedicalImportReport(person_id=person_id, added=result.added, created_at=utc_now,
                                 errors=[[number, list(messages)] for number, messages in result.errors])
    session.add(report)
    session.flush()
    return report.id


def load_report(session: Session, report_id: object, person_id: int, utc_now: datetime) -> ImportResult | None:
    """The report `report_id` when it is this operator's and still kept; else None."""
    if not isinstance(report_id, int):
        return None
    report = session.get(MedicalImportReport, report_id)
    if report is None or report.person_id != person_id or report.created_at < utc_now - REPORT_KEPT_FOR:
        return None
    return ImportResult(added=report.added, errors=[(int(n), list(m)) for n, m in report.errors])

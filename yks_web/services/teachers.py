"""外籍教师申报 (SPEC W10): the school's list (one by one or imported), each collector's list, and
declarations of what changed — a teacher with no change is not declared."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from yks_web.i18n import N_, gettext
from yks_web.models.teachers import (
    CONTINENTS,
    COVID_STATES,
    LOCATIONS,
    TEACHING_LEVELS,
    ForeignTeacher,
    TeacherAssignment,
    TeacherDeclaration,
)
from yks_web.services import identity
from yks_web.services.errors import DomainError

# The guide's 修改信息 form, in its order: field → (label, choices or None, max length, required). Labels and
# choices are N_ (issue 15): the choices are stored and compared as they are, both are translated where shown.
FIELDS: dict[str, tuple[str, list[str] | None, int, bool]] = {
    "name": (N_("姓名"), None, 60, True),
    "teaching_level": (N_("任教层次"), TEACHING_LEVELS, 10, True),
    "nationality": (N_("国籍"), None, 40, True),
    "continent": (N_("所属洲"), CONTINENTS, 10, True),
    "current_location": (N_("目前所在地"), LOCATIONS, 40, True),
    "lives_on_campus": (N_("是否居住校内"), [N_("是"), N_("否")], 1, True),
    "covid_status": (N_("新冠肺炎情况"), COVID_STATES, 20, True),
    "remarks": (N_("备注"), None, 200, False),
    "entry_date": (N_("入境日期"), None, 10, False),
    "entry_time": (N_("入境时间"), None, 5, False),
    "transport": (N_("交通方式及班次"), None, 60, False),
}
LABELS = {name: spec[0] for name, spec in FIELDS.items()}
NO_CHANGE = N_("该外籍教师信息无变动，无需申报。")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")

# Upload limits (issue 8 item 10). The request itself is capped at 2 MB (MAX_CONTENT_LENGTH); an XLSX is
# a zip, so its unpacked size is checked before openpyxl opens it, and reading stops after the row limit.
MAX_ROWS = 2000
MAX_COLUMNS = 40
MAX_SCANNED = 5 * MAX_ROWS
MAX_XLSX_UNPACKED = 20 * 1024 * 1024
# The refusals (N_): translated where raised, gettext(…).
FILE_TOO_LARGE = N_("文件不能超过2MB，请删除多余内容或分成几个文件导入")
TOO_MANY_ROWS = N_("每个文件最多导入2000行，请分成几个文件导入")  # MAX_ROWS, written out: the msgid is the text
XLSX_TOO_LARGE = N_("该Excel文件解压后超过20MB，请删除多余的工作表、图片或格式后重新导入")
# 入境日期: the epidemic's start to a year ahead (a booked flight), nothing like 0001-01-01 or 9999-12-31.
ENTRY_FIRST = date(2019, 12, 1)
ENTRY_AHEAD = timedelta(days=366)
# Bidi overrides and isolates make text read as something it is not (Trojan Source), like control characters.
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def has_control(text: str) -> bool:
    """NUL, other control characters (tab, newline inside a cell …) or a bidi override."""
    return any(unicodedata.category(ch) == "Cc" or ch in _BIDI for ch in text)


class TeacherError(DomainError):
    pass


def clean(raw: dict, *, today: date) -> tuple[dict, dict[str, str]]:
    """Typed values from text (a form, a CSV row), and a message per bad field.

    A cell of an imported row that is not one of FIELDS (an extra column) is not kept, but a control
    character in it still makes the row an error (issue 8 item 10)."""
    values: dict = {}
    errors: dict[str, str] = {}
    for column, cell in raw.items():
        if column not in FIELDS and cell is not None and has_control(str(cell)):
            errors[column] = gettext("%(column)s含有不可见的控制字符，请删除后重新导入", column=column)
    for name, (label, choices, limit, required) in FIELDS.items():
        label = gettext(label)
        text = str(raw.get(name) if raw.get(name) is not None else "").strip()
        if has_control(text):
            errors[name] = gettext(
                "%(label)s含有不可见的控制字符（如NUL、制表符、换行），请删除后重新填写", label=label)
            values[name] = None if name == "entry_date" else ""
            continue
        if not text:
            if required:
                errors[name] = gettext("请填写%(label)s", label=label)
            values[name] = None if name == "entry_date" else ""
            continue
        if choices:  # a choice in the reader's language (an English template's "Yes") is stored as the guide's
            text = {gettext(choice): choice for choice in choices}.get(text, text)
        if len(text) > limit and name not in ("entry_date",):
            errors[name] = gettext("%(label)s不能超过%(max)d个字", label=label, max=limit)
        elif choices and text not in choices:
            errors[name] = gettext("%(label)s应为：%(choices)s", label=label, choices=_listed(choices))
        elif name == "name" and (problem := _name_problem(text)):
            errors[name] = problem
        values[name] = text
    if values.get("entry_date") and "entry_date" not in errors:
        try:
            values["entry_date"] = date.fromisoformat(str(values["entry_date"])[:10])
        except ValueError:
            errors["entry_date"] = gettext("入境日期格式应为 2020-03-13")
        else:
            last = today + ENTRY_AHEAD
            if not ENTRY_FIRST <= values["entry_date"] <= last:
                errors["entry_date"] = gettext("入境日期应在%(first)s至%(last)s之间",
                                               first=ENTRY_FIRST.isoformat(), last=last.isoformat())
    if values.get("entry_time") and not _TIME.match(values["entry_time"]):
        errors["entry_time"] = gettext("入境时间格式应为 19:56")
    if "lives_on_campus" not in errors:
        values["lives_on_campus"] = values["lives_on_campus"] == "是"
    return values, errors


def _name_problem(name: str) -> str | None:
    """The identity rules for names (letters, no invisible characters); a teacher's name may be longer."""
    problem = identity.validate_name(name)
    return None if problem == gettext("姓名不能超过%(max)d个字", max=identity.NAME_MAX) else problem


def shown(teacher: ForeignTeacher) -> dict[str, str]:
    """The teacher's fields as the form shows them (text)."""
    return {name: shown_value(name, getattr(teacher, name)) for name in FIELDS}


def add(session: Session, school_id: int, values: dict, utc_now: datetime) -> ForeignTeacher:
    duplicate = session.scalar(select(ForeignTeacher.id).where(
        ForeignTeacher.school_id == school_id, ForeignTeacher.name == values["name"],
        ForeignTeacher.nationality == values["nationality"]))
    if duplicate is not None:
        raise TeacherError(gettext("%(name)s（%(nationality)s）已在外籍教师名单中", name=values["name"],
                                   nationality=values["nationality"]))
    teacher = ForeignTeacher(school_id=school_id, created_at=utc_now, updated_at=utc_now, **values)
    try:
        with session.begin_nested():
            session.add(teacher)
    except IntegrityError as exc:
        raise TeacherError(gettext("%(name)s（%(nationality)s）已在外籍教师名单中", name=values["name"],
                                   nationality=values["nationality"])) from exc
    return teacher


@dataclass
class ImportResult:
    added: int = 0
    errors: list[tuple[int, list[str]]] = field(default_factory=list)  # (row number in the file, messages)


_XLSX_UNREADABLE = N_("无法读取该Excel文件，请使用模板格式（.xlsx）")


def _limited(lines) -> list[list]:
    """The non-blank lines (the header and at most MAX_ROWS rows), reading no further than one past the
    limit; blank lines count too, up to MAX_SCANNED (a sheet formatted down to row 1,048,576)."""
    kept: list[list] = []
    for scanned, line in enumerate(lines, start=1):
        if scanned > MAX_SCANNED:
            raise TeacherError(gettext(TOO_MANY_ROWS))
        cells = ["" if c is None else c for c in line[:MAX_COLUMNS]]
        if not any(str(c).strip() for c in cells):
            continue
        if len(kept) > MAX_ROWS:
            raise TeacherError(gettext(TOO_MANY_ROWS))
        kept.append(cells)
    return kept


def _xlsx_lines(data: bytes) -> list[list]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise TeacherError(gettext(_XLSX_UNREADABLE)) from exc
    if unpacked > MAX_XLSX_UNPACKED:  # a zip bomb, or a sheet far beyond 2,000 teachers
        raise TeacherError(gettext(XLSX_TOO_LARGE))
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            # max_row: read as far as the limit whatever the sheet's <dimension> claims, and no further.
            return _limited(book.active.iter_rows(values_only=True, max_col=MAX_COLUMNS, max_row=MAX_SCANNED + 1))
        finally:
            book.close()
    except TeacherError:
        raise
    except Exception as exc:  # a damaged or non-XLSX file: say so, never a 500
        raise TeacherError(gettext(_XLSX_UNREADABLE)) from exc


def _csv_lines(data: bytes) -> list[list]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise TeacherError(gettext("无法读取该CSV文件，请保存为UTF-8编码")) from exc
    try:
        return _limited(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:  # e.g. a field over the csv module's 128 KB limit
        raise TeacherError(gettext("无法读取该CSV文件，请检查是否为模板格式")) from exc


def read_table(filename: str, data: bytes) -> list[dict]:
    """Rows of a CSV or XLSX file whose first row holds the guide's labels (姓名, 任教层次 …).

    Refused as a whole: another kind of file, more than MAX_ROWS rows, an XLSX that unpacks to more than
    MAX_XLSX_UNPACKED (issue 8 item 10). Blank lines are skipped; a cell under an unknown header is kept
    under that header only so `clean` can refuse a control character in it.
    """
    by_label = {label: name for name, label in LABELS.items()}  # the guide's header, or the reader's language's
    by_label.update({gettext(label): name for name, label in LABELS.items()})
    if filename.lower().endswith(".xlsx"):
        lines = _xlsx_lines(data)
    elif filename.lower().endswith(".csv"):
        lines = _csv_lines(data)
    else:
        raise TeacherError(gettext("请上传CSV或Excel（.xlsx）文件"))
    if not lines:
        raise TeacherError(gettext("文件为空"))
    header = [by_label.get(str(h).strip()) or gettext("第%(num)d列", num=i) for i, h in enumerate(lines[0], start=1)]
    if "name" not in header:
        raise TeacherError(gettext("第1行应为表头：%(labels)s", labels=_listed(LABELS.values())))
    rows = []
    for line in lines[1:]:
        row = {}
        for name, cell in zip(header, line, strict=False):
            row[name] = cell.isoformat()[:10] if isinstance(cell, datetime | date) else cell
        rows.append(row)
    return rows


def import_rows(
    session: Session, school_id: int, rows: list[dict], utc_now: datetime, *, today: date
) -> ImportResult:
    """Add every valid row; report every other one by its row number (the header is row 1)."""
    result = ImportResult()
    for number, raw in enumerate(rows, start=2):
        values, errors = clean(raw, today=today)
        if errors:
            result.errors.append((number, list(errors.values())))
            continue
        try:
            add(session, school_id, values, utc_now)
        except TeacherError as exc:
            result.errors.append((number, [exc.message]))
            continue
        result.added += 1
    return result


def school_list(session: Session, school_id: int) -> list[ForeignTeacher]:
    return list(session.scalars(
        select(ForeignTeacher).where(ForeignTeacher.school_id == school_id).order_by(ForeignTeacher.id)))


def assigned(session: Session, org_id: int) -> list[TeacherAssignment]:
    return list(session.scalars(
        select(TeacherAssignment).options(joinedload(TeacherAssignment.teacher))
        .where(TeacherAssignment.organisation_id == org_id).order_by(TeacherAssignment.id)))


def assign(session: Session, org_id: int, school_id: int, teacher_ids: set[int], utc_now: datetime) -> int:
    """确认并添加: put the school's teachers on this collector's list."""
    mine = set(session.scalars(select(ForeignTeacher.id).where(
        ForeignTeacher.school_id == school_id, ForeignTeacher.id.in_(teacher_ids))))
    if mine != teacher_ids:
        raise TeacherError(gettext("所选外籍教师不在本校名单中"))
    already = set(session.scalars(select(TeacherAssignment.teacher_id).where(
        TeacherAssignment.organisation_id == org_id, TeacherAssignment.teacher_id.in_(teacher_ids))))
    for teacher_id in sorted(teacher_ids - already):
        session.add(TeacherAssignment(organisation_id=org_id, teacher_id=teacher_id, created_at=utc_now))
    session.flush()
    return len(teacher_ids - already)


def declare_changes(
    session: Session, *, org_id: int, teacher: ForeignTeacher, actor_id: int, values: dict, utc_now: datetime
) -> TeacherDeclaration:
    """【提交】: record only what changed and update the teacher; no change, no declaration."""
    before = shown(teacher)
    changes = {}
    for name in FIELDS:
        old, new = before[name], shown_value(name, values[name])
        if old != new:
            changes[name] = [old, new]
    if not changes:
        raise TeacherError(gettext(NO_CHANGE))
    for name in changes:
        setattr(teacher, name, values[name])
    teacher.updated_at = utc_now
    declaration = TeacherDeclaration(school_id=teacher.school_id, organisation_id=org_id, teacher_id=teacher.id,
                                     actor_id=actor_id, changes=changes, created_at=utc_now)
    session.add(declaration)
    session.flush()
    return declaration


def _listed(words) -> str:
    """The choices or labels named in a refusal, in the reader's language: 幼儿园、小学 / Kindergarten, Primary."""
    return gettext("、").join(gettext(word) for word in words)


def shown_value(name: str, value) -> str:
    """A field as the form shows it and a declaration stores it (the guide's text: 是/否, a choice as stored);
    a screen translates it where it shows it (| tr)."""
    if name == "lives_on_campus":
        return "是" if value else "否"  # i18n: data (stored in the declared changes, shown with | tr)
    if name == "entry_date":
        return value.isoformat() if value else ""
    return value or ""


def recent_changes(session: Session, school_id: int, limit: int = 100) -> list[TeacherDeclaration]:
    return list(session.scalars(
        select(TeacherDeclaration).options(joinedload(TeacherDeclaration.teacher))
        .where(TeacherDeclaration.school_id == school_id)
        .order_by(TeacherDeclaration.id.desc()).limit(limit)))

"""我的数据's records about the person (issue 16 item 1): each reader is one statement returning the person's rows of
one kind, newest first, at most `limit` (and whether more were cut), as dicts of plain values (str, int, bool,
Decimal, date, aware datetime). Other people are named masked (*立叶); the person's own numbers are whole.

Here: identity, declarations and what was said about them, checks and visits, the health data source's tables.
Their links to others, roles and account records are in my_data_links; the words about each in my_data_specs.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import Session, aliased, undefer

from yks_web.clock import TZ
from yks_web.i18n import N_, gettext
from yks_web.models.consent import NOTICE_KINDS, NOTICE_SOURCES, DeclarationNotice
from yks_web.models.declaration import SOURCES, DailyReport, Declaration, ReportDraft, ReportEntry
from yks_web.models.grid import Grid, GridVisit
from yks_web.models.health import (
    COLOURS,
    EntryRegistration,
    HealthCode,
    NucleicAcidTest,
    ObservationNotice,
    PersonalDeclaration,
    TemperatureCheck,
    Vaccination,
)
from yks_web.models.institution import Institution, InstitutionDeclaration
from yks_web.models.medical import MedicalObservation
from yks_web.models.people import Person
from yks_web.models.reminders import DAILY, ReminderLog
from yks_web.models.school import Membership, Organisation, School
from yks_web.privacy import lookup_hash, mask_name, mask_phone
from yks_web.services import deleted_accounts, sms

Rows = tuple[list[dict], bool]


def local(moment: datetime | None) -> datetime | None:
    """A naive-UTC column as an aware Asia/Shanghai time."""
    return None if moment is None else moment.replace(tzinfo=UTC).astimezone(TZ)


def cut(rows: list, limit: int) -> tuple[list, bool]:
    return rows[:limit], len(rows) > limit


def tr(value: object) -> object:
    """A stored constant (an N_-marked label: a code colour, a source, a status) in the reader's language; anything
    else (typed data, numbers) unchanged, as the templates' `| tr`."""
    return gettext(value) if isinstance(value, str) and value else value


def masked(name: str | None) -> str:
    return mask_name(name) if name else ""


def named(name: str | None, id_type: str | None) -> str:
    """Another person as 我的数据 names them: masked (*立叶), but a deleted account's stand-in (services/
    deleted_accounts) as 已注销用户, whole: no one's name to hide."""
    if name and deleted_accounts.is_deleted(id_type):
        return gettext(deleted_accounts.DELETED_NAME)
    return deleted_accounts.shown_name(name, id_type) if name else ""


def by(person_id: int, actor_id: int | None, actor_name: str | None, actor_id_type: str | None, role: str) -> str:
    """Who filled a record: 本人, or the other person's role (an N_ label) and name (masked, or 已注销用户)."""
    if actor_id is None or actor_id == person_id:
        return gettext("本人")
    return f"{tr(role)} {named(actor_name, actor_id_type)}".strip()


def own_phone(person: Person, phone: str | None) -> str:
    """A phone someone else typed about the person: whole when it is the person's own (its digest is theirs),
    masked when it may be a relative's or a neighbour's."""
    if not phone:
        return ""
    mine = person.phone_hash and lookup_hash("phone", sms.normalize_phone(phone)) == person.phone_hash
    return phone if mine else mask_phone(phone)


def temperature(value, band: str | None) -> str:
    return f"{value}℃" if value is not None else (tr(band) or "")


# -- 身份信息 ---------------------------------------------------------------------------------------------------


def identity(session: Session, person: Person, limit: int) -> Rows:
    numbers = session.execute(select(Person.id_number, Person.phone).where(Person.id == person.id)).one()
    return [{
        "name": person.name, "id_type": tr(person.id_type_label), "id_number": numbers.id_number,
        "phone": numbers.phone or "", "name_verified_at": local(person.name_verified_at),
        "created_at": local(person.created_at),
        # issue 15's language switch; getattr while that column is new (None: the browser's language)
        "language": getattr(person, "language", None) or "",
    }], False


# -- 健康申报 ---------------------------------------------------------------------------------------------------

ANSWERS = (
    ("nationality", N_("国籍")), ("household_region", N_("户籍所在省市")), ("stay_on_campus", N_("假期是否留校")),
    ("returned", N_("是否已返校")), ("location", N_("当前所在地")), ("temperature", N_("体温")),
    ("has_symptoms", N_("是否有发热、咳嗽等症状")), ("risk_travel", N_("14日内是否有中高风险地区旅居史")),
    ("contact_case", N_("14日内是否接触过确诊或疑似病例")), ("left_to_city", N_("是否离校前往省内其他地市")),
    ("left_to_abroad", N_("是否离校前往其他国家或地区")), ("returned_today", N_("本日是否返校")),
    ("health_status", N_("个人健康状态")), ("remarks", N_("备注")),
)


_FILLERS = {"proxy": N_("代填人"), "collector": N_("采集员"), "quickfill": N_("采集员")}


def school_declarations(session: Session, person: Person, limit: int) -> Rows:
    actor = aliased(Person)
    found = session.execute(
        select(Declaration, Organisation.name, School.name, actor.name, actor.id_type)
        .join(Organisation, Organisation.id == Declaration.organisation_id)
        .join(School, School.id == Organisation.school_id)
        .join(actor, actor.id == Declaration.actor_id)
        .where(Declaration.person_id == person.id)
        .order_by(Declaration.day.desc(), Declaration.created_at.desc(), Declaration.id.desc()).limit(limit + 1)
    ).all()
    rows = [{
        "day": d.day, "created_at": local(d.created_at), "organisation": f"{school} {org}",
        "source": tr(SOURCES.get(d.source, d.source)),
        "filled_by": by(person.id, d.actor_id, actor_name, actor_type, _FILLERS.get(d.source, "")),
        **{name: getattr(d, name) for name, _ in ANSWERS if name not in ("location", "temperature")},
        "nationality": tr(d.nationality), "health_status": tr(d.health_status),
        "location": d.location_province + d.location_city,
        "temperature": temperature(d.temperature, d.temperature_band),
    } for d, org, school, actor_name, actor_type in found]
    return cut(rows, limit)


def personal_declarations(session: Session, person: Person, limit: int) -> Rows:
    actor = aliased(Person)
    found = session.execute(
        select(PersonalDeclaration, actor.name, actor.id_type, Institution.name, InstitutionDeclaration.on_duty,
               InstitutionDeclaration.work_place)
        .join(actor, actor.id == PersonalDeclaration.actor_id)
        .outerjoin(InstitutionDeclaration, InstitutionDeclaration.personal_id == PersonalDeclaration.id)
        .outerjoin(Institution, Institution.id == InstitutionDeclaration.institution_id)
        .where(PersonalDeclaration.person_id == person.id)
        .order_by(PersonalDeclaration.created_at.desc(), PersonalDeclaration.id.desc()).limit(limit + 1)
    ).all()
    rows = [{
        "created_at": local(d.created_at),
        "filled_by": by(person.id, d.actor_id, actor_name, actor_type, N_("家庭成员")),
        "institution": institution or "", "on_duty": on_duty, "work_place": work_place or "",
        "location": d.location_province + d.location_city,
        "temperature": temperature(d.temperature, d.temperature_band), "has_symptoms": d.has_symptoms,
        "risk_travel": d.risk_travel, "contact_case": d.contact_case, "remarks": d.remarks,
    } for d, actor_name, actor_type, institution, on_duty, work_place in found]
    return cut(rows, limit)


def _note_about(notes: object, person_id: int) -> str:
    """The reason the collector gave for the person in a report's 未填报 notes ([{person_id, reason}])."""
    for note in notes if isinstance(notes, list) else []:
        if isinstance(note, dict) and str(note.get("person_id")) == str(person_id):
            return str(note.get("reason") or "")
    return ""


def report_entries(session: Session, person: Person, limit: int) -> Rows:
    found = session.execute(
        select(DailyReport.day, DailyReport.submitted_at, DailyReport.missing_notes, Organisation.name, School.name,
               ReportEntry.declaration_id)
        .join(ReportEntry, ReportEntry.report_id == DailyReport.id)
        .join(Organisation, Organisation.id == DailyReport.organisation_id)
        .join(School, School.id == Organisation.school_id)
        .where(ReportEntry.person_id == person.id)  # ix_report_entry_person (migration q16a00000001)
        .order_by(DailyReport.day.desc(), DailyReport.id.desc()).limit(limit + 1)
    ).all()
    rows = [{"day": day, "organisation": f"{school} {org}", "submitted_at": local(submitted_at),
             "declared": counted is not None, "reason": "" if counted is not None else _note_about(notes, person.id)}
            for day, submitted_at, notes, org, school, counted in found]
    return cut(rows, limit)


def report_drafts(session: Session, person: Person, limit: int) -> Rows:
    """未填报原因 a collector has typed about the person on 提交本日数据 but not yet submitted: the draft of one of
    the person's organisations whose reasons name them (a JSON path, on SQLite and PostgreSQL alike)."""
    reason = ReportDraft.data[("reasons", str(person.id))].as_string()
    found = session.execute(
        select(ReportDraft.day, ReportDraft.updated_at, reason, Organisation.name, School.name)
        .join(Membership, and_(Membership.organisation_id == ReportDraft.organisation_id,
                               Membership.person_id == person.id))
        .join(Organisation, Organisation.id == ReportDraft.organisation_id)
        .join(School, School.id == Organisation.school_id)
        .where(reason.is_not(None))
        .order_by(ReportDraft.day.desc(), ReportDraft.id.desc()).limit(limit + 1)
    ).all()
    rows = [{"day": day, "organisation": f"{school} {org}", "updated_at": local(updated_at), "reason": text}
            for day, updated_at, text, org, school in found]
    return cut(rows, limit)


def reminders(session: Session, person: Person, limit: int) -> Rows:
    # Through the person's memberships: reminder_log's one index leads with the organisation.
    sender = aliased(Person)
    found = session.execute(
        select(ReminderLog, Organisation.name, School.name, sender.name, sender.id_type)
        .join(Membership, and_(Membership.organisation_id == ReminderLog.organisation_id,
                               Membership.person_id == person.id))
        .join(Organisation, Organisation.id == ReminderLog.organisation_id)
        .join(School, School.id == Organisation.school_id)
        .outerjoin(sender, sender.id == ReminderLog.sent_by_id)
        .where(ReminderLog.person_id == person.id)
        .order_by(ReminderLog.sent_at.desc(), ReminderLog.id.desc()).limit(limit + 1)
    ).all()
    rows = [{"sent_at": local(r.sent_at), "day": r.day, "organisation": f"{school} {org}",
             "how": gettext("每日定时提醒") if r.slot == DAILY
             else gettext("采集员 %(name)s 一键提醒", name=named(sender_name, sender_type)),
             "messages": r.messages} for r, org, school, sender_name, sender_type in found]
    return cut(rows, limit)


def notices(session: Session, person: Person, limit: int) -> Rows:
    found = session.execute(
        select(DeclarationNotice, Person.name, Person.id_type, Organisation.name)
        .join(Person, Person.id == DeclarationNotice.actor_id)
        .outerjoin(Organisation, Organisation.id == DeclarationNotice.organisation_id)
        .where(DeclarationNotice.person_id == person.id)
        .order_by(DeclarationNotice.created_at.desc(), DeclarationNotice.id.desc()).limit(limit + 1)
    ).all()
    rows = [{"created_at": local(n.created_at), "kind": tr(NOTICE_KINDS.get(n.kind, n.kind)),
             "source": tr(NOTICE_SOURCES.get(n.source, n.source)), "actor": named(actor_name, actor_type),
             "organisation": org or "", "day": n.day, "read_at": local(n.read_at)}
            for n, actor_name, actor_type, org in found]
    return cut(rows, limit)


# -- 体温与核查记录 -----------------------------------------------------------------------------------------------

SEXES = {"M": N_("男"), "F": N_("女")}


def checkins(session: Session, person: Person, limit: int) -> Rows:
    inspector = aliased(Person)
    later = aliased(TemperatureCheck)
    corrected = exists().where(later.supersedes_id == TemperatureCheck.id)
    found = session.execute(
        select(TemperatureCheck, inspector.name, inspector.id_type, corrected)
        .outerjoin(inspector, inspector.id == TemperatureCheck.inspector_id)
        .where(TemperatureCheck.person_id == person.id)
        .order_by(TemperatureCheck.checked_at.desc(), TemperatureCheck.id.desc()).limit(limit + 1)
    ).all()
    rows = [{"checked_at": local(c.checked_at), "place": c.place_name, "result": tr(c.result),
             "method": gettext("体温正常快速打卡") if c.method == "checkin" else gettext("检测员扫码"),
             "inspector": named(inspector_name, inspector_type), "corrected": bool(was_corrected),
             "sex": tr(SEXES.get(c.sex, "")), "birth_year": c.birth_year}
            for c, inspector_name, inspector_type, was_corrected in found]
    return cut(rows, limit)


def grid_visits(session: Session, person: Person, limit: int) -> Rows:
    """Visits linked to the person, and visits a worker typed with the person's 证件 (same type and digest) without
    linking them: both are about the person (ix_grid_visit_person and ix_grid_visit_id_hash, q16a00000001)."""
    worker = aliased(Person)
    typed_mine = and_(GridVisit.id_hash == person.id_hash, GridVisit.id_type == person.id_type)
    found = session.execute(
        select(GridVisit, Grid.name, worker.name, worker.id_type)
        .options(undefer(GridVisit.id_number), undefer(GridVisit.phone))
        .join(Grid, Grid.id == GridVisit.grid_id)
        .join(worker, worker.id == GridVisit.worker_id)
        .where(or_(GridVisit.person_id == person.id, typed_mine))
        .order_by(GridVisit.created_at.desc(), GridVisit.id.desc()).limit(limit + 1)
    ).all()
    rows = [{"recorded_at": local(v.recorded_at), "grid": grid, "worker": named(worker_name, worker_type),
             "method": gettext("扫粤康码") if v.method == "scan" else gettext("手动录入"), "name": v.name,
             "id_number": v.id_number, "phone": own_phone(person, v.phone), "address": v.address,
             "temperature": temperature(v.temperature, None), "has_symptoms": v.has_symptoms,
             "risk_travel": v.risk_travel, "contact_case": v.contact_case, "remarks": v.remarks}
            for v, grid, worker_name, worker_type in found]
    return cut(rows, limit)


# -- 健康码与医疗记录 (the built-in health data source's tables) --------------------------------------------------


def health_code(session: Session, person: Person, limit: int) -> Rows:
    code = session.scalar(select(HealthCode).where(HealthCode.person_id == person.id))
    if code is None:
        return [], False
    return [{"colour": tr(COLOURS.get(code.colour, code.colour)), "reason": code.reason,
             "decided_at": local(code.decided_at), "decided_city": code.decided_city,
             "updated_at": local(code.updated_at)}], False


def tests(session: Session, person: Person, limit: int) -> Rows:
    found = session.scalars(select(NucleicAcidTest).where(NucleicAcidTest.person_id == person.id)
                            .order_by(NucleicAcidTest.sampled_at.desc(), NucleicAcidTest.id.desc()).limit(limit + 1))
    rows = [{"sampled_at": local(t.sampled_at), "result": tr(t.result), "tested_at": local(t.tested_at),
             "institution": t.institution, "source": t.source} for t in found]
    return cut(rows, limit)


def vaccinations(session: Session, person: Person, limit: int) -> Rows:
    found = session.scalars(select(Vaccination).where(Vaccination.person_id == person.id)
                            .order_by(Vaccination.dose.desc()).limit(limit + 1))
    rows = [{"dose": v.dose, "vaccinated_on": v.vaccinated_on, "manufacturer": v.manufacturer, "site": v.site}
            for v in found]
    return cut(rows, limit)


def entries(session: Session, person: Person, limit: int) -> Rows:
    found = session.scalars(select(EntryRegistration).where(EntryRegistration.person_id == person.id)
                            .order_by(EntryRegistration.registered_at.desc(), EntryRegistration.id.desc())
                            .limit(limit + 1))
    rows = [{"arrived_on": e.arrived_on, "from_region": e.from_region, "destination": e.destination,
             "transport": e.transport, "registered_at": local(e.registered_at)} for e in found]
    return cut(rows, limit)


def observations(session: Session, person: Person, limit: int) -> Rows:
    found = session.scalars(select(MedicalObservation).where(MedicalObservation.person_id == person.id)
                            .order_by(MedicalObservation.created_at.desc(), MedicalObservation.id.desc())
                            .limit(limit + 1))
    rows = [{"reason": o.reason, "started_on": o.started_on, "unit": o.unit, "created_at": local(o.created_at),
             "released_at": local(o.released_at)} for o in found]
    return cut(rows, limit)


def observation_notices(session: Session, person: Person, limit: int) -> Rows:
    found = session.execute(select(ObservationNotice, Person.id_type)
                            .outerjoin(Person, Person.id == ObservationNotice.issuer_id)
                            .where(ObservationNotice.person_id == person.id)
                            .order_by(ObservationNotice.issued_at.desc(), ObservationNotice.id.desc())
                            .limit(limit + 1)).all()
    rows = [{"number": n.number or "", "issued_at": local(n.issued_at), "institution": n.institution,
             "issuer": named(n.issuer_name, issuer_type), "reason": n.reason, "released_on": n.released_on,
             "revoked": n.revoked} for n, issuer_type in found]
    return cut(rows, limit)

"""注销账号 (issue 16 item 2; SPEC P6, P10; PIPL art. 47): the deletion. What the person is told first, the roles to
hand over (blockers) and the SMS code are services/account_deletion_plan.

Everything about the person goes, in one transaction, except what others hold by right, which is kept in the least
identifying form, pointing to an anonymous person row of its own (services/deleted_accounts: 已注销用户, a random
id_hash, no 证件, no phone, never able to log in), one per deleted account, so two deleted people in one class stay
two people in every count and nobody can be joined back to them:

- A daily report a collector already submitted to the school (W9: immutable once submitted) keeps its figures: the
  person's entries and the declarations it counted stay, with the declaration's 备注 emptied, its 填报人 anonymous
  too, and the person's names struck from the report's remarks, its 未填报 reasons and the open draft of their
  class (every name the person went by: their own, and those the class, a 代填人, family or a 网格员 typed for them).
  Their other declarations go. Retention (services/retention.py) deletes the kept rows when due.
- The duty records others made of the person: a place's check-in or temperature check, a 网格员's door-to-door
  visit (linked to them, or carrying their 证件 hash): kept for the place's and grid's figures, without name,
  证件号码, phone or address (a check keeps the sex and birth year its statistics count).
- What the person did for or to others belongs to them: a declaration they filled as 代填人/家长/采集员, a 健康申报
  for a family member, a temperature check they made as 检测员, a visit they recorded as 网格员, a notice they
  issued as 医护人员, an appointment they made, a report they submitted. Those rows stay; the person becomes
  已注销用户, and their names are struck from what they wrote there.
- 查阅记录 (audit rows) of reads of the person's data, and of the person's reads of others', stay for the audit
  period with the person anonymous: a reader stays accountable, and what a deleted reader read stays in the other
  person's 查阅记录.
- A 团体 the person created goes with them unless someone else's (ended) consent to it is kept for its owner: then
  the group stays, empty and closed, its creator anonymous and its address gone.
- The real-name source's record (realname_record: the public-security source's stand-in) is not the account's and
  stays; logging in again with the same 证件 makes a new person with nothing of the old.

The built-in health data (health_code, tests, vaccinations, 医学观察) goes with the account; so that nobody can shed a
red or yellow code or an open 医学观察 this way, those block until released. SMS codes of the person (their phone and
their identity: another person's login on a shared phone keeps its code) and the rate counters of their account and
phone go; the SMS send log keeps its rows (the address's hourly limit) without the phone's hash.

Every statement is a bulk statement over the set of people who go, so the number of statements does not depend on
how many declarations, check-ins, members or links the person has. Each reads an index on the person's column
(migration q16a00000001) except a few rare-table ones and audit_log.actor_id, which is not indexed because every
list screen bulk-inserts audit rows: this rare operation scans it once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, delete, exists, func, insert, or_, select, union_all, update
from sqlalchemy.orm import Session

from yks_web.i18n import gettext
from yks_web.models.consent import DeclarationNotice, FamilyConsentCode
from yks_web.models.declaration import DailyReport, Declaration, ReportDraft, ReportEntry
from yks_web.models.grid import DistrictAdmin, Grid, GridHandover, GridStaff, GridVisit
from yks_web.models.group import Group, GroupConsent, GroupInvite, GroupMember
from yks_web.models.health import (
    EntryRegistration,
    FamilyMember,
    HealthCode,
    NucleicAcidTest,
    ObservationNotice,
    PersonalDeclaration,
    TemperatureCheck,
    Vaccination,
)
from yks_web.models.institution import InstitutionDeclaration, InstitutionMember
from yks_web.models.medical import (
    MedicalAlert,
    MedicalImportReport,
    MedicalObservation,
    MedicalStaff,
    MedicalStaffEvent,
)
from yks_web.models.messages import Message
from yks_web.models.people import AuditLog, Feedback, Person, SmsChallenge, SmsSend
from yks_web.models.place import PlaceHandover, PlaceStaff
from yks_web.models.reminders import ReminderLog
from yks_web.models.school import Collector, Invite, Membership, ProxyBinding, SchoolAdmin
from yks_web.models.security import RateEvent
from yks_web.models.sessions import LoginSession
from yks_web.models.teacher_imports import TeacherImportReport
from yks_web.models.teachers import TeacherDeclaration
from yks_web.privacy import lookup_hash
from yks_web.services.account_deletion_plan import Blocker, blockers, going_family
from yks_web.services.deleted_accounts import DELETED_ID_TYPE, DELETED_NAME, new_id_hash
from yks_web.services.errors import DomainError

STRUCK = "***"  # what a deleted person's name becomes in kept free text
ANONYMOUS_SINCE = datetime(2020, 1, 1)  # every anonymous row's created_at: it says nothing of when

GOES, KEPT, BLOCKS = "goes", "kept anonymous", "blocks"
# Every column that names a person (a foreign key to person.id, or audit_log's reference without one: issue 14,
# models.people.refers_to), and what `delete_account` does with it: the rows go, or stay pointing to the deleted
# person's anonymous row, or (a role others depend on) the account cannot go while one exists.
# tests/services/test_account_deletion.py fails when a column is added to the schema without being placed here and
# handled.
PERSON_COLUMNS = {
    "audit_log.actor_id": KEPT, "audit_log.subject_id": KEPT,
    "collector.person_id": GOES,  # with an organisation: BLOCKS (blockers)
    "daily_report.submitted_by_id": KEPT,
    "declaration.person_id": GOES,  # KEPT for a declaration a submitted report counted
    "declaration.actor_id": KEPT,
    "declaration_notice.person_id": GOES, "declaration_notice.actor_id": KEPT,
    "district_admin.person_id": KEPT, "district_admin.appointed_by_id": KEPT,  # a live appointment BLOCKS
    "entry_registration.person_id": GOES,
    "family_member.owner_id": GOES, "family_member.member_id": GOES,
    "feedback.person_id": GOES,
    "grid.admin_id": BLOCKS, "grid.decided_by_id": KEPT,
    "grid_handover.from_id": KEPT, "grid_handover.accepted_by_id": KEPT,
    "grid_staff.person_id": GOES,
    "grid_visit.worker_id": KEPT, "grid_visit.person_id": KEPT,
    "group_code.creator_id": KEPT,  # others in it BLOCK; alone, it goes unless others' consents to it are kept
    "group_consent.person_id": GOES,
    "group_invite.created_by_id": GOES,
    "group_member.person_id": GOES, "group_member.invited_by_id": KEPT,
    "health_code.person_id": GOES,
    "institution.admin_id": BLOCKS,
    "institution_declaration.person_id": GOES,
    "institution_member.person_id": GOES,
    "invite.created_by_id": KEPT,
    "login_session.person_id": GOES,
    "medical_alert.person_id": GOES,
    "medical_import_report.person_id": GOES,
    "medical_observation.person_id": GOES, "medical_observation.created_by_id": KEPT,  # an open one BLOCKS
    "medical_staff.enabled_by_id": KEPT, "medical_staff.revoked_by_id": KEPT,  # an active row of theirs BLOCKS
    "medical_staff_event.actor_id": KEPT,
    "membership.person_id": GOES,
    "message.person_id": GOES,
    "nucleic_acid_test.person_id": GOES,
    "observation_notice.person_id": GOES, "observation_notice.issuer_id": KEPT,
    "personal_declaration.person_id": GOES, "personal_declaration.actor_id": KEPT,
    "place.admin_id": BLOCKS,
    "place_handover.from_id": KEPT, "place_handover.to_id": KEPT,
    "place_staff.person_id": GOES,
    "proxy_binding.proxy_id": GOES, "proxy_binding.declarant_id": GOES,
    "reminder_log.person_id": GOES, "reminder_log.sent_by_id": KEPT,
    "report_entry.person_id": KEPT,
    "school_admin.person_id": GOES,  # the school's last admin BLOCKS
    "teacher_declaration.actor_id": KEPT,
    "teacher_import_report.person_id": GOES,
    "temperature_check.person_id": KEPT, "temperature_check.inspector_id": KEPT,
    "vaccination.person_id": GOES,
}


class DeletionRefused(DomainError):
    def __init__(self, blockers: list[Blocker]):
        super().__init__(gettext("请先移交以下身份后再注销账号"))
        self.blockers = blockers


@dataclass(frozen=True)
class Deleted:
    person_ids: list[int]  # the person and the 家庭成员 who went with them
    anonymous: dict[int, int]  # each of them → the anonymous row their kept rows point to


def _anonymous_rows(session: Session, ids: list[int]) -> tuple[dict[int, int], dict[int, str]]:
    """One anonymous person row per person going (one INSERT … RETURNING for all): their ids and id_hashes, by the
    id of the person each stands in for."""
    hashes = {pid: new_id_hash() for pid in ids}
    table = Person.__table__
    made = session.execute(
        insert(table).returning(table.c.id, table.c.id_hash),
        [{"name": DELETED_NAME, "id_type": DELETED_ID_TYPE, "id_number": "", "id_masked": "", "id_hash": h,
          "phone": None, "phone_hash": None, "is_operator": False, "name_verified_at": None,
          "created_at": ANONYMOUS_SINCE} for h in hashes.values()],
    ).all()
    by_hash = {row.id_hash: row.id for row in made}
    return {pid: by_hash[h] for pid, h in hashes.items()}, hashes


_NO_SYNC = {"synchronize_session": False}


def _run(session: Session, statement) -> None:
    session.execute(statement, execution_options=_NO_SYNC)


def _names(session: Session, ids: list[int]) -> list[str]:
    """Every name the people going went by: their own and the ones their class, a 代填人, family or a 网格员 typed for
    them (two characters or more, longest first, so a longer name is struck whole). One statement."""
    found = session.scalars(union_all(
        select(Person.name).where(Person.id.in_(ids)),
        select(Membership.typed_name).where(Membership.person_id.in_(ids)),
        select(ProxyBinding.typed_name).where(ProxyBinding.declarant_id.in_(ids)),
        select(FamilyMember.typed_name).where(FamilyMember.member_id.in_(ids)),
        select(GridVisit.name).where(GridVisit.person_id.in_(ids)),
    ))
    return sorted({n.strip() for n in found if n and len(n.strip()) >= 2}, key=lambda n: (-len(n), n))


def _strike(text: str, names: list[str]) -> str:
    for name in names:
        text = text.replace(name, STRUCK)
    return text


def _struck(column, names: list[str]):
    """`column` with each name replaced by STRUCK, in SQL: one expression, any number of names."""
    expression = column
    for name in names:
        expression = func.replace(expression, name, STRUCK)
    return expression


def _rate_keys(session: Session, person: Person, ids: list[int], link_ids: list[int]) -> list[str]:
    """The keyed hashes of every rate counter about the people going: by account, as an owner, by phone, by link."""
    raw = [f"person:{i}" for i in ids] + [f"owner:{i}" for i in ids] + [f"link:{i}" for i in link_ids]
    if person.phone_hash:
        raw.append(f"phone:{person.phone_hash}")
    kinds = list(session.scalars(select(RateEvent.kind).distinct()))
    return [lookup_hash("rate", kind, key) for kind in kinds for key in raw]


def _deidentify_reports(session: Session, ids: list[int], anonymous: dict[int, int], names: list[str]) -> None:
    """The reports naming the people going (their entries, notes and remarks), and the drafts of their
    organisations: a note's person becomes anonymous, every note's reason and the remarks lose the names; a draft
    loses their reasons and the names in the rest. One select and one executemany each."""
    reports = session.execute(
        select(DailyReport.id, DailyReport.missing_notes, DailyReport.remarks)
        .where(DailyReport.id.in_(select(ReportEntry.report_id).where(ReportEntry.person_id.in_(ids))))
    ).all()
    changed = []
    for report_id, notes, remarks in reports:
        new_notes = [{**n, "reason": _strike(str(n["reason"]), names)} if n.get("reason") else n for n in notes or []]
        new_notes = [{**n, "person_id": anonymous[n["person_id"]], "name": DELETED_NAME}
                     if n.get("person_id") in anonymous else n for n in new_notes]
        new_remarks = _strike(remarks or "", names)
        if new_notes != (notes or []) or new_remarks != (remarks or ""):
            changed.append({"id": report_id, "missing_notes": new_notes, "remarks": new_remarks})
    if changed:
        session.execute(update(DailyReport), changed)
    drafts = session.execute(
        select(ReportDraft.id, ReportDraft.data)
        .where(ReportDraft.organisation_id.in_(select(Membership.organisation_id).where(Membership.person_id.in_(ids))))
    ).all()
    keys = {str(i) for i in ids}
    changed = []
    for draft_id, data in drafts:
        data = data or {}
        reasons = {k: _strike(str(v), names) for k, v in (data.get("reasons") or {}).items() if k not in keys}
        new = {**data, "reasons": reasons, "remarks": _strike(str(data.get("remarks") or ""), names)}
        if new != {**data, "reasons": data.get("reasons") or {}, "remarks": data.get("remarks") or ""}:
            changed.append({"id": draft_id, "data": new})
    if changed:
        session.execute(update(ReportDraft), changed)


def delete_account(session: Session, person: Person, now: datetime) -> Deleted:
    """Delete the account and everything about the person (see the module's docstring for what is kept and how), in
    the caller's transaction (the caller commits). DeletionRefused with the blockers when a role must be handed over
    first. `now` is naive UTC."""
    found = blockers(session, person)
    if found:
        raise DeletionRefused(found)
    pid = person.id
    ids = [pid, *going_family(session, pid)]
    id_hashes = dict(session.execute(select(Person.id, Person.id_hash).where(Person.id.in_(ids))).all())
    anonymous, anonymous_hashes = _anonymous_rows(session, ids)
    names = _names(session, ids)
    link_ids = list(session.scalars(select(FamilyMember.id).where(
        or_(FamilyMember.owner_id.in_(ids), FamilyMember.member_id.in_(ids)))))

    def anon(column):
        """The anonymous row standing in for the person `column` names (only rows naming someone going are
        updated)."""
        return case(anonymous, value=column)

    def repoint(column, *where) -> None:
        _run(session, update(column.class_).where(column.in_(ids), *where).values({column.key: anon(column)}))

    # 家庭成员, 代填, logins, notices, messages, feedback
    _run(session, delete(FamilyConsentCode).where(FamilyConsentCode.family_member_id.in_(link_ids)))
    _run(session, delete(FamilyMember).where(FamilyMember.id.in_(link_ids)))
    _run(session, delete(ProxyBinding).where(or_(ProxyBinding.proxy_id.in_(ids), ProxyBinding.declarant_id.in_(ids))))
    _run(session, delete(LoginSession).where(LoginSession.person_id.in_(ids)))
    _run(session, delete(DeclarationNotice).where(DeclarationNotice.person_id.in_(ids)))
    repoint(DeclarationNotice.actor_id)
    _run(session, delete(Message).where(Message.person_id.in_(ids)))
    _run(session, delete(Feedback).where(Feedback.person_id.in_(ids)))

    # School declarations and reports: a submitted report keeps its entries and the declarations it counted.
    _deidentify_reports(session, ids, anonymous, names)
    counted = select(ReportEntry.declaration_id).where(ReportEntry.person_id.in_(ids),
                                                        ReportEntry.declaration_id.is_not(None))
    _run(session, update(Declaration).where(Declaration.id.in_(counted))
         .values(person_id=anon(Declaration.person_id), actor_id=anon(Declaration.person_id), remarks=""))
    repoint(ReportEntry.person_id)
    for_others = Declaration.actor_id != Declaration.person_id  # the partial index's condition, repeated
    _run(session, update(Declaration).where(Declaration.actor_id.in_(ids), for_others)
         .values(actor_id=anon(Declaration.actor_id), remarks=_struck(Declaration.remarks, names)))
    _run(session, delete(Declaration).where(Declaration.person_id.in_(ids)))
    repoint(DailyReport.submitted_by_id)  # daily_report: one row per class and day, scanned by this rare operation
    _run(session, delete(Membership).where(Membership.person_id.in_(ids)))
    _run(session, delete(SchoolAdmin).where(SchoolAdmin.person_id.in_(ids)))  # never the school's last (blockers)
    _run(session, delete(Collector).where(Collector.person_id.in_(ids)))  # never one with an organisation (blockers)
    repoint(Invite.created_by_id)
    repoint(TeacherDeclaration.actor_id)
    _run(session, delete(TeacherImportReport).where(TeacherImportReport.person_id.in_(ids)))

    # 健康申报; a place's checks (kept, anonymous); the built-in health data, 医学观察 and notices
    own_personal = select(PersonalDeclaration.id).where(PersonalDeclaration.person_id.in_(ids))
    _run(session, delete(InstitutionDeclaration).where(or_(InstitutionDeclaration.person_id.in_(ids),
                                                           InstitutionDeclaration.personal_id.in_(own_personal))))
    _run(session, delete(PersonalDeclaration).where(PersonalDeclaration.person_id.in_(ids)))
    _run(session, update(PersonalDeclaration)
         .where(PersonalDeclaration.actor_id.in_(ids), PersonalDeclaration.actor_id != PersonalDeclaration.person_id)
         .values(actor_id=anon(PersonalDeclaration.actor_id), remarks=_struck(PersonalDeclaration.remarks, names)))
    repoint(TemperatureCheck.person_id)
    repoint(TemperatureCheck.inspector_id)
    for model in (HealthCode, NucleicAcidTest, Vaccination, EntryRegistration, MedicalAlert, MedicalImportReport):
        _run(session, delete(model).where(model.person_id.in_(ids)))
    own_notices = select(ObservationNotice.id).where(ObservationNotice.person_id.in_(ids)).scalar_subquery()
    _run(session, update(MedicalObservation).where(MedicalObservation.released_notice_id.in_(own_notices))
         .values(released_notice_id=None))
    _run(session, delete(MedicalObservation).where(MedicalObservation.person_id.in_(ids)))
    repoint(MedicalObservation.created_by_id)
    _run(session, delete(ObservationNotice).where(ObservationNotice.person_id.in_(ids)))
    _run(session, update(ObservationNotice).where(ObservationNotice.issuer_id.in_(ids))
         .values(issuer_id=anon(ObservationNotice.issuer_id), issuer_name=DELETED_NAME,
                 remarks=_struck(ObservationNotice.remarks, names)))
    if person.phone_hash:  # the person's own 医护人员 rows (revoked: an active one blocks) stay, anonymous
        _run(session, update(MedicalStaff)
             .where(MedicalStaff.phone_hash == person.phone_hash, MedicalStaff.name == person.name)
             .values(name=DELETED_NAME, phone="", phone_hash="", phone_masked=""))
    repoint(MedicalStaff.enabled_by_id)
    repoint(MedicalStaff.revoked_by_id)
    repoint(MedicalStaffEvent.actor_id)

    # 网格 (the grid admin's own grid blocks; revoked appointments stay as who-appointed-whom, anonymous); the visits
    # about the people going stay for the grid's figures, without who they were
    repoint(DistrictAdmin.person_id)
    repoint(DistrictAdmin.appointed_by_id)
    repoint(Grid.decided_by_id)
    _run(session, delete(GridStaff).where(GridStaff.person_id.in_(ids)))
    _run(session, update(GridHandover).where(GridHandover.successor_id_hash.in_(list(id_hashes.values()))).values(
        successor_name="", successor_id_hash="",
        expires_at=case((and_(GridHandover.accepted_at.is_(None), GridHandover.expires_at > now), now),
                        else_=GridHandover.expires_at)))
    repoint(GridHandover.from_id)
    repoint(GridHandover.accepted_by_id)
    linked = GridVisit.person_id.in_(ids)
    new_hash = {id_hashes[i]: anonymous_hashes[i] for i in ids}
    _run(session, update(GridVisit).where(or_(linked, GridVisit.id_hash.in_(list(new_hash))))
         .values(person_id=case((linked, anon(GridVisit.person_id)), else_=GridVisit.person_id),
                 id_hash=case((linked, case(anonymous_hashes, value=GridVisit.person_id)),
                              else_=case(new_hash, value=GridVisit.id_hash)),
                 name=DELETED_NAME, id_number="", phone=None, address="",
                 remarks=_struck(GridVisit.remarks, names)))
    _run(session, update(GridVisit).where(GridVisit.worker_id.in_(ids))
         .values(worker_id=anon(GridVisit.worker_id), remarks=_struck(GridVisit.remarks, names)))

    # 团体码: memberships and consents go (the count follows). A group they created (nobody else in it: blockers)
    # goes, unless someone else's ended consent to it is kept for its owner: then it stays, empty and closed.
    created = select(Group.id).where(Group.creator_id.in_(ids))
    gone_groups = list(session.scalars(created.where(~exists().where(
        GroupConsent.group_id == Group.id, GroupConsent.person_id.not_in(ids)))))
    _run(session, update(Group).where(
        Group.id.in_(select(GroupMember.group_id).where(GroupMember.person_id.in_(ids))), Group.creator_id.not_in(ids))
        .values(people=Group.people - 1))
    repoint(GroupMember.invited_by_id)
    _run(session, delete(GroupInvite).where(or_(GroupInvite.group_id.in_(created), GroupInvite.created_by_id.in_(ids))))
    _run(session, delete(GroupConsent).where(or_(GroupConsent.group_id.in_(gone_groups),
                                                 GroupConsent.person_id.in_(ids))))
    _run(session, delete(GroupMember).where(or_(GroupMember.group_id.in_(created), GroupMember.person_id.in_(ids))))
    _run(session, delete(Group).where(Group.id.in_(gone_groups)))
    _run(session, update(Group).where(Group.creator_id.in_(ids))
         .values(creator_id=anon(Group.creator_id), allow_join=False, address="", people=0))

    # 公共场所 and 组织机构 (their admins block): bindings go, offers made to the person end
    _run(session, delete(PlaceStaff).where(PlaceStaff.person_id.in_(ids)))
    _run(session, update(PlaceHandover).where(PlaceHandover.to_id.in_(ids), PlaceHandover.decided_at.is_(None))
         .values(decided_at=now, outcome="cancelled"))
    repoint(PlaceHandover.to_id)
    repoint(PlaceHandover.from_id)
    _run(session, delete(InstitutionMember).where(InstitutionMember.person_id.in_(ids)))

    # 提醒填报 (issue 16 item 4): who was reminded goes; the collector who sent a reminder stays, anonymous
    _run(session, delete(ReminderLog).where(ReminderLog.person_id.in_(ids)))
    repoint(ReminderLog.sent_by_id)

    # 查阅记录: kept, the person anonymous (audit_log.actor_id has no index, for the list screens' bulk inserts: this
    # rare operation scans it once; subject_id is indexed)
    repoint(AuditLog.actor_id)
    repoint(AuditLog.subject_id)

    # SMS codes and rate counters: the codes go; the send log keeps the address's count but not the phone
    if person.phone_hash:
        _run(session, delete(SmsChallenge).where(SmsChallenge.id.in_(_own_challenges(session, person))))
        _run(session, update(SmsSend).where(SmsSend.phone_hash == person.phone_hash).values(phone_hash=""))
    _run(session, delete(RateEvent).where(RateEvent.key.in_(_rate_keys(session, person, ids, link_ids))))

    _run(session, delete(Person).where(Person.id.in_(ids)))
    gone = {(Person, (i,)) for i in ids} | {(FamilyMember, (i,)) for i in link_ids}
    for key in [key for key in session.identity_map.keys() if (key[0], key[1]) in gone]:  # by key: no refresh
        session.expunge(session.identity_map[key])  # the rows are gone: nothing may refresh the caller's objects
    return Deleted(ids, anonymous)


def _own_challenges(session: Session, person: Person) -> list[int]:
    """The person's SMS codes: sent to their phone for their identity. Another person's login on a shared phone keeps
    its code (the identity is encrypted: the phone's few rows are read and compared decrypted)."""
    return [c.id for c in session.execute(
        select(SmsChallenge.id, SmsChallenge.id_type, SmsChallenge.id_number)
        .where(SmsChallenge.phone_hash == person.phone_hash)
    ) if (c.id_type, c.id_number) == (person.id_type, person.id_number)]

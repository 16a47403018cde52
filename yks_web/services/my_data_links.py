"""我的数据's links, roles and account records (issue 16 item 1): family and 代填人 both ways, organisations and
groups, roles held, work done, sessions, reads, messages. One statement each, as my_data_records' readers.
"""

from __future__ import annotations

from sqlalchemy import DateTime, String, case, cast, func, literal, null, or_, select, type_coerce, union_all
from sqlalchemy.orm import Session, aliased, undefer

from yks_web.i18n import N_, gettext
from yks_web.models.declaration import DailyReport, Declaration
from yks_web.models.grid import LEVEL_LABELS, STATUS_LABELS, DistrictAdmin, Grid, GridHandover, GridStaff, GridVisit
from yks_web.models.group import ROLE_LABELS, Group, GroupConsent, GroupMember
from yks_web.models.health import COLOURS, FamilyMember, ObservationNotice, PersonalDeclaration, TemperatureCheck
from yks_web.models.institution import Institution, InstitutionMember
from yks_web.models.medical import MedicalAlert, MedicalStaff
from yks_web.models.messages import KINDS as MESSAGE_KINDS
from yks_web.models.messages import Message
from yks_web.models.people import AuditLog, Feedback, Person
from yks_web.models.place import Place, PlaceStaff
from yks_web.models.school import TARGETS, Collector, Membership, Organisation, ProxyBinding, School, SchoolAdmin
from yks_web.models.sessions import LoginSession
from yks_web.models.teachers import TeacherDeclaration
from yks_web.privacy import Encrypted
from yks_web.services import areas, audit
from yks_web.services.my_data_records import Rows, cut, local, masked, named, own_phone, tr

# -- 家庭成员, 代填人 ----------------------------------------------------------------------------------------------

_FAMILY_STATUS = {"pending": N_("待对方同意"), "active": N_("已生效"), "refused": N_("已拒绝")}
_CONSENT = {"sms": N_("对方短信验证码同意"), "login": N_("对方登录后同意"), "household": N_("同户籍核验"),
            "guardian": N_("监护关系核验")}


def family(session: Session, person: Person, limit: int) -> Rows:
    owner, member = aliased(Person), aliased(Person)
    found = session.execute(
        select(FamilyMember, owner.name, owner.id_masked, member.name, member.id_masked)
        .join(owner, owner.id == FamilyMember.owner_id)
        .join(member, member.id == FamilyMember.member_id)
        .where(or_(FamilyMember.owner_id == person.id, FamilyMember.member_id == person.id))
        .order_by(FamilyMember.created_at.desc(), FamilyMember.id.desc()).limit(limit + 1)
    ).all()
    rows = []
    for link, owner_name, owner_id, member_name, member_id in found:
        mine = link.owner_id == person.id
        rows.append({
            "direction": gettext("我添加的家庭成员") if mine else gettext("将我添加为家庭成员的人"),
            # the owner's own words for a member until it is consented (a request teaches its sender nothing)
            "name": masked((link.typed_name or member_name) if mine else owner_name),
            "typed_for_me": "" if mine else link.typed_name,  # the owner's words for me: mine to see whole
            "id_number": member_id if mine else owner_id, "relation": tr(link.relation),
            "status": tr(_FAMILY_STATUS.get(link.status, link.status)) if link.active else gettext("已删除"),
            "consent": tr(_CONSENT.get(link.consent, link.consent)), "created_at": local(link.created_at),
            "consented_at": local(link.consented_at),
        })
    return cut(rows, limit)


def proxies(session: Session, person: Person, limit: int) -> Rows:
    proxy, declarant = aliased(Person), aliased(Person)
    found = session.execute(
        select(ProxyBinding, proxy.name, declarant.name, Organisation.name, School.name)
        .join(proxy, proxy.id == ProxyBinding.proxy_id)
        .join(declarant, declarant.id == ProxyBinding.declarant_id)
        .join(Organisation, Organisation.id == ProxyBinding.organisation_id)
        .join(School, School.id == Organisation.school_id)
        .where(or_(ProxyBinding.proxy_id == person.id, ProxyBinding.declarant_id == person.id))
        .order_by(ProxyBinding.created_at.desc(), ProxyBinding.id.desc()).limit(limit + 1)
    ).all()
    rows = []
    for binding, proxy_name, declarant_name, org, school in found:
        mine = binding.proxy_id == person.id
        rows.append({
            "direction": gettext("我代其填报的申报人") if mine else gettext("代我填报的代填人"),
            "name": masked((binding.typed_name or declarant_name) if mine else proxy_name),
            "typed_for_me": "" if mine else binding.typed_name,
            "organisation": f"{school} {org}", "active": binding.active, "created_at": local(binding.created_at),
            "removed_by_declarant_at": local(binding.removed_by_declarant_at),
        })
    return cut(rows, limit)


# -- 组织与团体 --------------------------------------------------------------------------------------------------

_JOINED_VIA = {"invite": N_("扫码/邀请卡片加入"), "manual": N_("采集员手动添加"), "proxy": N_("代填人添加"),
               "collector": N_("采集员代为申报时添加")}


def memberships(session: Session, person: Person, limit: int) -> Rows:
    found = session.execute(
        select(Membership, Organisation.name, Organisation.target, School.name)
        .join(Organisation, Organisation.id == Membership.organisation_id)
        .join(School, School.id == Organisation.school_id)
        .where(Membership.person_id == person.id)
        .order_by(Membership.joined_at.desc(), Membership.id.desc()).limit(limit + 1)
    ).all()
    rows = [{"organisation": org, "school": school, "target": tr(TARGETS.get(target, target)),
             "joined_via": tr(_JOINED_VIA.get(m.joined_via, m.joined_via)), "typed_name": m.typed_name,
             "active": m.active,
             "joined_at": local(m.joined_at), "left_at": local(m.left_at)} for m, org, target, school in found]
    return cut(rows, limit)


def institution_memberships(session: Session, person: Person, limit: int) -> Rows:
    found = session.execute(
        select(InstitutionMember, Institution.name)
        .join(Institution, Institution.id == InstitutionMember.institution_id)
        .where(InstitutionMember.person_id == person.id)
        .order_by(InstitutionMember.bound_at.desc(), InstitutionMember.id.desc()).limit(limit + 1)
    ).all()
    rows = [{"institution": name, "active": m.active, "bound_at": local(m.bound_at), "ended_at": local(m.ended_at)}
            for m, name in found]
    return cut(rows, limit)


def groups(session: Session, person: Person, limit: int) -> Rows:
    found = session.execute(
        select(GroupMember, Group.name)
        .options(undefer(GroupMember.phone))
        .join(Group, Group.id == GroupMember.group_id)
        .where(GroupMember.person_id == person.id)
        .order_by(GroupMember.joined_at.desc(), GroupMember.id.desc()).limit(limit + 1)
    ).all()
    rows = [{"group": name, "role": tr(ROLE_LABELS.get(m.role, m.role)), "remark": m.remark, "phone": m.phone or "",
             "joined_at": local(m.joined_at), "snapshot_at": local(m.snapshot_at),
             "code_colour": tr(COLOURS.get(m.code_colour, m.code_colour)), "code_reason": m.code_reason,
             "test_result": tr(m.test_result), "test_sampled_at": local(m.test_sampled_at),
             "test_institution": m.test_institution, "vaccine_doses": m.vaccine_doses,
             "vaccine_records": _doses(m.vaccine_records)} for m, name in found]
    return cut(rows, limit)


def _doses(records: object) -> str:
    """A group snapshot's vaccine records ([{dose, on, manufacturer, site}]) as one line."""
    if not isinstance(records, list):
        return ""
    return gettext("；").join(
        " ".join(str(part) for part in (gettext("第%(dose)s针", dose=r.get("dose")), r.get("on"), r.get("manufacturer"),
                                        r.get("site")) if part)
        for r in records if isinstance(r, dict))


_ENDED = {"withdrawn": N_("本人撤回授权"), "removed": N_("被管理员移出团体")}


def group_consents(session: Session, person: Person, limit: int) -> Rows:
    found = session.scalars(select(GroupConsent).where(GroupConsent.person_id == person.id)
                            .order_by(GroupConsent.granted_at.desc(), GroupConsent.id.desc()).limit(limit + 1))
    rows = [{"group": c.group_name, "scope": gettext("、").join(str(tr(item)) for item in c.scope or []),
             "agreement_version": c.agreement_version,
             "granted_at": local(c.granted_at), "ended_at": local(c.ended_at),
             "ended_reason": tr(_ENDED.get(c.ended_reason, c.ended_reason))} for c in found]
    return cut(rows, limit)


# -- 担任的角色, 工作记录 ------------------------------------------------------------------------------------------


def _role(kind: str, name, since, until, note, extra=None, contact=None) -> object:
    """One branch of the roles UNION: what the role is, of what, from when to when, a note; `extra` a second word
    for the note, `contact` a phone stored encrypted (the first branch types the column, so it is decrypted)."""
    return select(literal(kind, String).label("kind"), name.label("name"), since.label("since"),
                  until.label("until"), note.label("note"),
                  (literal("", String) if extra is None else extra).label("extra"),
                  (type_coerce(null(), Encrypted()) if contact is None else contact).label("contact"))


def roles(session: Session, person: Person, limit: int) -> Rows:
    pid = person.id
    empty = literal("", String)
    never = cast(null(), DateTime)  # typed, so SQLite's strings are read back as times in every branch
    parts = [
        _role("collector", School.name, Collector.created_at, never, func.coalesce(Organisation.name, empty))
        .select_from(Collector).join(School, School.id == Collector.school_id)
        .outerjoin(Organisation, Organisation.collector_id == Collector.id).where(Collector.person_id == pid),
        _role("school_admin", School.name, SchoolAdmin.created_at, never, empty)
        .select_from(SchoolAdmin).join(School, School.id == SchoolAdmin.school_id).where(SchoolAdmin.person_id == pid),
        _role("place_admin", Place.name, Place.created_at, never, empty, contact=Place.phone)
        .where(Place.admin_id == pid),
        _role("inspector", Place.name, PlaceStaff.bound_at, PlaceStaff.ended_at, empty)
        .select_from(PlaceStaff).join(Place, Place.id == PlaceStaff.place_id).where(PlaceStaff.person_id == pid),
        _role("institution_admin", Institution.name, Institution.created_at, never, empty, contact=Institution.phone)
        .where(Institution.admin_id == pid),
        _role("district_admin", DistrictAdmin.area_code, DistrictAdmin.appointed_at, DistrictAdmin.revoked_at, empty)
        .where(DistrictAdmin.person_id == pid),
        _role("grid_admin", Grid.name, Grid.created_at, never, Grid.status).where(Grid.admin_id == pid),
        _role("grid_worker", Grid.name, GridStaff.bound_at, GridStaff.ended_at,
              case((GridStaff.authorised.is_(True), gettext("已授权")), else_=empty))
        .select_from(GridStaff).join(Grid, Grid.id == GridStaff.grid_id).where(GridStaff.person_id == pid),
        _role("group_creator", Group.name, Group.created_at, never, empty).where(Group.creator_id == pid),
    ]
    if person.id_type == "id_card" and person.id_hash:
        # 管理员变更 links addressed to my 身份证 (by its digest), with the name the grid admin typed. grid_handover
        # has no index on the digest: it holds one row per link a grid admin made (a few per grid), read whole.
        parts.append(_role("grid_successor", Grid.name, GridHandover.created_at,
                           func.coalesce(GridHandover.accepted_at, GridHandover.expires_at),
                           case((GridHandover.accepted_at.is_not(None), "accepted"), else_=empty),
                           GridHandover.successor_name)
                     .select_from(GridHandover).join(Grid, Grid.id == GridHandover.grid_id)
                     .where(GridHandover.successor_id_hash == person.id_hash))
    if person.name_verified_at is not None and person.phone_hash:  # 医护人员: a row holding their name and phone
        parts.append(_role("medical_staff", MedicalStaff.unit, MedicalStaff.enabled_at, MedicalStaff.revoked_at,
                           MedicalStaff.position)
                     .where(MedicalStaff.name == person.name, MedicalStaff.phone_hash == person.phone_hash))
    combined = union_all(*parts).subquery()
    found = session.execute(select(combined).order_by(combined.c.since.desc()).limit(limit + 1)).all()
    rows = []
    if person.is_operator:
        rows.append({"role": gettext("平台运营"), "name": "", "since": None, "until": None, "note": ""})
    for kind, name, since, until, note, extra, contact in found:
        if kind == "district_admin":
            name, note = areas.full_name(name) or name, tr(LEVEL_LABELS.get(len(name), ""))
        elif kind == "grid_admin":
            note = tr(STATUS_LABELS.get(note, note))
        elif kind == "grid_successor":
            note = (gettext("网格管理员填写的接任人姓名：%(name)s；已接任", name=extra) if note == "accepted"
                    else gettext("网格管理员填写的接任人姓名：%(name)s；未接任", name=extra))
        if contact:
            note = gettext("联系手机号：%(phone)s", phone=own_phone(person, contact))
        rows.append({"role": tr(ROLE_NAMES[kind]), "name": name, "since": local(since), "until": local(until),
                     "note": note})
    return cut(rows, limit)


ROLE_NAMES = {"collector": N_("学校采集员"), "school_admin": N_("学校管理员"), "place_admin": N_("公共场所管理员"),
              "inspector": N_("公共场所检测员"), "institution_admin": N_("组织机构管理员"),
              "district_admin": N_("区划管理员"),
              "grid_admin": N_("网格管理员"), "grid_worker": N_("网格员"), "group_creator": N_("团体创建人"),
              "medical_staff": N_("医护人员"), "grid_successor": N_("网格管理员变更（邀请您接任）")}


def _collector_schools(pid: int):
    return select(Collector.school_id).where(Collector.person_id == pid)  # one school a collector (unique person)


# What the person did in a role, counted (the records themselves are about the people they checked, visited,
# reported or declared for), each count through an index: on its column, or — daily_report and teacher_declaration
# have none on who wrote them, and only a school's collector writes either — through the school the person collects
# for (daily_report by organisation, teacher_declaration by school). A declaration made for someone else is found by
# the partial index on actor_id WHERE actor_id <> person_id (q16a00000001), which the condition repeats as is.
_WORK = (
    ("checks", N_("作为检测员记录的体温检测"), TemperatureCheck.inspector_id, lambda pid: []),
    ("visits", N_("作为网格员登记的入户记录"), GridVisit.worker_id, lambda pid: []),
    ("reports", N_("作为采集员提交的每日报告"), DailyReport.submitted_by_id,
     lambda pid: [DailyReport.organisation_id.in_(
        select(Organisation.id).where(Organisation.school_id.in_(_collector_schools(pid))))]),
    ("for_others", N_("作为代填人或采集员为他人提交的学校健康申报"), Declaration.actor_id,
     lambda pid: [Declaration.actor_id != Declaration.person_id]),
    ("for_family", N_("为家庭成员提交的个人健康申报"), PersonalDeclaration.actor_id,
     lambda pid: [PersonalDeclaration.actor_id != PersonalDeclaration.person_id]),
    ("teacher_changes", N_("外籍教师信息变动申报"), TeacherDeclaration.actor_id,
     lambda pid: [TeacherDeclaration.school_id.in_(_collector_schools(pid))]),
    ("notices", N_("作为医护人员出具的解除医学观察告知书"), ObservationNotice.issuer_id, lambda pid: []),
    ("cap_alerts", N_("医护人员达到每日出具上限的提醒"), MedicalAlert.person_id, lambda pid: []),
)


def work(session: Session, person: Person, limit: int) -> Rows:
    pid = person.id
    counts = session.execute(select(*(
        select(func.count()).select_from(column.class_).where(column == pid, *scope(pid)).scalar_subquery().label(key)
        for key, _label, column, scope in _WORK
    ))).one()
    rows = [{"what": tr(label), "count": count}
            for (_key, label, *_), count in zip(_WORK, counts, strict=True) if count]
    return cut(rows, limit)


# -- 登录, 查阅记录, 消息与反馈 -------------------------------------------------------------------------------------


def sessions(session: Session, person: Person, limit: int) -> Rows:
    found = session.scalars(select(LoginSession.created_at).where(LoginSession.person_id == person.id)
                            .order_by(LoginSession.created_at.desc(), LoginSession.id.desc()).limit(limit + 1))
    return cut([{"created_at": local(at)} for at in found], limit)


def reads(session: Session, person: Person, limit: int) -> Rows:
    """查阅记录, as services/audit.reads_of reads them, the reader named as elsewhere here (a deleted reader as
    已注销用户)."""
    found = session.execute(
        select(AuditLog.role, AuditLog.context, AuditLog.action, AuditLog.created_at, Person.name, Person.id_type)
        .join(Person, Person.id == AuditLog.actor_id)
        .where(AuditLog.subject_id == person.id)
        .order_by(AuditLog.created_at.desc(), AuditLog.id.desc()).limit(limit + 1)
    ).all()
    rows = [{"at": local(at), "role": audit.role_label(role), "context": audit.context_label(context, role),
             "reader": named(name, id_type), "action": audit.action_label(action)}
            for role, context, action, at, name, id_type in found]
    return cut(rows, limit)


def messages(session: Session, person: Person, limit: int) -> Rows:
    found = session.scalars(select(Message).where(Message.person_id == person.id)
                            .order_by(Message.created_at.desc(), Message.id.desc()).limit(limit + 1))
    rows = [{"created_at": local(m.created_at), "kind": tr(MESSAGE_KINDS.get(m.kind, m.kind)), "text": m.text,
             "read_at": local(m.read_at)} for m in found]
    return cut(rows, limit)


def feedback(session: Session, person: Person, limit: int) -> Rows:
    found = session.scalars(select(Feedback).where(Feedback.person_id == person.id)
                            .order_by(Feedback.created_at.desc(), Feedback.id.desc()).limit(limit + 1))
    return cut([{"created_at": local(f.created_at), "text": f.text} for f in found], limit)

"""注销账号, before the deletion (issue 16 item 2; SPEC P6, P10): what goes and what is kept, in plain words with how
many rows; which 家庭成员 go with the account; the roles to hand over first (blockers) and the request to the
operators when only they can help; the SMS code that confirms. The deletion itself is services/account_deletion.

Every count on the page reads an index (issue 16 review, finding 6): what would scan a large table is named
without a number (the reads the person made of others' data: audit_log.actor_id is not indexed, for its bulk
inserts; the reports and 外籍教师申报 the person submitted).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import String, case, exists, func, literal, or_, select, union_all
from sqlalchemy.orm import Session, aliased, joinedload

from yks_web.config import RETENTION_DAYS
from yks_web.i18n import N_, gettext
from yks_web.models.consent import DeclarationNotice
from yks_web.models.declaration import Declaration, ReportEntry
from yks_web.models.grid import DistrictAdmin, Grid, GridStaff, GridVisit
from yks_web.models.group import Group, GroupConsent, GroupMember
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
from yks_web.models.institution import Institution, InstitutionMember
from yks_web.models.medical import MedicalObservation, MedicalStaff
from yks_web.models.messages import Message
from yks_web.models.people import AuditLog, Feedback, Person, SmsChallenge
from yks_web.models.place import Place, PlaceStaff
from yks_web.models.school import Collector, Membership, Organisation, ProxyBinding, School, SchoolAdmin
from yks_web.models.sessions import LoginSession
from yks_web.services import areas, sms
from yks_web.services.identity import make_identity

NOT_SENT = N_("请先获取验证码")
NO_PHONE = N_("您的账号未绑定手机号，无法发送验证码，请退出后重新实名认证")
CONFIRM_REQUIRED = N_("请勾选确认：注销后以上数据将被删除且无法恢复")
# A Feedback row that starts so is the person's request (the operators read 反馈)
REQUEST_PREFIX = "【注销账号申请】"  # i18n: data

# Every role of services/access.ROLES, by what deleting the account does to it (tests/services/
# test_account_deletion.py fails when a role is added without being placed here).
BLOCKING_ROLES = {  # must be handed over first: others depend on the person holding it
    "collector", "school_admin", "place_admin", "institution_admin", "medical_staff", "district_admin",
    "grid_admin", "group_creator", "operator",  # operator: only the last one blocks
}
ENDING_ROLES = {  # the binding simply ends with the account
    "member", "proxy", "family_owner", "inspector", "institution_member", "grid_worker", "grid_authorised",
    "group_admin", "group_member",
}
OTHER_ROLES = {  # nothing to hand over: the gate itself, or what follows from another role
    "public", "person", "scanner", "invitee",
}


@dataclass(frozen=True)
class Line:
    """One kind of data in plain words, how many rows of it there are (None: not counted), and why it is kept."""

    what: str
    count: int | None = None
    why: str = ""


@dataclass(frozen=True)
class FamilyFate:
    """A 家庭成员 the person added: the name the person gave them, whether they go with the account, and why not."""

    name: str
    relation: str
    goes: bool
    why: str = ""


@dataclass(frozen=True)
class Plan:
    deleted: list[Line]
    kept: list[Line]
    family: list[FamilyFate]

    @property
    def family_going(self) -> list[FamilyFate]:
        return [f for f in self.family if f.goes]

    @property
    def family_staying(self) -> list[FamilyFate]:
        return [f for f in self.family if not f.goes]


FAMILY_RULE = N_("您添加的家庭成员如果从未自己实名认证登录过、没有其他家庭成员管理人添加、也没有加入学校班级等组织，"
                  "他们的信息只属于您的账号，将随您的账号一并删除；否则他们是独立的用户，只删除您与他们的家庭成员关系。")


def _days(retention_days: Mapping[str, object] | None, kind: str) -> int:
    raw = (retention_days or {}).get(kind, RETENTION_DAYS[kind])
    try:
        return int(str(raw).strip())
    except ValueError:
        return RETENTION_DAYS[kind]


def _count(model, *where):
    return select(func.count()).select_from(model).where(*where).scalar_subquery()


def what_happens(session: Session, person: Person, retention_days: Mapping[str, object] | None = None) -> Plan:
    """In plain words: what deleting the account deletes, what is kept and why (with how many rows), and what becomes
    of each 家庭成员 the person added. Two queries, whatever the amount of data; every count reads an index."""
    pid = person.id
    submitted = select(ReportEntry.declaration_id).where(
        ReportEntry.person_id == pid, ReportEntry.declaration_id.is_not(None))
    counts = session.execute(select(
        _count(Declaration, Declaration.person_id == pid, Declaration.id.not_in(submitted)).label("declarations"),
        _count(PersonalDeclaration, PersonalDeclaration.person_id == pid).label("personal"),
        _count(TemperatureCheck, TemperatureCheck.person_id == pid).label("checks"),
        _count(FamilyMember, or_(FamilyMember.owner_id == pid, FamilyMember.member_id == pid)).label("family"),
        _count(ProxyBinding, or_(ProxyBinding.proxy_id == pid, ProxyBinding.declarant_id == pid)).label("proxies"),
        _count(Membership, Membership.person_id == pid).label("memberships"),
        _count(GroupMember, GroupMember.person_id == pid).label("groups"),
        _count(GroupConsent, GroupConsent.person_id == pid).label("consents"),
        (_count(PlaceStaff, PlaceStaff.person_id == pid) + _count(InstitutionMember, InstitutionMember.person_id == pid)
         + _count(GridStaff, GridStaff.person_id == pid)).label("bindings"),
        _count(GridVisit, GridVisit.person_id == pid).label("visits"),  # as 我的数据 lists them
        (_count(HealthCode, HealthCode.person_id == pid) + _count(NucleicAcidTest, NucleicAcidTest.person_id == pid)
         + _count(Vaccination, Vaccination.person_id == pid)
         + _count(EntryRegistration, EntryRegistration.person_id == pid)
         + _count(MedicalObservation, MedicalObservation.person_id == pid)
         + _count(ObservationNotice, ObservationNotice.person_id == pid)).label("health"),
        (_count(DeclarationNotice, DeclarationNotice.person_id == pid) + _count(Message, Message.person_id == pid)
         + _count(Feedback, Feedback.person_id == pid)).label("notices"),
        _count(LoginSession, LoginSession.person_id == pid).label("sessions"),
        _count(ReportEntry, ReportEntry.person_id == pid).label("entries"),
        # `actor_id <> person_id` repeated: the partial indexes (migration q16a00000001) hold only these rows
        (_count(Declaration, Declaration.actor_id == pid, Declaration.actor_id != Declaration.person_id)
         + _count(PersonalDeclaration, PersonalDeclaration.actor_id == pid,
                  PersonalDeclaration.actor_id != PersonalDeclaration.person_id)).label("for_others"),
        (_count(TemperatureCheck, TemperatureCheck.inspector_id == pid) + _count(GridVisit, GridVisit.worker_id == pid)
         + _count(ObservationNotice, ObservationNotice.issuer_id == pid)).label("work"),
        _count(AuditLog, AuditLog.subject_id == pid).label("read_of_me"),
    )).one()._mapping
    days = {kind: _days(retention_days, kind) for kind in ("reports", "audit_log", "checkins", "grid_visits")}
    deleted = [
        Line(gettext("实名信息：姓名、证件号码、手机号")),
        Line(gettext("登录状态：所有设备上的登录（全部退出）"), counts["sessions"]),
        Line(gettext("您本人的学校健康申报（未计入已提交报告的）"), counts["declarations"]),
        Line(gettext("您的健康申报历史（粤康码健康申报、组织机构成员申报）"), counts["personal"]),
        Line(gettext("家庭成员关系（您添加的和添加您的）及其验证码"), counts["family"]),
        Line(gettext("代填关系（您代填的申报人、代您填报的人）"), counts["proxies"]),
        Line(gettext("学校班级/部门的成员身份"), counts["memberships"]),
        Line(gettext("团体成员身份、在团体中的健康信息快照及授权记录"), counts["groups"] + counts["consents"]),
        Line(gettext("公共场所检测员、组织机构成员、网格员的绑定"), counts["bindings"]),
        Line(gettext("本应用保存的健康码、核酸、疫苗、入粤登记、医学观察及解除告知书"), counts["health"]),
        Line(gettext("代申报通知、站内消息、帮助与反馈"), counts["notices"]),
        Line(gettext("短信验证码，以及按您的手机号、账号计的频率限制记录")),
    ]
    kept = [
        Line(gettext("采集员已提交给学校的每日报告中关于您的记录"), counts["entries"],
             gettext("报告一经提交不可修改，学校须按期保存（%(days)s天后删除），报告的统计数字不变。计入其中的申报只保留"
                     "统计所需的答案，不再有您的姓名、证件号码和备注，显示为“已注销用户”；报告备注和未填报原因中您的姓名"
                     "（包括班级、代填人、家人为您填写的姓名）改为“***”。", days=days["reports"])),
        Line(gettext("场所的体温检测与打卡记录"), counts["checks"],
             gettext("这是场所的防疫登记，保留至保留期满（%(days)s天后删除），场所的统计数字不变。只保留时间、场所、"
                     "结果和统计所需的性别、出生年份，不再有您的姓名和证件号码，显示为“已注销用户”。",
                     days=days["checkins"])),
        Line(gettext("网格员入户登记的关于您的记录"), counts["visits"],
             gettext("这是网格的入户排查记录，保留至保留期满（%(days)s天后删除），网格的统计数字不变。姓名、"
                     "证件号码、电话和住址删除，显示为“已注销用户”；网格员录入了您的证件号码、但姓名不符而未关联到您的登记，"
                     "证件号码同样删除。", days=days["grid_visits"])),
        Line(gettext("您代他人填报的申报（代填人、家长、采集员代填、家庭成员代申报）"), counts["for_others"],
             gettext("这些申报属于被申报的人，保留；填报人显示为“已注销用户”。")),
        Line(gettext("您在工作中留下的记录（体温检测、入户登记、出具的解除告知书）"), counts["work"],
             gettext("这些记录属于被检测、被登记的人和所在单位，保留；操作人显示为“已注销用户”。")),
        Line(gettext("您提交给学校的每日报告和外籍教师申报"), None,
             gettext("报告和申报属于学校，保留至保留期满；提交人显示为“已注销用户”。")),
        Line(gettext("他人查阅您的信息的记录"), counts["read_of_me"],
             gettext("查阅记录须保存至保留期满（%(days)s天），以便核查谁看过谁的信息；被查阅人显示为“已注销用户”。",
                     days=days["audit_log"])),
        Line(gettext("您查阅他人信息的记录"), None,
             gettext("保留在被查阅人的查阅记录中（%(days)s天），查阅人显示为“已注销用户”：查阅过他人信息的人"
                     "始终可以核查。", days=days["audit_log"])),
        Line(gettext("实名认证数据源中的记录"),
             why=gettext("这是公安等部门实名认证数据源中的记录，不是本账号的数据，不会删除。注销后再次实名认证，您将是一位"
                         "新用户，看不到以前的任何数据。")),
    ]
    return Plan(deleted, kept, _family_fates(session, pid))


# -- 家庭成员 who go with the account ---------------------------------------------------------------------------


def _family_rows(session: Session, person_id: int):
    """Each link the person owns, with its member and why the member stays (the first reason that holds)."""
    other_owner = aliased(FamilyMember)
    m = aliased(Person)
    member_id = FamilyMember.member_id
    logged_in = or_(m.name_verified_at.is_not(None), m.phone_hash.is_not(None), m.is_operator.is_(True),
                    exists().where(other_owner.owner_id == member_id))
    has_other_owner = exists().where(other_owner.member_id == member_id, other_owner.owner_id != person_id)
    in_organisation = exists().where(Membership.person_id == member_id)
    health_hold = or_(exists().where(HealthCode.person_id == member_id, HealthCode.colour != "green"),
                      exists().where(MedicalObservation.person_id == member_id,
                                     MedicalObservation.released_at.is_(None)))
    why = case(  # stored as the msgid; _family_fates translates it
        (logged_in, N_("已自己实名认证登录过，是独立的用户")),
        (has_other_owner, N_("还有其他家庭成员管理人")),
        (in_organisation, N_("已加入学校班级等组织，组织的记录属于学校")),
        (health_hold, N_("健康码非绿码或正在医学观察，须保留至解除")),
        else_="",
    )
    return session.execute(
        select(FamilyMember, why.label("why"))
        .join(m, m.id == member_id)
        .options(joinedload(FamilyMember.member))
        .where(FamilyMember.owner_id == person_id, member_id != person_id)
        .order_by(FamilyMember.id)
    ).all()


def _family_fates(session: Session, person_id: int) -> list[FamilyFate]:
    return [FamilyFate(link.shown_name, link.relation, not why, gettext(why) if why else "")
            for link, why in _family_rows(session, person_id)]


def going_family(session: Session, person_id: int) -> list[int]:
    """The 家庭成员 who go with the person's account (FAMILY_RULE)."""
    return [link.member_id for link, why in _family_rows(session, person_id) if not why]


# -- blockers ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Blocker:
    """A role to hand over first: `kind` (the screens link it), the role in words, what it is held on, how to hand it
    over, and the object's id (the place, grid, group …) for the link."""

    kind: str
    role: str
    what: str
    how: str
    ref_id: int | None = None

    @property
    def needs_operator(self) -> bool:
        """Only the operators can end it (the person asks them with 【提交注销申请】)."""
        return self.kind in NEEDS_OPERATOR


# The whole text of each (the request's sentence repeated, never glued: the word order differs in translation).
_BLOCKER_WORDS = {
    "collector": (
        N_("采集员"),
        N_("采集员不能更换（每个组织由创建它的采集员负责），组织和其中的成员、申报记录属于学校，所以组织"
           "还在时您不能自己注销。运营人员会与学校管理员商定组织的去留后为您处理。请点下方【提交注销申请"
           "】，申请会记录在帮助与反馈中交给运营人员；在处理之前，您的账号和数据保持不变。"),
    ),
    "school_admin": (
        N_("学校管理员"),
        N_("您是该校唯一的学校管理员：运营人员为学校发放新的学校管理员邀请，接任的学校管理员加入后您即可"
           "注销。请点下方【提交注销申请】，申请会记录在帮助与反馈中交给运营人员；在处理之前，您的账号和"
           "数据保持不变。"),
    ),
    "place_admin": (
        N_("公共场所管理员"),
        N_("请在【成员管理】中通过【更换绑定】把场所交给一名检测员，对方确认后即可注销。"),
    ),
    "institution_admin": (
        N_("组织机构管理员"),
        N_("组织机构管理员不能更换，机构的成员和申报记录属于该机构，所以您不能自己注销。运营人员会与该机"
           "构商定后为您处理。请点下方【提交注销申请】，申请会记录在帮助与反馈中交给运营人员；在处理之前"
           "，您的账号和数据保持不变。"),
    ),
    "grid_admin": (
        N_("网格管理员"),
        N_("请通过【管理员变更】把网格交给继任管理员（对方实名认证后确认），或【解散网格】。"),
    ),
    "district_admin": (
        N_("区划管理员"),
        N_("请上级区划管理员撤销您的任命并任命接任者；市级区划管理员由运营人员撤销。请点下方【提交注销申"
           "请】，申请会记录在帮助与反馈中交给运营人员；在处理之前，您的账号和数据保持不变。"),
    ),
    "group_creator": (
        N_("团体创建人"),
        N_("团体还有其他成员：请先在【成员管理】中取消管理员、再删除其他成员，之后团体随您的账号一并删除"
           "（成员的授权记录仍留给他们本人查看）。"),
    ),
    "medical_staff": (
        N_("医护人员"),
        N_("运营人员撤销您的医护人员权限后，您即可注销。请点下方【提交注销申请】，申请会记录在帮助与反馈"
           "中交给运营人员；在处理之前，您的账号和数据保持不变。"),
    ),
    "operator": (
        N_("运营人员"),
        N_("您是本应用唯一的运营人员：请先在服务器上运行 flask yks make-operator"
           " 指定另一位运营人员，之后即可注销。"),
    ),
    "health_code": (
        N_("健康码"),
        N_("防疫管控期间的记录须保留：健康码转为绿码后再注销。"),
    ),
    "observation": (
        N_("医学观察"),
        N_("防疫管控期间的记录须保留：医学观察解除（医护人员出具解除告知书）后再注销。"),
    ),
}
NEEDS_OPERATOR = {"collector", "school_admin", "institution_admin", "district_admin", "medical_staff"}
COLOUR_WORDS = {"red": N_("红码"), "yellow": N_("黄码")}


def _blocker_rows(person: Person):
    pid = person.id
    text = String(200)
    other_admin, other_person = aliased(SchoolAdmin), aliased(Person)
    branches = [
        select(literal("collector", text), Organisation.name, Organisation.id)
        .join(Collector, Collector.id == Organisation.collector_id).where(Collector.person_id == pid),
        select(literal("school_admin", text), School.name, School.id)
        .join(SchoolAdmin, SchoolAdmin.school_id == School.id)
        .where(SchoolAdmin.person_id == pid,
               ~exists().where(other_admin.school_id == School.id, other_admin.person_id != pid)),
        select(literal("place_admin", text), Place.name, Place.id).where(Place.admin_id == pid),
        select(literal("institution_admin", text), Institution.name, Institution.id).where(Institution.admin_id == pid),
        select(literal("grid_admin", text), Grid.name, Grid.id).where(Grid.admin_id == pid),
        select(literal("district_admin", text), DistrictAdmin.area_code, DistrictAdmin.id)
        .where(DistrictAdmin.person_id == pid, DistrictAdmin.revoked_at.is_(None)),
        # only people in the group now: ended consents are their owners' records and stay (account_deletion)
        select(literal("group_creator", text), Group.name, Group.id)
        .where(Group.creator_id == pid,
               exists().where(GroupMember.group_id == Group.id, GroupMember.person_id != pid)),
        select(literal("health_code", text), HealthCode.colour, HealthCode.id)
        .where(HealthCode.person_id == pid, HealthCode.colour != "green"),
        select(literal("observation", text), MedicalObservation.reason, MedicalObservation.id)
        .where(MedicalObservation.person_id == pid, MedicalObservation.released_at.is_(None)),
    ]
    if person.is_operator:  # the last operator (a scan of person only for an operator, who is rare)
        branches.append(
            select(literal("operator", text), literal("本应用", text), literal(None))  # i18n: data (unused)
            .where(~exists().where(other_person.is_operator.is_(True), other_person.id != pid)))
    if person.phone_hash:
        branches.append(
            select(literal("medical_staff", text), MedicalStaff.unit, MedicalStaff.id)
            .where(MedicalStaff.name == person.name, MedicalStaff.phone_hash == person.phone_hash,
                   MedicalStaff.revoked_at.is_(None)))
    return union_all(*branches)


def _what(kind: str, name: str) -> str:
    if kind == "district_admin":
        return gettext("%(area)s的区划管理员", area=areas.full_name(name) or name)
    if kind == "health_code":
        return gettext("您的健康码为%(colour)s", colour=gettext(COLOUR_WORDS[name]) if name in COLOUR_WORDS else name)
    if kind == "observation":
        return gettext("您正在医学观察中（%(reason)s）", reason=name)
    if kind == "medical_staff":
        return gettext("%(unit)s的医护人员", unit=name)
    if kind == "operator":
        return gettext("本应用唯一的运营人员")
    return gettext("%(name)s的%(role)s", name=name, role=gettext(_BLOCKER_WORDS[kind][0]))


def blockers(session: Session, person: Person) -> list[Blocker]:
    """The roles the person must hand over before the account can go, in words, with how (one query)."""
    return [Blocker(kind, gettext(_BLOCKER_WORDS[kind][0]), _what(kind, name), gettext(_BLOCKER_WORDS[kind][1]), ref_id)
            for kind, name, ref_id in session.execute(_blocker_rows(person)).all()]


def requested_at(session: Session, person: Person) -> datetime | None:
    """When the person asked the operators to delete the account (【提交注销申请】), if they did."""
    return session.scalar(select(func.max(Feedback.created_at)).where(
        Feedback.person_id == person.id, Feedback.text.startswith(REQUEST_PREFIX, autoescape=True)))


def request_deletion(session: Session, person: Person, found: list[Blocker], utc_now: datetime) -> bool:
    """【提交注销申请】: a Feedback row naming what only the operators can end (once: False when already asked, or
    when nothing needs them). The caller commits."""
    roles = [b.what for b in found if b.needs_operator]
    if not roles or requested_at(session, person) is not None:
        return False
    text = (f"{REQUEST_PREFIX}{person.name}（{person.masked_id}）申请注销账号，"  # i18n: data (for the operators)
            f"须先处理：{'；'.join(roles)}")  # i18n: data
    session.add(Feedback(person_id=person.id, text=text[:500], created_at=utc_now))
    return True


# -- the SMS confirmation ----------------------------------------------------------------------------------------


def send_code(session: Session, sender: sms.SmsSender, person: Person, *, ip: str, utc_now: datetime):
    """获取验证码: a code to the person's own verified phone (purpose ACCOUNT_DELETE), with the login's limits.
    Returns (challenge, code); SmsError when the person has no phone or beyond the limits. The caller commits."""
    if not person.phone:
        raise sms.SmsError(gettext(NO_PHONE))
    identity = make_identity(person.name, person.id_type, person.id_number)
    return sms.issue_code(session, sender, identity, person.phone, ip, utc_now, sms.ACCOUNT_DELETE)


def check_code(session: Session, person: Person, challenge_id: object, code: str, utc_now: datetime) -> None:
    """The code proves the person holds their phone now; SmsError with the reason otherwise (the try counts, as at
    login: the caller commits either way). `challenge_id` is what the person's own session holds for this purpose,
    so a code sent for anything else is never accepted here."""
    challenge = session.get(SmsChallenge, challenge_id) if isinstance(challenge_id, int) else None
    if (challenge is None or not person.phone_hash or challenge.phone_hash != person.phone_hash
            or (challenge.id_type, challenge.id_number) != (person.id_type, person.id_number)):
        raise sms.SmsError(gettext(NOT_SENT))
    sms.verify_code(session, challenge, code, utc_now)

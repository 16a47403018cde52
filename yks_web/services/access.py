"""Who may do what (SPEC P7, P9; issue 8 items 8 and 12): the roles, their predicates, every endpoint's roles.

A role is a name, the cheap gate it implies and a predicate `holds(session, person, subject) -> bool`:

- the gate is what can be decided from the logged-in Person row alone ("public": anyone; "person":
  logged in; "operator": Person.is_operator). yks_web/access_setup.py enforces it before every request
  from ENDPOINTS below, with no SQL beyond the user load Flask-Login does anyway: anonymous → the login
  page, an operator-only endpoint → 404 for everyone else, an endpoint missing here → 404.
- the predicate is the rest. Account roles (scanner) hold whatever the object; object roles hold on one
  object (collector of an organisation, school admin of a school, member, proxy, family owner, invitee).
  Each blueprint package has one loader that fetches the object and checks its role through the
  functions here (workbench.my_org, school.admin_school, declare.load_org/declaring_as/own_binding,
  code.shown_person, …), answering 404 — one status for "not yours", never 403.

The coming roles need no new mechanism, only rows and predicates: a role is a row, never a flag on
Person (STYLE), so each issue adds its Role to ROLES with a predicate reading its row —
  place_admin, inspector     Place.admin_id, PlaceStaff        scope "place"     (loader places.place_for)  [built]
  grid_admin, grid_worker    Grid.admin_id, GridStaff          scope "grid"      (loader grid.grid_for)  [built]
  institution_admin, _member Institution.admin_id, InstitutionMember  scope "institution"  (loader
                             institution.institution_for)  [built]
  district_admin             DistrictAdmin(area, person)       scope "area"      (grid.grid_for, its area)  [built]
  medical_staff              MedicalStaff(name, phone hash)    an account role  (loader medical.current_staff)  [built]
  group_creator, group_admin GroupMember(group, person, role)  scope "group"     (loader group.group_for)
— lists its endpoints in ENDPOINTS with those role names, and the package loader calls
`holds(session, person, "inspector", place_id)`. Scanning a code is itself a role: SCANNERS holds the
predicates that entitle an account to resolve a 粤康码 (operators, inspectors, medical staff); grid workers
will append theirs and the resolver follows; a screen that scans for one role says so (code_scans'
`as_role`), so the audit names the role the person was scanned in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from yks_web.models.declaration import Declaration
from yks_web.models.grid import Grid, GridStaff
from yks_web.models.institution import Institution, InstitutionMember
from yks_web.models.place import Place, PlaceStaff
from yks_web.models.school import Collector, Membership, Organisation, ProxyBinding, SchoolAdmin
from yks_web.services import district_admins, family, medical_staff

Gate = Literal["public", "person", "operator"]
GATE_ORDER: tuple[Gate, ...] = ("public", "person", "operator")


# -- predicates: plain functions, one per question ---------------------------------------------------------


def is_operator(person: Any) -> bool:
    """平台运营 (W1, H2): a flag set by the CLI; read from the loaded user, so it costs no query."""
    return bool(getattr(person, "is_authenticated", False) and getattr(person, "is_operator", False))


def _operator_scans(session: Session, person: Any) -> bool:
    return is_operator(person)


def place_admin_of(session: Session, person_id: int, place_id: int) -> bool:
    """公共场所管理员 of this place (O2): the place's one admin."""
    return session.scalar(select(Place.id).where(Place.id == place_id, Place.admin_id == person_id)) is not None


def inspector_of(session: Session, person_id: int, place_id: int) -> bool:
    """公共场所检测员 of this place (O2): an active binding by the 场所申报码."""
    return session.scalar(
        select(PlaceStaff.id).where(
            PlaceStaff.place_id == place_id, PlaceStaff.person_id == person_id, PlaceStaff.active.is_(True),
        )
    ) is not None


def institution_admin_of(session: Session, person_id: int, institution_id: int) -> bool:
    """组织机构管理员 of this institution (O1): the institution's one admin."""
    return session.scalar(
        select(Institution.id).where(Institution.id == institution_id, Institution.admin_id == person_id)
    ) is not None


def institution_member_of(session: Session, person_id: int, institution_id: int) -> bool:
    """组织机构成员 of this institution (O1): an active binding by the 组织机构申报码."""
    return session.scalar(
        select(InstitutionMember.id).where(
            InstitutionMember.institution_id == institution_id, InstitutionMember.person_id == person_id,
            InstitutionMember.active.is_(True),
        )
    ) is not None


def grid_admin_of(session: Session, person_id: int, grid_id: int) -> bool:
    """网格管理员 of this grid (O6): the grid's one admin."""
    return session.scalar(select(Grid.id).where(Grid.id == grid_id, Grid.admin_id == person_id)) is not None


def grid_worker_of(session: Session, person_id: int, grid_id: int) -> bool:
    """网格员 of this grid (O6): an active binding by the 网格申报码."""
    return session.scalar(
        select(GridStaff.id).where(
            GridStaff.grid_id == grid_id, GridStaff.person_id == person_id, GridStaff.active.is_(True),
        )
    ) is not None


def _district_admin(session: Session, person: Any, area_code: str | None = None) -> bool:
    """区划管理员 (O6): of `area_code` (or an area containing it); without one, of any area."""
    if area_code is None:
        return district_admins.is_district_admin(session, person.id)
    return district_admins.covers(session, person.id, area_code)


def _inspector_scans(session: Session, person: Any) -> bool:
    """An inspector of any place may resolve a code; which place it is recorded for is the scan's own check."""
    return session.scalar(
        select(PlaceStaff.id).where(PlaceStaff.person_id == person.id, PlaceStaff.active.is_(True)).limit(1)
    ) is not None


def _medical_staff(session: Session, person: Any, subject: Any = None) -> bool:
    """医护人员 (O7): an active row the operator enabled holds the user's verified name and phone (one query)."""
    return medical_staff.is_enabled(session, person)


# Who may resolve a scanned 粤康码, in order; the first that holds names the reader's role in the audit log.
# Grid workers join by appending ("grid_worker", predicate) here.
SCANNERS: list[tuple[str, Callable[[Session, Any], bool]]] = [
    ("operator", _operator_scans),
    ("inspector", _inspector_scans),
    ("medical_staff", _medical_staff),
]


def scanning_role(session: Session, person: Any) -> str | None:
    """The role under which `person` may scan codes (the audit log's role), or None (issue 8 item 8)."""
    if not getattr(person, "is_authenticated", False):
        return None
    return next((name for name, holds in SCANNERS if holds(session, person)), None)


def holds_scanning_role(session: Session, person: Any, role: str) -> bool:
    """Whether `person` may scan codes as `role` in particular (one of SCANNERS' names)."""
    if not getattr(person, "is_authenticated", False):
        return False
    return any(name == role and holds(session, person) for name, holds in SCANNERS)


def may_scan(session: Session, person: Any) -> bool:
    return scanning_role(session, person) is not None


def collector_org(session: Session, person_id: int) -> Organisation | None:
    """The one organisation `person_id` collects for (W2), with what every workbench screen shows: one query."""
    return session.scalar(
        select(Organisation)
        .join(Collector, Collector.id == Organisation.collector_id)
        .options(joinedload(Organisation.school), joinedload(Organisation.collector).joinedload(Collector.person))
        .where(Collector.person_id == person_id)
    )


def school_admin_of(session: Session, person_id: int, school_id: int) -> bool:
    """学校管理员 of this school (W1, W11)."""
    return session.scalar(
        select(SchoolAdmin.id).where(SchoolAdmin.school_id == school_id, SchoolAdmin.person_id == person_id).limit(1)
    ) is not None


def ever_member(session: Session, org_id: int, person_id: int) -> bool:
    """A member of the organisation now or before (S9: a leaver still sees the form, which says so)."""
    return session.scalar(
        select(Membership.id).where(Membership.organisation_id == org_id, Membership.person_id == person_id).limit(1)
    ) is not None


def proxy_binding(session: Session, proxy_id: int, declarant_id: int, org_id: int) -> ProxyBinding | None:
    """代填人: the proxy's active binding to the declarant in this organisation (S4, S6)."""
    return session.scalar(
        select(ProxyBinding).where(
            ProxyBinding.proxy_id == proxy_id, ProxyBinding.declarant_id == declarant_id,
            ProxyBinding.organisation_id == org_id, ProxyBinding.active.is_(True),
        )
    )


def is_binding_proxy(binding: ProxyBinding | None, person_id: int) -> bool:
    """申报人列表 actions are for the binding's own proxy, while it is active."""
    return binding is not None and binding.active and binding.proxy_id == person_id


def may_see_declaration(declaration: Declaration | None, person_id: int) -> bool:
    """提交成功 is shown to who submitted it and to whom it is about."""
    return declaration is not None and person_id in (declaration.actor_id, declaration.person_id)


def may_show_code(session: Session, viewer_id: int, person_id: int) -> bool:
    """One's own code, or a consented family member's (H3, I7): delegates to services/family."""
    return family.may_show(session, viewer_id, person_id)


# -- roles ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Role:
    name: str
    label: str  # the guides' words, for 查阅记录 and messages
    gate: Gate  # what the before_request hook checks from the Person row alone
    scope: str  # "" for an account role, else the kind of object the role is held on
    holds: Callable[[Session, Any, Any], bool]  # (session, person, subject id or None) -> bool


def _logged_in(session: Session, person: Any, subject: Any = None) -> bool:
    return bool(getattr(person, "is_authenticated", False))


def _collects_for(session: Session, person: Any, org_id: int | None = None) -> bool:
    org = collector_org(session, person.id)
    return org is not None and (org_id is None or org.id == org_id)


ROLES: dict[str, Role] = {
    role.name: role
    for role in (
        Role("public", "任何人", "public", "", lambda s, p, o=None: True),
        Role("person", "本人", "person", "", _logged_in),
        Role("operator", "平台运营", "operator", "", lambda s, p, o=None: is_operator(p)),
        Role("scanner", "扫码查验人员", "person", "", lambda s, p, o=None: may_scan(s, p)),
        Role("collector", "采集员", "person", "organisation", _collects_for),
        Role("school_admin", "学校管理员", "person", "school", lambda s, p, o: school_admin_of(s, p.id, o)),
        Role("member", "组织成员", "person", "organisation", lambda s, p, o: ever_member(s, o, p.id)),
        Role("proxy", "代填人", "person", "binding",
             lambda s, p, o: is_binding_proxy(s.get(ProxyBinding, o), p.id)),
        Role("family_owner", "家庭成员管理人", "person", "person", lambda s, p, o: may_show_code(s, p.id, o)),
        # The card itself (live, of the right kind, for this organisation or school) is checked by the loaders
        # that read it: declare.require_invite, invite.open/accept, school.invites.school_invite.
        Role("invitee", "持邀请卡片者", "person", "invite", lambda s, p, o=None: _logged_in(s, p)),
        Role("place_admin", "公共场所管理员", "person", "place", lambda s, p, o: place_admin_of(s, p.id, o)),
        Role("inspector", "公共场所检测员", "person", "place", lambda s, p, o: inspector_of(s, p.id, o)),
        Role("institution_admin", "组织机构管理员", "person", "institution",
             lambda s, p, o: institution_admin_of(s, p.id, o)),
        Role("institution_member", "组织机构成员", "person", "institution",
             lambda s, p, o: institution_member_of(s, p.id, o)),
        Role("medical_staff", "医护人员", "person", "", _medical_staff),
        Role("district_admin", "区划管理员", "person", "area", _district_admin),
        Role("grid_admin", "网格管理员", "person", "grid", lambda s, p, o: grid_admin_of(s, p.id, o)),
        Role("grid_worker", "网格员", "person", "grid", lambda s, p, o: grid_worker_of(s, p.id, o)),
    )
}


def holds(session: Session, person: Any, role: str, subject: Any = None) -> bool:
    """Whether `person` holds `role` (on `subject`, for object roles). Unknown role names are a bug."""
    return ROLES[role].holds(session, person, subject)


# -- every endpoint and who may call it -------------------------------------------------------------------
# tests/blueprints/test_access_registry.py fails when app.url_map has an endpoint missing here.

_PUBLIC = frozenset({"public"})
_PERSON = frozenset({"person"})
_OPERATOR = frozenset({"operator"})
_COLLECTOR = frozenset({"collector"})
_SCHOOL_ADMIN = frozenset({"school_admin"})
_OWN_OR_FAMILY = frozenset({"person", "family_owner"})
_PLACE_ADMIN = frozenset({"place_admin"})
_INSPECTOR = frozenset({"inspector"})
_PLACE_STAFF = frozenset({"place_admin", "inspector"})
_MEDICAL = frozenset({"medical_staff"})
_GRID_ADMIN = frozenset({"grid_admin"})
_DISTRICT = frozenset({"district_admin"})

ENDPOINTS: dict[str, frozenset[str]] = {
    "static": _PUBLIC,
    # 粤康码 home, 个人中心, 帮助与反馈
    "home.index": _PUBLIC,
    "home.healthz": _PUBLIC,
    "home.me": _PERSON,
    "home.work_types": _PERSON,  # 防疫工作台 → 更多: 选择防疫工作类型
    "home.help_page": _PERSON,
    "home.help_post": _PERSON,
    "access_log.index": _PERSON,  # 查阅记录: only ever one's own reads (issue 8 item 9)
    # 实名认证: before and while logging in
    "auth.login": _PUBLIC,
    "auth.login_post": _PUBLIC,
    "auth.verify": _PUBLIC,
    "auth.verify_post": _PUBLIC,
    "auth.logout": _PUBLIC,
    "auth.logout_everywhere": _PERSON,  # 退出所有设备: one's own sessions (issue 8 item 4)
    "auth.logout_everywhere_post": _PERSON,
    # 粤康码: one's own, or a family member's (?member=); the resolver for scanners only
    "health_code.show": _OWN_OR_FAMILY,
    "health_code.qr_image": _OWN_OR_FAMILY,
    "health_code.guidance": _OWN_OR_FAMILY,
    "health_code.mine": _OWN_OR_FAMILY,
    "health_code.history": _OWN_OR_FAMILY,
    "health_code.declare": _OWN_OR_FAMILY,
    "health_code.declare_post": _OWN_OR_FAMILY,
    "health_code.declare_menu": _PERSON,
    "health_code.scan": frozenset({"scanner"}),  # an inspector's own camera app lands here too
    "health_code.resolve": frozenset({"scanner"}),
    # 添加/管理家庭成员
    "family.index": _PERSON,
    "family.add": _PERSON,
    "family.add_post": _PERSON,
    "family.remove": frozenset({"family_owner"}),  # 删除 / 撤回请求: the confirm screen, then 【确定】
    "family.remove_post": frozenset({"family_owner"}),
    # an adult's consent to a pending link (I7): the loader answers 404 for any link not the user's own request
    "family.consent_page": _PERSON,
    "family.consent_post": _PERSON,
    "family.send_code": _PERSON,
    # 谁可以代我操作, 代申报通知 (P10): only ever one's own links, bindings and notices (issue 8 item 2)
    "delegates.index": _PERSON,
    "delegates.accept": _PERSON,
    "delegates.refuse": _PERSON,
    "delegates.remove_family": _PERSON,
    "delegates.remove_family_post": _PERSON,
    "delegates.remove_proxy": _PERSON,
    "delegates.remove_proxy_post": _PERSON,
    "delegates.allow_proxy": _PERSON,
    "delegates.allow_proxy_post": _PERSON,
    "delegates.notice_list": _PERSON,
    "delegates.notices_read": _PERSON,
    # 学生/教职工个人健康申报 (member side)
    "declare.index": _PERSON,
    "declare.own": _PERSON,
    "declare.all_declarants": _PERSON,
    "declare.declarants": frozenset({"proxy", "invitee"}),
    "declare.confirm_self": frozenset({"member", "invitee"}),
    "declare.confirm_self_post": frozenset({"member", "invitee"}),
    "declare.proxy_identity": frozenset({"invitee"}),
    "declare.proxy_identity_post": frozenset({"invitee"}),
    "declare.confirm_proxy": frozenset({"invitee"}),
    "declare.confirm_proxy_post": frozenset({"invitee"}),
    "declare.form": frozenset({"member", "proxy"}),
    "declare.form_post": frozenset({"member", "proxy"}),
    "declare.done": frozenset({"member", "proxy"}),
    # each destructive action is a confirm screen (GET) and its 【确定】 (POST) (issue 9 item 3)
    "declare.remove_declarant": frozenset({"proxy"}),
    "declare.remove_declarant_post": frozenset({"proxy"}),
    "declare.declarant_leaves": frozenset({"proxy"}),
    "declare.declarant_leaves_post": frozenset({"proxy"}),
    "declare.leave": frozenset({"member"}),
    "declare.leave_post": frozenset({"member"}),
    # invite cards opened from a chat
    "invite.open": frozenset({"invitee"}),
    "invite.accept": frozenset({"invitee"}),
    # 学校采集员工作台 (the screens without an organisation yet say how to get one)
    "workbench.index": frozenset({"person", "collector"}),
    "workbench.create": frozenset({"person", "collector"}),
    "workbench.create_post": frozenset({"person", "collector"}),
    "workbench.guide": _PERSON,  # 操作指引: how-to text only, also read before one becomes a collector
    "workbench.invite_card": _COLLECTOR,
    "workbench.invite_qr": _COLLECTOR,
    "workbench.add_member": _COLLECTOR,
    "workbench.add_member_post": _COLLECTOR,
    "workbench.org_menu": _COLLECTOR,
    "workbench.modify_org": _COLLECTOR,
    "workbench.modify_org_post": _COLLECTOR,
    "workbench.manage_members": _COLLECTOR,
    "workbench.delete_members": _COLLECTOR,  # 【确认删除】 → 确定删除？ → 【确定】 (issue 9 item 3)
    "workbench.day_detail": _COLLECTOR,
    "workbench.member_detail": _COLLECTOR,
    "workbench.proxy_fill": _COLLECTOR,
    "workbench.proxy_fill_post": _COLLECTOR,
    "workbench.proxy_new": _COLLECTOR,
    "workbench.proxy_new_post": _COLLECTOR,
    "workbench.quick_fill": _COLLECTOR,
    "workbench.report_supplement": _COLLECTOR,
    "workbench.report_supplement_post": _COLLECTOR,
    "workbench.report_summary": _COLLECTOR,
    "workbench.report_submit": _COLLECTOR,
    "workbench.report_view": _COLLECTOR,
    "workbench.stat_members": _COLLECTOR,
    "workbench.teacher_list": _COLLECTOR,
    "workbench.teacher_add": _COLLECTOR,
    "workbench.teacher_add_post": _COLLECTOR,
    "workbench.teacher_edit": _COLLECTOR,
    "workbench.teacher_edit_post": _COLLECTOR,
    # 学校管理
    "school.index": _SCHOOL_ADMIN,
    "school.dashboard": _SCHOOL_ADMIN,
    "school.organisation_day": _SCHOOL_ADMIN,
    "school.member_day": _SCHOOL_ADMIN,
    "school.export": _SCHOOL_ADMIN,
    "school.invite_collector": _SCHOOL_ADMIN,
    "school.invite_card": _SCHOOL_ADMIN,
    "school.invite_qr": _SCHOOL_ADMIN,
    "school.teachers_index": _SCHOOL_ADMIN,
    "school.teacher_new": _SCHOOL_ADMIN,
    "school.teacher_new_post": _SCHOOL_ADMIN,
    "school.teacher_import": _SCHOOL_ADMIN,  # 导入 result, GET-able (issue 9 item 2)
    "school.teacher_import_post": _SCHOOL_ADMIN,
    "school.teacher_template": _SCHOOL_ADMIN,
    # 所在区域: the cascading picker's next level (static data; SPEC O0)
    "areas.picker": _PUBLIC,
    # 公共场所人员健康情况采集 (O2–O5): 公共场所管理员 and 公共场所检测员. The screens of one place check their role
    # through the loader places.place_for(place_id, *roles); the rest are about the user's own bindings.
    "places.index": _PERSON,
    "places.admin_home": frozenset({"person", "place_admin"}),  # 我的场所, or 创建场所 while there is none
    "places.create": _PERSON,
    "places.create_post": _PERSON,
    "places.edit": _PLACE_ADMIN,
    "places.edit_post": _PLACE_ADMIN,
    "places.members": _PLACE_ADMIN,
    "places.unbind_inspector": _PLACE_ADMIN,
    "places.unbind_inspector_post": _PLACE_ADMIN,
    "places.handover": _PLACE_ADMIN,
    "places.handover_post": _PLACE_ADMIN,
    "places.handover_cancel_post": _PLACE_ADMIN,
    "places.handover_offer": _PERSON,  # the offer made to the user (its loader answers 404 for anyone else's)
    "places.handover_accept_post": _PERSON,
    "places.handover_refuse_post": _PERSON,
    "places.admin_bind_self_post": _PLACE_ADMIN,
    "places.reissue_poster": _PLACE_ADMIN,
    "places.reissue_poster_post": _PLACE_ADMIN,
    "places.stats": _PLACE_ADMIN,
    "places.inspector_home": _PERSON,  # 我的场所 of the inspector: only the user's own bindings
    "places.bind": _PERSON,
    "places.bind_post": _PERSON,
    "places.manage": _PERSON,
    "places.leave": _INSPECTOR,
    "places.leave_post": _INSPECTOR,
    "places.check": _INSPECTOR,
    "places.scan_post": _INSPECTOR,
    "places.check_person": _INSPECTOR,
    "places.check_person_post": _INSPECTOR,
    "places.check_health": _INSPECTOR,
    "places.my_stats": _INSPECTOR,
    "places.poster_page": _PLACE_STAFF,
    "places.poster_png": _PLACE_STAFF,
    "places.poster_pdf": _PLACE_STAFF,
    # 体温正常快速打卡: the 葵花码's short URL; logging in first is the hook's (anonymous → 实名认证, then back)
    "checkin.open": _PERSON,
    "checkin.open_post": _PERSON,
    "checkin.done": _PERSON,
    # 组织机构 (issue 11, SPEC O1): 组织机构管理员 and 组织机构成员. The screens of one institution check their role
    # through the loader institution.institution_for(institution_id, *roles); the rest are about the user's own.
    "institution.index": _PERSON,
    "institution.entry_codes": _PERSON,  # the guide's two entry QR codes (图2-2, 图2-5), to print
    "institution.admin_home": frozenset({"person", "institution_admin"}),  # 组织机构, or 绑定 while there is none
    "institution.bind": _PERSON,
    "institution.bind_post": _PERSON,
    "institution.dashboard": frozenset({"institution_admin"}),
    "institution.binder": frozenset({"institution_admin"}),
    "institution.edit": frozenset({"institution_admin"}),
    "institution.edit_post": frozenset({"institution_admin"}),
    "institution.board": frozenset({"institution_admin"}),
    "institution.export": frozenset({"institution_admin"}),
    "institution.member_home": _PERSON,  # 绑定组织机构管理: only the user's own bindings
    "institution.member_bind": _PERSON,
    "institution.member_bind_post": _PERSON,
    "institution.declare": frozenset({"institution_member"}),
    "institution.declare_post": frozenset({"institution_member"}),
    "institution.done": frozenset({"institution_member"}),
    "institution.leave": frozenset({"institution_member"}),
    "institution.leave_post": frozenset({"institution_member"}),
    # 医护人员 (issue 11, SPEC O7): the entry says why not to anyone not enabled; every other screen is the enabled
    # staff member's own (the loader medical.current_staff answers 404), notices by their issuer (medical.notice_for).
    "medical.index": _PERSON,  # 出具电子告知书: the scanner, or "您尚未开通医护人员权限…"
    "medical.scan_post": _MEDICAL,  # the scanned/typed code → 303 to medical.issue with a sealed ticket
    "medical.issue": _MEDICAL,  # 出具电子告知书 pre-filled for the scanned person
    "medical.issue_post": _MEDICAL,  # 【提交】
    "medical.issued": _MEDICAL,  # 出具成功: the number and the verification link
    "medical.workbench": _MEDICAL,  # 我的工作台
    "medical.notices": _MEDICAL,  # 已出具的电子告知书
    "notice.verify": _PUBLIC,  # /n/<number>: anyone checks a notice is genuine and not revoked
    "notice.pdf": _OWN_OR_FAMILY,  # 【下载PDF】: the person's own notice, or a consented family member's
    "operator.medical": _OPERATOR,  # 医护人员管理: enabled staff, 开通, 导入, alerts, the log
    "operator.medical_post": _OPERATOR,  # 开通 one
    "operator.medical_import": _OPERATOR,  # the last import's per-row report (PRG)
    "operator.medical_import_post": _OPERATOR,
    "operator.medical_template": _OPERATOR,  # 表5-2 as a CSV template
    "operator.medical_revoke": _OPERATOR,  # 撤销 → 确定撤销？
    "operator.medical_revoke_post": _OPERATOR,
    "operator.medical_observations": _OPERATOR,  # a person's 医学观察 (the built-in health data, H2)
    "operator.medical_observations_post": _OPERATOR,
    # 网格 (issue 12, SPEC O6): 网格管理员 screens of one grid load it through grid.grid_for(grid_id, *roles);
    # 区划管理员 screens check the user's own appointments (a grid outside their area: 404).
    "grid.index": _PERSON,  # 网格居民健康情况采集: choose 网格管理员 (or 区划管理员 if the user is one)
    "grid.admin_home": frozenset({"person", "grid_admin"}),  # 我的网格, or 创建网格 while there is none
    "grid.create": _PERSON,
    "grid.create_post": _PERSON,  # the form, then its confirm step (网格组织一旦创建不可删除), then 【确认创建】
    "grid.dissolve": _GRID_ADMIN,  # 解散网格: type the grid's name to confirm
    "grid.dissolve_post": _GRID_ADMIN,
    "grid.district": _DISTRICT,  # 区划管理员: grids to confirm, appoint the level below, those appointed
    "grid.district_appoint_post": _DISTRICT,
    "grid.district_revoke": _DISTRICT,  # 撤销 → 确定撤销？ (only one's own appointments)
    "grid.district_revoke_post": _DISTRICT,
    "grid.district_grid": _DISTRICT,  # one pending grid of the user's area: 确认 / 不通过
    "grid.district_confirm_post": _DISTRICT,
    "grid.district_reject_post": _DISTRICT,
    "operator.districts": _OPERATOR,  # 区划管理员 at city level: the list and 任命
    "operator.districts_post": _OPERATOR,
    "operator.districts_revoke": _OPERATOR,  # 撤销 → 确定撤销？
    "operator.districts_revoke_post": _OPERATOR,
    # 平台运营
    "operator.index": _OPERATOR,
    "operator.health": _OPERATOR,
    "operator.health_post": _OPERATOR,
    "operator.health_person": _OPERATOR,
    "operator.health_status": _OPERATOR,
    "operator.health_test": _OPERATOR,
    "operator.health_vaccination": _OPERATOR,
    "operator.health_entry": _OPERATOR,
    "operator.health_part": _OPERATOR,  # a reload of a record form's URL: back to the person (issue 9 item 2)
    "operator.realname": _OPERATOR,
    "operator.realname_post": _OPERATOR,
    "operator.realname_remove": _OPERATOR,
    "operator.realname_remove_post": _OPERATOR,
}


def gate(endpoint: str) -> Gate | None:
    """The least the hook must check for `endpoint` (the weakest gate among its roles), None if unlisted."""
    roles = ENDPOINTS.get(endpoint)
    if roles is None:
        return None
    return min((ROLES[name].gate for name in roles), key=GATE_ORDER.index)

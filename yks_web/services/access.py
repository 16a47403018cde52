"""Who may do what (SPEC P7, P9; issue 8 items 8 and 12): the roles, their predicates, every endpoint's roles.

A role is a name, the cheap gate it implies and a predicate `holds(session, person, subject) -> bool`:

- the gate is what can be decided from the logged-in Person row alone ("public": anyone; "person":
  logged in; "operator": Person.is_operator). yks_web/access_setup.py enforces it before every request
  from ENDPOINTS (services/access_endpoints.py), with no SQL beyond the user load Flask-Login does anyway:
  anonymous → the login page, an operator-only endpoint → 404 for everyone else, an endpoint missing → 404.
- the predicate is the rest. Account roles (scanner) hold whatever the object; object roles hold on one
  object (collector of an organisation, school admin of a school, member, proxy, family owner, invitee).
  Each blueprint package has one loader that fetches the object and checks its role through the
  functions here (workbench.my_org, school.admin_school, declare.load_org/declaring_as/own_binding,
  code.shown_person, …), answering 404 — one status for "not yours", never 403.

The coming roles need no new mechanism, only rows and predicates: a role is a row, never a flag on
Person (STYLE), so each issue adds its Role to ROLES with a predicate reading its row —
  place_admin, inspector     Place.admin_id, PlaceStaff        scope "place"     (loader places.place_for)  [built]
  grid_admin, grid_worker    Grid.admin_id, GridStaff          scope "grid"      (loader grid.grid_for)  [built]
  grid_authorised            GridStaff.authorised (已授权网格员)  scope "grid"      (loader grid.grid_for)  [built]
  institution_admin, _member Institution.admin_id, InstitutionMember  scope "institution"  (loader
                             institution.institution_for)  [built]
  district_admin             DistrictAdmin(area, person)       scope "area"      (grid.grid_for, its area)  [built]
  medical_staff              MedicalStaff(name, phone hash)    an account role  (loader medical.current_staff)  [built]
  group_creator, group_admin, GroupMember(group, person, role)  scope "group"  (loader group.group_for; a creator
  group_member                 holds group_admin too: 团体管理员's screens are the creator's)  [built]
— lists its endpoints in access_endpoints.ENDPOINTS with those role names, and the package loader calls
`holds(session, person, "inspector", place_id)`. Scanning a code is itself a role: SCANNERS holds the
predicates that entitle an account to resolve a 粤康码 (operators, inspectors, medical staff, grid workers of a
confirmed grid); a screen that scans for one role says so (code_scans'
`as_role`), so the audit names the role the person was scanned in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from yks_web.i18n import N_
from yks_web.models.declaration import Declaration
from yks_web.models.grid import ACTIVE, Grid, GridStaff
from yks_web.models.group import ADMIN, CREATOR, GroupMember
from yks_web.models.institution import Institution, InstitutionMember
from yks_web.models.place import Place, PlaceStaff
from yks_web.models.school import Collector, Membership, Organisation, ProxyBinding, SchoolAdmin
from yks_web.services import district_admins, family, medical_staff
from yks_web.services.access_endpoints import ENDPOINTS  # noqa: F401  (re-exported: access.ENDPOINTS)

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


def group_role_of(session: Session, person_id: int, group_id: int) -> str | None:
    """The person's row in the group (团体码, G1): "creator", "admin", "member", or None."""
    return session.scalar(select(GroupMember.role).where(
        GroupMember.group_id == group_id, GroupMember.person_id == person_id))


def grid_authorised_of(session: Session, person_id: int, grid_id: int) -> bool:
    """已授权网格员 of this grid (O6; guide 二 (三) (2) 3)): an active binding the grid admin authorised, who may see
    people's full declarations and the grid's 重点管控人员."""
    return session.scalar(
        select(GridStaff.id).where(
            GridStaff.grid_id == grid_id, GridStaff.person_id == person_id, GridStaff.active.is_(True),
            GridStaff.authorised.is_(True),
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


def _grid_worker_scans(session: Session, person: Any) -> bool:
    """A 网格员 bound to an ACTIVE grid (a pending or rejected grid's code binds nobody: O8) may resolve a code."""
    return session.scalar(
        select(GridStaff.id).join(Grid, Grid.id == GridStaff.grid_id)
        .where(GridStaff.person_id == person.id, GridStaff.active.is_(True), Grid.status == ACTIVE).limit(1)
    ) is not None


# Who may resolve a scanned 粤康码, in order; the first that holds names the reader's role in the audit log.
SCANNERS: list[tuple[str, Callable[[Session, Any], bool]]] = [
    ("operator", _operator_scans),
    ("inspector", _inspector_scans),
    ("medical_staff", _medical_staff),
    ("grid_worker", _grid_worker_scans),
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


def may_declare_for(source: str, *, ever_member: bool, live_binding: bool) -> bool:
    """Who may submit a school declaration for the person, as the form's loader (declare.declaring_as) lets them
    open it (P7, S9): oneself, a member now or before (a leaver is then refused with S9's message); a 代填人 only
    through a live binding. The collector's 代填报 is checked by the workbench's loaders (my_org, an active member).
    submit() asks this of the row its one state statement read (issue 14 item 2)."""
    if source == "self":
        return ever_member
    if source == "proxy":
        return live_binding
    return source == "collector"


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
    label: str  # the guides' words, for 查阅记录 and messages: N_, translated where shown (gettext(role.label))
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
        Role("public", N_("任何人"), "public", "", lambda s, p, o=None: True),
        Role("person", N_("本人"), "person", "", _logged_in),
        Role("operator", N_("平台运营"), "operator", "", lambda s, p, o=None: is_operator(p)),
        Role("scanner", N_("扫码查验人员"), "person", "", lambda s, p, o=None: may_scan(s, p)),
        Role("collector", N_("采集员"), "person", "organisation", _collects_for),
        Role("school_admin", N_("学校管理员"), "person", "school", lambda s, p, o: school_admin_of(s, p.id, o)),
        Role("member", N_("组织成员"), "person", "organisation", lambda s, p, o: ever_member(s, o, p.id)),
        Role("proxy", N_("代填人"), "person", "binding",
             lambda s, p, o: is_binding_proxy(s.get(ProxyBinding, o), p.id)),
        Role("family_owner", N_("家庭成员管理人"), "person", "person", lambda s, p, o: may_show_code(s, p.id, o)),
        # The card itself (live, of the right kind, for this organisation or school) is checked by the loaders
        # that read it: declare.require_invite, invite.open/accept, school.invites.school_invite.
        Role("invitee", N_("持邀请卡片者"), "person", "invite", lambda s, p, o=None: _logged_in(s, p)),
        Role("place_admin", N_("公共场所管理员"), "person", "place", lambda s, p, o: place_admin_of(s, p.id, o)),
        Role("inspector", N_("公共场所检测员"), "person", "place", lambda s, p, o: inspector_of(s, p.id, o)),
        Role("institution_admin", N_("组织机构管理员"), "person", "institution",
             lambda s, p, o: institution_admin_of(s, p.id, o)),
        Role("institution_member", N_("组织机构成员"), "person", "institution",
             lambda s, p, o: institution_member_of(s, p.id, o)),
        Role("medical_staff", N_("医护人员"), "person", "", _medical_staff),
        Role("district_admin", N_("区划管理员"), "person", "area", _district_admin),
        Role("grid_admin", N_("网格管理员"), "person", "grid", lambda s, p, o: grid_admin_of(s, p.id, o)),
        Role("grid_worker", N_("网格员"), "person", "grid", lambda s, p, o: grid_worker_of(s, p.id, o)),
        Role("grid_authorised", N_("已授权网格员"), "person", "grid", lambda s, p, o: grid_authorised_of(s, p.id, o)),
        Role("group_creator", N_("团体创建人"), "person", "group",
             lambda s, p, o: group_role_of(s, p.id, o) == CREATOR),
        Role("group_admin", N_("团体管理员"), "person", "group",
             lambda s, p, o: group_role_of(s, p.id, o) in (CREATOR, ADMIN)),
        Role("group_member", N_("团体成员"), "person", "group", lambda s, p, o: group_role_of(s, p.id, o) is not None),
    )
}


def holds(session: Session, person: Any, role: str, subject: Any = None) -> bool:
    """Whether `person` holds `role` (on `subject`, for object roles). Unknown role names are a bug."""
    return ROLES[role].holds(session, person, subject)


# -- every endpoint and who may call it: services/access_endpoints.ENDPOINTS (the table, kept apart for its size) --


def gate(endpoint: str) -> Gate | None:
    """The least the hook must check for `endpoint` (the weakest gate among its roles), None if unlisted."""
    roles = ENDPOINTS.get(endpoint)
    if roles is None:
        return None
    return min((ROLES[name].gate for name in roles), key=GATE_ORDER.index)

"""Post/Redirect/Get everywhere: reloading after any POST never lands on a 405 (issue 9 item 2; SPEC P3, P4).

Driven by app.url_map: every POST rule has a case here (a new one without a case fails by name). Each case
is posted by a user entitled to it, in a world where the object exists, twice — as an empty form (CSRF
only: the refusal re-rendered, if any) and filled in — and then the URL the browser is left on is loaded
the way a reload does: the redirect target when the answer is a redirect, else the POST URL itself. That
GET must answer a page (after its own redirects), never 405.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urlsplit

import pytest
from flask import current_app
from sqlalchemy import select

from tests.blueprints.support import TODAY, count, text
from tests.factories import (
    bind,
    form_answers,
    id_number,
    make_admin,
    make_check,
    make_district_admin,
    make_grid,
    make_grid_staff,
    make_grid_visit,
    make_group,
    make_group_member,
    make_handover,
    make_institution,
    make_institution_declaration,
    make_institution_member,
    make_medical_staff,
    make_notice,
    make_observation,
    make_person,
    make_place,
    make_place_staff,
    register_identity,
)
from tests.family_helpers import make_family_link
from yks_web import clock
from yks_web.models import Collector, ForeignTeacher, Person, TeacherAssignment
from yks_web.models.realname import RealNameRecord
from yks_web.models.teacher_imports import TeacherImportReport
from yks_web.services import (
    code_tokens,
    grid_handover,
    group_members,
    invites,
    medical_notices,
    medical_staff,
    place_posters,
    scan_tickets,
    teachers,
)

DAY = TODAY.isoformat()
PLACE_FORM = {"city": "4401", "district": "440106", "town": "440106006", "address": "天河路1号", "kind": "商场商店",
              "name": "天河城", "phone": "13800000001"}
MEMBER_DECLARATION = {"location_province": "广东省", "location_city": "广州市", "temperature": "36.6",
                      "temperature_band": "", "has_symptoms": "no", "risk_travel": "no", "contact_case": "no",
                      "on_duty": "yes", "work_place": "本部", "remarks": ""}
MEDICAL_CSV = "\n".join([",".join(medical_staff.HEADER), "1,王护士,13800000031,越秀区人民医院,护士"])
TEACHER_CSV = "\n".join([  # one row imported, one (no 姓名) reported as 第3行
    ",".join(teachers.LABELS.values()),
    "Anna Berg,高校,瑞典,欧洲,广东省内,否,无,,,,",
    ",高校,瑞典,欧洲,广东省内,否,无,,,,",
])


@dataclass
class World:
    ids: dict[str, int | str] = field(default_factory=dict)
    people: dict[str, int] = field(default_factory=dict)


def build(db, scene) -> World:
    """A school where every POST of the app has someone entitled to it and something to act on."""
    w = World()
    member, declarant, requested = scene.members
    w.people |= {"member": member.id, "declarant": declarant.id, "requested": requested.id,
                 "collector": scene.collector.id}
    w.people["admin"] = make_admin(db, scene.school).id
    w.people["operator"] = make_person(db, "孙运营", is_operator=True).id
    proxy = make_person(db, "黄伟斌")
    w.people["proxy"] = proxy.id
    binding = bind(db, scene.org, proxy, declarant)
    owner = make_person(db, "陈丽")
    w.people["owner"] = owner.id
    w.people["newcomer"] = make_person(db, "林新").id
    fresh_collector = make_person(db, "周采集")
    db.session.add(Collector(school_id=scene.school.id, person_id=fresh_collector.id))  # no organisation yet
    w.people["fresh_collector"] = fresh_collector.id
    teacher = ForeignTeacher(school_id=scene.school.id, name="Tom Lee", teaching_level="高中", nationality="英国",
                             continent="欧洲", current_location="广东省内", lives_on_campus=True, covid_status="无")
    db.session.add(teacher)
    db.session.flush()
    db.session.add(TeacherAssignment(organisation_id=scene.org.id, teacher_id=teacher.id))
    register_identity(db, "登记人")
    w.ids |= {
        "org_id": scene.org.id, "school_id": scene.school.id, "binding_id": binding.id, "teacher_id": teacher.id,
        "family": make_family_link(db, owner, member).id,
        "pending": make_family_link(db, owner, requested, "其他", consented=False).id,
        "record_id": db.session.scalar(select(RealNameRecord.id).where(RealNameRecord.name == "登记人")),
        "member_token": scene.token,
        "collector_token": invites.create(db.session, kind="collector", school_id=scene.school.id,
                                          utc_now=clock.utcnow()).token,
    }
    build_places(db, w)
    build_medical(db, w)
    build_grid(db, w)
    build_group(db, w)
    db.session.commit()
    return w


def build_places(db, w: World) -> None:
    """公共场所 and 组织机构 (issues 10, 11): a place with its admin, an inspector (offered the place: 更换绑定),
    its 葵花码 and the member's 快速打卡 there, the inspector's scan of the member (a 登记 ticket); an institution
    with its admin and a member who declared today."""
    member = db.session.get(Person, w.people["member"])
    place = make_place(db, make_person(db, "林场主"), "天河城购物中心")
    staff = make_place_staff(db, place, "赵检测")
    institution = make_institution(db, make_person(db, "欧阳机构"), "天河区某某公司")
    joined = make_institution_member(db, institution, "钱成员")
    w.people |= {"place_admin": place.admin_id, "inspector": staff.person_id,
                 "institution_admin": institution.admin_id, "institution_member": joined.id}
    secret = current_app.config["SECRET_KEY"]
    w.ids |= {
        "place_id": place.id, "place_code": place.code, "staff_id": staff.id,
        "handover_id": make_handover(db, place, staff).id,
        "poster": place_posters.live(db.session, place.id).token, "check_id": make_check(db, place, member).id,
        "ticket": scan_tickets.seal(place_id=place.id, person_id=member.id, inspector_id=staff.person_id,
                                    now=clock.now(), secret=secret),
        "code": code_tokens.issue(member.id, clock.now(), secret),  # the member's live 粤康码
        "institution_id": institution.id, "institution_code": institution.code,
        "institution_declaration_id": make_institution_declaration(db, institution, joined).id,
    }


def build_medical(db, w: World) -> None:
    """医护人员 (issue 11 items 4–6): 张医生, enabled, who scanned 李观察 (a ticket for 出具电子告知书) and released one
    of their two 医学观察 with a notice."""
    doctor = make_person(db, "张医生", phone="13800000021")
    staff = make_medical_staff(db, doctor)
    observed = make_person(db, "李观察", phone="13800000022")
    notice = make_notice(db, staff, doctor, make_observation(db, observed, since=date(2026, 11, 6)))
    w.people |= {"doctor": doctor.id, "observed": observed.id}
    w.ids |= {
        "medical_staff_id": staff.id, "notice_id": notice.id, "number": notice.number,
        "observation_id": make_observation(db, observed, reason="入境人员", since=date(2026, 11, 10)).id,
        "medical_ticket": medical_notices.seal_ticket(staff_person_id=doctor.id, person_id=observed.id,
                                                      now=clock.now(), secret=current_app.config["SECRET_KEY"]),
    }


GRID_NAME = "石牌街道一社区网格"
GRID_FORM = {"city": "4401", "district": "440106", "town": "440106006", "name": "员村街道二社区网格"}
GRID_VISIT = {"name": "黄小明", "id_type": "birth_cert", "id_number": "A123456789", "address": "石牌街道一社区3栋101",
              "symptoms": "no", "travel": "no", "contact": "no", "client_key": "c" * 32}  # 手动录入 (issue 12 item 5)
# POSTs that are not a browser's navigation, with the reason: the answer is JSON, and nothing is reloaded.
SCAN_VISIT = ("address", "symptoms", "travel", "contact")  # 扫粤康码: who it is comes from the scan
JSON_POSTS = {"grid.visit_sync_post": "信息采集's offline queue syncs by fetch: 200 / 422 / 409 (issue 12 item 7)"}


def build_grid(db, w: World) -> None:
    """网格 (issue 12): 天河区's 区划管理员 (appointed by 广州市's, whom the operator appointed), who appointed
    五山街道's; a pending grid in 石牌街道 (no town-level admin: 天河区's confirms it) with a worker and an authorised
    worker who met build_medical's 李观察 at the door (a 重点管控人员: under 医学观察); the admin offered the grid
    to the first worker (管理员变更); a verified person to appoint next (员村街道)."""
    city = make_district_admin(db, "冯市管", "4401")
    district = make_district_admin(db, "何区管", "440106", appointed_by=city.person)
    town = make_district_admin(db, "许镇管", "440106001", appointed_by=district.person)
    grid = make_grid(db, "周网管", GRID_NAME)
    worker = make_grid_staff(db, grid, "吴网格")
    authorised = make_grid_staff(db, grid, "钱授权", authorised=True)
    make_grid_visit(db, grid, authorised.person_id, db.session.get(Person, w.people["observed"]))
    number = id_number()
    make_person(db, "郑街管", number)
    w.ids["grid_ticket"] = scan_tickets.seal(  # 吴网格's 扫粤康码 of the member (信息采集, issue 12 item 5)
        place_id=grid.id, person_id=w.people["member"], inspector_id=worker.person_id, now=clock.now(),
        secret=current_app.config["SECRET_KEY"], kind="grid")
    # 管理员变更 offered to the worker (their 姓名 and 身份证号码 typed by the admin): the link the successor opens
    offer = grid_handover.start(db.session, grid, grid.admin_id, "吴网格", worker.person.id_number, clock.utcnow())
    w.people |= {"district_admin": district.person_id, "grid_admin": grid.admin_id, "grid_worker": worker.person_id,
                 "grid_authorised": authorised.person_id}
    w.ids |= {"grid_id": grid.id, "grid_code": grid.code, "grid_staff_id": worker.id, "city_appointment_id": city.id,
              "appointment_id": town.id, "appointee_number": number, "grid_handover_token": offer.token}


GROUP_NAME = "数字广东广报14楼"
GROUP_FORM = {"name": "广州塔-2", "kind": "企业", "city": "4401", "district": "440105", "town": "",
              "address": "阅江西路222号"}


def build_group(db, w: World) -> None:
    """团体码 (issue 13): 梁团长's group with an admin (罗管理) and a member (邓成员), and a live invitation."""
    group = make_group(db, "梁团长", GROUP_NAME)
    admin = make_group_member(db, group, "罗管理", role="admin")
    member = make_group_member(db, group, "邓成员", remark="销售部")
    invite = group_members.invite(db.session, group, group.creator_id, clock.utcnow())
    w.people |= {"group_creator": group.creator_id, "group_admin": admin.person_id, "group_member": member.person_id}
    w.ids |= {"group_id": group.id, "member_id": member.id, "group_admin_member_id": admin.id,
              "invite_id": invite.id, "group_token": invite.token}


@dataclass
class Case:
    user: str | None  # a key of World.people; None: anonymous
    url: Callable[[World], str]
    filled: Callable[[World], dict] = lambda w: {}
    before: Callable[[object, World], None] | None = None  # a step the browser took first
    files: bool = False


def _identity(name: str = "黄小明") -> dict:
    return {"name": name, "id_type": "id_card", "id_number": id_number()}


def _appointee(w: World) -> dict:
    """The verified person build_grid made, to be appointed 区划管理员."""
    return {"name": "郑街管", "id_type": "id_card", "id_number": w.ids["appointee_number"]}


def _pending_proxy(actions, w: World) -> None:
    actions.post(f"/declare/org/{w.ids['org_id']}/proxy?t={w.ids['member_token']}", _identity())


def _medical_file(w: World) -> dict:
    return {"file": (io.BytesIO(MEDICAL_CSV.encode()), "medical.csv")}


def _teacher_file(w: World) -> dict:
    return {"file": (io.BytesIO(TEACHER_CSV.encode()), "teachers.csv")}


CASES: dict[str, Case] = {
    "auth.login_post": Case(None, lambda w: "/auth/login",
                            lambda w: {**_identity("路人"), "phone": "13800138000"}),
    "auth.verify_post": Case(None, lambda w: "/auth/verify", lambda w: {"code": "000000"}),
    "auth.logout": Case("member", lambda w: "/auth/logout"),
    "auth.logout_everywhere_post": Case("member", lambda w: "/auth/logout-everywhere"),
    "language.switch": Case(None, lambda w: "/language", lambda w: {"language": "en", "next": "/auth/login"}),
    # 注销账号 (issue 16 item 2): no code was asked for, so the confirm step comes back with the message (200)
    "account.delete_post": Case("member", lambda w: "/account/delete", lambda w: {"code": "123456", "agree": "y"}),
    "health_code.declare_post": Case("member", lambda w: "/code/declare"),
    "declare.confirm_self_post": Case("newcomer",
                                      lambda w: f"/declare/org/{w.ids['org_id']}/self?t={w.ids['member_token']}"),
    "declare.proxy_identity_post": Case("newcomer",
                                        lambda w: f"/declare/org/{w.ids['org_id']}/proxy?t={w.ids['member_token']}",
                                        lambda w: _identity()),
    "declare.confirm_proxy_post": Case("newcomer",
                                       lambda w: f"/declare/org/{w.ids['org_id']}/proxy/confirm"
                                                 f"?t={w.ids['member_token']}", before=_pending_proxy),
    "declare.form_post": Case("member", lambda w: f"/declare/org/{w.ids['org_id']}/person/{w.people['member']}",
                              lambda w: form_answers()),
    "declare.remove_declarant_post": Case("proxy", lambda w: f"/declare/binding/{w.ids['binding_id']}/remove"),
    "declare.declarant_leaves_post": Case("proxy", lambda w: f"/declare/binding/{w.ids['binding_id']}/leave"),
    "declare.leave_post": Case("member", lambda w: f"/declare/org/{w.ids['org_id']}/leave"),
    "delegates.accept": Case("requested", lambda w: f"/delegates/requests/{w.ids['pending']}/accept"),
    "delegates.refuse": Case("requested", lambda w: f"/delegates/requests/{w.ids['pending']}/refuse"),
    "delegates.remove_family_post": Case("member", lambda w: f"/delegates/family/{w.ids['family']}/remove"),
    "delegates.remove_proxy_post": Case("declarant", lambda w: f"/delegates/proxy/{w.ids['binding_id']}/remove"),
    "delegates.allow_proxy_post": Case(
        "declarant", lambda w: f"/delegates/proxy/{w.ids['binding_id']}/allow",
        before=lambda actions, w: actions.post(f"/delegates/proxy/{w.ids['binding_id']}/remove")),
    "delegates.notices_read": Case("declarant", lambda w: "/delegates/notices/read"),
    "family.add_post": Case("owner", lambda w: "/family/add", lambda w: {**_identity("陈小宝"), "relation": "子女"}),
    "family.consent_post": Case("owner", lambda w: f"/family/{w.ids['pending']}/consent", lambda w: {"code": "1"}),
    "family.send_code": Case("owner", lambda w: f"/family/{w.ids['pending']}/consent/send"),
    "family.remove_post": Case("owner", lambda w: f"/family/{w.ids['family']}/remove"),
    "home.help_post": Case("member", lambda w: "/help", lambda w: {"text": "验证码收不到"}),
    "invite.accept": Case("newcomer", lambda w: f"/invite/{w.ids['collector_token']}"),
    "operator.index": Case("operator", lambda w: "/operator/",
                           lambda w: {"name": "广州市第二中学", "school_type": "普通中学", "region": "广州市"}),
    "operator.health_post": Case("operator", lambda w: "/operator/health", lambda w: _identity()),
    "operator.health_status": Case("operator", lambda w: f"/operator/health/{w.people['member']}/status",
                                   lambda w: {"colour": "yellow", "reason": "密切接触者"}),
    "operator.health_test": Case("operator", lambda w: f"/operator/health/{w.people['member']}/test",
                                 lambda w: {"result": "阴性"}),
    "operator.health_vaccination": Case("operator", lambda w: f"/operator/health/{w.people['member']}/vaccination",
                                        lambda w: {"dose": "1"}),
    "operator.health_entry": Case("operator", lambda w: f"/operator/health/{w.people['member']}/entry",
                                  lambda w: {"from_region": "香港"}),
    "operator.realname_post": Case("operator", lambda w: "/operator/realname", lambda w: _identity("登记二")),
    "operator.realname_remove_post": Case("operator", lambda w: f"/operator/realname/{w.ids['record_id']}/remove"),
    "medical.scan_post": Case("doctor", lambda w: "/medical/",
                              lambda w: {"code": f"https://yks.test/code/scan/{w.ids['code']}"}),
    "medical.issue_post": Case("doctor", lambda w: f"/medical/issue/{w.ids['medical_ticket']}",
                               lambda w: {"observation": str(w.ids["observation_id"]), "released_on": DAY,
                                          "remarks": "观察期满"}),
    "operator.medical_post": Case("operator", lambda w: "/operator/medical",
                                  lambda w: {"name": "王护士", "phone": "13800000031", "unit": "越秀区人民医院",
                                             "position": "护士"}),
    "operator.medical_import_post": Case("operator", lambda w: "/operator/medical/import", _medical_file,
                                         files=True),
    "operator.medical_revoke_post": Case("operator",
                                         lambda w: f"/operator/medical/{w.ids['medical_staff_id']}/revoke"),
    "operator.medical_observations_post": Case(
        "operator", lambda w: f"/operator/health/{w.people['member']}/observations",
        lambda w: {"reason": "密切接触者", "started_on": DAY, "unit": "越秀区集中隔离点", "colour": "red"}),
    "grid.create_post": Case("member", lambda w: "/grid/admin/create", lambda w: {**GRID_FORM, "confirmed": "1"}),
    "grid.dissolve_post": Case("grid_admin", lambda w: f"/grid/{w.ids['grid_id']}/dissolve",
                               lambda w: {"name": GRID_NAME}),
    "grid.district_appoint_post": Case("district_admin", lambda w: "/grid/district",
                                       lambda w: {**_appointee(w), "area": "440106002"}),
    "grid.district_revoke_post": Case("district_admin",
                                      lambda w: f"/grid/district/appointed/{w.ids['appointment_id']}/revoke"),
    "grid.district_confirm_post": Case("district_admin", lambda w: f"/grid/district/grids/{w.ids['grid_id']}/confirm"),
    "grid.district_reject_post": Case("district_admin", lambda w: f"/grid/district/grids/{w.ids['grid_id']}",
                                      lambda w: {"reason": "网格名称不规范"}),
    "grid.worker_bind_post": Case("member", lambda w: "/grid/worker", lambda w: {"code": w.ids["grid_code"]}),
    "grid.collect_manual_post": Case("grid_worker", lambda w: f"/grid/{w.ids['grid_id']}/collect/manual",
                                     lambda w: GRID_VISIT),
    "grid.collect_scan_post": Case("grid_worker", lambda w: f"/grid/{w.ids['grid_id']}/collect/scan",
                                   lambda w: {"code": f"https://yks.test/code/scan/{w.ids['code']}"}),
    "grid.collect_person_post": Case("grid_worker",
                                     lambda w: f"/grid/{w.ids['grid_id']}/collect/scan/{w.ids['grid_ticket']}",
                                     lambda w: {k: GRID_VISIT[k] for k in SCAN_VISIT}),
    "grid.visit_sync_post": Case("grid_worker", lambda w: "/grid/visits",
                                 lambda w: {**GRID_VISIT, "grid_id": str(w.ids["grid_id"])}),
    "grid.worker_messages_read_post": Case("grid_worker", lambda w: "/grid/worker/messages/read"),
    "grid.worker_current_post": Case("grid_worker", lambda w: f"/grid/{w.ids['grid_id']}/current"),
    "grid.worker_leave_post": Case("grid_worker", lambda w: f"/grid/{w.ids['grid_id']}/leave"),
    "grid.member_authorise_post": Case(
        "grid_admin", lambda w: f"/grid/{w.ids['grid_id']}/members/{w.ids['grid_staff_id']}/authorise"),
    "grid.member_deauthorise_post": Case(
        "grid_admin", lambda w: f"/grid/{w.ids['grid_id']}/members/{w.ids['grid_staff_id']}/deauthorise"),
    "grid.member_unbind_post": Case(
        "grid_admin", lambda w: f"/grid/{w.ids['grid_id']}/members/{w.ids['grid_staff_id']}/unbind"),
    "grid.handover_post": Case("grid_admin", lambda w: f"/grid/{w.ids['grid_id']}/handover",
                               lambda w: {"name": "郑街管", "id_number": w.ids["appointee_number"]}),
    "grid.handover_cancel_post": Case("grid_admin", lambda w: f"/grid/{w.ids['grid_id']}/handover/cancel"),
    "grid.handover_accept_post": Case("grid_worker", lambda w: f"/grid/handover/{w.ids['grid_handover_token']}"),
    # 团体码, the creator's and admins' side (issue 13 items 2, 4, 6)
    "group.create_post": Case("member", lambda w: "/group/create",
                              lambda w: {**GROUP_FORM, "phone": "13800000021", "code": "000000"}),
    "group.refresh_post": Case("group_admin", lambda w: f"/group/{w.ids['group_id']}/refresh"),
    "group.allow_join_post": Case("group_admin", lambda w: f"/group/{w.ids['group_id']}/allow-join",
                                  lambda w: {"allow": "0"}),
    "group.edit_post": Case("group_creator", lambda w: f"/group/{w.ids['group_id']}/edit", lambda w: GROUP_FORM),
    "group.invite_post": Case("group_admin", lambda w: f"/group/{w.ids['group_id']}/invite"),
    # 成员信息's 设为管理员 / 解除管理员 (the creator) and 删除成员 (an admin, of a member): PRG to 成员信息 / 成员管理
    "group.member_admin_post": Case("group_creator",
                                    lambda w: f"/group/{w.ids['group_id']}/members/{w.ids['member_id']}/admin"),
    "group.member_unadmin_post": Case(
        "group_creator", lambda w: f"/group/{w.ids['group_id']}/members/{w.ids['group_admin_member_id']}/unadmin"),
    "group.member_remove_post": Case("group_admin",
                                     lambda w: f"/group/{w.ids['group_id']}/members/{w.ids['member_id']}/remove"),
    # 团体码, the member's side (issue 13 item 4): 获取验证码 re-renders the form (200), the reload is the page again
    "group.authorise_post": Case("member", lambda w: f"/group/join/{w.ids['group_token']}/authorise",
                                 lambda w: {"phone": "13800000051", "remark": "研发部", "send_code": "1"}),
    "group.withdraw_post": Case("group_member", lambda w: f"/group/{w.ids['group_id']}/withdraw"),
    "operator.districts_post": Case("operator", lambda w: "/operator/districts",
                                    lambda w: {**_appointee(w), "area": "4403"}),
    "operator.districts_revoke_post": Case(
        "operator", lambda w: f"/operator/districts/{w.ids['city_appointment_id']}/revoke"),
    "places.create_post": Case("member", lambda w: "/places/admin/create", lambda w: PLACE_FORM),
    "places.edit_post": Case("place_admin", lambda w: f"/places/{w.ids['place_id']}/edit",
                             lambda w: {**PLACE_FORM, "name": "天河城购物中心（东门）"}),
    "places.admin_bind_self_post": Case("place_admin", lambda w: f"/places/{w.ids['place_id']}/bind-self"),
    "places.reissue_poster_post": Case("place_admin", lambda w: f"/places/{w.ids['place_id']}/poster/reissue"),
    "places.unbind_inspector_post": Case(
        "place_admin", lambda w: f"/places/{w.ids['place_id']}/members/{w.ids['staff_id']}/unbind"),
    "places.handover_post": Case(
        "place_admin", lambda w: f"/places/{w.ids['place_id']}/members/{w.ids['staff_id']}/handover"),
    "places.handover_cancel_post": Case("place_admin", lambda w: f"/places/{w.ids['place_id']}/handover/cancel"),
    "places.handover_accept_post": Case("inspector", lambda w: f"/places/handover/{w.ids['handover_id']}/accept"),
    "places.handover_refuse_post": Case("inspector", lambda w: f"/places/handover/{w.ids['handover_id']}/refuse"),
    "places.bind_post": Case("member", lambda w: "/places/inspector/bind", lambda w: {"code": w.ids["place_code"]}),
    "places.leave_post": Case("inspector", lambda w: f"/places/{w.ids['place_id']}/leave"),
    "places.scan_post": Case("inspector", lambda w: f"/places/{w.ids['place_id']}/check",
                             lambda w: {"code": f"https://yks.test/code/scan/{w.ids['code']}"}),
    "places.check_person_post": Case("inspector", lambda w: f"/places/{w.ids['place_id']}/check/{w.ids['ticket']}",
                                     lambda w: {"result": "发热"}),
    "checkin.open_post": Case("member", lambda w: f"/p/{w.ids['poster']}", lambda w: {"form_key": "a" * 32}),
    "institution.bind_post": Case("member", lambda w: "/institution/admin/bind",
                                  lambda w: {"name": "越秀区某某单位", "address": "中山五路1号", "level": "县（区）级",
                                             "phone": "13800000002"}),
    "institution.edit_post": Case("institution_admin", lambda w: f"/institution/{w.ids['institution_id']}/edit",
                                  lambda w: {"name": "天河区某某有限公司", "level": "市级", "phone": "13800000003"}),
    "institution.member_bind_post": Case("member", lambda w: "/institution/member/bind",
                                         lambda w: {"code": w.ids["institution_code"]}),
    "institution.declare_post": Case("institution_member",
                                     lambda w: f"/institution/{w.ids['institution_id']}/declare",
                                     lambda w: {**MEMBER_DECLARATION, "form_key": "b" * 32}),
    "institution.leave_post": Case("institution_member", lambda w: f"/institution/{w.ids['institution_id']}/leave"),
    "school.invite_collector": Case("admin", lambda w: f"/school/{w.ids['school_id']}/invite"),
    "school.teacher_new_post": Case("admin", lambda w: f"/school/{w.ids['school_id']}/teachers/add",
                                    lambda w: {"name": "Anna Berg", "teaching_level": "高校", "nationality": "瑞典",
                                               "continent": "欧洲", "current_location": "广东省内",
                                               "lives_on_campus": "否", "covid_status": "无"}),
    "school.teacher_import_post": Case("admin", lambda w: f"/school/{w.ids['school_id']}/teachers/import",
                                       _teacher_file, files=True),
    "workbench.create_post": Case("fresh_collector", lambda w: "/workbench/create",
                                  lambda w: {"name": "高二(2)班", "size": "40", "target": "student",
                                             "school_type": "普通中学"}),
    "workbench.add_member_post": Case("collector", lambda w: "/workbench/members/add", lambda w: _identity()),
    "workbench.modify_org_post": Case("collector", lambda w: "/workbench/org/modify",
                                      lambda w: {"name": "高一(1)班", "size": "45"}),
    "workbench.delete_members": Case("collector", lambda w: "/workbench/members",
                                     lambda w: {"person": str(w.people["member"])}),
    "workbench.proxy_fill_post": Case("collector",
                                      lambda w: f"/workbench/day/{DAY}/member/{w.people['requested']}/fill",
                                      lambda w: form_answers()),
    "workbench.proxy_new_post": Case("collector", lambda w: f"/workbench/day/{DAY}/proxy-new", lambda w: _identity()),
    "workbench.quick_fill": Case("collector", lambda w: f"/workbench/day/{DAY}/quickfill"),
    "workbench.report_supplement_post": Case("collector", lambda w: f"/workbench/day/{DAY}/report",
                                             lambda w: {"in_school_count": "3", "leave_count": "0",
                                                        "sick_absence_count": "0"}),
    "workbench.report_submit": Case("collector", lambda w: f"/workbench/day/{DAY}/report/submit"),
    "workbench.teacher_add_post": Case("collector", lambda w: "/workbench/teachers/add",
                                       lambda w: {"teacher": str(w.ids["teacher_id"])}),
    "workbench.teacher_edit_post": Case("collector", lambda w: f"/workbench/teachers/{w.ids['teacher_id']}",
                                        lambda w: {"remarks": "已返校"}),
    "workbench.remind_post": Case("collector", lambda w: "/workbench/remind"),
    "workbench.daily_reminder_post": Case("collector", lambda w: "/workbench/remind/daily",
                                          lambda w: {"daily": "on", "remind_at": "10:30"}),
}


def post_endpoints(app) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods}


def test_item2_every_post_rule_of_the_url_map_has_a_case(app):
    missing = sorted(post_endpoints(app) - set(CASES))
    assert not missing, f"POST endpoints without a reload case in tests/blueprints/test_prg.py: {missing}"
    assert not sorted(set(CASES) - post_endpoints(app)), "cases for endpoints the app no longer has"


def landing(url: str, response) -> str:
    """Where the browser is once the POST is answered: the redirect target, else the URL it posted to."""
    if response.status_code in (301, 302, 303, 307, 308):
        target = urlsplit(response.headers["Location"])
        return target.path + (f"?{target.query}" if target.query else "")
    return url


@pytest.mark.parametrize("variant", ["empty", "filled"])
@pytest.mark.parametrize("endpoint", sorted(CASES))
def test_item2_reloading_after_any_post_never_lands_on_a_405(client, db, actions, scene, endpoint, variant):
    w = build(db, scene)
    case = CASES[endpoint]
    if case.user is not None:
        actions.login(db.session.get(Person, w.people[case.user]))
    if case.before is not None:
        case.before(actions, w)
    url = case.url(w)
    data = case.filled(w) if variant == "filled" else {}
    response = actions.post(url, data, **({"content_type": "multipart/form-data"} if case.files else {}))
    if endpoint in JSON_POSTS:
        assert response.mimetype == "application/json" and response.status_code in (200, 409, 422), (
            endpoint, variant, response.status_code)
        return
    assert response.status_code in (200, 303), (endpoint, variant, response.status_code, text(response)[:300])
    where = landing(url, response)
    reloaded = client.get(where, follow_redirects=True)
    assert reloaded.status_code != 405, (endpoint, variant, where)
    assert reloaded.status_code == 200, (endpoint, variant, where, reloaded.status_code)


# -- the two found by hand --------------------------------------------------------------------------------------


def import_file(actions, school_id: int, data: bytes = TEACHER_CSV.encode(), name: str = "teachers.csv"):
    return actions.post(f"/school/{school_id}/teachers/import", {"file": (io.BytesIO(data), name)},
                        content_type="multipart/form-data")


def test_item2_the_import_report_is_its_own_page_a_reload_shows_again(client, db, actions, scene, clock):
    """导入 → 303 → 导入外籍教师 (成功导入, 未导入的行), as often as it is reloaded; only its importer sees it; a file
    refused as a whole is said beside the file field, and that URL reloaded is the 外籍教师 screen again."""
    w = build(db, scene)
    admin = db.session.get(Person, w.people["admin"])
    actions.login(admin)
    school_id = w.ids["school_id"]
    response = import_file(actions, school_id)
    assert response.status_code == 303 and landing("", response) == f"/school/{school_id}/teachers/import"
    for _ in range(2):
        page = text(client.get(f"/school/{school_id}/teachers/import"))
        assert "成功导入 <strong>1</strong> 名外籍教师，1 行未导入" in page and "第3行" in page
    other_admin = make_admin(db, scene.school)
    db.session.commit()
    actions.login(other_admin)
    assert landing("", client.get(f"/school/{school_id}/teachers/import")) == f"/school/{school_id}/teachers"

    actions.login(admin)
    refused = import_file(actions, school_id, b"hello", "t.txt")
    assert refused.status_code == 200 and "请上传CSV或Excel（.xlsx）文件" in text(refused)
    reloaded = client.get(f"/school/{school_id}/teachers/import")  # the last report is not shown for a refusal
    assert reloaded.status_code == 303 and landing("", reloaded) == f"/school/{school_id}/teachers"

    import_file(actions, school_id)
    clock(datetime(2026, 11, 21, 9, 1))  # a day later the report is gone, and the next import deletes its row
    assert client.get(f"/school/{school_id}/teachers/import").status_code == 303
    import_file(actions, school_id)
    assert count(db, TeacherImportReport) == 1


def test_item2_a_refused_health_record_form_reloads_as_the_persons_screen(client, db, actions, scene):
    w = build(db, scene)
    actions.login(db.session.get(Person, w.people["operator"]))
    url = f"/operator/health/{w.people['member']}/test"
    refused = actions.post(url, {})
    assert refused.status_code == 200 and "添加核酸检测" in text(refused)
    reloaded = client.get(url)
    assert reloaded.status_code == 303 and landing("", reloaded) == f"/operator/health/{w.people['member']}"
    assert client.get("/operator/health/999999/test").status_code == 404

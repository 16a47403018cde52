"""Every GET screen, as the user entitled to it: a whole page normally, its fragment for htmx (issue 9 item 11;
SPEC P3, STYLE §3).

Driven by app.url_map and access.ENDPOINTS (a new GET screen is tested without being named here). Each rule is
called with real ids of a school that has everything (tests/blueprints/test_prg.py's world: a class with
members, a proxy, a family link and a pending request, a teacher, a school admin, an operator, invite cards,
a place with its admin, an inspector offered the place, its 葵花码, a check-in and a scan, an institution with
its admin and a member who declared, an enabled 医护人员 with a scan and a notice, 区划管理员 of 广州市, 天河区
and 五山街道 with a pending grid of 石牌街道, plus a declaration and a live 粤康码 token), logged in as the user its
registered roles name, the ids taken by URL argument name (the 粤康码 endpoints are never named, so the code →
health_code rename changes nothing here; where two flows use one name — token, ticket, staff_id, declaration_id,
appointment_id — the endpoint's flow chooses).
A normal GET answers 200 with the whole page, an htmx GET (HX-Request: true) 200 with only its fragment (no
<html>, root <main id="screen">), both with Vary: HX-Request and the same <title>; htmx's history restore gets
the whole page. Answers that are not HTML (QR images, exports, CSV templates, PDFs, healthz) are told apart by
their mimetype and listed; the few screens that send this user elsewhere, and the parts of a screen that have a
URL of their own, are listed with the reason.
"""

from __future__ import annotations

import re

from tests.blueprints.support import TODAY, assert_fragment, assert_whole_page, location, text
from tests.blueprints.test_access_registry import rules
from tests.blueprints.test_prg import World, _medical_file, _pending_proxy, build, import_file
from tests.factories import declare
from yks_web import clock
from yks_web.models import Person
from yks_web.services import access, code_tokens

HTMX = {"HX-Request": "true"}
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)

# The user a role names (a key of World.people; None: anonymous), the most specific role first: an endpoint
# open to "person" and "collector" is the collector's screen, one open to "person" and "family_owner" (我的粤康码
# and its parts) the person's own.
ROLE_USERS = (
    ("operator", "operator"), ("school_admin", "admin"), ("collector", "collector"), ("scanner", "operator"),
    ("place_admin", "place_admin"), ("inspector", "inspector"), ("institution_admin", "institution_admin"),
    ("institution_member", "institution_member"), ("medical_staff", "doctor"), ("grid_admin", "grid_admin"),
    ("grid_authorised", "grid_authorised"), ("grid_worker", "grid_worker"),
    ("district_admin", "district_admin"), ("group_creator", "group_creator"), ("group_admin", "group_admin"),
    ("group_member", "group_member"), ("member", "member"),
    ("proxy", "proxy"), ("person", "member"), ("family_owner", "owner"), ("invitee", "newcomer"), ("public", None),
)
# A "person" screen about one's own side of a link: the person on that side (by URL argument name).
OWN_SIDE = {"binding_id": "declarant", "link_id": "member", "family_member_id": "owner"}
# Who a screen is for, where its roles do not tell.
USERS = {
    "workbench.create": "fresh_collector",  # 创建我的组织: a collector without one (with one: back to the 工作台)
    "places.handover_offer": "inspector",  # 更换绑定: the offer is for its recipient, the place's inspector
    "grid.handover_offer": "grid_worker",  # 管理员变更: the link is for its successor, the grid's worker
    "notice.pdf": "observed",  # 【下载PDF】 of a 解除医学观察电子告知书: the person it was issued to
}
# Whose person_id, where it is not the member's (who declared today).
PERSON_IDS = {
    "workbench.proxy_fill": "requested",  # 代填报 is for a member who has not declared that day (W7)
    "grid.key_person": "observed",  # 重点管控人员: the person the grid's authorised worker met (under 医学观察)
}

# Screens reached by a step the browser takes first (run after all others, in this order: they change the world).
STEPS = {
    "declare.confirm_proxy": _pending_proxy,  # the 代填人's identity, posted on the screen before
    "delegates.allow_proxy": lambda actions, w: actions.post(f"/delegates/proxy/{w.ids['binding_id']}/remove"),
    "school.teacher_import": lambda actions, w: import_file(actions, w.ids["school_id"]),  # the last 导入's result
    "operator.medical_import": lambda actions, w: actions.post("/operator/medical/import", _medical_file(w),
                                                               content_type="multipart/form-data"),
    "workbench.report_summary": lambda actions, w: actions.post(
        f"/workbench/day/{TODAY.isoformat()}/report",
        {"in_school_count": "3", "leave_count": "0", "sick_absence_count": "0"}),  # 补充信息 first
    "workbench.report_view": lambda actions, w: actions.post(f"/workbench/day/{TODAY.isoformat()}/report/submit"),
}

# Answers that are not HTML (told apart by their mimetype): images, exports, CSV templates, PDFs, healthz.
NOT_HTML = {
    "home.healthz": "text/plain",
    "health_code.resolve": "application/json",  # the scanner's resolve of a typed or pasted code
    "workbench.invite_qr": "image/png",
    "school.invite_qr": "image/png",
    "school.export": "text/csv",  # any(csv, xlsx): the first choice
    "school.teacher_template": "text/csv",
    "places.poster_png": "image/png",  # 葵花码
    "places.poster_pdf": "application/pdf",  # 下载打印版
    "institution.export": "text/csv",
    "operator.medical_template": "text/csv",  # 表5-2
    "notice.pdf": "application/pdf",  # 解除医学观察电子告知书 【下载PDF】
    "grid.visit_sync_token": "application/json",  # 信息采集's offline queue: a fresh CSRF token for its next sync
    "grid.service_worker": "application/javascript",  # 网格采集's service worker (issue 12 item 7)
    "grid.manifest": "application/manifest+json",  # 网格采集's web app manifest
    "group.invite_qr": "image/png",  # 邀请成员's QR (保存图片并分享)
    "my_data.download": "application/json",  # 我的数据's copy: JSON unless ?format=html / pdf (issue 16 item 1)
}

# Parts of a screen with a URL of their own (never a screen: neither a page nor a screen's fragment), with the reason:
# each answers 200 with the part alone, for htmx and a plain GET alike, with Vary: HX-Request.
PARTS = {
    "areas.picker": "所在区域's next level, swapped into the form that asks where (the no-JS form posts 【选择】)",
    "health_code.card": "出示粤康码's card, its QR inline: what the open page polls each minute (issue 14 item 3)",
}

# Screens that send even the entitled user elsewhere, with the reason.
REDIRECTS = {
    "auth.verify": "no code was asked for: back to 实名认证 (the SMS step is tested in test_auth.py)",
    "school.index": "学校管理 of an admin of one school is that school's screen",
    "operator.health_part": "a record form's URL reloaded goes back to the person (issue 9 item 2)",
    "institution.admin_home": "组织机构管理员's entry is the institution's 组织机构 screen (绑定 while there is none)",
}


def world(db, scene) -> World:
    w = build(db, scene)
    member = db.session.get(Person, w.people["member"])
    w.ids["declaration_id"] = declare(db, scene.org, member, TODAY).id
    db.session.commit()
    return w


def user_for(rule) -> str | None:
    roles = access.ENDPOINTS[rule.endpoint]
    if rule.endpoint in USERS:
        return USERS[rule.endpoint]
    if roles == {"person"}:
        for name in rule.arguments:
            if name in OWN_SIDE:
                return OWN_SIDE[name]
    for role, user in ROLE_USERS:
        if role in roles:
            return user
    raise AssertionError(f"no user for {rule.endpoint}: {sorted(roles)}")


def url_for_rule(rule, w: World, code_token: str) -> str:
    roles = access.ENDPOINTS[rule.endpoint]
    values = {}
    for name in rule.arguments:
        converter = rule._converters[name]
        if hasattr(converter, "items"):  # any(...): the first choice
            values[name] = sorted(converter.items)[0]
        elif name == "token":  # an invite card's, a 葵花码's, a 管理员变更 link's, else a 粤康码's
            values[name] = (w.ids["member_token"] if "invitee" in roles else
                            w.ids["collector_token"] if "school_admin" in roles else
                            w.ids["poster"] if rule.endpoint.startswith("checkin.") else
                            w.ids["grid_handover_token"] if rule.endpoint.startswith("grid.handover") else
                            w.ids["group_token"] if rule.endpoint.startswith("group.") else code_token)
        elif name == "family_member_id":  # 删除 a consented member; the consent step of a pending request
            values[name] = w.ids["family" if "family_owner" in roles else "pending"]
        elif name == "link_id":
            values[name] = w.ids["family"]
        elif name == "person_id":
            values[name] = w.people[PERSON_IDS.get(rule.endpoint, "member")]
        elif name == "declaration_id" and rule.endpoint.startswith("institution."):  # 成员申报's, not a school's
            values[name] = w.ids["institution_declaration_id"]
        elif name == "ticket":  # a scan's, by the place's inspector, by the doctor or by the 网格员
            values[name] = w.ids["medical_ticket" if rule.endpoint.startswith("medical.") else
                                 "grid_ticket" if rule.endpoint.startswith("grid.") else "ticket"]
        elif name == "staff_id":  # an inspector's binding, an enabled 医护人员, or a 网格员's binding
            values[name] = w.ids["medical_staff_id" if rule.endpoint.startswith("operator.") else
                                 "grid_staff_id" if rule.endpoint.startswith("grid.") else "staff_id"]
        elif name == "appointment_id":  # a 区划管理员's appointment: the operator's (city level) or 天河区's
            values[name] = w.ids["city_appointment_id" if rule.endpoint.startswith("operator.") else "appointment_id"]
        else:
            values[name] = {"day": TODAY.isoformat(), "key": "fever", "kind": "declarations"}.get(name) \
                or w.ids[name]
    path = rule.build(values, append_unknown=False)[1]
    if "invitee" in roles and "org_id" in rule.arguments:
        return f"{path}?t={w.ids['member_token']}"  # opened from the card: its token in the query
    if "scanner" in roles and "token" not in rule.arguments:
        return f"{path}?t={code_token}"
    return path


def get_rules(app):
    return [rule for rule in rules(app) if "GET" in rule.methods and rule.endpoint != "static"]


def test_item11_every_get_screen_is_a_page_and_a_fragment_for_its_user(client, db, actions, scene, app):
    w = world(db, scene)
    code_token = code_tokens.issue(w.people["member"], clock.now(), app.config["SECRET_KEY"])
    screens, not_html, redirected, parts, failures = [], [], [], [], []
    by_endpoint = {rule.endpoint: rule for rule in get_rules(app)}
    named = set(STEPS) | set(USERS) | set(PERSON_IDS) | set(REDIRECTS) | set(PARTS) | set(NOT_HTML)
    assert named <= set(by_endpoint), f"stale names here: {sorted(named - set(by_endpoint))}"
    ordered = [rule for name, rule in by_endpoint.items() if name not in STEPS] + [by_endpoint[n] for n in STEPS]
    for rule in ordered:
        assert rule.endpoint in access.ENDPOINTS, rule.endpoint  # test_access_registry.py says the same
        user = user_for(rule)
        if user is None:
            actions.logout()
        else:
            actions.login(db.session.get(Person, w.people[user]))
        if rule.endpoint in STEPS:
            STEPS[rule.endpoint](actions, w)
        url = url_for_rule(rule, w, code_token)
        page = client.get(url)
        reason = REDIRECTS.get(rule.endpoint)
        if reason is not None:
            redirected.append(rule.endpoint)
            if page.status_code not in (302, 303):
                failures.append(f"{rule.endpoint} {url} as {user}: listed as a redirect ({reason}), "
                                f"answered {page.status_code}")
            continue
        if rule.endpoint in PARTS:
            parts.append(rule.endpoint)
            for response in (page, client.get(url, headers=HTMX)):
                body = text(response)
                if not (response.status_code == 200 and response.mimetype == "text/html" and "<html" not in body
                        and 'id="screen"' not in body and "HX-Request" in response.headers.get("Vary", "")):
                    failures.append(f"{rule.endpoint} {url} as {user}: listed as a part ({PARTS[rule.endpoint]}), "
                                    f"answered {response.status_code} {body[:80]!r}")
            continue
        if page.status_code == 200 and page.mimetype != "text/html":
            not_html.append((rule.endpoint, page.mimetype))
            continue
        try:
            assert_whole_page(page)
            fragment = client.get(url, headers=HTMX)
            assert_fragment(fragment)
            assert _TITLE.search(text(fragment)).group(1) == _TITLE.search(text(page)).group(1)
            assert_whole_page(client.get(url, headers={**HTMX, "HX-History-Restore-Request": "true"}))
        except AssertionError as error:
            where = location(page) if page.status_code in (302, 303) else ""
            failures.append(f"{rule.endpoint} {url} as {user}: {page.status_code} {where} {error}")
            continue
        screens.append(rule.endpoint)
    assert not failures, "\n".join(failures)
    assert len(screens) >= 60, screens  # every screen of every blueprint, not a handful
    assert dict(not_html) == NOT_HTML  # not screens, and no screen answers anything but HTML
    assert len(redirected) == len(REDIRECTS) and len(parts) == len(PARTS)


def test_item11_each_request_has_its_own_app_context(client, db, actions, scene):
    """A login cached by one request (Flask-Login's g._login_user) is not seen by the next: forgetting the
    cookie logs out, with no g.pop in between (tests/conftest.py RequestClient)."""
    actions.login(scene.collector)
    assert client.get("/workbench/").status_code == 200
    actions.logout()
    response = client.get("/workbench/")
    assert response.status_code == 302 and location(response).startswith("/auth/login")

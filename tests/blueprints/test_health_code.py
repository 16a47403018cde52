"""粤康码 screens (SPEC H1, H2, H4, P3, P6, P7, P9, Q2, Q3; issue 4, issue 8 item 8): the home page, 出示粤康码
with its 2-minute QR token and the resolver only scanners may use, 我的粤康码 and its histories, and 健康申报."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
import qrcode
from sqlalchemy import delete, select

from tests.blueprints.code_qr import card_png, on_screen, qr_text, token_of
from tests.blueprints.support import (
    assert_fragment,
    assert_whole_page,
    collapse,
    count,
    form_key,
    location,
    location_path,
    text,
)
from tests.blueprints.test_query_counts import statements
from tests.conftest import DEFAULT_NOW
from tests.factories import make_person
from tests.family_helpers import make_family_link
from yks_web import clock as app_clock
from yks_web import qr, qr_symbol
from yks_web.models import (
    AuditLog,
    FamilyMember,
    ObservationNotice,
    Person,
    PersonalDeclaration,
    RateEvent,
    TemperatureCheck,
)
from yks_web.services import code_scans, code_tokens, health_data, health_records, personal
from yks_web.services.health_data import CodeStatus
from yks_web.services.rate_limits import Limit

UTC_NOW = datetime(2026, 11, 20, 1, 0)  # DEFAULT_NOW in naive UTC


@dataclass
class People:
    me: Person  # 陈晓红, logged in
    child: Person  # 陈小宝, my family member
    stranger: Person
    family_row_id: int


@pytest.fixture
def people(db) -> People:
    me = make_person(db, "陈晓红")
    child = make_person(db, "陈小宝")
    stranger = make_person(db, "路人甲")
    row = make_family_link(db, me, child, "子女")  # consented (I7): the guardian check passed
    db.session.commit()
    return People(me=me, child=child, stranger=stranger, family_row_id=row.id)


def set_colour(db, person, colour, reason="", city="广州市", guidance=""):
    health_data.set_status(db.session, person.id, colour=colour, reason=reason, city=city, guidance=guidance,
                           utc_now=UTC_NOW)
    db.session.commit()


def show(client, query: str = "") -> tuple[object, str]:
    response = client.get("/code/" + query)
    return response, text(response)


def later(clock, seconds: int) -> None:
    clock(DEFAULT_NOW + timedelta(seconds=seconds))


# --- the 粤康码 home ------------------------------------------------------------------------------------------


def test_issue4_home_is_the_logged_in_persons_start_page_with_the_entries(client, actions, people):
    actions.login(people.me)
    page = text(client.get("/"))
    for label, href in [
        ("出示粤康码", "/code/"),
        ("添加/管理家庭成员", "/family/"),
        ("健康情况申报", "/code/declare-menu"),
        ("我的粤康码", "/code/mine"),
        ("学生/教职工个人健康情况采集", "/workbench/"),
    ]:
        assert re.search(rf'href="{re.escape(href)}"[^>]*>{re.escape(label)}', page), label
    assert "防疫工作台" in page
    assert "*晓红" in page and "陈晓红" not in page


def test_issue4_declare_menu_leads_to_personal_and_school_declaration(client, actions, people):
    actions.login(people.me)
    page = text(client.get("/code/declare-menu"))
    assert re.search(r'href="/code/declare"[^>]*>个人健康申报', page)
    assert re.search(r'href="/declare/"[^>]*>学生/教职工个人健康申报', page)


def test_issue4_home_asks_to_log_in_when_not_logged_in(client, people):
    page = text(client.get("/"))
    assert "实名认证登录" in page and 'href="/auth/login"' in page
    assert "出示粤康码" not in page and "/code/" not in page


@pytest.mark.parametrize(
    "url", ["/code/", "/code/mine", "/code/guidance", "/code/declare", "/code/history/declarations",
            "/code/scan/anything", "/code/resolve?t=x", "/code/card"],
)
def test_i4_code_pages_need_a_login(client, people, url):
    response = client.get(url)
    assert response.status_code == 302
    assert location_path(response) == "/auth/login"


# --- H1 出示粤康码 --------------------------------------------------------------------------------------------------


def test_h1_green_code_shows_masked_name_status_in_words_time_and_no_guidance(client, actions, people):
    actions.login(people.me)
    response, page = show(client)
    assert response.status_code == 200
    flat = collapse(page)
    assert "*晓红" in page and "陈晓红" not in page
    assert 'role="status">绿码' in flat and "未发现健康问题" in page
    assert "code-card code-green" in page
    assert "2026-11-20 09:00:00" in page
    assert "/code/guidance" not in page and "解除指引" not in page
    assert people.me.id_number not in page


@pytest.mark.parametrize(("colour", "label", "reason"), [("yellow", "黄码", "14日内有中高风险地区旅居史"),
                                                         ("red", "红码", "密切接触者")])
def test_h1_yellow_and_red_show_the_reason_that_opens_the_guidance(client, actions, db, people, colour, label,
                                                                   reason):
    set_colour(db, people.me, colour, reason, guidance="请配合属地落实管控措施。")
    actions.login(people.me)
    page = text(client.get("/code/"))
    flat = collapse(page)
    assert f'role="status">{label}' in flat
    assert f"code-card code-{colour}" in page
    assert re.search(rf'<a [^>]*href="/code/guidance"[^>]*>{reason}（查看解除指引）</a>', page)
    guide = text(client.get("/code/guidance"))
    assert label in guide and reason in guide and "广州市" in guide and "请配合属地落实管控措施。" in guide


def test_h1_guidance_without_text_gives_a_general_instruction(client, actions, db, people):
    set_colour(db, people.me, "yellow", "时空伴随", guidance="")
    actions.login(people.me)
    page = text(client.get("/code/guidance"))
    assert "时空伴随" in page and "疫情防控" in page


def resolves_to(app, token: str) -> int | None:
    try:
        return code_tokens.resolve(token, app_clock.now(), app.config["SECRET_KEY"])
    except code_tokens.TokenInvalid:
        return None


def test_h1_qr_is_an_inline_image_of_a_live_token(app, client, actions, people):
    """Issue 14 item 3: the QR is in the card itself (a small PNG as a data: URI), no second request."""
    actions.login(people.me)
    page = text(client.get("/code/"))
    assert re.search(r'<img class="code-qr" src="data:image/png;base64,[^"]+"[^>]*alt="\*晓红的粤康码二维码（绿码）"',
                     page)
    assert card_png(page).startswith(b"\x89PNG")
    assert resolves_to(app, token_of(page)) == people.me.id


@pytest.mark.parametrize(("colour", "rgb"), [("green", (0x1B, 0x7F, 0x3B)), ("yellow", (0xD9, 0xA0, 0x00)),
                                             ("red", (0xC6, 0x28, 0x28))])
def test_h1_qr_is_drawn_in_the_status_colour(client, actions, db, people, colour, rgb):
    if colour != "green":
        set_colour(db, people.me, colour, "原因")
    actions.login(people.me)
    image = on_screen(card_png(text(client.get("/code/"))))
    assert {c for _, c in image.getcolors(maxcolors=1 << 16)} == {rgb, (255, 255, 255)}


def test_h1_qr_encodes_the_resolver_address_never_the_id_number(app, client, actions, people):
    actions.login(people.me)
    for url in ("/code/", "/code/card"):
        shown = qr_text(text(client.get(url)))
        assert re.fullmatch(r"http://yks\.test/code/scan/[A-Za-z0-9_-]{48}", shown), shown
        assert people.me.id_number not in shown
        assert resolves_to(app, shown.rsplit("/", 1)[1]) == people.me.id


def test_h1_code_card_refreshes_itself_every_minute(client, actions, people):
    actions.login(people.me)
    page = text(client.get("/code/"))
    card = re.search(r'<section id="code-card"[^>]*>', page).group(0)
    assert 'hx-trigger="every 60s"' in card
    assert 'hx-select="#code-card"' in card
    assert 'hx-get="/code/card"' in card  # the card alone (issue 14 item 3); reload and back keep /code/
    assert "二维码每分钟自动刷新" in page


def test_issue14_item3_the_poll_is_the_card_alone_with_its_qr_inline(app, client, actions, people):
    """One request a minute: the card (no page, no <head>, no family switcher, no menu), the QR inside it and
    nothing else to fetch; a plain GET of the same URL gets the same card (a part, not a screen)."""
    actions.login(people.me)
    for headers in ({"HX-Request": "true"}, {}):
        response = client.get("/code/card", headers=headers)
        body = text(response)
        assert response.status_code == 200 and response.mimetype == "text/html"
        assert body.lstrip().startswith('<section id="code-card"') and body.rstrip().endswith("</section>")
        assert "<html" not in body and 'id="screen"' not in body and "<title>" not in body
        assert "HX-Request" in response.headers["Vary"] and response.headers["Cache-Control"] == "no-store"
        assert 'hx-get="/code/card"' in body and "*晓红" in body and "2026-11-20 09:00:00" in body
        sources = re.findall(r'src="([^"]*)"', body)
        assert len(sources) == 1 and sources[0].startswith("data:image/png;base64,")  # nothing else to fetch
        assert resolves_to(app, token_of(body)) == people.me.id


def test_h1_polling_a_minute_later_gives_a_new_token_and_the_old_one_dies_after_two_minutes(
        app, client, actions, clock, people):
    actions.login(people.me)
    first = token_of(text(client.get("/code/")))
    later(clock, 60)
    fragment = text(client.get("/code/card", headers={"HX-Request": "true"}))
    assert 'id="code-card"' in fragment and "2026-11-20 09:01:00" in fragment
    second = token_of(fragment)
    assert second != first
    later(clock, 119)
    assert resolves_to(app, first) == people.me.id
    later(clock, 121)
    assert resolves_to(app, first) is None
    assert resolves_to(app, second) == people.me.id


def test_h2_code_page_follows_an_operators_change(client, actions, db, people):
    actions.login(people.me)
    assert "绿码" in text(client.get("/code/"))
    set_colour(db, people.me, "red", "密切接触者")
    db.session.expire_all()
    page = text(client.get("/code/card", headers={"HX-Request": "true"}))
    assert "红码" in page and "密切接触者" in page


def test_h2_code_page_reads_the_configured_provider(client, actions, app, people, monkeypatch):
    class External:
        def __init__(self, session):
            pass

        def statuses(self, person_ids):
            return {pid: CodeStatus("yellow", "外部数据源判定", None, "深圳市", "") for pid in person_ids}

        def latest_tests(self, person_ids):
            return {}

        def vaccinations(self, person_ids):
            return {pid: [] for pid in person_ids}

        def entries(self, person_id):
            return []

    monkeypatch.setitem(app.extensions, "health_data", External)
    actions.login(people.me)
    page = text(client.get("/code/"))
    assert "黄码" in page and "外部数据源判定" in page


# --- family members' codes (H3, P7) -----------------------------------------------------------------------------


def test_h3_switch_to_a_family_members_code(app, client, actions, db, people):
    set_colour(db, people.child, "yellow", "时空伴随")
    actions.login(people.me)
    mine = text(client.get("/code/"))
    assert re.search(rf'href="/code/\?member={people.child.id}"[^>]*>\*小宝', mine)
    response, page = show(client, f"?member={people.child.id}")
    assert response.status_code == 200
    assert "*小宝" in page and "黄码" in page and "时空伴随" in page
    assert f'hx-get="/code/card?member={people.child.id}"' in page
    assert f'href="/code/guidance?member={people.child.id}"' in page
    assert resolves_to(app, token_of(page)) == people.child.id
    card = text(client.get(f"/code/card?member={people.child.id}", headers={"HX-Request": "true"}))
    assert "*小宝" in card and "黄码" in card and f'href="/code/guidance?member={people.child.id}"' in card
    assert resolves_to(app, token_of(card)) == people.child.id
    assert "时空伴随" in text(client.get(f"/code/guidance?member={people.child.id}"))


def test_h1_own_id_as_member_is_ones_own_code(client, actions, people):
    actions.login(people.me)
    response, page = show(client, f"?member={people.me.id}")
    assert response.status_code == 200 and "*晓红" in page


@pytest.mark.parametrize("member", ["stranger", "abc", "", "-1", "0", "99999999999", "²", "1.5"])
def test_p7_someone_elses_code_is_404(client, actions, people, member):
    actions.login(people.me)
    value = str(people.stranger.id) if member == "stranger" else member
    for url in ("/code/", "/code/card", "/code/mine", "/code/guidance", "/code/declare",
                "/code/history/declarations"):
        assert client.get(f"{url}?member={value}").status_code == 404, url


def test_p7_a_removed_family_members_code_is_404(client, actions, db, people):
    db.session.get(FamilyMember, people.family_row_id).active = False
    db.session.commit()
    actions.login(people.me)
    assert client.get(f"/code/?member={people.child.id}").status_code == 404
    assert client.get(f"/code/card?member={people.child.id}").status_code == 404  # the open page's poll too


def test_p7_the_family_member_cannot_show_the_owners_code(client, actions, people):
    actions.login(people.child)
    assert client.get(f"/code/?member={people.me.id}").status_code == 404
    assert client.get(f"/code/card?member={people.me.id}").status_code == 404


# --- the inspector's resolver: scanning is a role (issue 8 item 8) -------------------------------------------


@pytest.fixture
def scanner(db) -> Person:
    """An account entitled to scan codes: for now an operator (services/access.SCANNERS)."""
    person = make_person(db, "王检查", is_operator=True)
    db.session.commit()
    return person


def my_token(client, actions, person, query: str = "") -> str:
    actions.login(person)
    return token_of(text(client.get("/code/" + query)))


def test_h1_scan_shows_the_masked_identity_and_the_status_in_words(client, actions, db, people, scanner):
    set_colour(db, people.me, "red", "密切接触者")
    token = my_token(client, actions, people.me)
    actions.login(scanner)
    response = client.get(f"/code/scan/{token}")
    page = text(response)
    assert response.status_code == 200
    assert "*晓红" in page and "陈晓红" not in page
    assert people.me.masked_id in page and people.me.id_number not in page
    assert "红码（密切接触者）" in page and 'role="status">红码' in collapse(page)


def test_h1_scan_of_a_green_code(client, actions, people, scanner):
    token = my_token(client, actions, people.me)
    actions.login(scanner)
    assert "绿码（未发现健康问题）" in text(client.get(f"/code/scan/{token}"))


@pytest.mark.parametrize("who", ["me", "child", "stranger"])
def test_item8_a_non_scanner_gets_404_and_never_the_persons_data(client, actions, db, people, who):
    """A citizen scanning a code with their phone (even their own or their child's) learns nothing: 404, a page
    saying only inspectors see the result, no name, no ID, no colour; the JSON resolver says the same."""
    set_colour(db, people.me, "red", "密切接触者")
    token = my_token(client, actions, people.me)
    actions.login(getattr(people, who))
    response = client.get(f"/code/scan/{token}")
    page = text(response)
    assert response.status_code == 404
    assert "仅供防疫检查人员扫码查验" in page
    for secret in ("晓红", people.me.masked_id, "红码", "密切接触者", "绿码", "黄码"):
        assert secret not in page
    answer = client.get("/code/resolve", query_string={"t": token})
    assert answer.status_code == 404
    assert answer.get_json() == {"error": code_scans.NOT_A_SCANNER}
    assert count(db, AuditLog) == 0 and count(db, RateEvent) == 0


def test_item8_the_citizen_page_does_not_tell_a_live_token_from_a_forged_one(client, actions, people):
    token = my_token(client, actions, people.me)
    actions.login(people.stranger)
    live, forged = client.get(f"/code/scan/{token}"), client.get("/code/scan/forged")
    assert live.status_code == forged.status_code == 404
    assert text(live) == text(forged)


def test_item8_every_resolve_is_audited_with_the_subject_and_the_scanners_role(client, actions, db, people,
                                                                                scanner):
    token = my_token(client, actions, people.me)
    child_token = my_token(client, actions, people.me, f"?member={people.child.id}")
    actions.login(scanner)
    client.get(f"/code/scan/{token}")
    client.get("/code/resolve", query_string={"t": child_token})
    client.get("/code/resolve", query_string={"t": "forged"})  # nobody read: no audit row
    rows = db.session.scalars(select(AuditLog).where(AuditLog.action == "resolve_code").order_by(AuditLog.id)).all()
    assert [(r.actor_id, r.subject_id, r.action, r.role) for r in rows] == [
        (scanner.id, people.me.id, "resolve_code", "operator"),
        (scanner.id, people.child.id, "resolve_code", "operator"),
    ]
    assert all(r.created_at == UTC_NOW for r in rows)


def test_item8_resolves_are_limited_per_account(client, actions, db, clock, people, scanner):
    """120 a minute per account (services/code_scans: a busy door is 20–30 a minute); then 429 with a message,
    forged tokens counting too; a minute later it works again."""
    token = my_token(client, actions, people.me)
    actions.login(scanner)
    assert code_scans.PER_ACCOUNT.count == 120
    for i in range(code_scans.PER_ACCOUNT.count):
        url = "/code/resolve?t=forged" if i % 2 else f"/code/resolve?t={token}"
        assert client.get(url).status_code in (200, 404), i
    refused = client.get("/code/resolve", query_string={"t": token})
    assert refused.status_code == 429
    assert refused.get_json() == {"error": "扫码过于频繁，请稍后再试"}
    page = client.get(f"/code/scan/{token}")
    assert page.status_code == 429 and "扫码过于频繁" in text(page) and "晓红" not in text(page)
    audited = count(db, AuditLog)
    assert audited == code_scans.PER_ACCOUNT.count // 2  # the refused ones read nothing
    later(clock, 61)
    fresh = my_token(client, actions, people.me)
    actions.login(scanner)
    assert client.get("/code/resolve", query_string={"t": fresh}).status_code == 200


def test_item8_resolves_are_limited_per_address_across_accounts(client, actions, db, people, scanner,
                                                                 monkeypatch):
    monkeypatch.setattr(code_scans, "PER_ADDRESS", Limit("scan_address", 3, timedelta(minutes=1)))
    second = make_person(db, "李检查", is_operator=True)
    db.session.commit()
    token = my_token(client, actions, people.me)
    for person in (scanner, scanner, second):
        actions.login(person)
        assert client.get("/code/resolve", query_string={"t": token}).status_code == 200
    assert client.get("/code/resolve", query_string={"t": token}).status_code == 429
    other_address = client.get("/code/resolve", query_string={"t": token}, environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other_address.status_code == 200


def test_h1_expired_token_shows_the_expired_message_with_404(client, actions, clock, people, scanner):
    token = my_token(client, actions, people.me)
    actions.login(scanner)
    later(clock, 119)
    assert client.get(f"/code/scan/{token}").status_code == 200
    later(clock, 121)
    response = client.get(f"/code/scan/{token}")
    page = text(response)
    assert response.status_code == 404
    assert "二维码已失效" in page and "*晓红" not in page


@pytest.mark.parametrize("token", ["forged", "1.1763600000.abcd.xyz", "x" * 300, "粤康码", "A" * 48])
def test_q2_forged_token_shows_the_expired_message_with_404(client, actions, people, scanner, token):
    actions.login(scanner)
    response = client.get(f"/code/scan/{token}")
    assert response.status_code == 404
    assert "二维码已失效" in text(response)


def test_q2_token_sealed_with_another_secret_is_refused(client, actions, people, scanner):
    forged = code_tokens.issue(people.me.id, app_clock.now(), "not-the-secret")
    actions.login(scanner)
    assert client.get(f"/code/scan/{forged}").status_code == 404
    assert client.get("/code/resolve", query_string={"t": forged}).status_code == 404


def test_h1_resolve_returns_the_masked_identity_and_status_as_json(client, actions, db, people, scanner):
    set_colour(db, people.me, "yellow", "时空伴随")
    token = my_token(client, actions, people.me)
    actions.login(scanner)
    response = client.get("/code/resolve", query_string={"t": token})
    assert response.status_code == 200
    assert response.get_json() == {
        "name": "*晓红", "id_number": people.me.masked_id, "colour": "yellow", "status": "黄码", "reason": "时空伴随",
    }
    assert re.fullmatch(r"\d{2}\*{14}[\dX]{2}", response.get_json()["id_number"])
    assert people.me.id_number not in text(response)


def test_h1_resolve_a_family_members_token(client, actions, people, scanner):
    token = my_token(client, actions, people.me, f"?member={people.child.id}")
    actions.login(scanner)
    body = client.get("/code/resolve", query_string={"t": token}).get_json()
    assert (body["name"], body["status"], body["reason"]) == ("*小宝", "绿码", "未发现健康问题")


@pytest.mark.parametrize("query", [{}, {"t": ""}, {"t": "forged"}, {"t": "x" * 300}, {"t": "1.2.3"}])
def test_q2_resolve_refuses_bad_tokens_with_json_404(client, actions, people, scanner, query):
    actions.login(scanner)
    response = client.get("/code/resolve", query_string=query)
    assert response.status_code == 404
    assert response.is_json and "二维码已失效" in response.get_json()["error"]


def test_h1_resolve_refuses_an_expired_token(client, actions, clock, people, scanner):
    token = my_token(client, actions, people.me)
    actions.login(scanner)
    later(clock, 121)
    response = client.get("/code/resolve", query_string={"t": token})
    assert response.status_code == 404 and "name" not in response.get_json()


def test_h1_token_of_a_person_that_no_longer_exists_is_refused(client, actions, people, scanner):
    token = code_tokens.issue(999_999, app_clock.now(), "test-secret")
    actions.login(scanner)
    assert client.get(f"/code/scan/{token}").status_code == 404
    assert client.get("/code/resolve", query_string={"t": token}).status_code == 404


def test_p6_raw_id_number_never_appears_on_code_screens(client, actions, db, people):
    set_colour(db, people.me, "red", "密切接触者")
    actions.login(people.me)
    page = text(client.get("/code/"))
    token = token_of(page)
    bodies = [page] + [text(client.get(url)) for url in (
        "/code/mine", "/code/guidance", f"/code/scan/{token}", f"/code/resolve?t={token}",
        f"/code/?member={people.child.id}",
    )]
    for body in bodies:
        assert people.me.id_number not in body
        assert people.child.id_number not in body


# --- 我的粤康码 (H2, H4) ---------------------------------------------------------------------------------------------


def test_h2_mine_shows_status_latest_test_doses_and_the_four_histories(client, actions, db, people):
    set_colour(db, people.me, "yellow", "14日内有中高风险地区旅居史", city="深圳市")
    health_records.add_test(db.session, people.me.id, sampled_at=UTC_NOW - timedelta(hours=30), result="阴性",
                            institution="旧机构")
    health_records.add_test(db.session, people.me.id, sampled_at=UTC_NOW - timedelta(hours=2), result="阴性",
                            institution="广州市第一人民医院")
    for dose in (2, 1):
        health_records.add_vaccination(db.session, people.me.id, dose=dose, vaccinated_on=date(2021, 4 + dose, 1),
                                       manufacturer="北京科兴")
    db.session.commit()
    actions.login(people.me)
    page = text(client.get("/code/mine"))
    assert "*晓红的健康码" in page
    assert "黄码" in page and "14日内有中高风险地区旅居史" in page and "深圳市" in page
    assert "2026-11-20 09:00:00" in page  # 判定时间 in Shanghai time
    assert 'href="/code/guidance"' in page
    assert "广州市第一人民医院" in page and "2026-11-20 07:00:00" in page and "旧机构" not in page
    assert page.index("第1剂") < page.index("第2剂")
    assert "2021-05-01 北京科兴" in page
    for kind, label in [("declarations", "健康申报历史"), ("temperature", "体温检测历史"),
                        ("entries", "入粤登记历史"), ("notices", "解除医学观察电子告知书")]:
        assert re.search(rf'href="/code/history/{kind}"[^>]*>{label}', page), kind


def test_h2_mine_with_nothing_recorded_says_so(client, actions, people):
    actions.login(people.me)
    page = text(client.get("/code/mine"))
    assert "绿码" in page and "未发现健康问题" in page
    assert "暂无核酸检测记录" in page and "暂无疫苗接种记录" in page
    assert "/code/guidance" not in page


def test_h2_mine_of_a_family_member_links_their_histories(client, actions, db, people):
    health_records.add_vaccination(db.session, people.child.id, dose=1, vaccinated_on=date(2022, 1, 1))
    db.session.commit()
    actions.login(people.me)
    page = text(client.get(f"/code/mine?member={people.child.id}"))
    assert "*小宝的健康码" in page and "第1剂" in page
    assert f'href="/code/history/entries?member={people.child.id}"' in page


# --- histories (H4) -------------------------------------------------------------------------------------------

EMPTY = {
    "declarations": "暂无健康申报记录",
    "temperature": "暂无体温检测记录",
    "entries": "暂无入粤登记记录",
    "notices": "暂无解除医学观察电子告知书",
}
TITLES = {
    "declarations": "健康申报历史",
    "temperature": "体温检测历史",
    "entries": "入粤登记历史",
    "notices": "解除医学观察电子告知书",
}


@pytest.mark.parametrize("kind", list(EMPTY))
def test_h4_each_history_has_a_meaningful_empty_state(client, actions, people, kind):
    actions.login(people.me)
    response = client.get(f"/code/history/{kind}")
    page = text(response)
    assert response.status_code == 200
    assert f"<h1>{TITLES[kind]}</h1>" in page
    assert EMPTY[kind] in page
    assert 'class="kv-list"' not in page  # no rows


def _declare(db, person, remarks, hours_ago, key):
    personal.submit(db.session, person_id=person.id, actor_id=person.id, form_key=key,
                    utc_now=UTC_NOW - timedelta(hours=hours_ago),
                    answers={"location_province": "广东省", "location_city": remarks, "temperature": Decimal("36.6"),
                             "temperature_band": None, "has_symptoms": False, "risk_travel": False,
                             "contact_case": False, "remarks": ""})


def _fill(db, person, kind):
    """Three rows of `kind`, the newest in the middle; returns their labels newest first."""
    if kind == "declarations":
        for city, hours in (("惠州市", 30), ("深圳市", 1), ("珠海市", 5)):
            _declare(db, person, city, hours, f"{person.id}-{city}")
        expected = ["深圳市", "珠海市", "惠州市"]
    elif kind == "temperature":
        for place, hours in (("东门", 30), ("北门", 1), ("南门", 5)):
            db.session.add(TemperatureCheck(person_id=person.id, checked_at=UTC_NOW - timedelta(hours=hours),
                                            result="正常", place_name=place))
        expected = ["北门", "南门", "东门"]
    elif kind == "entries":
        for region, days in (("上海市", 30), ("湖南省", 1), ("北京市", 5)):
            health_records.add_entry(db.session, person.id, arrived_on=date(2026, 11, 20) - timedelta(days=days),
                                     from_region=region, utc_now=UTC_NOW)
        expected = ["湖南省", "北京市", "上海市"]
    else:
        for text_, days in (("第一份告知书", 30), ("第三份告知书", 1), ("第二份告知书", 5)):
            db.session.add(ObservationNotice(person_id=person.id, issued_at=UTC_NOW - timedelta(days=days),
                                             issuer_name="李医生", institution="越秀区疾控中心", content=text_))
        expected = ["第三份告知书", "第二份告知书", "第一份告知书"]
    db.session.commit()
    return expected


@pytest.mark.parametrize("kind", list(EMPTY))
def test_h4_each_history_lists_rows_newest_first(client, actions, db, people, kind):
    expected = _fill(db, people.me, kind)
    _fill(db, people.stranger, kind)  # someone else's rows are never shown
    actions.login(people.me)
    page = text(client.get(f"/code/history/{kind}"))
    assert EMPTY[kind] not in page
    positions = [page.index(label) for label in expected]
    assert positions == sorted(positions)
    assert all(page.count(label) == 1 for label in expected)


def test_h4_history_rows_show_their_fields(client, actions, db, people):
    _fill(db, people.me, "notices")
    _fill(db, people.me, "temperature")
    actions.login(people.me)
    notices = text(client.get("/code/history/notices"))
    assert "越秀区疾控中心" in notices and "李医生" in notices
    temperature = text(client.get("/code/history/temperature"))
    assert "2026-11-20 08:00:00" in temperature and "正常" in temperature


def test_h4_a_family_members_history(client, actions, db, people):
    expected = _fill(db, people.child, "temperature")
    actions.login(people.me)
    page = text(client.get(f"/code/history/temperature?member={people.child.id}"))
    assert all(label in page for label in expected)
    assert EMPTY["temperature"] in text(client.get("/code/history/temperature"))


@pytest.mark.parametrize("kind", ["unknown", "Declarations", "declarations.json", "%E5%8E%86%E5%8F%B2"])
def test_q2_unknown_history_is_404(client, actions, people, kind):
    actions.login(people.me)
    assert client.get(f"/code/history/{kind}").status_code == 404


# --- 健康申报 (H4, P4) ----------------------------------------------------------------------------------------------


def declaration(**overrides) -> dict:
    data = {
        "location_province": "广东省",
        "location_city": "广州市",
        "temperature": "36.5",
        "temperature_band": "",
        "has_symptoms": "no",
        "risk_travel": "no",
        "contact_case": "no",
        "remarks": "",
    }
    data.update(overrides)
    return data


def test_h4_declare_form_carries_an_idempotency_key(client, actions, people):
    actions.login(people.me)
    page = text(client.get("/code/declare"))
    assert "*晓红" in page
    for label in ("当前所在省份", "当前所在城市", "当前体温", "是否有发热、咳嗽等症状",
                  "14日内是否有中高风险地区旅居史", "14日内是否接触过确诊或疑似病例"):
        assert label in page
    assert len(form_key(page)) == 32
    assert form_key(page) != form_key(text(client.get("/code/declare")))


def test_h4_declare_then_see_it_in_the_history(client, actions, db, people):
    actions.login(people.me)
    key = form_key(text(client.get("/code/declare")))
    response = actions.post("/code/declare", declaration(form_key=key, location_city="深圳市", has_symptoms="yes"))
    assert response.status_code == 303
    assert location(response) == "/code/history/declarations"
    page = text(client.get("/code/history/declarations"))
    assert "申报成功" in page
    assert "广东省深圳市" in page and "36.5℃" in page and "2026-11-20 09:00:00" in page
    db.session.expire_all()
    row = db.session.query(PersonalDeclaration).one()
    assert (row.person_id, row.actor_id, row.form_key, row.has_symptoms) == (people.me.id, people.me.id, key, True)
    assert row.temperature == Decimal("36.5")


def test_h4_declare_with_a_temperature_band(client, actions, db, people):
    actions.login(people.me)
    response = actions.post("/code/declare", declaration(form_key="band", temperature="",
                                                          temperature_band="37.3–38℃"))
    assert response.status_code == 303
    assert "37.3–38℃" in text(client.get("/code/history/declarations"))


@pytest.mark.parametrize("temperature", ["35.0", "42.0", "36", "３６.８"])
def test_h4_temperatures_within_the_range_are_accepted(client, actions, db, people, temperature):
    actions.login(people.me)
    response = actions.post("/code/declare", declaration(form_key=f"t-{temperature}", temperature=temperature))
    assert response.status_code == 303, text(response)
    assert count(db, PersonalDeclaration) == 1


def test_p4_double_post_of_the_same_form_makes_one_declaration(client, actions, db, people):
    actions.login(people.me)
    key = form_key(text(client.get("/code/declare")))
    first = actions.post("/code/declare", declaration(form_key=key))
    second = actions.post("/code/declare", declaration(form_key=key, location_city="珠海市"))
    assert first.status_code == second.status_code == 303
    assert count(db, PersonalDeclaration) == 1
    assert "珠海市" not in text(client.get("/code/history/declarations"))


def test_p4_another_persons_form_key_is_refused_with_a_notice(client, actions, db, people):
    actions.login(people.stranger)
    actions.post("/code/declare", declaration(form_key="taken-key"))
    actions.login(people.me)
    response = actions.post("/code/declare", declaration(form_key="taken-key", location_city="珠海市"))
    page = text(response)
    assert response.status_code == 200
    assert "表单已失效，请重新填写" in page and 'value="珠海市"' in page
    assert count(db, PersonalDeclaration, PersonalDeclaration.person_id == people.me.id) == 0


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"temperature": "50"}, "体温应在35.0–42.0℃之间"),
        ({"temperature": "34.9"}, "体温应在35.0–42.0℃之间"),
        ({"temperature": "36.55"}, "体温请保留一位小数"),
        ({"temperature": "abc"}, "体温请填写数字"),
        ({"temperature": "", "temperature_band": ""}, "请填写当前体温，或选择体温区间"),
        ({"temperature": "", "temperature_band": "40℃"}, "不是有效的选择"),
        ({"location_city": ""}, "请填写当前所在城市"),
        ({"location_province": "省" * 21}, "不能超过20个字"),
        ({"has_symptoms": ""}, "请选择是或否"),
        ({"has_symptoms": "maybe"}, "不是有效的选择"),
        ({"remarks": "备" * 201}, "备注不能超过200个字"),
    ],
)
def test_q2_bad_declaration_keeps_the_input_and_says_why(client, actions, db, people, overrides, message):
    actions.login(people.me)
    data = declaration(form_key="bad-input", **{"location_city": "惠州市", "remarks": "在家", **overrides})
    response = actions.post("/code/declare", data)
    page = text(response)
    assert response.status_code == 200
    assert message in page
    assert 'class="field-error"' in page
    if "location_province" not in overrides:
        assert 'value="广东省"' in page
    if "location_city" not in overrides:
        assert 'value="惠州市"' in page
    assert count(db, PersonalDeclaration) == 0


def test_h4_declare_for_a_family_member(client, actions, db, people):
    actions.login(people.me)
    form = text(client.get(f"/code/declare?member={people.child.id}"))
    assert "*小宝" in form and f'action="/code/declare?member={people.child.id}"' in form
    response = actions.post(f"/code/declare?member={people.child.id}", declaration(form_key=form_key(form)))
    assert response.status_code == 303
    assert location(response) == f"/code/history/declarations?member={people.child.id}"
    db.session.expire_all()
    row = db.session.query(PersonalDeclaration).one()
    assert (row.person_id, row.actor_id) == (people.child.id, people.me.id)
    assert "广东省广州市" in text(client.get(f"/code/history/declarations?member={people.child.id}"))
    assert EMPTY["declarations"] in text(client.get("/code/history/declarations"))


def test_p7_cannot_declare_for_a_stranger(client, actions, db, people):
    actions.login(people.me)
    response = actions.post(f"/code/declare?member={people.stranger.id}", declaration(form_key="x"))
    assert response.status_code == 404
    assert count(db, PersonalDeclaration) == 0


def test_p4_overlong_form_key_still_declares_once(client, actions, db, people):
    actions.login(people.me)
    response = actions.post("/code/declare", declaration(form_key="k" * 65))
    assert response.status_code == 303
    assert count(db, PersonalDeclaration) == 1


# --- P3 page or fragment, Q3 constant queries -------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/code/", "/code/mine", "/code/history/declarations", "/code/declare",
                                 "/code/guidance", "/code/declare-menu", "/family/"])
def test_p3_code_screens_are_pages_normally_and_fragments_for_htmx(client, actions, people, url):
    actions.login(people.me)
    assert_whole_page(client.get(url))
    fragment = client.get(url, headers={"HX-Request": "true"})
    assert_fragment(fragment)
    if url == "/code/":
        assert 'id="code-card"' in text(fragment)
    restore = client.get(url, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert_whole_page(restore)


def test_p3_invalid_declaration_swaps_its_errors_in_place_for_htmx(client, actions, people):
    actions.login(people.me)
    response = actions.post("/code/declare", declaration(form_key="htmx", temperature="50"),
                            headers={"HX-Request": "true"})
    assert_fragment(response)
    assert "体温应在35.0–42.0℃之间" in text(response)


def _statements(db, client, person_id: int, url: str) -> int:
    return len(statements(db, client, person_id, url))


def test_q3_code_page_queries_do_not_grow_with_the_family(client, db, people):
    owner_id, child_id = people.me.id, people.child.id
    small = {url: _statements(db, client, owner_id, url) for url in ("/code/", f"/code/?member={child_id}",
                                                                   "/code/card", f"/code/card?member={child_id}",
                                                                   "/family/")}
    for i in range(11):
        member = make_person(db, f"家人{i}")
        make_family_link(db, people.me, member, "其他")
    db.session.execute(delete(AuditLog))  # the member's read is written again, as in the small run
    db.session.commit()
    large = {url: _statements(db, client, owner_id, url) for url in small}
    assert small == large
    # The minute's poll (issue 14 item 3) runs what the page runs but the family switcher's list, the member's
    # read written as the page writes it (once per half hour).
    assert small["/code/card"] == small["/code/"] - 1
    db.session.execute(delete(AuditLog))
    db.session.commit()
    member_card = _statements(db, client, owner_id, f"/code/card?member={child_id}")
    assert member_card == small[f"/code/?member={child_id}"] - 1


def test_p10_a_family_owners_reads_are_in_the_members_reads_once_per_half_hour(client, actions, db, clock, people):
    """Review finding (issue 8 item 9): 出示粤康码, 我的粤康码, 解除指引 and the histories of a family member are
    reads of their health data; the member sees them in 查阅记录. The code page refreshes every minute at a
    door: one row per half hour and screen kind, not one a minute. One's own screens write nothing."""
    child = people.child.id
    actions.login(people.me)
    for url in ("/code/", "/code/mine", "/code/guidance", "/code/history/declarations"):
        assert client.get(url).status_code == 200  # my own: no row
    assert count(db, AuditLog) == 0
    for _ in range(3):
        assert client.get(f"/code/?member={child}").status_code == 200
        assert client.get(f"/code/card?member={child}", headers={"HX-Request": "true"}).status_code == 200
    client.get(f"/code/mine?member={child}")
    client.get(f"/code/history/temperature?member={child}")
    rows = db.session.scalars(select(AuditLog).order_by(AuditLog.id)).all()
    assert [(r.actor_id, r.subject_id, r.role, r.action) for r in rows] == [
        (people.me.id, child, "family_owner", "view_health_code"),
        (people.me.id, child, "family_owner", "view_health"),
    ]
    clock(DEFAULT_NOW + timedelta(minutes=31))
    client.get(f"/code/card?member={child}", headers={"HX-Request": "true"})  # the page left open: its poll
    assert count(db, AuditLog, AuditLog.action == "view_health_code") == 2

    actions.login(people.child)
    page = text(client.get("/me/reads"))
    assert "家庭成员管理人" in page and "出示粤康码" in page and "*晓红" in page and "陈晓红" not in page


def test_issue14_item3_a_refresh_draws_one_symbol_with_the_fixed_mask(client, actions, people, monkeypatch):
    """Each refresh holds a new token, so its QR is drawn anew (issue 10 item 9's image cache is gone with the
    image's URL): once, with qr.CODE_MASK, never by qrcode's search that draws and scores all eight masks."""
    drawn = []
    real_rows = qr_symbol.rows
    monkeypatch.setattr(qr_symbol, "rows", lambda data, mask: drawn.append(mask) or real_rows(data, mask))
    monkeypatch.setattr(qrcode.QRCode, "best_mask_pattern", lambda self: pytest.fail("the mask search ran"))
    actions.login(people.me)
    assert client.get("/code/").status_code == 200
    assert client.get("/code/card", headers={"HX-Request": "true"}).status_code == 200
    assert drawn == [qr.CODE_MASK, qr.CODE_MASK]

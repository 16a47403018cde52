"""数据统计 screens (SPEC O5, issue 10 items 6 and 7): the admin's charts and tables, the inspector's own counts."""

from __future__ import annotations

import base64
import re
from datetime import datetime

import pytest
from sqlalchemy import event

from tests.blueprints.support import TODAY, YESTERDAY, assert_fragment, assert_whole_page, collapse, text
from tests.conftest import sign_in
from tests.factories import make_check, make_inspector, make_person, make_place
from tests.services.test_place_stats import add_check
from yks_web import clock
from yks_web.privacy import mask_name, mask_phone

HX = {"HX-Request": "true"}
_SVG = re.compile(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"')


def stats_url(place, day: str | None = None) -> str:
    return f"/places/{place.id}/stats" + (f"?day={day}" if day is not None else "")


def charts_of(body: str) -> list[str]:
    return [base64.b64decode(data).decode() for data in _SVG.findall(body)]


@pytest.fixture
def scene(db):
    """天河城, its admin 欧阳管理, inspectors 钟检测 and 司马查, two checked citizens and a 快速打卡."""
    admin = make_person(db, "欧阳管理")
    place = make_place(db, admin, "天河城")
    first, second = make_inspector(db, place, "钟检测"), make_inspector(db, place, "司马查")
    citizens = [make_person(db, "慕容复", phone="13912345678"), make_person(db, "令狐冲", phone="13787654321")]
    for person, inspector, result, hour in ((citizens[0], first, "发热", 8), (citizens[1], second, "正常", 9)):
        make_check(db, place, person, result=result, inspector=inspector, at=datetime(2026, 11, 20, hour, 15))
    add_check(db, place, citizens[1], day=YESTERDAY, hour=18, sex="F", birth_year=1950)
    clock.set_now(datetime(2026, 11, 20, 11, 0))
    db.session.commit()
    return place, admin, first, second, citizens


def test_o5_the_admin_sees_figures_charts_and_tables(db, client, actions, scene):
    place, admin, first, second, _ = scene
    actions.login(admin)

    response = client.get(stats_url(place))

    assert_whole_page(response)
    page = collapse(text(response))
    for label, value in (("今日发热人数", 1), ("累计发热人数", 1), ("今日检测人数", 2), ("累计检测人数", 3)):
        assert f"<dt>{label}</dt><dd>{value}</dd>" in page.replace("> <", "><")
    for title in ("男女比例（今日）", "年龄分析（今日）", "每个时段的客流（今日）"):
        assert title in page
    assert page.count('src="data:image/svg+xml;base64,') == 3
    charts = charts_of(page)
    assert all(svg.startswith("<svg") and "<script" not in svg and "http://pygal" not in svg for svg in charts)
    assert "男女比例" in charts[0] and "年龄分析" in charts[1] and "每个时段的客流" in charts[2]
    assert "<th scope=\"row\">08:00–08:59</th><td>1</td>" in page.replace("> <", "><")
    assert "<th scope=\"row\">09:00–09:59</th><td>1</td>" in page.replace("> <", "><")
    for inspector in (first, second):
        row = f'<th scope="row">{mask_name(inspector.name)}</th><td>1</td><td>1</td>'
        assert row in page.replace("> <", "><")
    assert '<th scope="row">葵花码打卡</th><td>0</td><td>1</td><td>0</td><td>0</td>' in page.replace("> <", "><")
    assert "检测员" in page and "当日登记" in page and "累计登记" in page and "当日发热" in page and "累计发热" in page
    assert "钟检测" not in page  # inspectors are masked too


def test_o5_a_past_day_and_its_neighbours(db, client, actions, scene):
    place, admin, *_ = scene
    actions.login(admin)

    page = collapse(text(client.get(stats_url(place, YESTERDAY.isoformat())))).replace("> <", "><")

    assert "<dt>11月19日检测人数</dt><dd>1</dd>" in page and "<dt>累计检测人数</dt><dd>3</dd>" in page
    assert '<th scope="row">18:00–18:59</th><td>1</td>' in page
    assert '<th scope="row">女</th><td>1</td><td>100.0%</td>' in page
    assert '<th scope="row">65岁及以上</th><td>1</td>' in page
    assert f'value="{YESTERDAY.isoformat()}"' in page and f'max="{TODAY.isoformat()}"' in page
    assert f"day={TODAY.isoformat()}" in page and "后一天" in page and "前一天" in page


def test_o5_the_day_picker_works_without_js_and_with_htmx(db, client, actions, scene):
    place, admin, *_ = scene
    actions.login(admin)
    url = stats_url(place, YESTERDAY.isoformat())

    assert_whole_page(client.get(url))
    fragment = client.get(url, headers=HX)
    assert_fragment(fragment)

    form = re.search(r'<form method="get"[^>]*id="stats-day"[^>]*>', text(fragment)).group(0)
    assert f'action="/places/{place.id}/stats"' in form and f'hx-get="/places/{place.id}/stats"' in form
    assert 'hx-select="#screen"' in form and 'hx-push-url="true"' in form
    assert 'name="day" type="date"' in text(fragment)
    restore = client.get(url, headers={**HX, "HX-History-Restore-Request": "true"})
    assert_whole_page(restore)


@pytest.mark.parametrize(("raw", "message"), [
    ("abc", "日期格式不正确"), ("2026-02-30", "日期格式不正确"), ("2026-11-19%01", "日期格式不正确"),
    ("%E4%BB%8A%E5%A4%A9", "日期格式不正确"), ("2026-11-21", "不能查看未来日期"), ("9999-12-31", "不能查看未来日期"),
    ("x" * 3000, "日期格式不正确"),
])
def test_o5_a_bad_or_future_day_shows_today_with_a_message(db, client, actions, scene, raw, message):
    place, admin, *_ = scene
    actions.login(admin)

    response = client.get(stats_url(place, raw))

    assert response.status_code == 200
    page = collapse(text(response))
    assert message in page and 'role="alert"' in page and 'aria-invalid="true"' in page
    assert "<dt>今日检测人数</dt><dd>2</dd>" in page.replace("> <", "><")
    assert f'value="{TODAY.isoformat()}"' in page


def test_o5_the_earliest_day_has_no_day_before(db, client, actions, scene):
    place, admin, *_ = scene
    actions.login(admin)
    response = client.get(stats_url(place, "0001-01-01"))
    assert response.status_code == 200 and "前一天" not in text(response) and "后一天" in text(response)
    assert "<dd>0</dd>" in text(response)


def test_o5_faq9_no_checked_persons_name_or_phone_on_the_screen(db, client, actions, scene):
    place, admin, _, _, citizens = scene
    actions.login(admin)
    for day in (None, YESTERDAY.isoformat()):
        for headers in ({}, HX):
            body = text(client.get(stats_url(place, day), headers=headers))
            shown = body + "".join(charts_of(body))
            assert len(charts_of(body)) == 3
            for person in citizens:
                for secret in (person.name, mask_name(person.name), person.name[1:], person.phone,
                               mask_phone(person.phone), person.phone[-4:], person.id_number, person.masked_id):
                    assert secret not in shown, secret


@pytest.mark.parametrize("who", ["inspector", "stranger", "other_admin"])
def test_o5_only_the_place_admin_sees_the_statistics(db, client, actions, scene, who):
    place, _, first, *_ = scene
    other_admin = make_person(db, "别处管理")
    make_place(db, other_admin, "别处")
    db.session.commit()
    user = {"inspector": first, "stranger": make_person(db, "路人"), "other_admin": other_admin}[who]
    db.session.commit()
    actions.login(user)
    assert client.get(stats_url(place)).status_code == 404
    assert client.get(stats_url(place), headers=HX).status_code == 404
    assert client.get("/places/999999/stats").status_code == 404


def test_o5_logged_out_is_sent_to_log_in(db, client, scene):
    place, *_ = scene
    response = client.get(stats_url(place))
    assert response.status_code in (302, 303) and "/auth/" in response.headers["Location"]


def test_item7_the_inspector_sees_their_own_counts(db, client, actions, scene):
    place, _, first, *_ = scene
    other = make_place(db, make_person(db, "另一管理"), "另一场所")
    citizen = make_person(db, "受检者")
    add_check(db, other, citizen, inspector=first)
    add_check(db, other, citizen, inspector=first, day=YESTERDAY)
    add_check(db, place, citizen, inspector=first, day=YESTERDAY)
    db.session.commit()
    actions.login(first)

    response = client.get(f"/places/{place.id}/my-stats")

    assert_whole_page(response)
    page = collapse(text(response)).replace("> <", "><")
    assert "<dt>今日检测人数</dt><dd>1</dd>" in page and "<dt>累计检测人数</dt><dd>2</dd>" in page  # this place
    assert "<dt>今日检测人数</dt><dd>2</dd>" in page and "<dt>累计检测人数</dt><dd>4</dd>" in page  # all places
    assert f'href="/places/{place.id}/check"' in page
    assert "慕容复" not in page and "受检者" not in page
    assert_fragment(client.get(f"/places/{place.id}/my-stats", headers=HX))


@pytest.mark.parametrize("who", ["stranger", "admin", "unbound"])
def test_item7_only_a_bound_inspector_sees_my_stats(db, client, actions, scene, who):
    place, admin, *_ = scene
    user = {"stranger": lambda: make_person(db, "路人"), "admin": lambda: admin,
            "unbound": lambda: make_inspector(db, place, "前检测员", active=False)}[who]()
    db.session.commit()
    actions.login(user)
    assert client.get(f"/places/{place.id}/my-stats").status_code == 404


def statements(db, client, person_id: int, url: str) -> list[str]:
    """The SQL statements one GET runs, as a fresh request in production would (new session, no cached user)."""
    db.session.remove()
    sign_in(client, person_id)
    seen: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert response.status_code == 200, (url, response.status_code)
    return seen


def build(db, admin_name: str, checks: int, inspectors: int):
    """A place with `checks` checks over three days, spread over `inspectors` inspectors, 快速打卡, re-checks."""
    admin = make_person(db, admin_name)
    place = make_place(db, admin, f"{admin_name}的场所")
    staff = [make_inspector(db, place, f"{admin_name}检测{i}") for i in range(inspectors)]
    citizens = [make_person(db, f"{admin_name}市民{i}") for i in range(3)]
    previous = None
    for i in range(checks):
        inspector = staff[i % len(staff)] if i % 7 else None
        day = (TODAY, YESTERDAY, TODAY.replace(day=1))[i % 3]
        previous = add_check(db, place, citizens[i % 3], day=day, hour=i % 24, inspector=inspector,
                             result="发热" if i % 5 == 0 else "正常", sex="MF"[i % 2] if i % 4 else "",
                             birth_year=1940 + i % 80 if i % 6 else None,
                             supersedes=previous if i % 10 == 9 else None)
    db.session.commit()
    return admin.id, place.id, staff[0].id


def test_o5_statistics_take_constant_statements_whatever_the_number_of_checks(db, client):
    """3 checks by 1 inspector and 300 checks by 5 inspectors: the same statements, for today and a past day."""
    small, large = build(db, "小店", 3, 1), build(db, "大商场", 300, 5)
    for day in ("", f"?day={YESTERDAY.isoformat()}"):
        seen = [statements(db, client, admin_id, f"/places/{place_id}/stats{day}") for admin_id, place_id, _ in
                (small, large)]
        assert len(seen[0]) == len(seen[1]), (seen[0], seen[1])
        assert len(seen[1]) <= 10, seen[1]
    mine = [statements(db, client, inspector_id, f"/places/{place_id}/my-stats") for _, place_id, inspector_id in
            (small, large)]
    assert len(mine[0]) == len(mine[1]) <= 8, mine

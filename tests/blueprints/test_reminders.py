"""The 工作台's reminders (issue 16 item 4): 一键提醒未填报成员 (a real form POST, PRG, the count in a flash), the
每日提醒时间 screen (a bad time said beside the field), the 11:30 countdown written by the server, 404 for anyone
else, and constant statements whatever the class size."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import event, select

from tests.blueprints.support import TODAY, assert_fragment, assert_whole_page, collapse, location, text
from tests.conftest import sign_in
from tests.factories import bind, declare, make_org, make_person, make_school
from yks_web import clock as app_clock
from yks_web.models import Person
from yks_web.models.reminders import ReminderLog, ReminderSetting
from yks_web.services import membership
from yks_web.services.sms import SmsError

HTMX = {"HX-Request": "true"}


@pytest.fixture
def sms(app):
    sender = app.extensions["sms_sender"]
    sender.outbox.clear()
    sender.texts.clear()
    yield sender
    sender.texts.clear()


@pytest.fixture
def reachable(db, scene):
    """scene's class: 学生〇 has a phone, 学生一 a 代填人 with one, 学生二 declared today."""
    first, second, third = scene.members
    first.phone = "13800000101"
    parent = make_person(db, "学生一家长", phone="13800000102")
    bind(db, scene.org, parent, second)
    declare(db, scene.org, third, TODAY)
    db.session.commit()
    return scene


def test_one_tap_reminds_and_says_how_many(client, db, actions, reachable, sms, clock):
    clock(datetime(2026, 11, 20, 10, 0))
    actions.login(reachable.collector)
    home = text(client.get("/workbench/"))
    assert "今日未填报 <strong>2</strong>人" in home
    assert 'action="/workbench/remind"' in home and "一键提醒未填报成员" in home and 'name="csrf_token"' in home
    response = actions.post("/workbench/remind")
    assert response.status_code == 303 and location(response) == "/workbench/"
    page = text(client.get("/workbench/"))
    assert "已提醒2人（共发送2条短信，其中代填人1条）。" in page and "flash-success" in page
    assert sorted(phone for phone, _ in sms.texts) == ["13800000101", "13800000102"]
    assert all(t.startswith("【粤省事】广州市第一示范中学高一(1)班提醒您：") for _, t in sms.texts)
    clock(datetime(2026, 11, 20, 10, 59))
    again = actions.post("/workbench/remind", follow_redirects=True)
    assert "2人一小时内已提醒过，暂不重复提醒" in text(again)
    assert len(sms.texts) == 2


def test_one_tap_through_htmx_lands_on_the_workbench_fragment(client, db, actions, reachable, sms):
    actions.login(reachable.collector)
    response = actions.post("/workbench/remind", headers=HTMX, follow_redirects=True)
    assert_fragment(response)
    assert "已提醒2人" in text(response)


def test_no_button_once_today_is_submitted_and_a_post_then_says_so(client, db, actions, reachable, sms):
    actions.login(reachable.collector)
    actions.post(f"/workbench/day/{TODAY.isoformat()}/report",
                 {"in_school_count": "3", "leave_count": "0", "sick_absence_count": "0"})
    assert actions.post(f"/workbench/day/{TODAY.isoformat()}/report/submit").status_code == 303
    home = text(client.get("/workbench/"))
    assert "今日数据已提交，成员不能再申报今日数据，无需提醒。" in home and 'action="/workbench/remind"' not in home
    response = actions.post("/workbench/remind", follow_redirects=True)  # a page left open before the submit
    assert "今日数据已提交，成员不能再申报今日数据，无需提醒。" in text(response) and sms.texts == []


@pytest.mark.parametrize("moment", [datetime(2026, 11, 20, 23, 30), datetime(2026, 11, 21, 6, 0)])
def test_no_one_tap_at_night_and_the_workbench_says_why(client, db, actions, reachable, sms, clock, moment):
    clock(moment)
    actions.login(reachable.collector)
    home = collapse(text(client.get("/workbench/")))
    assert 'action="/workbench/remind"' not in home
    assert ('<button type="button" class="btn primary block" disabled aria-describedby="remind-quiet">'
            "一键提醒未填报成员</button>") in home
    assert ('<p class="hint" id="remind-quiet">现在是休息时间，为免打扰成员，一键提醒请在07:00–22:00之间使用。</p>'
            in home)
    response = actions.post("/workbench/remind", follow_redirects=True)  # a page left open since the evening
    assert response.status_code == 200 and "一键提醒请在07:00–22:00之间使用" in text(response)
    assert sms.texts == [] and db.session.scalar(select(ReminderLog)) is None


class BrokenGateway:
    """A gateway that fails for one phone and is down (any exception) for another."""

    def __init__(self, recording):
        self.recording = recording

    def send(self, phone, code, purpose, **params):
        if phone == "13800000101":
            raise SmsError("网关拒绝")
        if phone == "13800000102":
            raise TimeoutError("gateway timed out")
        self.recording.send(phone, code, purpose, **params)


def test_a_failing_gateway_is_no_500_and_the_flash_says_so(app, client, db, actions, reachable, sms, monkeypatch):
    monkeypatch.setitem(app.extensions, "sms_sender", BrokenGateway(sms))
    actions.login(reachable.collector)
    response = actions.post("/workbench/remind")
    assert response.status_code == 303
    page = text(client.get("/workbench/"))
    assert "本次未发送提醒；2条短信发送失败；2人未能提醒，请稍后再点一次。" in page and "flash-error" in page
    assert db.session.scalar(select(ReminderLog)) is None  # nobody counted as reminded: a tap again may try
    monkeypatch.setitem(app.extensions, "sms_sender", sms)
    assert "已提醒2人" in text(actions.post("/workbench/remind", follow_redirects=True))


@pytest.fixture
def older(db, scene):
    """scene's class, created a week ago: it has a yesterday to submit."""
    scene.org.created_at = datetime(2026, 11, 13, 1, 0)
    db.session.commit()
    return scene


@pytest.mark.parametrize(("moment", "shown"), [
    (datetime(2026, 11, 20, 9, 0), "还剩2小时30分（11:30截止）"),
    (datetime(2026, 11, 20, 10, 6, 30), "还剩1小时23分（11:30截止）"),
    (datetime(2026, 11, 20, 11, 29, 30), "还剩不到1分钟（11:30截止）"),
    (datetime(2026, 11, 20, 11, 30), "已超过11:30，不可提交"),
    (datetime(2026, 11, 20, 20, 0), "已超过11:30，不可提交"),
])
def test_the_workbench_shows_the_countdown_without_javascript(client, db, actions, older, clock, moment, shown):
    clock(moment)
    actions.login(older.collector)
    for url in ("/workbench/", "/workbench/?day=yesterday"):
        page = text(client.get(url))
        line = re.search(r'<p class="card lock-countdown">(.*?)</p>', page, re.S)
        assert line, page
        assert collapse(re.sub(r"<[^>]+>", "", line.group(1))).startswith(f"提交11月19日数据：{shown}")
        assert 'class="flash' not in line.group(0)  # not dressed as a flash message
        ticking = "js/countdown.js" in page
        assert ticking == ("还剩" in shown)  # the script only where there is something to count down
        if ticking:
            assert re.search(r'data-countdown="\d+" data-countdown-prefix="还剩"', page)
            assert 'data-countdown-suffix="（11:30截止）" data-countdown-done="已超过11:30，不可提交"' in page


def test_the_countdown_says_when_yesterday_is_submitted(client, db, actions, older, clock):
    actions.login(older.collector)
    yesterday = "2026-11-19"
    actions.post(f"/workbench/day/{yesterday}/report",
                 {"in_school_count": "3", "leave_count": "0", "sick_absence_count": "0"})
    assert actions.post(f"/workbench/day/{yesterday}/report/submit").status_code == 303
    page = collapse(text(client.get("/workbench/")))
    assert "提交11月19日数据：<span>已提交</span>" in page and "data-countdown=" not in page


def test_no_countdown_for_a_class_created_today(client, db, actions, scene):
    actions.login(scene.collector)  # scene's class was created at DEFAULT_NOW: it had no 11月19日
    page = text(client.get("/workbench/"))
    assert "lock-countdown" not in page and "11:30截止" not in page and "countdown.js" not in page


def test_the_countdown_script_is_a_file_under_the_csp(client, db, actions, older):
    actions.login(older.collector)
    response = client.get("/workbench/")
    page = text(response)
    scripts = re.findall(r"<script\b[^>]*>", page)
    assert any("js/countdown.js" in tag for tag in scripts)
    assert all(re.search(r'\ssrc="', tag) for tag in scripts), scripts  # no inline script
    assert not re.search(r"<script\b[^>]*>\s*[^<\s]", page)  # nor one with a body
    policy = {part.split()[0]: part.split()[1:] for part in
              response.headers["Content-Security-Policy"].split(";") if part.strip()}
    assert policy["script-src"] == ["'self'"], policy
    assert client.get("/static/js/countdown.js").status_code == 200


NODE = shutil.which("node")
SCRIPT = Path(__file__).resolve().parents[2] / "yks_web" / "static" / "js" / "countdown.js"
# A page with the countdown as the server wrote it, a fake clock, and an htmx swap 40 s after load: what the
# element says at load (before any interval) and after the swap, and when each was first seen.
_HARNESS = r"""
const fs = require("fs");
let now = 1000000;
Date.now = () => now;
const listeners = {};
const timers = [];
function element(seconds, serverText) {
  return {dataset: {countdown: String(seconds), countdownPrefix: "还剩", countdownSuffix: "（11:30截止）",
                    countdownDone: "已超过11:30，不可提交"}, textContent: serverText};
}
const elements = [element(30, "还剩不到1分钟（11:30截止）·server")];
global.window = {};
global.document = {
  querySelectorAll: () => elements,
  addEventListener: (name, fn) => { (listeners[name] = listeners[name] || []).push(fn); },
};
global.setInterval = (fn, ms) => { timers.push([fn, ms]); };
eval(fs.readFileSync(process.argv[3], "utf8"));  // static/js/i18n.js, loaded first by page.html
eval(fs.readFileSync(process.argv[2], "utf8"));
const atLoad = {text: elements[0].textContent, seen: elements[0].dataset.countdownSeen};
now += 40000;  // htmx swaps a fresh 工作台 in 40 s later; the first element stays counted from its own start
elements.push(element(3600 * 2 + 65, "server"));
(listeners["htmx:load"] || []).forEach((fn) => fn());
const afterSwap = elements.map((el) => [el.textContent, el.dataset.countdownSeen]);
now += 15000;
timers.forEach(([fn]) => fn());
console.log(JSON.stringify({atLoad, afterSwap, interval: timers.map(([, ms]) => ms),
                            later: elements.map((el) => el.textContent)}));
"""


def test_the_countdown_ticks_at_once_and_on_htmx_load(tmp_path):
    assert NODE, "Node.js runs this test: `make test` installs Debian's nodejs (Makefile: node)"
    harness = tmp_path / "harness.js"
    harness.write_text(_HARNESS, encoding="utf-8")
    result = subprocess.run([NODE, str(harness), str(SCRIPT), str(SCRIPT.with_name("i18n.js"))], capture_output=True,
                            text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen["atLoad"] == {"text": "还剩不到1分钟（11:30截止）", "seen": "1000000"}  # ticked and stamped on load
    assert seen["afterSwap"] == [["已超过11:30，不可提交", "1000000"], ["还剩2小时1分（11:30截止）", "1040000"]]
    assert seen["interval"] == [1000]
    assert seen["later"] == ["已超过11:30，不可提交", "还剩2小时0分（11:30截止）"]


# -- 每日提醒时间 ------------------------------------------------------------------------------------------------


def test_setting_the_daily_time(client, db, actions, scene):
    actions.login(scene.collector)
    page = client.get("/workbench/remind/daily")
    assert_whole_page(page)
    assert 'type="time"' in text(page) and "不提醒" in text(page)
    assert_fragment(client.get("/workbench/remind/daily", headers=HTMX))
    response = actions.post("/workbench/remind/daily", {"daily": "on", "remind_at": "10：30"})  # full-width colon
    assert response.status_code == 303 and location(response) == "/workbench/"
    home = text(client.get("/workbench/"))
    assert "已设置每日10:30提醒未填报成员" in home and "每日提醒：10:30" in home
    assert 'value="10:30"' in text(client.get("/workbench/remind/daily"))
    actions.post("/workbench/remind/daily", {"daily": "off", "remind_at": "not a time"})  # 不提醒: time ignored
    assert db.session.scalar(select(ReminderSetting)) is None
    assert "每日提醒：不提醒" in text(client.get("/workbench/"))  # the word of the 每日提醒时间 screen


def test_a_time_already_passed_today_starts_tomorrow_and_the_screens_say_so(client, db, actions, scene, clock):
    clock(datetime(2026, 11, 20, 15, 0))
    actions.login(scene.collector)
    response = actions.post("/workbench/remind/daily", {"daily": "on", "remind_at": "10:30"})
    assert response.status_code == 303
    home = text(client.get("/workbench/"))
    assert "已设置每日10:30提醒未填报成员；今天已过10:30，从明天（11月21日）开始提醒" in home
    assert "每日提醒：10:30（明天开始）" in home
    assert "今天的提醒时间已过，从11月21日开始每天提醒。" in text(client.get("/workbench/remind/daily"))
    assert db.session.scalar(select(ReminderSetting.starts_on)) == TODAY + timedelta(days=1)
    clock(datetime(2026, 11, 21, 9, 0))  # the next day it is simply the daily time
    assert "每日提醒：10:30</p>" in text(client.get("/workbench/"))
    assert "开始每天提醒" not in text(client.get("/workbench/remind/daily"))


@pytest.mark.parametrize(("typed", "message"), [
    ("", "请填写每日提醒时间，如 10:30"),
    ("25:00", "请按“时:分”填写，如 10:30"),
    ("10:61", "请按“时:分”填写，如 10:30"),
    ("十点半", "请按“时:分”填写，如 10:30"),
    ("x" * 5000, "请按“时:分”填写，如 10:30"),
    ("06:00", "提醒时间请设在07:00–21:00之间"),
    ("23:30", "提醒时间请设在07:00–21:00之间"),
])
def test_a_bad_time_is_said_beside_the_field_and_kept(client, db, actions, scene, typed, message):
    actions.login(scene.collector)
    response = actions.post("/workbench/remind/daily", {"daily": "on", "remind_at": typed})
    assert response.status_code == 200
    page = text(response)
    assert re.search(r'<p class="field-error" id="remind_at-error">' + re.escape(message), page)
    assert 'aria-invalid="true"' in page
    if typed and len(typed) < 50:
        assert f'value="{typed}"' in page  # nothing typed is lost
    assert db.session.scalar(select(ReminderSetting)) is None


def test_a_nul_byte_is_refused_as_everywhere(client, db, actions, scene):
    actions.login(scene.collector)
    response = actions.post("/workbench/remind/daily", {"daily": "on", "remind_at": "10:30\x00"})
    assert response.status_code == 400  # the app's one answer to a NUL byte (test_bad_input), never a 500
    assert db.session.scalar(select(ReminderSetting)) is None


@pytest.mark.parametrize("form", [{}, {"daily": "maybe", "remind_at": "10:30"}, {"daily": ["on", "off"]}])
def test_a_bad_choice_is_refused_without_a_500(client, db, actions, scene, form):
    actions.login(scene.collector)
    response = actions.post("/workbench/remind/daily", form)
    assert response.status_code == 200 and "field-error" in text(response)


# -- not yours --------------------------------------------------------------------------------------------------


def test_anyone_but_the_collector_gets_404(client, db, actions, reachable, sms):
    member = reachable.members[0]
    actions.login(member)
    assert client.get("/workbench/remind/daily").status_code == 404
    assert actions.post("/workbench/remind").status_code == 404
    assert actions.post("/workbench/remind/daily", {"daily": "on", "remind_at": "10:30"}).status_code == 404
    assert sms.texts == [] and db.session.scalar(select(ReminderSetting)) is None


def test_another_class_collector_reminds_only_their_own(client, db, actions, reachable, sms):
    other_collector = make_person(db, "林老师")
    other = make_org(db, reachable.school, other_collector, name="高一(2)班")
    membership.join(db.session, other, make_person(db, "周别班", phone="13800000199"), "invite", app_clock.utcnow())
    db.session.commit()
    actions.login(other_collector)
    page = text(actions.post("/workbench/remind", follow_redirects=True))
    assert "已提醒1人" in page
    assert [phone for phone, _ in sms.texts] == ["13800000199"]
    logged = db.session.scalars(select(ReminderLog.organisation_id)).all()
    assert logged == [other.id]
    setting = actions.post("/workbench/remind/daily", {"daily": "on", "remind_at": "09:00"})
    assert setting.status_code == 303
    assert db.session.scalars(select(ReminderSetting.organisation_id)).all() == [other.id]


def test_anonymous_is_sent_to_login(client, db, scene):
    response = client.get("/workbench/remind/daily")
    assert response.status_code in (302, 303) and "/auth/login" in response.headers["Location"]


# -- statements ---------------------------------------------------------------------------------------------------


def _statements(db, client, person_id: int, do) -> int:
    db.session.remove()
    sign_in(client, person_id)
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = do()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert response.status_code in (200, 303), response.status_code
    return len(seen)


def _class(db, school, size: int, name: str) -> Person:
    collector = make_person(db, f"{name}老师")
    org = make_org(db, school, collector, name=name, size=size)
    for i in range(size):
        person = make_person(db, f"{name}学生", phone=f"133{size:03d}{i:05d}")
        membership.join(db.session, org, person, "invite", app_clock.utcnow())
        if i % 3 == 0:
            bind(db, org, make_person(db, f"{name}家长", phone=f"132{size:03d}{i:05d}"), person)
        if i % 4 == 0:
            declare(db, org, person, TODAY)
    return collector


def test_q3_reminding_and_the_screens_take_constant_statements(client, db, actions, sms):
    school = make_school(db)
    small, large = _class(db, school, 5, "小班"), _class(db, school, 150, "大班")
    ids = small.id, large.id
    db.session.commit()
    token = actions.csrf()
    runs = []
    for person_id in ids:
        runs.append((
            _statements(db, client, person_id, lambda: client.post("/workbench/remind", data={"csrf_token": token})),
            _statements(db, client, person_id, lambda: client.get("/workbench/remind/daily")),
            _statements(db, client, person_id, lambda: client.post(
                "/workbench/remind/daily", data={"csrf_token": token, "daily": "on", "remind_at": "10:30"})),
        ))
    assert runs[0] == runs[1], runs
    assert len(sms.texts) > 150  # the large class was reminded: members and their 代填人

"""`flask yks reminders` (issue 16 item 4): run from cron every few minutes, it sends each organisation's daily
reminder once its time has come, and never twice the same day to a member (two nodes at once: see
tests/services/test_reminders.py)."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.factories import bind, declare, make_org, make_person
from yks_web import clock as app_clock
from yks_web.services import membership


@pytest.fixture
def runner(app, db):
    return app.test_cli_runner()


@pytest.fixture
def sms(app):
    sender = app.extensions["sms_sender"]
    sender.texts.clear()
    yield sender
    sender.texts.clear()


@pytest.fixture
def class_with_daily_time(db, client, actions):
    """A class whose collector set 10:30 on the 每日提醒时间 screen: 学生 (phone) and 小宝 (a 代填人 with a phone)
    have not declared; 已报 has."""
    collector = make_person(db, "蒋小华")
    org = make_org(db, collector=collector)
    silent = make_person(db, "学生", phone="13800000201")
    child, parent = make_person(db, "小宝"), make_person(db, "小宝家长", phone="13800000202")
    done = make_person(db, "已报", phone="13800000203")
    for person in (silent, done):
        membership.join(db.session, org, person, "invite", app_clock.utcnow())
    bind(db, org, parent, child)
    declare(db, org, done, app_clock.today())
    db.session.commit()
    actions.login(collector)
    assert actions.post("/workbench/remind/daily", {"daily": "on", "remind_at": "10:30"}).status_code == 303
    return org


def _run(runner, clock, moment: datetime) -> str:
    clock(moment)
    result = runner.invoke(args=["yks", "reminders"])
    assert result.exit_code == 0, result.output
    return result.output.strip()


def test_the_command_sends_once_the_time_has_come_and_once_a_day(runner, clock, class_with_daily_time, sms):
    assert _run(runner, clock, datetime(2026, 11, 20, 10, 29)) == "每日提醒：0个组织，提醒0人，发送0条短信"
    assert sms.texts == []
    assert _run(runner, clock, datetime(2026, 11, 20, 10, 30)) == "每日提醒：1个组织，提醒2人，发送2条短信"
    assert sorted(phone for phone, _ in sms.texts) == ["13800000201", "13800000202"]
    assert any("您代为填报的小宝11月20日健康申报尚未填报" in t for _, t in sms.texts)
    assert _run(runner, clock, datetime(2026, 11, 20, 10, 35)) == "每日提醒：0个组织，提醒0人，发送0条短信"
    assert _run(runner, clock, datetime(2026, 11, 20, 16, 0)) == "每日提醒：0个组织，提醒0人，发送0条短信"
    assert len(sms.texts) == 2
    # The next day: everyone who has not declared that day, 已报 too.
    assert _run(runner, clock, datetime(2026, 11, 21, 10, 30)) == "每日提醒：1个组织，提醒3人，发送3条短信"
    assert all("11月21日" in t for _, t in sms.texts[2:])


def test_the_command_leaves_a_class_without_a_daily_time_alone(runner, clock, db, sms):
    org = make_org(db)
    membership.join(db.session, org, make_person(db, "学生", phone="13800000301"), "invite", app_clock.utcnow())
    db.session.commit()
    assert _run(runner, clock, datetime(2026, 11, 20, 12, 0)) == "每日提醒：0个组织，提醒0人，发送0条短信"
    assert sms.texts == []


def test_the_command_says_how_many_failed_and_does_not_stop(app, runner, clock, class_with_daily_time, sms,
                                                            monkeypatch):
    recording = sms

    class Gateway:
        def send(self, phone, code, purpose, **params):
            if phone == "13800000201":
                raise ConnectionError("gateway down")
            recording.send(phone, code, purpose, **params)

    monkeypatch.setitem(app.extensions, "sms_sender", Gateway())
    assert _run(runner, clock, datetime(2026, 11, 20, 10, 30)) == "每日提醒：1个组织，提醒1人，发送1条短信，1条发送失败"
    assert [phone for phone, _ in sms.texts] == ["13800000202"]
    # Not tried again every few minutes: once a day.
    assert _run(runner, clock, datetime(2026, 11, 20, 10, 35)) == "每日提醒：0个组织，提醒0人，发送0条短信"

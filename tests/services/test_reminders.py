"""提醒未填报成员 (issue 16 item 4): who is reminded, the hourly and daily limits, quiet hours, a failing or slow
sender, two senders at once (two clicks, two cron runs, a click during the daily run), the statements, and the 11:30
countdown (services/reminders.py)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, func, select

from tests.factories import bind, declare, make_org, make_person, make_school
from yks_web import clock as app_clock
from yks_web.models import DailyReport, Organisation, Person
from yks_web.models.reminders import DAILY, ReminderLog
from yks_web.services import membership, reminders
from yks_web.services.sms import LOGIN, RecordingSender, SmsError

DAY = datetime(2026, 11, 20).date()  # conftest.DEFAULT_NOW's day
SCHOOL_ORG = "广州市第一示范中学高一(1)班"


@dataclass
class Class:
    org: Organisation
    declared: Person  # declared today
    silent: Person  # has a phone, has not declared today
    child: Person  # no phone, a 代填人 with one
    parent: Person  # child's 代填人
    yesterday_only: Person  # declared yesterday, not today, no phone and no 代填人
    left: Person  # left the class, has a phone, has not declared


def build(db) -> Class:
    school = make_school(db)
    org = make_org(db, school, make_person(db, "蒋小华", phone="13800000000"))
    people = {name: make_person(db, name, phone=phone) for name, phone in (
        ("王已报", "13800000001"), ("李未报", "13800000002"), ("陈小宝", None), ("陈家长", "13800000004"),
        ("赵昨报", None), ("钱离开", "13800000006"))}
    for name in ("王已报", "李未报", "赵昨报", "钱离开"):
        membership.join(db.session, org, people[name], "invite", app_clock.utcnow())
    binding = bind(db, org, people["陈家长"], people["陈小宝"])
    binding.typed_name = "陈小宝"
    declare(db, org, people["王已报"], DAY)
    declare(db, org, people["赵昨报"], DAY - timedelta(days=1))
    membership.leave(db.session, membership.active_membership(db.session, org.id, people["钱离开"].id),
                     app_clock.utcnow())
    # Another class of the school: its silent member is never this class's to remind.
    other = make_org(db, school, make_person(db, "林老师"), name="高一(2)班")
    membership.join(db.session, other, make_person(db, "周别班", phone="13800000009"), "invite", app_clock.utcnow())
    db.session.commit()
    return Class(org, people["王已报"], people["李未报"], people["陈小宝"], people["陈家长"], people["赵昨报"],
                 people["钱离开"])


def sent_log(db, org_id: int) -> list[tuple[int, str]]:
    db.session.expire_all()
    return sorted(db.session.execute(select(ReminderLog.person_id, ReminderLog.slot)
                                     .where(ReminderLog.organisation_id == org_id)).tuples())


def test_who_to_remind_is_the_silent_members_and_their_proxies(db):
    c = build(db)
    due = reminders.who_to_remind(db.session, c.org.id, DAY)
    assert [d.person_id for d in due] == [c.silent.id, c.yesterday_only.id, c.child.id]  # joining order
    by_person = {d.person_id: d for d in due}
    assert by_person[c.silent.id].recipients == [reminders.Recipient(c.silent.id, "13800000002")]
    assert by_person[c.child.id].recipients == [reminders.Recipient(c.parent.id, "13800000004", "陈小宝")]
    assert by_person[c.child.id].proxies == 1
    assert by_person[c.yesterday_only.id].recipients == []
    assert all(d.organisation == SCHOOL_ORG for d in due)
    # Yesterday: everyone but the one who declared yesterday.
    assert c.yesterday_only.id not in {d.person_id for d in reminders.who_to_remind(db.session, c.org.id,
                                                                                   DAY - timedelta(days=1))}


def test_send_now_sends_the_right_phones_and_texts(db, clock):
    c = build(db)
    clock(datetime(2026, 11, 20, 10, 0))
    sender = RecordingSender()
    sent = reminders.send_now(db.session, sender, c.org, c.org.collector.person_id, app_clock.now())
    assert (sent.reminded, sent.messages, sent.recent, sent.unreachable) == (2, 2, 0, 1)
    assert sorted(sender.texts) == [
        ("13800000002", f"【粤省事】{SCHOOL_ORG}提醒您：11月20日的健康申报尚未填报，请尽快在粤省事完成填报。"),
        ("13800000004", f"【粤省事】{SCHOOL_ORG}提醒您：您代为填报的陈小宝11月20日健康申报尚未填报，请尽快完成填报。"),
    ]
    assert sent.summary() == "已提醒2人（共发送2条短信，其中代填人1条）；1人及其代填人未登记手机号，无法提醒。"
    assert sent_log(db, c.org.id) == sorted([(c.silent.id, "h10"), (c.child.id, "h10")])


def test_the_proxy_sees_the_name_they_typed_until_the_child_logs_in(db):
    c = build(db)
    c.child.name_verified_at = None
    c.child.name = "别人填的名字"  # another binder's claim (SPEC I6): this 代填人 typed 陈小宝
    db.session.commit()
    sender = RecordingSender()
    reminders.send_now(db.session, sender, c.org, c.org.collector.person_id, app_clock.now())
    assert any("您代为填报的陈小宝" in text for _, text in sender.texts)
    assert not any("别人填的名字" in text for _, text in sender.texts)


def test_at_most_once_an_hour(db, clock):
    c = build(db)
    sender = RecordingSender()
    collector_id = c.org.collector.person_id

    def click(hour: int, minute: int) -> reminders.Sent:
        clock(datetime(2026, 11, 20, hour, minute))
        return reminders.send_now(db.session, sender, db.session.get(Organisation, c.org.id), collector_id,
                                  app_clock.now())

    assert click(10, 0).reminded == 2
    later = click(10, 59)
    assert (later.reminded, later.messages, later.recent) == (0, 0, 2)
    assert later.summary() == "本次未发送提醒；2人一小时内已提醒过，暂不重复提醒；1人及其代填人未登记手机号，无法提醒。"
    assert len(sender.texts) == 2
    assert click(11, 0).reminded == 2
    assert len(sender.texts) == 4
    assert sent_log(db, c.org.id) == sorted([(c.silent.id, "h10"), (c.child.id, "h10"), (c.silent.id, "h11"),
                                             (c.child.id, "h11")])


def test_a_member_who_declares_is_not_reminded_again(db, clock):
    c = build(db)
    sender = RecordingSender()
    reminders.send_now(db.session, sender, c.org, c.org.collector.person_id, app_clock.now())
    declare(db, c.org, c.silent, DAY)
    db.session.commit()
    clock(datetime(2026, 11, 20, 11, 0))
    sent = reminders.send_now(db.session, sender, db.session.get(Organisation, c.org.id), c.org.collector.person_id,
                              app_clock.now())
    assert sent.reminded == 1 and sender.texts[-1][0] == "13800000004"


def test_nobody_is_reminded_once_today_is_submitted(db):
    c = build(db)
    db.session.add(DailyReport(organisation_id=c.org.id, day=DAY, submitted_by_id=c.org.collector.person_id,
                               in_school_count=5, leave_count=0, sick_absence_count=0))
    db.session.commit()
    sender = RecordingSender()
    sent = reminders.send_now(db.session, sender, c.org, c.org.collector.person_id, app_clock.now())
    assert sent.submitted and sent.summary().startswith("今日数据已提交")
    assert sender.texts == [] and sent_log(db, c.org.id) == []
    assert reminders.who_to_remind(db.session, c.org.id, DAY) == []


def test_everyone_declared(db):
    org = make_org(db, members=2)
    for m in membership.members(db.session, org.id):
        declare(db, org, m.person, DAY)
    db.session.commit()
    sent = reminders.send_now(db.session, RecordingSender(), org, org.collector.person_id, app_clock.now())
    assert sent.summary() == "今日成员都已填报，无需提醒。"


def test_only_an_active_proxy_of_this_organisation_is_texted(db):
    c = build(db)
    # 陈小宝 is also in the school's 高一(2)班, where 陈姑姑 fills in for them: not this class's 代填人.
    other = db.session.scalar(select(Organisation).where(Organisation.name == "高一(2)班"))
    aunt = make_person(db, "陈姑姑", phone="13800000011")
    bind(db, other, aunt, c.child)
    # 陈舅舅 filled in for 陈小宝 in this class once; the binding was ended (active False).
    uncle = make_person(db, "陈舅舅", phone="13800000012")
    bind(db, c.org, uncle, c.child).active = False
    db.session.commit()
    sender = RecordingSender()
    reminders.send_now(db.session, sender, c.org, c.org.collector.person_id, app_clock.now())
    assert sorted(phone for phone, _ in sender.texts) == ["13800000002", "13800000004"]
    mine = {d.person_id: d for d in reminders.who_to_remind(db.session, c.org.id, DAY)}[c.child.id]
    assert (mine.proxies, [r.person_id for r in mine.recipients]) == (1, [c.parent.id])
    # The other class reminds 陈小宝 through 陈姑姑 only.
    theirs = RecordingSender()
    reminders.send_now(db.session, theirs, other, other.collector.person_id, app_clock.now())
    assert sorted(phone for phone, _ in theirs.texts) == ["13800000009", "13800000011"]


@pytest.mark.parametrize(("hour", "minute", "quiet"), [
    (23, 30, True), (6, 0, True), (6, 59, True), (22, 0, True), (0, 0, True),
    (7, 0, False), (21, 59, False),
])
def test_one_tap_is_refused_at_night(db, clock, hour, minute, quiet):
    c = build(db)
    clock(datetime(2026, 11, 20, hour, minute))
    sender = RecordingSender()
    sent = reminders.send_now(db.session, sender, c.org, c.org.collector.person_id, app_clock.now())
    assert sent.quiet == quiet and reminders.quiet_hours(app_clock.now()) == quiet
    if quiet:
        assert sent.summary() == "现在是休息时间，为免打扰成员，一键提醒请在07:00–22:00之间使用。"
        assert sender.texts == [] and sent_log(db, c.org.id) == []
    else:
        assert sent.reminded == 2 and len(sender.texts) == 2


class FailingSender(RecordingSender):
    """Fails for the phones given: SmsError (the gateway said no) or any other exception (it broke)."""

    def __init__(self, failing: dict[str, Exception]):
        super().__init__()
        self.failing = failing

    def send(self, phone, code, purpose=LOGIN, **params):
        if phone in self.failing:
            raise self.failing[phone]
        super().send(phone, code, purpose, **params)


def _two_phones(db, c: Class) -> None:
    """李未报's 代填人 李家长 has a phone too: 李未报 is then reached if either SMS goes."""
    bind(db, c.org, make_person(db, "李家长", phone="13800000013"), c.silent)
    db.session.commit()


def test_a_failing_sender_is_counted_and_whoever_got_nothing_may_be_reminded_again(db, clock):
    c = build(db)
    _two_phones(db, c)
    clock(datetime(2026, 11, 20, 10, 0))
    sender = FailingSender({"13800000002": SmsError("网关拒绝"), "13800000004": ConnectionError("gateway down")})
    sent = reminders.send_now(db.session, sender, c.org, c.org.collector.person_id, app_clock.now())
    # 李未报: their own SMS failed, their 代填人's went. 陈小宝: their one 代填人's SMS failed.
    assert sender.texts == [("13800000013", sender.texts[0][1])]
    assert (sent.reminded, sent.messages, sent.proxy_messages, sent.failed, sent.missed) == (1, 1, 1, 2, 1)
    assert sent.summary() == ("已提醒1人（共发送1条短信，其中代填人1条）；2条短信发送失败；"
                              "1人未能提醒，请稍后再点一次；1人及其代填人未登记手机号，无法提醒。")
    db.session.expire_all()
    logged = dict(db.session.execute(select(ReminderLog.person_id, ReminderLog.messages)).tuples().all())
    assert logged == {c.silent.id: 1}  # what went; 陈小宝's claim released
    # A tap again within the hour, the gateway back: 陈小宝 is reminded, 李未报 not again.
    clock(datetime(2026, 11, 20, 10, 5))
    again = RecordingSender()
    retry = reminders.send_now(db.session, again, db.session.get(Organisation, c.org.id), c.org.collector.person_id,
                               app_clock.now())
    assert (retry.reminded, retry.recent) == (1, 1) and [p for p, _ in again.texts] == ["13800000004"]


def test_the_daily_run_counts_failures_and_does_not_retry_them_every_few_minutes(db, clock):
    c = build(db)
    reminders.set_daily_time(db.session, c.org.id, time(10, 30), app_clock.now())
    db.session.commit()
    clock(datetime(2026, 11, 20, 10, 30))
    failing = FailingSender({"13800000002": SmsError("网关拒绝")})
    assert reminders.send_daily(db.session, failing, app_clock.now()) == reminders.DailyRun(1, 1, 1, failed=1)
    db.session.expire_all()
    logged = dict(db.session.execute(select(ReminderLog.person_id, ReminderLog.messages)).tuples().all())
    assert logged == {c.silent.id: 0, c.child.id: 1}
    clock(datetime(2026, 11, 20, 10, 35))
    assert reminders.send_daily(db.session, RecordingSender(), app_clock.now()) == reminders.DailyRun(0, 0, 0)
    # Nothing reached 李未报: it does not count as reminded within the hour, a 一键提醒 reaches them.
    clock(datetime(2026, 11, 20, 10, 40))
    tap = RecordingSender()
    sent = reminders.send_now(db.session, tap, c.org, c.org.collector.person_id, app_clock.now())
    assert (sent.reminded, sent.recent) == (1, 1) and [p for p, _ in tap.texts] == ["13800000002"]


def test_one_tap_sends_for_a_bounded_time_and_the_rest_may_tap_again(db, clock, monkeypatch):
    org = make_org(db, members=0)
    phones = [f"131000000{i:02d}" for i in range(5)]
    for i, phone in enumerate(phones):
        membership.join(db.session, org, make_person(db, f"学生{i}", phone=phone), "invite", app_clock.utcnow())
    db.session.commit()
    elapsed = [0.0]
    monkeypatch.setattr(reminders, "monotonic", lambda: elapsed[0])

    class SlowSender(RecordingSender):
        def send(self, *args, **kwargs):
            elapsed[0] += reminders.SEND_SECONDS / 2.5  # a slow gateway: the third SMS starts before the end
            super().send(*args, **kwargs)

    sender = SlowSender()
    sent = reminders.send_now(db.session, sender, org, org.collector.person_id, app_clock.now())
    assert (sent.reminded, sent.missed, sent.failed) == (3, 2, 0)
    assert sent.summary() == "已提醒3人（共发送3条短信）；2人未能提醒，请稍后再点一次。"
    assert [p for p, _ in sender.texts] == phones[:3]
    again = RecordingSender()
    second = reminders.send_now(db.session, again, db.session.get(Organisation, org.id), org.collector.person_id,
                                app_clock.now())
    assert (second.reminded, second.recent) == (2, 3) and [p for p, _ in again.texts] == phones[3:]


# -- the daily reminder -------------------------------------------------------------------------------------------


def test_daily_at_its_time_once_a_day(db, clock):
    c = build(db)
    reminders.set_daily_time(db.session, c.org.id, time(10, 30), app_clock.now())
    db.session.commit()
    sender = RecordingSender()

    def run(moment: datetime) -> reminders.DailyRun:
        clock(moment)
        return reminders.send_daily(db.session, sender, app_clock.now())

    assert run(datetime(2026, 11, 20, 10, 29)) == reminders.DailyRun(0, 0, 0)
    assert run(datetime(2026, 11, 20, 10, 30)) == reminders.DailyRun(1, 2, 2)
    assert run(datetime(2026, 11, 20, 10, 35)) == reminders.DailyRun(0, 0, 0)
    assert run(datetime(2026, 11, 20, 15, 0)) == reminders.DailyRun(0, 0, 0)  # never twice the same day
    assert len(sender.texts) == 2
    assert run(datetime(2026, 11, 21, 10, 25)) == reminders.DailyRun(0, 0, 0)
    nextday = run(datetime(2026, 11, 21, 10, 30))
    assert nextday.reminded == 3  # 王已报 declared on the 20th, not on the 21st
    assert any("11月21日" in text for _, text in sender.texts[2:])
    assert db.session.scalar(select(func.count()).select_from(ReminderLog).where(ReminderLog.slot == DAILY)) == 5


def test_daily_not_set_or_removed_sends_nothing(db, clock):
    c = build(db)
    reminders.set_daily_time(db.session, c.org.id, time(9, 0), app_clock.now())
    db.session.commit()
    assert reminders.daily_setting(db.session, c.org.id) == reminders.Daily(time(9, 0), DAY)
    reminders.set_daily_time(db.session, c.org.id, None, app_clock.now())  # 不提醒
    db.session.commit()
    assert reminders.daily_setting(db.session, c.org.id) is None
    clock(datetime(2026, 11, 20, 12, 0))
    assert reminders.send_daily(db.session, RecordingSender(), app_clock.now()).reminded == 0


def test_daily_waits_an_hour_after_a_click_and_is_quiet_at_night(db, clock):
    c = build(db)
    reminders.set_daily_time(db.session, c.org.id, time(10, 30), app_clock.now())
    db.session.commit()
    sender = RecordingSender()
    clock(datetime(2026, 11, 20, 10, 0))
    reminders.send_now(db.session, sender, c.org, c.org.collector.person_id, app_clock.now())
    clock(datetime(2026, 11, 20, 10, 30))
    assert reminders.send_daily(db.session, sender, app_clock.now()).reminded == 0  # reminded at 10:00
    clock(datetime(2026, 11, 20, 11, 0))
    assert reminders.send_daily(db.session, sender, app_clock.now()).reminded == 2
    reminders.set_daily_time(db.session, c.org.id, time(21, 0), app_clock.now())
    db.session.commit()
    clock(datetime(2026, 11, 21, 22, 0))
    assert reminders.send_daily(db.session, sender, app_clock.now()).reminded == 0  # 22:00: no SMS at night


def test_daily_waits_a_full_hour_after_a_click_across_the_hour(db, clock):
    c = build(db)
    reminders.set_daily_time(db.session, c.org.id, time(11, 0), app_clock.now())
    db.session.commit()
    clock(datetime(2026, 11, 20, 10, 30))
    reminders.send_now(db.session, RecordingSender(), c.org, c.org.collector.person_id, app_clock.now())  # slot h10
    sender = RecordingSender()
    for minute in (0, 20, 29):  # 11:xx is another hour's slot, but not an hour since 10:30
        clock(datetime(2026, 11, 20, 11, minute))
        assert reminders.send_daily(db.session, sender, app_clock.now()).reminded == 0
    clock(datetime(2026, 11, 20, 11, 30))
    assert reminders.send_daily(db.session, sender, app_clock.now()).reminded == 2
    assert len(sender.texts) == 2


@pytest.mark.parametrize(("saved_at", "first_day"), [
    (datetime(2026, 11, 20, 15, 0), DAY + timedelta(days=1)),  # 10:30 has passed: from tomorrow
    (datetime(2026, 11, 20, 10, 30, 1), DAY + timedelta(days=1)),
    (datetime(2026, 11, 20, 10, 30), DAY),
    (datetime(2026, 11, 20, 8, 0), DAY),
])
def test_a_time_saved_after_it_passed_today_starts_tomorrow(db, clock, saved_at, first_day):
    c = build(db)
    clock(saved_at)
    saved = reminders.set_daily_time(db.session, c.org.id, time(10, 30), app_clock.now())
    db.session.commit()
    assert saved == reminders.Daily(time(10, 30), first_day)
    sender = RecordingSender()
    clock(max(saved_at, datetime(2026, 11, 20, 10, 30)) + timedelta(minutes=5))
    assert reminders.send_daily(db.session, sender, app_clock.now()).reminded == (2 if first_day == DAY else 0)
    clock(datetime(2026, 11, 21, 10, 30))
    assert reminders.send_daily(db.session, sender, app_clock.now()).reminded == 3
    assert len(sender.texts) == (5 if first_day == DAY else 3)


def test_saving_the_same_time_again_keeps_its_first_day_and_a_later_time_starts_today(db, clock):
    c = build(db)
    reminders.set_daily_time(db.session, c.org.id, time(10, 30), app_clock.now())  # at 09:00: today
    clock(datetime(2026, 11, 20, 15, 0))
    assert reminders.set_daily_time(db.session, c.org.id, time(10, 30), app_clock.now()).starts_on == DAY
    assert reminders.set_daily_time(db.session, c.org.id, time(9, 0), app_clock.now()).starts_on == DAY + timedelta(1)
    assert reminders.set_daily_time(db.session, c.org.id, time(16, 0), app_clock.now()).starts_on == DAY
    db.session.commit()
    assert reminders.daily_setting(db.session, c.org.id) == reminders.Daily(time(16, 0), DAY)


def test_daily_reaches_every_organisation_due_in_one_run(db, clock):
    school = make_school(db)
    orgs = [make_org(db, school, make_person(db, f"老师{i}"), name=f"班{i}") for i in range(3)]
    for i, org in enumerate(orgs):
        membership.join(db.session, org, make_person(db, f"学生{i}", phone=f"1390000000{i}"), "invite",
                        app_clock.utcnow())
        if i < 2:
            reminders.set_daily_time(db.session, org.id, time(10, 0 + 20 * i), app_clock.now())
    db.session.commit()
    clock(datetime(2026, 11, 20, 10, 25))
    sender = RecordingSender()
    assert reminders.send_daily(db.session, sender, app_clock.now()) == reminders.DailyRun(2, 2, 2)
    assert sorted(phone for phone, _ in sender.texts) == ["13900000000", "13900000001"]


# -- two senders at the same moment (two app nodes) --------------------------------------------------------------


def _at_once(app, count: int, job):
    gate = threading.Barrier(count)

    def one(_):
        with app.app_context():
            from yks_web.extensions import db as _db
            try:
                gate.wait(timeout=10)
                return job(_db.session)
            finally:
                _db.session.remove()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(one, range(count)))


def test_two_nodes_running_the_daily_command_at_once_remind_each_member_once(app, db, clock):
    org = make_org(db, members=0)
    phones = [f"137000000{i:02d}" for i in range(40)]
    for i, phone in enumerate(phones):
        membership.join(db.session, org, make_person(db, f"学生{i}", phone=phone), "invite", app_clock.utcnow())
    reminders.set_daily_time(db.session, org.id, time(10, 30), app_clock.now())
    db.session.commit()
    clock(datetime(2026, 11, 20, 10, 30))
    senders = [RecordingSender(), RecordingSender()]
    runs = iter(senders)
    lock = threading.Lock()

    def job(session):
        with lock:
            sender = next(runs)
        return reminders.send_daily(session, sender, app_clock.now())

    results = _at_once(app, 2, job)
    assert sum(r.reminded for r in results) == 40
    sent = [phone for s in senders for phone, _ in s.texts]
    assert sorted(sent) == sorted(phones)  # each once, whichever node sent it
    assert db.session.scalar(select(func.count()).select_from(ReminderLog)) == 40


def test_two_clicks_at_once_remind_each_member_once(app, db, clock):
    org = make_org(db, members=0)
    phones = [f"136000000{i:02d}" for i in range(30)]
    for i, phone in enumerate(phones):
        membership.join(db.session, org, make_person(db, f"学生{i}", phone=phone), "invite", app_clock.utcnow())
    org_id, collector_id = org.id, org.collector.person_id
    db.session.commit()
    clock(datetime(2026, 11, 20, 10, 15))
    sender = RecordingSender()  # one list, appended from both threads (list.append is atomic)

    def job(session):
        return reminders.send_now(session, sender, session.get(Organisation, org_id), collector_id, app_clock.now())

    results = _at_once(app, 3, job)
    assert sorted(r.reminded for r in results) == [0, 0, 30]
    assert sorted(phone for phone, _ in sender.texts) == sorted(phones)
    assert all(r.recent == 30 for r in results if r.reminded == 0)


@pytest.mark.parametrize("when", ["between_its_read_and_its_claim", "while_it_sends"])
def test_a_click_during_the_daily_run_reminds_nobody_twice(app, db, clock, monkeypatch, when):
    """Two organisations with a daily time; the daily run claims and sends one CHUNK at a time. A 一键提醒 of an
    organisation after the run has read who is due (before its claim), or while it sends another's SMS, must not
    leave the run to text the members the click has just texted."""
    monkeypatch.setattr(reminders, "CHUNK", 1)
    school = make_school(db)
    orgs, phones = [], {}
    for n in range(2):
        org = make_org(db, school, make_person(db, f"老师{n}"), name=f"班{n}")
        for i in range(2):
            phone = f"1330000{n}{i:03d}"
            membership.join(db.session, org, make_person(db, f"学生{n}{i}", phone=phone), "invite",
                            app_clock.utcnow())
            phones.setdefault(org.id, []).append(phone)
        reminders.set_daily_time(db.session, org.id, time(10, 30), app_clock.now())
        orgs.append((org.id, org.collector.person_id))
    db.session.commit()
    clock(datetime(2026, 11, 20, 10, 40))
    clicked = orgs[0] if when == "between_its_read_and_its_claim" else orgs[1]
    click_sender, clicks = RecordingSender(), []

    def click() -> None:
        with app.app_context():
            from yks_web.extensions import db as _db
            try:
                clicks.append(reminders.send_now(_db.session, click_sender, _db.session.get(Organisation, clicked[0]),
                                                 clicked[1], app_clock.now()))
            finally:
                _db.session.remove()

    done = threading.Event()

    def click_once() -> None:  # on another node: its own connection; the daily run waits for it
        if done.is_set():
            return
        done.set()
        other = threading.Thread(target=click)
        other.start()
        other.join(timeout=30)
        assert not other.is_alive()

    daily_thread = threading.current_thread()
    if when == "between_its_read_and_its_claim":
        gather = reminders._gather

        def gather_then_click(rows):
            found = gather(rows)
            if threading.current_thread() is daily_thread:
                click_once()
            return found

        monkeypatch.setattr(reminders, "_gather", gather_then_click)
        daily_sender = RecordingSender()
    else:
        class ClickingSender(RecordingSender):
            def send(self, *args, **kwargs):
                super().send(*args, **kwargs)
                click_once()  # the first SMS is out; the rest wait

        daily_sender = ClickingSender()

    run = reminders.send_daily(db.session, daily_sender, app_clock.now())
    assert done.is_set() and clicks[0].reminded == 2, clicks
    sent = [phone for phone, _ in daily_sender.texts + click_sender.texts]
    assert sorted(sent) == sorted(phones[orgs[0][0]] + phones[orgs[1][0]])  # each member once, by one of them
    assert [phone for phone, _ in click_sender.texts] == phones[clicked[0]]
    assert run.reminded == 2


# -- statements ---------------------------------------------------------------------------------------------------


@pytest.fixture
def statements(db):
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    yield seen
    event.remove(db.engine, "before_cursor_execute", record)


def _class_of(db, school, size: int, name: str, at: time = time(10, 0)) -> Organisation:
    collector = make_person(db, f"{name}老师")
    org = make_org(db, school, collector, name=name, size=size)
    for i in range(size):
        person = make_person(db, f"{name}学生{i}", phone=f"135{size:03d}{i:05d}")
        membership.join(db.session, org, person, "invite", app_clock.utcnow())
        if i % 3 == 0:
            bind(db, org, make_person(db, f"{name}家长{i}", phone=f"134{size:03d}{i:05d}"), person)
        if i % 4 == 0:
            declare(db, org, person, DAY)
    reminders.set_daily_time(db.session, org.id, at, app_clock.now())
    return org


def test_statements_do_not_grow_with_members(db, clock, statements):
    school = make_school(db)
    small = [_class_of(db, school, 4, f"小班{i}") for i in range(2)]
    large = [_class_of(db, school, 120, f"大班{i}", at=time(10, 30)) for i in range(2)]
    ids = (small[0].id, small[0].collector.person_id), (large[0].id, large[0].collector.person_id)
    db.session.commit()
    clock(datetime(2026, 11, 20, 9, 0))
    counts = []
    for org_id, collector_id in ids:
        db.session.remove()
        org = db.session.get(Organisation, org_id)
        statements.clear()
        sent = reminders.send_now(db.session, RecordingSender(), org, collector_id, app_clock.now())
        assert sent.reminded
        counts.append(len(statements))
    assert counts[0] == counts[1] <= 5, counts  # lock, report, who, insert (+ commit on PostgreSQL's side)
    # The daily command: a run for two small classes (10:00), another for two large ones (10:30).
    daily = []
    for moment in (datetime(2026, 11, 20, 10, 10), datetime(2026, 11, 20, 10, 40)):
        db.session.remove()
        clock(moment)
        statements.clear()
        run = reminders.send_daily(db.session, RecordingSender(), app_clock.now())
        assert run.organisations == 2 and run.reminded
        daily.append(len(statements))
    assert daily[0] == daily[1] <= 6, daily  # who, a lock per organisation, reminded within the hour, one insert


# -- the 11:30 countdown -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("moment", "submitted", "text", "left"), [
    (datetime(2026, 11, 20, 9, 0), False, "还剩2小时30分（11:30截止）", 9000),
    (datetime(2026, 11, 20, 10, 6, 30), False, "还剩1小时23分（11:30截止）", 5010),
    (datetime(2026, 11, 20, 11, 7), False, "还剩23分（11:30截止）", 1380),
    (datetime(2026, 11, 20, 11, 29, 30), False, "还剩不到1分钟（11:30截止）", 30),
    (datetime(2026, 11, 20, 0, 0), False, "还剩11小时30分（11:30截止）", 41400),
    (datetime(2026, 11, 20, 11, 30), False, "已超过11:30，不可提交", 0),
    (datetime(2026, 11, 20, 18, 0), False, "已超过11:30，不可提交", 0),
    (datetime(2026, 11, 20, 9, 0), True, "已提交", 0),
])
def test_the_countdown_to_yesterdays_lock(moment, submitted, text, left):
    countdown = reminders.lock_countdown(moment.replace(tzinfo=app_clock.TZ), submitted)
    assert (countdown.text, countdown.seconds_left, countdown.day) == (text, left, moment.date() - timedelta(days=1))


def test_the_countdown_reads_shanghai_time_from_a_utc_moment():
    utc = datetime(2026, 11, 20, 2, 6, 30, tzinfo=ZoneInfo("UTC"))  # 10:06:30 in Shanghai
    assert reminders.lock_countdown(utc, False).text == "还剩1小时23分（11:30截止）"

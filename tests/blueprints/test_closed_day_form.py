"""A day that can no longer be declared says so before the form is filled (issue 9 item 4; SPEC S8, S9).

The rule (services/form_days, no HTTP): which of 本日 / 昨日 are closed and why, and what blocks the whole
form. The screen (Flask client): the reason at the top, above the first field; only the closed day's button
disabled; 【提交当日数据】 disabled when no day is left or the declarant is no longer a member. The POST is
still refused by declarations.submit whatever the screen said.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from tests.blueprints.support import TODAY, YESTERDAY, form_key, text
from tests.factories import form_answers
from yks_web import clock
from yks_web.clock import TZ
from yks_web.services import reports
from yks_web.services.deadlines import REPORT_SUBMITTED, YESTERDAY_CLOSED
from yks_web.services.declarations import NOT_MEMBER
from yks_web.services.form_days import form_days
from yks_web.services.membership import active_membership, leave
from yks_web.services.org_day import COLLECTOR_SUBMITTED, COLLECTOR_YESTERDAY_CLOSED

MORNING = datetime(2026, 11, 20, 9, 0)
AFTERNOON = datetime(2026, 11, 20, 14, 0)


def closed(days) -> dict[str, str | None]:
    return {choice.value: choice.closed for choice in days.choices}


# -- the rule -----------------------------------------------------------------------------------------------


def test_s8_in_the_morning_both_days_are_open():
    days = form_days(MORNING, submitted=set(), is_member=True)
    assert [(c.value, c.day) for c in days.choices] == [("today", TODAY), ("yesterday", YESTERDAY)]
    assert closed(days) == {"today": None, "yesterday": None} and days.blocked == () and days.open


def test_s8_after_1130_only_补提交昨日_is_closed():
    days = form_days(datetime(2026, 11, 20, 11, 30), submitted=set(), is_member=True)
    assert closed(days) == {"today": None, "yesterday": YESTERDAY_CLOSED} and days.open


def test_s8_a_submitted_report_closes_its_day_only():
    days = form_days(MORNING, submitted={TODAY}, is_member=True)
    assert closed(days) == {"today": REPORT_SUBMITTED, "yesterday": None} and days.open


def test_s8_report_in_and_after_1130_nothing_is_left_and_both_reasons_are_given():
    days = form_days(AFTERNOON, submitted={TODAY}, is_member=True)
    assert days.blocked == (REPORT_SUBMITTED, YESTERDAY_CLOSED) and not days.open


def test_s8_the_same_reason_twice_is_said_once():
    assert form_days(MORNING, submitted={TODAY, YESTERDAY}, is_member=True).blocked == (REPORT_SUBMITTED,)


def test_s9_a_removed_member_is_blocked_whatever_the_day():
    days = form_days(MORNING, submitted=set(), is_member=False)
    assert days.blocked == (NOT_MEMBER,) and closed(days) == {"today": None, "yesterday": None}


def test_w7_the_collectors_one_day_in_the_collectors_words():
    assert form_days(MORNING, submitted=set(), is_member=True, fixed_day=YESTERDAY).open
    days = form_days(AFTERNOON, submitted=set(), is_member=True, fixed_day=YESTERDAY)
    assert [c.value for c in days.choices] == ["day"] and days.blocked == (COLLECTOR_YESTERDAY_CLOSED,)
    submitted = form_days(MORNING, submitted={YESTERDAY}, is_member=True, fixed_day=YESTERDAY)
    assert submitted.blocked == (COLLECTOR_SUBMITTED,) and "联系采集员" not in COLLECTOR_SUBMITTED


def test_p5_an_aware_now_is_read_in_shanghai():
    """00:30 Shanghai is 16:30 UTC the day before: 本日 is the Shanghai day, and 昨日 is still open."""
    utc = datetime(2026, 11, 19, 16, 30, tzinfo=ZoneInfo("UTC"))
    days = form_days(utc, submitted=set(), is_member=True)
    assert [c.day for c in days.choices] == [TODAY, YESTERDAY] and days.open
    assert utc.astimezone(TZ).date() == TODAY


# -- the screen ---------------------------------------------------------------------------------------------


def form_url(scene, person) -> str:
    return f"/declare/org/{scene.org_id}/person/{person.id}"


def above_the_form(page: str, message: str) -> bool:
    return message in page[: page.index('<form method="post"')]


SUBMIT_OPEN = 'popovertarget="day-choice">提交当日数据</button>'
SUBMIT_DISABLED = 'disabled aria-describedby="form-closed">提交当日数据</button>'


def submit_report(db, scene, day):
    reports.submit_report(db.session, org_id=scene.org.id, day=day, actor_id=scene.collector.id,
                          supplement=reports.Supplement(in_school_count=3, leave_count=0, sick_absence_count=0),
                          now=clock.now(), utc_now=clock.utcnow())
    db.session.commit()


def test_s9_a_removed_member_is_told_at_the_top_and_cannot_submit(client, db, actions, scene):
    member = scene.members[0]
    leave(db.session, active_membership(db.session, scene.org_id, member.id), clock.utcnow())  # 删除成员
    db.session.commit()
    actions.login(member)
    page = text(client.get(form_url(scene, member)))
    assert above_the_form(page, NOT_MEMBER) and SUBMIT_DISABLED in page and SUBMIT_OPEN not in page
    response = actions.post(form_url(scene, member), form_answers(form_key=form_key(page)))
    assert response.status_code == 200 and text(response).count(NOT_MEMBER) == 1  # refused, said once
    assert SUBMIT_DISABLED.replace("提交当日数据", "重新提交") in text(response)


def test_s8_report_submitted_and_after_1130_both_reasons_at_the_top_and_no_submit(client, db, actions, scene,
                                                                                  clock):
    submit_report(db, scene, TODAY)
    clock(AFTERNOON)
    member = scene.members[0]
    actions.login(member)
    page = text(client.get(form_url(scene, member)))
    assert above_the_form(page, REPORT_SUBMITTED) and above_the_form(page, YESTERDAY_CLOSED)
    assert SUBMIT_DISABLED in page and SUBMIT_OPEN not in page
    response = actions.post(form_url(scene, member), form_answers(form_key=form_key(page), day="today"))
    assert response.status_code == 200 and REPORT_SUBMITTED in text(response)  # the server still refuses


def test_s8_after_1130_补提交_is_named_at_the_top_and_only_its_button_is_disabled(client, db, actions, scene, clock):
    clock(AFTERNOON)
    member = scene.members[0]
    actions.login(member)
    page = text(client.get(form_url(scene, member)))
    assert above_the_form(page, "补提交昨日数据（11月19日）</span>：" + YESTERDAY_CLOSED)
    assert SUBMIT_OPEN in page
    assert 'value="yesterday" class="btn block" disabled' in page
    assert 'value="today" class="btn block primary">' in page


def test_s8_todays_report_in_the_morning_leaves_补提交昨日_open(client, db, actions, scene):
    submit_report(db, scene, TODAY)
    member = scene.members[0]
    actions.login(member)
    page = text(client.get(form_url(scene, member)))
    assert above_the_form(page, REPORT_SUBMITTED) and SUBMIT_OPEN in page
    assert 'value="today" class="btn block primary" disabled' in page
    assert 'value="yesterday" class="btn block">' in page
    response = actions.post(form_url(scene, member), form_answers(form_key=form_key(page), day="yesterday"))
    assert response.status_code == 303


def test_s8_an_open_morning_says_nothing_before_the_form(client, db, actions, scene):
    member = scene.members[0]
    actions.login(member)
    page = text(client.get(form_url(scene, member)))
    head = page[: page.index('<form method="post"')]
    assert 'role="alert"' not in head and "不可提交" not in head and SUBMIT_OPEN in page

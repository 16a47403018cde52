"""Submitting declarations: latest wins, closed days, idempotent forms, quick-fill (SPEC S3, S8, S9, W6–W8, P4)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.factories import answers, bind, declare, make_org, make_person, make_school
from yks_web.clock import TZ
from yks_web.models import DailyReport, Declaration, Organisation, Person
from yks_web.services import declarations, membership, org_day
from yks_web.services.deadlines import DAY_NOT_OPEN, REPORT_SUBMITTED, YESTERDAY_CLOSED
from yks_web.services.declarations import NOT_MEMBER, DeclarationRefused, NotYours, quick_fill

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=TZ)
LATE = datetime(2026, 11, 20, 11, 30, tzinfo=TZ)
TODAY = NOW.date()
YESTERDAY = TODAY - timedelta(days=1)


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def submit(db, org: Organisation, person_id: int, *, day: date = TODAY, now: datetime = NOW,
           actor_id: int | None = None, source: str = "self", form_key: str | None = None,
           **overrides) -> Declaration:
    """submit() returns the id (issue 14 item 2: no object on the hot path); the tests read the row it names."""
    declaration_id = declarations.submit(
        db.session, org_id=org.id, person_id=person_id, actor_id=actor_id or person_id, day=day,
        answers=answers(**overrides), source=source, form_key=form_key or uuid.uuid4().hex,
        now=now, utc_now=utc(now),
    )
    return db.session.get(Declaration, declaration_id)


def latest_for_day(session, org_id: int, day: date) -> dict[int, Declaration]:
    """Each member's declaration that counts on `day`, as every screen reads it (org_day, issue 9 item 1)."""
    return {m.person_id: m.declaration for m in org_day.of_organisation(session, org_id, day).declared}


def refused(db, org, person_id, **kw) -> str:
    with pytest.raises(DeclarationRefused) as excinfo:
        submit(db, org, person_id, **kw)
    return excinfo.value.message


def members_of(db, org) -> list[Person]:
    return [m.person for m in membership.members(db.session, org.id)]


def file_report(db, org: Organisation, day: date) -> DailyReport:
    report = DailyReport(organisation_id=org.id, day=day, submitted_by_id=org.collector.person_id,
                         in_school_count=0, leave_count=0, sick_absence_count=0)
    db.session.add(report)
    db.session.flush()
    return report


def count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Declaration))


# --- S3: submitting ----------------------------------------------------------------------------


def test_s3_submit_records_the_declaration(db):
    org = make_org(db, members=1)
    (pid,) = membership.member_ids(db.session, org.id)
    row = submit(db, org, pid, form_key="form-1", location_city="深圳市", temperature=Decimal("36.7"))
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(Declaration, row.id)
    assert (stored.organisation_id, stored.person_id, stored.actor_id, stored.day) == (org.id, pid, pid, TODAY)
    assert (stored.source, stored.form_key, stored.changed) == ("self", "form-1", False)
    assert stored.created_at == utc(NOW) == datetime(2026, 11, 20, 1, 0)
    assert stored.answers() == answers(location_city="深圳市", temperature=Decimal("36.7"))
    assert stored.source_label == "自主申报"


def test_i5_proxy_recorded_as_actor(db):
    org = make_org(db, members=1)
    (member,) = members_of(db, org)
    proxy = make_person(db, "李父")
    bind(db, org, proxy, member)
    row = submit(db, org, member.id, actor_id=proxy.id, source="proxy")
    assert (row.person_id, row.actor_id, row.source) == (member.id, proxy.id, "proxy")


def test_p7_a_proxy_without_a_live_binding_is_not_theirs(db):
    """The submission's own statement checks the binding (issue 14 item 2: the POST loads nothing before it)."""
    org = make_org(db, members=1)
    (member,) = members_of(db, org)
    proxy, stranger = make_person(db, "李父"), make_person(db, "路人")
    binding = bind(db, org, proxy, member)
    with pytest.raises(NotYours):
        submit(db, org, member.id, actor_id=stranger.id, source="proxy")
    binding.active = False
    db.session.flush()
    with pytest.raises(NotYours):
        submit(db, org, member.id, actor_id=proxy.id, source="proxy")
    with pytest.raises(NotYours):  # an organisation that does not exist
        submit(db, Organisation(id=org.id + 1000), member.id)
    assert count(db) == 0


def test_s3_yesterday_can_be_completed_before_1130(db):
    org = make_org(db, members=1)
    (pid,) = membership.member_ids(db.session, org.id)
    row = submit(db, org, pid, day=YESTERDAY, now=NOW.replace(hour=11, minute=29))
    assert row.day == YESTERDAY


# --- P4: idempotent form keys ------------------------------------------------------------------


def test_p4_replayed_form_key_returns_the_same_row(db):
    org = make_org(db, members=1)
    (pid,) = membership.member_ids(db.session, org.id)
    first = submit(db, org, pid, form_key="tap", remarks="第一次")
    again = submit(db, org, pid, form_key="tap", remarks="第二次")
    assert again.id == first.id
    assert again.remarks == "第一次"
    assert count(db) == 1


def test_p4_replay_after_the_day_closed_still_returns_the_row(db):
    """A double tap that lands after the report was filed gets its first answer, not an error."""
    org = make_org(db, members=1)
    (pid,) = membership.member_ids(db.session, org.id)
    first = submit(db, org, pid, form_key="tap")
    file_report(db, org, TODAY)
    assert submit(db, org, pid, form_key="tap").id == first.id


def test_p4_form_key_of_another_person_refused(db):
    org = make_org(db, members=2)
    first_id, second_id = membership.member_ids(db.session, org.id)
    submit(db, org, first_id, form_key="tap")
    assert refused(db, org, second_id, form_key="tap") == "表单已失效，请重新填写"
    assert count(db) == 1


def test_p4_double_tap_racing_past_the_check_keeps_the_first(db, monkeypatch):
    """The other tap's row lands between our form_key check and our insert: the unique key decides."""
    org = make_org(db, members=1)
    (pid,) = membership.member_ids(db.session, org.id)
    real_lock = declarations.lock_organisation

    def racing_lock(session, org_id):
        session.add(Declaration(organisation_id=org.id, person_id=pid, actor_id=pid, day=TODAY, source="self",
                                form_key="tap", **answers(remarks="先到")))
        session.flush()
        return real_lock(session, org_id)

    monkeypatch.setattr(declarations, "lock_organisation", racing_lock)
    row = submit(db, org, pid, form_key="tap", remarks="后到")
    assert row.remarks == "先到"
    db.session.commit()
    assert count(db) == 1


# --- S8: latest wins ------------------------------------------------------------------------------


def test_s8_latest_submission_counts_and_all_are_kept(db):
    org = make_org(db, members=1)
    (pid,) = membership.member_ids(db.session, org.id)
    submit(db, org, pid, location_city="广州市")
    later = submit(db, org, pid, location_city="深圳市")
    latest = latest_for_day(db.session, org.id, TODAY)
    assert list(latest) == [pid]
    assert latest[pid].id == later.id and latest[pid].location_city == "深圳市"
    assert count(db) == 2


def test_s8_latest_for_day_is_per_person_day_and_organisation(db):
    org = make_org(db, members=2)
    other_org = make_org(db, make_school(db, "另一所学校"), members=1)
    first, second = members_of(db, org)
    (outsider,) = members_of(db, other_org)
    mine = declare(db, org, first, TODAY)
    declare(db, org, second, YESTERDAY)
    declare(db, other_org, outsider, TODAY)
    latest = latest_for_day(db.session, org.id, TODAY)
    assert {pid: d.id for pid, d in latest.items()} == {first.id: mine.id}
    assert latest[first.id].actor.name == first.name


# --- W6: 数据有变动 ---------------------------------------------------------------------------------


def test_w6_first_declaration_unchanged_then_change_flagged(db):
    org = make_org(db, members=1)
    (pid,) = membership.member_ids(db.session, org.id)
    assert submit(db, org, pid).changed is False
    assert submit(db, org, pid, temperature=Decimal("36.6")).changed is False
    assert submit(db, org, pid, location_city="深圳市").changed is True
    assert submit(db, org, pid, location_city="深圳市", remarks="备注").changed is False
    assert submit(db, org, pid, location_city="深圳市", temperature=Decimal("37.5")).changed is True


def test_w6_change_measured_against_yesterday(db):
    org = make_org(db, members=1)
    (person,) = members_of(db, org)
    declare(db, org, person, YESTERDAY, health_status="健康")
    assert submit(db, org, person.id, health_status="居家观察").changed is True


def test_w6_change_measured_within_the_same_organisation_only(db):
    school_a, school_b = make_school(db, "甲校"), make_school(db, "乙校")
    org_a, org_b = make_org(db, school_a), make_org(db, school_b)
    person = make_person(db)
    membership.join(db.session, org_a, person, "invite", utc(NOW))
    membership.join(db.session, org_b, person, "invite", utc(NOW))
    declare(db, org_b, person, YESTERDAY, location_city="深圳市")
    assert submit(db, org_a, person.id).changed is False


def test_submission_state_reads_access_replay_report_membership_and_previous_answers_at_once(db):
    """One statement after the lock tells submit() everything it decides on (issue 3, issue 14 item 2: fewer
    round trips), who may declare included."""
    org = make_org(db, members=2)
    first, second = members_of(db, org)
    earlier = submit(db, org, first.id, form_key="earlier", location_city="佛山市")
    latest = submit(db, org, first.id, form_key="latest", location_city="深圳市")
    state = declarations.submission_state(db.session, org.id, first.id, first.id, TODAY, "latest")
    assert (state.replayed, state.report_id) == ((latest.id, org.id, first.id), None)
    assert state.membership_id is not None and state.member and not state.live_binding and earlier.id < latest.id
    assert state.previous == latest.answers() and state.previous["location_city"] == "深圳市"

    report = file_report(db, org, TODAY)
    left = membership.active_membership(db.session, org.id, second.id)
    membership.leave(db.session, left, utc(NOW))
    fresh = declarations.submission_state(db.session, org.id, second.id, second.id, TODAY, "never-used")
    assert fresh == (left.id, False, False, None, report.id, None)

    parent = make_person(db, "李父")
    bind(db, org, parent, first)
    assert declarations.submission_state(db.session, org.id, first.id, parent.id, TODAY, "x").live_binding
    assert declarations.submission_state(db.session, org.id + 1000, first.id, parent.id, TODAY, "x") is None


# --- S8: closed days --------------------------------------------------------------------------------


def test_s8_refused_once_the_report_exists(db):
    org = make_org(db, members=1)
    (pid,) = membership.member_ids(db.session, org.id)
    file_report(db, org, TODAY)
    assert refused(db, org, pid) == REPORT_SUBMITTED
    assert count(db) == 0


def test_s8_yesterday_report_closes_only_yesterday(db):
    org = make_org(db, members=1)
    (pid,) = membership.member_ids(db.session, org.id)
    file_report(db, org, YESTERDAY)
    assert refused(db, org, pid, day=YESTERDAY) == REPORT_SUBMITTED
    assert submit(db, org, pid, day=TODAY).day == TODAY


def test_s8_report_of_another_org_does_not_close_mine(db):
    school = make_school(db)
    mine, theirs = make_org(db, school, members=1), make_org(db, school, name="高一(2)班")
    (pid,) = membership.member_ids(db.session, mine.id)
    file_report(db, theirs, TODAY)
    assert submit(db, mine, pid).organisation_id == mine.id


def test_s8_yesterday_refused_from_1130(db):
    org = make_org(db, members=1)
    (pid,) = membership.member_ids(db.session, org.id)
    assert refused(db, org, pid, day=YESTERDAY, now=LATE) == YESTERDAY_CLOSED
    assert submit(db, org, pid, day=TODAY, now=LATE).day == TODAY
    assert count(db) == 1


@pytest.mark.parametrize("offset", [-2, 1])
def test_s8_other_days_refused(db, offset):
    org = make_org(db, members=1)
    (pid,) = membership.member_ids(db.session, org.id)
    assert refused(db, org, pid, day=TODAY + timedelta(days=offset)) == DAY_NOT_OPEN


# --- S9: members only ---------------------------------------------------------------------------


def test_s9_non_member_refused(db):
    """Never a member: not theirs (the form's loader answers 404 for the same); a leaver is told S9's message."""
    org = make_org(db)
    stranger = make_person(db)
    with pytest.raises(NotYours):
        submit(db, org, stranger.id)
    assert count(db) == 0


def test_s9_after_leaving_refused_until_rejoined(db):
    org = make_org(db, members=1)
    (person,) = members_of(db, org)
    submit(db, org, person.id)
    membership.leave(db.session, membership.active_membership(db.session, org.id, person.id), utc(NOW))
    assert refused(db, org, person.id) == NOT_MEMBER
    membership.join(db.session, org, person, "invite", utc(NOW))
    assert submit(db, org, person.id).person_id == person.id
    assert count(db) == 2  # the earlier record stays (W5)


# --- W8: 快速填充未报数据 -------------------------------------------------------------------------------


def fill(db, org, *, day=TODAY, now=NOW, key="quickfill:k1", member_ids=None) -> int:
    return quick_fill(
        db.session, org_id=org.id,
        member_ids=member_ids if member_ids is not None else membership.member_ids(db.session, org.id),
        actor_id=org.collector.person_id, day=day, now=now, utc_now=utc(now), key_prefix=key,
    )


def test_w8_quick_fill_copies_each_silent_members_most_recent(db):
    org = make_org(db, members=4)
    copied, copied_latest, declared, never = members_of(db, org)
    source_0 = declare(db, org, copied, YESTERDAY, location_city="深圳市")
    declare(db, org, copied_latest, TODAY - timedelta(days=3), health_status="健康")
    source_1 = declare(db, org, copied_latest, YESTERDAY, health_status="居家观察", temperature_band="37.3℃以下",
                       temperature=None)
    own = declare(db, org, declared, TODAY, remarks="自己报的")

    assert fill(db, org) == 2

    latest = latest_for_day(db.session, org.id, TODAY)
    assert set(latest) == {copied.id, copied_latest.id, declared.id}
    for person, source in ((copied, source_0), (copied_latest, source_1)):
        row = latest[person.id]
        assert row.answers() == source.answers()
        assert (row.source, row.actor_id, row.day, row.changed) == (
            "quickfill", org.collector.person_id, TODAY, False,
        )
        assert row.form_key.startswith("quickfill:k1:")
        assert row.created_at == utc(NOW)
        assert row.source_label == "快速填充"
    assert latest[declared.id].id == own.id
    assert never.id not in latest


def test_w8_quick_fill_skips_members_without_any_declaration(db):
    org = make_org(db, members=3)
    assert fill(db, org) == 0
    assert count(db) == 0


def test_w8_quick_fill_twice_fills_nothing_more(db):
    org = make_org(db, members=2)
    for person in members_of(db, org):
        declare(db, org, person, YESTERDAY)
    assert fill(db, org, key="quickfill:a") == 2
    assert fill(db, org, key="quickfill:b") == 0
    assert count(db) == 4


def test_w8_quick_fill_only_for_given_members(db):
    org = make_org(db, members=2)
    stays, leaves = members_of(db, org)
    declare(db, org, stays, YESTERDAY)
    declare(db, org, leaves, YESTERDAY)
    membership.leave(db.session, membership.active_membership(db.session, org.id, leaves.id), utc(NOW))
    assert fill(db, org) == 1
    assert set(latest_for_day(db.session, org.id, TODAY)) == {stays.id}


def test_w8_quick_fill_never_copies_from_another_organisation(db):
    org = make_org(db, make_school(db, "甲校"))
    other = make_org(db, make_school(db, "乙校"))
    person = make_person(db)
    membership.join(db.session, org, person, "invite", utc(NOW))
    membership.join(db.session, other, person, "invite", utc(NOW))
    declare(db, other, person, YESTERDAY)
    assert fill(db, org) == 0
    assert latest_for_day(db.session, org.id, TODAY) == {}


def test_w8_member_declaring_after_quick_fill_wins(db):
    org = make_org(db, members=1)
    (person,) = members_of(db, org)
    declare(db, org, person, YESTERDAY, location_city="深圳市")
    fill(db, org)
    own = submit(db, org, person.id, location_city="广州市")
    assert latest_for_day(db.session, org.id, TODAY)[person.id].id == own.id
    assert own.changed is True  # compared with the quick-filled copy


def test_w8_quick_fill_refused_after_the_report(db):
    org = make_org(db, members=1)
    (person,) = members_of(db, org)
    declare(db, org, person, YESTERDAY)
    file_report(db, org, TODAY)
    with pytest.raises(DeclarationRefused) as excinfo:
        fill(db, org)
    assert excinfo.value.message == REPORT_SUBMITTED
    assert count(db) == 1


def test_w8_quick_fill_yesterday_until_1130(db):
    org = make_org(db, members=1)
    (person,) = members_of(db, org)
    declare(db, org, person, TODAY - timedelta(days=2))
    with pytest.raises(DeclarationRefused) as excinfo:
        fill(db, org, day=YESTERDAY, now=LATE)
    assert excinfo.value.message == YESTERDAY_CLOSED
    assert fill(db, org, day=YESTERDAY, now=LATE - timedelta(seconds=1)) == 1
    assert set(latest_for_day(db.session, org.id, YESTERDAY)) == {person.id}

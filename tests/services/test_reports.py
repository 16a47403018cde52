"""提交本日数据: the collector's immutable daily report (SPEC W9, S8)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.factories import answers, declare, make_org, make_person
from yks_web.clock import TZ
from yks_web.models import DailyReport, ReportEntry
from yks_web.services import declarations, membership, reports
from yks_web.services.deadlines import DAY_NOT_OPEN, REPORT_SUBMITTED, REPORT_YESTERDAY_CLOSED
from yks_web.services.reports import ReportRefused, Supplement, get_report, submit_report

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=TZ)
LATE = datetime(2026, 11, 20, 11, 30, tzinfo=TZ)
TODAY = NOW.date()
YESTERDAY = TODAY - timedelta(days=1)
ALREADY = "该日数据已提交，提交后不可修改。"


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def file_report(
    db, org, *, day: date = TODAY, now: datetime = NOW, supplement: Supplement | None = None
) -> DailyReport:
    return submit_report(
        db.session, org_id=org.id, day=day, actor_id=org.collector.person_id,
        supplement=supplement or Supplement(in_school_count=0, leave_count=0, sick_absence_count=0),
        now=now, utc_now=utc(now),
    )


def refused(db, org, **kw) -> str:
    with pytest.raises(ReportRefused) as excinfo:
        file_report(db, org, **kw)
    return excinfo.value.message


def report_count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(DailyReport))


def members_of(db, org):
    return [m.person for m in membership.members(db.session, org.id)]


def test_w9_report_writes_supplement_totals_and_entries(db):
    org = make_org(db, members=5)
    healthy, fever_then_well, sick, silent, left = members_of(db, org)
    healthy_row = declare(db, org, healthy, TODAY)
    declare(db, org, fever_then_well, TODAY, temperature=Decimal("38.2"))
    well_row = declare(db, org, fever_then_well, TODAY, temperature=Decimal("36.6"))  # latest wins
    sick_row = declare(db, org, sick, TODAY, temperature=Decimal("38.5"), has_symptoms=True,
                       health_status="居家观察")
    declare(db, org, silent, YESTERDAY)  # yesterday does not count today
    declare(db, org, left, TODAY, risk_travel=True)
    membership.leave(db.session, membership.active_membership(db.session, org.id, left.id), utc(NOW))
    notes = [{"person_id": silent.id, "reason": "请病假"}]
    supplement = Supplement(in_school_count=40, leave_count=2, sick_absence_count=1, remarks="一人病假",
                            missing_notes=notes)

    report = file_report(db, org, supplement=supplement)
    db.session.commit()
    db.session.expire_all()

    stored = get_report(db.session, org.id, TODAY)
    assert stored.id == report.id
    assert (stored.organisation_id, stored.day, stored.submitted_by_id, stored.submitted_at) == (
        org.id, TODAY, org.collector.person_id, utc(NOW),
    )
    assert (stored.in_school_count, stored.leave_count, stored.sick_absence_count, stored.remarks) == (
        40, 2, 1, "一人病假",
    )
    # each noted member named as the organisation knows them (org_day, issue 9 item 1)
    assert stored.missing_notes == [{"person_id": silent.id, "name": silent.name, "reason": "请病假"}]
    assert stored.totals == {
        "declared": 3,
        "not_declared": 1,
        "fever": 1,
        "symptoms": 1,
        "risk_travel": 0,
        "contact": 0,
        "status_0": 2,
        "status_1": 1,
        "status_2": 0,
        "status_3": 0,
        "status_4": 0,
    }
    entries = {e.person_id: e.declaration_id for e in stored.entries}
    assert entries == {
        healthy.id: healthy_row.id,
        fever_then_well.id: well_row.id,
        sick.id: sick_row.id,
        silent.id: None,
    }


def test_w9_report_of_an_org_without_members(db):
    org = make_org(db)
    report = file_report(db, org)
    assert report.totals["declared"] == 0 and report.totals["not_declared"] == 0
    assert db.session.scalar(select(func.count()).select_from(ReportEntry)) == 0


def test_w9_entries_are_per_organisation(db):
    org = make_org(db, members=2)
    other = make_org(db, members=3)
    file_report(db, org)
    file_report(db, other)
    assert db.session.scalar(select(func.count()).select_from(ReportEntry)) == 5
    assert {e.person_id for e in get_report(db.session, org.id, TODAY).entries} == set(
        membership.member_ids(db.session, org.id)
    )


def test_w9_second_submit_refused(db):
    org = make_org(db, members=1)
    first = file_report(db, org, supplement=Supplement(in_school_count=1, leave_count=0, sick_absence_count=0))
    assert refused(db, org) == ALREADY
    assert report_count(db) == 1
    assert get_report(db.session, org.id, TODAY).in_school_count == 1
    assert get_report(db.session, org.id, TODAY).id == first.id


def test_w9_second_submit_racing_past_the_check_refused(db, monkeypatch):
    """Two 【确定】 at once: the unique (organisation, day) refuses the second and the first stays."""
    org = make_org(db, members=1)
    first = file_report(db, org)
    monkeypatch.setattr(reports, "report_submitted", lambda session, org_id, day: False)
    assert refused(db, org) == ALREADY
    db.session.commit()
    assert report_count(db) == 1
    assert get_report(db.session, org.id, TODAY).id == first.id


def test_w9_yesterday_report_until_1130(db):
    org = make_org(db, members=1)
    assert refused(db, org, day=YESTERDAY, now=LATE) == REPORT_YESTERDAY_CLOSED
    assert report_count(db) == 0
    assert file_report(db, org, day=YESTERDAY, now=LATE - timedelta(seconds=1)).day == YESTERDAY


def test_w9_today_can_be_reported_after_1130(db):
    org = make_org(db)
    assert file_report(db, org, now=LATE + timedelta(hours=8)).day == TODAY


@pytest.mark.parametrize("offset", [-2, 1])
def test_w9_other_days_refused(db, offset):
    org = make_org(db)
    assert refused(db, org, day=TODAY + timedelta(days=offset)) == DAY_NOT_OPEN


def test_w9_get_report_none_before_submit(db):
    org = make_org(db)
    assert get_report(db.session, org.id, TODAY) is None


def test_s8_members_refused_after_report(db):
    """Once the collector submitted the day, a member's submission is refused with the guide's message."""
    org = make_org(db, members=1)
    (person,) = members_of(db, org)
    file_report(db, org)
    with pytest.raises(declarations.DeclarationRefused) as excinfo:
        declarations.submit(
            db.session, org_id=org.id, person_id=person.id, actor_id=person.id, day=TODAY, answers=answers(),
            source="self", form_key=uuid.uuid4().hex, now=NOW, utc_now=utc(NOW),
        )
    assert excinfo.value.message == REPORT_SUBMITTED


def test_w9_declarations_of_non_members_not_counted(db):
    org = make_org(db, members=1)
    stranger = make_person(db)
    declare(db, org, stranger, TODAY, temperature=Decimal("39.0"))
    report = file_report(db, org)
    assert report.totals["declared"] == 0 and report.totals["fever"] == 0
    assert [e.person_id for e in report.entries] == membership.member_ids(db.session, org.id)

"""Retention (issue 16 item 3): each kind is deleted one second after its period, in bounded batches."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.blueprints.support import TODAY
from tests.factories import (
    declare,
    make_check,
    make_grid,
    make_grid_visit,
    make_institution,
    make_institution_declaration,
    make_org,
    make_person,
    make_place,
)
from yks_web import clock
from yks_web.config import RETENTION_DAYS
from yks_web.models import DailyReport, Declaration, ReportEntry
from yks_web.models.health import PersonalDeclaration, TemperatureCheck
from yks_web.models.institution import InstitutionDeclaration
from yks_web.models.people import AuditLog, SmsChallenge, SmsSend
from yks_web.models.reminders import ReminderLog
from yks_web.models.security import RateEvent
from yks_web.models.sessions import LoginSession
from yks_web.services import retention

SESSION_LIFETIME = timedelta(days=7)
PERIODS = retention.periods_from_days(RETENTION_DAYS, SESSION_LIFETIME)
SECOND = timedelta(seconds=1)


_days_back = itertools.count()


def _report(db, org, collector, at, declaration=None):
    """A submitted report with one entry; each on a day of its own (one report per organisation and day)."""
    report = DailyReport(organisation_id=org.id, day=TODAY - timedelta(days=next(_days_back)),
                         submitted_by_id=collector.id, submitted_at=at, in_school_count=1, leave_count=0,
                         sick_absence_count=0)
    db.session.add(report)
    db.session.flush()
    db.session.add(ReportEntry(report_id=report.id, person_id=collector.id,
                               declaration_id=declaration.id if declaration else None))
    db.session.flush()
    return report


def _sms(at):
    return SmsChallenge(name="黄恺", id_type="id_card", id_number="x", phone="13800000000", phone_hash="h",
                        code_hash="c", created_at=at, expires_at=at + timedelta(minutes=5))


class Rows:
    """One row of `kind` written at `at` (naive UTC), the way each table records its time."""

    def __init__(self, db):
        self.db = db
        self.person = make_person(db, "黄恺")
        self._place = self._grid = self._org = self._institution = None

    def make(self, kind: str, at):
        db = self.db
        if kind == "checkins":
            self._place = self._place or make_place(db)
            row = make_check(db, self._place, self.person)
            row.checked_at = at
        elif kind == "grid_visits":
            self._grid = self._grid or make_grid(db, status="active")
            row = make_grid_visit(db, self._grid, self.person)
            row.created_at = at
        elif kind in ("reports", "declarations"):
            self._org = self._org or make_org(db, collector=self.person)
            if kind == "reports":
                row = _report(db, self._org, self.person, at)
            else:
                row = declare(db, self._org, self.person, TODAY)
                row.created_at = at
        elif kind == "personal_declarations":
            self._institution = self._institution or make_institution(db)
            row = make_institution_declaration(db, self._institution, self.person).personal
            row.created_at = at
        elif kind == "sms_codes":
            row = _sms(at)
        elif kind == "rate_events":
            row = RateEvent(kind="t", key="k", at=at)
        elif kind == "reminders":
            self._org = self._org or make_org(db, collector=self.person)
            row = ReminderLog(organisation_id=self._org.id, person_id=self.person.id, day=TODAY,
                              slot=f"h{next(_days_back) % 24:02d}", sent_at=at)
        elif kind == retention.SESSIONS:
            row = LoginSession(person_id=self.person.id, token_hash=f"t{next(_days_back)}", created_at=at)
        else:
            row = AuditLog(actor_id=self.person.id, action="read", created_at=at)
        db.session.add(row)
        db.session.flush()
        return type(row), row.id


def _exists(db, model, row_id) -> bool:
    db.session.expire_all()
    return db.session.get(model, row_id) is not None


@pytest.mark.parametrize("kind", retention.KINDS)
def test_a_row_one_second_inside_its_period_stays_one_second_outside_goes(db, kind):
    now = clock.utcnow()
    rows = Rows(db)
    inside = rows.make(kind, now - PERIODS[kind] + SECOND)
    outside = rows.make(kind, now - PERIODS[kind] - SECOND)
    due = retention.due(db.session, now, PERIODS)
    assert due[kind] == 1

    assert retention.purge(db.session, now, PERIODS, batch=10) == due
    assert _exists(db, *inside) and not _exists(db, *outside)
    assert retention.due(db.session, now, PERIODS)[kind] == 0


def test_dry_run_deletes_nothing_and_counts_what_purge_deletes(db):
    now = clock.utcnow()
    rows = Rows(db)
    made = [rows.make(kind, now - PERIODS[kind] - SECOND) for kind in retention.KINDS for _ in range(2)]
    first, second = retention.due(db.session, now, PERIODS), retention.due(db.session, now, PERIODS)
    assert first == second == dict.fromkeys(retention.KINDS, 2)
    assert all(_exists(db, *row) for row in made)
    assert retention.purge(db.session, now, PERIODS) == first
    assert not any(_exists(db, *row) for row in made)


def test_a_batch_of_2_over_5_due_rows_takes_3_batches(db):
    now = clock.utcnow()
    db.session.add_all(RateEvent(kind="t", key="k", at=now - timedelta(days=3)) for _ in range(5))
    db.session.add(SmsSend(phone_hash="h", ip="1.2.3.4", sent_at=now - timedelta(days=3)))
    db.session.flush()
    batches = []
    deleted = retention.purge(db.session, now, PERIODS, batch=2, after_batch=lambda kind, n: batches.append((kind, n)))
    assert [n for kind, n in batches if kind == "rate_events"] == [2, 2, 1]
    assert ("sms_codes", 1) in batches
    assert deleted["rate_events"] == 5 and db.session.scalar(select(RateEvent.id)) is None


def test_a_kept_check_that_corrected_a_deleted_one_stays_counted(db):
    now = clock.utcnow()
    person, place = make_person(db, "黄恺"), make_place(db)
    old, correction = make_check(db, place, person), make_check(db, place, person)
    old.checked_at = now - PERIODS["checkins"] - SECOND
    correction.checked_at, correction.supersedes_id = now - PERIODS["checkins"] + SECOND, old.id
    db.session.flush()
    old_id, correction_id = old.id, correction.id
    assert retention.purge(db.session, now, PERIODS)["checkins"] == 1
    db.session.expire_all()
    kept = db.session.get(TemperatureCheck, correction_id)
    assert kept is not None and kept.supersedes_id is None
    assert db.session.get(TemperatureCheck, old_id) is None


def test_a_declaration_named_by_a_kept_report_waits_for_that_report(db):
    now = clock.utcnow()
    collector = make_person(db, "蒋小华")
    org = make_org(db, collector=collector)
    declaration = declare(db, org, collector, TODAY)
    declaration.created_at = now - PERIODS["declarations"] - SECOND
    report = _report(db, org, collector, now - PERIODS["reports"] + SECOND, declaration)
    declaration_id, report_id = declaration.id, report.id
    assert retention.due(db.session, now, PERIODS)["declarations"] == 0
    assert retention.purge(db.session, now, PERIODS)["declarations"] == 0
    assert _exists(db, Declaration, declaration_id)

    later = now + 2 * SECOND  # the report is now one second outside its period: it goes, and then the declaration
    assert retention.due(db.session, later, PERIODS)["declarations"] == 1
    deleted = retention.purge(db.session, later, PERIODS)
    assert (deleted["reports"], deleted["declarations"]) == (1, 1)
    assert not _exists(db, DailyReport, report_id) and not _exists(db, Declaration, declaration_id)
    assert db.session.scalar(select(ReportEntry.id)) is None


def test_an_institution_declaration_goes_with_its_personal_part(db):
    now = clock.utcnow()
    person = make_person(db, "黄恺")
    part = make_institution_declaration(db, make_institution(db), person)
    part.personal.created_at = now - PERIODS["personal_declarations"] - SECOND
    db.session.flush()
    personal_id, part_id = part.personal_id, part.id
    assert retention.purge(db.session, now, PERIODS)["personal_declarations"] == 1
    assert not _exists(db, PersonalDeclaration, personal_id)
    assert not _exists(db, InstitutionDeclaration, part_id)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"declarations": 1}, "YKS_RETENTION_DECLARATIONS_DAYS=1 少于2天"),
        ({"checkins": "abc"}, "YKS_RETENTION_CHECKINS_DAYS='abc' 不是整数天数"),
        ({"audit_log": 100}, "YKS_RETENTION_AUDIT_LOG_DAYS=100 短于 YKS_RETENTION_"),
        ({"audit_log": 400, "grid_visits": 500}, "短于 YKS_RETENTION_GRID_VISITS_DAYS=500"),
    ],
)
def test_a_bad_configuration_is_refused_with_the_setting_named(changes, message):
    with pytest.raises(retention.RetentionConfigError) as refused:
        retention.periods_from_days({**RETENTION_DAYS, **changes}, SESSION_LIFETIME)
    assert message in refused.value.message


def test_every_kind_has_a_default_and_the_audit_outlives_the_data():
    assert set(RETENTION_DAYS) == set(retention.KINDS) - {retention.SESSIONS}
    assert PERIODS["checkins"] == timedelta(days=28)
    assert all(PERIODS["audit_log"] >= period for period in PERIODS.values())

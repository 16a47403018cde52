"""Deadline crush (issue 3 item 4, SPEC S8/W9): many members submit for one organisation while the
collector submits the day's report. Afterwards, from the database: every declaration is either
counted in the report or was refused with the guide's message — none lost, none counted twice,
none half-written. Runs on SQLite and on PostgreSQL (CI runs both)."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from tests.factories import answers, make_org
from yks_web import clock
from yks_web.models import DailyReport, Declaration, ReportEntry
from yks_web.services import declarations, membership, reports
from yks_web.services.deadlines import REPORT_SUBMITTED


def test_deadline_crush_loses_nothing_and_counts_nothing_twice(app, db):
    members_count = 300 if db.engine.dialect.name == "postgresql" else 120
    org = make_org(db, members=members_count, size=members_count)
    member_ids = membership.member_ids(db.session, org.id)
    collector_id = org.collector.person_id
    org_id = org.id
    db.session.commit()
    today = clock.today()
    halfway = threading.Event()
    started = 0
    started_lock = threading.Lock()

    def declare(person_id: int):
        nonlocal started
        with started_lock:
            started += 1
            if started >= members_count // 2:
                halfway.set()
        with app.app_context():
            try:
                declaration_id = declarations.submit(
                    db.session, org_id=org_id, person_id=person_id, actor_id=person_id, day=today,
                    answers=answers(), source="self", form_key=uuid.uuid4().hex,
                    now=clock.now(), utc_now=clock.utcnow(),
                )
                db.session.commit()
                return ("saved", declaration_id)
            except declarations.DeclarationRefused as refused:
                db.session.rollback()
                return ("refused", refused.message)
            finally:
                db.session.remove()

    def report():
        halfway.wait(timeout=30)
        with app.app_context():
            try:
                made = reports.submit_report(
                    db.session, org_id=org_id, day=today, actor_id=collector_id,
                    supplement=reports.Supplement(members_count, 0, 0), now=clock.now(), utc_now=clock.utcnow(),
                )
                db.session.commit()
                return made.id
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=16) as pool:
        report_future = pool.submit(report)
        results = list(pool.map(declare, member_ids))
        report_id = report_future.result(timeout=60)

    saved = {value for kind, value in results if kind == "saved"}
    refusals = [value for kind, value in results if kind == "refused"]
    assert len(saved) + len(refusals) == members_count  # every attempt ended one way or the other
    assert set(refusals) <= {REPORT_SUBMITTED}  # refused only because the day was submitted, with the message
    assert saved and refusals, "the report landed in the middle of the crush"

    db.session.expire_all()
    stored = set(db.session.scalars(select(Declaration.id).where(
        Declaration.organisation_id == org_id, Declaration.day == today)))
    assert stored == saved  # none half-written, none extra
    entries = db.session.scalars(select(ReportEntry).where(ReportEntry.report_id == report_id)).all()
    counted = [e.declaration_id for e in entries if e.declaration_id is not None]
    assert len(entries) == members_count and len({e.person_id for e in entries}) == members_count
    assert sorted(counted) == sorted(saved)  # none lost, none counted twice
    report_row = db.session.get(DailyReport, report_id)
    assert report_row.totals["declared"] == len(saved)
    assert report_row.totals["not_declared"] == len(refusals)
    assert db.session.scalar(select(func.count()).select_from(DailyReport)) == 1

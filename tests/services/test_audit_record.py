"""The audit record (SPEC P6, P10, issue 8 item 9): one row per subject, in one INSERT."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import event, select

from tests.factories import make_person
from yks_web.models import AuditLog
from yks_web.services import audit

NOW = datetime(2026, 11, 20, 1, 0)


def test_one_row_per_subject_in_one_insert_and_none_for_oneself(db):
    reader = make_person(db, "蒋小华")
    subjects = [make_person(db, f"成员{i}").id for i in range(40)]
    statements = []
    listener = lambda conn, cursor, statement, *a: statements.append(statement)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        written = audit.record(
            db.session, actor_id=reader.id, role="collector", action="view_day",
            subject_ids=[*subjects, subjects[0], reader.id], utc_now=NOW, context="高一(1)班",
        )
        db.session.flush()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert written == 40  # the duplicate and the reader themself are not rows
    assert len([s for s in statements if s.lstrip().upper().startswith("INSERT INTO AUDIT_LOG")]) == 1
    rows = db.session.scalars(select(AuditLog)).all()
    assert {r.subject_id for r in rows} == set(subjects)
    assert {(r.role, r.context, r.action) for r in rows} == {("collector", "高一(1)班", "view_day")}


def test_an_empty_list_writes_nothing(db):
    reader = make_person(db, "蒋小华")
    assert audit.record(db.session, actor_id=reader.id, role="collector", action="view_day",
                        subject_ids=[], utc_now=NOW) == 0

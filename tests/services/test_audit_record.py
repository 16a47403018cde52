"""The audit record (SPEC P6, P10, issue 8 item 9): one row per subject, in one INSERT."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import event, inspect, select

from tests.factories import make_org, make_person
from yks_web.models import AuditLog, Feedback
from yks_web.models.people import refers_to
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


def test_every_row_carries_the_read_whole_in_one_statement_with_one_parameter_set(db):
    """Issue 14 item 4: the rows of a list of 500 travel in one statement; on PostgreSQL as one array (one
    parameter set, not psycopg's executemany of one INSERT per row). Each row has the organisation, the reader,
    the context cut to its column and the time; the subjects keep their order."""
    reader = make_person(db, "蒋小华")
    org = make_org(db, collector=reader)
    subjects = [make_person(db, f"成员{i}").id for i in range(12)]
    batches = []
    listener = lambda conn, cursor, statement, parameters, context, executemany: batches.append(  # noqa: E731
        (statement, executemany))
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        written = audit.record(
            db.session, actor_id=reader.id, role="collector", action="view_day", subject_ids=subjects[::-1],
            utc_now=NOW, organisation_id=org.id, context="班" * 120,
        )
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert written == 12
    inserts = [many for statement, many in batches if "INSERT INTO audit_log" in statement]
    assert len(inserts) == 1
    if db.engine.dialect.name == "postgresql":
        assert inserts == [False]
    rows = db.session.scalars(select(AuditLog).order_by(AuditLog.id)).all()
    assert [r.subject_id for r in rows] == subjects[::-1]
    assert {(r.actor_id, r.organisation_id, r.context, r.created_at) for r in rows} == {
        (reader.id, org.id, "班" * 100, NOW)}


def test_the_migrated_audit_log_has_no_foreign_keys_and_still_says_what_it_refers_to(db):
    """Issue 14 item 4: the bulk INSERT fires no foreign-key check (migration r14a00000001), and the model still
    names what each id is of, so the schema walks of 注销账号 and 我的数据 still find the person columns."""
    assert inspect(db.engine).get_foreign_keys("audit_log") == []
    assert AuditLog.__table__.foreign_keys == set()
    assert {c.name: refers_to(c) for c in AuditLog.__table__.columns} == {
        "id": None, "actor_id": "person.id", "action": None, "role": None, "context": None,
        "subject_id": "person.id", "organisation_id": "organisation.id", "created_at": None}
    assert refers_to(Feedback.__table__.c.person_id) == "person.id"  # a real foreign key reads the same

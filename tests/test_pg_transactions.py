"""A transaction begins at the first write or lock, on PostgreSQL as on SQLite (yks_web/pg_transactions.py, issue 14
items 3, 4): a page that only reads costs no BEGIN and no ROLLBACK; a write, a row lock or an advisory lock still opens
a transaction that holds until the commit, and a rollback still undoes every write. Runs on both databases."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import OperationalError

from tests.conftest import sign_in
from tests.factories import make_org, make_person
from yks_web.extensions import db as _db
from yks_web.models import Feedback, Organisation, Person
from yks_web.pg_transactions import configure, needs_transaction
from yks_web.services import locks


@pytest.mark.parametrize("statement", [
    "SELECT person.id FROM person WHERE person.id = %(id)s",
    "  select 1",
    "SELECT declaration.id FROM declaration ORDER BY declaration.id FOR UPDATEX",  # not the clause
])
def test_a_plain_read_needs_no_transaction(statement):
    assert not needs_transaction(statement)


@pytest.mark.parametrize("statement", [
    "INSERT INTO feedback (person_id, text) VALUES (%(a)s, %(b)s)",
    "UPDATE organisation SET name = %(n)s",
    "DELETE FROM login_session WHERE id = 1",
    "WITH gone AS (DELETE FROM message RETURNING id) SELECT count(*) FROM gone",
    "SAVEPOINT sa_savepoint_1",
    "CREATE TABLE t (id int)",
    "SELECT organisation.id FROM organisation WHERE organisation.id = %(id)s FOR UPDATE",
    "SELECT organisation.id FROM organisation FOR NO KEY UPDATE",
    "SELECT organisation.id FROM organisation\nFOR SHARE",
    "SELECT organisation.id FROM organisation FOR KEY SHARE",
    "SELECT pg_advisory_xact_lock(%(pg_advisory_xact_lock_1)s) AS pg_advisory_xact_lock_1",
    "SELECT pg_try_advisory_xact_lock(42)",
])
def test_writes_locks_and_everything_else_need_one(statement):
    assert needs_transaction(statement)


def test_an_isolation_level_the_operator_set_is_left_alone():
    chosen = {"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://db/yks",
              "SQLALCHEMY_ENGINE_OPTIONS": {"isolation_level": "SERIALIZABLE"}}
    configure(chosen)
    assert chosen["SQLALCHEMY_ENGINE_OPTIONS"] == {"isolation_level": "SERIALIZABLE"}
    default = {"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://db/yks", "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 2}}
    configure(default)
    assert default["SQLALCHEMY_ENGINE_OPTIONS"] == {"pool_size": 2, "isolation_level": "AUTOCOMMIT"}
    sqlite = {"SQLALCHEMY_DATABASE_URI": "sqlite:///x.db", "SQLALCHEMY_ENGINE_OPTIONS": {}}
    configure(sqlite)
    assert sqlite["SQLALCHEMY_ENGINE_OPTIONS"] == {}


def in_transaction(dbapi_connection) -> bool:
    if isinstance(dbapi_connection, sqlite3.Connection):
        return dbapi_connection.in_transaction
    from psycopg.pq import TransactionStatus

    return dbapi_connection.pgconn.transaction_status != TransactionStatus.IDLE


class Statements:
    """Each statement the engine runs, and whether a transaction was open once it had run."""

    def __init__(self, engine):
        self.engine, self.seen = engine, []

    def __enter__(self):
        event.listen(self.engine, "after_cursor_execute", self._after)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "after_cursor_execute", self._after)

    def _after(self, conn, cursor, statement, parameters, context, executemany):
        self.seen.append((statement.split()[0].upper(), in_transaction(cursor.connection)))


def test_a_logged_in_page_that_only_reads_opens_no_transaction(client, db):
    person = make_person(db, "黄恺")
    db.session.commit()
    sign_in(client, person.id)
    with Statements(db.engine) as statements:
        response = client.get("/declare/")
    assert response.status_code == 200 and "填报方式" in response.get_data(as_text=True)
    assert statements.seen == [("SELECT", False)]  # the user with its session; nothing to roll back


def test_a_write_opens_the_transaction_and_a_rollback_undoes_it(db):
    person_id = make_person(db, "黄恺").id
    db.session.commit()
    with Statements(db.engine) as statements:
        assert db.session.scalar(select(func.count()).select_from(Feedback)) == 0
        db.session.add(Feedback(person_id=person_id, text="第一条"))
        db.session.flush()
        assert db.session.scalar(select(func.count()).select_from(Feedback)) == 1
        db.session.rollback()
    assert statements.seen == [("SELECT", False), ("INSERT", True), ("SELECT", True)]
    assert db.session.scalar(select(func.count()).select_from(Feedback)) == 0


def test_a_savepoint_after_reads_rolls_back_alone(db):
    person = make_person(db, "黄恺")
    db.session.commit()
    db.session.get(Organisation, 1)  # a read first, outside any transaction
    db.session.add(Feedback(person_id=person.id, text="留下"))
    with pytest.raises(RuntimeError), db.session.begin_nested():
        db.session.add(Feedback(person_id=person.id, text="撤回"))
        db.session.flush()
        raise RuntimeError("the nested part fails")
    db.session.commit()
    assert db.session.scalars(select(Feedback.text)).all() == ["留下"]


@pytest.mark.parametrize("take", ["row", "key"])
def test_a_lock_taken_after_reads_holds_until_the_commit(app, db, take):
    """services/locks.py's row lock (FOR UPDATE) and key lock (advisory, PostgreSQL; SQLite's write lock) taken by a
    SELECT after plain reads: a second writer waits until the first commits."""
    org = make_org(db)
    org_id = org.id
    db.session.commit()
    holding, released, order = threading.Event(), threading.Event(), []

    def lock(session):
        if take == "row":
            locks.lock_row(session, Organisation, org_id)
        else:
            locks.lock_key(session, "test", "one key")

    def first():
        with app.app_context():
            _db.session.get(Organisation, org_id)  # a plain read: no transaction yet
            lock(_db.session)
            holding.set()
            released.wait(timeout=10)
            order.append("first commits")
            _db.session.commit()

    def second():
        with app.app_context():
            holding.wait(timeout=10)
            try:
                lock(_db.session)
            except OperationalError:  # SQLite's busy timeout, had the first not committed in time
                order.append("second gave up")
                raise
            order.append("second has the lock")
            _db.session.commit()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    holding.wait(timeout=10)
    threading.Event().wait(0.5)  # the second is waiting for the lock by now
    assert order == []
    released.set()
    for thread in threads:
        thread.join(timeout=20)
    assert order == ["first commits", "second has the lock"]


def test_a_streamed_result_after_plain_reads_runs_in_a_transaction_at_read_committed(db):
    """yield_per (a server-side cursor on PostgreSQL, which needs a transaction); the transaction is READ COMMITTED
    whatever the server's default."""
    for n in range(5):
        make_person(db, f"黄恺{n}")
    db.session.commit()
    assert db.session.get(Organisation, 1) is None  # a plain read first, outside any transaction
    names = list(db.session.scalars(select(Person.name).order_by(Person.id).execution_options(yield_per=2)))
    assert names == [f"黄恺{n}" for n in range(5)]
    db.session.add(Feedback(person_id=db.session.scalar(select(Person.id).limit(1)), text="x"))
    db.session.flush()
    if db.engine.dialect.name == "postgresql":
        assert db.session.scalar(text("SHOW transaction_isolation")) == "read committed"
    db.session.rollback()

"""PostgreSQL: a transaction begins at the first statement that writes or locks (issue 14 items 3, 4).

Left to itself, psycopg sends BEGIN before a request's first SELECT and the session sends ROLLBACK when it closes:
two more round trips, and two more commands for the server, on every page that only reads (the logged-in user,
出示粤康码's card, 填报方式). Here the connections are in autocommit and BEGIN is sent just before the first
statement that is not a plain read, which is what SQLite's driver does (pysqlite begins before the first INSERT,
UPDATE or DELETE), so both databases now behave the same.

Nothing a transaction protects is lost. Under READ COMMITTED, PostgreSQL's default and the app's, every statement
reads its own snapshot inside a transaction too, so a read before BEGIN sees what it would have seen after it. Every
write, SAVEPOINT and DDL, every SELECT … FOR UPDATE/SHARE and every transaction-scoped advisory lock
(services/locks.py) begins the transaction first, and from there on everything runs inside it until the session
commits or rolls back, as before: the locks are held to the end and a rollback undoes every write. A streamed
result (yield_per: a server-side cursor) begins one too, as PostgreSQL requires. The transaction says READ COMMITTED
itself, so a server set to another default cannot give the statements after BEGIN another isolation than the reads
before it. An isolation level the operator sets (SQLALCHEMY_ENGINE_OPTIONS) is left alone, and so is the driver.

BEGIN is sent from the dialect's execute events, inside SQLAlchemy's error handling: a connection lost at that
moment is reported and invalidated like any other statement's.
"""

from __future__ import annotations

import re

from flask import Flask
from psycopg.pq import TransactionStatus
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url

_PLAIN_READ = re.compile(r"\s*SELECT\b", re.IGNORECASE)
# Row locks (FOR UPDATE, FOR NO KEY UPDATE, FOR SHARE, FOR KEY SHARE) and locks released at the transaction's end.
_TAKES_LOCKS = re.compile(r"\bFOR\s+(?:NO\s+KEY\s+)?(?:KEY\s+)?(?:UPDATE|SHARE)\b|_xact_lock", re.IGNORECASE)


def needs_transaction(statement: str) -> bool:
    """Whether `statement` must run inside a transaction: anything but a SELECT that takes no lock."""
    return not _PLAIN_READ.match(statement) or _TAKES_LOCKS.search(statement) is not None


BEGIN = "BEGIN ISOLATION LEVEL READ COMMITTED"
_OURS = "_yks_begins_before_writes"  # marks the engine options this module set


def configure(config: dict) -> None:
    """Before db.init_app: PostgreSQL connections in autocommit (the driver sends no BEGIN of its own), unless the
    operator chose an isolation level."""
    options = config.get("SQLALCHEMY_ENGINE_OPTIONS", {})
    if make_url(config["SQLALCHEMY_DATABASE_URI"]).get_backend_name() == "postgresql" and (
        "isolation_level" not in options
    ):
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {**options, "isolation_level": "AUTOCOMMIT"}
        config[_OURS] = True


def init_app(app: Flask, engine: Engine) -> None:
    """After db.init_app: BEGIN before the first statement that needs a transaction."""
    if engine.dialect.name == "postgresql" and app.config.get(_OURS):
        event.listen(engine, "do_execute", _begin_before)
        event.listen(engine, "do_executemany", _begin_before)
        event.listen(engine, "do_execute_no_params", _begin_before_no_params)


def _begin_before(cursor, statement, parameters, context) -> None:
    _begin_if_needed(cursor, statement, context)  # returns None: SQLAlchemy then runs the statement itself


def _begin_before_no_params(cursor, statement, context) -> None:
    _begin_if_needed(cursor, statement, context)


def _begin_if_needed(cursor, statement: str, context) -> None:
    if cursor.connection.pgconn.transaction_status == TransactionStatus.IDLE and (
        needs_transaction(statement) or context.execution_options.get("stream_results")
    ):
        cursor.connection.execute(BEGIN)  # not on `cursor`: a server-side cursor would wrap it in DECLARE

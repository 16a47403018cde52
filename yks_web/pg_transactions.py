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
commits or rolls back, as before: the locks are held to the end and a rollback undoes every write.
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


def configure(config: dict) -> None:
    """Before db.init_app: PostgreSQL connections in autocommit (the driver sends no BEGIN of its own)."""
    if make_url(config["SQLALCHEMY_DATABASE_URI"]).get_backend_name() == "postgresql":
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {**config.get("SQLALCHEMY_ENGINE_OPTIONS", {}),
                                               "isolation_level": "AUTOCOMMIT"}


def init_app(app: Flask, engine: Engine) -> None:
    """After db.init_app: BEGIN before the first statement that needs a transaction."""
    if engine.dialect.name == "postgresql" and app.config["SQLALCHEMY_ENGINE_OPTIONS"].get("isolation_level") == (
        "AUTOCOMMIT"
    ):
        event.listen(engine, "before_cursor_execute", _begin_before_writes)


def _begin_before_writes(conn, cursor, statement, parameters, context, executemany) -> None:
    dbapi_connection = cursor.connection
    if dbapi_connection.pgconn.transaction_status == TransactionStatus.IDLE and needs_transaction(statement):
        cursor.execute("BEGIN")

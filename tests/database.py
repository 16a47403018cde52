"""The test database: migrated once per run with Alembic (as in production), emptied after each test.

SQLite by default (a file in a temporary folder); PostgreSQL when DATABASE_URL says so. Under pytest-xdist each
worker gets a PostgreSQL database of its own beside DATABASE_URL's (test_gw0, test_gw1, …), made when missing, as
each gets a SQLite file of its own: one worker's reset_schema or empty_tables never reaches another's rows.
"""

from __future__ import annotations

import os
import tempfile

import pytest
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import MetaData, create_engine, make_url, text

from yks_web.extensions import db

ON_POSTGRESQL = make_url(os.environ.get("DATABASE_URL") or "sqlite://").get_backend_name() == "postgresql"
# A test of PostgreSQL's own behaviour (its planner, its databases): CI's second run, on PostgreSQL, runs it.
postgresql_only = pytest.mark.skipif(not ON_POSTGRESQL, reason="PostgreSQL's own behaviour: CI's PostgreSQL run")


def database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        return worker_database(url, os.environ.get("PYTEST_XDIST_WORKER"))
    folder = tempfile.mkdtemp(prefix="yks-test-")
    return f"sqlite:///{os.path.join(folder, 'test.sqlite')}"


def worker_database(url: str, worker: str | None) -> str:
    """`url` itself when the run has one process (or the database is not PostgreSQL); otherwise the URL of
    `<database>_<worker>` on the same server, created when it does not exist yet with the encoding and locale of
    `url`'s database (from template0: two workers creating theirs at once never wait on template1's users)."""
    base = make_url(url)
    if not worker or base.get_backend_name() != "postgresql":
        return url
    name = f"{base.database}_{worker}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            if conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}) is None:
                encoding, collate, ctype = conn.execute(text(
                    "SELECT pg_encoding_to_char(encoding), datcollate, datctype FROM pg_database"
                    " WHERE datname = current_database()")).one()
                conn.execute(text(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING '{encoding}'"
                                  f" LC_COLLATE '{collate}' LC_CTYPE '{ctype}'"))
    finally:
        admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def reset_schema(app: Flask) -> None:
    """Drop whatever a previous run left and migrate from nothing."""
    with app.app_context():
        existing = MetaData()
        existing.reflect(bind=db.engine)
        existing.drop_all(bind=db.engine)
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        upgrade()


def empty_tables(app: Flask) -> None:
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())

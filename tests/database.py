"""The test database: migrated once per run with Alembic (as in production), emptied after each test.

SQLite by default (a file in a temporary folder); PostgreSQL when DATABASE_URL says so.
"""

from __future__ import annotations

import os
import tempfile

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import MetaData, text

from yks_web.extensions import db


def database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    folder = tempfile.mkdtemp(prefix="yks-test-")
    return f"sqlite:///{os.path.join(folder, 'test.sqlite')}"


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

"""The migrations build exactly the schema the models declare (STYLE: schema changes go through migrations).

The test database is made by `flask db upgrade` (tests/database.py), so any difference Alembic's autogenerate
sees between it and the models is a model change without its migration, or a migration the models disagree with.
"""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from yks_web.extensions import db


def test_the_migrated_schema_is_the_models_schema(app):
    with app.app_context(), db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert differences == []

"""Write locks taken before a check-then-insert, so parallel requests cannot both pass the check.

PostgreSQL: the row FOR UPDATE, or a transaction-scoped advisory lock for a key that has no row.
SQLite ignores FOR UPDATE; a no-op UPDATE takes its one write lock at this point, before the
reads of the check (pysqlite opens the transaction at the first write, so no stale snapshot).
Call these first in the unit of work, as the deadline crush does (services/declarations.py).
"""

from __future__ import annotations

import hashlib

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from yks_web.extensions import db


def _sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def lock_row(session: Session, model: type[db.Model], row_id: int) -> None:
    """Serialise writers of one row's dependants (e.g. a declarant's proxies, S6)."""
    if _sqlite(session):
        session.execute(update(model).where(model.id == row_id).values(id=model.id))
    else:
        session.execute(select(model.id).where(model.id == row_id).with_for_update())


def lock_key(session: Session, namespace: str, key: str) -> None:
    """Serialise writers of one key that has no row of its own (a phone's SMS sends, an address)."""
    if _sqlite(session):
        # Any write takes SQLite's database-wide lock; alembic_version is in every migrated database.
        session.execute(text("UPDATE alembic_version SET version_num = version_num"))
        return
    digest = hashlib.blake2b(f"{namespace}\x1f{key}".encode(), digest_size=8).digest()
    session.execute(select(func.pg_advisory_xact_lock(int.from_bytes(digest, "big", signed=True))))

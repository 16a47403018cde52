"""Each pytest-xdist worker has a database of its own (tests/database.py): `make test` and CI run the suite in
several processes, and one worker's reset_schema or empty_tables must never reach another's rows."""

from __future__ import annotations

import os

from sqlalchemy import create_engine, make_url, text

from tests.database import postgresql_only, worker_database


def test_one_process_keeps_the_database_it_was_given():
    url = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    assert worker_database(url, None) == url


def test_sqlite_is_left_alone_a_worker_has_its_own_temporary_file_already():
    assert worker_database("sqlite:////tmp/x/test.sqlite", "gw1") == "sqlite:////tmp/x/test.sqlite"


@postgresql_only
def test_a_worker_gets_its_own_postgresql_database_made_like_the_given_one():
    given = make_url(os.environ["DATABASE_URL"])
    url = worker_database(os.environ["DATABASE_URL"], "gwprobe")
    assert make_url(url).database == f"{given.database}_gwprobe"
    admin = create_engine(given, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            made, like = (conn.execute(text(
                "SELECT pg_encoding_to_char(encoding), datcollate, datctype FROM pg_database WHERE datname = :name"
            ), {"name": name}).one() for name in (f"{given.database}_gwprobe", given.database))
            assert made == like
            # Asked again (a second fixture of the same worker), the same database, nothing created twice.
            assert worker_database(os.environ["DATABASE_URL"], "gwprobe") == url
            conn.execute(text(f'DROP DATABASE "{given.database}_gwprobe"'))
    finally:
        admin.dispose()

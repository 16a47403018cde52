"""`make bench`: the performance benchmark of SPEC Q3 (issue #3 item 3), separate from the tests.

seed.py      a school of 100 organisations × 500 members with 30 days of declarations (bulk inserts)
seed_places.py  beside it: a place with 100,000 temperature checks, a gate with 300 inspectors, an institution
             of 5,000 members with their declarations (issue 10 item 9, issue 11 item 3)
queries.py   SQL statements per page, in-process (Flask test client + a cursor listener)
load.py      the load generator: asyncio HTTP/1.1 clients in a process of their own
run.py       for SQLite and PostgreSQL: seed, count queries, start gunicorn, drive it, stop it
report.py    docs/BENCHMARKS.md
"""

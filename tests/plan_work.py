"""How much a PostgreSQL plan works when the planner nests loops: the rows its nodes produce or throw away.

Tables the planner has not analysed yet (a new database, a new partition) make PostgreSQL estimate one row per
condition and choose nested loops. A query that stays cheap then does work that grows with the rows it reads; one
that rebuilds a set for every outer row grows with their square or worse (issue 14: 19.5 s for a class of 500).
Counting rows and nodes, not timing, keeps the tests about this exact and steady.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sqlalchemy import event
from sqlalchemy.orm import Session


def rows_touched(node: dict) -> int:
    """A plan node's and its children's rows produced or thrown away, over all their loops (EXPLAIN ANALYZE)."""
    loops = node.get("Actual Loops", 1)
    own = (node.get("Actual Rows", 0) + node.get("Rows Removed by Filter", 0)) * loops
    return own + node.get("Rows Removed by Join Filter", 0) + sum(rows_touched(c) for c in node.get("Plans", []))


# What may run once for every row of an outer loop: a look-up, not a set built again.
LOOK_UPS = {"Index Scan", "Index Only Scan", "Bitmap Heap Scan", "Bitmap Index Scan", "Memoize", "Result"}


def nodes(node: dict) -> Iterator[dict]:
    yield node
    for child in node.get("Plans", []):
        yield from nodes(child)


def rebuilt_per_row(node: dict) -> list[str]:
    """The plan's nodes, other than look-ups, that ran more than once: a join, a sort or an aggregate made again
    for every row of a loop around it."""
    return sorted({n["Node Type"] for n in nodes(node) if n.get("Actual Loops", 1) > 1} - LOOK_UPS)


@dataclass
class Work:
    rows: int  # rows_touched, over every SELECT
    rebuilt: list[str]  # rebuilt_per_row, over every SELECT


def nested_loop_work(session: Session, run: Callable[[], object]) -> Work:
    """The plans of the SELECTs `run()` sends, each run again under EXPLAIN ANALYZE with hash joins, merge joins
    and materialisation turned off (for the session's transaction only), as the planner chooses on tables it has
    not analysed."""
    conn = session.connection()
    conn.exec_driver_sql("SET LOCAL enable_hashjoin = off")
    conn.exec_driver_sql("SET LOCAL enable_mergejoin = off")
    conn.exec_driver_sql("SET LOCAL enable_material = off")
    selects: list[tuple[str, object]] = []

    def record(connection, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            selects.append((statement, parameters))

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", record)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert selects, "nothing was selected"
    work = Work(rows=0, rebuilt=[])
    for statement, parameters in selects:
        plan = conn.exec_driver_sql(f"EXPLAIN (ANALYZE, FORMAT JSON) {statement}", parameters).scalar_one()[0]["Plan"]
        work.rows += rows_touched(plan)
        work.rebuilt += rebuilt_per_row(plan)
    return work

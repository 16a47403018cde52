"""The one clock (SPEC P5): every "now" and "today" in Asia/Shanghai comes from here.

Tests freeze it with `set_now`. A demo or e2e server can start at a chosen moment with the
YKS_FROZEN_NOW environment variable (ISO 8601): the process's clock reads that moment when it starts
and then runs on (a monotonic offset), so waits end — an SMS code can be asked for again after the
interval (issue 9 item 9) — and every "now" (rate limits, tokens, deadlines) reads this one moving clock.
"""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta
from functools import cache
from time import monotonic
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Shanghai")

_frozen: datetime | None = None
_process_started = monotonic()  # the clock module is imported as the process starts (create_app)


@cache  # read once: the variable is set when the process starts
def _start_from_env() -> datetime | None:
    raw = os.environ.get("YKS_FROZEN_NOW")
    if not raw:
        return None
    moment = datetime.fromisoformat(raw)
    return moment if moment.tzinfo else moment.replace(tzinfo=TZ)


def now() -> datetime:
    """Current time, aware, in Asia/Shanghai."""
    if _frozen is not None:
        return _frozen.astimezone(TZ)
    start = _start_from_env()
    if start is not None:
        return (start + timedelta(seconds=monotonic() - _process_started)).astimezone(TZ)
    return datetime.now(TZ)


def today() -> date:
    return now().date()


def set_now(moment: datetime | None) -> None:
    """Freeze the clock at `moment` (naive means Shanghai time); None unfreezes it (tests)."""
    global _frozen
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=TZ)
    _frozen = moment


def utcnow() -> datetime:
    """Naive UTC timestamp for database columns (same on SQLite and PostgreSQL)."""
    return now().astimezone(ZoneInfo("UTC")).replace(tzinfo=None)

"""The one clock (SPEC P5): every "now" and "today" in Asia/Shanghai comes from here.

Tests set it with `set_now`; an e2e server can be started at a fixed moment with
the YKS_FROZEN_NOW environment variable (ISO 8601).
"""

from __future__ import annotations

import os
from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Shanghai")

_frozen: datetime | None = None


@cache  # read once: the variable is set when the process starts
def _from_env() -> datetime | None:
    raw = os.environ.get("YKS_FROZEN_NOW")
    if not raw:
        return None
    moment = datetime.fromisoformat(raw)
    return moment if moment.tzinfo else moment.replace(tzinfo=TZ)


def now() -> datetime:
    """Current time, aware, in Asia/Shanghai."""
    frozen = _frozen or _from_env()
    if frozen is not None:
        return frozen.astimezone(TZ)
    return datetime.now(TZ)


def today() -> date:
    return now().date()


def set_now(moment: datetime | None) -> None:
    """Freeze the clock at `moment` (naive means Shanghai time); None unfreezes it."""
    global _frozen
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=TZ)
    _frozen = moment


def utcnow() -> datetime:
    """Naive UTC timestamp for database columns (same on SQLite and PostgreSQL)."""
    return now().astimezone(ZoneInfo("UTC")).replace(tzinfo=None)

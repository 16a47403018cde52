"""What every part of the benchmark shares: sizes, keys, databases, the server command."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
WORK = Path(os.environ.get("BENCH_WORK", "/tmp/yks-bench"))  # databases' manifests, raw results, logs
REPORT = ROOT / "docs" / "BENCHMARKS.md"

ORGANISATIONS = 100
MEMBERS = 500  # joined members per organisation
ORG_SIZE = 520  # 组织人数: 20 not yet joined
DAYS = 30  # today and the 29 days before it
PROXIED = 0.10  # members whose declarations a parent makes (代他人填报)

# 公共场所 (issue 10 item 9) and 组织机构 (issue 11 item 3), seeded beside the school.
VISITORS = 20_000  # adults and children who pass the places' gates (their own people, all ages)
STATS_CHECKS = 100_000  # temperature checks of the place whose 数据统计 is measured
STATS_DAYS = 60  # spread over today and the days before it
STATS_INSPECTORS = 5
SUPERSEDED = 0.03  # checks corrected by a second scan the same day (FAQ 12)
CHECKIN_SHARE = 0.25  # 体温正常快速打卡 by the 葵花码 (no inspector)
FEVER_SHARE = 0.004  # 发热 among effective checks
GATE_INSPECTORS = 300  # inspectors of the gate where scans and 体温检测 POSTs are measured (rate limits: see load.py)
GATE_CHECKS = 20_000  # the gate's own month of checks, so a 体温检测 POST's same-day look-up reads a real day
INSTITUTION_MEMBERS = 5_000
INSTITUTION_DAYS = 7  # today and the 6 days before it
INSTITUTION_TODAY_RATE = 0.90  # of the members declared by 10:00 today
INSTITUTION_PAST_RATE = 0.95
GROUPS = 40  # 团体码 groups of GROUP_PEOPLE (issue 13 item 7): half for the load, half for bench/queries.py
GROUP_PEOPLE = 500

# Production mode with benchmark-only keys (never the development ones, never real ones).
KEYS = {
    "SECRET_KEY": "bench-secret-key-5c1f0e",
    "YKS_DATA_KEY": "bench-data-key-7a2d41",
    "YKS_LOOKUP_KEY": "bench-lookup-key-93be07",
}

SQLITE_PATH = WORK / "yks-bench.sqlite"
PG_DATABASE = os.environ.get("BENCH_PG_DATABASE", "yks_bench")
PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgresql+psycopg://postgres@127.0.0.1:5432")
NEVER_USE = {"test", "test_health", "e2e_scratch", "postgres", "template0", "template1"}

HOST = "127.0.0.1"
PORT = int(os.environ.get("BENCH_PORT", "8765"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
WORKER_CLASS = os.environ.get("BENCH_WORKER_CLASS", "sync")
CLIENTS = 50
TZ = ZoneInfo("Asia/Shanghai")
FROZEN_TIME = "10:00:00"  # the clock the server sees: today 10:00 in Shanghai (before the 11:30 deadline)


def database_url(kind: str) -> str:
    if kind == "sqlite":
        return f"sqlite:///{SQLITE_PATH}"
    if kind == "postgresql":
        if PG_DATABASE in NEVER_USE:
            raise SystemExit(f"refusing to use the database {PG_DATABASE!r}: it belongs to others")
        return f"{PG_SERVER}/{PG_DATABASE}"
    raise ValueError(kind)


def bench_today() -> date:
    """The day the benchmark is about: today in Shanghai when the run starts (BENCH_TODAY overrides)."""
    raw = os.environ.get("BENCH_TODAY")
    return date.fromisoformat(raw) if raw else datetime.now(TZ).date()


def app_env(kind: str, today: date) -> dict[str, str]:
    """The environment of every process that runs the app: server, seeder, query counter."""
    env = {k: v for k, v in os.environ.items() if k not in ("YKS_ENV", "DATABASE_URL", "YKS_FROZEN_NOW")}
    env.update(KEYS)
    env.update(
        DATABASE_URL=database_url(kind),
        YKS_FROZEN_NOW=f"{today.isoformat()}T{FROZEN_TIME}+08:00",
        # The run's day for every process it starts: a seeder started after midnight in Shanghai would otherwise
        # seed the next day while the servers' clocks stay frozen on this one (every 申报详情 a 404).
        BENCH_TODAY=today.isoformat(),
        YKS_SHOW_SMS_CODE="0",
        YKS_SMS_SENDER="yks_web.services.sms:RecordingSender",  # production refuses the console sender (issue 8)
        FLASK_APP="wsgi.py",
        PYTHONPATH=str(ROOT),
    )
    return env


def manifest_path(kind: str) -> Path:
    return WORK / f"manifest-{kind}.json"

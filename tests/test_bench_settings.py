"""The benchmark's processes agree on the day they measure (bench/settings.py, issue 14).

A run that started before midnight in Shanghai seeded PostgreSQL after it: the seeder took the next day while the
servers' clocks stayed frozen on the run's day, and every 申报详情 of the manifest's "today" was a 404.
"""

from __future__ import annotations

from datetime import date

from bench import settings


def test_every_process_of_a_run_is_given_the_runs_day(monkeypatch):
    env = settings.app_env("sqlite", date(2026, 12, 4))
    assert env["BENCH_TODAY"] == "2026-12-04"
    assert env["YKS_FROZEN_NOW"].startswith("2026-12-04T")
    monkeypatch.setenv("BENCH_TODAY", env["BENCH_TODAY"])  # what a seeder started with that environment reads
    assert settings.bench_today() == date(2026, 12, 4)

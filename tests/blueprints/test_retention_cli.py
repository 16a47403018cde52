"""`flask yks retention [--dry-run] [--batch N]` (issue 16 item 3): counts, deletes, refuses a bad setting."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.blueprints.support import count
from tests.factories import make_check, make_person, make_place
from yks_web import clock
from yks_web.config import RETENTION_DAYS
from yks_web.models.health import TemperatureCheck
from yks_web.models.security import RateEvent


@pytest.fixture
def runner(app, db):
    return app.test_cli_runner()


def _old_and_new_checks(db) -> None:
    now = clock.utcnow()
    person, place = make_person(db, "黄恺"), make_place(db)
    for age in (timedelta(days=28, seconds=1), timedelta(days=28, seconds=1), timedelta(days=28, seconds=-1)):
        make_check(db, place, person).checked_at = now - age
    db.session.commit()


def test_dry_run_prints_the_counts_and_deletes_nothing(runner, db):
    _old_and_new_checks(db)
    result = runner.invoke(args=["yks", "retention", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "试运行，未删除" in result.output
    assert "场所打卡/体温检测 (place check-ins)（保留 28天）：2" in result.output
    assert "查阅记录 (audit log)（保留 1095天）：0" in result.output
    assert count(db, TemperatureCheck) == 3


def test_retention_deletes_what_is_due_in_batches(runner, db):
    _old_and_new_checks(db)
    db.session.add_all(RateEvent(kind="t", key="k", at=clock.utcnow() - timedelta(days=3)) for _ in range(5))
    db.session.commit()
    result = runner.invoke(args=["yks", "retention", "--batch", "2"])
    assert result.exit_code == 0, result.output
    assert "已删除到期记录 / deleted:" in result.output
    assert "场所打卡/体温检测 (place check-ins)（保留 28天）：2" in result.output
    assert "频率限制计数 (rate-limit counters)（保留 2天）：5" in result.output
    db.session.expire_all()
    assert (count(db, TemperatureCheck), count(db, RateEvent)) == (1, 0)
    again = runner.invoke(args=["yks", "retention", "--dry-run"])
    assert "场所打卡/体温检测 (place check-ins)（保留 28天）：0" in again.output


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"checkins": "1"}, "YKS_RETENTION_CHECKINS_DAYS=1 少于2天"),
        ({"audit_log": "30"}, "YKS_RETENTION_AUDIT_LOG_DAYS=30 短于"),
        ({"grid_visits": "半年"}, "YKS_RETENTION_GRID_VISITS_DAYS='半年' 不是整数天数"),
    ],
)
def test_a_bad_setting_is_refused_in_one_line_and_nothing_is_deleted(runner, db, app, monkeypatch, changes, message):
    _old_and_new_checks(db)
    monkeypatch.setitem(app.config, "RETENTION_DAYS", {**RETENTION_DAYS, **changes})
    result = runner.invoke(args=["yks", "retention"])
    assert result.exit_code == 1
    assert f"Error: 数据保留设置有误：{message}" in result.output
    assert "Traceback" not in result.output
    assert count(db, TemperatureCheck) == 3


def test_a_batch_under_one_is_refused(runner, db):
    result = runner.invoke(args=["yks", "retention", "--batch", "0"])
    assert result.exit_code == 2 and "Invalid value for '--batch'" in result.output


def test_the_settings_come_from_the_environment(monkeypatch, tmp_path):
    from yks_web.config import from_environment

    monkeypatch.setenv("YKS_RETENTION_CHECKINS_DAYS", "14")
    days = from_environment(str(tmp_path))["RETENTION_DAYS"]
    assert days["checkins"] == "14" and days["audit_log"] == RETENTION_DAYS["audit_log"]

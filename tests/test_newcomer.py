"""What a newcomer trips on (issue 9 item 9): `make run PORT=… HOST=…`, links printed for the address served,
and a YKS_FROZEN_NOW demo clock that runs on, so an SMS code can be asked for again after the interval."""

from __future__ import annotations

import os
import stat
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.blueprints.support import text
from tests.factories import id_number, make_person
from yks_web import clock as app_clock

ROOT = Path(__file__).parents[1]
START = datetime(2026, 11, 20, 9, 0, tzinfo=app_clock.TZ)


# --- the YKS_FROZEN_NOW clock ----------------------------------------------------------------------------------

@pytest.fixture
def demo_clock(monkeypatch, clock):
    """The clock of a process started with YKS_FROZEN_NOW, on a monotonic timer the test moves."""
    clock(None)  # not the tests' frozen clock
    timer = {"now": 500.0}
    monkeypatch.setenv("YKS_FROZEN_NOW", "2026-11-20T09:00:00")
    monkeypatch.setattr(app_clock, "_process_started", 500.0)
    monkeypatch.setattr(app_clock, "monotonic", lambda: timer["now"])
    app_clock._start_from_env.cache_clear()

    def wait(seconds: float) -> None:
        timer["now"] += seconds

    yield wait
    app_clock._start_from_env.cache_clear()


def test_item9_yks_frozen_now_is_where_the_clock_starts_and_it_runs_on(demo_clock):
    assert app_clock.now() == START
    demo_clock(61.5)
    assert app_clock.now() == START + timedelta(seconds=61.5)
    assert app_clock.utcnow() == datetime(2026, 11, 20, 1, 1, 1, 500000)
    demo_clock(86400)
    assert app_clock.today() == START.date() + timedelta(days=1)


def test_item9_tests_still_freeze_the_clock_outright(demo_clock):
    moment = datetime(2026, 11, 21, 11, 29)
    app_clock.set_now(moment)
    demo_clock(3600)
    assert app_clock.now() == moment.replace(tzinfo=app_clock.TZ)
    app_clock.set_now(None)
    assert app_clock.now() == START + timedelta(seconds=3600)


def test_item9_a_second_sms_code_after_the_interval_on_the_demo_clock(demo_clock, db, client, actions, sms):
    """Frozen, the clock never let the 60 seconds pass ("请61秒后再试" for ever); now the rate limit reads the same
    moving clock as everything else."""
    phone, number = "13812340019", id_number()
    make_person(db, "黄恺", number=number, phone=phone)
    db.session.commit()
    form = {"name": "黄恺", "id_type": "id_card", "id_number": number, "phone": phone}
    assert actions.post("/auth/login", form).status_code == 303
    demo_clock(30)
    refused = actions.post("/auth/login", form)
    assert refused.status_code == 200 and "验证码发送过于频繁，请31秒后再试" in text(refused)
    demo_clock(31)
    assert actions.post("/auth/login", form).status_code == 303
    assert [to for to, _ in sms.outbox] == [phone, phone]


# --- make run HOST=… PORT=… -------------------------------------------------------------------------------------

def fake_venv(tmp_path: Path) -> tuple[Path, Path]:
    """A venv whose `flask` only writes down how it was called and with which YKS_* settings."""
    venv, calls = tmp_path / "venv", tmp_path / "calls.txt"
    (venv / "bin").mkdir(parents=True)
    for name in ("python", "flask"):
        tool = venv / "bin" / name
        tool.write_text(f'#!/bin/sh\necho "$YKS_ENV $YKS_BASE_URL {name} $*" >> {calls}\n')
        tool.chmod(tool.stat().st_mode | stat.S_IXUSR)
    (venv / ".installed").touch()  # newer than requirements.txt: nothing to install
    return venv, calls


def make_run(tmp_path: Path, *variables: str, env: dict | None = None) -> tuple[str, list[str]]:
    venv, calls = fake_venv(tmp_path)
    environment = {k: v for k, v in os.environ.items() if k not in ("YKS_BASE_URL", "HOST", "PORT")}
    result = subprocess.run(["make", "--no-print-directory", "run", f"VENV={venv}", *variables], cwd=ROOT,
                            env={**environment, **(env or {})}, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout, [line.replace(f"{venv}/bin/", "") for line in calls.read_text().splitlines()]


def test_item9_make_run_serves_where_told_and_the_demo_links_point_there(tmp_path):
    out, calls = make_run(tmp_path, "PORT=5001")
    assert calls == [
        "development http://127.0.0.1:5001 flask db upgrade",
        "development http://127.0.0.1:5001 flask yks demo",
        "development http://127.0.0.1:5001 flask run --host 127.0.0.1 --port 5001",
    ]
    assert "打开 http://127.0.0.1:5001" in out


def test_item9_make_run_on_every_address_prints_links_a_browser_can_open(tmp_path):
    _, calls = make_run(tmp_path, "HOST=0.0.0.0", "PORT=8080")
    assert calls[-1] == "development http://127.0.0.1:8080 flask run --host 0.0.0.0 --port 8080"
    assert calls[1] == "development http://127.0.0.1:8080 flask yks demo"


def test_item9_make_run_by_default_and_with_an_address_of_ones_own(tmp_path):
    _, calls = make_run(tmp_path)
    assert calls[-1] == "development http://127.0.0.1:5000 flask run --host 127.0.0.1 --port 5000"
    _, calls = make_run(tmp_path / "lan", "HOST=0.0.0.0", env={"YKS_BASE_URL": "http://192.168.1.20:5000"})
    assert calls[1] == "development http://192.168.1.20:5000 flask yks demo"

"""Production refuses to start without real keys or with the console SMS sender; development has built-in
keys (SPEC P6, I3, I4a; issue 8 items 4 and 11)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from tests.factories import id_number, make_person
from yks_web import create_app, privacy
from yks_web.config import from_environment, session_limits
from yks_web.services.sms import ConsoleSender, RecordingSender


@pytest.fixture
def restore_keys(app):
    yield
    privacy.configure(app.config["DATA_KEY"], app.config["LOOKUP_KEY"])  # create_app rebinds them


@pytest.fixture
def clean_env(monkeypatch):
    for name in ("YKS_ENV", "SECRET_KEY", "YKS_DATA_KEY", "YKS_LOOKUP_KEY", "YKS_SHOW_SMS_CODE", "YKS_SMS_SENDER",
                 "YKS_SECURE_COOKIES", "YKS_SESSION_ABSOLUTE_HOURS", "YKS_SESSION_IDLE_HOURS"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_production_without_keys_does_not_start(clean_env, restore_keys):
    with pytest.raises(RuntimeError, match="缺少 SECRET_KEY、YKS_DATA_KEY、YKS_LOOKUP_KEY。请设置 YKS_ENV=development"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    clean_env.setenv("SECRET_KEY", "s")
    with pytest.raises(RuntimeError, match="缺少 YKS_DATA_KEY、YKS_LOOKUP_KEY。"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_production_never_shows_sms_codes(clean_env, restore_keys):
    production_env(clean_env)
    clean_env.setenv("YKS_SMS_SENDER", "yks_web.services.sms:RecordingSender")
    clean_env.setenv("YKS_SHOW_SMS_CODE", "1")
    assert create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}).config["SHOW_SMS_CODE"] is False


def test_development_has_keys_and_shows_codes(clean_env, restore_keys):
    clean_env.setenv("YKS_ENV", "development")
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SECRET_KEY"] and app.config["SHOW_SMS_CODE"] is True


def production_env(env) -> None:
    env.setenv("SECRET_KEY", "s")
    env.setenv("YKS_DATA_KEY", "d")
    env.setenv("YKS_LOOKUP_KEY", "l")


def test_production_refuses_the_console_sms_sender(clean_env, restore_keys):
    """Issue 8 item 11: with YKS_SMS_SENDER unset, production does not start (it would log live codes)."""
    production_env(clean_env)
    with pytest.raises(RuntimeError, match=r"缺少 YKS_SMS_SENDER（短信网关的类，写作 package.module:ClassName）"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    clean_env.setenv("YKS_SMS_SENDER", "console")
    with pytest.raises(RuntimeError, match="缺少 YKS_SMS_SENDER"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    clean_env.setenv("YKS_SMS_SENDER", "yks_web.services.sms:RecordingSender")  # a gateway class path
    assert isinstance(create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}).extensions["sms_sender"], RecordingSender)


def test_development_logs_the_code_and_nothing_else_does(caplog):
    """Issue 8 item 11: the console sender writes phone and code only in development (make run)."""
    caplog.set_level(logging.DEBUG)
    ConsoleSender(reveal=True).send("13812340019", "123456")
    assert "13812340019" in caplog.text and "123456" in caplog.text
    caplog.clear()
    ConsoleSender().send("13812340019", "123456")
    assert "138****0019" in caplog.text
    assert "13812340019" not in caplog.text and "123456" not in caplog.text


def test_a_whole_login_outside_development_logs_no_phone_and_no_code(app, db, client, actions, caplog, monkeypatch):
    """Every log line of a production login (the console sender as it would be outside development, every
    logger at DEBUG) is free of the full phone number and of the code."""
    recording = RecordingSender()

    class LoggedSender:
        def send(self, phone: str, code: str, purpose: str = "login", **params: str) -> None:
            ConsoleSender().send(phone, code, purpose, **params)
            recording.send(phone, code, purpose, **params)

    monkeypatch.setitem(app.extensions, "sms_sender", LoggedSender())
    caplog.set_level(logging.DEBUG)
    phone, number = "13812340019", id_number()
    make_person(db, "黄恺", number=number, phone=phone)
    db.session.commit()
    actions.post("/auth/login", {"name": "黄恺", "id_type": "id_card", "id_number": number, "phone": phone})
    code = recording.last_code(phone)
    assert actions.post("/auth/verify", {"code": code}).status_code == 303
    actions.post("/auth/verify", {"code": code})  # a replayed code is refused: still nothing logged
    assert caplog.records, "the console sender logged its (masked) line"
    for record in caplog.records:
        line = record.getMessage()
        assert phone not in line and code not in line, line


def test_session_cookies_are_secure_outside_development(clean_env):
    """Issue 8 item 4: Secure + HttpOnly + SameSite=Lax by default in production; make run keeps http."""
    production = from_environment("/tmp")
    assert production["SESSION_COOKIE_SECURE"] is True and production["SESSION_COOKIE_HTTPONLY"] is True
    assert production["SESSION_COOKIE_SAMESITE"] == "Lax" and production["SECURITY_HSTS"] is True
    assert session_limits(production) == (timedelta(days=7), timedelta(hours=36))
    clean_env.setenv("YKS_SECURE_COOKIES", "0")  # e.g. a deployment that terminates TLS oddly: explicit opt-out
    assert from_environment("/tmp")["SESSION_COOKIE_SECURE"] is False
    clean_env.setenv("YKS_ENV", "development")
    clean_env.delenv("YKS_SECURE_COOKIES")
    development = from_environment("/tmp")
    assert development["SESSION_COOKIE_SECURE"] is False and development["SECURITY_HSTS"] is False
    assert development["SESSION_COOKIE_HTTPONLY"] is True and development["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_session_limits_are_configurable(clean_env):
    clean_env.setenv("YKS_SESSION_ABSOLUTE_HOURS", "24")
    clean_env.setenv("YKS_SESSION_IDLE_HOURS", "0.5")
    assert session_limits(from_environment("/tmp")) == (timedelta(hours=24), timedelta(minutes=30))


OPERATOR_COMMANDS = [["yks", "admin-invite", "1"], ["yks", "create-school", "--name", "某某中学", "--type", "高中",
                                                  "--region", "广州"], ["db", "upgrade"], ["yks", "demo"]]


def flask_command(args: list[str], **settings: str) -> subprocess.CompletedProcess:
    """The operator's `flask --app wsgi …` in a shell without the development environment."""
    names = ("YKS_ENV", "SECRET_KEY", "YKS_DATA_KEY", "YKS_LOOKUP_KEY", "YKS_SMS_SENDER", "FLASK_APP")
    env = {k: v for k, v in os.environ.items() if k not in names}
    return subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=Path(__file__).parents[1],
                          env={**env, "DATABASE_URL": "sqlite://", **settings}, capture_output=True, text=True,
                          timeout=60)


@pytest.mark.parametrize("args", OPERATOR_COMMANDS)
def test_item9_operator_commands_without_settings_say_what_to_set_in_one_line(args):
    """Issue 9 item 9: one clear line and a non-zero exit, not create_app's traceback."""
    result = flask_command(args)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr.strip().splitlines() == [
        "Error: 缺少 SECRET_KEY、YKS_DATA_KEY、YKS_LOOKUP_KEY。请设置 YKS_ENV=development（开发环境），"
        "或设置 SECRET_KEY、YKS_DATA_KEY、YKS_LOOKUP_KEY 与 YKS_SMS_SENDER（生产环境）。"
    ]


def test_item9_production_keys_without_an_sms_gateway_also_get_one_line():
    result = flask_command(["yks", "admin-invite", "1"], SECRET_KEY="s", YKS_DATA_KEY="d", YKS_LOOKUP_KEY="l")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("Error: 缺少 YKS_SMS_SENDER") and "YKS_ENV=development（开发环境）" in line

"""Production refuses to start without real keys; development has built-in ones (SPEC P6, I3)."""

from __future__ import annotations

import pytest

from yks_web import create_app, privacy


@pytest.fixture
def restore_keys(app):
    yield
    privacy.configure(app.config["DATA_KEY"], app.config["LOOKUP_KEY"])  # create_app rebinds them


@pytest.fixture
def clean_env(monkeypatch):
    for name in ("YKS_ENV", "SECRET_KEY", "YKS_DATA_KEY", "YKS_LOOKUP_KEY", "YKS_SHOW_SMS_CODE"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_production_without_keys_does_not_start(clean_env, restore_keys):
    with pytest.raises(RuntimeError, match="SECRET_KEY, DATA_KEY, LOOKUP_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_production_never_shows_sms_codes(clean_env, restore_keys):
    clean_env.setenv("SECRET_KEY", "s")
    clean_env.setenv("YKS_DATA_KEY", "d")
    clean_env.setenv("YKS_LOOKUP_KEY", "l")
    clean_env.setenv("YKS_SHOW_SMS_CODE", "1")
    assert create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}).config["SHOW_SMS_CODE"] is False


def test_development_has_keys_and_shows_codes(clean_env, restore_keys):
    clean_env.setenv("YKS_ENV", "development")
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SECRET_KEY"] and app.config["SHOW_SMS_CODE"] is True

"""Configuration: environment variables, then instance/config.py, then a test's mapping.

Production is the default. Development (YKS_ENV=development, set by `make run`) may use
built-in keys and shows SMS codes on the page; production refuses to start without real keys.
"""

from __future__ import annotations

import os

REQUIRED_SECRETS = ("SECRET_KEY", "DATA_KEY", "LOOKUP_KEY")
_DEVELOPMENT_SECRETS = {
    "SECRET_KEY": "dev-only-secret",
    "DATA_KEY": "dev-only-data-key",
    "LOOKUP_KEY": "dev-only-lookup-key",
}


def from_environment(instance_path: str) -> dict:
    development = os.environ.get("YKS_ENV") == "development"
    database = os.environ.get("DATABASE_URL") or f"sqlite:///{os.path.join(instance_path, 'yks.sqlite')}"
    if database.startswith("postgres://"):
        database = "postgresql+psycopg://" + database.removeprefix("postgres://")
    settings = {
        "SQLALCHEMY_DATABASE_URI": database,
        "SECRET_KEY": os.environ.get("SECRET_KEY"),
        "DATA_KEY": os.environ.get("YKS_DATA_KEY"),
        "LOOKUP_KEY": os.environ.get("YKS_LOOKUP_KEY"),
        "SMS_SENDER": os.environ.get("YKS_SMS_SENDER", "console"),
        "HEALTH_DATA_PROVIDER": os.environ.get("YKS_HEALTH_DATA", "table"),
        # Showing the code on the page is a development convenience only.
        "SHOW_SMS_CODE": development and os.environ.get("YKS_SHOW_SMS_CODE", "1") == "1",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,  # uploads (外籍教师 import) and forms
        "WTF_I18N_ENABLED": False,  # WTForms' own zh messages (forms/base.py)
        "TRUSTED_PROXIES": os.environ.get("YKS_TRUSTED_PROXIES", ""),
    }
    if development:
        for key, value in _DEVELOPMENT_SECRETS.items():
            settings[key] = settings[key] or value
    if os.environ.get("YKS_SECURE_COOKIES") == "1":
        settings["SESSION_COOKIE_SECURE"] = True
        settings["REMEMBER_COOKIE_SECURE"] = True
    return settings


def missing_secrets(config) -> list[str]:
    return [key for key in REQUIRED_SECRETS if not config.get(key)]

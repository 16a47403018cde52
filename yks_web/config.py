"""Configuration defaults; instance/config.py and YKS_* environment variables override."""

from __future__ import annotations

import os


def from_environment(instance_path: str) -> dict:
    database = os.environ.get("DATABASE_URL") or f"sqlite:///{os.path.join(instance_path, 'yks.sqlite')}"
    if database.startswith("postgres://"):
        database = "postgresql+psycopg://" + database.removeprefix("postgres://")
    settings = {
        "SQLALCHEMY_DATABASE_URI": database,
        "SECRET_KEY": os.environ.get("SECRET_KEY", "dev-only-secret-change-me"),
        "DATA_KEY": os.environ.get("YKS_DATA_KEY", "dev-only-data-key"),
        "LOOKUP_KEY": os.environ.get("YKS_LOOKUP_KEY", "dev-only-lookup-key"),
        # Development shows the SMS code on the page; production must send it.
        "SMS_SENDER": os.environ.get("YKS_SMS_SENDER", "console"),
        "SHOW_SMS_CODE": os.environ.get("YKS_SHOW_SMS_CODE", "1") == "1",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,
        "TRUSTED_PROXIES": os.environ.get("YKS_TRUSTED_PROXIES", ""),
    }
    if os.environ.get("YKS_SECURE_COOKIES") == "1":
        settings["SESSION_COOKIE_SECURE"] = True
        settings["REMEMBER_COOKIE_SECURE"] = True
    return settings

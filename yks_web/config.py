"""Configuration: environment variables, then instance/config.py, then a test's mapping.

Production is the default. Development (YKS_ENV=development, set by `make run`) may use
built-in keys and shows SMS codes on the page; production refuses to start without real keys.
"""

from __future__ import annotations

import os
from datetime import timedelta

import click

from yks_web.i18n import N_, gettext

# Login sessions (SPEC I4a, issue 8 item 4), chosen for a phone that is opened once a day to declare
# before 11:30: an idle timeout of 36 hours keeps a daily declarant logged in from one morning to the next
# (a later morning included) but ends a session left unused for a day and a half; the absolute lifetime
# of 7 days bounds any session, and any stolen cookie, to a week, at the cost of one SMS login a week.
# Shorter limits would make millions of parents pay an SMS round trip every morning for a screen that a
# locked phone already protects; operators of a stricter deployment set the two variables.
SESSION_ABSOLUTE_HOURS = 7 * 24
SESSION_IDLE_HOURS = 36

# Retention in days per kind of record (issue 16 item 3; services/retention.py deletes what is older; the README
# has the table). Check-ins 28 days: luca destroyed check-in keys after 4 weeks, two incubation periods of 14 days
# cover contact tracing. Declarations, reports and grid visits 180 days: an operator-set period, by default half a
# year so a school term's records can still be checked after it ends, without a person's daily health history
# piling up for years. SMS codes and rate-limit counters 2 days (they are needed for 5 minutes and an hour; 2 is
# the floor every period keeps). Audit rows 3 years: PIPL art. 56 keeps processing records at least three years,
# and they must outlive the data they record (a shorter audit period is refused).
RETENTION_DAYS = {
    "checkins": 28,
    "grid_visits": 180,
    "reports": 180,
    "declarations": 180,
    "personal_declarations": 180,
    "sms_codes": 2,
    "rate_events": 2,
    "reminders": 2,  # who was reminded to declare (issue 16 item 4): the hour's and the day's limits need no more
    "audit_log": 3 * 365,
}

REQUIRED_SECRETS = ("SECRET_KEY", "DATA_KEY", "LOOKUP_KEY")
ENVIRONMENT_NAMES = {"SECRET_KEY": "SECRET_KEY", "DATA_KEY": "YKS_DATA_KEY", "LOOKUP_KEY": "YKS_LOOKUP_KEY"}
# What an operator's command says when the app cannot start (issue 9 item 9).
WHAT_TO_SET = N_("请设置 YKS_ENV=development（开发环境），"
                 "或设置 SECRET_KEY、YKS_DATA_KEY、YKS_LOOKUP_KEY 与 YKS_SMS_SENDER（生产环境）")
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
        # Outside development a database error's log line shows no bound values (names, phone hashes).
        "SQLALCHEMY_ENGINE_OPTIONS": {"hide_parameters": not development},
        "SECRET_KEY": os.environ.get("SECRET_KEY"),
        "DATA_KEY": os.environ.get("YKS_DATA_KEY"),
        "LOOKUP_KEY": os.environ.get("YKS_LOOKUP_KEY"),
        "SMS_SENDER": os.environ.get("YKS_SMS_SENDER", "console"),
        "HEALTH_DATA_PROVIDER": os.environ.get("YKS_HEALTH_DATA", "table"),
        # Showing the code on the page is a development convenience only.
        "SHOW_SMS_CODE": development and os.environ.get("YKS_SHOW_SMS_CODE", "1") == "1",
        "DEVELOPMENT": development,
        "SESSION_ABSOLUTE_HOURS": float(os.environ.get("YKS_SESSION_ABSOLUTE_HOURS", SESSION_ABSOLUTE_HOURS)),
        "SESSION_IDLE_HOURS": float(os.environ.get("YKS_SESSION_IDLE_HOURS", SESSION_IDLE_HOURS)),
        # Over plain http (make run) a Secure cookie would never come back; everywhere else it must not leave TLS.
        "SESSION_COOKIE_SECURE": not development and os.environ.get("YKS_SECURE_COOKIES", "1") != "0",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # The cookie is re-sent only when it changes (login, the CSRF token, the idle stamp renewed at most once a
        # minute: auth_setup), not signed again on every request; its expiry moves with those changes, and the
        # login session's limits are the server's (login_sessions), so nothing lives longer (issue 14 item 4).
        "SESSION_REFRESH_EACH_REQUEST": False,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        # HSTS only where the site is served over TLS (not make run's http://127.0.0.1).
        "SECURITY_HSTS": not development,
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,  # uploads (外籍教师 import) and forms
        "WTF_I18N_ENABLED": False,  # WTForms' own zh messages (forms/base.py)
        "TRUSTED_PROXIES": os.environ.get("YKS_TRUSTED_PROXIES", ""),
        # Raw values: `flask yks retention` checks them and refuses a bad one; a typo here never stops the site.
        "RETENTION_DAYS": {kind: os.environ.get(f"YKS_RETENTION_{kind.upper()}_DAYS", default)
                           for kind, default in RETENTION_DAYS.items()},
    }
    if development:
        for key, value in _DEVELOPMENT_SECRETS.items():
            settings[key] = settings[key] or value
    settings["REMEMBER_COOKIE_SECURE"] = settings["SESSION_COOKIE_SECURE"]
    return settings


def session_limits(config) -> tuple[timedelta, timedelta]:
    """(absolute lifetime, idle timeout) of a login session."""
    return timedelta(hours=config["SESSION_ABSOLUTE_HOURS"]), timedelta(hours=config["SESSION_IDLE_HOURS"])


def missing_secrets(config) -> list[str]:
    return [key for key in REQUIRED_SECRETS if not config.get(key)]


class ConfigurationError(click.ClickException, RuntimeError):
    """A setting the app cannot start without (issue 9 item 9).

    The `flask` command (`flask yks …`, `flask db upgrade`, `flask run`) loads the app from wsgi.py itself, so
    there is no line of ours around that load to catch an error in; a ClickException is what click prints as one
    line ("Error: …") before exiting 1, instead of a traceback. Elsewhere (gunicorn, tests) it is a RuntimeError.
    """


def missing_secrets_error(missing: list[str]) -> ConfigurationError:
    names = gettext("、").join(ENVIRONMENT_NAMES[key] for key in missing)
    return ConfigurationError(gettext("缺少 %(names)s。%(what_to_set)s。", names=names,
                                      what_to_set=gettext(WHAT_TO_SET)))

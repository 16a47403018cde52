"""Choose the SMS sender from configuration (SPEC I3): console, recording (tests), or a class path.

Production refuses the console sender (issue 8 item 11): it would send no SMS, and a log of live codes
is a log anyone with access to it can log in with.
"""

from __future__ import annotations

from importlib import import_module

from flask import Flask, current_app

from yks_web.config import WHAT_TO_SET, ConfigurationError
from yks_web.i18n import gettext
from yks_web.services.sms import ConsoleSender, RecordingSender, SmsSender


def init_app(app: Flask) -> None:
    choice = app.config["SMS_SENDER"]
    if not isinstance(choice, str):
        sender = choice
    elif choice == "console":
        if not app.config.get("DEVELOPMENT"):
            raise ConfigurationError(gettext(  # the console sender only logs codes: development only
                "缺少 YKS_SMS_SENDER（短信网关的类，写作 package.module:ClassName）。%(what_to_set)s。",
                what_to_set=gettext(WHAT_TO_SET),
            ))
        sender = ConsoleSender(reveal=True)
    elif choice == "recording":
        sender = RecordingSender()
    else:  # "package.module:ClassName" for a real SMS gateway
        module, _, name = choice.partition(":")
        sender = getattr(import_module(module), name)()
    app.extensions["sms_sender"] = sender


def sender() -> SmsSender:
    return current_app.extensions["sms_sender"]

"""Choose the SMS sender from configuration (SPEC I3): console, recording (tests), or a class path."""

from __future__ import annotations

from importlib import import_module

from flask import Flask, current_app

from yks_web.services.sms import ConsoleSender, RecordingSender, SmsSender


def init_app(app: Flask) -> None:
    choice = app.config["SMS_SENDER"]
    if not isinstance(choice, str):
        sender = choice
    elif choice == "console":
        sender = ConsoleSender()
    elif choice == "recording":
        sender = RecordingSender()
    else:  # "package.module:ClassName" for a real SMS gateway
        module, _, name = choice.partition(":")
        sender = getattr(import_module(module), name)()
    app.extensions["sms_sender"] = sender


def sender() -> SmsSender:
    return current_app.extensions["sms_sender"]

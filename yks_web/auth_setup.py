"""Flask-Login wiring: the session cookie names a Person (SPEC I4)."""

from __future__ import annotations

from flask import Flask

from yks_web.extensions import db, login_manager
from yks_web.models import Person


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = "请先完成实名认证"
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_person(person_id: str) -> Person | None:
        return db.session.get(Person, int(person_id)) if person_id.isdigit() else None

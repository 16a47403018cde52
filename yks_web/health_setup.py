"""Choose the health data provider (SPEC H2): the built-in tables, or a class path of a real source."""

from __future__ import annotations

from importlib import import_module

from flask import Flask, current_app

from yks_web.extensions import db
from yks_web.services.health_data import HealthDataProvider, TableHealthData


def init_app(app: Flask) -> None:
    choice = app.config.get("HEALTH_DATA_PROVIDER", "table")
    if choice == "table":
        factory = TableHealthData
    else:  # "package.module:ClassName", built with the request's database session
        module, _, name = choice.partition(":")
        factory = getattr(import_module(module), name)
    app.extensions["health_data"] = factory


def provider() -> HealthDataProvider:
    return current_app.extensions["health_data"](db.session)

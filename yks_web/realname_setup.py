"""Choose the real-name verification source (SPEC I6, issue 8 item 1), as health_setup does for health data.

REALNAME_PROVIDER (environment YKS_REALNAME): "table" for the built-in records the operator sets, or
"package.module:ClassName" of a real source, built with the request's database session and answering
services.realname.RealNameVerifier.
"""

from __future__ import annotations

import os
from importlib import import_module

from flask import Flask, current_app

from yks_web.extensions import db
from yks_web.services.identity import shown_name
from yks_web.services.realname import RealNameVerifier
from yks_web.services.realname_table import TableRealName


def init_app(app: Flask) -> None:
    choice = app.config.get("REALNAME_PROVIDER") or os.environ.get("YKS_REALNAME", "table")
    if not isinstance(choice, str):
        factory = choice
    elif choice == "table":
        factory = TableRealName
    else:
        module, _, name = choice.partition(":")
        factory = getattr(import_module(module), name)
    app.extensions["realname"] = factory
    # 申报人列表 and 成员管理 show each binder their own claim until the person logs in (issue 8 item 1).
    app.add_template_global(shown_name, "shown_name")


def verifier() -> RealNameVerifier:
    return current_app.extensions["realname"](db.session)

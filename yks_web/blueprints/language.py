"""The language switch (issue 15): 简体中文 / 繁體中文 / English on the login page and in 个人中心.

A plain form POST (no JavaScript needed): the choice goes in a cookie (before login, and after logout) and, for
someone logged in, on their account; then back to the page it was made on, a path of this site only.
"""

from __future__ import annotations

from flask import Blueprint, redirect, request
from flask_login import current_user

from yks_web.blueprints.auth import safe_next
from yks_web.extensions import db
from yks_web.i18n import LANGUAGES
from yks_web.i18n_setup import remember

bp = Blueprint("language", __name__)


@bp.post("/language")
def switch():
    """【简体中文】【繁體中文】【English】: an unknown value changes nothing and goes back all the same."""
    choice = request.form.get("language", "")
    response = redirect(safe_next(request.form.get("next")), code=303)
    if choice in LANGUAGES:
        remember(response, choice)
        if current_user.is_authenticated:
            current_user.language = choice
            db.session.commit()
    return response

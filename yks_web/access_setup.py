"""The access gate before every request (SPEC P7, P9; issue 8 item 12): services/access.ENDPOINTS enforced.

Only the cheap part is decided here, from the user Flask-Login loads anyway (no extra SQL): a public
endpoint passes untouched; anyone else must be logged in (the login page, as @login_required did);
an operator-only endpoint is 404 for everyone but operators. What is "yours" is decided by each
blueprint package's loader, also with 404. An endpoint missing from the registry is 404, in tests as
in production (tests/blueprints/test_access_registry.py names what is missing).
"""

from __future__ import annotations

from flask import Flask, abort, current_app, request
from flask_login import current_user
from flask_login.config import EXEMPT_METHODS

from yks_web.services import access


def enforce():
    endpoint = request.endpoint
    if endpoint is None:  # no route matched: routing's own 404/405 follows
        return None
    gate = access.gate(endpoint)
    if gate is None:
        current_app.logger.error("endpoint %s is not in services/access.ENDPOINTS: refused", endpoint)
        abort(404)
    if gate == "public" or request.method in EXEMPT_METHODS:
        return None
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if gate == "operator" and not access.is_operator(current_user):
        abort(404)
    return None


def init_app(app: Flask) -> None:
    app.before_request(enforce)

"""The one scanner's server side (SPEC O9): what a scanner form posted, resolved for a scanning role.

Every screen that scans a 粤康码 (a place's 体温检测, 医护人员's 出具电子告知书, grids next) renders
templates/_scanner.html and, on its POST, calls `scanned_person(as_role, context)`: the typed, pasted or camera-read
text is parsed (services/scan_input), resolved once (services/code_scans: the role's right to scan, the rate limits,
the audit row naming the place or unit), and committed, so the attempt counts whatever the token held. A refusal
comes back as ScanRefused with the message for beside the field, the status and the text to put back.
"""

from __future__ import annotations

from flask import abort, current_app, request
from flask_login import current_user

from yks_web import clock
from yks_web.blueprints.auth import client_ip
from yks_web.extensions import db
from yks_web.i18n import gettext
from yks_web.models.people import Person
from yks_web.services import code_scans, code_tokens, scan_input
from yks_web.services.rate_limits import RateLimited

MAX_TYPED = 1000  # a wired scanner's line or a pasted link; the field's maxlength too


class ScanRefused(Exception):
    def __init__(self, message: str, typed: str, status: int = 200):
        super().__init__(message)
        self.message, self.typed, self.status = message, typed, status


def scanned_person(as_role: str, context: str) -> Person:
    """The person the posted `code` names, resolved for the user scanning as `as_role` at `context` (a place's
    name, a unit); ScanRefused for what is not a live 粤康码 or beyond a rate limit; 404 for a user who does not
    hold `as_role` (revoked a moment ago)."""
    typed = request.form.get("code", "")[:MAX_TYPED]
    try:
        token = scan_input.parse(typed)
        found = code_scans.scan(db.session, current_user, token, address=client_ip(), now=clock.now(),
                                utc_now=clock.utcnow(), secret=current_app.config["SECRET_KEY"], context=context,
                                as_role=as_role)
    except scan_input.NotAHealthCode as refused:
        raise ScanRefused(refused.message, typed) from None
    except RateLimited as refused:
        db.session.rollback()
        raise ScanRefused(refused.message, typed, 429) from None
    except code_scans.NotAScanner:
        abort(404)
    db.session.commit()  # the attempt counts and the read is audited, whatever the token held
    if found.person is None:
        raise ScanRefused(gettext(code_tokens.EXPIRED), typed)
    return found.person

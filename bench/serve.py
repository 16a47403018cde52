"""What the benchmark's gunicorn serves: the app of wsgi.py, plus one reference endpoint of the benchmark's own.

    gunicorn … 'bench.serve:make_app()'

The reference, `POST /bench/floor/<org>/<person>`, is the least a declaration submission can cost on this
stack: the same session cookie, Flask-Login's user, the CSRF check and the form body, then one INSERT of a
declaration and a COMMIT, with nothing checked (no organisation, membership, deadline, report, replay or
previous answers) and nothing read back. Its submissions per second, beside the real ones, show how far
the app's own rules are from the floor, and what share of the bare endpoint any submission can reach here.
It exists only in this module; the production app (wsgi.py) has no such route.
"""

from __future__ import annotations

import uuid

from flask import Blueprint, Flask, redirect, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import insert

from yks_web import clock, create_app
from yks_web.extensions import db
from yks_web.forms.declaration import BOOL_FIELDS
from yks_web.models import Declaration
from yks_web.models.declaration import ANSWER_FIELDS
from yks_web.services import access

floor = Blueprint("bench_floor", __name__, url_prefix="/bench")


@floor.post("/floor/<int:org_id>/<int:person_id>")
@login_required
def floor_submission(org_id: int, person_id: int):
    form = request.form
    values = {name: (form.get(name) == "yes") if name in BOOL_FIELDS else (form.get(name) or None)
              for name in ANSWER_FIELDS}
    values["remarks"] = values["remarks"] or ""
    new_id = db.session.scalar(
        insert(Declaration)
        .values(organisation_id=org_id, person_id=person_id, actor_id=current_user.id, day=clock.now().date(),
                source="self", changed=False, form_key=uuid.uuid4().hex, created_at=clock.utcnow(), **values)
        .returning(Declaration.id)
    )
    db.session.commit()
    return redirect(url_for("declare.done", declaration_id=new_id), code=303)


def make_app() -> Flask:
    app = create_app()
    app.register_blueprint(floor)
    # Registered with the access layer like every endpoint (issue 8 item 12), so the floor pays the same gate.
    access.ENDPOINTS["bench_floor.floor_submission"] = frozenset({"person"})
    return app


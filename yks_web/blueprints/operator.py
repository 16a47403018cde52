"""Platform operator (SPEC W1): create schools and their admin invites."""

from __future__ import annotations

from flask import Blueprint, request, url_for
from sqlalchemy import select

from yks_web import clock
from yks_web.extensions import db
from yks_web.forms.operator import SchoolForm
from yks_web.i18n import gettext
from yks_web.models import School
from yks_web.rendering import render_screen
from yks_web.services import schools

# Operators only: every endpoint here is "operator" in services/access.ENDPOINTS, so the access gate
# (yks_web/access_setup.py) answers 404 to everyone else before any view runs (issue 8 item 12).
bp = Blueprint("operator", __name__, url_prefix="/operator")


@bp.route("/", methods=["GET", "POST"])
def index():
    """平台运营: the schools, and 创建学校 with its admin invite link."""
    form = SchoolForm()
    created_link = None
    if request.method == "POST" and form.validate():
        school, invite = schools.create_school(
            db.session, name=form.name.data, school_type=form.school_type.data,
            region=form.region.data, utc_now=clock.utcnow(),
        )
        db.session.commit()
        created_link = url_for("invite.open", token=invite.token, _external=True)
        form = SchoolForm(formdata=None)
    all_schools = db.session.scalars(select(School).order_by(School.id.desc())).all()
    return render_screen(
        "operator/_index.html", title=gettext("平台运营"), form=form, schools=all_schools, created_link=created_link
    )


from yks_web.blueprints import (  # noqa: E402,F401  (their routes live on this blueprint)
    operator_feedback,
    operator_health,
    operator_realname,
)

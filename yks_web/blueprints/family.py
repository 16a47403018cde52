"""添加/管理家庭成员 (SPEC H3): add a child or an elder by identity, switch to their code, remove."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask_login import current_user, login_required

from yks_web import clock
from yks_web.extensions import db
from yks_web.forms.health import FamilyMemberForm
from yks_web.rendering import render_screen
from yks_web.services import family
from yks_web.services.identity import make_identity

bp = Blueprint("family", __name__, url_prefix="/family")


@bp.before_request
@login_required
def _require_login():
    return None


@bp.get("/")
def index():
    """管理家庭成员: each member's code, and removal."""
    members = family.members(db.session, current_user.id)
    return render_screen("family/_index.html", title="管理家庭成员", members=members)


def _add_screen(form: FamilyMemberForm, error: str | None = None):
    return render_screen("family/_add.html", title="添加家庭成员", form=form, error=error)


@bp.get("/add")
def add():
    """添加家庭成员: 姓名, 证件 (未成年人可用出生医学证明), 与本人关系."""
    return _add_screen(FamilyMemberForm())


@bp.post("/add")
def add_post():
    form = FamilyMemberForm()
    if not form.validate():
        return _add_screen(form)
    identity = make_identity(form.name.data, form.id_type.data, form.id_number.data)
    try:
        row = family.add(db.session, current_user.id, identity, form.relation.data, clock.utcnow())
    except family.FamilyError as refused:
        db.session.rollback()
        return _add_screen(form, refused.message)
    db.session.commit()
    flash(f"已添加家庭成员{row.member.name}", "success")
    return redirect(url_for("family.index"), code=303)


@bp.post("/<int:family_member_id>/remove")
def remove(family_member_id: int):
    row = family.remove(db.session, current_user.id, family_member_id)
    if row is None:
        abort(404)
    db.session.commit()
    flash(f"已删除家庭成员{row.member.name}", "info")
    return redirect(url_for("family.index"), code=303)

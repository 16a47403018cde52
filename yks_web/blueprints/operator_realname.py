"""Operator page for the built-in real-name source (SPEC I6, issue 8 item 1): set, list and remove records."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for

from yks_web import clock
from yks_web.blueprints.operator import bp
from yks_web.extensions import db
from yks_web.forms.operator import RealNameForm
from yks_web.i18n import gettext
from yks_web.models.realname import RealNameRecord
from yks_web.rendering import render_screen
from yks_web.services import realname_table
from yks_web.services.identity import make_identity


def _screen(form: RealNameForm):
    return render_screen(
        "operator/_realname.html", title=gettext("实名信息管理"), form=form,
        records=realname_table.records(db.session), total=realname_table.record_count(db.session),
    )


@bp.get("/realname")
def realname():
    """实名信息管理: who may log in (姓名 + 证件, 手机号, 户籍户号, 出生医学证明上的父母)."""
    return _screen(RealNameForm())


@bp.post("/realname")
def realname_post():
    form = RealNameForm()
    if not form.validate():
        return _screen(form)
    parents = {
        role: realname_table.Parent(getattr(form, f"{role}_id_type").data, getattr(form, f"{role}_id_number").data)
        if getattr(form, f"{role}_id_number").data else None
        for role in ("father", "mother")
    }
    try:
        record = realname_table.set_record(
            db.session, make_identity(form.name.data, form.id_type.data, form.id_number.data),
            utc_now=clock.utcnow(), today=clock.today(), phone=form.phone.data or None,
            household=form.household.data or None, birth_date=form.birth_date.data, **parents,
        )
    except realname_table.RealNameError as refused:
        db.session.rollback()
        getattr(form, refused.field).errors.append(refused.message)
        return _screen(form)
    db.session.commit()
    flash(gettext("已登记%(name)s（%(id_number)s）的实名信息", name=record.name, id_number=record.id_masked), "success")
    return redirect(url_for("operator.realname"), code=303)


@bp.get("/realname/<int:record_id>/remove")
def realname_remove(record_id: int):
    """【删除】 → 确定删除？ → 【确定】 / 【取消】: never one tap, with JavaScript or not (issue 9 item 3)."""
    record = db.session.get(RealNameRecord, record_id)
    if record is None:
        abort(404)
    return render_screen("_confirm.html", title=gettext("删除实名信息"),
                         question=gettext("确定删除%(name)s（%(id_number)s）的实名信息？", name=record.name,
                                          id_number=record.id_masked),
                         hint=gettext("删除后此人将无法实名认证登录；其已提交的申报不受影响。"),
                         action=url_for("operator.realname_remove_post", record_id=record.id),
                         cancel=url_for("operator.realname"))


@bp.post("/realname/<int:record_id>/remove")
def realname_remove_post(record_id: int):
    """【确定】: that person can no longer log in; what they declared stays."""
    record = db.session.get(RealNameRecord, record_id)
    if record is None:
        abort(404)
    realname_table.remove_record(db.session, record.id_type, record.id_hash)
    db.session.commit()
    flash(gettext("已删除%(name)s（%(id_number)s）的实名信息", name=record.name, id_number=record.id_masked), "success")
    return redirect(url_for("operator.realname"), code=303)

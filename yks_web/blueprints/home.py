"""粤康码 home (the start page), 个人中心 and 帮助与反馈 (SPEC S1, I4)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, url_for
from flask_login import current_user
from sqlalchemy import select
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from yks_web import clock
from yks_web.extensions import db
from yks_web.forms.base import Form, strip
from yks_web.i18n import gettext, lazy_gettext
from yks_web.models import Collector, Feedback, SchoolAdmin
from yks_web.rendering import render_screen

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    """粤康码: 健康情况申报 and 防疫工作台 entries."""
    roles = {"collector": False, "admin": False}
    if current_user.is_authenticated:
        roles["collector"] = db.session.scalar(
            select(Collector.id).where(Collector.person_id == current_user.id).limit(1)
        ) is not None
        roles["admin"] = db.session.scalar(
            select(SchoolAdmin.id).where(SchoolAdmin.person_id == current_user.id).limit(1)
        ) is not None
    return render_screen("home/_index.html", title=gettext("粤康码"), roles=roles)


@bp.get("/work")
def work_types():
    """防疫工作台 → 更多: 选择防疫工作类型, every kind of collection work with what it is for (the guides' menu)."""
    return render_screen("home/_work_types.html", title=gettext("防疫工作台"))


@bp.get("/me")
def me():
    """个人中心: who is logged in, and 退出登录."""
    return render_screen("home/_me.html", title=gettext("个人中心"))


class FeedbackForm(Form):
    text = TextAreaField(
        lazy_gettext("反馈问题"), filters=[strip],
        validators=[DataRequired(lazy_gettext("请填写反馈内容")),
                    Length(max=500, message=lazy_gettext("反馈内容不能超过500个字"))],
    )


def _help_screen(form: FeedbackForm):
    return render_screen("home/_help.html", title=gettext("帮助与反馈"), form=form)


@bp.get("/help")
def help_page():
    """帮助与反馈: 常见问题 of the guides, and a place to report a problem."""
    return _help_screen(FeedbackForm())


@bp.post("/help")
def help_post():
    form = FeedbackForm()
    if not form.validate():
        return _help_screen(form)
    db.session.add(Feedback(person_id=current_user.id, text=form.text.data, created_at=clock.utcnow()))
    db.session.commit()
    flash(gettext("感谢反馈，我们会尽快处理"), "success")
    return redirect(url_for("home.help_page"), code=303)


@bp.get("/healthz")
def healthz():
    """Liveness for load balancers; touches no database (the benchmark's bare endpoint)."""
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}

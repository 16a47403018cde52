"""添加/管理家庭成员 (SPEC H3, I7): add a child or an elder by identity, the adult's consent, switch, remove."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user, login_required
from wtforms import StringField
from wtforms.validators import DataRequired

from yks_web import clock
from yks_web.extensions import db
from yks_web.forms.base import Form, strip
from yks_web.forms.health import FamilyMemberForm
from yks_web.i18n import gettext, lazy_gettext
from yks_web.models.health import FAMILY_PENDING, FamilyMember
from yks_web.privacy import mask_name
from yks_web.realname_setup import verifier
from yks_web.rendering import render_screen
from yks_web.services import consent, family
from yks_web.services.errors import DomainError
from yks_web.services.identity import make_identity
from yks_web.sms_setup import sender

bp = Blueprint("family", __name__, url_prefix="/family")


@bp.before_request
@login_required
def _require_login():
    return None


def pending_link(family_member_id: int) -> FamilyMember:
    """The owner's own request still waiting for consent; 404 for anything else (P7)."""
    row = family.owned_link(db.session, current_user.id, family_member_id)
    if row is None or row.status != FAMILY_PENDING:
        abort(404)
    return row


@bp.get("/")
def index():
    """管理家庭成员: each member's code, the requests waiting for consent, and removal."""
    links = family.links(db.session, current_user.id)
    return render_screen("family/_index.html", title=gettext("管理家庭成员"), links=links)


def _add_screen(form: FamilyMemberForm, error: str | None = None):
    return render_screen("family/_add.html", title=gettext("添加家庭成员"), form=form, error=error)


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
        row = family.add(db.session, current_user._get_current_object(), identity, form.relation.data,
                         verifier=verifier(), today=clock.today(), utc_now=clock.utcnow(),
                         ip=request.remote_addr or "")
    except DomainError as refused:
        db.session.commit()  # nothing was written but the look-up's count, which must stay (issue 8 item 3)
        return _add_screen(form, refused.message)
    db.session.commit()
    name = form.name.data  # what the owner typed: the source's name for this 证件 is not theirs to learn
    if row.consented:
        flash(gettext("已添加家庭成员%(name)s", name=name), "success")
        return redirect(url_for("family.index"), code=303)
    _send(row)
    return redirect(url_for("family.consent_page", family_member_id=row.id), code=303)


def _send(row: FamilyMember) -> None:
    """Send the member a code; a refusal (too often) is shown on the consent screen, the request stays."""
    try:
        consent.send_code(db.session, sender(), row, clock.utcnow())
    except DomainError as refused:
        db.session.rollback()
        flash(refused.message, "error")
        return
    db.session.commit()
    flash(gettext(consent.SENT), "success")  # never the phone, nor whether the adult ever logged in


class ConsentCodeForm(Form):
    code = StringField(lazy_gettext("验证码"), filters=[strip], validators=[DataRequired(lazy_gettext("请填写验证码"))],
                       render_kw={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": 6})


def _consent_screen(row: FamilyMember, form: ConsentCodeForm, error: str | None = None):
    return render_screen("family/_consent.html", title=gettext("成员确认"), link=row, form=form, error=error)


@bp.get("/<int:family_member_id>/consent")
def consent_page(family_member_id: int):
    """成员确认: the code sent to the adult's verified phone, or their 【同意】 on their own account (I7)."""
    return _consent_screen(pending_link(family_member_id), ConsentCodeForm(formdata=None))


@bp.post("/<int:family_member_id>/consent")
def consent_post(family_member_id: int):
    row = pending_link(family_member_id)
    form = ConsentCodeForm()
    if not form.validate():
        return _consent_screen(row, form)
    try:
        consent.confirm_code(db.session, row, form.code.data, clock.utcnow())
    except DomainError as refused:
        db.session.commit()  # the try is counted (5 at most), whatever the outcome
        form.code.errors = [refused.message]
        return _consent_screen(row, form)
    db.session.commit()
    flash(gettext("%(name)s已同意，已添加为家庭成员", name=mask_name(row.shown_name)), "success")
    return redirect(url_for("family.index"), code=303)


@bp.post("/<int:family_member_id>/consent/send")
def send_code(family_member_id: int):
    """【获取验证码】 again."""
    row = pending_link(family_member_id)
    _send(row)
    return redirect(url_for("family.consent_page", family_member_id=row.id), code=303)


def _owned(family_member_id: int) -> FamilyMember:
    row = family.owned_link(db.session, current_user.id, family_member_id)
    if row is None:
        abort(404)
    return row


@bp.get("/<int:family_member_id>/remove")
def remove(family_member_id: int):
    """【删除】 / 【撤回请求】 → the confirm step → 【确定】 / 【取消】 (issue 9 item 3: never one tap)."""
    row = _owned(family_member_id)
    name = mask_name(row.shown_name)
    if row.status == FAMILY_PENDING:
        title = gettext("撤回请求")
        question = gettext("确定撤回对%(name)s的添加请求？", name=name)
        hint = gettext("撤回后如需添加，需重新添加并经对方同意。")
    else:
        title = gettext("删除家庭成员")
        question = gettext("确定删除家庭成员%(name)s？", name=name)
        hint = gettext("删除后将不能再出示其粤康码或为其申报。")
    return render_screen("_confirm.html", title=title, question=question, hint=hint,
                         action=url_for("family.remove_post", family_member_id=row.id), cancel=url_for("family.index"))


@bp.post("/<int:family_member_id>/remove")
def remove_post(family_member_id: int):
    row = family.remove(db.session, current_user.id, family_member_id)
    if row is None:
        abort(404)
    db.session.commit()
    if row.status == FAMILY_PENDING:
        flash(gettext("已撤回对%(name)s的添加请求", name=mask_name(row.shown_name)), "info")
    else:
        flash(gettext("已删除家庭成员%(name)s", name=row.shown_name), "info")
    return redirect(url_for("family.index"), code=303)

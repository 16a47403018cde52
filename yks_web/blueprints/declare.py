"""学生/教职工个人健康申报 (SPEC S1–S10): the member side."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, session, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from yks_web import clock
from yks_web.blueprints import declaration_form
from yks_web.extensions import db
from yks_web.forms.identity import IdentityForm
from yks_web.models import Collector, Declaration, Membership, Organisation, Person, ProxyBinding
from yks_web.rendering import render_screen
from yks_web.services import declarations, invites, membership
from yks_web.services.identity import IdentityMismatch, find_or_create_person, make_identity

bp = Blueprint("declare", __name__, url_prefix="/declare")


@bp.before_request
@login_required
def _require_login():
    return None


def load_org(org_id: int) -> Organisation:
    org = db.session.scalar(
        select(Organisation)
        .options(joinedload(Organisation.school), joinedload(Organisation.collector).joinedload(Collector.person))
        .where(Organisation.id == org_id)
    )
    if org is None:
        abort(404)
    return org


def invite_for(org: Organisation) -> str | None:
    """The invite token carried through the joining steps, if it is live and for this org."""
    token = request.values.get("t", "")
    try:
        invite = invites.resolve(db.session, token, "member", clock.utcnow())
    except invites.InviteInvalid:
        return None
    return token if invite.organisation_id == org.id else None


def require_invite(org: Organisation) -> str:
    token = invite_for(org)
    if token is None:
        abort(403)
    return token


@bp.get("/")
def index():
    """学生/教职工个人健康申报: my organisations and the 申报人列表 (S5, S7)."""
    own = db.session.scalars(
        select(Membership)
        .options(joinedload(Membership.organisation).joinedload(Organisation.school))
        .where(Membership.person_id == current_user.id, Membership.active.is_(True))
        .order_by(Membership.id)
    ).all()
    bindings = membership.declarant_list(db.session, current_user.id)
    return render_screen(
        "declare/_index.html", title="学生/教职工个人健康申报", own=own, bindings=bindings, token=None
    )


@bp.get("/org/<int:org_id>/declarants")
def declarants(org_id: int):
    """申报人列表 of one organisation, reached from its invite: 【添加申报人】 is allowed here."""
    org = load_org(org_id)
    token = require_invite(org)
    bindings = [b for b in membership.declarant_list(db.session, current_user.id) if b.organisation_id == org.id]
    return render_screen(
        "declare/_index.html", title="申报人列表", own=[], bindings=bindings, token=token, org=org
    )


@bp.route("/org/<int:org_id>/self", methods=["GET", "POST"])
def confirm_self(org_id: int):
    """本人填报: confirm the organisation → 【下一步】 → the form (S3)."""
    org = load_org(org_id)
    is_member = membership.active_membership(db.session, org.id, current_user.id) is not None
    token = None if is_member else require_invite(org)
    if request.method == "POST":
        if not is_member:
            membership.join(db.session, org, current_user, "invite", clock.utcnow())
            db.session.commit()
        return redirect(url_for("declare.form", org_id=org.id, person_id=current_user.id), code=303)
    return render_screen(
        "declare/_confirm_org.html", title="确认组织信息", org=org, declarant=current_user, token=token,
        back=url_for("invite.open", token=token) if token else url_for("declare.index"),
    )


@bp.route("/org/<int:org_id>/proxy", methods=["GET", "POST"])
def proxy_identity(org_id: int):
    """代他人填报: 申报人 姓名, 证件类型, 证件号码 → 【下一步】 (S4)."""
    org = load_org(org_id)
    token = require_invite(org)
    form = IdentityForm()
    if request.method == "POST" and form.validate():
        identity = make_identity(form.name.data, form.id_type.data, form.id_number.data)
        try:
            declarant = find_or_create_person(db.session, identity)
            membership.check_can_bind(db.session, org, current_user, declarant)
        except IdentityMismatch as exc:
            form.id_number.errors.append(exc.message)
        except membership.MembershipError as exc:
            db.session.rollback()
            return render_screen(
                "declare/_proxy_identity.html", title="代他人填报", org=org, form=form, token=token,
                refusal=exc,
            )
        else:  # the binding itself waits until the organisation is confirmed
            db.session.commit()
            session["pending_declarant"] = {"org": org.id, "person": declarant.id}
            return redirect(url_for("declare.confirm_proxy", org_id=org.id, t=token), code=303)
        db.session.rollback()
    return render_screen(
        "declare/_proxy_identity.html", title="代他人填报", org=org, form=form, token=token, refusal=None
    )


def _pending_declarant(org: Organisation) -> Person:
    pending = session.get("pending_declarant") or {}
    if pending.get("org") != org.id:
        abort(404)
    person = db.session.get(Person, pending["person"])
    if person is None:
        abort(404)
    return person


@bp.route("/org/<int:org_id>/proxy/confirm", methods=["GET", "POST"])
def confirm_proxy(org_id: int):
    """代他人填报: confirm the organisation → 【下一步】 binds and opens the form (S4)."""
    org = load_org(org_id)
    token = require_invite(org)
    declarant = _pending_declarant(org)
    refusal = None
    if request.method == "POST":
        try:
            membership.bind_proxy(db.session, org, current_user, declarant, clock.utcnow())
        except membership.MembershipError as exc:
            db.session.rollback()
            refusal = exc
        else:
            db.session.commit()
            session.pop("pending_declarant", None)
            return redirect(url_for("declare.form", org_id=org.id, person_id=declarant.id), code=303)
    return render_screen(
        "declare/_confirm_org.html", title="确认组织信息", org=org, declarant=declarant, token=token,
        back=url_for("declare.proxy_identity", org_id=org.id, t=token), refusal=refusal,
    )


def declaring_as(org: Organisation, person_id: int) -> tuple[Person, str]:
    """Who the current user declares for here: themself or a bound declarant (P7)."""
    if person_id == current_user.id:
        return current_user._get_current_object(), "self"
    if membership.active_binding(db.session, current_user.id, person_id, org.id) is None:
        abort(404)
    return db.session.get(Person, person_id), "proxy"


@bp.route("/org/<int:org_id>/person/<int:person_id>", methods=["GET", "POST"])
def form(org_id: int, person_id: int):
    """健康信息申报 form → 【提交当日数据】 (S3, S4, S8)."""
    org = load_org(org_id)
    person, source = declaring_as(org, person_id)
    action = url_for("declare.form", org_id=org.id, person_id=person.id)
    back = url_for("declare.index")
    if request.method == "POST":
        return declaration_form.handle_post(
            org, person, source=source, action=action, back=back,
            done=lambda d: url_for("declare.done", declaration_id=d.id),
        )
    error = None
    if membership.active_membership(db.session, org.id, person.id) is None:
        error = declarations.NOT_MEMBER
    return declaration_form.show_form(org, person, action=action, back=back, error=error)


@bp.get("/done/<int:declaration_id>")
def done(declaration_id: int):
    """提交成功."""
    declaration = db.session.get(Declaration, declaration_id)
    if declaration is None or current_user.id not in (declaration.actor_id, declaration.person_id):
        abort(404)
    org = load_org(declaration.organisation_id)
    return render_screen("declare/_done.html", title="提交成功", declaration=declaration, org=org)


def own_binding(binding_id: int) -> ProxyBinding:
    binding = db.session.get(ProxyBinding, binding_id)
    if binding is None or binding.proxy_id != current_user.id or not binding.active:
        abort(404)
    return binding


@bp.post("/binding/<int:binding_id>/remove")
def remove_declarant(binding_id: int):
    """【删除申报人】: unbind only; the declarant stays a member (S5)."""
    binding = own_binding(binding_id)
    binding.active = False
    db.session.commit()
    flash(f"已删除申报人{binding.declarant.name}，其仍为组织成员", "info")
    return redirect(url_for("declare.index"), code=303)


@bp.post("/binding/<int:binding_id>/leave")
def declarant_leaves(binding_id: int):
    """【退出组织】 for a declarant: they leave the organisation (S5, S9)."""
    binding = own_binding(binding_id)
    current = membership.active_membership(db.session, binding.organisation_id, binding.declarant_id)
    if current is not None:
        membership.leave(db.session, current, clock.utcnow())
    binding.active = False
    db.session.commit()
    flash(f"{binding.declarant.name}已退出组织{binding.organisation.name}", "info")
    return redirect(url_for("declare.index"), code=303)


@bp.post("/org/<int:org_id>/leave")
def leave(org_id: int):
    """【退出组织】 for oneself (S9)."""
    current = membership.active_membership(db.session, org_id, current_user.id)
    if current is None:
        abort(404)
    membership.leave(db.session, current, clock.utcnow())
    db.session.commit()
    flash("已退出组织，如需再次申报，请通过采集员发送的邀请卡片重新加入", "info")
    return redirect(url_for("declare.index"), code=303)

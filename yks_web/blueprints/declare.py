"""学生/教职工个人健康申报 (SPEC S1–S10): the member side."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, session, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from yks_web import clock
from yks_web.blueprints import declaration_form
from yks_web.blueprints.auth import client_ip
from yks_web.extensions import db
from yks_web.forms.identity import IdentityForm
from yks_web.i18n import gettext
from yks_web.models import Collector, Declaration, Membership, Organisation, Person, ProxyBinding
from yks_web.rendering import render_screen
from yks_web.services import access, form_days, invites, membership
from yks_web.services.identity import IdentityMismatch, make_identity
from yks_web.services.rate_limits import RateLimited

bp = Blueprint("declare", __name__, url_prefix="/declare")

# The loaders (P7, issue 8 item 12): each answers 404 for what is not the user's. Who may call which
# endpoint (member, proxy, invitee) is listed in services/access.ENDPOINTS; login is checked before.


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
    """Joining steps need this organisation's live invite card; without it the organisation is not theirs: 404."""
    token = invite_for(org)
    if token is None:
        abort(404)
    return token


# -- the plain entry: 粤康码 → 健康情况申报 → 学生/教职工个人健康申报 (S1) ----------------------------------


@bp.get("/")
def index():
    """填报方式, from the plain entry: 【本人填报】 or 【代他人填报】 (S2)."""
    return render_screen(
        "declare/_mode.html", title=gettext("填报方式"), org=None, back=url_for("home.index"),
        self_url=url_for("declare.own"), proxy_url=url_for("declare.all_declarants"),
    )


@bp.get("/self")
def own():
    """本人填报: the organisations I belong to, each to a new round of declaring (S3, S7)."""
    rows = db.session.scalars(
        select(Membership)
        .options(joinedload(Membership.organisation).joinedload(Organisation.school))
        .where(Membership.person_id == current_user.id, Membership.active.is_(True))
        .order_by(Membership.id)
    ).all()
    return render_screen("declare/_own.html", title=gettext("本人填报"), rows=rows)


@bp.get("/declarants")
def all_declarants():
    """申报人列表 from the plain entry: 【添加申报人】 needs an invite card (S5)."""
    bindings = membership.declarant_list(db.session, current_user.id)
    return render_screen(
        "declare/_declarants.html", title=gettext("申报人列表"), bindings=bindings, token=None, org=None,
        back=url_for("declare.index"),
    )


@bp.get("/org/<int:org_id>/declarants")
def declarants(org_id: int):
    """申报人列表 of one organisation, reached from its invite: 【添加申报人】 is allowed here."""
    org = load_org(org_id)
    token = require_invite(org)
    bindings = [b for b in membership.declarant_list(db.session, current_user.id) if b.organisation_id == org.id]
    return render_screen(
        "declare/_declarants.html", title=gettext("申报人列表"), bindings=bindings, token=token, org=org,
        back=url_for("invite.open", token=token),
    )


# -- 本人填报 (S3) ---------------------------------------------------------------------------------------


def _confirm_self_screen(org: Organisation, token: str | None):
    return render_screen(
        "declare/_confirm_org.html", title=gettext("确认组织信息"), org=org, declarant=current_user, token=token,
        back=url_for("invite.open", token=token) if token else url_for("declare.own"), refusal=None,
    )


@bp.get("/org/<int:org_id>/self")
def confirm_self(org_id: int):
    """本人填报: confirm the organisation → 【下一步】 → the form (S3)."""
    org = load_org(org_id)
    is_member = membership.active_membership(db.session, org.id, current_user.id) is not None
    return _confirm_self_screen(org, None if is_member else require_invite(org))


@bp.post("/org/<int:org_id>/self")
def confirm_self_post(org_id: int):
    org = load_org(org_id)
    if membership.active_membership(db.session, org.id, current_user.id) is None:
        require_invite(org)
        membership.join(db.session, org, current_user, "invite", clock.utcnow())
        db.session.commit()
    return redirect(url_for("declare.form", org_id=org.id, person_id=current_user.id), code=303)


# -- 代他人填报 (S4, S6, S10) -------------------------------------------------------------------------------


def _proxy_identity_screen(org: Organisation, form: IdentityForm, token: str, refusal=None):
    return render_screen(
        "declare/_proxy_identity.html", title=gettext("代他人填报"), org=org, form=form, token=token,
        refusal=refusal,
    )


@bp.get("/org/<int:org_id>/proxy")
def proxy_identity(org_id: int):
    """代他人填报: 申报人 姓名, 证件类型, 证件号码 → 【下一步】 (S4)."""
    org = load_org(org_id)
    return _proxy_identity_screen(org, IdentityForm(), require_invite(org))


@bp.post("/org/<int:org_id>/proxy")
def proxy_identity_post(org_id: int):
    org = load_org(org_id)
    token = require_invite(org)
    form = IdentityForm()
    if not form.validate():
        return _proxy_identity_screen(org, form, token)
    identity = make_identity(form.name.data, form.id_type.data, form.id_number.data)
    try:
        declarant, _ = membership.claim_declarant(db.session, org, current_user, identity, utc_now=clock.utcnow(),
                                                  ip=client_ip())
    except RateLimited as exc:
        db.session.rollback()
        form.id_number.errors.append(exc.message)
        return _proxy_identity_screen(org, form, token)
    except IdentityMismatch as exc:
        db.session.commit()  # the refused look-up still counts (issue 8 item 3); nothing else was written
        form.id_number.errors.append(gettext(exc.message))
        return _proxy_identity_screen(org, form, token)
    except membership.MembershipError as refusal:
        db.session.commit()  # S6, S10, a declarant's removal: refused before any person is created
        return _proxy_identity_screen(org, form, token, refusal)
    db.session.commit()  # the binding itself waits until the organisation is confirmed
    # The proxy's own name for the declarant goes on the binding (issue 8 item 1), never someone else's claim.
    session["pending_declarant"] = {"org": org.id, "person": declarant.id, "typed_name": identity.name}
    return redirect(url_for("declare.confirm_proxy", org_id=org.id, t=token), code=303)


def _pending_declarant(org: Organisation) -> Person:
    pending = session.get("pending_declarant") or {}
    person = db.session.get(Person, pending["person"]) if pending.get("org") == org.id else None
    if person is None:
        abort(404)
    return person


def _confirm_proxy_screen(org: Organisation, declarant: Person, token: str, refusal=None):
    typed_name = (session.get("pending_declarant") or {}).get("typed_name") or ""
    return render_screen(
        "declare/_confirm_org.html", title=gettext("确认组织信息"), org=org, declarant=declarant, token=token,
        typed_name=typed_name,
        back=url_for("declare.proxy_identity", org_id=org.id, t=token), refusal=refusal,
    )


@bp.get("/org/<int:org_id>/proxy/confirm")
def confirm_proxy(org_id: int):
    """代他人填报: confirm the organisation → 【下一步】 binds and opens the form (S4)."""
    org = load_org(org_id)
    return _confirm_proxy_screen(org, _pending_declarant(org), require_invite(org))


@bp.post("/org/<int:org_id>/proxy/confirm")
def confirm_proxy_post(org_id: int):
    org = load_org(org_id)
    token = require_invite(org)
    declarant = _pending_declarant(org)  # kept, so a double tap lands on the form too
    try:
        membership.bind_proxy(db.session, org, current_user, declarant, clock.utcnow(),
                              typed_name=(session.get("pending_declarant") or {}).get("typed_name") or "")
    except membership.MembershipError as refusal:
        db.session.rollback()
        return _confirm_proxy_screen(org, declarant, token, refusal)
    db.session.commit()
    return redirect(url_for("declare.form", org_id=org.id, person_id=declarant.id), code=303)


# -- the form and its result (S3, S4, S8, S9) ------------------------------------------------------------


def declaring_as(org: Organisation, person_id: int) -> tuple[Person, str, str]:
    """Who the current user declares for here: themself (a member, now or before) or a bound declarant (P7),
    how (the declaration's source), and the name they know them by (the binding's, issue 8 item 1)."""
    if person_id == current_user.id:
        if not access.ever_member(db.session, org.id, person_id):
            abort(404)
        return current_user._get_current_object(), "self", current_user.name
    binding = access.proxy_binding(db.session, current_user.id, person_id, org.id)
    if binding is None:
        abort(404)
    return binding.declarant, "proxy", binding.shown_name


def _form_place(org: Organisation, person: Person) -> dict:
    return {
        "action": url_for("declare.form", org_id=org.id, person_id=person.id),
        "back": url_for("declare.own") if person.id == current_user.id else url_for("declare.all_declarants"),
    }


@bp.get("/org/<int:org_id>/person/<int:person_id>")
def form(org_id: int, person_id: int):
    """健康信息申报 form → 【提交当日数据】 (S3, S4, S8). One statement reads the organisation, who is declared for
    (404 as declaring_as: P7), the previous answers and the reports of the offered days (issue 14 item 2)."""
    state = form_days.form_state(db.session, org_id, person_id, current_user.id, clock.now())
    source = "self" if person_id == current_user.id else "proxy"
    if state is None or not access.may_declare_for(source, ever_member=state.ever_member,
                                                   live_binding=state.binding is not None):
        abort(404)
    if source == "self":
        person, name = current_user._get_current_object(), current_user.name
    else:  # the proxy's own name for them (issue 8 item 1)
        person, name = state.declarant, state.binding.shown_name
    # S9: left or removed; the form says so at the top and cannot be submitted (issue 9 item 4)
    return declaration_form.show_form(state.org, person, name=name, is_member=state.member, read=state,
                                      **_form_place(state.org, person))


@bp.post("/org/<int:org_id>/person/<int:person_id>")
def form_post(org_id: int, person_id: int):
    """【提交当日数据】. Nothing is loaded before the submission: its own statement checks the organisation and who
    is declared for as the loaders do (404, P7), so a valid POST costs the fewest round trips (issue 14 item 2)."""

    def again(**shown):  # the form again, through the loaders (a refusal, an invalid form)
        org = load_org(org_id)
        person, _, name = declaring_as(org, person_id)
        return declaration_form.show_form(org, person, name=name, **shown, **_form_place(org, person))

    return declaration_form.post_form(
        org_id, person_id, source="self" if person_id == current_user.id else "proxy", again=again,
        done=lambda declaration_id: url_for("declare.done", declaration_id=declaration_id),
    )


@bp.get("/done/<int:declaration_id>")
def done(declaration_id: int):
    """提交成功."""
    declaration = db.session.get(Declaration, declaration_id)
    if not access.may_see_declaration(declaration, current_user.id):
        abort(404)
    org = load_org(declaration.organisation_id)
    name = membership.name_known_to(db.session, current_user.id, declaration.person, org.id)
    return render_screen("declare/_done.html", title=gettext("提交成功"), declaration=declaration, org=org, name=name)


# -- 申报人列表 actions (S5, S9): each a confirm screen (GET) and its 【确定】 (POST), issue 9 item 3 --------------


def own_binding(binding_id: int) -> ProxyBinding:
    binding = db.session.get(ProxyBinding, binding_id)
    if not access.is_binding_proxy(binding, current_user.id):
        abort(404)
    return binding


def _confirm_screen(title: str, question: str, hint: str, action: str, cancel: str):
    """A destructive action's confirm step: a plain page, so one tap never takes effect, with JavaScript or not."""
    return render_screen("_confirm.html", title=title, question=question, hint=hint, action=action,
                         cancel=cancel)


@bp.get("/binding/<int:binding_id>/remove")
def remove_declarant(binding_id: int):
    """【删除申报人】 → 确定删除申报人？ → 【确定】 / 【取消】 (S5)."""
    binding = own_binding(binding_id)
    return _confirm_screen(
        gettext("删除申报人"), gettext("确定删除申报人%(name)s？", name=binding.shown_name),
        gettext("删除后则不再为其申报，但申报人仍为组织成员。"),
        url_for("declare.remove_declarant_post", binding_id=binding.id), url_for("declare.all_declarants"),
    )


@bp.post("/binding/<int:binding_id>/remove")
def remove_declarant_post(binding_id: int):
    """【确定】: unbind only; the declarant stays a member (S5), and the proxy may add them again later."""
    binding = own_binding(binding_id)
    membership.unbind_by_proxy(binding)
    db.session.commit()
    flash(gettext("已删除申报人%(name)s，其仍为组织成员", name=binding.shown_name), "info")
    return redirect(url_for("declare.all_declarants"), code=303)


@bp.get("/binding/<int:binding_id>/leave")
def declarant_leaves(binding_id: int):
    """【退出组织】 for a declarant → 确定退出组织？ → 【确定】 / 【取消】 (S5, S9)."""
    binding = own_binding(binding_id)
    return _confirm_screen(
        gettext("退出组织"),
        gettext("确定为%(name)s退出组织“%(organisation)s”？", name=binding.shown_name,
                organisation=binding.organisation.name),
        gettext("退出后将解除其与组织的关系，不能再为其申报；如需再次申报，需通过采集员发送的邀请卡片重新加入。"),
        url_for("declare.declarant_leaves_post", binding_id=binding.id), url_for("declare.all_declarants"),
    )


@bp.post("/binding/<int:binding_id>/leave")
def declarant_leaves_post(binding_id: int):
    """【确定】: the declarant leaves the organisation (S5, S9)."""
    binding = own_binding(binding_id)
    current = membership.active_membership(db.session, binding.organisation_id, binding.declarant_id)
    if current is not None:
        membership.leave(db.session, current, clock.utcnow())
    binding.active = False
    db.session.commit()
    flash(gettext("%(name)s已退出组织%(organisation)s", name=binding.shown_name,
                  organisation=binding.organisation.name), "info")
    return redirect(url_for("declare.all_declarants"), code=303)


def _own_membership(org_id: int) -> Membership:
    current = membership.active_membership(db.session, org_id, current_user.id)
    if current is None:
        abort(404)
    return current


@bp.get("/org/<int:org_id>/leave")
def leave(org_id: int):
    """【退出组织】 for oneself → 确定退出组织？ → 【确定】 / 【取消】 (S9)."""
    current = _own_membership(org_id)
    return _confirm_screen(
        gettext("退出组织"), gettext("确定退出组织“%(organisation)s”？", organisation=current.organisation.name),
        gettext("退出后将不能为该组织申报；如需再次申报，需通过采集员发送的邀请卡片重新加入。"),
        url_for("declare.leave_post", org_id=org_id), url_for("declare.own"),
    )


@bp.post("/org/<int:org_id>/leave")
def leave_post(org_id: int):
    """【确定】: I leave the organisation (S9)."""
    membership.leave(db.session, _own_membership(org_id), clock.utcnow())
    db.session.commit()
    flash(gettext("已退出组织，如需再次申报，请通过采集员发送的邀请卡片重新加入"), "info")
    return redirect(url_for("declare.own"), code=303)

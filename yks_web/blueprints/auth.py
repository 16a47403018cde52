"""实名认证 (SPEC I1–I4a): choose 认证方式, identity + phone, SMS code; logout, 退出所有设备."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, request, session, url_for
from flask_login import current_user, login_required

from yks_web import clock, i18n_setup
from yks_web.auth_setup import log_in, log_out
from yks_web.extensions import db
from yks_web.forms.identity import CodeForm, LoginForm
from yks_web.i18n import gettext
from yks_web.models import SmsChallenge
from yks_web.privacy import mask_phone
from yks_web.realname_setup import verifier
from yks_web.rendering import render_screen
from yks_web.services import login as login_service
from yks_web.services.identity import make_identity
from yks_web.services.sms import SmsError
from yks_web.sms_setup import sender

bp = Blueprint("auth", __name__, url_prefix="/auth")


def safe_next(target: str | None) -> str:
    """Only same-site paths: an open redirect would leak the login to anyone."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target  # browsers read /\evil.com as //evil.com
        and not urlsplit(target).netloc
        and target.isprintable()
    ):
        return target
    return url_for("home.index")


def client_ip() -> str:
    return request.remote_addr or "unknown"


@bp.get("/login")
def login():
    """选择认证方式 and 实名认证 form."""
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    return render_screen("auth/_login.html", title=gettext("实名认证"), form=LoginForm(),
                         next=request.args.get("next", ""))


@bp.post("/login")
def login_post():
    """Send the SMS code; the identity is checked only once the code is proved (no identity oracle)."""
    form = LoginForm()
    next_url = request.form.get("next", "")
    if form.validate():
        identity = make_identity(form.name.data, form.id_type.data, form.id_number.data)
        try:
            challenge, code = login_service.start(
                db.session, sender(), identity, form.phone.data, client_ip(), clock.utcnow()
            )
        except SmsError as exc:  # the phone's or the address's send limits: nothing about the identity
            db.session.rollback()
            form.phone.errors.append(exc.message)
        else:
            db.session.commit()
            session["sms"] = {"challenge": challenge.id, "next": next_url}
            if current_app.config["SHOW_SMS_CODE"]:
                flash(gettext("开发环境：验证码 %(code)s", code=code), "dev")
            return redirect(url_for("auth.verify"), code=303)
    return render_screen("auth/_login.html", title=gettext("实名认证"), form=form, next=next_url)


def _pending() -> tuple[dict, SmsChallenge | None]:
    pending = session.get("sms") or {}
    challenge_id = pending.get("challenge")
    challenge = db.session.get(SmsChallenge, challenge_id) if isinstance(challenge_id, int) else None
    return pending, challenge


def _verify_screen(form: CodeForm, challenge: SmsChallenge):
    return render_screen("auth/_verify.html", title=gettext("实名认证"), form=form, phone=mask_phone(challenge.phone))


@bp.get("/verify")
def verify():
    """输入验证码."""
    _, challenge = _pending()
    if challenge is None:
        return redirect(url_for("auth.login"))
    return _verify_screen(CodeForm(), challenge)


@bp.post("/verify")
def verify_post():
    pending, challenge = _pending()
    if challenge is None:
        return redirect(url_for("auth.login"), code=303)
    form = CodeForm()
    if form.validate():
        try:
            person = login_service.finish(db.session, challenge, form.code.data, clock.utcnow(), verifier())
        except (SmsError, login_service.LoginRefused) as exc:
            db.session.commit()  # a failed try still counts
            form.code.errors.append(exc.message)
        else:
            log_in(person)  # a new session: the pending "sms" entry and the old CSRF token go with the old one
            i18n_setup.keep_choice(person)  # the language chosen on the login page becomes the account's
            db.session.commit()
            return redirect(safe_next(pending.get("next")), code=303)
    return _verify_screen(form, challenge)


@bp.post("/logout")
def logout():
    """退出登录, from 个人中心: this session ends on every server (SPEC I4a)."""
    log_out()
    db.session.commit()
    flash(gettext("已退出登录"), "info")
    return redirect(url_for("home.index"), code=303)


@bp.get("/logout-everywhere")
@login_required
def logout_everywhere():
    """退出所有设备: the confirm step, a plain page so it works without JavaScript."""
    return render_screen("auth/_logout_everywhere.html", title=gettext("退出所有设备"))


@bp.post("/logout-everywhere")
@login_required
def logout_everywhere_post():
    """退出所有设备 confirmed: every session of the person ends, this one included (SPEC I4a)."""
    log_out(everywhere=True)
    db.session.commit()
    flash(gettext("已退出所有设备"), "info")
    return redirect(url_for("home.index"), code=303)

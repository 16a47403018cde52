"""实名认证 (SPEC I1–I4): choose 认证方式, identity + phone, SMS code; logout."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user

from yks_web import clock
from yks_web.extensions import db
from yks_web.forms.identity import CodeForm, LoginForm
from yks_web.models import Person, SmsChallenge
from yks_web.privacy import lookup_hash, mask_phone
from yks_web.rendering import render_screen
from yks_web.services.identity import IdentityMismatch, find_or_create_person, make_identity
from yks_web.services.sms import SmsError, issue_code, verify_code
from yks_web.sms_setup import sender

bp = Blueprint("auth", __name__, url_prefix="/auth")


def safe_next(target: str | None) -> str:
    """Only same-site paths: an open redirect would leak the login to anyone."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("home.index")


def client_ip() -> str:
    return request.remote_addr or "unknown"


@bp.get("/login")
def login():
    """选择认证方式 and 实名认证 form."""
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    return render_screen("auth/_login.html", title="实名认证", form=LoginForm(), next=request.args.get("next", ""))


@bp.post("/login")
def login_post():
    """Check the identity and send the SMS code."""
    form = LoginForm()
    next_url = request.form.get("next", "")
    if form.validate():
        identity = make_identity(form.name.data, form.id_type.data, form.id_number.data)
        try:
            person = find_or_create_person(db.session, identity)
            if person.phone and person.phone != form.phone.data:
                form.phone.errors.append("手机号与实名登记的手机号不一致，请使用登记的手机号")
            else:
                challenge, code = issue_code(
                    db.session, sender(), person, form.phone.data, client_ip(), clock.utcnow()
                )
                db.session.commit()
                session["sms"] = {"challenge": challenge.id, "phone": form.phone.data, "next": next_url}
                if current_app.config["SHOW_SMS_CODE"]:
                    flash(f"开发环境：验证码 {code}", "dev")
                return redirect(url_for("auth.verify"), code=303)
        except IdentityMismatch as exc:
            db.session.rollback()
            form.id_number.errors.append(exc.message)
        except SmsError as exc:
            db.session.rollback()
            form.phone.errors.append(exc.message)
    return render_screen("auth/_login.html", title="实名认证", form=form, next=next_url)


def _pending():
    pending = session.get("sms")
    challenge = db.session.get(SmsChallenge, pending["challenge"]) if pending else None
    return pending, challenge


@bp.get("/verify")
def verify():
    """输入验证码."""
    pending, challenge = _pending()
    if challenge is None:
        return redirect(url_for("auth.login"))
    return render_screen(
        "auth/_verify.html", title="实名认证", form=CodeForm(), phone=mask_phone(pending["phone"])
    )


@bp.post("/verify")
def verify_post():
    pending, challenge = _pending()
    if challenge is None:
        return redirect(url_for("auth.login"), code=303)
    form = CodeForm()
    if form.validate():
        try:
            verify_code(db.session, challenge, form.code.data, clock.utcnow())
        except SmsError as exc:
            form.code.errors.append(exc.message)
        else:
            person = db.session.get(Person, challenge.person_id)
            if person.phone is None:
                person.phone = pending["phone"]
                person.phone_hash = lookup_hash("phone", pending["phone"])
            db.session.commit()
            session.pop("sms", None)
            login_user(person)
            return redirect(safe_next(pending.get("next")), code=303)
        db.session.commit()  # the failed try counts
    return render_screen(
        "auth/_verify.html", title="实名认证", form=form, phone=mask_phone(pending["phone"])
    )


@bp.post("/logout")
def logout():
    """退出登录, from 个人中心."""
    logout_user()
    session.clear()
    flash("已退出登录", "info")
    return redirect(url_for("home.index"), code=303)

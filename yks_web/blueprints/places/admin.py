"""公共场所管理员 (SPEC O2; guide 二 (二) (1), FAQ (二) 1–6): 创建公共场所, 我的场所, 修改信息,
管理员同时绑定成为检测员, 重新生成葵花码. 成员管理 and 更换绑定 are members.py."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user

from yks_web import clock
from yks_web.blueprints.places import bp, place_for
from yks_web.extensions import db
from yks_web.forms.areas import PICK
from yks_web.forms.places import PlaceForm
from yks_web.i18n import gettext
from yks_web.models.place import Place
from yks_web.rendering import render_screen
from yks_web.services import access, areas, place_staff, places
from yks_web.services.errors import DomainError


def _home():
    return redirect(url_for("places.admin_home"), code=303)


# -- 我的场所 ---------------------------------------------------------------------------------------------


@bp.get("/admin")
def admin_home():
    """我的场所: the place, its fixed 场所申报码 with 【复制号码】 and the admin's menu (创建公共场所 while none)."""
    place = places.admin_place(db.session, current_user.id)
    if place is None:
        return redirect(url_for("places.create"), code=303)
    return render_screen(
        "places/_admin_home.html", title=gettext("我的场所"), place=place, area=areas.full_name(place.area_code),
        inspector=access.inspector_of(db.session, current_user.id, place.id),
        handover=places.pending_handover(db.session, place.id, clock.utcnow()),
    )


# -- 创建公共场所 --------------------------------------------------------------------------------------------


def _create_screen(form: PlaceForm, error: str | None = None):
    return render_screen("places/_admin_create.html", title=gettext("创建公共场所"), form=form, error=error)


@bp.get("/admin/create")
def create():
    """创建公共场所: 所在区域, 详细地址, 场所类型, 场所名称, 手机号 → 【确认创建】 (one admin ↔ one place)."""
    if places.admin_place(db.session, current_user.id) is not None:
        return _home()
    form = PlaceForm(formdata=None)
    form.phone.data = current_user.phone or ""
    form.set_area_choices()
    return _create_screen(form)


@bp.post("/admin/create")
def create_post():
    if places.admin_place(db.session, current_user.id) is not None:
        return _home()
    form = PlaceForm()
    form.set_area_choices()
    if PICK in request.form:  # the no-JS 【选择】: the next level's choices, everything typed kept
        return _create_screen(form)
    if not form.validate():
        return _create_screen(form)
    try:
        places.create(db.session, current_user.id, form.info(), clock.utcnow())
    except places.AlreadyAdmin:  # a double tap: its twin created the place
        db.session.rollback()
        return _home()
    except DomainError as refused:
        db.session.rollback()
        return _create_screen(form, refused.message)
    db.session.commit()
    flash(gettext("公共场所创建成功，请将场所申报码复制给本场所的检测员"), "success")
    return _home()


# -- 修改信息 -----------------------------------------------------------------------------------------------


def _edit_screen(place: Place, form: PlaceForm, error: str | None = None):
    opens = places.next_edit_day(place.edited_at, clock.now())
    return render_screen(
        "places/_admin_edit.html", title=gettext("修改信息"), place=place, form=form, error=error,
        refused=places.edit_refused_message(opens) if opens else None,
    )


@bp.get("/<int:place_id>/edit")
def edit(place_id: int):
    """修改信息: 所在区域, 详细地址, 场所类型, 场所名称, 手机号, at most once per natural week (FAQ 6)."""
    place = place_for(place_id, "place_admin")
    form = PlaceForm(formdata=None)
    form.fill(place)
    return _edit_screen(place, form)


@bp.post("/<int:place_id>/edit")
def edit_post(place_id: int):
    place = place_for(place_id, "place_admin")
    form = PlaceForm()
    form.set_area_choices()
    if PICK in request.form or not form.validate():
        return _edit_screen(place, form)
    try:
        changed = places.edit(db.session, place, current_user.id, form.info(), utc_now=clock.utcnow(),
                              local_now=clock.now())
    except places.NotAdmin:
        db.session.rollback()
        abort(404)
    except DomainError as refused:
        db.session.rollback()
        return _edit_screen(place, form, refused.message)
    db.session.commit()
    flash(gettext("修改成功") if changed else gettext("信息未修改"), "success" if changed else "info")
    return _home()


# -- 管理员同时绑定成为检测员, 重新生成葵花码 ----------------------------------------------------------------


@bp.post("/<int:place_id>/bind-self")
def admin_bind_self_post(place_id: int):
    """【绑定为本场所检测员】: the admin may also be an inspector of the place (guide 二 (二) (1) 1))."""
    place = place_for(place_id, "place_admin")
    try:
        place_staff.bind(db.session, current_user.id, place, clock.utcnow())
    except DomainError as refused:
        db.session.rollback()
        flash(refused.message, "error")
        return _home()
    db.session.commit()
    flash(gettext("已绑定为本场所检测员，可在“体温检测”中扫描粤康码"), "success")
    return _home()


@bp.get("/<int:place_id>/poster/reissue")
def reissue_poster(place_id: int):
    """重新生成葵花码: the confirm step (the printed posters stop working)."""
    place = place_for(place_id, "place_admin")
    return render_screen(
        "_confirm.html", title=gettext("重新生成葵花码"), question=gettext("确定重新生成体温正常快速打卡葵花码吗？"),
        hint=gettext("重新生成后，已打印张贴的旧葵花码将失效，群众扫描旧码将无法打卡，请及时打印张贴新的葵花码。"),
        action=url_for("places.reissue_poster_post", place_id=place.id), cancel=url_for("places.admin_home"),
    )


@bp.post("/<int:place_id>/poster/reissue")
def reissue_poster_post(place_id: int):
    place = place_for(place_id, "place_admin")
    try:
        places.reissue_poster(db.session, place, clock.utcnow(), actor_id=current_user.id)
    except places.NotAdmin:
        abort(404)
    db.session.commit()
    flash(gettext("已重新生成葵花码，旧葵花码已失效，请打印张贴新的葵花码"), "success")
    return redirect(url_for("places.poster_page", place_id=place.id), code=303)

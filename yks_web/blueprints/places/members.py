"""成员管理 of a 公共场所 (SPEC O2; FAQ (二) 7, 8): the inspectors, 解除绑定, 更换绑定 (the admin's offer and the
recipient's 接受/拒绝)."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_login import current_user

from yks_web import clock
from yks_web.blueprints.places import bp, place_for
from yks_web.extensions import db
from yks_web.i18n import gettext, ngettext
from yks_web.models.place import Place
from yks_web.privacy import mask_name
from yks_web.rendering import render_screen
from yks_web.services import areas, place_staff, places
from yks_web.services.errors import DomainError


def _members(place: Place):
    return redirect(url_for("places.members", place_id=place.id), code=303)


# -- 成员管理 ----------------------------------------------------------------------------------------------


def _staff(place: Place, staff_id: int):
    staff = places.active_staff(db.session, place.id, staff_id)
    if staff is None:
        abort(404)
    return staff


@bp.get("/<int:place_id>/members")
def members(place_id: int):
    """成员管理: the place's inspectors with 【解除绑定】 and 【更换绑定】, and the hand-over waiting for its answer."""
    place = place_for(place_id, "place_admin")
    return render_screen(
        "places/_admin_members.html", title=gettext("成员管理"), place=place,
        inspectors=place_staff.inspectors(db.session, place.id),
        handover=places.pending_handover(db.session, place.id, clock.utcnow()),
    )


@bp.get("/<int:place_id>/members/<int:staff_id>/unbind")
def unbind_inspector(place_id: int, staff_id: int):
    """解除绑定 an inspector: the confirm step (FAQ 8)."""
    place = place_for(place_id, "place_admin")
    staff = _staff(place, staff_id)
    return render_screen(
        "_confirm.html", title=gettext("解除绑定"), question=gettext("确定解除检测员 %(name)s 的绑定吗？",
                                                  name=mask_name(staff.person.name)),
        hint=gettext("解除后对方将不能再为本场所检测登记体温，已登记的记录会保留。"),
        action=url_for("places.unbind_inspector_post", place_id=place.id, staff_id=staff.id),
        cancel=url_for("places.members", place_id=place.id),
    )


@bp.post("/<int:place_id>/members/<int:staff_id>/unbind")
def unbind_inspector_post(place_id: int, staff_id: int):
    place = place_for(place_id, "place_admin")
    staff = _staff(place, staff_id)
    try:
        places.unbind_inspector(db.session, place, staff, clock.utcnow(), actor_id=current_user.id)
    except places.NotAdmin:
        abort(404)
    db.session.commit()
    flash(gettext("已解除检测员 %(name)s 的绑定", name=mask_name(staff.person.name)), "success")
    return _members(place)


@bp.get("/<int:place_id>/members/<int:staff_id>/handover")
def handover(place_id: int, staff_id: int):
    """更换绑定: make this inspector the place's admin, once they confirm (FAQ 7): the confirm step."""
    place = place_for(place_id, "place_admin")
    staff = _staff(place, staff_id)
    if staff.person_id == current_user.id:
        abort(404)
    days = places.HANDOVER_DAYS
    hint = ngettext("对方需在%(num)d天内确认，确认前您仍是本场所管理员。",
                    "对方需在%(num)d天内确认，确认前您仍是本场所管理员。", days)
    pending = places.pending_handover(db.session, place.id, clock.utcnow())
    if pending is not None and pending.to_id != staff.person_id:
        hint = ngettext("对方需在%(num)d天内确认，确认前您仍是本场所管理员。此前发给 %(name)s 的更换绑定将被取消。",
                        "对方需在%(num)d天内确认，确认前您仍是本场所管理员。此前发给 %(name)s 的更换绑定将被取消。",
                        days, name=mask_name(pending.to_person.name))
    return render_screen(
        "_confirm.html", title=gettext("更换绑定"),
        question=gettext("确定将场所管理员更换为 %(name)s 吗？对方确认后生效，您将不再是本场所管理员。",
                         name=mask_name(staff.person.name)),
        hint=hint, action=url_for("places.handover_post", place_id=place.id, staff_id=staff.id),
        cancel=url_for("places.members", place_id=place.id),
    )


@bp.post("/<int:place_id>/members/<int:staff_id>/handover")
def handover_post(place_id: int, staff_id: int):
    place = place_for(place_id, "place_admin")
    staff = _staff(place, staff_id)
    try:
        places.offer_handover(db.session, place, staff, current_user.id, clock.utcnow())
    except places.NotAdmin:
        db.session.rollback()
        abort(404)
    except DomainError as refused:
        db.session.rollback()
        flash(refused.message, "error")
        return _members(place)
    db.session.commit()
    flash(gettext("已向 %(name)s 发出更换绑定，对方确认后生效", name=mask_name(staff.person.name)), "success")
    return _members(place)


@bp.post("/<int:place_id>/handover/cancel")
def handover_cancel_post(place_id: int):
    """【取消】 the hand-over waiting for its answer."""
    place = place_for(place_id, "place_admin")
    try:
        places.cancel_handover(db.session, place, clock.utcnow(), actor_id=current_user.id)
    except places.NotAdmin:
        abort(404)
    db.session.commit()
    flash(gettext("已取消更换绑定"), "info")
    return _members(place)


# -- 更换绑定: the recipient's side ---------------------------------------------------------------------------


def _offer(handover_id: int):
    offer = places.offer_for(db.session, handover_id, current_user.id, clock.utcnow())
    if offer is None:
        abort(404)
    return offer


@bp.get("/handover/<int:handover_id>")
def handover_offer(handover_id: int):
    """更换绑定: the offer to become the place's admin, for its recipient only, with 【接受】 and 【拒绝】."""
    offer = _offer(handover_id)
    return render_screen(
        "places/_admin_handover_offer.html", title=gettext("更换绑定"), offer=offer, place=offer.place,
        area=areas.full_name(offer.place.area_code),
        already=places.admin_place(db.session, current_user.id) is not None,
    )


@bp.post("/handover/<int:handover_id>/accept")
def handover_accept_post(handover_id: int):
    _offer(handover_id)
    try:
        place = places.accept_handover(db.session, handover_id, current_user.id, clock.utcnow())
    except DomainError as refused:
        db.session.rollback()
        flash(refused.message, "error")
        if isinstance(refused, places.PlaceRefused) and refused.reason == places.HANDOVER_GONE:
            return redirect(url_for("places.index"), code=303)
        return redirect(url_for("places.handover_offer", handover_id=handover_id), code=303)
    db.session.commit()
    flash(gettext("您已成为“%(place)s”的场所管理员", place=place.name), "success")
    return redirect(url_for("places.admin_home"), code=303)


@bp.post("/handover/<int:handover_id>/refuse")
def handover_refuse_post(handover_id: int):
    _offer(handover_id)
    try:
        places.refuse_handover(db.session, handover_id, current_user.id, clock.utcnow())
    except DomainError as refused:
        db.session.rollback()
        flash(refused.message, "error")
        return redirect(url_for("places.index"), code=303)
    db.session.commit()
    flash(gettext("已拒绝更换绑定"), "info")
    return redirect(url_for("places.index"), code=303)
